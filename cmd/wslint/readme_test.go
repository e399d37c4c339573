package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/wslint/wslint/rules"
)

var updateReadme = flag.Bool("update", false, "rewrite the generated rule table in README.md")

// rulesTable renders the README's rule table from the registry.
func rulesTable() string {
	var b strings.Builder
	b.WriteString("| ID | name | severity | default | summary |\n|---|---|---|---|---|\n")
	for _, r := range rules.Registry.All() {
		def := "yes"
		if !r.Default {
			def = "no"
		}
		fmt.Fprintf(&b, "| [%s](docs/rules.md#%s) | %s | %s | %s | %s |\n", r.ID, strings.ToLower(r.ID), r.Name, r.Severity, def, strings.ReplaceAll(r.Doc.Summary, "|", `\|`))
	}
	return b.String()
}

// TestReadmeRules keeps README.md's rule table equal to the registry.
func TestReadmeRules(t *testing.T) {
	const path = "../../README.md"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	start := strings.Index(s, "<!-- rules:start")
	end := strings.Index(s, "<!-- rules:end -->")
	if start < 0 || end < start {
		t.Fatal("README.md lacks the rules:start/rules:end markers")
	}
	start += strings.Index(s[start:], "\n") + 1
	want := rulesTable()
	if s[start:end] == want {
		return
	}
	if *updateReadme {
		if err := os.WriteFile(path, []byte(s[:start]+want+s[end:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md's rule table is stale: run go test ./cmd/wslint -run TestReadmeRules -update")
}
