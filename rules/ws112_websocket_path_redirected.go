package rules

import (
	"fmt"
	"strings"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
)

// WebSocketPathRedirected reports a WebSocket path that nginx answers with
// a 301 redirect to the same path with a final '/' (auto_redirect).
var WebSocketPathRedirected = &lint.Rule{
	ID:       "WS112",
	Name:     "websocket-path-redirected",
	Lang:     lint.Nginx,
	Severity: lint.Error,
	Default:  true,
	Check:    checkWebSocketPathRedirected,
	Doc: lint.Doc{
		Summary: "nginx answers the WebSocket path with a 301 to the path plus `/`",
		Why: "When a location's path ends in `/` and the location proxies (`proxy_pass`, or " +
			"`uwsgi_pass`, `scgi_pass`, ...), nginx answers a request for the path without the final " +
			"`/` with `301 Moved Permanently` to the path with it, unless a location is named " +
			"exactly that path; this comes before every regex location. A browser does not follow a " +
			"redirect in a WebSocket handshake: `new WebSocket(\"wss://example.com/ws\")` against " +
			"`location /ws/` fails with `Unexpected response code: 301`. The path comes from " +
			"`--ws-path` (or `websocket_paths`): the URL the clients open. The server's own `rewrite` lines " +
			"and the location's run first, and a path they change is followed (one that redirects the " +
			"request is WS115's case: the location is never used).",
		Bad: "# wslint-test: {\"ws_paths\": [\"/ws\"]}\n" +
			"location /ws/ {\n    proxy_pass http://127.0.0.1:8000;\n    proxy_http_version 1.1;\n    proxy_read_timeout 1h;\n" +
			"    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection \"upgrade\";\n    proxy_set_header Host $host;\n}\n",
		Good: "# wslint-test: {\"ws_paths\": [\"/ws\"]}\n" +
			"location /ws {\n    proxy_pass http://127.0.0.1:8000;\n    proxy_http_version 1.1;\n    proxy_read_timeout 1h;\n" +
			"    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection \"upgrade\";\n    proxy_set_header Host $host;\n}\n",
		FixSafety: "No fix: either the clients open the path with its final `/`, or the location " +
			"takes the path without it (`location /ws`, which also matches `/wsx`), or an exact " +
			"`location = /ws` with the same proxying is added; which one fits depends on the " +
			"application's URLs.",
		References: []string{
			"https://nginx.org/en/docs/http/ngx_http_core_module.html#location",
			"https://nginx.org/en/docs/http/websocket.html",
		},
	},
}

func checkWebSocketPathRedirected(p *lint.Pass) (out []lint.Finding) {
	for _, path := range p.Opts.WSPaths {
		if !strings.HasPrefix(path, "/") {
			continue
		}
		for _, s := range p.Nginx.Servers() {
			uri, via := pathOnly(path), ""
			var loc *nginx.Location
			switch rt := s.Route(uri); {
			case !rt.Known:
				loc = s.Redirect(uri) // the rewrites not followed: the path as written
			case rt.Redirect != nil:
				loc = rt.Redirect
				if rt.ChangedBy != nil {
					uri, via = rt.Path, fmt.Sprintf(" (`%s` makes it `%s`)", rt.ChangedBy.String(), rt.Path)
				}
			}
			if loc == nil {
				continue // no redirect; a return or a redirecting rewrite is WS115's
			}
			f := p.Finding(loc.Block.HeaderSpan(), "a WebSocket handshake to `%s`%s gets a 301 redirect to `%s/`: this location proxies and its path ends in `/`, so nginx redirects the path without it (no location is named `%s`); clients do not follow redirects in a handshake (`Unexpected response code: 301`)",
				path, via, uri, uri)
			if h := handlerOf(loc); h != nil {
				f = f.WithRelated(h.Span, "`%s` makes nginx redirect `%s`", h.String(), uri)
			}
			out = append(out, f)
		}
	}
	return out
}

// pathOnly is a WebSocket path without its query string.
func pathOnly(path string) string {
	p, _, _ := strings.Cut(path, "?")
	return p
}

// handlerOf is the *_pass written in the location block, if any.
func handlerOf(loc *nginx.Location) *nginx.Directive {
	for _, h := range loc.Handlers() {
		if h.Parent == loc.Block && h.Name != "return" {
			return h
		}
	}
	return nil
}
