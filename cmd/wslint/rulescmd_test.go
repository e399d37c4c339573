package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"
	"github.com/wslint/wslint/rules"
	"github.com/wslint/wslint/schemas"
)

// Acceptance: docs/rules.md is the output of `wslint rules --all --format markdown`.
func TestRulesDocIsCurrent(t *testing.T) {
	want, _, code := wslint(t, "", "rules", "--all", "--format", "markdown")
	if code != exitClean {
		t.Fatalf("exit %d", code)
	}
	got, err := os.ReadFile(filepath.Join(repoRoot(t), "docs", "rules.md"))
	if err != nil || string(got) != want {
		t.Fatalf("docs/rules.md is stale or missing (%v); regenerate it from the repository root with:\n  %s", err, regenerate)
	}
}

func TestRulesMarkdown(t *testing.T) {
	md, _, _ := wslint(t, "", "rules", "--all", "--format", "markdown")
	for _, r := range rules.Registry.All() {
		id := strings.ToLower(r.ID)
		if !strings.Contains(md, "\n## "+r.ID+"\n") || !strings.Contains(md, "](#"+id+")") {
			t.Errorf("%s: no `## %s` heading (anchor #%s) or index link", r.ID, r.ID, id)
		}
	}
	// The sections of one rule, in explain's order.
	sec, _, _ := wslint(t, "", "explain", "--format", "markdown", "WS104")
	last := -1
	for _, h := range []string{"# WS104", "## Problem", "## Why", "## Bad", "## Good", "## Fix safety", "## References"} {
		i := strings.Index(sec, h+"\n")
		if i <= last {
			t.Errorf("explain --format markdown: %q missing or out of order", h)
		}
		last = i
	}
}

func TestExplainTextOrder(t *testing.T) {
	out, _, code := wslint(t, "", "explain", "inherited-headers-dropped")
	last := -1
	for _, h := range []string{"WS104 inherited-headers-dropped (error)", "\nProblem\n", "\nWhy\n", "\nBad\n", "\nGood\n", "\nFix safety\n", "\nReferences\n"} {
		i := strings.Index(out, h)
		if code != exitClean || i <= last {
			t.Errorf("explain: %q missing or out of order:\n%s", h, out)
		}
		last = i
	}
	if _, stderr, code := wslint(t, "", "explain", "WS1O4"); code != exitUsage || !strings.Contains(stderr, `did you mean "WS104"`) {
		t.Errorf("explain WS1O4: exit %d, %q", code, stderr)
	}
}

func apiSchema(t *testing.T, name string) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	for _, n := range []string{"rule.schema.json", "rules-response.schema.json"} {
		b, err := schemas.API.ReadFile("api/" + n)
		if err != nil {
			t.Skipf("API schemas not available: %v", err)
		}
		if err := c.AddResource("https://github.com/wslint/wslint/schemas/api/"+n, bytes.NewReader(b)); err != nil {
			t.Fatal(err)
		}
	}
	return c.MustCompile("https://github.com/wslint/wslint/schemas/api/" + name)
}

func TestRulesJSONMatchesAPISchemas(t *testing.T) {
	out, _, _ := wslint(t, "", "rules", "--all", "--format", "json")
	if err := apiSchema(t, "rules-response.schema.json").Validate(decodeJSON(t, out)); err != nil {
		t.Errorf("rules --format json: %#v", err)
	}
	var doc struct{ Rules []struct{ ID string } }
	json.Unmarshal([]byte(out), &doc)
	if len(doc.Rules) != len(rules.Registry.All()) {
		t.Errorf("--all lists %d rules, want %d", len(doc.Rules), len(rules.Registry.All()))
	}
	out, _, _ = wslint(t, "", "explain", "--format", "json", "WS201")
	if err := apiSchema(t, "rule.schema.json").Validate(decodeJSON(t, out)); err != nil {
		t.Errorf("explain --format json: %#v", err)
	}
}

func TestRulesListDefaultAndAll(t *testing.T) {
	def, _, _ := wslint(t, "", "rules")
	all, _, _ := wslint(t, "", "rules", "--all")
	if !strings.HasPrefix(def, "ID ") || !strings.Contains(def, "severity") || !strings.Contains(def, "fixable") {
		t.Errorf("no header line:\n%s", def)
	}
	for _, r := range rules.Registry.All() {
		line := r.ID + "  " + r.Name
		if !strings.Contains(all, line) {
			t.Errorf("rules --all does not list %s", r.ID)
		}
		if strings.Contains(def, line) != (r.Default && r.Deprecated == "") {
			t.Errorf("rules: %s listed=%v, default=%v", r.ID, strings.Contains(def, line), r.Default)
		}
	}
	if _, _, code := wslint(t, "", "rules", "--format", "yaml"); code != exitUsage {
		t.Errorf("rules --format yaml: exit %d", code)
	}
}

// Every subcommand explains itself with examples.
func TestHelpHasExamples(t *testing.T) {
	root := newRoot(strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
	for _, c := range root.Commands() {
		if c.Name() == "help" || c.Name() == "completion" {
			continue
		}
		out, _, code := wslint(t, "", c.Name(), "--help")
		if code != exitClean || !strings.Contains(out, "Examples:") || !strings.Contains(out, "Usage:") {
			t.Errorf("wslint %s --help: exit %d, no Usage or Examples:\n%s", c.Name(), code, out)
		}
	}
}
