package rules

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/linttest"
	"github.com/wslint/wslint/lint/linttest/nginxe2e"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
)

// e2eFixture is a fixture that asks to be run through real nginx.
type e2eFixture struct {
	rule  *lint.Rule
	path  string
	files []*source.File
	h     linttest.Header
}

func e2eFixtures(t *testing.T) []e2eFixture {
	var out []e2eFixture
	for _, r := range All {
		bad, good, _, err := linttest.Fixtures(filepath.Join(fixtureRoot, r.ID))
		if err != nil {
			continue
		}
		for _, p := range append(bad, good...) {
			files, _, h, err := linttest.Load(p)
			if err != nil {
				t.Fatal(err)
			}
			if h.E2E != "" {
				out = append(out, e2eFixture{rule: r, path: p, files: files, h: h})
			}
		}
	}
	return out
}

// TestEndToEndCoverage: every error-severity handshake rule (1xx), and every
// fixable error rule, proves itself through real nginx with a failing (or
// refused) bad and a passing good fixture.
func TestEndToEndCoverage(t *testing.T) {
	have := map[string]map[string]bool{}
	for _, f := range e2eFixtures(t) {
		kind := "good"
		if strings.HasPrefix(filepath.Base(f.path), "bad") {
			kind = "bad"
		}
		if have[f.rule.ID] == nil {
			have[f.rule.ID] = map[string]bool{}
		}
		have[f.rule.ID][kind+":"+f.h.E2E] = true
	}
	for _, r := range All {
		if r.Severity != lint.Error || r.Lang != lint.Nginx || !strings.HasPrefix(r.ID, "WS1") && !r.Fixable() {
			continue
		}
		h := have[r.ID]
		if !(h["bad:fail"] || h["bad:fail-firefox"] || h["bad:plain-fail"] || h["bad:refused"]) || !h["good:pass"] {
			t.Errorf("%s (%s): needs a bad fixture with \"e2e\": \"fail\" (or fail-firefox, plain-fail) and a good one with \"e2e\": \"pass\"; has %v", r.ID, r.Name, h)
		}
	}
}

// TestEndToEnd runs fixtures through real nginx 1.x in front of a strict
// coder/websocket backend: bad fixtures must really break, good ones and
// the output of `wslint fix` on bad ones must really work.
func TestEndToEnd(t *testing.T) {
	nginxe2e.NginxBinary(t)
	for _, f := range e2eFixtures(t) {
		t.Run(f.rule.ID+"/"+filepath.Base(f.path), func(t *testing.T) {
			path := e2ePath(t, f)
			text := string(f.files[0].Data)
			checkBehaviour(t, text, path, f.h.E2E)
			if !strings.HasPrefix(filepath.Base(f.path), "bad") || !f.rule.Fixable() {
				return
			}
			fixed := fixText(t, f)
			if fixed == text {
				t.Fatalf("%s is fixable, but `wslint fix` (safe, then unsafe) changes nothing", f.rule.ID)
			}
			t.Run("fixed", func(t *testing.T) { checkBehaviour(t, fixed, path, "pass") })
		})
	}
}

// fixText applies every default rule's safe fixes (unsafe ones when no safe
// fix changes anything), as `wslint fix [--unsafe]` does.
func fixText(t *testing.T, f e2eFixture) string {
	opts, err := f.h.Opts(f.rule.ID)
	if err != nil {
		t.Fatal(err)
	}
	selected, err := Registry.Select(false, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, level := range []lint.Applicability{lint.Safe, lint.Unsafe} {
		res := lint.FixNginx(selected, f.files, f.h.LoadOptions(), opts, level)
		for _, r := range res.Remaining {
			if r.RuleID == lint.InternalErrorID {
				t.Errorf("fix: %s", r.Message)
			}
		}
		if b, ok := res.Changed[f.path]; ok {
			return string(b)
		}
	}
	return string(f.files[0].Data)
}

func checkBehaviour(t *testing.T, conf, path, want string) {
	t.Helper()
	backend := nginxe2e.StartBackend(t)
	if want == "refused" {
		// nginx refuses the configuration: `nginx -t` fails, nothing runs.
		out, err := nginxe2e.ConfigTest(t, conf, backend)
		if err == nil {
			t.Errorf("want nginx -t to refuse the configuration; it passed:\n%s", out)
		}
		t.Logf("nginx -t: %s", strings.TrimSpace(out))
		return
	}
	n, err := nginxe2e.StartNginx(t, conf, backend)
	if err != nil {
		t.Fatalf("nginx does not start:\n%v\n--- config\n%s", err, conf)
	}
	ok := map[nginxe2e.Browser]bool{}
	for _, b := range []nginxe2e.Browser{nginxe2e.Chromium, nginxe2e.Firefox} {
		res := nginxe2e.Handshake(n.Addr, path, b, "graphql-transport-ws")
		ok[b] = res.Status == 101 && res.Echoed && res.Err == nil
		t.Logf("%s handshake on %s: status %d, echoed %v, err %v, body %q", b, path, res.Status, res.Echoed, res.Err, res.Body)
	}
	status, body, err := nginxe2e.PlainGET(n.Addr, path)
	plainOK := err == nil && status == 200
	t.Logf("plain GET %s: %d %q %v", path, status, body, err)
	switch want {
	case "pass":
		if !ok[nginxe2e.Chromium] || !ok[nginxe2e.Firefox] || !plainOK {
			t.Errorf("want both handshakes and a plain GET to work; chromium=%v firefox=%v plain=%v\n--- config\n%s", ok[nginxe2e.Chromium], ok[nginxe2e.Firefox], plainOK, conf)
		}
	case "fail":
		if ok[nginxe2e.Chromium] || ok[nginxe2e.Firefox] {
			t.Errorf("want both handshakes to fail; chromium ok=%v firefox ok=%v", ok[nginxe2e.Chromium], ok[nginxe2e.Firefox])
		}
	case "fail-firefox":
		if !ok[nginxe2e.Chromium] || ok[nginxe2e.Firefox] {
			t.Errorf("want only the Firefox handshake to fail; chromium ok=%v firefox ok=%v", ok[nginxe2e.Chromium], ok[nginxe2e.Firefox])
		}
	case "plain-fail":
		if plainOK {
			t.Errorf("want the plain GET to fail; got %d", status)
		}
	default:
		t.Fatalf("unknown e2e kind %q", want)
	}
}

func e2ePath(t *testing.T, f e2eFixture) string {
	if f.h.E2EPath != "" {
		return f.h.E2EPath
	}
	if len(f.h.WSPaths) > 0 {
		return f.h.WSPaths[0]
	}
	cfg := nginx.Load(f.files, f.h.LoadOptions())
	for _, l := range cfg.Locations() {
		if l.Modifier == "" || l.Modifier == "^~" || l.Modifier == "=" {
			return l.Path
		}
	}
	t.Fatalf("%s: no request path: set e2e_path", f.path)
	return ""
}
