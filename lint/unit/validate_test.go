package unit

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wslint/wslint/lint/source"
)

// The Unit docs' howtos in testdata/unit (FastAPI, Django Channels,
// Starlette, Quart, Express through unit-http, a Java webapp, and a full
// configuration with comments, a routes object, upstreams and
// settings.http.websocket) must validate cleanly.
func TestValidateDocsHowtos(t *testing.T) {
	files, err := filepath.Glob("../../testdata/unit/*.json")
	if err != nil || len(files) < 7 {
		t.Fatalf("testdata: %v, %d files", err, len(files))
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f := source.NewFile(name, data)
		c, probs := Parse(f)
		if c == nil || len(probs) > 0 {
			t.Errorf("%s: parse problems %v", name, probs)
			continue
		}
		if !LooksLikeUnit(data) {
			t.Errorf("%s: LooksLikeUnit = false", name)
		}
		for _, p := range Validate(c) {
			l, col := f.Position(p.Span.Start)
			t.Errorf("%s:%d:%d: unexpected problem: %s", name, l, col, p.Message)
		}
	}
}

func TestValidateInlineValid(t *testing.T) {
	docs := []string{
		`{}`,
		`{"listeners": {"*:80": {}}, "routes": [{}]}`, // no pass, no action: WS507's business, not the schema's
		`{"listeners": {"*:80": {"pass": "applications/$host"}}}`,
		`{"listeners": {"*:80": {"pass": "routes/` + "`${host}`" + `"}}}`,
		`{"listeners": {"0.0.0.0:65535": {"pass": "routes"}, "[::]:1": {"pass": "routes"}, "[::ffff:10.0.0.1]:80": {}, "unix:@abstract": {}}}`,
		`{"routes": [{"match": {"uri": "~^/ws/.**$", "host": "!*.example.com"}, "action": {"return": 0}}]}`,
		`{"applications": {"w": {"type": "wasm", "module": "m.wasm", "request_handler": "h", "malloc_handler": "m", "free_handler": "f"}}}`,
		`{"applications": {"c": {"type": "wasm-wasi-component", "component": "c.wasm", "access": {"filesystem": ["/srv"]}}}}`,
		`{"applications": {"g": {"type": "go", "executable": "/srv/app", "processes": 2}}}`,
		`{"applications": {"r": {"type": "ruby 3.2", "script": "config.ru", "threads": 2}, "pl": {"type": "perl", "script": "app.psgi"}}}`,
		`{"applications": {"php": {"type": "php 8.2", "targets": {"front": {"root": "/srv/www"}}}}}`,
		`{"listeners": {"*:80": {"forwarded": {"protocol": "X-Forwarded-Proto", "source": ["127.0.0.1"]}}}}`,
		`{"settings": {"http": {"websocket": {"read_timeout": -5, "keepalive_interval": 0, "max_frame_size": 0}}}}`,
		`{"settings": {"http": {"compression": {"types": ["text/*"], "compressors": [{"encoding": "gzip", "level": 3}]}}}}`,
		`{"access_log": "/var/log/access.log"}`,
	}
	for _, doc := range docs {
		c := mustParse(t, doc)
		for _, p := range Validate(c) {
			t.Errorf("Validate(%s): unexpected %q at %q", doc, p.Message, p.Span.Text())
		}
	}
}

const appDoc = `{
  "listeners": {"*:80": {"pass": "applications/p"}},
  "applications": {
    "p": {
      "type": "python 3.11",
      "module": "asgi",
      %s
    }
  }
}`

