package rules

import (
	"fmt"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
)

// HTTPVersionTooOld reports WebSocket locations that proxy with HTTP/1.0
// (explicitly, or by default before nginx 1.29.7) or with HTTP/2.
var HTTPVersionTooOld = &lint.Rule{
	ID:       "WS103",
	Name:     "http-version-too-old",
	Lang:     lint.Nginx,
	Severity: lint.Warning,
	Default:  true,
	Check:    checkHTTPVersionTooOld,
	Doc: lint.Doc{
		Summary: "WebSocket location proxies with HTTP/1.0 (or HTTP/2)",
		Why: "RFC 6455 requires the handshake to be HTTP/1.1 or later. nginx before 1.29.7 proxies " +
			"with HTTP/1.0 unless `proxy_http_version 1.1` is set: node `ws`, uvicorn and gorilla " +
			"accept it, but strict backends refuse the handshake (coder/websocket 426 `handshake " +
			"request must be at least HTTP/1.1`, NGINX Unit 400 `h1p upgrade: bad protocol version`). " +
			"`proxy_http_version 2` (1.29.4+) cannot tunnel at all: the HTTP/2 proxy has no 101 " +
			"handling and `Connection` is invalid in HTTP/2 (400); older nginx rejects the value.",
		Bad: "map $http_upgrade $connection_upgrade {\n    default upgrade;\n    ''      close;\n}\n" +
			"server {\n    listen 80;\n    location /ws/ {\n        proxy_pass http://127.0.0.1:8000;\n" +
			"        proxy_read_timeout 1h;\n        proxy_set_header Upgrade $http_upgrade;\n" +
			"        proxy_set_header Connection $connection_upgrade;\n    }\n}\n",
		Good: "map $http_upgrade $connection_upgrade {\n    default upgrade;\n    ''      close;\n}\n" +
			"server {\n    listen 80;\n    location /ws/ {\n        proxy_pass http://127.0.0.1:8000;\n" +
			"        proxy_http_version 1.1;\n        proxy_read_timeout 1h;\n        proxy_set_header Upgrade $http_upgrade;\n" +
			"        proxy_set_header Connection $connection_upgrade;\n    }\n}\n",
		FixSafety: "Safe for a missing or `1.0` value: the fix sets `proxy_http_version 1.1` in the " +
			"location itself (replacing its own `1.0`, or adding a line after `proxy_pass` when the " +
			"value is inherited or nginx's default), so only this location's upstream requests change, " +
			"to the version nginx uses by default since 1.29.7. Unsafe for `2` (the backend may speak " +
			"only HTTP/2, and plain requests would switch to HTTP/1.1 too) and for a value set in an " +
			"included file (the edit reaches every place that includes it).",
		References: []string{
			"https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_http_version",
			"https://nginx.org/en/docs/http/websocket.html", "RFC 6455 §4.1", "https://nginx.org/en/CHANGES",
		},
	},
}

func checkHTTPVersionTooOld(p *lint.Pass) (out []lint.Finding) {
	for _, loc := range p.WebSocketLocations() {
		pp := proxiedBy(loc.Location)
		if pp == nil {
			continue
		}
		d := loc.Effective("proxy_http_version")
		if d != nil && len(d.Args) != 1 {
			continue // nginx refuses the argument count; WS103 cannot tell the version
		}
		version := nginx.DefaultHTTPVersion(p.Opts.NginxVersion)
		if d != nil {
			version = d.Arg(0)
		}
		if version != "1.0" && version != "2" {
			continue // 1.1 (or a value WS006 reports): a tunnel
		}
		inherited := d != nil && !writtenInLocation(d, loc.Location)
		span, subject := pp.NameSpan(), fmt.Sprintf("`proxy_http_version %s`", version)
		if d != nil && !inherited {
			span = d.Args[0].Span
		}
		if inherited {
			subject = fmt.Sprintf("this WebSocket location inherits `proxy_http_version %s` from %s, which", version, placeOf(d, span.File))
		}
		var f lint.Finding
		fixApplies := lint.Safe
		switch {
		case version == "1.0" && d == nil:
			target := "target nginx " + p.Opts.NginxVersion.String()
			if note := evidenceNote(loc); note != "" {
				target += "; " + wsWhy(loc)
			}
			f = p.Finding(span, "nginx before 1.29.7 sends HTTP/1.0 upstream when `proxy_http_version` is not set (%s): "+
				"strict backends (coder/websocket 426, NGINX Unit 400) refuse the handshake", target)
		case version == "1.0":
			f = p.Finding(span, "%s sends handshakes as HTTP/1.0, but RFC 6455 requires HTTP/1.1: "+
				"strict backends (coder/websocket 426, NGINX Unit 400) refuse it", subject)
		case version == "2":
			f = p.Finding(span, "%s cannot tunnel WebSocket: the HTTP/2 proxy has no 101 handling and "+
				"sends `Connection` in HTTP/2, which backends reject (400); use 1.1 in WebSocket locations", subject)
			f.Severity = lint.Error
			fixApplies = lint.Unsafe
		default:
			continue
		}
		switch {
		case inherited:
			f = f.WithRelated(d.Span, "`proxy_http_version %s` is set here", version)
			fallthrough
		case d == nil:
			if edit, ok := insertInLocation(loc.Location, pp, "proxy_http_version 1.1;"); ok {
				f = f.WithFix(fixApplies, "Set `proxy_http_version 1.1` in this location", edit)
			}
		case d.Via == nil:
			f = f.WithFix(fixApplies, "Set `proxy_http_version 1.1`", lint.ReplaceArg(d.Args[0], "1.1"))
		default:
			// set by an include written in the location: a second line would
			// be a duplicate, and the included file may be used elsewhere
			f = f.WithFix(lint.Unsafe, "Set `proxy_http_version 1.1` in the included file", lint.ReplaceArg(d.Args[0], "1.1"))
		}
		out = append(out, f)
	}
	return out
}
