package rules

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/source"
	"github.com/wslint/wslint/lint/unit"
)

// Issue 7's acceptance, as tests.

// unitRules are the Unit and Meta rules of the default preset.
func unitRules() []*lint.Rule {
	var out []*lint.Rule
	selected, _ := Registry.Select(false, nil, nil)
	for _, r := range selected {
		if r.Lang == lint.Unit || r.Lang == lint.Meta {
			out = append(out, r)
		}
	}
	return out
}

func lintUnit(t *testing.T, name, doc string, opts *lint.Options) []lint.Finding {
	t.Helper()
	if opts == nil {
		opts = lint.DefaultOptions()
	}
	f := source.NewFile(name, []byte(doc))
	return lint.Run(unitRules(), lint.Input{Files: []*source.File{f}, Kind: lint.KindUnit}, opts).Findings
}

// The Unit docs' WebSocket howto shapes (testdata/unit: FastAPI, Starlette,
// Django Channels, Quart, Express, Koa, Apollo, a Java webapp and a full
// configuration) lint without errors or warnings under every Unit rule.
func TestUnitHowtosLintClean(t *testing.T) {
	files, err := filepath.Glob("../testdata/unit/*.json")
	if err != nil || len(files) < 9 {
		t.Fatalf("testdata/unit: %v, %d files", err, len(files))
	}
	for _, name := range []string{"fastapi", "starlette", "django-channels", "quart", "express", "koa", "apollo"} {
		if _, err := os.Stat("../testdata/unit/" + name + ".json"); err != nil {
			t.Errorf("howto shape %s: %v", name, err)
		}
	}
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		// KindAuto: the files are recognised as Unit by content.
		res := lint.Run(unitRules(), lint.Input{Files: []*source.File{source.NewFile(path, data)}}, lint.DefaultOptions())
		for _, f := range res.Findings {
			if f.Severity >= lint.Warning {
				p := lint.PositionOf(f.Span)
				t.Errorf("%s:%d:%d: %s %s %s", path, p.Line, p.Column, f.Severity, f.RuleID, f.Message)
			}
		}
	}
}

// Each bad case of the issue is an error finding at the right line.
func TestUnitAcceptanceErrors(t *testing.T) {
	doc := `{
    "listeners": {
        "*:80": {"pass": "applications/missing"},
        "*:8080": {},
        "*:8081": {"pass": "routes"}
    },
    "routes": [
        {"match": {"uri": "/static/*"}},
        {"match": {"uri": "/ws/*"}, "action": {"proxy": "http://127.0.0.1:9000"}},
        {"match": {"uri": "/socket.io/*"}, "action": {"pass": "applications/flask"}},
        {"action": {"proxy": "ws://127.0.0.1:9001"}}
    ],
    "applications": {
        "chat": {"type": "python", "module": "asgi", "protocol": "asgi3", "processes": "2", "modul": "x"},
        "flask": {"type": "python", "module": "wsgi", "protocol": "wsgi"}
    },
    "settings": {"http": {"websocket": {"read_timeout": 0, "keepalive_interval": -1}}}
}
`
	want := []struct {
		rule string
		line int
		sev  lint.Severity
		re   string
	}{
		{"WS502", 3, lint.Error, "application `missing`, which is not defined"},
		{"WS507", 4, lint.Error, "listener `\\*:8080` has no `pass`"},
		{"WS507", 8, lint.Error, "step 0 of `routes` has no `action`"},
		{"WS503", 9, lint.Error, "Unit's proxy cannot tunnel WebSockets"},
		{"WS504", 10, lint.Error, "runs as WSGI"},
		{"WS501", 11, lint.Error, "`proxy` address `ws://127.0.0.1:9001` is invalid"},
		{"WS501", 14, lint.Error, "must be `wsgi` or `asgi`, not `asgi3`"},
		{"WS501", 14, lint.Error, "`processes` in application `chat` must be an integer or an object, not a string"},
		{"WS501", 14, lint.Error, "unknown key `modul` in application `chat`"},
		{"WS505", 17, lint.Warning, "`read_timeout` 0"},
		{"WS505", 17, lint.Warning, "`keepalive_interval` -1 is negative"},
	}
	got := lintUnit(t, "acceptance.json", doc, nil)
	for _, w := range want {
		found := false
		for _, f := range got {
			line, _ := f.Span.File.Position(f.Span.Start)
			if f.RuleID == w.rule && line == w.line && f.Severity == w.sev && matches(w.re, f.Message) {
				found = true
			}
		}
		if !found {
			t.Errorf("no %s %s on line %d matching %q", w.sev, w.rule, w.line, w.re)
		}
	}
	if t.Failed() {
		for _, f := range got {
			p := lint.PositionOf(f.Span)
			t.Logf("%d:%d %s %s %s", p.Line, p.Column, f.Severity, f.RuleID, f.Message)
		}
	}
}

