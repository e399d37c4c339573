package main

import (
	"testing"

	"github.com/wslint/wslint/lint/lazyre"
)

// TestLazyPatternsCompile: the patterns compiled on first use (lazyre) of
// every package this binary links compile, though some paths that use
// them (a gonginx error, a repaired size) are rare.
func TestLazyPatternsCompile(t *testing.T) {
	if n := lazyre.Count(); n < 11 {
		t.Fatalf("only %d lazy patterns registered: a package stopped using lazyre, or its init did not run", n)
	}
	if err := lazyre.CompileAll(); err != nil {
		t.Fatal(err)
	}
}
