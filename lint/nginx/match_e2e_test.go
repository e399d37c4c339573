package nginx_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/wslint/wslint/lint/linttest/nginxe2e"
	"github.com/wslint/wslint/lint/nginx"
)

// Location heads the random servers below draw from, at the server level
// and nested in a prefix location (nested heads are appended to their
// parent's path when they are prefixes).
var (
	topLocations    = []string{"/", "/a/", "/a", "/ab", "= /a/", "^~ /a/", "^~ /ws/", "~ ^/a/b", "~* \\.JS$", "~ /b", "/ws/", "= /ws", "/ws", "~ ^/ws/chat"}
	nestedLocations = []string{"b", "b/", "x", "~ \\.js$", "~ ^/a/b/c", "= b/c", "^~ c/"}
	matchPaths      = []string{"/", "/a", "/a/", "/ab", "/a/b", "/a/b/", "/a/b/c", "/a/bc", "/a/c/d.js", "/a/x.js", "/x.js", "/X.JS",
		"/b", "/ab/b", "/ws", "/ws/", "/ws/chat", "/ws/chat/x", "/wsx", "/a/x", "/A/b", "/a/c/", "/a/b/c.js"}
)

// TestMatchAsNginx: for random location trees (prefix, exact, ^~ and regex
// locations, one level of nesting, regexes in regexes) and request paths, Server.Match picks the
// location real nginx serves the request from (each location answers with
// its number).
func TestMatchAsNginx(t *testing.T) {
	nginxe2e.NginxBinary(t)
	r := testRand(10)
	const instances, servers = 6, 10
	ran := 0
	for range instances {
		var conf strings.Builder
		conf.WriteString("http {\n")
		id := 0
		for s := range servers {
			fmt.Fprintf(&conf, "    server {\n        listen 8080;\n        server_name m%d.test;\n", s)
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
			for _, path := range matchPaths {
				status, h, _, err := rawGET(addr, path, [2]string{"Host", host})
				loc := h.Get("X-Loc")
				if err != nil {
					t.Fatalf("%s%s: %v", host, path, err)
				}
				if red := srv.Redirect(path); (status == 301) != (red != nil) {
					t.Errorf("%s%s: nginx answers %d (location %q), Redirect gives %v\n%s", host, path, status, loc, red != nil, serverBlock(text, host))
					continue
				} else if red != nil {
					continue
				}
				got := ""
				if l := srv.Match(path); l != nil {
					got = locationID(l)
				}
				if got != loc {
					t.Errorf("%s%s: nginx answers %d from %q, Match picks %q\n%s", host, path, status, loc, got, serverBlock(text, host))
				}
			}
		}
	}
	if ran < instances/2 {
		t.Fatalf("nginx ran %d of %d instances: too few compared", ran, instances)
	}
}

// writeLocations writes one to five random locations of a server block
// (see TestMatchAsNginx), numbered from *id on.
func writeLocations(conf *strings.Builder, r *rand.Rand, id *int) {
	used := map[string]bool{}
	for n := 1 + r.IntN(5); n > 0; n-- {
		head := topLocations[r.IntN(len(topLocations))]
		if used[head] || used[strings.TrimLeft(head, "=^~* ")] && !strings.HasPrefix(head, "~") {
			continue // nginx refuses a duplicate location
		}
		used[head], used[strings.TrimLeft(head, "=^~* ")] = true, true
		fmt.Fprintf(conf, "        location %s {\n            %s\n", head, answer(r, *id))
		*id++
		if strings.HasPrefix(head, "~") && r.IntN(2) == 0 {
			// Only regexes may nest in a regex location.
			nh := []string{"~ \\.js$", "~ /c", "~* B$"}[r.IntN(3)]
			fmt.Fprintf(conf, "            location %s {\n                %s\n            }\n", nh, answer(r, *id))
			*id++
		}
		if !strings.HasPrefix(head, "~") && !strings.HasPrefix(head, "=") && r.IntN(2) == 0 {
			parent := strings.TrimLeft(head, "^~ ")
			inner := map[string]bool{}
			for k := 1 + r.IntN(3); k > 0; k-- {
				nh := nestedLocations[r.IntN(len(nestedLocations))]
				if !strings.HasPrefix(nh, "~") {
					mod, p, ok := strings.Cut(nh, " ")
					if !ok {
						mod, p = "", nh
					}
					nh = strings.TrimSpace(mod + " " + parent + p)
				}
				if inner[strings.TrimLeft(nh, "=^~* ")] || used[nh] {
					continue
				}
				inner[strings.TrimLeft(nh, "=^~* ")] = true
				fmt.Fprintf(conf, "            location %s {\n                %s\n            }\n", nh, answer(r, *id))
				*id++
			}
		}
		conf.WriteString("        }\n")
	}
}

// answer is a location's body: it names the location in a header, and
// answers itself or proxies (to a closed port: 502), which makes nginx
// redirect the location's path without its final '/' (auto_redirect).
func answer(r *rand.Rand, id int) string {
	body := "return 200;"
	switch r.IntN(6) {
	case 0, 1:
		body = "proxy_pass http://127.0.0.1:1;"
	case 2:
		body = "uwsgi_pass 127.0.0.1:1;"
	case 3:
		body = "if ($uri) { proxy_pass http://127.0.0.1:1; }" // no auto_redirect from an if
	}
	return fmt.Sprintf("add_header X-Loc L%d always;\n            %s", id, body)
}

func locationID(l *nginx.Location) string {
	for _, d := range l.Block.Children() {
		if d.Name == "add_header" && d.Parent == l.Block && d.Arg(0) == "X-Loc" {
			return d.Arg(1)
		}
	}
	return ""
}

// serverBlock is host's server block of conf.
func serverBlock(conf, host string) string {
	i := strings.Index(conf, "server_name "+host+";")
	start := strings.LastIndex(conf[:i], "    server {")
	end := strings.Index(conf[i:], "\n    }\n") + i + 7
	return conf[start:end]
}
