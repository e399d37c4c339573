package rules

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/linttest"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
	"github.com/wslint/wslint/lint/unit"
)

// The fixture runner's language switch: Unit rules run over their .json
// fixtures through lint.Run / lint.FixInput with KindUnit, as the CLI and
// the web service run them.

func runFixture(r *lint.Rule, rs []*lint.Rule, files []*source.File, opts *lint.Options, lo nginx.LoadOptions) []lint.Finding {
	if r.Lang == lint.Unit {
		return lint.Run(rs, lint.Input{Files: files, Kind: lint.KindUnit}, opts).Findings
	}
	return lint.RunNginx(rs, nginx.Load(files, lo), opts)
}

func fixFixture(r *lint.Rule, files []*source.File, lo nginx.LoadOptions, opts *lint.Options) *lint.FixResult {
	if r.Lang == lint.Unit {
		return lint.FixInput([]*lint.Rule{r}, lint.Input{Files: files, Kind: lint.KindUnit}, opts, lint.Safe)
	}
	return lint.FixNginx([]*lint.Rule{r}, files, lo, opts, lint.Safe)
}

// checkUnitGolden: a Unit golden is JSON as Unit reads it, without new
// duplicate keys.
func checkUnitGolden(t *testing.T, golden string, f *source.File) {
	t.Helper()
	for _, p := range unit.Load(f).Problems {
		t.Errorf("%s: golden does not parse as Unit JSON: %s", golden, p.Message)
	}
}

// checkUnitDoc runs a Unit rule's Doc.Bad or Doc.Good as a .json file. A
// doc may start with a `// wslint-test: {...}` header (WS506's Good names
// the Unit version that makes it good); otherwise the default options apply.
func checkUnitDoc(t *testing.T, r *lint.Rule, text string, fire bool) {
	t.Helper()
	_, h, err := linttest.Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	opts, err := h.Opts(r.ID)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "unit.json")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	rs := []*lint.Rule{r}
	fired := false
	for _, f := range lint.Run(rs, lint.Input{Files: []*source.File{source.NewFile(path, []byte(text))}, Kind: lint.KindUnit}, opts).Findings {
		if f.RuleID == r.ID {
			fired = true
			for _, fx := range f.Fixes {
				if err := source.ValidateEdits(fx.Edits); err != nil {
					t.Errorf("invalid fix %q: %v", fx.Message, err)
				}
			}
		}
	}
	if fired != fire {
		t.Errorf("Doc.Bad/Good: fired=%v, want %v for:\n%s", fired, fire, text)
	}
}
