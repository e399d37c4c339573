package rules

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/linttest"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
	"github.com/wslint/wslint/lint/unit"
)

var update = flag.Bool("update", false, "rewrite fixed* goldens from the bad fixtures")

const fixtureRoot = "../testdata/rules"

func TestRegistry(t *testing.T) {
	if _, err := lint.NewRegistry(All...); err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(All); i++ {
		if All[i-1].ID >= All[i].ID {
			t.Errorf("All is not sorted by ID: %s before %s", All[i-1].ID, All[i].ID)
		}
	}
	// Every fixture directory belongs to a rule.
	entries, err := os.ReadDir(fixtureRoot)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if _, ok := Registry.Lookup(e.Name()); !ok || !e.IsDir() {
			t.Errorf("testdata/rules/%s belongs to no rule", e.Name())
		}
	}
}

// TestFixtures runs every rule over its fixtures (style.md §5).
func TestFixtures(t *testing.T) {
	for _, r := range All {
		t.Run(r.ID, func(t *testing.T) {
			dir := filepath.Join(fixtureRoot, r.ID)
			bad, good, fixed, err := linttest.Fixtures(dir)
			if err != nil {
				t.Fatalf("rule %s has no fixtures: %v", r.ID, err)
			}
			if len(bad) == 0 || len(good) == 0 {
				t.Fatalf("rule %s needs bad* and good* fixtures in %s", r.ID, dir)
			}
			withCols := false
			for _, path := range bad {
				wants := checkFixture(t, r, path, true)
				for _, w := range wants {
					if w.RuleID == r.ID && w.StartCol > 0 {
						withCols = true
					}
				}
				checkFixed(t, r, path)
			}
			if !withCols {
				t.Errorf("rule %s: no `want %s:<col>-<col>` in its bad fixtures", r.ID, r.ID)
			}
			for _, path := range good {
				checkFixture(t, r, path, false)
			}
			for _, path := range fixed {
				if _, err := os.Stat(strings.Replace(path, "fixed", "bad", 1)); err != nil {
					t.Errorf("%s has no bad fixture", path)
				}
			}
		})
	}
}

// rulesFor returns the rule under test plus the rules a fixture's wants name.
func rulesFor(t *testing.T, r *lint.Rule, wants []linttest.Want) []*lint.Rule {
	out := []*lint.Rule{r}
	seen := map[string]bool{r.ID: true}
	for _, w := range wants {
		if !seen[w.RuleID] {
			seen[w.RuleID] = true
			o, ok := Registry.Lookup(w.RuleID)
			if !ok {
				t.Fatalf("want names unknown rule %s", w.RuleID)
			}
			out = append(out, o)
		}
	}
	return out
}

// loadFixture reads a fixture, the files its header names and the options
// it asks for: validated for rule r, or, with r nil, for all rules at once.
func loadFixture(t *testing.T, r *lint.Rule, path string) ([]*source.File, []linttest.Want, *lint.Options, nginx.LoadOptions) {
	t.Helper()
	files, wants, h, err := linttest.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	var opts *lint.Options
	if r != nil {
		opts, err = h.OptsFor(r)
	} else {
		opts, err = h.Opts("") // all rules: options for none
	}
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return files, wants, opts, h.LoadOptions()
}

func checkFixture(t *testing.T, r *lint.Rule, path string, isBad bool) []linttest.Want {
	t.Helper()
	files, wants, opts, lo := loadFixture(t, r, path)
	rs := rulesFor(t, r, wants)
	if !isBad {
		rs = []*lint.Rule{r}
	}
	findings := runFixture(r, rs, files, opts, lo)
	if isBad {
		linttest.Check(t, files[0], findings, wants)
		if len(wants) == 0 {
			t.Errorf("%s: a bad fixture needs at least one want", path)
		}
	} else {
		for _, f := range findings {
			if f.RuleID == r.ID {
				p := lint.PositionOf(f.Span)
				t.Errorf("%s:%d:%d: good fixture fires %s: %s", p.File, p.Line, p.Column, f.RuleID, f.Message)
			}
		}
	}
	return wants
}

