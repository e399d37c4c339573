package rules

import (
	"strings"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
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
			"follow; the location belongs in the server that takes `wss://`. A server-level `rewrite` that " +
			"redirects every request (`rewrite ^(.*)$ https://$host$1 permanent;`, the older way to " +
			"write that redirect) does the same, and so does one that sends the location's requests to " +
			"another path (`rewrite ^/ws/(.*)$ /api/$1 last;`).",
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
		if loc.IsNamed() {
			continue
		}
		if loc.Unreachable() {
			ret := loc.Server.Block.FindOne("return")
			f := p.Finding(loc.Block.HeaderSpan(), "this WebSocket location is never used (%s): `%s` in its server answers every request first, handshakes included",
				wsWhy(loc), ret.String())
			out = append(out, f.WithRelated(ret.Span, "`%s` runs before nginx picks a location", ret.String()))
			continue
		}
		if by, to := rewrittenAway(loc.Location); by != nil {
			what := "redirects its requests first"
			switch {
			case by.Name == "return":
				what = "answers its requests first"
			case to != "":
				what = "sends its requests to " + to + " first"
			}
			f := p.Finding(loc.Block.HeaderSpan(), "this WebSocket location is never used (%s): `%s` in its server %s, handshakes included",
				wsWhy(loc), by.String(), what)
			out = append(out, f.WithRelated(by.Span, "`%s` runs before nginx picks a location", by.String()))
		}
	}
	return out
}

// rewrittenAway returns the server-level line that takes the requests of
// a prefix or exact location away before nginx looks one up: a `return`
// they reach (after rewrite lines that end the phase for other paths
// only), a rewrite that redirects them (to is ""), or one that changes
// their path to one another location serves, or none (to says which). It
// must do so for the location's path and, for a prefix, for a path below
// it.
func rewrittenAway(loc *nginx.Location) (by *nginx.Directive, to string) {
	if loc.IsRegex() || loc.IsNamed() || !strings.HasPrefix(loc.Path, "/") {
		return nil, ""
	}
	// The location's path, then (a prefix location) a path below it, made
	// only when the first is rewritten away: most locations stop there.
	for i := range 2 {
		path := loc.Path
		if i == 1 {
			if loc.IsExact() {
				break
			}
			path = strings.TrimSuffix(loc.Path, "/") + "/wslint-probe"
		}
		rw := loc.Server.Rewrite(path)
		if !rw.Known || rw.By == nil || by != nil && rw.By != by {
			return nil, ""
		}
		by = rw.By
		if rw.Answered {
			continue
		}
		if loc.Server.Redirect(rw.Path) == loc {
			return nil, "" // the 301 comes back to this location's path
		}
		other := loc.Server.Match(rw.Path)
		if other == loc {
			return nil, ""
		}
		if i == 0 {
			to = "`" + rw.Path + "`, which no location serves"
			if other != nil {
				to = "`" + rw.Path + "` (`" + strings.TrimSuffix(other.Block.HeaderSpan().Text(), " {") + "`)"
			}
		}
	}
	return by, to
}
