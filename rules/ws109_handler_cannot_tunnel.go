package rules

import (
	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
)

// HandlerCannotTunnel reports WebSocket locations whose requests are served
// by a handler that cannot tunnel: fastcgi_pass, grpc_pass, memcached_pass,
// or a `return` / another *_pass that overrides the location's proxy_pass.
var HandlerCannotTunnel = &lint.Rule{
	ID:       "WS109",
	Name:     "handler-cannot-tunnel",
	Lang:     lint.Nginx,
	Severity: lint.Error,
	Default:  true,
	Check:    checkHandlerCannotTunnel,
	Doc: lint.Doc{
		Summary: "WebSocket location served by a handler that cannot tunnel",
		Why: "nginx switches to a tunnel only in the proxy, uwsgi and scgi modules: fastcgi_pass, " +
			"grpc_pass and memcached_pass have no 101 handling, so the handshake gets a 502 or the " +
			"backend's error, never a WebSocket. With several content handlers in one location the " +
			"last *_pass wins and `return` answers before any of them, so a `proxy_pass` next to " +
			"them is never used (nginx -t accepts all of this).",
		Bad: "location /ws/ {\n    fastcgi_pass 127.0.0.1:9000;\n    include fastcgi_params;\n}\n",
		Good: "location /ws/ {\n    proxy_pass http://127.0.0.1:8000;\n    proxy_http_version 1.1;\n    proxy_read_timeout 1h;\n" +
			"    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection \"upgrade\";\n}\n",
		FixSafety: "No fix: the remedy is an HTTP (or uwsgi/scgi) listener on the backend, or deciding " +
			"which of two handlers the location should keep; wslint cannot know either.",
		References: []string{
			"https://nginx.org/en/docs/http/websocket.html",
			"https://nginx.org/en/docs/http/ngx_http_rewrite_module.html#return",
			"https://nginx.org/en/CHANGES (1.3.13, 1.3.14)",
		},
	},
}

func checkHandlerCannotTunnel(p *lint.Pass) (out []lint.Finding) {
	for _, loc := range p.WebSocketLocations() {
		// Only handlers written at location level serve every request; those in
		// `if`/`limit_except` are conditional (e.g. `if ($http_upgrade = "")`).
		// A location-level `return` runs after an `if` that matched too (the
		// rewrite directives run in turn), so it preempts their proxy_pass
		// as well (TestHandshakeVerdictsAsNginx).
		var ret, last, proxy, anyProxy *nginx.Directive
		for _, h := range loc.Handlers() {
			if h.Name == "proxy_pass" && anyProxy == nil {
				anyProxy = h
			}
			if h.Parent != loc.Block {
				continue
			}
			switch {
			case h.Name == "return":
				if ret == nil {
					ret = h
				}
			default:
				last = h
				if h.Name == "proxy_pass" {
					proxy = h
				}
			}
		}
		if proxy != nil {
			anyProxy = proxy // the location's own is the one to name
		}
		switch {
		case ret != nil && anyProxy != nil:
			f := p.Finding(ret.NameSpan(), "`%s` answers every request before `proxy_pass` runs: WebSocket handshakes never reach the upstream (%s)", ret.String(), wsWhy(loc))
			out = append(out, f.WithRelated(anyProxy.NameSpan(), "this proxy_pass is never used"))
		case ret != nil || last == nil:
			continue // no proxying intended here, or nothing serves it
		case proxy != nil && last != proxy:
			f := p.Finding(last.NameSpan(), "`%s` comes after `proxy_pass` and replaces it as the content handler (the last one wins)%s (%s)", last.Name, cannotTunnelWhy(last), wsWhy(loc))
			out = append(out, f.WithRelated(proxy.NameSpan(), "this proxy_pass is never used"))
		case cannotTunnelWhy(last) != "":
			if last.Name == "memcached_pass" && len(loc.NamedTargets()) > 0 {
				continue // the usual `error_page 404 = @fallback` pattern: a miss reaches the named location
			}
			out = append(out, p.Finding(last.NameSpan(), "`%s` serves this WebSocket location%s; use `proxy_pass` to an HTTP backend (%s)", last.Name, cannotTunnelWhy(last), wsWhy(loc)))
		}
	}
	return out
}

// cannotTunnelWhy explains why a handler cannot carry a WebSocket, or "" when it can.
func cannotTunnelWhy(h *nginx.Directive) string {
	switch nginx.HandlerModule(h) {
	case "fastcgi", "grpc", "memcached":
		return ", but nginx's " + nginx.HandlerModule(h) + " module cannot tunnel: it has no 101 handling, so handshakes fail"
	}
	return ""
}
