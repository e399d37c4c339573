package nginx_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wslint/wslint/lint/linttest/nginxe2e"
	"github.com/wslint/wslint/lint/nginx"
)

// serverRewrites are the server-level lines TestRewriteAsNginx draws from:
// internal rewrites with and without a flag (and so applied one after
// another), captures, arguments, redirects by flag and by replacement,
// `break`, `return`, and `if` blocks (one that only answers, one that
// rewrites: Rewrite says it does not know that one, and a PCRE look-ahead
// Go does not compile).
var serverRewrites = []string{
	"rewrite ^/old/(.*)$ /a/$1 last;",
	"rewrite ^/ws$ /ws/ last;",
	"rewrite ^/ws$ /ws/chat break;",
	"rewrite ^/ws/chat$ /a/b last;",
	"rewrite ^/A/(.*) /a/$1;",
	"rewrite ^/a/(x)\\.js$ /$1.js;",
	"rewrite ^/b$ /ab?x=1 last;",
	"rewrite ^/x\\.js /ws/chat/x;",
	"rewrite ^/wsx https://example.test/wsx;",
	"rewrite ^/a/c/ /ws/ redirect;",
	"rewrite ^/ab/(.*) /a/$1 permanent;",
	"rewrite ^(/a/b.*)$ $1/;",
	"rewrite ^/(?!ws) /a/ last;",
	"break;",
	"return 204;",
	"if ($request_method = POST) { return 405; }",
	"if ($http_x_none) { rewrite ^ /b last; }",
	"set $v 1;",
}

var rewritePaths = append([]string{"/old/b", "/old/ws/", "/A/x.js", "/ab/c", "/a/c/x"}, matchPaths...)

// TestRewriteAsNginx: for random server-level rewrite lines over random
// location trees, Server.Rewrite says which requests nginx answers in the
// server's rewrite phase (a redirect or a return) and which path it looks
// the location up with, where Server.Redirect and Server.Match name what
// nginx answers from.
func TestRewriteAsNginx(t *testing.T) {
	nginxe2e.NginxBinary(t)
	r := testRand(11)
	const instances, servers = 6, 10
	ran, compared, answered, unknown := 0, 0, 0, 0
	for range instances {
		var conf strings.Builder
		conf.WriteString("http {\n")
		id := 0
		for s := range servers {
			fmt.Fprintf(&conf, "    server {\n        listen 8080;\n        server_name m%d.test;\n", s)
			for n := 1 + r.IntN(3); n > 0; n-- {
				fmt.Fprintf(&conf, "        %s\n", serverRewrites[r.IntN(len(serverRewrites))])
			}
			writeLocations(&conf, r, &id)
			conf.WriteString("    }\n")
		}
		conf.WriteString("}\n")
		text := conf.String()
		addr, cfg, ok := startLoaded(t, text)
		if !ok {
			continue
		}
		ran++
		for s := range servers {
			host := fmt.Sprintf("m%d.test", s)
			srv := serverNamed(cfg, host)
			for _, path := range rewritePaths {
				switch checkRewrite(t, addr, text, srv, host, path) {
				case routeAnswered:
					answered++
					compared++
				case routeLocation:
					compared++
				case routeUnknown:
					unknown++
				}
			}
		}
	}
	t.Logf("%d of %d instances ran: %d requests compared (%d answered in the rewrite phase), %d not modelled", ran, instances, compared, answered, unknown)
	if ran < instances/2 || answered == 0 || compared < 2*unknown {
		t.Fatalf("nginx ran %d of %d instances, %d requests compared, %d answered, %d not modelled: too few compared", ran, instances, compared, answered, unknown)
	}
}

type route int

const (
	routeUnknown  route = iota // Rewrite does not know
	routeAnswered              // answered in the server's rewrite phase
	routeLocation              // served by a location, or redirected by auto_redirect
)

