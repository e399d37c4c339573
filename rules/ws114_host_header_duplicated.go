package rules

import (
	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
)

// HostHeaderDuplicated reports a proxy_set_header list that sends `Host`
// twice: nginx sends both, and the upstream must refuse the request.
var HostHeaderDuplicated = &lint.Rule{
	ID:       "WS114",
	Name:     "host-header-duplicated",
	Lang:     lint.Nginx,
	Severity: lint.Error,
	Default:  true,
	Check:    checkHostHeaderDuplicated,
	Doc: lint.Doc{
		Summary: "the proxy_set_header list sends `Host` twice",
		Why: "nginx sends every `proxy_set_header` line of the list in force, so two `Host` lines " +
			"make two `Host` headers (nginx -t accepts it). A server must answer such a request " +
			"with 400 (RFC 9112 §3.2): Go's net/http, and so coder/websocket and gorilla/websocket " +
			"backends, answer `400 Bad Request: too many Host headers`, for the WebSocket handshake " +
			"as for every request. The usual cause is `include proxy_params;` (Debian's file sets " +
			"`Host`) followed by `proxy_set_header Host $host;`.",
		Bad: "location /ws/ {\n    proxy_pass http://127.0.0.1:8000;\n    proxy_http_version 1.1;\n    proxy_read_timeout 1h;\n" +
			"    proxy_set_header Host $host;\n    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection \"upgrade\";\n" +
			"    proxy_set_header Host $host;\n}\n",
		Good: "location /ws/ {\n    proxy_pass http://127.0.0.1:8000;\n    proxy_http_version 1.1;\n    proxy_read_timeout 1h;\n" +
			"    proxy_set_header Host $host;\n    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection \"upgrade\";\n}\n",
		FixSafety: "Safe when both lines send the same value and the repeat is written in the block " +
			"itself (not in an included file): the fix removes the repeat, and the upstream gets the " +
			"one `Host` a lenient backend reads today. No fix when the values differ (`$http_host` " +
			"and `$host`): which one the backend should see is a choice.",
		References: []string{
			"https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_set_header",
			"RFC 9112 §3.2",
		},
	},
}

func checkHostHeaderDuplicated(p *lint.Pass) (out []lint.Finding) {
	seen := map[*nginx.Directive]bool{} // the repeats reported (a server-level list serves many locations)
	for _, loc := range p.Nginx.Locations() {
		if proxiedBy(loc) == nil {
			continue
		}
		up := loc.Simulate(p.Nginx, nginx.PlainRequest, p.Opts.NginxVersion)
		var hosts []nginx.Sent
		for _, h := range up.Header("Host") {
			if h.From != nil {
				hosts = append(hosts, h)
			}
		}
		if len(hosts) < 2 || seen[hosts[1].From] {
			continue
		}
		first, repeat := hosts[0].From, hosts[1].From
		seen[repeat] = true
		f := p.Finding(repeat.Span, "`%s` sends a second `Host` header (the first from line %d%s): upstreams must answer 400 to a request with two (Go's net/http: `too many Host headers`), the WebSocket handshake included",
			repeat.String(), lineOf(first), fileNote(first, repeat))
		f = f.WithRelated(first.Span, "`%s` is sent first", first.String())
		if first.Via != nil && first.Via != repeat.Via {
			f = f.WithRelated(first.Outermost(repeat.Parent).Span, "the first comes in through this include")
		}
		if sameValue(repeat.Name, first, repeat) && repeat.Via == nil {
			f = f.WithFix(lint.Safe, "Remove the repeated `"+repeat.String()+"`", lint.DeleteDirective(repeat))
		}
		out = append(out, f)
	}
	return out
}
