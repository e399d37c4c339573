package web

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/santhosh-tekuri/jsonschema/v5"
	"github.com/wslint/wslint/generate"
	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/linttest/confgen"
	"github.com/wslint/wslint/lint/source"
	"github.com/wslint/wslint/rules"
)

func newServer(t testing.TB, o Options) http.Handler {
	t.Helper()
	h, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func do(t testing.TB, h http.Handler, method, path, contentType string, body []byte) response {
	t.Helper()
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return response{rec.Code, rec.Header(), rec.Body.Bytes()}
}

func post(t testing.TB, h http.Handler, path string, v any) response {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return do(t, h, "POST", path, "application/json", b)
}

func readFixture(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", path))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// testSchemas compiles every embedded schema for response checks.
var testSchemas = sync.OnceValues(func() (map[string]*jsonschema.Schema, error) {
	files, err := schemaFiles()
	if err != nil {
		return nil, err
	}
	var names []string
	for n := range files {
		names = append(names, n)
	}
	return compileSchemas(files, names...)
})

func validate(t testing.TB, schema string, body []byte) map[string]any {
	t.Helper()
	all, err := testSchemas()
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("response is not JSON: %v\n%s", err, body)
	}
	if err := all[schema].Validate(doc); err != nil {
		t.Fatalf("response does not match %s: %#v\n%s", schema, err, body)
	}
	m, _ := doc.(map[string]any)
	return m
}

// marshalLikeCLI encodes v as `wslint lint --format json` does.
func marshalLikeCLI(t testing.TB, v any) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestLintAnswersTheReport(t *testing.T) {
	h := newServer(t, Options{})
	for _, fx := range []string{"testdata/rules/WS104/bad.conf", "testdata/rules/WS101/bad.conf", "testdata/rules/WS104/good.conf"} {
		conf := readFixture(t, fx)
		resp := post(t, h, "/api/v1/lint", map[string]any{"config": conf, "filename": "app.conf", "ws_paths": []string{"/ws/"}})
		if resp.status != 200 {
			t.Fatalf("%s: status %d: %s", fx, resp.status, resp.body)
		}
		validate(t, "findings.schema.json", resp.body)
		if cl := resp.header.Get("Content-Length"); cl != strconv.Itoa(len(resp.body)) {
			t.Errorf("%s: Content-Length %q for %d bytes", fx, cl, len(resp.body))
		}
		opts := lint.DefaultOptions()
		opts.WSPaths = []string{"/ws/"}
		sel, _ := rules.Registry.Select(false, nil, nil)
		res := lint.Run(sel, lint.Input{Files: []*source.File{source.NewFile("app.conf", []byte(conf))}, Load: noFiles}, opts)
		if want := marshalLikeCLI(t, lint.NewReport(res.Findings, len(res.Files))); !bytes.Equal(resp.body, want) {
			t.Errorf("%s: API answer differs from the report:\n got %s\nwant %s", fx, resp.body, want)
		}
	}
}

func TestLintOptions(t *testing.T) {
	h := newServer(t, Options{})
	conf := "server {\n    listen 8080;\n    location /ws/ {\n        proxy_pass http://127.0.0.1:8000;\n    }\n}\n"
	ids := func(body map[string]any) []string {
		var out []string
		for _, f := range body["findings"].([]any) {
			out = append(out, f.(map[string]any)["rule"].(string))
		}
		return out
	}
	base := ids(validate(t, "findings.schema.json", post(t, h, "/api/v1/lint", map[string]any{"config": conf}).body))
	if !contains(base, "WS101") {
		t.Fatalf("want WS101 for a /ws/ location without upgrade headers, got %v", base)
	}
	got := ids(validate(t, "findings.schema.json", post(t, h, "/api/v1/lint", map[string]any{"config": conf, "disable": []string{"WS101"}}).body))
	if contains(got, "WS101") {
		t.Errorf("disable WS101: still reported: %v", got)
	}
	got = ids(validate(t, "findings.schema.json", post(t, h, "/api/v1/lint", map[string]any{"config": conf, "disable": []string{"upgrade-headers-missing"}}).body))
	if contains(got, "WS101") {
		t.Errorf("disable by name: still reported: %v", got)
	}
	// endpoints extend the knowledge base, as the configuration file's do.
	hub := "server {\n    listen 8080;\n    location /hub/ {\n        proxy_pass http://127.0.0.1:8000;\n    }\n}\n"
	if got := ids(validate(t, "findings.schema.json", post(t, h, "/api/v1/lint", map[string]any{"config": hub}).body)); contains(got, "WS101") {
		t.Errorf("/hub/ without endpoints: %v, want no WS101", got)
	}
	withHub := map[string]any{"config": hub, "endpoints": []any{map[string]any{"path": "/hub", "what": "SignalR hub", "client_url": true}}}
	if got := ids(validate(t, "findings.schema.json", post(t, h, "/api/v1/lint", withHub).body)); !contains(got, "WS101") || !contains(got, "WS113") {
		t.Errorf("/hub/ with endpoints: %v, want WS101 and WS113", got)
	}
	for _, tc := range []struct {
		body    map[string]any
		pointer string
	}{
		{map[string]any{"config": conf, "enable": []string{"WS101", "WS000"}}, "/enable/1"},
		{map[string]any{"config": conf, "disable": []string{"nope"}}, "/disable/0"},
		{map[string]any{"config": conf, "nginx_version": "1.x"}, "/nginx_version"},
		{map[string]any{"config": conf, "ws_paths": []string{"ws"}}, "/ws_paths/0"},
		{map[string]any{"config": conf, "endpoints": []any{map[string]any{"path": "hub"}}}, "/endpoints/0"},
		{map[string]any{"config": conf, "endpoints": []any{map[string]any{"path": "/hub", "mach": "prefix"}}}, "/endpoints/0/mach"},
		{map[string]any{"config": conf, "kind": "apache"}, "/kind"},
		{map[string]any{"config": conf, "unsafe": true}, "/unsafe"},
		{map[string]any{"conf": conf}, ""},
	} {
		resp := post(t, h, "/api/v1/lint", tc.body)
		if resp.status != 400 {
			t.Errorf("%v: status %d, want 400", tc.body, resp.status)
			continue
		}
		e := validate(t, "api/error.schema.json", resp.body)
		if !hasPointer(e, tc.pointer) {
			t.Errorf("%v: no detail points at %q: %s", tc.body, tc.pointer, resp.body)
		}
	}
}

func hasPointer(e map[string]any, p string) bool {
	ds, _ := e["details"].([]any)
	for _, d := range ds {
		if d.(map[string]any)["pointer"] == p {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestFix(t *testing.T) {
	h := newServer(t, Options{})
	conf := readFixture(t, "testdata/rules/WS104/bad.conf")
	resp := post(t, h, "/api/v1/fix", map[string]any{"config": conf, "filename": "bad.conf"})
	if resp.status != 200 {
		t.Fatalf("status %d: %s", resp.status, resp.body)
	}
	body := validate(t, "api/fix-response.schema.json", resp.body)
	sel, _ := rules.Registry.Select(false, nil, nil)
	res := lint.FixInput(sel, lint.Input{Files: []*source.File{source.NewFile("bad.conf", []byte(conf))}, Load: noFiles}, lint.DefaultOptions(), lint.Safe)
	if want := string(res.Changed["bad.conf"]); body["fixed"] != want {
		t.Errorf("fixed:\n%s\nwant:\n%s", body["fixed"], want)
	}
	diff := body["diff"].(string)
	if !strings.HasPrefix(diff, "--- a/bad.conf\n+++ b/bad.conf\n@@ ") {
		t.Errorf("diff does not start with the file headers and a hunk:\n%s", diff)
	}
	for _, f := range body["findings"].([]any) {
		if f.(map[string]any)["rule"] == "WS104" {
			t.Errorf("WS104 remains after the fix: %v", f)
		}
	}
	wantFindings := marshalLikeCLI(t, lint.NewReport(res.Remaining, len(res.Files)).Findings)
	var raw struct{ Findings json.RawMessage }
	json.Unmarshal(resp.body, &raw)
	var a, b bytes.Buffer
	json.Compact(&a, raw.Findings)
	json.Compact(&b, wantFindings)
	if a.String() != b.String() {
		t.Errorf("remaining findings differ:\n got %s\nwant %s", a.String(), b.String())
	}

	// Fixing the fixed config changes nothing.
	again := validate(t, "api/fix-response.schema.json", post(t, h, "/api/v1/fix", map[string]any{"config": body["fixed"], "filename": "bad.conf"}).body)
	if again["diff"] != "" || again["fixed"] != body["fixed"] {
		t.Errorf("fixing the fixed config changed it:\n%s", again["diff"])
	}

	// A configuration that does not parse is left alone, with its WS001.
	broken := "server {\n    location /ws/ {\n        proxy_pass http://127.0.0.1:8000;\n"
	got := validate(t, "api/fix-response.schema.json", post(t, h, "/api/v1/fix", map[string]any{"config": broken}).body)
	if got["fixed"] != broken || got["diff"] != "" {
		t.Errorf("a config that does not parse was changed: %v", got)
	}
	if !strings.Contains(string(mustJSON(got["findings"])), `"WS001"`) {
		t.Errorf("no WS001 for a config that does not parse: %v", got["findings"])
	}
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

func TestUnsafeFixes(t *testing.T) {
	h := newServer(t, Options{})
	conf := readFixture(t, "testdata/rules/WS104/bad.conf")
	safe := validate(t, "api/fix-response.schema.json", post(t, h, "/api/v1/fix", map[string]any{"config": conf}).body)
	unsafe := validate(t, "api/fix-response.schema.json", post(t, h, "/api/v1/fix", map[string]any{"config": conf, "unsafe": true}).body)
	sel, _ := rules.Registry.Select(false, nil, nil)
	res := lint.FixInput(sel, lint.Input{Files: []*source.File{source.NewFile("nginx.conf", []byte(conf))}, Load: noFiles}, lint.DefaultOptions(), lint.Unsafe)
	want := string(res.Changed["nginx.conf"])
	if want == "" {
		want = conf
	}
	if unsafe["fixed"] != want {
		t.Errorf("unsafe: fixed differs from lint.FixInput(Unsafe)")
	}
	if safe["fixed"] == unsafe["fixed"] {
		t.Logf("note: unsafe fixes made no difference on this fixture")
	}
}

func TestRequestErrors(t *testing.T) {
	h := newServer(t, Options{})
	big := append(append([]byte(`{"config": "`), bytes.Repeat([]byte("a"), DefaultMaxBody)...), `"}`...)
	for _, tc := range []struct {
		name, method, path, ctype string
		body                      []byte
		status                    int
	}{
		{"over 1 MiB", "POST", "/api/v1/lint", "application/json", big, 413},
		{"over 1 MiB fix", "POST", "/api/v1/fix", "application/json", big, 413},
		{"not json", "POST", "/api/v1/lint", "application/json", []byte("{not json"), 400},
		{"empty", "POST", "/api/v1/lint", "application/json", nil, 400},
		{"no content type", "POST", "/api/v1/lint", "", []byte(`{"config": ""}`), 415},
		{"text/plain", "POST", "/api/v1/fix", "text/plain", []byte(`{"config": ""}`), 415},
		{"form", "POST", "/api/v1/generate/nginx", "application/x-www-form-urlencoded", []byte(`a=b`), 415},
		{"trailing data", "POST", "/api/v1/lint", "application/json", []byte(`{"config": ""} {}`), 400},
		{"json with charset", "POST", "/api/v1/lint", "application/json; charset=utf-8", []byte(`{"config": "", "enable": ["nope"]}`), 400},
		{"array", "POST", "/api/v1/lint", "application/json", []byte(`[]`), 400},
		{"null config", "POST", "/api/v1/lint", "application/json", []byte(`{"config": null}`), 400},
		{"unknown route", "GET", "/api/v1/nope", "", nil, 404},
		{"wrong method", "GET", "/api/v1/lint", "", nil, 405},
		{"unknown rule", "GET", "/api/v1/rules/WS000", "", nil, 404},
		{"unknown schema", "GET", "/api/v1/schemas/api/..%2F..%2Fetc%2Fpasswd", "", nil, 404},
		{"unknown page", "GET", "/etc/passwd", "", nil, 404},
		{"asset traversal", "GET", "/assets/..%2F..%2Fweb.go", "", nil, 404},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := do(t, h, tc.method, tc.path, tc.ctype, tc.body)
			if resp.status != tc.status {
				t.Fatalf("status %d, want %d: %.300s", resp.status, tc.status, resp.body)
			}
			if ct := resp.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q, want application/json", ct)
			}
			validate(t, "api/error.schema.json", resp.body)
			if tc.status == 405 && resp.header.Get("Allow") != "POST" {
				t.Errorf("405 Allow %q, want POST", resp.header.Get("Allow"))
			}
		})
	}
}

// Odd bodies never get a 5xx: every answer is a JSON document.
func TestOddBodies(t *testing.T) {
	h := newServer(t, Options{})
	nested := strings.Repeat(`{"a":`, 10000) + "1" + strings.Repeat("}", 10000)
	deepConfig := strings.Repeat("location / {\n", 5000) + strings.Repeat("}\n", 5000)
	bodies := []string{
		``, ` `, `null`, `true`, `0`, `"x"`, `[`, `]`, `{`, `}`, `{}`, `{"config": ""}`, `{"config": "}"}`,
		`{"config": "{{{{"}`, `{"config": "\u0000"}`, "{\"config\": \"\xff\xfe\"}", `{"config": "\ud800"}`,
		`{"config": "server { listen 80; location / { proxy_pass http://x; } }", "kind": "unit"}`,
		`{"config": "{\"listeners\": {\"*:80\": {\"pass\": \"routes\"}}}"}`,
		`{"config": "{\"listeners\": 3}", "kind": "auto"}`,
		`{"config": "include /etc/passwd; include /etc/*; include ../../../../etc/shadow;"}`,
		`{"config": "", "filename": "../../../etc/passwd"}`,
		`{"config": "", "filename": "C:\\Windows\\win.ini"}`,
		`{"config": "", "filename": ".."}`,
		`{"config": "", "filename": "\u0000"}`,
		`{"config": "", "ws_paths": ["/", "/ws", "/\u0000"]}`,
		`{"config": "", "nginx_version": "99999.0"}`,
		`{"config": "", "nginx_version": "nginx/1.25.1"}`,
		`{"config": "", "enable": ["all"], "disable": ["WS101,WS102", " "]}`,
		`{"config": "", "config": "x"}`,
		`{"config": "", "unsafe": "yes"}`,
		`{"config": 1e999}`,
		`{"listen": ["80", "80"]}`,
		`{"listen": [""], "keepalive": -1}`,
		`{"keepalive": 1.5}`,
		`{"keepalive": 1e400}`,
		`{"read_timeout": "30s"}`,
		`{"preset": "nope"}`,
		`{"tls_cert": "/x"}`,
		`{"server_name": "a  b"}`,
		`{"ws_paths": ["/a b"]}`,
		nested,
		`{"config": ` + string(mustJSON(deepConfig)) + `}`,
		`{"config": ` + string(mustJSON(strings.Repeat("a ", 200000))) + `}`,
		`{"config": ` + string(mustJSON(strings.Repeat("\"", 10000))) + `}`,
		`{"config": ` + string(mustJSON(strings.Repeat("map $a $b { default 1; }\n", 5000))) + `}`,
		// Maps keyed on themselves (a stack overflow killed the service)
		// and referring to each other many times over (minutes of CPU).
		`{"config": "map $e $e { default a; } server { location /ws/ { proxy_pass http://x; proxy_set_header Upgrade $e; proxy_set_header Connection upgrade; } }"}`,
		`{"config": "map $http_x $a { default \"$b$b$b$b\"; } map $http_x $b { default \"$a$a$a$a\"; } server { location /ws/ { proxy_pass http://x; proxy_set_header Upgrade $a; proxy_set_header Connection upgrade; } }"}`,
		`{"config": ` + string(mustJSON(strings.Repeat("server {\n    location /ws/ {\n        proxy_pass http://127.0.0.1:8000;\n        proxy_set_header Host $host;\n    }\n}\n", 1000))) + `}`,
		`{"config": ` + string(mustJSON(strings.Repeat("server { location /ws/ { proxy_pass http://127.0.0.1:8000; proxy_set_header Host $host; } }\n", 300))) + `}`,
	}
	for _, path := range []string{"/api/v1/lint", "/api/v1/fix", "/api/v1/generate/nginx", "/api/v1/generate/unit"} {
		for i, b := range bodies {
			resp := do(t, h, "POST", path, "application/json", []byte(b))
			if resp.status >= 500 {
				t.Errorf("%s body %d (%.80q): status %d: %.300s", path, i, b, resp.status, resp.body)
			}
			if !json.Valid(resp.body) {
				t.Errorf("%s body %d: answer is not JSON: %.300s", path, i, resp.body)
			}
		}
	}
}

func FuzzLintBody(f *testing.F) {
	for _, s := range []string{`{"config": "server { listen 80; }"}`, `{"config": "location /ws/ { proxy_pass http://a; }", "ws_paths": ["/ws/"]}`, `{`, `{"config": "include x;"}`} {
		f.Add(s)
	}
	// A short timeout: an input the engine is slow on answers 504 (and
	// later ones may get 429 while it finishes), never a hang or a 500.
	h := newServer(f, Options{Timeout: 2 * time.Second, BacklogTimeout: 100 * time.Millisecond})
	f.Fuzz(func(t *testing.T, body string) {
		for _, path := range []string{"/api/v1/lint", "/api/v1/fix"} {
			resp := do(t, h, "POST", path, "application/json", []byte(body))
			if resp.status >= 500 && resp.status != http.StatusGatewayTimeout || !json.Valid(resp.body) {
				t.Fatalf("%s: status %d: %.300s", path, resp.status, resp.body)
			}
		}
	})
}

// The service never opens a file a request names: a pasted include of
// /etc/passwd is reported, and no line of that file is in any answer.
func TestIncludeNotFollowed(t *testing.T) {
	passwd, err := os.ReadFile("/etc/passwd")
	if err != nil {
		t.Skip("no /etc/passwd here")
	}
	h := newServer(t, Options{})
	conf := "include /etc/passwd;\nhttp {\n    include /etc/passwd;\n    include /etc/*;\n    server {\n        include ../../../../../../etc/passwd;\n        location /ws/ { proxy_pass http://127.0.0.1:8000; }\n    }\n}\n"
	for _, path := range []string{"/api/v1/lint", "/api/v1/fix"} {
		for _, name := range []string{"", "/etc/passwd", "../../../../etc/passwd", "passwd"} {
			body := map[string]any{"config": conf, "filename": name}
			if path == "/api/v1/fix" {
				body["unsafe"] = true
			}
			resp := post(t, h, path, body)
			if resp.status != 200 {
				t.Fatalf("%s: status %d: %s", path, resp.status, resp.body)
			}
			if !bytes.Contains(resp.body, []byte(`"WS009"`)) {
				t.Errorf("%s: no WS009 (include not followed) finding: %s", path, resp.body)
			}
			for _, line := range strings.Split(string(passwd), "\n") {
				if strings.Contains(line, ":") && bytes.Contains(resp.body, []byte(line)) {
					t.Fatalf("%s: a line of /etc/passwd is in the answer: %q", path, line)
				}
			}
			if bytes.Contains(resp.body, []byte("root:x:")) || bytes.Contains(resp.body, []byte("/bin/")) {
				t.Fatalf("%s: /etc/passwd content in the answer: %s", path, resp.body)
			}
			if bytes.Contains(resp.body, []byte(`"file": "/`)) || bytes.Contains(resp.body, []byte(`"file": "..`)) {
				t.Errorf("%s: the file label is a path: %s", path, resp.body)
			}
		}
	}
}

func TestLabel(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"app.conf", "app.conf"},
		{"/etc/nginx/nginx.conf", "nginx.conf"},
		{"../../etc/passwd", "passwd"},
		{`C:\nginx\conf\site.conf`, "site.conf"},
		{"..", ""},
		{".", ""},
		{"/", ""},
		{".hidden.conf", "hidden.conf"},
		{"a b;c\x00.conf", "a_b_c_.conf"},
		{"ünï.conf", "_n_.conf"},
		{strings.Repeat("x", 300), strings.Repeat("x", 100)},
	} {
		if got := label(tc.in); got != tc.want {
			t.Errorf("label(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	h := newServer(t, Options{})
	for _, tc := range []struct {
		body map[string]any
		file string
	}{
		{map[string]any{"config": "server { listen 80 }"}, "nginx.conf"},
		{map[string]any{"config": `{"listeners": {"*:80": {"pass": "applications/x"}}}`}, "unit.json"},
		{map[string]any{"config": "x", "filename": ".."}, "nginx.conf"},
		{map[string]any{"config": "x", "filename": "../../etc/shadow"}, "shadow"},
	} {
		resp := post(t, h, "/api/v1/lint", tc.body)
		if !bytes.Contains(resp.body, []byte(`"file": "`+tc.file+`"`)) {
			t.Errorf("%v: findings are not labelled %q: %s", tc.body, tc.file, resp.body)
		}
	}
}

// blockingBody is a request body that blocks until released, to hold a
// request inside the handler.
type blockingBody struct {
	started chan struct{}
	release chan struct{}
	once    sync.Once
	data    *strings.Reader
}

func (b *blockingBody) Read(p []byte) (int, error) {
	b.once.Do(func() { close(b.started) })
	<-b.release
	return b.data.Read(p)
}

func TestThrottle(t *testing.T) {
	h := newServer(t, Options{Concurrency: 1, Backlog: -1})
	body := &blockingBody{started: make(chan struct{}), release: make(chan struct{}), data: strings.NewReader(`{"config": ""}`)}
	done := make(chan response)
	go func() {
		req := httptest.NewRequest("POST", "/api/v1/lint", body)
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		done <- response{rec.Code, rec.Header(), rec.Body.Bytes()}
	}()
	<-body.started // the first request holds the only slot
	resp := post(t, h, "/api/v1/lint", map[string]any{"config": ""})
	if resp.status != http.StatusTooManyRequests {
		t.Fatalf("saturated: status %d, want 429: %s", resp.status, resp.body)
	}
	validate(t, "api/error.schema.json", resp.body)
	if resp.header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	if ct := resp.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("429 Content-Type %q", ct)
	}
	// The health check is not throttled.
	if hz := do(t, h, "GET", "/healthz", "", nil); hz.status != 200 {
		t.Errorf("/healthz while saturated: %d", hz.status)
	}
	close(body.release)
	if first := <-done; first.status != 200 {
		t.Errorf("the request holding the slot: status %d: %s", first.status, first.body)
	}
	if again := post(t, h, "/api/v1/lint", map[string]any{"config": ""}); again.status != 200 {
		t.Errorf("after the slot is free: status %d", again.status)
	}
}

func TestTimeout(t *testing.T) {
	h := newServer(t, Options{Timeout: time.Nanosecond})
	resp := post(t, h, "/api/v1/lint", map[string]any{"config": readFixture(t, "testdata/rules/WS104/bad.conf")})
	if resp.status != http.StatusGatewayTimeout {
		t.Fatalf("status %d, want 504: %s", resp.status, resp.body)
	}
	validate(t, "api/error.schema.json", resp.body)
}

// A request past its deadline answers 504 and gives its engine slot back at
// once (the engine stops at its next step, lint.Options.Done): with one slot
// and no wait for it, the next request gets the slot, not a 429.
func TestTimeoutFreesSlot(t *testing.T) {
	var big bytes.Buffer
	if err := confgen.Servers(&big, 300); err != nil { // about 250 KB: many milliseconds of engine time
		t.Fatal(err)
	}
	h := newServer(t, Options{Timeout: time.Millisecond, Concurrency: 1, Backlog: -1, BacklogTimeout: time.Nanosecond})
	for _, path := range []string{"/api/v1/lint", "/api/v1/fix"} {
		if resp := post(t, h, path, map[string]any{"config": big.String()}); resp.status != http.StatusGatewayTimeout {
			t.Fatalf("%s of %d KB in 1 ms: status %d, want 504: %.300s", path, big.Len()>>10, resp.status, resp.body)
		}
		// Fast enough or not (200 or 504), it must have had the slot.
		if resp := post(t, h, path, map[string]any{"config": ""}); resp.status == http.StatusTooManyRequests {
			t.Fatalf("%s after a timed-out request: 429: the slot was not given back", path)
		}
	}
}

// A panic is a bug: 500 with a JSON body naming the request ID, logged.
func TestPanicIsJSON500(t *testing.T) {
	var logs bytes.Buffer
	h := newServer(t, Options{Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	h.(*chi.Mux).Get("/boom", func(http.ResponseWriter, *http.Request) { panic("kaboom") })
	resp := do(t, h, "GET", "/boom", "", nil)
	if resp.status != 500 {
		t.Fatalf("status %d", resp.status)
	}
	e := validate(t, "api/error.schema.json", resp.body)
	if id := resp.header.Get("X-Request-Id"); id == "" || !strings.Contains(e["error"].(string), id) {
		t.Errorf("500 body %q does not name the request ID %q", e["error"], id)
	}
	if !strings.Contains(logs.String(), `"panic":"kaboom"`) || !strings.Contains(logs.String(), `"status":500`) {
		t.Errorf("panic not logged: %s", logs.String())
	}
}

func TestAccessLog(t *testing.T) {
	var logs bytes.Buffer
	h := newServer(t, Options{Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	req := httptest.NewRequest("GET", "/api/v1/rules", nil)
	req.RemoteAddr = "192.0.2.7:4321"
	req.Header.Set("X-Forwarded-For", "203.0.113.9") // not trusted
	h.ServeHTTP(httptest.NewRecorder(), req)
	var rec map[string]any
	if err := json.Unmarshal(logs.Bytes(), &rec); err != nil {
		t.Fatalf("access log is not one JSON record: %v\n%s", err, logs.String())
	}
	for k, want := range map[string]any{"msg": "request", "method": "GET", "path": "/api/v1/rules", "status": 200.0, "client_ip": "192.0.2.7"} {
		if rec[k] != want {
			t.Errorf("log %s = %v, want %v", k, rec[k], want)
		}
	}
	if rec["request_id"] == "" || rec["duration"] == nil {
		t.Errorf("log lacks request_id or duration: %v", rec)
	}
}

func TestRulesEndpoints(t *testing.T) {
	h := newServer(t, Options{})
	resp := do(t, h, "GET", "/api/v1/rules", "", nil)
	if resp.status != 200 {
		t.Fatalf("status %d", resp.status)
	}
	list := validate(t, "api/rules-response.schema.json", resp.body)
	if n := len(list["rules"].([]any)); n != len(rules.Registry.All()) {
		t.Errorf("%d rules listed, registry has %d", n, len(rules.Registry.All()))
	}
	byID := do(t, h, "GET", "/api/v1/rules/WS104", "", nil)
	byName := do(t, h, "GET", "/api/v1/rules/inherited-headers-dropped", "", nil)
	lower := do(t, h, "GET", "/api/v1/rules/ws104", "", nil)
	if byID.status != 200 || !bytes.Equal(byID.body, byName.body) || !bytes.Equal(byID.body, lower.body) {
		t.Fatalf("WS104 by ID, name and lowercase ID differ: %d %d %d", byID.status, byName.status, lower.status)
	}
	doc := validate(t, "api/rule.schema.json", byID.body)
	r, _ := rules.Registry.Lookup("WS104")
	if doc["summary"] != r.Doc.Summary || doc["why"] != r.Doc.Why || doc["bad"] != r.Doc.Bad || doc["good"] != r.Doc.Good {
		t.Errorf("WS104 document does not carry the rule's Doc: %v", doc)
	}
}

func TestGenerateNginx(t *testing.T) {
	h := newServer(t, Options{})
	for _, spec := range []map[string]any{
		{},
		{"preset": "socketio", "upstreams": []string{"127.0.0.1:3000", "127.0.0.1:3001"}, "server_name": "chat.example.com"},
		{"ws_paths": []string{"/ws", "/live/"}, "read_timeout": "2h", "nginx_version": "1.30.0", "full": true, "keepalive": 16},
		{"tls_cert": "/etc/ssl/site.pem", "tls_key": "/etc/ssl/site.key", "listen": []string{"443"}},
	} {
		resp := post(t, h, "/api/v1/generate/nginx", spec)
		if resp.status != 200 {
			t.Fatalf("%v: status %d: %s", spec, resp.status, resp.body)
		}
		out := validate(t, "api/generate-response.schema.json", resp.body)
		conf := out["config"].(string)
		if !strings.Contains(conf, "proxy_set_header Upgrade") {
			t.Errorf("%v: no upgrade header in\n%s", spec, conf)
		}
		// The generator's output lints clean at warning and above.
		body := map[string]any{"config": conf}
		if v, ok := spec["nginx_version"]; ok {
			body["nginx_version"] = v
		}
		report := validate(t, "findings.schema.json", post(t, h, "/api/v1/lint", body).body)
		for _, f := range report["findings"].([]any) {
			if sev := f.(map[string]any)["severity"]; sev != "info" {
				t.Errorf("%v: generated config has a finding: %v\n%s", spec, f, conf)
			}
		}
	}
	for _, spec := range []map[string]any{{"read_timeout": "30s"}, {"tls_cert": "/x"}, {"preset": "rails"}, {"listen": []string{"80", "80"}}, {"bogus": 1}} {
		resp := post(t, h, "/api/v1/generate/nginx", spec)
		if resp.status != 400 {
			t.Errorf("%v: status %d, want 400: %s", spec, resp.status, resp.body)
		}
		validate(t, "api/error.schema.json", resp.body)
	}
}

// The request schema's preset list is the generator's.
func TestPresetEnum(t *testing.T) {
	files, _ := schemaFiles()
	var s struct {
		Properties struct {
			Preset struct {
				Enum []string `json:"enum"`
			} `json:"preset"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(files[generateNginxSchema], &s); err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(s.Properties.Preset.Enum, " "), strings.Join(generate.PresetNames(), " "); got != want {
		t.Errorf("%s preset enum\n got %s\nwant %s", generateNginxSchema, got, want)
	}
}

// The fix request is the lint request plus unsafe.
func TestFixSchemaExtendsLint(t *testing.T) {
	files, _ := schemaFiles()
	props := func(name string) []string {
		var s struct {
			Properties map[string]any `json:"properties"`
		}
		json.Unmarshal(files[name], &s)
		var out []string
		for k := range s.Properties {
			out = append(out, k)
		}
		sort.Strings(out)
		return out
	}
	lintProps, fixProps := props(lintSchema), props(fixSchema)
	want := append(append([]string{}, lintProps...), "unsafe")
	sort.Strings(want)
	if strings.Join(fixProps, " ") != strings.Join(want, " ") {
		t.Errorf("fix request properties %v, want lint's plus unsafe: %v", fixProps, want)
	}
}

func TestOpenAPI(t *testing.T) {
	h := newServer(t, Options{})
	resp := do(t, h, "GET", "/api/v1/openapi.json", "", nil)
	if resp.status != 200 || resp.header.Get("Content-Type") != "application/json" {
		t.Fatalf("status %d, Content-Type %q", resp.status, resp.header.Get("Content-Type"))
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(resp.body, &doc); err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi %q, want 3.1.0", doc.OpenAPI)
	}
	documented := map[string]bool{}
	for p, ops := range doc.Paths {
		for m := range ops {
			if m == "parameters" || m == "summary" || m == "description" || m == "servers" {
				continue
			}
			documented[strings.ToUpper(m)+" "+p] = true
		}
	}
	routed := map[string]bool{"GET /healthz": true} // middleware.Heartbeat, not a route
	err := chi.Walk(h.(*chi.Mux), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		routed[method+" "+route] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for r := range routed {
		if !documented[r] {
			t.Errorf("route %s is not in openapi.json", r)
		}
	}
	for d := range documented {
		if !routed[d] {
			t.Errorf("openapi.json documents %s, which the router does not have", d)
		}
	}

	// Every $ref resolves: local ones in the document, the others to an
	// embedded schema served at that relative URL.
	var whole any
	json.Unmarshal(resp.body, &whole)
	refRE := regexp.MustCompile(`"\$ref":\s*"([^"]+)"`)
	for _, m := range refRE.FindAllStringSubmatch(string(resp.body), -1) {
		ref := m[1]
		if strings.HasPrefix(ref, "#/") {
			if resolvePointer(whole, ref[1:]) == nil {
				t.Errorf("$ref %s does not resolve", ref)
			}
			continue
		}
		file, frag, _ := strings.Cut(ref, "#")
		served := do(t, h, "GET", "/api/v1/"+file, "", nil)
		if served.status != 200 {
			t.Errorf("$ref %s: GET /api/v1/%s: %d", ref, file, served.status)
			continue
		}
		var sch any
		if err := json.Unmarshal(served.body, &sch); err != nil {
			t.Errorf("$ref %s: not JSON", ref)
		}
		if frag != "" && resolvePointer(sch, frag) == nil {
			t.Errorf("$ref %s: fragment does not resolve", ref)
		}
	}
}

// Schemas compile offline: a remote $ref is refused, never fetched.
func TestNoRemoteSchemas(t *testing.T) {
	files := map[string][]byte{"api/x.schema.json": []byte(`{"$ref": "https://example.com/remote.schema.json"}`)}
	if _, err := compileSchemas(files, "api/x.schema.json"); err == nil || !strings.Contains(err.Error(), "not embedded") {
		t.Errorf("a remote $ref compiled or failed otherwise: %v", err)
	}
}

func resolvePointer(doc any, ptr string) any {
	cur := doc
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		tok = unescapeJSONPointer(tok)
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		if cur, ok = m[tok]; !ok {
			return nil
		}
	}
	return cur
}

func unescapeJSONPointer(t string) string {
	return strings.NewReplacer("~1", "/", "~0", "~").Replace(t)
}

func TestPageAndHeaders(t *testing.T) {
	h := newServer(t, Options{})
	page := do(t, h, "GET", "/", "", nil)
	if page.status != 200 || !strings.HasPrefix(page.header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET /: %d %q", page.status, page.header.Get("Content-Type"))
	}
	for _, path := range []string{"/", "/assets/app.js", "/assets/app.css", "/api/v1/rules", "/healthz", "/nope"} {
		resp := do(t, h, "GET", path, "", nil)
		hd := resp.header
		csp := hd.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %s", path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: CSP allows inline code: %q", path, csp)
		}
		if hd.Get("X-Content-Type-Options") != "nosniff" || hd.Get("Referrer-Policy") == "" {
			t.Errorf("%s: missing nosniff or Referrer-Policy: %v", path, hd)
		}
		for k, v := range security {
			if got := hd.Values(k); len(got) != 1 || got[0] != v[0] {
				t.Errorf("%s: %s is %q, want %q", path, k, got, v[0])
			}
		}
	}
	// Responses share the values: one that adds to a header must not
	// reach the next.
	rec := httptest.NewRecorder()
	securityHeaders(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("X-Frame-Options", "SAMEORIGIN")
		w.Header().Set("Referrer-Policy", "unsafe-url")
	})).ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if v := security["X-Frame-Options"]; len(v) != 1 || v[0] != "DENY" {
		t.Errorf("a response's Add changed the shared X-Frame-Options: %q", v)
	}
	if v := security["Referrer-Policy"]; len(v) != 1 || v[0] != "no-referrer" {
		t.Errorf("a response's Set changed the shared Referrer-Policy: %q", v)
	}
	for path, ctype := range map[string]string{"/assets/app.js": "text/javascript", "/assets/app.css": "text/css", "/assets/icon.svg": "image/svg+xml"} {
		if resp := do(t, h, "GET", path, "", nil); resp.status != 200 || !strings.HasPrefix(resp.header.Get("Content-Type"), ctype) {
			t.Errorf("%s: %d %q", path, resp.status, resp.header.Get("Content-Type"))
		}
	}
	if hz := do(t, h, "GET", "/healthz", "", nil); hz.status != 200 || string(hz.body) != "." {
		t.Errorf("/healthz: %d %q", hz.status, hz.body)
	}

	// The page works under that CSP: no inline script, style or handler,
	// nothing from another origin.
	html := string(page.body)
	for _, bad := range []*regexp.Regexp{
		regexp.MustCompile(`<script(?:\s[^>]*)?>\s*[^<\s]`), // a script with a body
		regexp.MustCompile(`\sstyle=`),
		regexp.MustCompile(`\son[a-z]+=`),
		regexp.MustCompile(`<style`),
		regexp.MustCompile(`(?:src|href)="(?:https?:)?//`),
	} {
		if loc := bad.FindString(html); loc != "" {
			t.Errorf("index.html has %q, which the CSP forbids or which needs the network", loc)
		}
	}
	for _, tag := range regexp.MustCompile(`<script[^>]*>`).FindAllString(html, -1) {
		if !strings.Contains(tag, ` src="/assets/`) {
			t.Errorf("index.html has an inline script: %s", tag)
		}
	}
	// User data goes in as text: the script never uses innerHTML and friends.
	js := string(do(t, h, "GET", "/assets/app.js", "", nil).body)
	for _, sink := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"} {
		if strings.Contains(js, sink) {
			t.Errorf("app.js uses %s", sink)
		}
	}
}

