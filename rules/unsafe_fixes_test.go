package rules

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
)

// fixAt applies the first fix of every finding of rule r whose
// applicability is exactly level, in one round, and returns the text.
func fixAt(t *testing.T, r *lint.Rule, text string, level lint.Applicability, opts *lint.Options) string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	f := source.NewFile(path, []byte(text))
	if opts == nil {
		opts = lint.DefaultOptions()
	}
	var edits []source.TextEdit
	for _, fd := range lint.RunNginx([]*lint.Rule{r}, nginx.Load([]*source.File{f}, nginx.LoadOptions{}), opts) {
		if fd.RuleID == r.ID && len(fd.Fixes) > 0 && fd.Fixes[0].Applies == level {
			edits = append(edits, fd.Fixes[0].Edits...)
		}
	}
	if len(edits) == 0 {
		return text
	}
	if err := source.ValidateEdits(edits); err != nil {
		t.Fatalf("invalid edits: %v", err)
	}
	return string(source.ApplyEdits(f.Data, edits))
}

// TestUnsafeAndSuggestedFixes checks the fixes that the fixture goldens do
// not cover (they hold Safe fixes only).
func TestUnsafeAndSuggestedFixes(t *testing.T) {
	ws := &lint.Options{NginxVersion: nginx.DefaultVersion, WSPaths: []string{"/ws/"}}
	for _, tc := range []struct {
		name     string
		rule     *lint.Rule
		level    lint.Applicability
		opts     *lint.Options
		in, want string
	}{
		{"WS201 replaces the location's own value", IdleTimeoutShort, lint.Unsafe, ws,
			"location /ws/ {\n    proxy_pass http://127.0.0.1:8000;\n    proxy_read_timeout 30s;\n}\n",
			"location /ws/ {\n    proxy_pass http://127.0.0.1:8000;\n    proxy_read_timeout 1h;\n}\n"},
		{"WS201 inserts after proxy_pass when inherited", IdleTimeoutShort, lint.Unsafe, ws,
			"server {\n    proxy_read_timeout 45s;\n    location /ws/ {\n        proxy_pass http://127.0.0.1:8000;\n    }\n}\n",
			"server {\n    proxy_read_timeout 45s;\n    location /ws/ {\n        proxy_pass http://127.0.0.1:8000;\n        proxy_read_timeout 1h;\n    }\n}\n"},
		{"WS201 never inserts into if", IdleTimeoutShort, lint.Unsafe, ws,
			"location /ws/ {\n    if ($arg_a) {\n        proxy_pass http://127.0.0.1:8000;\n    }\n}\n",
			"location /ws/ {\n    proxy_read_timeout 1h;\n    if ($arg_a) {\n        proxy_pass http://127.0.0.1:8000;\n    }\n}\n"},
		{"WS201 uwsgi and a threshold above an hour", IdleTimeoutShort, lint.Unsafe,
			&lint.Options{NginxVersion: nginx.DefaultVersion, WSPaths: []string{"/ws/"}, RuleOptions: map[string]map[string]any{"WS201": {"min_read_timeout": "2h"}}},
			"location /ws/ {\n    uwsgi_pass 127.0.0.1:8000;\n}\n",
			"location /ws/ {\n    uwsgi_pass 127.0.0.1:8000;\n    uwsgi_read_timeout 3h;\n}\n"},
		{"WS110 unsafe with a nested location", WebsocketResponseCached, lint.Unsafe, ws,
			"location /ws/ {\n    proxy_pass http://127.0.0.1:8000;\n    proxy_cache app;\n    location /ws/x/ {\n        proxy_pass http://127.0.0.1:8000;\n    }\n}\n",
			"location /ws/ {\n    proxy_pass http://127.0.0.1:8000;\n    proxy_cache app;\n    proxy_cache_bypass $http_upgrade;\n    proxy_no_cache $http_upgrade;\n    location /ws/x/ {\n        proxy_pass http://127.0.0.1:8000;\n    }\n}\n"},
		{"WS111 unsafe for a DNS backend", HostNotForwarded, lint.Unsafe, ws,
			"location /ws/ {\n    proxy_pass http://chat.example.com;\n    proxy_set_header Upgrade $http_upgrade;\n}\n",
			"location /ws/ {\n    proxy_pass http://chat.example.com;\n    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Host $host;\n}\n"},
		{"WS202 suggests moving settings, keeping inherited lines", NamedLocationSettingsIgnored, lint.Suggestion, nil,
			"server {\n    proxy_set_header X-A a;\n    location /ws/ {\n        proxy_set_header Upgrade $http_upgrade;\n        try_files $uri @app;\n    }\n    location @app {\n        proxy_pass http://127.0.0.1:8000;\n    }\n}\n",
			"server {\n    proxy_set_header X-A a;\n    location /ws/ {\n        proxy_set_header Upgrade $http_upgrade;\n        try_files $uri @app;\n    }\n    location @app {\n        proxy_pass http://127.0.0.1:8000;\n        proxy_set_header X-A a;\n        proxy_set_header Upgrade $http_upgrade;\n    }\n}\n"},
		{"WS203 inserts at main level", WorkerShutdownTimeoutMissing, lint.Unsafe, ws,
			"user nginx;\npid /run/nginx.pid;\n\nevents {}\nhttp {\n    server {\n        location /ws/ {\n            proxy_pass http://127.0.0.1:8000;\n        }\n    }\n}\n",
			"user nginx;\npid /run/nginx.pid;\nworker_shutdown_timeout 10s;\n\nevents {}\nhttp {\n    server {\n        location /ws/ {\n            proxy_pass http://127.0.0.1:8000;\n        }\n    }\n}\n"},
		{"WS203 before the first block", WorkerShutdownTimeoutMissing, lint.Unsafe, ws,
			"events {}\nhttp {\n    server {\n        location /ws/ {\n            proxy_pass http://127.0.0.1:8000;\n        }\n    }\n}\n",
			"worker_shutdown_timeout 10s;\nevents {}\nhttp {\n    server {\n        location /ws/ {\n            proxy_pass http://127.0.0.1:8000;\n        }\n    }\n}\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := fixAt(t, tc.rule, tc.in, tc.level, tc.opts); got != tc.want {
				t.Errorf("fixed:\n%s\nwant:\n%s", got, tc.want)
			}
			if again := fixAt(t, tc.rule, tc.want, tc.level, tc.opts); again != tc.want {
				t.Errorf("fixing the result again changes it:\n%s", again)
			}
		})
	}
}

