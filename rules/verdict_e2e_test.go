package rules

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/linttest/nginxe2e"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
)

// handshakeRules are the rules that say a WebSocket handshake through the
// location fails (for a strict backend such as coder/websocket).
var handshakeRules = map[string]bool{"WS101": true, "WS102": true, "WS103": true, "WS104": true, "WS108": true, "WS109": true, "WS112": true, "WS114": true, "WS115": true, "WS117": true}

// verdictLines are the directives the random configurations below draw
// from, at the server and the location level.
var verdictLines = []string{
	"proxy_set_header Upgrade $http_upgrade;", "proxy_set_header Upgrade websocket;", "proxy_set_header Upgrade \"\";",
	"proxy_set_header Connection $connection_upgrade;", "proxy_set_header Connection upgrade;", "proxy_set_header Connection \"\";",
	"proxy_set_header Connection $http_connection;", "proxy_set_header Connection keep-alive;",
	"proxy_set_header Host $host;", "proxy_set_header Host \"\";", "proxy_set_header X-Extra x;", "proxy_set_header Sec-WebSocket-Key \"\";",
	"proxy_http_version 1.1;", "proxy_http_version 1.0;", "proxy_pass_request_headers off;",
}

// upgradeMaps are bodies of the $connection_upgrade map: the recipe, its
// case-sensitive and regex variants, one that never upgrades.
var upgradeMaps = []string{
	"    default upgrade;\n    ''      close;\n",
	"    default close;\n    websocket upgrade;\n",
	"    default keep-alive;\n    ~*^websocket$ upgrade;\n",
	"    default close;\n    WebSocket upgrade;\n",
	"    default \"\";\n    websocket upgrade;\n",
	"    default close;\n",
}

func someLines(r *rand.Rand, indent string, used map[string]bool) string {
	var b strings.Builder
	for n := r.IntN(3); n > 0; n-- {
		l := verdictLines[r.IntN(len(verdictLines))]
		if strings.HasPrefix(l, "proxy_http_version") || strings.HasPrefix(l, "proxy_pass_request_headers") {
			key := strings.Fields(l)[0]
			if used[key] {
				continue // nginx refuses a second one in the block
			}
			used[key] = true
		}
		b.WriteString(indent + l + "\n")
	}
	return b.String()
}

