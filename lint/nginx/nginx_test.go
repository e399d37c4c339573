package nginx

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wslint/wslint/lint/source"
)

func load(t *testing.T, text string) *Config {
	t.Helper()
	c := Load([]*source.File{source.NewFile("nginx.conf", []byte(text))}, LoadOptions{})
	c.CrossCheck()
	return c
}

func noProblems(t *testing.T, c *Config) {
	t.Helper()
	c.CrossCheck()
	for _, p := range c.Problems {
		t.Errorf("unexpected problem at %s: %s", p.Span, p.Message)
	}
}

func TestSpansAreExact(t *testing.T) {
	text := "http {\n  server {\n    location /ws/ {\n      proxy_set_header Connection \"upgrade\"; # c\n    }\n  }\n}\n"
	c := load(t, text)
	noProblems(t, c)
	l := c.Locations()[0]
	if got := l.Block.HeaderSpan().Text(); got != "location /ws/ {" {
		t.Errorf("header span %q", got)
	}
	d := l.Block.Find("proxy_set_header")[0]
	if got := d.Span.Text(); got != `proxy_set_header Connection "upgrade";` {
		t.Errorf("directive span %q", got)
	}
	if d.Args[1].Value != "upgrade" || d.Args[1].Raw != `"upgrade"` || !d.Args[1].Quoted() {
		t.Errorf("arg %+v", d.Args[1])
	}
	if line, col, _, endCol := d.Args[1].Span.Range(); line != 4 || col != 35 || endCol != 44 {
		t.Errorf("arg range %d:%d-%d", line, col, endCol)
	}
	if len(c.Comments[c.Files[0]]) != 1 {
		t.Errorf("comments %v", c.Comments)
	}
}

func TestSyntaxErrors(t *testing.T) {
	cases := []struct{ text, msg, at string }{
		{"server {\n  listen 80\n}\n", `missing its ";"`, "3:1"},
		{"server {\n  listen 80;\n", "unexpected end of file", "2:13"},
		{"server { }\n}\n", `unexpected "}"`, "2:1"},
		{"add_header X 'a;\n", "unterminated", "1:14"},
		{"add_header X \"a\"b;\n", "after a quoted string", "1:17"},
		{"; \n", `unexpected ";"`, "1:1"},
	}
	for _, c := range cases {
		cfg := load(t, c.text)
		if len(cfg.Problems) != 1 || cfg.Problems[0].Kind != ProblemSyntax {
			t.Errorf("%q: problems %+v", c.text, cfg.Problems)
			continue
		}
		p := cfg.Problems[0]
		l, col, _, _ := p.Span.Range()
		if !strings.Contains(p.Message, c.msg) || c.at != fmt.Sprintf("%d:%d", l, col) {
			t.Errorf("%q: %d:%d %q; want %s %q", c.text, l, col, p.Message, c.at, c.msg)
		}
	}
}

func TestDeepNestingIsAnErrorNotACrash(t *testing.T) {
	text := strings.Repeat("a {", 100000) + strings.Repeat("}", 100000)
	c := load(t, text)
	if len(c.Problems) == 0 || !strings.Contains(c.Problems[0].Message, "nested deeper") {
		t.Fatalf("problems %+v", c.Problems)
	}
}

func TestLocationMatching(t *testing.T) {
	c := load(t, `server {
    location / { }
    location /ws/ { location /ws/admin/ { } location ~ \.php$ { } }
    location = /ws/exact { }
    location ^~ /static/ { }
    location ~* \.(png|jpg)$ { }
    location ~ ^/api/v[0-9]+/ws$ { }
    location @named { }
}`)
	noProblems(t, c)
	s := c.Servers()[0]
	cases := map[string]string{
		"/":              "/",
		"/ws/chat":       "/ws/",
		"/ws/admin/x":    "/ws/admin/",
		"/ws/a.php":      `\.php$`,
		"/ws/exact":      "/ws/exact",
		"/ws/exactly":    "/ws/",
		"/static/a.png":  "/static/",
		"/img/a.PNG":     `\.(png|jpg)$`,
		"/api/v2/ws":     `^/api/v[0-9]+/ws$`,
		"/other":         "/",
		"/ws/admin/a.js": "/ws/admin/",
	}
	for path, want := range cases {
		l := s.Match(path)
		if l == nil || l.Path != want {
			got := "<nil>"
			if l != nil {
				got = l.Path
			}
			t.Errorf("Match(%q) = %s, want %s", path, got, want)
		}
	}
}

