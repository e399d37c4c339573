package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/rules"
)

// rulesDocURL is where docs/rules.md is published; a rule's anchor is its
// lowercase ID (…/rules.md#ws101).
const rulesDocURL = "https://github.com/wslint/wslint/blob/main/docs/rules.md"

// regenerate is the command that writes docs/rules.md.
const regenerate = "go run ./cmd/wslint rules --all --format markdown > docs/rules.md"

func ruleURL(id string) string { return rulesDocURL + "#" + strings.ToLower(id) }

func newRulesCmd() *cobra.Command {
	var all bool
	var format string
	c := &cobra.Command{
		Use:   "rules [--all] [--format text|json|markdown]",
		Short: "List the rules: ID, name, severity, default, fixable, summary",
		Long: `List wslint's rules. Without --all, only the rules that run by default;
with --all, also the opt-in ones (enable them with --enable or the enable
list of .wslint.yaml) and retired ones.

--format text prints one rule per line; json prints {"rules": [...]} with
every rule's full document (the same objects as GET /api/v1/rules);
markdown prints the full documents with #ws101-style anchors, which is how
docs/rules.md is made:

  ` + regenerate,
		Example: `  wslint rules
  wslint rules --all --format json | jq -r '.rules[] | select(.fixable) | .id'
  ` + regenerate,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var list []*lint.Rule
			for _, r := range rules.Registry.All() {
				if all || r.Default && r.Deprecated == "" {
					list = append(list, r)
				}
			}
			w := cmd.OutOrStdout()
			switch format {
			case "text", "":
				writeRulesText(w, list)
			case "json":
				docs := make([]lint.RuleDocument, len(list))
				for i, r := range list {
					docs[i] = lint.NewRuleDocument(r)
				}
				return writeJSON(w, map[string]any{"rules": docs})
			case "markdown", "md":
				io.WriteString(w, rulesMarkdown(list, all))
			default:
				return usageErr("--format %q: want text, json or markdown", format)
			}
			return nil
		},
	}
	c.Flags().BoolVarP(&all, "all", "a", false, "include the rules that are off by default")
	c.Flags().StringVarP(&format, "format", "f", "text", "output format: text, json or markdown")
	return c
}

func newExplainCmd() *cobra.Command {
	var format string
	c := &cobra.Command{
		Use:   "explain ID|NAME",
		Short: "Explain a rule: problem, why, bad, good, fix safety, references",
		Long: `Print a rule's document, in this order: the problem, why it breaks
WebSockets (the observable failure), a bad and a good configuration, how
safe its fix is, and references. --format markdown prints the section of
docs/rules.md; json prints the document as GET /api/v1/rules/{id} serves it.`,
		Example: "  wslint explain WS104\n  wslint explain inherited-headers-dropped\n  wslint explain --format markdown ws201",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, ok := rules.Registry.Lookup(args[0])
			if !ok {
				hint := ""
				if s := rules.Registry.Suggest(args[0]); s != "" {
					hint = fmt.Sprintf(" (did you mean %q?)", s)
				}
				return usageErr("unknown rule %q%s; run 'wslint rules --all' for the list", args[0], hint)
			}
			w := cmd.OutOrStdout()
			switch format {
			case "text", "":
				io.WriteString(w, explainText(r))
			case "markdown", "md":
				io.WriteString(w, ruleMarkdown(r, "#"))
			case "json":
				return writeJSON(w, lint.NewRuleDocument(r))
			default:
				return usageErr("--format %q: want text, markdown or json", format)
			}
			return nil
		},
	}
	c.Flags().StringVarP(&format, "format", "f", "text", "output format: text, markdown or json")
	return c
}

func writeJSON(w io.Writer, v any) error {
	if err := encodeJSON(w, v); err != nil {
		return ioErr(err)
	}
	return nil
}

// encodeJSON writes every JSON document of the CLI (a variable: a test
// swaps in encoding/json and compares).
var encodeJSON = lint.EncodeJSON

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func writeRulesText(w io.Writer, list []*lint.Rule) {
	nameW := len("name")
	for _, r := range list {
		nameW = max(nameW, len(r.Name))
	}
	fmt.Fprintf(w, "%-5s  %-*s  %-8s %-8s %-8s %s\n", "ID", nameW, "name", "severity", "default", "fixable", "summary")
	for _, r := range list {
		summary := r.Doc.Summary
		if r.Deprecated != "" {
			summary += " (deprecated: " + r.Deprecated + ")"
		}
		fmt.Fprintf(w, "%-5s  %-*s  %-8s %-8s %-8s %s\n", r.ID, nameW, r.Name, r.Severity, yesNo(r.Default), yesNo(r.Fixable()), summary)
	}
}

// explainText is `wslint explain` in ShellCheck-wiki order.
func explainText(r *lint.Rule) string {
	d := r.Doc
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s (%s%s)\n", r.ID, r.Name, r.Severity, offByDefault(r))
	fmt.Fprintf(&b, "\nProblem\n  %s\n", d.Summary)
	fmt.Fprintf(&b, "\nWhy\n%s", wrapIndent(d.Why, "  ", 76))
	fmt.Fprintf(&b, "\nBad\n%s", indent(d.Bad))
	fmt.Fprintf(&b, "\nGood\n%s", indent(d.Good))
	fixSafety := d.FixSafety
	if fixSafety == "" {
		fixSafety = "No fix."
	}
	fmt.Fprintf(&b, "\nFix safety\n%s", wrapIndent(fixSafety, "  ", 76))
	fmt.Fprintf(&b, "\nReferences\n")
	for _, ref := range d.References {
		fmt.Fprintf(&b, "  %s\n", ref)
	}
	fmt.Fprintf(&b, "\nDocument: %s\n", ruleURL(r.ID))
	return b.String()
}

