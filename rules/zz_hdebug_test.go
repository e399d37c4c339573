package rules

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wslint/wslint/lint"
)

func TestHDebugFix(t *testing.T) {
	var paths []string
	filepath.WalkDir("../testdata", func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".conf") && !strings.Contains(path, "/fuzz/") {
			paths = append(paths, path)
		}
		return nil
	})
	for _, path := range paths {
		data, _ := os.ReadFile(path)
		opts := fuzzOptions(data)
		in := nginxInput(data)
		before := lint.Run(All, in, opts)
		res := lint.FixInput(All, in, opts, lint.Safe)
		out, changed := res.Changed[fuzzPath]
		if !changed {
			continue
		}
		after := lint.Run(All, nginxInput(out), opts)
		for _, f := range unexplained(newKeyer(opts, data, out), before.Findings, after.Findings, written(data, out)) {
			p := lint.PositionOf(f.Span)
			fmt.Printf("NEW %s applied=%v\n   %d:%d %s %s\n", path, res.Applied, p.Line, p.Column, f.RuleID, f.Message)
			for _, b := range before.Findings {
				if b.RuleID == f.RuleID {
					fmt.Printf("   before: %s\n", b.Message)
				}
			}
		}
	}
}