// WebSocket evidence decides the severity: a match or a WebSocket path is
// an error, a catch-all under settings.http.websocket a warning, and an app
// whose protocol is detected, a Node.js or a Java app, info.
func TestUnitWebSocketRouteSeverities(t *testing.T) {
	tests := []struct {
		name, doc, rule string
		sev             lint.Severity
	}{
		{"proxy-header", `{"listeners": {"*:80": {"pass": "routes"}}, "routes": [{"match": {"headers": {"upgrade": "WebSocket"}}, "action": {"proxy": "http://127.0.0.1:1"}}]}`, "WS503", lint.Error},
		{"proxy-catchall", `{"listeners": {"*:80": {"pass": "routes"}}, "routes": [{"action": {"proxy": "http://127.0.0.1:1"}}], "settings": {"http": {"websocket": {}}}}`, "WS503", lint.Warning},
		{"wsgi-path", `{"listeners": {"*:80": {"pass": "routes"}}, "routes": [{"match": {"uri": "/cable"}, "action": {"pass": "applications/a"}}], "applications": {"a": {"type": "python", "module": "m", "protocol": "wsgi"}}}`, "WS504", lint.Error},
		{"wsgi-catchall", `{"listeners": {"*:80": {"pass": "applications/a"}}, "applications": {"a": {"type": "python", "module": "m", "protocol": "wsgi"}}, "settings": {"http": {"websocket": {}}}}`, "WS504", lint.Warning},
		{"detected", `{"listeners": {"*:80": {"pass": "routes"}}, "routes": [{"match": {"uri": "/ws"}, "action": {"pass": "applications/a"}}], "applications": {"a": {"type": "python", "module": "m"}}}`, "WS504", lint.Info},
		{"routed", `{"listeners": {"*:80": {"pass": "routes/main"}}, "routes": {"main": [{"match": {"uri": "/ws/*"}, "action": {"pass": "routes/ws"}}], "ws": [{"action": {"pass": "applications/a"}}]}, "applications": {"a": {"type": "perl", "script": "app.psgi"}}}`, "WS504", lint.Error},
		{"ws-path", `{"listeners": {"*:80": {"pass": "applications/a"}}, "applications": {"a": {"type": "ruby", "script": "config.ru"}}}`, "WS504", lint.Error},
	}
	for _, tc := range tests {
		opts := lint.DefaultOptions()
		if tc.name == "ws-path" {
			opts.WSPaths = []string{"/chat"}
		}
		found := false
		for _, f := range lintUnit(t, tc.name+".json", tc.doc, opts) {
			if f.RuleID == tc.rule {
				found = true
				if f.Severity != tc.sev {
					t.Errorf("%s: %s is %s, want %s: %s", tc.name, tc.rule, f.Severity, tc.sev, f.Message)
				}
			}
		}
		if !found {
			t.Errorf("%s: no %s finding", tc.name, tc.rule)
		}
	}
}

