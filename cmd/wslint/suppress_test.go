package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// twoLocations fires WS201 (the default 60s timeout) on line 4 and line 10,
// and WS111 (no Host) on the same proxy_pass lines.
const twoLocations = `server {
    listen 8080;
    location /ws/ {
        proxy_pass http://127.0.0.1:8000;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection "upgrade";
        proxy_http_version 1.1;
    }
    location /chat/ws/ {
        proxy_pass http://127.0.0.1:8000;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection "upgrade";
        proxy_http_version 1.1;
    }
}
`

func lintLines(t *testing.T, conf string, args ...string) map[string]bool {
	t.Helper()
	path := filepath.Join(t.TempDir(), "app.conf")
	os.WriteFile(path, []byte(conf), 0o644)
	out, stderr, code := wslint(t, "", append(append([]string{"lint", "--format", "json", "--disable", "WS107,WS301"}, args...), path)...)
	if code > exitFindings {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r struct {
		Findings []struct {
			Rule string
			Line int
		}
	}
	if err := jsonUnmarshal(out, &r); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, f := range r.Findings {
		got[f.Rule+"@"+itoa(f.Line)] = true
	}
	return got
}

// Acceptance: a suppressed finding disappears only for the named rule and
// line; a suppression without a reason is WS901 and suppresses nothing.
func TestSuppressionOnlyForNamedRuleAndLine(t *testing.T) {
	base := lintLines(t, twoLocations)
	if want := map[string]bool{"WS201@4": true, "WS111@4": true, "WS201@10": true, "WS111@10": true}; !sameSet(base, want) {
		t.Fatalf("baseline %v, want %v", keysOf(base), keysOf(want))
	}
	ins := func(after, line string) string { return strings.Replace(twoLocations, after, after+line, 1) }
	cases := []struct {
		name, conf string
		want       []string
	}{
		{"line above", ins("    location /ws/ {\n", "        # wslint:ignore WS201 the app pings every 20s\n"),
			[]string{"WS111@5", "WS201@11", "WS111@11"}},
		{"same line, by name", strings.Replace(twoLocations, "8000;\n", "8000; # wslint:ignore idle-timeout-short the app pings every 20s\n", 1),
			[]string{"WS111@4", "WS201@10", "WS111@10"}},
		{"list", ins("    location /chat/ws/ {\n", "        # wslint:ignore WS201,WS111 internal tool behind a LB that pings\n"),
			[]string{"WS201@4", "WS111@4"}},
		{"file", "# wslint:ignore-file WS111 the backend does not check Origin\n" + twoLocations,
			[]string{"WS201@5", "WS201@11"}},
		{"no reason", ins("    location /ws/ {\n", "        # wslint:ignore WS201\n"),
			[]string{"WS901@4", "WS201@5", "WS111@5", "WS201@11", "WS111@11"}},
		{"unknown rule", ins("    location /ws/ {\n", "        # wslint:ignore WS2O1 the app pings every 20s\n"),
			[]string{"WS901@4", "WS201@5", "WS111@5", "WS201@11", "WS111@11"}},
		{"unused", ins("    location /ws/ {\n", "        # wslint:ignore WS104 copied from another site\n"),
			[]string{"WS902@4", "WS201@5", "WS111@5", "WS201@11", "WS111@11"}},
	}
	for _, c := range cases {
		got := lintLines(t, c.conf)
		want := map[string]bool{}
		for _, k := range c.want {
			want[k] = true
		}
		if !sameSet(got, want) {
			t.Errorf("%s: findings %v, want %v", c.name, keysOf(got), c.want)
		}
	}
}

// Disabling a rule does not make its suppressions unused (WS902 judges by
// running it), so `fix -w` never deletes a suppression a rule still needs.
func TestSuppressionOfDisabledRuleIsNotUnused(t *testing.T) {
	conf := strings.Replace(twoLocations, "    location /ws/ {\n", "    location /ws/ {\n        # wslint:ignore WS201 the app pings every 20s\n", 1)
	got := lintLines(t, conf, "--disable", "WS201")
	for k := range got {
		if strings.HasPrefix(k, "WS902") || strings.HasPrefix(k, "WS201") {
			t.Errorf("--disable WS201: %s", k)
		}
	}
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }
func itoa(n int) string                   { return strconv.Itoa(n) }
func atoi(s string) int                   { n, _ := strconv.Atoi(s); return n }

func sameSet(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

func keysOf(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// `wslint fix` deletes unused suppressions (WS902's safe fix), in nginx and
// in Unit JSON, and keeps the ones in use.
func TestFixDeletesUnusedSuppressions(t *testing.T) {
	used := "        # wslint:ignore WS201 the app pings every 20s\n"
	conf := strings.Replace(twoLocations, "    location /ws/ {\n", "    location /ws/ {\n"+used+"        # wslint:ignore WS104 copied from another site\n", 1)
	path := filepath.Join(t.TempDir(), "app.conf")
	os.WriteFile(path, []byte(conf), 0o644)
	out, stderr, code := wslint(t, "", "fix", "--disable", "WS111,WS107,WS301", path)
	if code != exitClean {
		t.Fatalf("fix: exit %d: %s", code, stderr)
	}
	if want := strings.Replace(twoLocations, "    location /ws/ {\n", "    location /ws/ {\n"+used, 1); out != want {
		t.Errorf("fix:\n%s\nwant:\n%s", out, want)
	}

	unitDoc := `{
    // wslint:ignore-file WS506 production runs Unit 1.35
    "listeners": {
        "*:8080": { "pass": "applications/app" } // wslint:ignore WS501 nothing wrong here
    },
    "applications": {
        "app": { "type": "python", "path": "/srv", "module": "asgi", "protocol": "asgi" }
    }
}
`
	path = filepath.Join(t.TempDir(), "unit.json")
	os.WriteFile(path, []byte(unitDoc), 0o644)
	out, stderr, code = wslint(t, "", "fix", path)
	if want := strings.Replace(unitDoc, ` // wslint:ignore WS501 nothing wrong here`, "", 1); code != exitClean || out != want {
		t.Errorf("fix unit.json: exit %d (%s):\n%s\nwant:\n%s", code, stderr, out, want)
	}
}
