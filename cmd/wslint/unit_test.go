package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const unitChannels = `// Django Channels under Unit.
{
    "listeners": {"*:80": {"pass": "routes"}},
    "routes": [{"match": {"uri": "/ws/*"}, "action": {"pass": "applications/channels"}}],
    "applications": {
        "channels": {
            "type": "python 3.11",
            "module": "project.asgi" // Unit's default callable: application
        }
    }
}
`

func TestLintMixesNginxAndUnit(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("conf.d/app.conf", "location /ws/ {\n    proxy_pass http://127.0.0.1:8000;\n}\n")
	write("unit/config.json", `{"listeners": {"*:80": {}}}`)
	write("package.json", `{"name": "app", "version": "1.0.0"}`)
	out, _, code := wslint(t, "", "lint", "--color", "never", dir)
	if code != exitFindings {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	for _, want := range []string{"conf.d/app.conf:2:5: error WS101", "unit/config.json:1:16: error WS507 listener `*:80` has no `pass`"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "package.json") {
		t.Errorf("package.json was linted:\n%s", out)
	}
}

func TestLintUnitFlags(t *testing.T) {
	out, _, code := wslint(t, unitChannels, "lint", "--kind", "unit", "--stdin-filename", "unit.conf", "--unit-version", "1.34.2", "--fail-on", "error", "-")
	if code != exitClean || !strings.Contains(out, "unit.conf:6:9: warning WS506 Unit 1.34.2 runs ASGI application `channels`") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	if !strings.Contains(out, "info WS504") || !strings.Contains(out, "fix (safe): Declare `\"protocol\": \"asgi\"`") {
		t.Errorf("no WS504 with its fix:\n%s", out)
	}
	_, errOut, code := wslint(t, unitChannels, "lint", "--kind", "yaml", "-")
	if code != exitUsage || !strings.Contains(errOut, `--kind "yaml": want auto, nginx or unit`) {
		t.Errorf("--kind yaml: exit %d: %s", code, errOut)
	}
	_, errOut, code = wslint(t, unitChannels, "lint", "--unit-version", "latest", "-")
	if code != exitUsage || !strings.Contains(errOut, "--unit-version: invalid Unit version \"latest\"") {
		t.Errorf("--unit-version latest: exit %d: %s", code, errOut)
	}
	// --kind nginx reads JSON as nginx: a syntax error.
	out, _, _ = wslint(t, unitChannels, "lint", "--kind", "nginx", "-")
	if !strings.Contains(out, "WS001") {
		t.Errorf("--kind nginx:\n%s", out)
	}
}

func TestFixUnit(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "config.json")
	if err := os.WriteFile(p, []byte(unitChannels), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := wslint(t, "", "fix", p)
	want := strings.Replace(unitChannels, `"module": "project.asgi" // Unit's default callable: application`,
		"\"module\": \"project.asgi\", // Unit's default callable: application\n            \"protocol\": \"asgi\"", 1)
	if code != exitClean || out != want {
		t.Errorf("fix: exit %d, stderr %s, got:\n%s\nwant:\n%s", code, errOut, out, want)
	}
	out, _, code = wslint(t, "", "fix", "-d", p)
	if code != exitFindings || !strings.Contains(out, "+            \"protocol\": \"asgi\"") { // a non-empty diff exits 1
		t.Errorf("fix -d: exit %d:\n%s", code, out)
	}
	// An absolute path is named as git names it: `a/tmp/...`, not `a//tmp/...`.
	if name := strings.TrimPrefix(filepath.ToSlash(p), "/"); !strings.HasPrefix(out, "--- a/"+name+"\n+++ b/"+name+"\n") {
		t.Errorf("fix -d: the diff does not name a/%s and b/%s:\n%s", name, name, out)
	}
	if _, _, code = wslint(t, "", "fix", "-w", p); code != exitClean {
		t.Errorf("fix -w: exit %d", code)
	}
	if b, _ := os.ReadFile(p); string(b) != want {
		t.Errorf("fix -w wrote:\n%s", b)
	}
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"listeners": {"*:80": {}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, code = wslint(t, "", "fix", bad)
	if code != exitUsage || !strings.Contains(errOut, "not fixing a configuration that does not parse") {
		t.Errorf("fix of broken JSON: exit %d: %s", code, errOut)
	}
}

func TestGenerateUnit(t *testing.T) {
	out, errOut, code := wslint(t, "", "generate", "unit", "--preset", "fastapi", "--path", "/srv/app", "--static", "/srv/app/static")
	if code != exitClean || !strings.Contains(out, `"protocol": "asgi"`) || !strings.Contains(out, `"share": "/srv/app/static$uri"`) {
		t.Fatalf("exit %d: %s\n%s", code, errOut, out)
	}
	// The output lints clean (info aside).
	lintOut, _, code := wslint(t, out, "lint", "--stdin-filename", "config.json", "--fail-on", "warning", "-")
	if code != exitClean {
		t.Errorf("generated config fails lint (exit %d):\n%s", code, lintOut)
	}
	_, errOut, code = wslint(t, "", "generate", "unit", "--app-type", "php", "--path", "/srv", "--ws-path", "/ws")
	if code != exitUsage || !strings.Contains(errOut, "php applications cannot accept WebSockets under Unit") {
		t.Errorf("php with --ws-path: exit %d: %s", code, errOut)
	}
	out, _, code = wslint(t, "", "generate", "unit", "--help")
	if code != exitClean || !strings.Contains(out, "django-channels") || !strings.Contains(out, "--ws-keepalive") {
		t.Errorf("--help: exit %d:\n%s", code, out)
	}
}
