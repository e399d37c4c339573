package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wslint/wslint/lint/linttest/nginxe2e"
)

// wsConf has a WebSocket location without proxy_http_version (WS103 on
// nginx before 1.29.7) and the default 60s read timeout (WS201).
const wsConf = `server {
    listen 8080;
    location /ws/ {
        proxy_pass http://127.0.0.1:8000;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection "upgrade";
        proxy_set_header Host $host;
    }
}
`

// project makes a repository (a directory with .git) holding files, and
// changes into dir inside it.
func project(t *testing.T, files map[string]string, dir string) string {
	t.Helper()
	root := t.TempDir()
	os.Mkdir(filepath.Join(root, ".git"), 0o755)
	for name, text := range files {
		p := filepath.Join(root, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(filepath.Join(root, dir))
	return root
}

func jsonRules(t *testing.T, out string) []string {
	t.Helper()
	var r struct {
		Findings []struct{ Rule, Severity string }
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var ids []string
	for _, f := range r.Findings {
		ids = append(ids, f.Rule+":"+f.Severity)
	}
	return ids
}

func hasRule(ids []string, id string) bool {
	for _, x := range ids {
		if strings.HasPrefix(x, id+":") {
			return true
		}
	}
	return false
}

// Acceptance: nginx_version 1.30.0 in .wslint.yaml removes WS103 where
// proxy_http_version is unset (the default became 1.1 in nginx 1.29.7).
func TestConfigNginxVersionRemovesWS103(t *testing.T) {
	project(t, map[string]string{"deploy/nginx/app.conf": wsConf}, "deploy/nginx")
	out, _, _ := wslint(t, "", "lint", "--format", "json", "app.conf")
	if ids := jsonRules(t, out); !hasRule(ids, "WS103") {
		t.Fatalf("without a config: %v, want WS103", ids)
	}
	os.WriteFile("../../.wslint.yaml", []byte("# found upward from the working directory\nnginx_version: \"1.30.0\"\n"), 0o644)
	out, stderr, _ := wslint(t, "", "lint", "--format", "json", "app.conf")
	if ids := jsonRules(t, out); hasRule(ids, "WS103") {
		t.Errorf("with nginx_version 1.30.0: %v (%s), want no WS103", ids, stderr)
	}
	// A flag overrides the file.
	out, _, _ = wslint(t, "", "lint", "--format", "json", "--nginx-version", "1.24.0", "app.conf")
	if ids := jsonRules(t, out); !hasRule(ids, "WS103") {
		t.Errorf("--nginx-version 1.24.0 over the file: %v, want WS103", ids)
	}
}

// Acceptance: an unknown key is exit 2 naming the key and its line.
func TestConfigUnknownKey(t *testing.T) {
	project(t, map[string]string{
		"app.conf":     wsConf,
		".wslint.yaml": "# wslint\nfail_on: error\nnginx_versoin: \"1.30.0\"\n",
	}, ".")
	_, stderr, code := wslint(t, "", "lint", "app.conf")
	want := `.wslint.yaml:3: unknown key "nginx_versoin" (did you mean "nginx_version"?)`
	if code != exitUsage || !strings.Contains(stderr, want) {
		t.Errorf("exit %d, stderr %q; want exit 2 with %q", code, stderr, want)
	}
	// fix and trace read the same file.
	for _, cmd := range []string{"fix", "trace"} {
		args := []string{cmd, "app.conf"}
		if cmd == "trace" {
			args = append(args, "ws://example.com/ws/")
		}
		if _, stderr, code := wslint(t, "", args...); code != exitUsage || !strings.Contains(stderr, want) {
			t.Errorf("%s: exit %d, stderr %q; want exit 2 with %q", cmd, code, stderr, want)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	cases := []struct{ yaml, want string }{
		{"nginx_version: 1.30\n", `.wslint.yaml:1: nginx_version: expected string, but got number; quote the version`},
		{"nginx_version: \"one\"\n", `.wslint.yaml:1: nginx_version: invalid value, want a version such as "1.30.0"`},
		{"fail_on: warn\n", `.wslint.yaml:1: fail_on: value must be one of`},
		{"websocket_paths:\n  - /ws\n  - socket.io\n", `.wslint.yaml:3: websocket_paths[1]: invalid value, want a path that starts with /`},
		{"heartbeat: 25q\n", `.wslint.yaml:1: heartbeat "25q"`},
		{"enable: [WS1O4]\n", `.wslint.yaml:1: enable: unknown rule "WS1O4" (did you mean "WS104"?)`},
		{"disable:\n  - upgrade-header-missing\n", `.wslint.yaml:2: disable: unknown rule "upgrade-header-missing" (did you mean "upgrade-headers-missing"?)`},
		{"rules:\n  WS201:\n    severty: info\n", `.wslint.yaml:3: unknown key "rules.WS201.severty" (did you mean "severity"?)`},
		{"rules:\n  WS201:\n    severity: fatal\n", `.wslint.yaml:3: rules.WS201.severity: value must be one of "error", "warning", "info"`},
		{"rules:\n  WS777: {severity: info}\n", `.wslint.yaml:2: rules: unknown rule "WS777"`},
		{"rules:\n  WS201:\n    options:\n      min_read_timeout: 5x\n", `.wslint.yaml:3: rules.WS201.options: options of rule WS201 (idle-timeout-short): min_read_timeout`},
		{"rules:\n  WS104:\n    options: {x: 1}\n", `.wslint.yaml:3: rules.WS104.options: rule WS104 (inherited-headers-dropped) takes no options`},
		{"exclude: [\"[\"]\n", `.wslint.yaml:1: exclude: invalid glob "["`},
		{"endpoints:\n  - path: hub\n", `.wslint.yaml:2: endpoints[0]: prefix "hub" must start with /`},
		{"endpoints:\n  - {path: /hub/, what: Hub, client_url: true}\n", `client_url needs a prefix without a final /`},
		{"endpoints:\n  - {path: /hub, client_url: true}\n", `.wslint.yaml:2: endpoints[0]: path "/hub": client_url needs what`},
		{"endpoints:\n  - {path: /hub, mach: prefix}\n", `unknown key "endpoints[0].mach" (did you mean "match"?)`},
		{"endpoints:\n  - {match: segment}\n", `.wslint.yaml:2: endpoints[0]: missing properties: 'path'`},
		{"a: 1\na: 2\n", `.wslint.yaml:2: mapping key "a" already defined`},
		{"nginx_version: \"1.30.0\n", `.wslint.yaml:1: could not find end character of double-quoted text`},
		{"- a\n", `.wslint.yaml:1: the document: expected object, but got array`},
	}
	for _, c := range cases {
		project(t, map[string]string{"app.conf": wsConf, ".wslint.yaml": c.yaml}, ".")
		_, stderr, code := wslint(t, "", "lint", "app.conf")
		if code != exitUsage || !strings.Contains(stderr, c.want) {
			t.Errorf("%q: exit %d, stderr %q; want exit 2 with %q", c.yaml, code, stderr, c.want)
		}
	}
}

func TestConfigSettings(t *testing.T) {
	root := project(t, map[string]string{
		"conf.d/app.conf":    wsConf,
		"vendor/x/site.conf": wsConf,
		"conf.d/gen.conf":    wsConf,
		".wslint.yaml": `nginx_version: "1.30.0"
heartbeat: 20s           # silences WS201 (shorter than the 60s timeout)
fail_on: error
disable: [WS301, connection-upgrade-unconditional]
rules:
  host-not-forwarded: {severity: warning}
exclude:
  - vendor
  - conf.d/gen.*
`,
	}, ".")
	out, stderr, code := wslint(t, "", "lint", "--format", "json", ".")
	ids := jsonRules(t, out)
	if code != exitClean || len(ids) != 0 {
		t.Errorf("exit %d, findings %v (%s): want none, the file silences or fixes them all", code, ids, stderr)
	}
	var r struct{ Summary struct{ Files int } }
	json.Unmarshal([]byte(out), &r)
	if r.Summary.Files != 1 {
		t.Errorf("linted %d files, want 1 (vendor/ and conf.d/gen.* excluded)", r.Summary.Files)
	}
	// Severity override, and --enable over the file's disable.
	os.WriteFile(filepath.Join(root, "conf.d/app.conf"), []byte(strings.Replace(wsConf, "        proxy_set_header Host $host;\n", "", 1)), 0o644)
	out, _, code = wslint(t, "", "lint", "--format", "json", "--enable", "WS301", "conf.d/app.conf")
	ids = jsonRules(t, out)
	if !hasRule(ids, "WS111") || !contains(ids, "WS111:warning") || !hasRule(ids, "WS301") || hasRule(ids, "WS107") || hasRule(ids, "WS201") {
		t.Errorf("findings %v: want WS111 as warning, WS301 enabled by the flag, no WS107 or WS201", ids)
	}
	if code != exitClean {
		t.Errorf("exit %d with fail_on: error and no errors", code)
	}
	if _, _, code := wslint(t, "", "lint", "--fail-on", "warning", "conf.d/app.conf"); code != exitFindings {
		t.Errorf("--fail-on warning over the file: exit %d, want 1", code)
	}
	// --config names another file; a missing one is exit 2.
	os.WriteFile(filepath.Join(root, "strict.yaml"), []byte("fail_on: info\n"), 0o644)
	if _, _, code := wslint(t, "", "lint", "--config", "strict.yaml", "conf.d/app.conf"); code != exitFindings {
		t.Errorf("--config strict.yaml: exit %d, want 1", code)
	}
	if _, stderr, code := wslint(t, "", "lint", "--config", "nope.yaml", "conf.d/app.conf"); code != exitUsage || !strings.Contains(stderr, "nope.yaml") {
		t.Errorf("--config nope.yaml: exit %d, %q", code, stderr)
	}
}

// The search stops at the repository root: a .wslint.yaml above it is not used.
func TestConfigDiscoveryStopsAtRepositoryRoot(t *testing.T) {
	outer := t.TempDir()
	os.WriteFile(filepath.Join(outer, ".wslint.yaml"), []byte("bogus_key: 1\n"), 0o644)
	repo := filepath.Join(outer, "repo")
	os.MkdirAll(filepath.Join(repo, ".git"), 0o755)
	os.MkdirAll(filepath.Join(repo, "a", "b"), 0o755)
	os.WriteFile(filepath.Join(repo, "a", "b", "app.conf"), []byte(wsConf), 0o644)
	t.Chdir(filepath.Join(repo, "a", "b"))
	if _, stderr, code := wslint(t, "", "lint", "app.conf"); code == exitUsage {
		t.Errorf("the config above the repository root was read: %s", stderr)
	}
	p, err := findConfig(".")
	if err != nil || p != "" {
		t.Errorf("findConfig = %q, %v; want none", p, err)
	}
}

func TestGlobs(t *testing.T) {
	gs, bad := compileGlobs([]string{"vendor", "conf.d/*.gen.conf", "**/templates/**", "/top.conf", "./rel/x.conf"})
	if len(bad) != 0 {
		t.Fatal(bad)
	}
	for path, want := range map[string]bool{
		"vendor/a.conf":          true,
		"deploy/vendor/a.conf":   true,
		"conf.d/x.gen.conf":      true,
		"conf.d/x.conf":          false,
		"deploy/conf.d/x.gen.co": false,
		"a/templates/b/c.conf":   true,
		"templates/c.conf":       true,
		"top.conf":               true,
		"sub/top.conf":           false,
		"rel/x.conf":             true,
		"vendored/a.conf":        false,
	} {
		if got := gs.match(path); got != want {
			t.Errorf("match(%q) = %v, want %v", path, got, want)
		}
	}
}

// Endpoints in the file join the knowledge base: a location on such a
// path is a WebSocket location (here WS101 reports its missing upgrade
// headers), and a client_url one is checked for nginx's redirect (WS113).
func TestConfigEndpoints(t *testing.T) {
	conf := "server {\n    listen 80;\n    location /hub/ {\n        proxy_pass http://127.0.0.1:8000;\n        proxy_http_version 1.1;\n        proxy_read_timeout 1h;\n    }\n}\n"
	project(t, map[string]string{"app.conf": conf}, ".")
	out, _, _ := wslint(t, "", "lint", "--format", "json", "app.conf")
	if ids := jsonRules(t, out); hasRule(ids, "WS101") || hasRule(ids, "WS113") {
		t.Fatalf("without endpoints: %v, want neither WS101 nor WS113", ids)
	}
	os.WriteFile(".wslint.yaml", []byte("endpoints:\n  - {path: /hub, what: SignalR hub, client_url: true}\n"), 0o644)
	out, stderr, _ := wslint(t, "", "lint", "app.conf")
	if !strings.Contains(out, "WS101") || !strings.Contains(out, "(WebSocket location: `/hub/` is a well-known WebSocket endpoint: SignalR hub)") ||
		!strings.Contains(out, "WS113 `/hub` is the URL SignalR hub clients open by default") {
		t.Errorf("with endpoints (%s):\n%s", stderr, out)
	}
}

// --nginx-version installed targets the nginx on PATH; without one it is a
// usage error that says what to give instead.
func TestNginxVersionInstalled(t *testing.T) {
	bin := nginxe2e.NginxBinary(t)
	want := nginxe2e.Version(t)
	t.Setenv("PATH", filepath.Dir(bin))
	out, stderr, _ := wslint(t, "", "lint", "--nginx-version", "installed", "../../testdata/rules/WS012/bad.conf")
	if !strings.Contains(out, "WS012 `http2` appeared in nginx 1.25.1: the target nginx "+want+" refuses to load") {
		t.Errorf("stderr %q:\n%s", stderr, out)
	}
	t.Setenv("PATH", t.TempDir())
	_, stderr, code := wslint(t, "", "lint", "--nginx-version", "installed", "../../testdata/rules/WS012/bad.conf")
	if code != exitUsage || !strings.Contains(stderr, "--nginx-version installed: no nginx on PATH; give the version the servers run") {
		t.Errorf("without nginx: exit %d, stderr %q", code, stderr)
	}
}