func offByDefault(r *lint.Rule) string {
	switch {
	case r.Deprecated != "":
		return ", deprecated: " + r.Deprecated
	case !r.Default:
		return ", off by default"
	}
	return ""
}

func indent(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		b.WriteString(strings.TrimRight("    "+l, " ") + "\n")
	}
	return b.String()
}

// wrapIndent fills text into lines of at most width bytes, each prefixed.
func wrapIndent(text, prefix string, width int) string {
	var b strings.Builder
	line := prefix
	for _, word := range strings.Fields(text) {
		if len(line) > len(prefix) && len(line)+1+len(word) > width {
			b.WriteString(line + "\n")
			line = prefix
		}
		if len(line) > len(prefix) {
			line += " "
		}
		line += word
	}
	if len(line) > len(prefix) {
		b.WriteString(line + "\n")
	}
	return b.String()
}

// fence returns the code-fence language of a rule's examples.
func fence(r *lint.Rule) string {
	if r.Lang == lint.Unit {
		return "jsonc"
	}
	return "nginx"
}

// ruleMarkdown is one rule's full document; h is the heading prefix of the
// rule ("#" for a page of its own, "##" inside docs/rules.md). The heading
// is the bare ID, so its anchor is #ws101 on GitHub and elsewhere.
func ruleMarkdown(r *lint.Rule, h string) string {
	d := r.Doc
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n\n", h, r.ID)
	state := "on by default"
	switch {
	case r.Deprecated != "":
		state = "deprecated: " + r.Deprecated
	case !r.Default:
		state = "off by default (enable with `--enable " + r.ID + "`)"
	}
	fix := "no fix"
	if r.Fixable() {
		fix = "fixable"
	}
	fmt.Fprintf(&b, "**%s** · %s · %s · %s · %s\n\n", r.Name, r.Severity, r.Lang, state, fix)
	fmt.Fprintf(&b, "%s# Problem\n\n%s.\n\n", h, upperFirst(d.Summary))
	fmt.Fprintf(&b, "%s# Why\n\n%s\n\n", h, d.Why)
	fmt.Fprintf(&b, "%s# Bad\n\n```%s\n%s\n```\n\n", h, fence(r), strings.TrimRight(d.Bad, "\n"))
	fmt.Fprintf(&b, "%s# Good\n\n```%s\n%s\n```\n\n", h, fence(r), strings.TrimRight(d.Good, "\n"))
	fixSafety := d.FixSafety
	if fixSafety == "" {
		fixSafety = "No fix."
	}
	fmt.Fprintf(&b, "%s# Fix safety\n\n%s\n\n", h, fixSafety)
	fmt.Fprintf(&b, "%s# References\n\n", h)
	for _, ref := range d.References {
		if strings.HasPrefix(ref, "http://") || strings.HasPrefix(ref, "https://") {
			fmt.Fprintf(&b, "- <%s>\n", ref)
		} else {
			fmt.Fprintf(&b, "- %s\n", ref)
		}
	}
	return b.String()
}

func upperFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// rulesMarkdown is docs/rules.md: an index, then every rule's document.
func rulesMarkdown(list []*lint.Rule, all bool) string {
	var b strings.Builder
	b.WriteString("<!-- Generated by `" + regenerate + "`; do not edit. -->\n\n")
	b.WriteString("# wslint rules\n\n")
	if all {
		fmt.Fprintf(&b, "All %d rules, with the ones that are off by default (enable them with `--enable ID`).\n", len(list))
	} else {
		fmt.Fprintf(&b, "The %d rules that run by default.\n", len(list))
	}
	b.WriteString("Each has an ID, the handle for `--enable`, `--disable`, `.wslint.yaml` and suppressions, and a name;\n")
	b.WriteString("`wslint explain ID` prints the same document in a terminal.\n")
	b.WriteString("Suppress one finding with `# wslint:ignore WS201 <reason>` on its line or the line above, or a whole\n")
	b.WriteString("file with `# wslint:ignore-file WS201 <reason>`; the reason is required (WS901).\n\n")
	b.WriteString("| ID | name | severity | default | fixable | summary |\n|---|---|---|---|---|---|\n")
	for _, r := range list {
		def := yesNo(r.Default)
		if r.Deprecated != "" {
			def = "deprecated"
		}
		fmt.Fprintf(&b, "| [%s](#%s) | %s | %s | %s | %s | %s |\n", r.ID, strings.ToLower(r.ID), r.Name, r.Severity, def, yesNo(r.Fixable()),
			strings.ReplaceAll(r.Doc.Summary, "|", "\\|"))
	}
	for _, r := range list {
		b.WriteString("\n")
		b.WriteString(ruleMarkdown(r, "##"))
	}
	return b.String()
}
