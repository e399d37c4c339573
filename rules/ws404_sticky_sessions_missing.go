package rules

import (
	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/nginx/spec"
	"github.com/wslint/wslint/lint/source"
	"sync"
)

// StickySessionsMissing reports Socket.IO/SockJS locations balanced over
// several upstream servers without session affinity.
var StickySessionsMissing = &lint.Rule{
	ID:       "WS404",
	Name:     "sticky-sessions-missing",
	Lang:     lint.Nginx,
	Severity: lint.Info,
	Default:  true,
	Check:    checkStickySessionsMissing,
	Window:   lint.WindowMerge, // every long-polling location the upstream balances
	Doc: lint.Doc{
		Summary: "Socket.IO/SockJS balanced over several servers without sticky sessions",
		Why: "Socket.IO and SockJS start (or fall back to) HTTP long-polling: a session is a series of " +
			"requests that must reach the server holding it. Round robin, `least_conn` or `random` " +
			"spread them over the servers, which do not know the session: Socket.IO answers 400 " +
			"`Session ID unknown`, clients reconnect in a loop, and the WebSocket upgrade of the " +
			"session fails the same way.",
		Bad: "upstream chat {\n    server 127.0.0.1:8000;\n    server 127.0.0.1:8001;\n}\n" +
			"server {\n    listen 80;\n    location /socket.io/ {\n        proxy_pass http://chat;\n" +
			"        proxy_http_version 1.1;\n        proxy_read_timeout 1h;\n        proxy_set_header Upgrade $http_upgrade;\n" +
			"        proxy_set_header Connection \"upgrade\";\n    }\n}\n",
		Good: "upstream chat {\n    hash $remote_addr consistent;\n    server 127.0.0.1:8000;\n    server 127.0.0.1:8001;\n}\n" +
			"server {\n    listen 80;\n    location /socket.io/ {\n        proxy_pass http://chat;\n" +
			"        proxy_http_version 1.1;\n        proxy_read_timeout 1h;\n        proxy_set_header Upgrade $http_upgrade;\n" +
			"        proxy_set_header Connection \"upgrade\";\n    }\n}\n",
		FixSafety: "Unsafe: `hash $remote_addr consistent` changes how every location using the upstream is " +
			"balanced (clients behind one NAT or proxy share a server). No fix when the upstream has " +
			"another balancing method or a `backup` server (hash does not support `backup`).",
		References: []string{
			"https://socket.io/docs/v4/using-multiple-nodes/",
			"https://socket.io/docs/v4/reverse-proxy/",
			"https://nginx.org/en/docs/http/ngx_http_upstream_module.html#hash",
		},
	},
}

// longPolling holds the endpoints of protocols with HTTP long-polling
// transports, matched like the WebSocket endpoint knowledge base (whole
// path segments; regex locations by their literal text).
var longPolling = sync.OnceValue(func() *spec.Endpoints {
	e, err := spec.NewEndpoints(
		spec.Endpoint{Match: "prefix", Path: "/socket.io/", What: "Socket.IO"},
		spec.Endpoint{Match: "prefix", Path: "/sockjs", What: "SockJS"})
	if err != nil {
		panic(err)
	}
	return e
})

func checkStickySessionsMissing(p *lint.Pass) (out []lint.Finding) {
	byUpstream := map[*nginx.Directive]int{}
	memo := map[[2]string]string{} // by modifier and path: large configurations repeat them
	for _, loc := range p.Nginx.Locations() {
		what := longPollingEndpoint(loc, memo)
		pp := proxiedBy(loc)
		if what == "" || pp == nil {
			continue
		}
		for _, t := range p.Nginx.ProxyTargets(loc, pp) {
			u := t.Upstream
			if u == nil || len(nginx.UpstreamServers(u)) < 2 {
				continue
			}
			b := nginx.UpstreamBalancer(u)
			if b != nil && b.Name != "least_conn" && b.Name != "random" && b.Name != "least_time" {
				continue // ip_hash, hash, sticky: sessions stay on one server
			}
			if i, ok := byUpstream[u]; ok {
				out[i] = out[i].WithRelated(pp.Span, "%s location `%s` is proxied here", what, loc.Path)
				continue
			}
			method := "round robin"
			if b != nil {
				method = "`" + b.Name + "`"
			}
			f := p.Finding(u.HeaderSpan(), "upstream `%s` balances %s location `%s` over %d servers by %s: long-polling requests of one session reach servers that do not know it; use `hash $remote_addr consistent`, `ip_hash` or sticky sessions",
				u.Arg(0), what, loc.Path, len(nginx.UpstreamServers(u)), method)
			f = f.WithRelated(pp.Span, "%s location `%s` is proxied here", what, loc.Path)
			if b == nil && !hasBackup(u) {
				if edit, ok := topOfBlock(u, "hash $remote_addr consistent;"); ok {
					f = f.WithFix(lint.Unsafe, "Pin each client to one server with `hash $remote_addr consistent`", edit)
				}
			}
			byUpstream[u] = len(out)
			out = append(out, f)
		}
	}
	return out
}

// longPollingEndpoint names the protocol whose endpoint the location's path
// is ("Socket.IO", "SockJS"), or "", memoized in memo.
func longPollingEndpoint(loc *nginx.Location, memo map[[2]string]string) string {
	if loc.IsNamed() {
		return ""
	}
	key := [2]string{loc.Modifier, loc.Path}
	if what, ok := memo[key]; ok {
		return what
	}
	path := loc.Path
	if loc.Modifier != "" {
		path = loc.Modifier + " " + path
	}
	what, _ := longPolling().Match(path)
	memo[key] = what
	return what
}

// topOfBlock inserts a line at the top of a block's body: before its first
// directive when that is written in the block's file (keeping a comment
// after the `{` in place), else right after the `{`.
func topOfBlock(block *nginx.Directive, line string) (source.TextEdit, bool) {
	if len(block.Body) > 0 && block.Body[0].File() == block.File() && !block.Body[0].Synthetic {
		return lint.InsertLinesBefore(block.Body[0], line), true
	}
	return lint.InsertLinesInBlock(block, line)
}

func hasBackup(u *nginx.Directive) bool {
	for _, s := range u.Find("server") {
		for _, a := range s.Args {
			if a.Value == "backup" {
				return true
			}
		}
	}
	return false
}
