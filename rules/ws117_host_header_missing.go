package rules

import (
	"strings"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
)

// HostHeaderMissing reports a WebSocket location whose handshakes reach
// the backend as HTTP/1.1 without a Host header.
var HostHeaderMissing = &lint.Rule{
	ID:       "WS117",
	Name:     "host-header-missing",
	Lang:     lint.Nginx,
	Severity: lint.Error,
	Default:  true,
	Check:    checkHostHeaderMissing,
	Doc: lint.Doc{
		Summary: "WebSocket handshakes reach the backend without a Host header",
		Why: "nginx skips a `proxy_set_header` whose value is empty, and a `Host` line replaces its " +
			"own: `proxy_set_header Host \"\";` (meant to hide the header), or `Host $http_x_forwarded_host` " +
			"when no proxy in front sets that header, sends the request with no `Host` at all. HTTP/1.1 " +
			"requires one, and backends answer 400: Go's net/http (`missing required Host header`), " +
			"h11 under uvicorn (`Missing mandatory Host: header`); the WebSocket handshake, which must " +
			"be HTTP/1.1, fails. From nginx 1.31.4 nginx adds its own `Host` to such requests.",
		Bad: "location /ws/ {\n    proxy_pass http://127.0.0.1:8000;\n    proxy_http_version 1.1;\n    proxy_read_timeout 1h;\n" +
			"    proxy_set_header Host \"\";\n    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection \"upgrade\";\n}\n",
		Good: "location /ws/ {\n    proxy_pass http://127.0.0.1:8000;\n    proxy_http_version 1.1;\n    proxy_read_timeout 1h;\n" +
			"    proxy_set_header Host $proxy_host;\n    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection \"upgrade\";\n}\n",
		FixSafety: "Safe for an empty literal value: it becomes `$proxy_host`, the `Host` nginx sends " +
			"when no line sets one. No fix when the value is a variable that is empty for the " +
			"handshake: which header was meant is the author's call.",
		References: []string{
			"https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_set_header",
			"https://www.rfc-editor.org/rfc/rfc9112#section-3.2",
		},
	},
}

func checkHostHeaderMissing(p *lint.Pass) (out []lint.Finding) {
	seen := map[*nginx.Directive]bool{} // a server-level line serves many locations
	for _, loc := range p.WebSocketLocations() {
		if proxiedBy(loc.Location) == nil {
			continue
		}
		up := loc.Simulate(p.Nginx, nginx.ChromiumHandshake, p.Opts.NginxVersion)
		if up.Version == "1.0" || len(up.Header("Host")) > 0 {
			continue
		}
		list, _ := loc.EffectiveList("proxy_set_header")
		var host *nginx.Directive
		for _, d := range list {
			if len(d.Args) == 2 && strings.EqualFold(d.Arg(0), "host") {
				host = d
				break
			}
		}
		if host == nil || seen[host] {
			continue
		}
		seen[host] = true
		why := "its value is empty, and nginx skips a header whose value is empty"
		if host.Arg(1) != "" {
			why = "`" + host.Args[1].Raw + "` is empty for a browser's handshake, and nginx skips a header whose value is empty"
		}
		f := p.Finding(host.Span, "`%s` sends no `Host` header (%s; before 1.31.4 nginx adds none of its own): backends answer 400 to an HTTP/1.1 request without one, the WebSocket handshake included (%s)",
			host.String(), why, wsWhy(loc))
		if host.Arg(1) == "" && host.Via == nil {
			v := host.Args[1].Span
			f = f.WithFix(lint.Safe, "Send nginx's default `Host` (`$proxy_host`)", source.TextEdit{File: v.File, Start: v.Start, End: v.End, New: "$proxy_host"})
		}
		out = append(out, f)
	}
	return out
}
