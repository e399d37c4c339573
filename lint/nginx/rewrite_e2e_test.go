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

// locationRewrites are the location-level lines TestRewriteAsNginx puts
// in some locations: a rewrite that starts the lookup again (last, or no
// flag), one that keeps the location (break, the flag or the directive),
// a redirect, an identity that loops (nginx answers 500 after ten lookups),
// and a return.
var locationRewrites = []string{
	"rewrite ^/ws$ /a/b last;",
	"rewrite ^/a/(.*)$ /ws/$1;",
	"rewrite ^/ws/(.*)$ /x/$1 break;",
	"rewrite ^/b /ab;",
	"rewrite ^/x\\.js$ /a/ redirect;",
	"rewrite ^/A/b$ /A/b last;",
	"break;",
	"return 204;",
}

var rewritePaths = append([]string{"/old/b", "/old/ws/", "/A/x.js", "/ab/c", "/a/c/x"}, matchPaths...)

// TestRewriteAsNginx: for random server-level rewrite lines over random
// location trees, some of whose locations have rewrite lines of their own,
// Server.Route says which requests nginx answers in the server's rewrite
// phase (a redirect or a return), which it redirects (auto_redirect), and
// which location serves (or answers) the others.
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
		for k := range id { // location-level rewrite lines in one location in three
			if r.IntN(3) == 0 {
				tag := fmt.Sprintf("add_header X-Loc L%d always;", k)
				line := locationRewrites[r.IntN(len(locationRewrites))]
				text = strings.Replace(text, tag, line+"\n            "+tag, 1)
			}
		}
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
// with Route: answered in the server's rewrite lines, redirected by
// auto_redirect, or served (or answered) by a location, or by none.
func checkRewrite(t *testing.T, addr, text string, srv *nginx.Server, host, path string) route {
	t.Helper()
	status, h, _, err := rawGET(addr, path, [2]string{"Host", host})
	if err != nil {
		t.Fatalf("%s%s: %v", host, path, err)
	}
	loc := h.Get("X-Loc")
	rt := srv.Route(path)
	got := ""
	if rt.Location != nil {
		got = locationID(rt.Location)
	}
	switch {
	case !rt.Known:
		return routeUnknown
	case rt.AnsweredBy != nil && rt.Location == nil:
		if loc != "" {
			t.Errorf("%s%s: nginx answers %d from %q; Route says %q answers first\n%s", host, path, status, loc, rt.AnsweredBy.String(), serverBlock(text, host))
		}
		return routeAnswered
	case (status == 301) != (rt.Redirect != nil):
		t.Errorf("%s%s: nginx answers %d (location %q); Route gives %q, redirect %v\n%s", host, path, status, loc, rt.Path, rt.Redirect != nil, serverBlock(text, host))
	case rt.Redirect == nil && got != loc:
		t.Errorf("%s%s: nginx answers %d from %q; Route gives %q from %q\n%s", host, path, status, loc, rt.Path, got, serverBlock(text, host))
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
		// "L:" lines go in `location /ws/`:
		{"L:rewrite ^/ws/chat$ /a/b;"},                                 // no flag: the lookup starts again
		{"L:rewrite ^/ws/chat$ /a/b break;"},                           // break: the location stays
		{"L:rewrite ^/ws/chat$ /a/b;", "L:break;"},                     // so does the break directive
		{"L:rewrite ^/ws/chat$ /ws/chat;"},                             // an identity loops: 500 (not modelled)
		{"rewrite ^/ws$ /ws/chat last;", "L:rewrite ^/ws/chat$ /a/b;"}, // the server's lines, then the location's
	}
	var conf strings.Builder
	conf.WriteString("http {\n")
	for i, lines := range cases {
		fmt.Fprintf(&conf, "    server {\n        listen 8080;\n        server_name c%d.test;\n", i)
		inLoc := ""
		for _, l := range lines {
			if l, ok := strings.CutPrefix(l, "L:"); ok {
				inLoc += "            " + l + "\n"
				continue
			}
			fmt.Fprintf(&conf, "        %s\n", l)
		}
		for j, head := range []string{"/", "/a/b", "/ws/", "/ws/chat/"} {
			own := ""
			if head == "/ws/" {
				own = inLoc
			}
			fmt.Fprintf(&conf, "        location %s {\n%s            add_header X-Loc C%d always;\n            return 200;\n        }\n", head, own, j)
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
			loops := strings.Contains(cases[i][0], "/ws/chat$ /ws/chat;")
			if checkRewrite(t, addr, text, serverNamed(cfg, host), host, path) == routeUnknown && !loops {
				t.Errorf("%s%s: Route does not know", host, path)
			}
		}
	}
}