// checkRewrite asks nginx at addr for path on host and compares its answer
// with Rewrite, then Redirect and Match on the rewritten path.
func checkRewrite(t *testing.T, addr, text string, srv *nginx.Server, host, path string) route {
	t.Helper()
	status, h, _, err := rawGET(addr, path, [2]string{"Host", host})
	if err != nil {
		t.Fatalf("%s%s: %v", host, path, err)
	}
	loc := h.Get("X-Loc")
	rw := srv.Rewrite(path)
	switch {
	case !rw.Known:
		return routeUnknown
	case rw.Answered:
		if loc != "" {
			t.Errorf("%s%s: nginx answers %d from %q; Rewrite says %q answers first\n%s", host, path, status, loc, rw.By.String(), serverBlock(text, host))
		}
		return routeAnswered
	}
	if red := srv.Redirect(rw.Path); (status == 301) != (red != nil) || red == nil && loc == "" && status != 404 {
		t.Errorf("%s%s: nginx answers %d (location %q); Rewrite gives %q, Redirect %v\n%s", host, path, status, loc, rw.Path, red != nil, serverBlock(text, host))
	} else if red == nil {
		got := ""
		if l := srv.Match(rw.Path); l != nil {
			got = locationID(l)
		}
		if got != loc {
			t.Errorf("%s%s: nginx answers %d from %q; Rewrite gives %q, Match picks %q\n%s", host, path, status, loc, rw.Path, got, serverBlock(text, host))
		}
	}
	return routeLocation
}

// TestRewriteCasesAsNginx: named orderings of rewrite lines the random
// draw rarely puts together, checked as TestRewriteAsNginx checks its own.
func TestRewriteCasesAsNginx(t *testing.T) {
	nginxe2e.NginxBinary(t)
	cases := [][]string{
		{"rewrite ^/ws$ /ws/chat break;", "rewrite ^/ws/chat$ /a/b last;"},      // break ends the server's lines
		{"rewrite ^/ws$ /ws/chat last;", "rewrite ^/ws/chat$ /a/b last;"},       // so does last
		{"rewrite ^/ws$ /ws/chat;", "rewrite ^/ws/chat$ /a/b last;"},            // no flag: the next line sees /ws/chat
		{"break;", "rewrite ^ /a/b last;", "return 204;"},                       // break: nothing after it runs
		{"rewrite ^/ws$ /ws/chat;", "return 204;"},                              // return after a rewrite
		{"rewrite ^/(ws)/(chat)$ /$2/$1/x;", "rewrite ^/chat/ws/x$ /a/b last;"}, // captures in order
		{"rewrite ^/a(/x)?$ /a/b$1 last;"},                                      // a capture that did not take part is empty
		{"rewrite ^/ws$ $scheme://example.test/ws;", "return 204;"},             // $scheme: a redirect
	}
	var conf strings.Builder
	conf.WriteString("http {\n")
	for i, lines := range cases {
		fmt.Fprintf(&conf, "    server {\n        listen 8080;\n        server_name c%d.test;\n", i)
		for _, l := range lines {
			fmt.Fprintf(&conf, "        %s\n", l)
		}
		for j, head := range []string{"/", "/a/b", "/ws/", "/ws/chat"} {
			fmt.Fprintf(&conf, "        location %s {\n            add_header X-Loc C%d always;\n            return 200;\n        }\n", head, j)
		}
		conf.WriteString("    }\n")
	}
	conf.WriteString("}\n")
	text := conf.String()
	addr, cfg, ok := startLoaded(t, text)
	if !ok {
		t.Fatal("nginx refuses the cases")
	}
	for i := range cases {
		host := fmt.Sprintf("c%d.test", i)
		for _, path := range []string{"/ws", "/ws/chat", "/a", "/a/x", "/b"} {
			if checkRewrite(t, addr, text, serverNamed(cfg, host), host, path) == routeUnknown {
				t.Errorf("%s%s: Rewrite does not know", host, path)
			}
		}
	}
}