// TestHandshakeVerdictsAsNginx: for random proxy_set_header lists, HTTP
// versions and header passing at the http, server, location and nested
// location levels (with a random $connection_upgrade map, an upstream block
// with keepalive or without, now and then a server-level `return` or
// `rewrite`),
// Chromium- and Firefox-style handshakes through real nginx to a strict
// coder/websocket backend fail exactly when wslint reports a handshake rule
// (WS101-WS104, WS108, WS109, WS112, WS114, WS115, WS117) for the location; and
// so after `wslint fix` (safe fixes, then unsafe ones), which so far has
// left every failing case that has a fix passing. (WS106, the client's
// Connection copied upstream, warns of what a client may send: the
// browsers' own handshakes pass.)
func TestHandshakeVerdictsAsNginx(t *testing.T) {
	nginxe2e.NginxBinary(t)
	r := rand.New(rand.NewPCG(14, soupSeed()))
	v, err := nginx.ParseVersion(nginxe2e.Version(t))
	if err != nil {
		t.Fatal(err)
	}
	opts := lint.DefaultOptions()
	opts.NginxVersion = v
	selected, err := Registry.Select(false, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	const cases = 60
	fails, fixedOK := 0, 0
	for i := range cases {
		// Three cases in four start from the recipe, at the server or the
		// location level, before the random lines (which may break it).
		srvUsed, locUsed := map[string]bool{}, map[string]bool{}
		var srvBase, locBase string
		recipe := "proxy_http_version 1.1;\n%[1]sproxy_set_header Upgrade $http_upgrade;\n%[1]sproxy_set_header Connection $connection_upgrade;\n"
		switch r.IntN(4) {
		case 0:
			srvBase, srvUsed["proxy_http_version"] = "    "+fmt.Sprintf(recipe, "    "), true
		case 1, 2:
			locBase, locUsed["proxy_http_version"] = "        "+fmt.Sprintf(recipe, "        "), true
		}
		// Some cases add http-level lines (the test's nginx.conf wraps the
		// text in http), and a nested location the handshake goes to.
		httpLines := ""
		if r.IntN(3) == 0 {
			httpLines = "http {\n" + someLines(r, "    ", map[string]bool{})
		}
		// The WebSocket location is /ws/, or /app/ws/ nested in a location
		// that answers itself (so that its lines serve the nested one only).
		outer, handler, nested, path := "/ws/", "proxy_pass http://127.0.0.1:8000;\n        proxy_read_timeout 1h;", "", "/ws/"
		switch r.IntN(6) {
		case 0: // a proxy_pass in an `if`, and a `return` after it (which runs all the same)
			handler = "proxy_read_timeout 1h;\n        if ($http_upgrade) {\n            proxy_pass http://127.0.0.1:8000;\n        }\n        return 404;"
		case 3: // only handshakes proxied: the others answered from an `if`
			handler = "proxy_read_timeout 1h;\n        if ($http_upgrade != \"websocket\") {\n            return 404;\n        }\n        proxy_pass http://127.0.0.1:8000;"
		case 1, 2:
			outer, handler, path = "/app/", "return 204;", "/app/ws/x"
			nested = "        location /app/ws/ {\n            proxy_pass http://127.0.0.1:8000;\n            proxy_read_timeout 1h;\n" +
				someLines(r, "            ", map[string]bool{}) + "        }\n"
		}
		conf := httpLines + "map $http_upgrade $connection_upgrade {\n" + upgradeMaps[r.IntN(len(upgradeMaps))] + "}\n\nserver {\n    listen 8080;\n" +
			srvBase + someLines(r, "    ", srvUsed) + "    location " + outer + " {\n        " + handler + "\n" +
			locBase + someLines(r, "        ", locUsed) + nested + "    }\n}\n"
		if r.IntN(8) == 0 { // a server that answers everything itself
			conf = strings.Replace(conf, "    listen 8080;\n", "    listen 8080;\n    return 403;\n", 1)
		}
		if r.IntN(6) == 0 { // server-level rewrites: a redirect of everything, an identity, a move away
			rw := serverRewriteShapes[r.IntN(len(serverRewriteShapes))]
			conf = strings.Replace(conf, "    listen 8080;\n", "    listen 8080;\n    "+rw+"\n", 1)
		}
		if r.IntN(3) == 0 { // an upstream block, with keepalive connections or without
			conf = strings.ReplaceAll(conf, "proxy_pass http://127.0.0.1:8000;", "proxy_pass http://backend;")
			conf += "upstream backend {\n    server 127.0.0.1:8000;\n" + []string{"", "    keepalive 4;\n"}[r.IntN(2)] + "}\n"
		}
		if httpLines != "" {
			conf += "}\n"
		}
		opts.WSPaths = []string{path}
		failed, said := verdicts(t, conf, path, selected, opts)
		if len(failed) > 0 {
			fails++
		}
		if (len(failed) > 0) != (len(said) > 0) {
			t.Errorf("case %d: handshakes failed: %q; wslint: %q\n%s", i, failed, said, conf)
			continue
		}
		if len(said) == 0 {
			continue
		}
		// `wslint fix` (safe fixes, then unsafe ones): when no handshake
		// finding is left, the handshakes must pass.
		fixed := conf
		for _, level := range []lint.Applicability{lint.Safe, lint.Unsafe} {
			res := lint.FixNginx(selected, []*source.File{source.NewFile("nginx.conf", []byte(fixed))}, nginx.LoadOptions{}, opts, level)
			for _, b := range res.Changed { // nginx.conf, the only file
				fixed = string(b)
			}
		}
		if fixed == conf {
			continue
		}
		failedAfter, saidAfter := verdicts(t, fixed, path, selected, opts)
		if (len(failedAfter) > 0) != (len(saidAfter) > 0) {
			t.Errorf("case %d: after `wslint fix`, handshakes failed: %q; wslint: %q\n--- before\n%s--- after\n%s", i, failedAfter, saidAfter, conf, fixed)
		}
		if len(saidAfter) == 0 {
			fixedOK++
		}
	}
	t.Logf("%d fixed configurations pass their handshakes", fixedOK)
	if fails == 0 || fails == cases {
		t.Errorf("%d of %d cases fail their handshakes: the cases do not tell the rules apart", fails, cases)
	}
	t.Logf("%d of %d cases fail their handshakes", fails, cases)
}

// about reports whether a finding at span concerns the location target: it
// is written in target's block or in a block target inherits from (an
// enclosing location, which answers itself in these cases, the server, http).
func about(cfg *nginx.Config, span source.Span, target *nginx.Location) bool {
	for _, l := range cfg.Locations() {
		if span.Start >= l.Block.Span.Start && span.Start < l.Block.Span.End {
			inherited := false
			for up := target; up != nil; up = up.Parent {
				inherited = inherited || up == l
			}
			if !inherited {
				return false
			}
		}
	}
	return true
}

// verdicts runs both browsers' handshakes to path through real nginx with
// conf, and lints conf: the failures, and the handshake rules' findings
// about the location the handshakes reach.
func verdicts(t *testing.T, conf, path string, selected []*lint.Rule, opts *lint.Options) (failed, said []string) {
	t.Helper()
	backend := nginxe2e.StartBackend(t)
	n, err := nginxe2e.StartNginx(t, conf, backend)
	if err != nil {
		t.Fatalf("%v\n%s", err, conf)
	}
	for _, b := range []nginxe2e.Browser{nginxe2e.Chromium, nginxe2e.Firefox} {
		res := nginxe2e.Handshake(n.Addr, path, b)
		if res.Status != 101 || !res.Echoed || res.Err != nil {
			failed = append(failed, fmt.Sprintf("%s: %d %v %.80q", b, res.Status, res.Err, res.Body))
		}
	}
	file := source.NewFile("nginx.conf", []byte(conf))
	res := lint.Run(selected, lint.Input{Files: []*source.File{file}}, opts)
	cfg := nginx.Load([]*source.File{file}, nginx.LoadOptions{})
	target := cfg.Servers()[0].Match(path)
	for _, f := range res.Findings {
		if handshakeRules[f.RuleID] && about(cfg, f.Span, target) {
			said = append(said, f.RuleID+" "+f.Message)
		}
	}
	return failed, said
}

// serverRewriteShapes are the server-level rewrites the verdict test draws:
// one that redirects every request (WS115), one that changes nothing, and
// one that moves the WebSocket paths to a path no location serves (WS115).
var serverRewriteShapes = []string{
	"rewrite ^(.*)$ https://example.test$1 permanent;",
	"rewrite ^/(.*)$ /$1 last;",
	"rewrite ^/(ws|app)/(.*)$ /gone/$1/$2 last;",
}