// checkFixed applies the rule's safe fixes to a bad fixture and compares
// with its fixed golden; fixing the golden again must change nothing.
func checkFixed(t *testing.T, r *lint.Rule, bad string) {
	t.Helper()
	files, _, opts, lo := loadFixture(t, r, bad)
	unfixable := 0 // the rule's findings without a safe fix
	for _, f := range runFixture(r, []*lint.Rule{r}, files, opts, lo) {
		if f.RuleID == r.ID && (len(f.Fixes) == 0 || f.Fixes[0].Applies < lint.Safe) {
			unfixable++
		}
	}
	res := fixFixture(r, files, lo, opts)
	var left []string
	for _, f := range res.Remaining {
		if f.RuleID == lint.InternalErrorID && r.ID != lint.InternalErrorID {
			t.Errorf("%s: %s", bad, f.Message)
		}
		if f.RuleID == r.ID {
			left = append(left, f.Message)
		}
	}
	// A safe fix must resolve its finding (else the fix loop never converges).
	if len(left) > unfixable {
		t.Errorf("%s: after the safe fixes %s still reports %d finding(s), only %d had no safe fix:\n%s", bad, r.ID, len(left), unfixable, strings.Join(left, "\n"))
	}
	got, changed := res.Changed[bad]
	golden := linttest.FixedName(bad)
	if !changed {
		if _, err := os.Stat(golden); err == nil {
			t.Errorf("%s: no safe fix applied, but %s exists", bad, golden)
		}
		return
	}
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Errorf("%s: safe fixes change it, but the golden is missing (run go test ./rules -update): %v", bad, err)
		return
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s: fixed output differs from %s:\n--- got\n%s\n--- want\n%s", bad, golden, got, want)
	}
	// The golden parses and is a fixed point.
	gf, _, _, _ := loadFixture(t, r, golden)
	gfiles := append([]*source.File{source.NewFile(bad, want)}, gf[1:]...)
	again := fixFixture(r, gfiles, lo, opts)
	if len(again.Changed) > 0 {
		t.Errorf("%s: fixing the golden again changes it", golden)
	}
	if r.Lang == lint.Unit {
		checkUnitGolden(t, golden, gfiles[0])
		return
	}
	cfg := nginx.Load(gfiles, lo)
	for _, p := range cfg.Problems {
		if p.Kind == nginx.ProblemSyntax {
			t.Errorf("%s: golden does not parse: %s", golden, p.Message)
		}
	}
}

// TestDocs runs every rule's Doc.Bad (must fire) and Doc.Good (must not).
func TestDocs(t *testing.T) {
	for _, r := range All {
		if r.Lang == lint.Meta {
			continue // engine rules cannot be provoked by a configuration
		}
		t.Run(r.ID, func(t *testing.T) {
			for _, c := range []struct {
				text string
				fire bool
			}{{r.Doc.Bad, true}, {r.Doc.Good, false}} {
				if r.Lang == lint.Unit {
					checkUnitDoc(t, r, c.text, c.fire)
					continue
				}
				dir := t.TempDir()
				path := filepath.Join(dir, "nginx.conf")
				if err := os.WriteFile(path, []byte(c.text), 0o644); err != nil {
					t.Fatal(err)
				}
				// WS009 is about the web service, which does not follow includes.
				lo := nginx.LoadOptions{NoIncludes: r == IncludeNotFollowed}
				cfg := nginx.Load([]*source.File{source.NewFile(path, []byte(c.text))}, lo)
				_, h, err := linttest.Parse([]byte(c.text)) // a `# wslint-test:` header (WS112's ws_paths)
				if err != nil {
					t.Fatal(err)
				}
				opts, err := h.Opts(r.ID)
				if err != nil {
					t.Fatal(err)
				}
				fired := false
				for _, f := range lint.RunNginx([]*lint.Rule{r}, cfg, opts) {
					if f.RuleID == r.ID {
						fired = true
						for _, fx := range f.Fixes {
							if err := source.ValidateEdits(fx.Edits); err != nil {
								t.Errorf("invalid fix %q: %v", fx.Message, err)
							}
						}
					}
				}
				if fired != c.fire {
					t.Errorf("Doc.Bad/Good: fired=%v, want %v for:\n%s", fired, c.fire, c.text)
				}
			}
		})
	}
}

// TestDocsGoodAreClean runs every rule's Doc.Good through all default rules:
// a Good example must not teach a configuration that another rule warns
// about (info findings are allowed). A Unit rule's Good is read as Unit
// JSON, under the default Unit rules; one that shows the nginx alternative
// instead (WS509) is read as nginx.
func TestDocsGoodAreClean(t *testing.T) {
	defaults, err := Registry.Select(false, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range All {
		if r.Lang == lint.Meta {
			continue // engine rules cannot be provoked by a configuration
		}
		t.Run(r.ID, func(t *testing.T) {
			text := []byte(r.Doc.Good)
			name, kind, opts := "nginx.conf", lint.KindNginx, lint.DefaultOptions()
			if r.Lang == lint.Unit && unit.LooksLikeUnit(text) {
				name, kind = "unit.json", lint.KindUnit
			}
			// A `# wslint-test:` header (WS112's ws_paths, WS506's Unit version).
			_, h, err := linttest.Parse(text)
			if err != nil {
				t.Fatal(err)
			}
			if opts, err = h.Opts(r.ID); err != nil {
				t.Fatal(err)
			}
			in := lint.Input{Files: []*source.File{source.NewFile(filepath.Join(t.TempDir(), name), text)}, Kind: kind,
				Load: nginx.LoadOptions{NoIncludes: r == IncludeNotFollowed}}
			for _, f := range lint.Run(defaults, in, opts).Findings {
				if f.Severity >= lint.Warning {
					p := lint.PositionOf(f.Span)
					t.Errorf("Doc.Good of %s: %d:%d: %s %s: %s", r.ID, p.Line, p.Column, f.Severity, f.RuleID, f.Message)
				}
			}
		})
	}
}