func TestValidateInvalid(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		line int
		at   string // the text of the problem's span
		want string
	}{
		{"unknown key", strings.Replace(appDoc, "%s", `"protocl": "asgi"`, 1), 7, `"protocl"`,
			"unknown key `protocl` in application `p`; did you mean `protocol`?"},
		{"protocol enum", strings.Replace(appDoc, "%s", `"protocol": "asgi3"`, 1), 7, `"asgi3"`,
			"`protocol` in application `p` must be `wsgi` or `asgi`, not `asgi3`"},
		{"string for integer", strings.Replace(appDoc, "%s", `"threads": "4"`, 1), 7, `"4"`,
			"`threads` in application `p` must be an integer, not a string"},
		{"fraction for integer", strings.Replace(appDoc, "%s", `"threads": 1.5`, 1), 7, `1.5`,
			"`threads` in application `p` must be an integer, not a fractional number"},
		{"processes", strings.Replace(appDoc, "%s", `"processes": "4"`, 1), 7, `"4"`,
			"`processes` in application `p` must be an integer or an object, not a string"},
		{"range", strings.Replace(appDoc, "%s", `"threads": 0`, 1), 7, `0`,
			"`threads` in application `p` must be at least 1, not 0"},
		{"targets exclusive", strings.Replace(appDoc, "%s", `"targets": {"a": {"module": "x"}}`, 1), 6, `"asgi"`,
			"`module` cannot be used together with `targets` in application `p`"},
		{"python without module", `{
  "applications": {
    "p": {"type": "python", "callable": "app"}
  }
}`, 3, `"p"`, "application `p` is missing `module` (or `targets`)"},
		{"missing type", `{"applications": {
  "p": {"module": "asgi"}}}`, 2, `"p"`, "application `p` is missing `type`"},
		{"unknown type", `{"applications": {
  "n": {"type": "node", "executable": "app.js"}}}`, 2, `"node"`, "unknown application type `node`"},
		{"java without webapp", `{"applications": {
  "j": {"type": "java", "classpath": ["/a.jar"]}}}`, 2, `"j"`, "application `j` is missing `webapp`"},
		{"hostname listener", `{
  "listeners": {
    "localhost:80": {"pass": "routes"}
  },
  "routes": []
}`, 3, `"localhost:80"`, "listener address `localhost:80` is invalid"},
		{"port 0", `{"listeners": {
  "*:0": {}}}`, 2, `"*:0"`, "listener address `*:0` is invalid"},
		{"port 65536", `{"listeners": {
  "127.0.0.1:65536": {}}}`, 2, `"127.0.0.1:65536"`, "listener address `127.0.0.1:65536` is invalid"},
		{"pass form", `{"listeners": {
  "*:80": {"pass": "applications/a/b/c"}}}`, 2, `"applications/a/b/c"`, "`pass` value `applications/a/b/c` is invalid"},
		{"proxy ws", `{
  "routes": [
    {"action": {"proxy": "ws://127.0.0.1:8000"}}
  ]
}`, 3, `"ws://127.0.0.1:8000"`, "`proxy` address `ws://127.0.0.1:8000` is invalid"},
		{"proxy hostname", `{"routes": [
  {"action": {"proxy": "http://backend:8000"}}]}`, 2, `"http://backend:8000"`, "`proxy` address `http://backend:8000` is invalid"},
		{"two actions", `{
  "routes": [
    {
      "match": {"uri": "/ws/*"},
      "action": {"pass": "applications/chat", "share": "/srv$uri"}
    }
  ]
}`, 5, `"action"`, "`action` in step 0 of `routes` must have just one of `pass`, `return`, `share` or `proxy`, not both `pass` and `share`"},
		{"no action key", `{"routes": {"main": [
  {"action": {"rewrite": "/x"}}]}}`, 2, `"action"`, "`action` in step 0 of route `main` must have one of `pass`, `return`, `share` or `proxy`"},
		{"action member type", `{"routes": [
  {"action": {"pass": 5}}]}`, 2, `5`, "`action.pass` in step 0 of `routes` must be a string, not an integer"},
		{"action unknown key", `{"routes": [
  {"action": {"return": 301, "locaton": "/x"}}]}`, 2, `"locaton"`, "unknown key `locaton` in `action` in step 0 of `routes`; did you mean `location`?"},
		{"return range", `{"routes": [
  {"action": {"return": 1000}}]}`, 2, `1000`, "`action.return` in step 0 of `routes` must be at most 999, not 1000"},
		{"fallback", `{"routes": [
  {"action": {"share": "/srv$uri", "fallback": {"proxy": "http://unix:/run/a.sock", "pass": "routes"}}}]}`, 2, `"fallback"`,
			"`action.fallback` in step 0 of `routes` must have just one of `pass`, `return`, `share` or `proxy`, not both `pass` and `proxy`"},
		{"settings.websocket", `{
  "settings": {
    "websocket": {"read_timeout": 120}
  }
}`, 3, `"websocket"`, "unknown key `websocket` in `settings`; did you mean `settings.http.websocket`?"},
		{"websocket integer", `{"settings": {"http": {"websocket": {
  "read_timeout": "60s"}}}}`, 2, `"60s"`, "`settings.http.websocket.read_timeout` must be an integer, not a string"},
		{"websocket unknown", `{"settings": {"http": {"websocket": {
  "ping_interval": 10}}}}`, 2, `"ping_interval"`, "unknown key `ping_interval` in `settings.http.websocket`"},
		{"compressors object", `{"settings": {"http": {"compression": {
  "compressors": {"encoding": "gzip"}}}}}`, 2, `"compressors"`, "Unit 1.35 crashes on the object form"},
		{"double star", `{"routes": [{"match": {
  "uri": ["/a", "/ws/**"]}}]}`, 2, `"/ws/**"`, "`match.uri[1]` in step 0 of `routes` must not contain `**`"},
		{"scheme", `{"routes": [{"match": {
  "scheme": "wss"}}]}`, 2, `"wss"`, "`match.scheme` in step 0 of `routes` must be `http` or `https`, not `wss`"},
		{"bad percent-encoding", `{"routes": [{"match": {
  "uri": "/a%zz"}}]}`, 2, `"/a%zz"`, "has invalid percent-encoding"},
		{"content-length", `{"routes": [{"action": {"return": 204, "response_headers": {
  "Content-Length": "0"}}}]}`, 2, `"Content-Length"`, "the `Content-Length` response header is not supported"},
		{"upstream server", `{"upstreams": {"u": {"servers": {
  "localhost:9000": {}}}}}`, 2, `"localhost:9000"`, "upstream server address `localhost:9000` is invalid"},
		{"upstream servers", `{"upstreams": {
  "u": {}}}`, 2, `"u"`, "upstream `u` is missing `servers`"},
		{"weight", `{"upstreams": {"u": {"servers": {"127.0.0.1:80": {
  "weight": 1000001}}}}}`, 2, `1000001`, "must be at most 1000000"},
		{"forwarded", `{"listeners": {"*:80": {
  "forwarded": {"source": "10.0.0.0/8"}}}}`, 2, `"forwarded"`, "must have one of `client_ip` or `protocol`"},
		{"path items", `{"applications": {"p": {"type": "python", "module": "m",
  "path": ["/srv", 3]}}}`, 2, `3`, "`path[1]` in application `p` must be a string, not an integer"},
		{"share type", `{"routes": [{"action": {
  "share": 5}}]}`, 2, `5`, "`action.share` in step 0 of `routes` must be a string or an array, not an integer"},
		{"unknown top-level key", `{
  "listener": {}}`, 2, `"listener"`, "unknown key `listener` in the configuration; did you mean `listeners`?"},
		{"listener member", `{"listeners": {
  "*:80": {"pass": 5}}}`, 2, `5`, "`pass` in listener `*:80` must be a string, not an integer"},
		{"escaped name", `{"applications": {
  "a/b~c": {"type": "python"}}}`, 2, `"a/b~c"`, "application `a/b~c` is missing `module`"},
		{"type not a string", `{"applications": {
  "x": {"type": 5}}}`, 2, `5`, "`type` in application `x` must be a string, not an integer"},
		{"empty header name", `{"routes": [{"match": {"headers": {
  "": "x"}}}]}`, 2, `""`, "match pattern names must not be empty"},
		{"root type", `[
]`, 1, `[`, "the configuration must be an object, not an array"},
		{"env name", `{"applications": {"p": {"type": "go", "executable": "/a", "environment": {
  "A=B": "x"}}}}`, 2, `"A=B"`, "environment variable name `A=B` must not contain `=`"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, c, probs := parse(t, tt.doc)
			if c == nil || len(probs) > 0 {
				t.Fatalf("parse: %v", probs)
			}
			got := Validate(c)
			if len(got) != 1 {
				for _, p := range got {
					t.Logf("problem at %q: %s", p.Span.Text(), p.Message)
				}
				t.Fatalf("got %d problems, want 1", len(got))
			}
			p := got[0]
			line, _ := f.Position(p.Span.Start)
			if line != tt.line || p.Span.Text() != tt.at || !strings.Contains(p.Message, tt.want) {
				t.Errorf("got line %d at %q: %q\nwant line %d at %q containing %q", line, p.Span.Text(), p.Message, tt.line, tt.at, tt.want)
			}
			if strings.HasSuffix(p.Message, ".") || p.Message[0] >= 'A' && p.Message[0] <= 'Z' {
				t.Errorf("message %q must be lowercase without a final period", p.Message)
			}
			if p.Pointer == "" && tt.name != "root type" {
				t.Errorf("no pointer for %q", p.Message)
			}
		})
	}
}

func TestValidateNil(t *testing.T) {
	if Validate(nil) != nil || Validate(&Config{}) != nil {
		t.Error("Validate of an empty Config must return nil")
	}
}

// TestValidateSeveral checks that independent problems are all reported, in
// document order, and that one problem is not reported twice.
func TestValidateSeveral(t *testing.T) {
	doc := `{
  "listeners": {"localhost:80": {"pass": "routes"}, "*:81": {"pas": "routes"}},
  "applications": {"p": {"type": "python", "module": "m", "protocol": "ws", "callabel": "app"}}
}`
	_, c, _ := parse(t, doc)
	got := Validate(c)
	var msgs []string
	for _, p := range got {
		msgs = append(msgs, p.Span.Text())
	}
	want := []string{`"localhost:80"`, `"pas"`, `"ws"`, `"callabel"`}
	if strings.Join(msgs, " ") != strings.Join(want, " ") {
		t.Errorf("problems at %v, want %v", msgs, want)
	}
}
