package rules

import (
	"fmt"
	"strings"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
)

// WebSocketPathNotProxied reports a WebSocket path that no server hands to
// a location that passes requests on.
var WebSocketPathNotProxied = &lint.Rule{
	ID:       "WS116",
	Name:     "websocket-path-not-proxied",
	Lang:     lint.Nginx,
	Severity: lint.Error,
	Default:  true,
	Check:    checkWebSocketPathNotProxied,
	Doc: lint.Doc{
		Summary: "no server passes the WebSocket path on to a backend",
		Why: "The path the clients open (`--ws-path`, or `websocket_paths`) must reach a location that " +
			"proxies. When no location matches it, or the one that does serves files or answers itself " +
			"(`root`, `return`), nginx answers the handshake (usually 404) and the backend never sees " +
			"it: a typo (`--ws-path /socket` against `location /sockets/`), a location that moved, or a " +
			"server-level `rewrite` that changes the path to one no location proxies. The path is " +
			"followed through the server's rewrite lines first; a server that answers it there is " +
			"WS115's case, one that redirects it to the path plus `/` WS112's, and one whose rewrites " +
			"wslint cannot follow is taken to serve it. When several servers miss it, the ones that " +
			"proxy anything are reported (not the static sites beside them).",
		Bad: "# wslint-test: {\"ws_paths\": [\"/ws/chat\"]}\n" +
			"server {\n    listen 80;\n    location / {\n        root /srv/app;\n    }\n" +
			"    location /wss/ {\n        proxy_pass http://127.0.0.1:8000;\n        proxy_http_version 1.1;\n        proxy_read_timeout 1h;\n" +
			"        proxy_set_header Upgrade $http_upgrade;\n        proxy_set_header Connection \"upgrade\";\n        proxy_set_header Host $host;\n    }\n}\n",
		Good: "# wslint-test: {\"ws_paths\": [\"/ws/chat\"]}\n" +
			"server {\n    listen 80;\n    location / {\n        root /srv/app;\n    }\n" +
			"    location /ws/ {\n        proxy_pass http://127.0.0.1:8000;\n        proxy_http_version 1.1;\n        proxy_read_timeout 1h;\n" +
			"        proxy_set_header Upgrade $http_upgrade;\n        proxy_set_header Connection \"upgrade\";\n        proxy_set_header Host $host;\n    }\n}\n",
		FixSafety: "No fix: which location should take the path (a new one, or a renamed one), and " +
			"whether the path given is the one the clients open, is the author's call.",
		References: []string{
			"https://nginx.org/en/docs/http/ngx_http_core_module.html#location",
			"https://nginx.org/en/docs/http/websocket.html",
		},
	},
}

func checkWebSocketPathNotProxied(p *lint.Pass) (out []lint.Finding) {
	servers := p.Nginx.Servers()
	for _, path := range p.Opts.WSPaths {
		uri := pathOnly(path)
		if !strings.HasPrefix(uri, "/") {
			continue
		}
		var found, inProxies []lint.Finding
		served := false
		for _, s := range servers {
			rt := s.Route(uri)
			switch {
			case !rt.Known:
				served = true // rewrites wslint cannot follow: it may be served
				continue
			case rt.AnsweredBy != nil && rt.Location == nil, rt.Redirect != nil:
				continue // WS115's case, WS112's
			}
			via := ""
			if rt.ChangedBy != nil {
				via = fmt.Sprintf(" (`%s` makes it `%s`)", rt.ChangedBy.String(), rt.Path)
			}
			var f lint.Finding
			switch loc := rt.Location; {
			case loc == nil:
				f = p.Finding(s.Block.HeaderSpan(), "no location of this server matches the WebSocket path `%s`%s: nginx answers the handshake from the server's root (404), and no backend sees it",
					path, via)
			case rt.AnsweredBy != nil && loc.ProxyPass() != nil:
				continue // a return that preempts its proxy_pass: WS109's
			case rt.AnsweredBy != nil:
				f = p.Finding(loc.Block.HeaderSpan(), "the WebSocket path `%s`%s resolves to this location, which answers it itself (`%s`): no backend sees the handshake",
					path, via, rt.AnsweredBy.String())
			case passesOn(s, loc):
				served = true
				continue
			default:
				f = p.Finding(loc.Block.HeaderSpan(), "the WebSocket path `%s`%s resolves to this location, which passes nothing on (no `proxy_pass`): nginx answers the handshake itself, and no backend sees it",
					path, via)
			}
			found = append(found, f)
			if proxiesAny(s) {
				inProxies = append(inProxies, f)
			}
		}
		switch {
		case served:
		case len(inProxies) > 0:
			out = append(out, inProxies...) // the application's servers, not the static sites beside them
		default:
			out = append(out, found...)
		}
	}
	return out
}

// passesOn reports whether a location hands its requests to a content
// handler: its own, or a named location's that its try_files or
// error_page leads to.
func passesOn(s *nginx.Server, loc *nginx.Location) bool {
	if loc.Handler() != nil {
		return true
	}
	for _, d := range loc.NamedTargets() {
		if n := s.Named[d.Args[len(d.Args)-1].Value]; n != nil && n.Handler() != nil {
			return true
		}
	}
	return false
}

// proxiesAny reports whether some location of the server passes requests
// on.
func proxiesAny(s *nginx.Server) bool {
	for _, l := range s.All {
		if l.Handler() != nil {
			return true
		}
	}
	return false
}