// wslint fix adds `"protocol": "asgi"` with the guarantees of nginx fixes:
// minimal edits, comments kept byte for byte, the result parses.
func TestUnitFixKeepsComments(t *testing.T) {
	doc := "// Channels behind Unit.\r\n{\r\n    \"listeners\": {\"*:80\": {\"pass\": \"routes\"}}, /* one listener */\r\n" +
		"    \"routes\": [{\"match\": {\"uri\": \"/ws/*\"}, \"action\": {\"pass\": \"applications/channels\"}}],\r\n" +
		"    \"applications\": {\r\n        \"channels\": {\r\n            \"type\": \"python 3.11\",\r\n" +
		"            \"module\": \"project.asgi\", // no callable: `application`\r\n        },\r\n    },\r\n" +
		"    \"settings\": {\"http\": {\"websocket\": {\"read_timeout\": 20}}}\r\n}\r\n"
	f := source.NewFile("channels.json", []byte(doc))
	res := lint.FixInput(unitRules(), lint.Input{Files: []*source.File{f}}, lint.DefaultOptions(), lint.Safe)
	got, ok := res.Changed["channels.json"]
	if !ok {
		t.Fatalf("nothing fixed; remaining %v", res.Remaining)
	}
	want := strings.Replace(doc, "\"project.asgi\", // no callable: `application`\r\n",
		"\"project.asgi\", // no callable: `application`\r\n            \"protocol\": \"asgi\",\r\n", 1)
	want = strings.Replace(want, "{\"read_timeout\": 20}", "{\"read_timeout\": 20, \"keepalive_interval\": 10}", 1)
	if string(got) != want {
		t.Errorf("fixed:\n%s\nwant:\n%s", got, want)
	}
	c := unit.Load(source.NewFile("x.json", got))
	if !c.SyntaxOK() || len(c.Problems) > 0 {
		t.Errorf("fixed output does not parse: %v", c.Problems)
	}
	for _, r := range res.Remaining {
		if r.RuleID == lint.InternalErrorID {
			t.Errorf("internal error: %s", r.Message)
		}
	}
	if len(res.Applied) != 2 {
		t.Errorf("applied %v, want WS504 and WS505", res.Applied)
	}
}

// `// wslint:ignore` works in Unit JSON: it suppresses the finding on its
// line or the next, and an unused one is WS902.
func TestUnitSuppressions(t *testing.T) {
	doc := `{
    "settings": {"http": {"websocket": {
        // wslint:ignore WS505 the clients ping every 10 s
        "keepalive_interval": 90,
        "max_frame_size": 1048576 // wslint:ignore WS508 not an issue here
    }}}
}
`
	var ids []string
	for _, f := range lintUnit(t, "sup.json", doc, nil) {
		ids = append(ids, f.RuleID)
	}
	if strings.Join(ids, ",") != "WS902" {
		t.Errorf("findings %v, want only WS902 (the unused WS508 suppression)", ids)
	}
}

// One run mixes nginx and Unit files; findings and files keep input order.
func TestMixedRun(t *testing.T) {
	ngx := source.NewFile("site.conf", []byte("location /ws/ {\n    proxy_pass http://127.0.0.1:8000;\n}\n"))
	u := source.NewFile("unit.conf", []byte(`{"listeners": {"*:80": {}}}`))
	selected, _ := Registry.Select(false, nil, nil)
	res := lint.Run(selected, lint.Input{Files: []*source.File{u, ngx}}, lint.DefaultOptions())
	if len(res.Files) != 2 || res.Files[0] != u || res.Files[1] != ngx {
		t.Fatalf("files %v", res.Files)
	}
	var order []string
	for _, f := range res.Findings {
		order = append(order, f.Span.File.Path+":"+f.RuleID)
	}
	joined := strings.Join(order, " ")
	if !strings.HasPrefix(joined, "unit.conf:WS507") || !strings.Contains(joined, "site.conf:WS101") {
		t.Errorf("findings %s", joined)
	}
	// --kind nginx reads the Unit file as nginx.
	res = lint.Run(selected, lint.Input{Files: []*source.File{u}, Kind: lint.KindNginx}, lint.DefaultOptions())
	if len(res.Findings) == 0 || res.Findings[0].RuleID != "WS001" {
		t.Errorf("--kind nginx: %v", res.Findings)
	}
}

func matches(re, s string) bool {
	ok, err := regexpMatch(re, s)
	return err == nil && ok
}

var regexpMatch = regexp.MatchString
