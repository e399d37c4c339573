package rules

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/linttest"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
)

var commentRE = regexp.MustCompile(`#[^\n]*`)

// TestFixPreservesText: over every bad nginx fixture, the fixes of all
// default rules keep every comment, the line endings (CRLF input stays
// CRLF) and the final newline (or its absence), and a second fix is a no-op.
func TestFixPreservesText(t *testing.T) {
	selected, err := Registry.Select(false, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	paths, _ := filepath.Glob(filepath.Join(fixtureRoot, "*", "bad*.conf"))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		_, h, err := linttest.Parse(data)
		if err != nil {
			t.Fatal(err)
		}
		opts, err := h.Opts("")
		if err != nil {
			t.Fatal(err)
		}
		for _, variant := range []struct {
			name string
			text []byte
		}{
			{"lf", data},
			{"crlf", bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n"))},
			{"no-final-newline", bytes.TrimRight(data, "\n")},
		} {
			in := []*source.File{source.NewFile(p, variant.text)}
			if strings.Contains(string(data), `"files"`) {
				continue // multi-file fixtures are covered by their goldens
			}
			res := lint.FixNginx(selected, in, h.LoadOptions(), opts, lint.Safe)
			out, changed := res.Changed[p]
			if !changed {
				continue
			}
			name := p + " (" + variant.name + ")"
			// WS902's fix deletes unused suppression comments: its one purpose.
			if keepsComments := !strings.Contains(p, "WS902"); keepsComments {
				if got, want := commentRE.FindAllString(string(bytes.ReplaceAll(out, []byte("\r"), nil)), -1), commentRE.FindAllString(string(bytes.ReplaceAll(variant.text, []byte("\r"), nil)), -1); !sameMultiset(got, want) {
					t.Errorf("%s: comments changed:\n got %q\nwant %q", name, got, want)
				}
			}
			crlfIn := bytes.Contains(variant.text, []byte("\r\n"))
			lfOnly := bytes.Count(out, []byte("\n")) - bytes.Count(out, []byte("\r\n"))
			if crlfIn && lfOnly > 0 {
				t.Errorf("%s: %d bare LF line endings in the fixed CRLF file", name, lfOnly)
			}
			if bytes.HasSuffix(variant.text, []byte("\n")) != bytes.HasSuffix(out, []byte("\n")) {
				t.Errorf("%s: final newline changed", name)
			}
			again := lint.FixNginx(selected, []*source.File{source.NewFile(p, out)}, h.LoadOptions(), opts, lint.Safe)
			if b, ok := again.Changed[p]; ok {
				t.Errorf("%s: a second fix changes the output:\n%s", name, b)
			}
			cfg := nginx.Load([]*source.File{source.NewFile(p, out)}, h.LoadOptions())
			for _, pr := range cfg.Problems {
				if pr.Kind == nginx.ProblemSyntax {
					t.Errorf("%s: fixed output does not parse: %s", name, pr.Message)
				}
			}
		}
	}
}

func sameMultiset(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]int{}
	for _, x := range a {
		m[strings.TrimSpace(x)]++
	}
	for _, x := range b {
		m[strings.TrimSpace(x)]--
	}
	for _, v := range m {
		if v != 0 {
			return false
		}
	}
	return true
}

// Two rules inserting lines at one place (WS104 copying the inherited list,
// WS111 adding Host) must not add a line twice.
func TestFixAddsNoDuplicateLine(t *testing.T) {
	selected, _ := Registry.Select(false, nil, nil)
	p := "../testdata/cli/trap.conf"
	data, _ := os.ReadFile(p)
	res := lint.FixNginx(selected, []*source.File{source.NewFile(p, data)}, nginx.LoadOptions{}, lint.DefaultOptions(), lint.Safe)
	out := string(res.Changed[p])
	if n := strings.Count(out, "proxy_set_header Host $host;"); n != 2 {
		t.Errorf("`proxy_set_header Host $host;` appears %d times, want 2 (server and location):\n%s", n, out)
	}
}

// A disagreement with gonginx is still reported after the last round of a
// fix: what one round's cross-check verified carries to the next
// (nginx.Verified), what disagreed does not.
func TestFixKeepsParserDisagreement(t *testing.T) {
	selected, _ := Registry.Select(false, nil, nil)
	data, err := os.ReadFile("../testdata/web/bench-2k.conf")
	if err != nil {
		t.Fatal(err)
	}
	// gonginx reads this location's body as Lua (testdata/rules/WS999).
	conf := strings.Replace(string(data), "    location = /healthz {", "    location /content_by_lua_block {\n        return 200;\n    }\n\n    location = /healthz {", 1)
	res := lint.FixNginx(selected, []*source.File{source.NewFile("t.conf", []byte(conf))}, nginx.LoadOptions{NoIncludes: true}, lint.DefaultOptions(), lint.Safe)
	if len(res.Applied) == 0 {
		t.Fatal("no fix applied: the test needs a second round")
	}
	for _, f := range res.Remaining {
		if f.RuleID == lint.InternalErrorID && strings.Contains(f.Message, "cross-check") {
			return
		}
	}
	t.Errorf("after fixes %v, no WS999 cross-check finding in %v", res.Applied, res.Remaining)
}