func TestListInheritance(t *testing.T) {
	c := load(t, `http {
    proxy_set_header X-Http 1;
    server {
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection "upgrade";
        proxy_read_timeout 1h;
        location /a/ { proxy_pass http://x; }
        location /b/ { proxy_pass http://x; proxy_set_header Host $host; proxy_read_timeout 5s; }
        location /c/ {
            proxy_set_header X-C 1;
            location /c/d/ { proxy_pass http://x; }
        }
        location /e/ { if ($arg_x) { proxy_pass http://x; } }
        location @named { proxy_pass http://x; }
        location /f/ { try_files $uri @named; proxy_set_header X-F 1; }
    }
}`)
	noProblems(t, c)
	byPath := map[string]*Location{}
	for _, l := range c.Locations() {
		byPath[l.Path] = l
	}
	names := func(l *Location) string {
		list, _ := l.EffectiveList("proxy_set_header")
		var out []string
		for _, d := range list {
			out = append(out, d.Arg(0))
		}
		return strings.Join(out, ",")
	}
	want := map[string]string{"/a/": "Upgrade,Connection", "/b/": "Host", "/c/d/": "X-C", "/e/": "Upgrade,Connection", "@named": "Upgrade,Connection"}
	for p, w := range want {
		if got := names(byPath[p]); got != w {
			t.Errorf("%s: effective list %s, want %s", p, got, w)
		}
	}
	if d := byPath["/b/"].Effective("proxy_read_timeout"); d == nil || d.Arg(0) != "5s" {
		t.Errorf("/b/ read timeout %v", d)
	}
	if d := byPath["/a/"].Effective("proxy_read_timeout"); d == nil || d.Arg(0) != "1h" {
		t.Errorf("/a/ read timeout %v", d)
	}
	if byPath["/b/"].EnclosingUpgrade(c) == nil || byPath["/a/"].EnclosingUpgrade(c) != nil || byPath["@named"].EnclosingUpgrade(c) != nil {
		t.Error("EnclosingUpgrade")
	}
	if byPath["/e/"].ProxyPass() == nil {
		t.Error("proxy_pass inside if not found")
	}
}

func TestMapEvaluation(t *testing.T) {
	c := load(t, `http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    map $http_connection $wrong { upgrade upgrade; }
    map $http_upgrade $secure { ~*^websocket$ websocket; default ""; }
    map $http_upgrade $chained { default $connection_upgrade; }
}`)
	noProblems(t, c)
	type tc struct {
		expr string
		req  Request
		want string
	}
	for _, x := range []tc{
		{"$connection_upgrade", ChromiumHandshake, "upgrade"},
		{"$connection_upgrade", PlainRequest, "close"},
		{"$wrong", ChromiumHandshake, "upgrade"},
		{"$wrong", FirefoxHandshake, ""},
		{"$secure", FirefoxHandshake, "websocket"},
		{"$chained", ChromiumHandshake, "upgrade"},
		{"$http_upgrade", PlainRequest, ""},
		{"x-$http_upgrade", ChromiumHandshake, "x-websocket"},
	} {
		v := c.Eval(x.expr, x.req)
		if v.Unknown || v.Text != x.want {
			t.Errorf("Eval(%s, %s) = %+v, want %q", x.expr, x.req.Name, v, x.want)
		}
	}
	if v := c.Eval("$remote_addr", PlainRequest); !v.Unknown {
		t.Errorf("$remote_addr should be unknown: %+v", v)
	}
	if v := c.Eval("$host", PlainRequest); v.Text != "example.com" {
		t.Errorf("$host is the request's Host: %+v", v)
	}
}

