package rules

import (
	"strings"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
)

// PlaintextHTTP2Listen reports `listen ... http2` without TLS on nginx
// versions that then accept only HTTP/2 on the port.
var PlaintextHTTP2Listen = &lint.Rule{
	ID:       "WS403",
	Name:     "plaintext-http2-listen",
	Lang:     lint.Nginx,
	Severity: lint.Error,
	Default:  true,
	Check:    checkPlaintextHTTP2Listen,
	Doc: lint.Doc{
		Summary: "plaintext `listen ... http2` speaks only HTTP/2 before nginx 1.25.1",
		Why: "Before 1.25.1 a plaintext `http2` listener treats every connection as HTTP/2 with prior " +
			"knowledge. Browsers never speak h2 without TLS, so each HTTP/1.1 request and every `ws://` " +
			"handshake gets a SETTINGS and GOAWAY frame instead of a response (error log: `invalid " +
			"connection preface while processing HTTP/2 connection`); the flag applies to the whole " +
			"address, other servers on the port included. From 1.25.1 nginx detects the h2 preface and " +
			"serves HTTP/1.x too.",
		Bad: "server {\n    listen 8080 http2;\n    location /ws/ {\n        proxy_pass http://127.0.0.1:8000;\n" +
			"        proxy_http_version 1.1;\n        proxy_read_timeout 1h;\n" +
			"        proxy_set_header Upgrade $http_upgrade;\n        proxy_set_header Connection \"upgrade\";\n    }\n}\n",
		Good: "server {\n    listen 8080;\n    location /ws/ {\n        proxy_pass http://127.0.0.1:8000;\n" +
			"        proxy_http_version 1.1;\n        proxy_read_timeout 1h;\n" +
			"        proxy_set_header Upgrade $http_upgrade;\n        proxy_set_header Connection \"upgrade\";\n    }\n}\n",
		FixSafety: "Unsafe: removing `http2` restores HTTP/1.1 and WebSocket on the port but turns off " +
			"HTTP/2 for clients that use it with prior knowledge (gRPC, `curl --http2-prior-knowledge`); " +
			"give those a listener of their own, or upgrade nginx to 1.25.1+.",
		References: []string{
			"https://nginx.org/en/docs/http/ngx_http_core_module.html#listen",
			"https://nginx.org/en/docs/http/ngx_http_v2_module.html",
			"https://nginx.org/en/CHANGES",
		},
	},
}

func checkPlaintextHTTP2Listen(p *lint.Pass) (out []lint.Finding) {
	v := p.Opts.NginxVersion
	if v.AtLeast(nginx.V1_25_1) {
		return nil
	}
	for _, s := range p.Nginx.Servers() {
		if sslOn(s) {
			continue // `ssl on;` (removed in 1.25.1) makes every listen of the server TLS
		}
		for _, l := range s.Block.Find("listen") {
			h2, tls := -1, false
			for i, a := range l.Args {
				switch a.Value {
				case "http2":
					h2 = i
				case "ssl", "quic":
					tls = true
				}
			}
			if h2 < 1 || tls {
				continue
			}
			arg := l.Args[h2]
			f := p.Finding(arg.Span, "`%s` without `ssl`: nginx before 1.25.1 (target: %s) speaks only HTTP/2 on this address, "+
				"so every HTTP/1.1 request and `ws://` handshake fails with a GOAWAY frame", l, v)
			prev := l.Args[h2-1].Span.End
			if strings.TrimSpace(string(l.File().Data[prev:arg.Span.Start])) == "" {
				f = f.WithFix(lint.Unsafe, "Remove the `http2` parameter", source.TextEdit{File: l.File(), Start: prev, End: arg.Span.End})
			}
			out = append(out, f)
		}
	}
	return out
}

// sslOn reports whether `ssl on` is in force for the server.
func sslOn(s *nginx.Server) bool {
	for _, b := range []*nginx.Directive{s.Block, s.HTTP} {
		if d := b.FindOne("ssl"); d != nil {
			return d.Arg(0) == "on"
		}
	}
	return false
}
