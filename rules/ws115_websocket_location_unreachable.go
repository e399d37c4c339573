package rules

import (
	"github.com/wslint/wslint/lint"
)

// WebSocketLocationUnreachable reports WebSocket locations of a server
// that answers every request with a server-level `return`.
var WebSocketLocationUnreachable = &lint.Rule{
	ID:       "WS115",
	Name:     "websocket-location-unreachable",
	Lang:     lint.Nginx,
	Severity: lint.Warning,
	Default:  true,
	Check:    checkWebSocketLocationUnreachable,
	Doc: lint.Doc{
		Summary: "the server answers every request before this WebSocket location",
		Why: "A `return` written in the server block itself (not in an `if`) runs in the server's " +
			"rewrite phase, before nginx picks a location: every request, WebSocket handshakes " +
			"included, gets its answer, and the location's `proxy_pass` is never used. It is often " +
			"a port-80 server that now only redirects to HTTPS (`return 301 https://...`) but kept " +
			"its locations: clients that open `ws://` get the 301, which a WebSocket client does not " +
			"follow; the location belongs in the server that takes `wss://`.",
		Bad: "server {\n    listen 80;\n    return 301 https://$host$request_uri;\n" +
			"    location /ws/ {\n        proxy_pass http://127.0.0.1:8000;\n        proxy_http_version 1.1;\n        proxy_read_timeout 1h;\n" +
			"        proxy_set_header Upgrade $http_upgrade;\n        proxy_set_header Connection \"upgrade\";\n        proxy_set_header Host $host;\n    }\n}\n",
		Good: "server {\n    listen 80;\n    location /ws/ {\n        proxy_pass http://127.0.0.1:8000;\n        proxy_http_version 1.1;\n        proxy_read_timeout 1h;\n" +
			"        proxy_set_header Upgrade $http_upgrade;\n        proxy_set_header Connection \"upgrade\";\n        proxy_set_header Host $host;\n    }\n" +
			"    location / {\n        return 301 https://$host$request_uri;\n    }\n}\n",
		FixSafety: "No fix: whether the server should stop answering everything (a `return` in " +
			"`location /` instead) or the WebSocket location belongs in another server is a " +
			"design decision.",
		References: []string{
			"https://nginx.org/en/docs/http/ngx_http_rewrite_module.html#return",
			"https://nginx.org/en/docs/http/ngx_http_rewrite_module.html",
		},
	},
}

func checkWebSocketLocationUnreachable(p *lint.Pass) (out []lint.Finding) {
	for _, loc := range p.WebSocketLocations() {
		if !loc.Unreachable() || loc.IsNamed() {
			continue
		}
		ret := loc.Server.Block.FindOne("return")
		f := p.Finding(loc.Block.HeaderSpan(), "this WebSocket location is never used (%s): `%s` in its server answers every request first, handshakes included",
			wsWhy(loc), ret.String())
		out = append(out, f.WithRelated(ret.Span, "`%s` runs before nginx picks a location", ret.String()))
	}
	return out
}
