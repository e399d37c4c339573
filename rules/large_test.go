package rules

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/linttest/confgen"
	"github.com/wslint/wslint/lint/source"
)

// TestLargeConfigParallel lints a generated configuration large enough for
// the streamed cross-check, chunked gonginx parses and parallel rules (run
// it with -race), and checks that the result does not depend on them: the
// same servers cut in half give the same findings per server.
func TestLargeConfigParallel(t *testing.T) {
	var big, small bytes.Buffer
	if err := confgen.Servers(&big, 1000); err != nil {
		t.Fatal(err)
	}
	if err := confgen.Servers(&small, 10); err != nil {
		t.Fatal(err)
	}
	sel, _ := Registry.Select(false, nil, nil)
	count := func(data []byte) map[string]int {
		res := lint.Run(sel, lint.Input{Files: []*source.File{source.NewFile("nginx.conf", data)}}, lint.DefaultOptions())
		out := map[string]int{}
		for _, f := range res.Findings {
			out[f.RuleID]++
		}
		return out
	}
	b, s := count(big.Bytes()), count(small.Bytes())
	if b["WS999"] != 0 {
		t.Fatalf("internal errors on the large config: %v", b)
	}
	for id, n := range s {
		if want := n * 100; b[id] != want && n >= 10 { // per-server findings scale with the servers
			t.Errorf("%s: %d findings on 1000 servers, want %d (%d on 10)", id, b[id], want, n)
		}
	}
	if len(b) != len(s) {
		t.Errorf("rules firing differ: %v on 1000 servers, %v on 10", b, s)
	}
	// The same servers over ten included files, checked as they are read.
	dir := t.TempDir()
	if err := confgen.Split(dir, 1000, 100); err != nil {
		t.Fatal(err)
	}
	root, err := os.ReadFile(filepath.Join(dir, "nginx.conf"))
	if err != nil {
		t.Fatal(err)
	}
	res := lint.Run(sel, lint.Input{Files: []*source.File{source.NewFile(filepath.Join(dir, "nginx.conf"), root)}}, lint.DefaultOptions())
	split := map[string]int{}
	for _, f := range res.Findings {
		split[f.RuleID]++
	}
	if len(res.Files) != 11 || split["WS999"] != 0 || split["WS301"] != b["WS301"] {
		t.Errorf("split over includes: %d files, findings %v; want 11 files and %v", len(res.Files), split, b)
	}
}