func TestSimulate(t *testing.T) {
	c := load(t, `http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    server {
        location /plain/ { proxy_pass http://x; }
        location /ws/ {
            proxy_pass http://x;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }
    }
}`)
	ls := c.Locations()
	old := ls[0].Simulate(c, ChromiumHandshake, DefaultVersion)
	if old.Version != "1.0" {
		t.Errorf("default version before 1.29.7: %s", old.Version)
	}
	if yes, _ := old.Has("Upgrade"); yes {
		t.Error("Upgrade passed through by default")
	}
	if yes, _ := old.HasToken("Connection", "close"); !yes {
		t.Error("default Connection: close missing before 1.29.7")
	}
	if yes, _ := old.Has("Sec-WebSocket-Key"); !yes {
		t.Error("Sec-WebSocket-Key not passed through")
	}
	newer := ls[0].Simulate(c, ChromiumHandshake, Version{1, 30, 0})
	if newer.Version != "1.1" {
		t.Errorf("default version 1.30: %s", newer.Version)
	}
	if yes, _ := newer.Has("Connection"); yes {
		t.Error("no Connection header by default since 1.29.7")
	}
	ws := ls[1].Simulate(c, FirefoxHandshake, DefaultVersion)
	if yes, _ := ws.HasToken("Connection", "upgrade"); !yes {
		t.Error("Connection: upgrade missing")
	}
	if yes, _ := ws.Has("Upgrade"); !yes {
		t.Error("Upgrade missing")
	}
	plain := ls[1].Simulate(c, PlainRequest, DefaultVersion)
	if yes, _ := plain.Has("Upgrade"); yes {
		t.Error("empty $http_upgrade must not be sent")
	}
}

// Locations that inherit the same headers share a plan and its memo of
// simulations; a location that differs in anything simulate reads (its
// own headers, proxy_http_version, proxy_pass_request_headers) gets its own
// plan, and its simulation shows the difference.
func TestSimulationPlansShared(t *testing.T) {
	c := load(t, `http {
    server {
        proxy_set_header X-A a;
        location /1/ { proxy_pass http://x; }
        location /2/ { proxy_pass http://x; }
        location /3/ { proxy_pass http://x; proxy_set_header X-B b; }
        location /4/ { proxy_pass http://x; proxy_http_version 1.1; }
        location /5/ { proxy_pass http://x; proxy_pass_request_headers off; }
        location /6/ { proxy_pass http://x; }
    }
}`)
	c.Freeze()
	ls := c.Locations()
	if ls[0].headerPlan() != ls[1].headerPlan() || ls[0].headerPlan() != ls[5].headerPlan() {
		t.Error("locations that inherit the server's headers do not share a plan")
	}
	for i := 2; i < 5; i++ {
		if ls[i].headerPlan() == ls[0].headerPlan() {
			t.Errorf("location %s shares the inheriting locations' plan", ls[i].Path)
		}
	}
	sim := func(i int) *Upstream {
		u := ls[i].Simulate(c, ChromiumHandshake, DefaultVersion)
		return &u
	}
	if a, _ := sim(0).Has("X-A"); !a {
		t.Error("/1/ does not send X-A")
	}
	if a, _ := sim(2).Has("X-A"); a {
		t.Error("/3/ sends the server's X-A past its own proxy_set_header")
	}
	if b, _ := sim(2).Has("X-B"); !b {
		t.Error("/3/ does not send X-B")
	}
	if v := sim(3).Version; v != "1.1" {
		t.Errorf("/4/ sends HTTP/%s", v)
	}
	if v := sim(0).Version; v != "1.0" {
		t.Errorf("/1/ sends HTTP/%s after /4/", v)
	}
	if k, _ := sim(4).Has("Sec-WebSocket-Key"); k {
		t.Error("/5/ passes the client's headers")
	}
	if k, _ := sim(5).Has("Sec-WebSocket-Key"); !k {
		t.Error("/6/ does not pass the client's headers after /5/")
	}
}

// An empty Host line sends no Host before 1.31.4; from 1.31.4 nginx adds
// its own to HTTP/1.1 requests (nginx-semantics.md section 2, verified on
// 1.22.1 and 1.31.5), not to HTTP/1.0 ones.
func TestSimulateEmptyHost(t *testing.T) {
	c := load(t, `http {
    server {
        location /a/ { proxy_pass http://x; proxy_http_version 1.1; proxy_set_header Host ""; }
        location /b/ { proxy_pass http://x; proxy_http_version 1.0; proxy_set_header Host ""; }
        location /c/ { proxy_pass http://x; proxy_http_version 1.1; proxy_set_header Host $http_x_none; }
    }
}`)
	ls := c.Locations()
	for _, tc := range []struct {
		loc  int
		v    Version
		want bool
	}{
		{0, DefaultVersion, false}, {0, Version{1, 31, 3}, false}, {0, V1_31_4, true}, {1, V1_31_4, false},
		{2, DefaultVersion, false}, {2, V1_31_4, true},
	} {
		up := ls[tc.loc].Simulate(c, ChromiumHandshake, tc.v)
		if got := len(up.Header("Host")) > 0; got != tc.want {
			t.Errorf("%s at %s: Host sent %v, want %v", ls[tc.loc].Path, tc.v, got, tc.want)
		}
	}
}

