package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
)

// TestHostFixNestedOnce: a nested location that takes its list from its
// parent gets Host through one line in the parent, under every fix level and
// whatever the upgrade-header rules do to that list (no copied list, no
// second Host line).
func TestHostFixNestedOnce(t *testing.T) {
	in := "map $http_upgrade $connection_upgrade {\n    default upgrade;\n    ''      close;\n}\n" +
		"server {\n    listen 80;\n    proxy_http_version 1.1;\n    proxy_set_header Upgrade $http_upgrade;\n" +
		"    proxy_set_header Connection $connection_upgrade;\n    proxy_read_timeout 1h;\n" +
		"    location /api/ {\n        proxy_pass http://127.0.0.1:8000;\n        proxy_set_header X-Api 1;\n" +
		"        location /api/ws/ {\n            proxy_pass http://127.0.0.1:8000;\n        }\n    }\n}\n"
	for level, got := range fixedAtEachLevel(t, in) {
		if n := strings.Count(got, "proxy_set_header Host $host;"); n != 1 {
			t.Errorf("%s: %d Host lines, want 1:\n%s", level, n, got)
		}
		inner := got[strings.Index(got, "location /api/ws/"):]
		if strings.Contains(inner[:strings.Index(inner, "}")], "proxy_set_header") {
			t.Errorf("%s: the nested location got a list of its own:\n%s", level, got)
		}
	}
}

// TestRequestHeadersOffOrigin: with proxy_pass_request_headers off, the Safe
// fix forwards the Sec-WebSocket-* headers (only handshakes carry them); the
// Unsafe alternative adds Origin, which browsers send on plain requests too.
func TestRequestHeadersOffOrigin(t *testing.T) {
	text := HandshakeHeadersStripped.Doc.Bad
	path := filepath.Join(t.TempDir(), "nginx.conf")
	f := source.NewFile(path, []byte(text))
	var fixes []lint.Fix
	for _, fd := range lint.RunNginx([]*lint.Rule{HandshakeHeadersStripped}, nginx.Load([]*source.File{f}, nginx.LoadOptions{}), lint.DefaultOptions()) {
		if fd.RuleID == HandshakeHeadersStripped.ID {
			if !strings.Contains(fd.Message, "`Origin` does not reach it either") {
				t.Errorf("message does not mention Origin: %s", fd.Message)
			}
			fixes = fd.Fixes
		}
	}
	if len(fixes) < 2 {
		t.Fatalf("want a Safe fix and an Unsafe alternative, got %d fixes", len(fixes))
	}
	safe, origin := fixes[0], fixes[1]
	if safe.Applies != lint.Safe || strings.Contains(safe.Edits[0].New, "Origin") {
		t.Errorf("Fixes[0] = %s %q, want Safe without Origin", safe.Applies, safe.Edits[0].New)
	}
	if origin.Applies != lint.Unsafe || !strings.Contains(origin.Edits[0].New, "proxy_set_header Origin $http_origin;") ||
		!strings.Contains(origin.Edits[0].New, "proxy_set_header Sec-WebSocket-Key $http_sec_websocket_key;") {
		t.Errorf("Fixes[1] = %s %q, want Unsafe with the Sec-WebSocket-* headers and Origin", origin.Applies, origin.Edits[0].New)
	}
}

// TestMisspeltMapNotDuplicated: an upgrade map whose directive is misspelt
// (`Map`) is the configuration's map once WS002 renames it, so no fix adds
// a second `map ... $connection_upgrade` beside it (the later map would
// win): under every fix level, the output has one map, and the location's
// Connection is forwarded from it.
func TestMisspeltMapNotDuplicated(t *testing.T) {
	in := "Map $http_upgrade $connection_upgrade {\n    default upgrade;\n    ''      close;\n}\n" +
		"server {\n    listen 80;\n    location /ws/ {\n        proxy_pass http://127.0.0.1:8000;\n        proxy_http_version 1.1;\n" +
		"        proxy_set_header Upgrade $http_upgrade;\n        proxy_read_timeout 1h;\n    }\n}\n"
	for level, got := range fixedAtEachLevel(t, in) {
		if n := strings.Count(strings.ToLower(got), "$connection_upgrade {"); n != 1 || !strings.HasPrefix(got, "map $http_upgrade") {
			t.Errorf("%s: %d maps of $connection_upgrade, want the renamed one alone:\n%s", level, n, got)
		}
		if !strings.Contains(got, "proxy_set_header Connection $connection_upgrade;") {
			t.Errorf("%s: Connection is not forwarded from the map:\n%s", level, got)
		}
	}
}

// fixedAtEachLevel returns what the default rules' fixes make of the main
// configuration in, at the Safe and at the Unsafe level.
func fixedAtEachLevel(t *testing.T, in string) map[lint.Applicability]string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "nginx.conf")
	if err := os.WriteFile(path, []byte(in), 0o644); err != nil {
		t.Fatal(err)
	}
	defaults, err := Registry.Select(false, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	out := map[lint.Applicability]string{}
	for _, level := range []lint.Applicability{lint.Safe, lint.Unsafe} {
		res := lint.FixNginx(defaults, []*source.File{source.NewFile(path, []byte(in))}, nginx.LoadOptions{}, lint.DefaultOptions(), level)
		out[level] = string(res.Changed[path])
	}
	return out
}

// TestUpgradeMapMustUpgrade: the fixes forward Connection from an existing
// map over $http_upgrade only when it gives `upgrade` to the handshakes; a
// `default upgrade` behind a key that matches them first does not (found by
// FuzzFix with `~*^`).
func TestUpgradeMapMustUpgrade(t *testing.T) {
	in := "map $http_upgrade $conn {\n    ~. keep-alive;\n    default upgrade;\n}\n" +
		"server {\n    listen 80;\n    location /ws/ {\n        proxy_pass http://127.0.0.1:8000;\n        proxy_http_version 1.1;\n" +
		"        proxy_set_header Upgrade $http_upgrade;\n        proxy_read_timeout 1h;\n    }\n}\n"
	for level, got := range fixedAtEachLevel(t, in) {
		if strings.Contains(got, "Connection $conn;") {
			t.Errorf("%s: Connection is forwarded from a map that gives the handshakes keep-alive:\n%s", level, got)
		}
	}
}

// TestRenameBeforeOtherFixes: a misspelt `Proxy_set_header Host
// $http_host` is renamed in a round of its own, so WS111 sees its Host line
// and adds no second one (WS114, which cannot pick between two values).
func TestRenameBeforeOtherFixes(t *testing.T) {
	in := "map $http_upgrade $connection_upgrade {\n    default upgrade;\n    ''      close;\n}\n" +
		"server {\n    listen 80;\n    location /ws/ {\n        Proxy_set_header Host $http_host;\n        proxy_pass http://127.0.0.1:8000;\n" +
		"        proxy_http_version 1.1;\n        proxy_set_header Upgrade $http_upgrade;\n" +
		"        proxy_set_header Connection $connection_upgrade;\n        proxy_read_timeout 1h;\n    }\n}\n"
	for level, got := range fixedAtEachLevel(t, in) {
		if n := strings.Count(got, "proxy_set_header Host "); n != 1 || !strings.Contains(got, "proxy_set_header Host $http_host;") {
			t.Errorf("%s: %d Host lines, want the renamed one alone:\n%s", level, n, got)
		}
	}
}