// TestHostFixAfterUpgradeFix: when WS101 copies a location's inherited
// proxy_set_header lines, WS111 waits a round instead of copying them too.
func TestHostFixAfterUpgradeFix(t *testing.T) {
	in := "server {\n    proxy_set_header X-Real-IP $remote_addr;\n    location /ws/ {\n        proxy_pass http://127.0.0.1:8000;\n    }\n}\n"
	want := "map $http_upgrade $connection_upgrade {\n    default upgrade;\n    ''      close;\n}\n\n" +
		"server {\n    proxy_set_header X-Real-IP $remote_addr;\n    location /ws/ {\n        proxy_pass http://127.0.0.1:8000;\n" +
		"        proxy_set_header X-Real-IP $remote_addr;\n        proxy_set_header Upgrade $http_upgrade;\n        proxy_set_header Connection $connection_upgrade;\n" +
		"        proxy_set_header Host $host;\n    }\n}\n"
	path := filepath.Join(t.TempDir(), "ws.conf")
	if err := os.WriteFile(path, []byte(in), 0o644); err != nil {
		t.Fatal(err)
	}
	opts := &lint.Options{NginxVersion: nginx.DefaultVersion, WSPaths: []string{"/ws/"}}
	res := lint.FixNginx([]*lint.Rule{UpgradeHeadersMissing, HostNotForwarded}, []*source.File{source.NewFile(path, []byte(in))}, nginx.LoadOptions{}, opts, lint.Safe)
	if got := string(res.Changed[path]); got != want {
		t.Errorf("fixed:\n%s\nwant:\n%s", got, want)
	}
}