func TestIncludes(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// relative to the main config's directory, not the including file's
	write("nginx.conf", "events {}\nhttp {\n    include conf.d/*.conf;\n    include none/*.conf;\n}\n")
	write("conf.d/10-z.conf", "server { listen 3; }\n")
	write("conf.d/02-a.conf", "server { listen 1; include sub/b.conf; }\n")
	write("conf.d/1-m.conf", "server { listen 2; }\n")
	write("conf.d/.hidden.conf", "server { listen 9; }\n")
	write("sub/b.conf", "location /b/ { proxy_pass http://x; }\n")
	write("conf.d/sub/b.conf", "location /wrong/ { }\n")
	main := filepath.Join(dir, "nginx.conf")
	data, _ := os.ReadFile(main)
	c := Load([]*source.File{source.NewFile(main, data)}, LoadOptions{})
	noProblems(t, c)
	var listens []string
	for _, s := range c.Servers() {
		listens = append(listens, s.Block.FindOne("listen").Arg(0))
	}
	if got := strings.Join(listens, ","); got != "1,2,3" {
		t.Errorf("servers in order %s, want 1,2,3 (bytewise sorted, no dot files)", got)
	}
	if l := c.Locations(); len(l) != 1 || l[0].Path != "/b/" || l[0].Block.Via == nil {
		t.Errorf("included location: %+v", l)
	}
	// missing file and cycle
	write("cyc.conf", "http { include cyc.conf; include missing.conf; }\n")
	cp := filepath.Join(dir, "cyc.conf")
	data, _ = os.ReadFile(cp)
	c = Load([]*source.File{source.NewFile(cp, data)}, LoadOptions{})
	kinds := map[ProblemKind]int{}
	for _, p := range c.Problems {
		kinds[p.Kind]++
	}
	if kinds[ProblemIncludeCycle] != 1 || kinds[ProblemIncludeMissing] != 1 {
		t.Errorf("problems %+v", c.Problems)
	}
}

func TestSnippetContexts(t *testing.T) {
	loc := source.NewFile("sites-enabled/app", []byte("location /ws/ { proxy_pass http://x; }\n"))
	srv := source.NewFile("conf.d/app.conf", []byte("server { listen 80; }\n"))
	maps := source.NewFile("conf.d/maps.conf", []byte("map $http_upgrade $connection_upgrade { default upgrade; }\n"))
	c := Load([]*source.File{loc, srv, maps}, LoadOptions{})
	noProblems(t, c)
	if c.Context[loc] != CtxServer || c.Context[srv] != CtxHTTP || c.Context[maps] != CtxHTTP {
		t.Errorf("contexts %v", c.Context)
	}
	if len(c.Servers()) != 2 || len(c.Locations()) != 1 || c.Map("connection_upgrade") == nil {
		t.Errorf("servers %d locations %d", len(c.Servers()), len(c.Locations()))
	}
}

func TestWebSocketEvidence(t *testing.T) {
	c := load(t, `server {
    location / { proxy_pass http://x; }
    location /api/ { proxy_pass http://x; }
    location /socket.io/ { proxy_pass http://x; }
    location /live { # wslint: websocket
        proxy_pass http://x;
    }
    location /h/ { proxy_pass http://x; proxy_set_header Upgrade $http_upgrade; }
}`)
	endpoint := func(p string) (string, bool) { return "Socket.IO", p == "/socket.io/" }
	got := map[string]Evidence{}
	for _, w := range c.WebSocketLocations(WSOptions{Paths: []string{"/api/chat"}, Endpoint: endpoint}) {
		got[w.Path] = w.Evidence
	}
	want := map[string]Evidence{"/api/": EvidencePath, "/socket.io/": EvidenceEndpoint, "/live": EvidenceAnnotation, "/h/": EvidenceOwnHeaders}
	if len(got) != len(want) {
		t.Errorf("evidence %v, want %v", got, want)
	}
	for p, e := range want {
		if got[p] != e {
			t.Errorf("%s: evidence %d, want %d", p, got[p], e)
		}
	}
}

