package unit

import (
	"strings"
	"testing"

	"github.com/wslint/wslint/lint/source"
)

func TestLangOf(t *testing.T) {
	for in, want := range map[string]string{"python 3.11": "python", "python3.11": "python", "python": "python", "external": "external", "wasm-wasi-component": "wasm-wasi-component", "ruby3": "ruby"} {
		if got := LangOf(in); got != want {
			t.Errorf("LangOf(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParsePass(t *testing.T) {
	tests := []struct {
		in   string
		want PassTarget
		ok   bool
	}{
		{"routes", PassTarget{Kind: PassRoutes}, true},
		{"routes/main", PassTarget{Kind: PassRoutes, Name: "main"}, true},
		{"applications/my%20app", PassTarget{Kind: PassApplication, Name: "my app"}, true},
		{"applications/a/t", PassTarget{Kind: PassApplication, Name: "a", Target: "t"}, true},
		{"upstreams/u", PassTarget{Kind: PassUpstream, Name: "u"}, true},
		{"upstreams/u/x", PassTarget{}, false},
		{"routes/a/b", PassTarget{}, false},
		{"applications/", PassTarget{}, false},
		{"applications/a/b/c", PassTarget{}, false},
		{"applications/%zz", PassTarget{}, false},
		{"applications/$host", PassTarget{}, false},
		{"`routes`", PassTarget{}, false},
		{"nowhere", PassTarget{}, false},
	}
	for _, tc := range tests {
		got, ok := ParsePass(tc.in)
		if ok != tc.ok || got != tc.want {
			t.Errorf("ParsePass(%q) = %+v, %v", tc.in, got, ok)
		}
	}
}

func TestCheckTemplate(t *testing.T) {
	tests := []struct {
		in   string
		want []string // Unit messages
	}{
		{"/srv$uri", nil},
		{"${host}${request_uri}", nil},
		{"$header_x_forwarded_for $arg_id2 $cookie_s $response_header_x $dollar", nil},
		{"`${uri}`", nil},
		{"$urii", []string{`Unknown variable "urii"`}},
		{"$header_", []string{`Unknown variable "header_"`}},
		{"a$", []string{"Invalid variable at position 1"}},
		{"${uri", []string{"Invalid variable at position 0"}},
		{"$1", []string{"Invalid variable at position 0"}},
		{"$hots/$urii", []string{`Unknown variable "hots"`, `Unknown variable "urii"`}},
	}
	for _, tc := range tests {
		var got []string
		for _, p := range CheckTemplate(tc.in) {
			got = append(got, p.Unit)
		}
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("CheckTemplate(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestParseVersion(t *testing.T) {
	v, err := ParseVersion("1.34.2")
	if err != nil || !v.Less(V1_35_0) || v.String() != "1.34.2" {
		t.Errorf("1.34.2: %v %v", v, err)
	}
	if v, err := ParseVersion("v1.35"); err != nil || v.Less(V1_35_0) {
		t.Errorf("v1.35: %v %v", v, err)
	}
	for _, bad := range []string{"", "1", "latest", "1.x", "1.35.0.1", "1.-1"} {
		if _, err := ParseVersion(bad); err == nil {
			t.Errorf("ParseVersion(%q) accepted", bad)
		}
	}
}

func TestMatchPattern(t *testing.T) {
	tests := []struct {
		p, s   string
		nocase bool
		want   bool
	}{
		{"/ws/*", "/ws/", false, true},
		{"/ws/*", "/ws", false, false},
		{"*/chat/*", "/a/chat/b", false, true},
		{"/ws", "/WS", false, false},
		{"websocket", "WebSocket", true, true},
		{"~^/w+s$", "/wws", false, true},
		{"~(", "x", false, false},
	}
	for _, tc := range tests {
		if got := MatchPattern(tc.p, tc.s, tc.nocase); got != tc.want {
			t.Errorf("MatchPattern(%q, %q) = %v", tc.p, tc.s, got)
		}
	}
}

func TestWebSocketRoutes(t *testing.T) {
	doc := `{
  "listeners": {"*:80": {"pass": "routes"}, "*:81": {"pass": "applications/b"}},
  "routes": [
    {"match": {"headers": {"Upgrade": "!websocket"}, "uri": "/ws/*"}, "action": {"pass": "applications/a"}},
    {"match": {"uri": ["!/ws/admin/*", "/ws/*"]}, "action": {"pass": "routes/x"}},
    {"match": {"uri": "/api/*"}, "action": {"proxy": "http://127.0.0.1:1"}},
    {"action": {"share": "/srv$uri", "fallback": {"pass": "applications/a"}}}
  ]
}`
	c := Load(source.NewFile("x.json", []byte(doc)))
	endpoint := func(p string) (string, bool) { return "ws", strings.Contains(p, "/ws") }
	var got []string
	for _, r := range c.WebSocketRoutes(WSOptions{Endpoint: endpoint}) {
		got = append(got, r.Step.String())
	}
	if strings.Join(got, ", ") != "step 1 of `routes`" {
		t.Errorf("routes %v", got)
	}
	got = nil
	for _, r := range c.WebSocketRoutes(WSOptions{Endpoint: endpoint, Paths: []string{"/chat"}}) {
		if r.Step != nil {
			got = append(got, r.Step.String())
		} else {
			got = append(got, "listener "+r.Listener.Name)
		}
	}
	// /chat is not taken by steps 0-2, so it reaches the share and its
	// fallback (two actions), and listener *:81 passes it straight on.
	if strings.Join(got, ", ") != "step 1 of `routes`, step 3 of `routes`, step 3 of `routes`, listener *:81" {
		t.Errorf("with --ws-path /chat: %v", got)
	}
}

func TestIsNode(t *testing.T) {
	c := Load(source.NewFile("x.json", []byte(`{"applications": {
		"a": {"type": "external", "executable": "/usr/bin/env", "arguments": ["node", "app.js"]},
		"b": {"type": "external", "executable": "/srv/app/server.js", "arguments": ["--require", "unit-http/loader"]},
		"c": {"type": "external", "executable": "/srv/bin/chat"},
		"d": {"type": "go", "executable": "node"}}}`)))
	var node []string
	for _, a := range c.Applications() {
		if a.IsNode() {
			node = append(node, a.Name)
		}
	}
	if strings.Join(node, ",") != "a,b" {
		t.Errorf("IsNode: %v", node)
	}
}
