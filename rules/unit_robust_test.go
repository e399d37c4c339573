package rules

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/source"
	"github.com/wslint/wslint/lint/unit"
)

// TestUnitRulesSurviveWrongTypes: the Unit rules read documents the schema
// rejects. Every value of every Unit fixture is replaced, one at a time, by
// a value of another JSON type; no rule may crash (WS999).
func TestUnitRulesSurviveWrongTypes(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join(fixtureRoot, "WS5*", "*.json"))
	more, _ := filepath.Glob("../testdata/unit/*.json")
	paths = append(paths, more...)
	var rs []*lint.Rule
	for _, r := range All {
		if r.Lang == lint.Unit && r != UnitSchema { // Validate has its own fuzz test
			rs = append(rs, r)
		}
	}
	// A WebSocket path and a version exercise more of the rules than the
	// defaults do.
	o := lint.DefaultOptions()
	o.WSPaths = []string{"/ws", "/chat/"}
	o.UnitVersion = "1.34.0"
	replacements := []string{`{}`, `[]`, `-1`, `null`, `{"x": 1}`, `"/ws/*"`}
	n := 0
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		c := unit.Load(source.NewFile(path, data))
		if !c.SyntaxOK() {
			continue
		}
		var spans []source.Span
		var walk func(v *unit.Value)
		walk = func(v *unit.Value) {
			spans = append(spans, v.Span)
			for _, m := range v.Members {
				walk(m.Value)
			}
			for _, it := range v.Items {
				walk(it)
			}
		}
		walk(c.Root)
		for _, sp := range spans {
			for _, rep := range replacements {
				doc := string(data[:sp.Start]) + rep + string(data[sp.End:])
				f := source.NewFile(path, []byte(doc))
				n++
				for _, fd := range lint.Run(rs, lint.Input{Files: []*source.File{f}, Kind: lint.KindUnit}, o).Findings {
					if fd.RuleID == lint.InternalErrorID {
						t.Fatalf("%s with %s at %d: %s\n%s", path, rep, sp.Start, fd.Message, doc)
					}
				}
			}
		}
	}
	if n < 1000 {
		t.Errorf("only %d variants", n)
	}
}