func TestVersion(t *testing.T) {
	v, err := ParseVersion("nginx/1.29.7")
	if err != nil || v != V1_29_7 || !v.AtLeast(V1_29_7) || v.Less(V1_25_1) {
		t.Errorf("%v %v", v, err)
	}
	for _, bad := range []string{"", "1", "1.x", "1.2.3.4", "-1.2"} {
		if _, err := ParseVersion(bad); err == nil {
			t.Errorf("ParseVersion(%q) accepted", bad)
		}
	}
}

func TestSelectServer(t *testing.T) {
	c := load(t, `http {
    server { listen 80; server_name first.example.com; }
    server { listen 80 default_server; server_name _; }
    server { listen 80; server_name *.example.com; }
    server { listen 80; server_name www.*; }
    server { listen 80; server_name ~^api\d+\.; }
    server { listen 127.0.0.1:8080; server_name chat.example.com; }
}`)
	cases := []struct {
		host string
		port int
		want string
	}{
		{"first.example.com", 80, "first.example.com"},
		{"a.example.com", 80, "*.example.com"},
		{"www.other.org", 80, "www.*"},
		{"api7.other.org", 80, `~^api\d+\.`},
		{"unknown.org", 80, "_"},
		{"chat.example.com", 8080, "chat.example.com"},
	}
	for _, x := range cases {
		s, why := c.SelectServer(x.host, x.port)
		if s == nil || s.Names()[0] != x.want {
			t.Errorf("SelectServer(%s, %d) = %v (%s), want %s", x.host, x.port, s, why, x.want)
		}
	}
	if s, _ := c.SelectServer("x", 9999); s != nil {
		t.Error("no server on port 9999")
	}
}

func TestQuotedWordBeforeParen(t *testing.T) {
	c := load(t, "server {\n    if ($http_x_forwarded_proto != 'https') {\n        return 301 https://$host$request_uri;\n    }\n}\n")
	noProblems(t, c)
	d := c.Servers()[0].Block.Find("if")[0]
	if len(d.Args) != 4 || d.Args[2].Value != "https" || d.Args[3].Raw != ")" {
		t.Errorf("args %+v", d.Args)
	}
}

func TestGroupKeepsMainConfigsApart(t *testing.T) {
	a := source.NewFile("a/nginx.conf", []byte("events {}\nhttp { map $http_upgrade $connection_upgrade { default upgrade; } }\n"))
	b := source.NewFile("b/nginx.conf", []byte("events {}\nhttp { server { location /ws/ { proxy_set_header Connection $connection_upgrade; } } }\n"))
	snip := source.NewFile("c/conf.d/x.conf", []byte("server { listen 80; }\n"))
	cs := Group([]*source.File{a, b, snip}, LoadOptions{})
	if len(cs) != 3 {
		t.Fatalf("%d configurations, want 3", len(cs))
	}
	if cs[1].Map("connection_upgrade") != nil {
		t.Error("b sees a's map")
	}
	if FileContext(a) != CtxMain || FileContext(snip) != CtxHTTP {
		t.Error("FileContext")
	}
	one := Group([]*source.File{a, snip}, LoadOptions{})
	if len(one) != 1 || len(one[0].Servers()) != 1 {
		t.Errorf("one main config with a snippet: %d configs", len(one))
	}
}

func TestAnnotationPlacement(t *testing.T) {
	c := load(t, `server {
    # wslint: websocket
    location /before { proxy_pass http://x; }
    location /header { # wslint: websocket
        proxy_pass http://x;
    }
    location /inside {
        proxy_pass http://x;
        # wslint: websocket
    }
    location /outer {
        location /outer/nested {
            # wslint: websocket
            proxy_pass http://x;
        }
        proxy_pass http://x;
    }
    location /oneline { proxy_pass http://x; } # wslint: websocket
    location /plain { proxy_pass http://x; } # another comment
}`)
	got := map[string]bool{}
	for _, w := range c.WebSocketLocations(WSOptions{}) {
		got[w.Path] = w.Evidence == EvidenceAnnotation
	}
	want := map[string]bool{"/header": true, "/inside": true, "/outer/nested": true, "/oneline": true}
	for _, p := range []string{"/before", "/header", "/inside", "/outer", "/outer/nested", "/oneline", "/plain"} {
		if got[p] != want[p] {
			t.Errorf("%s annotated = %v, want %v", p, got[p], want[p])
		}
	}
}

