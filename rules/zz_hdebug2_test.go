package rules

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/wslint/wslint/lint"
)

func TestHDebugOne(t *testing.T) {
	for _, path := range strings.Fields(os.Getenv("H_FILES")) {
		data, _ := os.ReadFile(path)
		opts := fuzzOptions(data)
		in := nginxInput(data)
		before := lint.Run(All, in, opts)
		fmt.Printf("===== %s\n%s----- findings\n", path, data)
		for _, f := range before.Findings {
			p := lint.PositionOf(f.Span)
			fmt.Printf("%d:%d-%d %s %s [%q]\n", p.Line, p.Column, p.EndColumn, f.RuleID, f.Message, f.Span.Text())
		}
		res := lint.FixInput(All, in, opts, lint.Safe)
		out := res.Changed[fuzzPath]
		fmt.Printf("----- fixed %v\n%s----- after\n", res.Applied, out)
		after := lint.Run(All, nginxInput(out), opts)
		for _, f := range after.Findings {
			p := lint.PositionOf(f.Span)
			fmt.Printf("%d:%d-%d %s %s [%q]\n", p.Line, p.Column, p.EndColumn, f.RuleID, f.Message, f.Span.Text())
		}
	}
}