func TestGenerateUnit(t *testing.T) {
	h := newServer(t, Options{})
	for _, spec := range []map[string]any{
		{},
		{"preset": "django-channels", "listen": []string{"8080"}},
		{"preset": "fastapi", "ws_paths": []string{"/ws", "/live"}, "static": "/srv/www", "ws_read_timeout": 300, "ws_keepalive": 25, "processes": 4},
		{"app_type": "external", "module": "server.js", "path": "/srv/app", "ws_paths": []string{"/socket"}},
	} {
		resp := post(t, h, "/api/v1/generate/unit", spec)
		if resp.status != 200 {
			t.Fatalf("%v: status %d: %s", spec, resp.status, resp.body)
		}
		conf := validate(t, "api/generate-response.schema.json", resp.body)["config"].(string)
		lintResp := post(t, h, "/api/v1/lint", map[string]any{"config": conf, "kind": "auto"})
		if k := lintResp.header.Get("X-Wslint-Kind"); k != "unit" {
			t.Errorf("%v: generated config read as %q, want unit", spec, k)
		}
		for _, f := range validate(t, "findings.schema.json", lintResp.body)["findings"].([]any) {
			if sev := f.(map[string]any)["severity"]; sev != "info" {
				t.Errorf("%v: generated Unit config has a finding: %v\n%s", spec, f, conf)
			}
		}
	}
	for _, tc := range []struct {
		spec    map[string]any
		pointer string
	}{
		{map[string]any{"app_type": "php", "ws_paths": []string{"/ws"}}, ""},
		{map[string]any{"listen": []string{"nope"}}, "/listen"},
		{map[string]any{"ws_keepalive": 90}, "/ws_keepalive"},
		{map[string]any{"app_type": "cobol"}, "/app_type"},
		{map[string]any{"preset": "rails"}, "/preset"},
	} {
		resp := post(t, h, "/api/v1/generate/unit", tc.spec)
		if resp.status != 400 {
			t.Errorf("%v: status %d, want 400: %s", tc.spec, resp.status, resp.body)
			continue
		}
		if e := validate(t, "api/error.schema.json", resp.body); tc.pointer != "" && !hasPointer(e, tc.pointer) {
			t.Errorf("%v: no detail points at %s: %s", tc.spec, tc.pointer, resp.body)
		}
	}
}