// Arg.Quoted reads the quote at the start of Raw: a quote elsewhere in a
// word does not quote it.
func TestArgQuoted(t *testing.T) {
	c := load(t, `x "b" 'c' d"e" f'g' "" '' "a b";`+"\n")
	noProblems(t, c)
	want := []bool{true, true, false, false, true, true, true}
	var args []Arg
	c.Walk(func(d *Directive) bool {
		if d.Name == "x" {
			args = d.Args
		}
		return true
	})
	if len(args) != len(want) {
		t.Fatalf("%d arguments", len(args))
	}
	for i, a := range args {
		if a.Quoted() != want[i] {
			t.Errorf("%s: Quoted() = %v", a.Raw, a.Quoted())
		}
	}
}

// The readers of variable references agree: HasVariables answers whether
// Variables finds any, Variables finds the names ArgVariables does, and
// each of ArgVariables' spans is `$` and the name, braced or not: `$`
// alone, `$1`, `${x}`, `${`, `$$a`, text.
func TestVariableReadersAgree(t *testing.T) {
	for _, expr := range []string{"", "$", "$$", "a$", "$1", "${x}", "${", "${}", "$-x", "x$http_upgrade", "close", "$$a", "${a", "a b $c", "$a$b${c}d$", "${a}${b", "é$é$x"} {
		if got, want := HasVariables(expr), len(Variables(expr)) > 0; got != want {
			t.Errorf("HasVariables(%q) = %v, Variables = %q", expr, got, Variables(expr))
		}
		var refs []string
		for _, r := range ArgVariables(Arg{Value: expr, Raw: expr}) {
			refs = append(refs, r.Name)
			if got := expr[r.Span.Start:r.Span.End]; got != "$"+r.Name && got != "${"+r.Name+"}" {
				t.Errorf("ArgVariables(%q): span %q for %q", expr, got, r.Name)
			}
		}
		if !slices.Equal(refs, Variables(expr)) {
			t.Errorf("ArgVariables(%q) = %q, Variables = %q", expr, refs, Variables(expr))
		}
	}
}

// TestEvalMapCycles: maps keyed on themselves or on each other (nginx:
// "cycle while evaluating variable" at request time) and maps whose values
// refer to other maps many times over evaluate to unknown: before the
// bounds, the first overflowed the stack (a fatal error no recover
// catches: the web service died with it) and the last ran for minutes.
func TestEvalMapCycles(t *testing.T) {
	req := Request{Name: "test", Method: "GET", Path: "/", Header: map[string]string{"x": "1", "upgrade": "websocket"}}
	for _, conf := range []string{
		"map $e $e { default a; }",
		"map $a $b { default 1; } map $b $a { default 2; }",
		"map $http_x $a { default \"$b$b$b$b\"; } map $http_x $b { default \"$a$a$a$a\"; }",
		"map $http_x $a { default \"$b$b$b$b\"; } map $http_x $b { default \"$c$c$c$c\"; } map $http_x $c { default \"$d$d$d$d\"; } " +
			"map $http_x $d { default \"$e$e$e$e\"; } map $http_x $e { default \"$f$f$f$f\"; } map $http_x $f { default \"$a\"; }",
	} {
		c := load(t, "http {\n"+conf+"\n}\n")
		for _, v := range []string{"$a", "$e", "x$a$e"} {
			if got := c.Eval(v, req); !got.Unknown {
				t.Errorf("%s: %s = %q, want unknown", conf, v, got.Text)
			}
		}
		for _, m := range c.MapsInOrder() {
			if _, unknown := c.MatchMap(m, req); !unknown && strings.HasPrefix(m.Source, "$") && m.Source != "$http_x" {
				t.Errorf("%s: map $%s matched, want unknown", conf, m.Var)
			}
		}
	}
	// A chain within the bounds still evaluates.
	c := load(t, "http {\nmap $http_upgrade $u { default $http_x; }\nmap $u $v { 1 one; default other; }\n}\n")
	if got := c.Eval("$v", req); got.Unknown || got.Text != "one" {
		t.Errorf("$v = %+v, want one", got)
	}
}
