package rules

import (
	"testing"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
)

// applyFirstFixes applies Fixes[0] of every finding of r whose applicability
// is exactly level, and returns the text (the goldens hold Safe fixes only).
func applyFirstFixes(t *testing.T, r *lint.Rule, text string, level lint.Applicability, opts *lint.Options) string {
	t.Helper()
	f := source.NewFile("nginx.conf", []byte(text))
	if opts == nil {
		opts = lint.DefaultOptions()
	}
	var edits []source.TextEdit
	for _, fd := range lint.RunNginx([]*lint.Rule{r}, nginx.Load([]*source.File{f}, nginx.LoadOptions{}), opts) {
		if fd.RuleID == r.ID && len(fd.Fixes) > 0 && fd.Fixes[0].Applies == level {
			edits = append(edits, fd.Fixes[0].Edits...)
		}
	}
	if err := source.ValidateEdits(edits); err != nil {
		t.Fatalf("invalid edits: %v", err)
	}
	return string(source.ApplyEdits(f.Data, edits))
}

func TestUnsafeFixesWS3xxWS4xx(t *testing.T) {
	v130 := &lint.Options{NginxVersion: nginx.Version{Major: 1, Minor: 30}}
	for _, tc := range []struct {
		name     string
		rule     *lint.Rule
		opts     *lint.Options
		in, want string
	}{
		{"WS301 adds the websocket-only map", H2CUpgradeForwarded, nil,
			"server {\n    location /ws/ {\n        proxy_pass http://127.0.0.1:8000;\n        proxy_set_header Upgrade $http_upgrade;\n        proxy_set_header Connection $http_connection;\n    }\n}\n",
			"map $http_upgrade $ws_upgrade {\n    ~*^websocket$ websocket;\n    default       \"\";\n}\n\nserver {\n    location /ws/ {\n        proxy_pass http://127.0.0.1:8000;\n        proxy_set_header Upgrade $ws_upgrade;\n        proxy_set_header Connection $http_connection;\n    }\n}\n"},
		{"WS301 reuses an existing websocket-only map", H2CUpgradeForwarded, nil,
			"map $http_upgrade $only_ws {\n    websocket websocket;\n}\nserver {\n    location /ws/ {\n        proxy_pass http://127.0.0.1:8000;\n        proxy_set_header Upgrade $http_upgrade;\n        proxy_set_header Connection \"upgrade\";\n    }\n}\n",
			"map $http_upgrade $only_ws {\n    websocket websocket;\n}\nserver {\n    location /ws/ {\n        proxy_pass http://127.0.0.1:8000;\n        proxy_set_header Upgrade $only_ws;\n        proxy_set_header Connection \"upgrade\";\n    }\n}\n"},
		{"WS401 on the 1.29.7 default keepalive", KeepaliveDefeated, v130,
			"map $http_upgrade $c {\n    default upgrade;\n    ''      close;\n}\nupstream app { server 127.0.0.1:8000; }\nserver {\n    location / {\n        proxy_pass http://app;\n        proxy_set_header Connection $c;\n    }\n}\n",
			"map $http_upgrade $c {\n    default upgrade;\n    ''      '';\n}\nupstream app { server 127.0.0.1:8000; }\nserver {\n    location / {\n        proxy_pass http://app;\n        proxy_set_header Connection $c;\n    }\n}\n"},
		{"WS403 removes only the http2 parameter", PlaintextHTTP2Listen, nil,
			"server {\n    listen 8080 default_server http2 reuseport;\n}\n",
			"server {\n    listen 8080 default_server reuseport;\n}\n"},
		{"WS404 pins clients at the top of the upstream", StickySessionsMissing, nil,
			"upstream chat { # two nodes\n    server 127.0.0.1:8000;\n    server 127.0.0.1:8001;\n}\nserver {\n    location /socket.io/ {\n        proxy_pass http://chat;\n    }\n}\n",
			"upstream chat { # two nodes\n    hash $remote_addr consistent;\n    server 127.0.0.1:8000;\n    server 127.0.0.1:8001;\n}\nserver {\n    location /socket.io/ {\n        proxy_pass http://chat;\n    }\n}\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := applyFirstFixes(t, tc.rule, tc.in, lint.Unsafe, tc.opts); got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
			// Once fixed, the rule is silent.
			for _, fd := range lint.RunNginx([]*lint.Rule{tc.rule}, nginx.Load([]*source.File{source.NewFile("nginx.conf", []byte(tc.want))}, nginx.LoadOptions{}), tc.opts) {
				if fd.RuleID == tc.rule.ID {
					t.Errorf("still fires after the fix: %s", fd.Message)
				}
			}
		})
	}
}