// The schema's enums are the generator's lists.
func TestUnitEnums(t *testing.T) {
	files, _ := schemaFiles()
	var s struct {
		Properties map[string]struct {
			Enum []string `json:"enum"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(files[generateUnitSchema], &s); err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(s.Properties["preset"].Enum, " "), strings.Join(generate.UnitPresetNames(), " "); got != want {
		t.Errorf("unit preset enum\n got %s\nwant %s", got, want)
	}
	for _, typ := range s.Properties["app_type"].Enum {
		_, err := generate.Unit(generate.UnitSpec{AppType: typ, Path: "/srv/app", Module: "app", Executable: "/srv/app/bin"})
		if err != nil && strings.Contains(err.Error(), "--app-type") {
			t.Errorf("app_type %q in the schema is refused by the generator: %v", typ, err)
		}
	}
}

func TestLintUnit(t *testing.T) {
	h := newServer(t, Options{})
	conf := `{
  "listeners": {"*:80": {"pass": "routes"}},
  "routes": [{"match": {"uri": "/ws/*"}, "action": {"proxy": "http://127.0.0.1:8000"}}]
}
`
	for _, kind := range []string{"auto", "unit"} {
		resp := post(t, h, "/api/v1/lint", map[string]any{"config": conf, "kind": kind, "unit_version": "1.34.2"})
		if resp.status != 200 || resp.header.Get("X-Wslint-Kind") != "unit" {
			t.Fatalf("kind %s: status %d, X-Wslint-Kind %q: %s", kind, resp.status, resp.header.Get("X-Wslint-Kind"), resp.body)
		}
		validate(t, "findings.schema.json", resp.body)
		if !bytes.Contains(resp.body, []byte(`"file": "unit.json"`)) {
			t.Errorf("Unit findings not labelled unit.json: %s", resp.body)
		}
	}
	if resp := post(t, h, "/api/v1/lint", map[string]any{"config": conf, "kind": "nginx"}); resp.header.Get("X-Wslint-Kind") != "nginx" {
		t.Errorf("kind nginx: read as %q", resp.header.Get("X-Wslint-Kind"))
	}
	if resp := post(t, h, "/api/v1/lint", map[string]any{"config": conf, "unit_version": "1.x"}); resp.status != 400 {
		t.Errorf("unit_version 1.x: status %d", resp.status)
	}
	fix := post(t, h, "/api/v1/fix", map[string]any{"config": conf, "unsafe": true})
	validate(t, "api/fix-response.schema.json", fix.body)
	broken := post(t, h, "/api/v1/fix", map[string]any{"config": `{"listeners": {`})
	if b := validate(t, "api/fix-response.schema.json", broken.body); b["fixed"] != `{"listeners": {` {
		t.Errorf("a Unit document that does not parse was changed: %v", b)
	}
}
