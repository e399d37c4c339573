package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/wslint/wslint/rules"
)

func newRulesCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "rules",
		Short: "List the rules",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			w := cmd.OutOrStdout()
			for _, r := range rules.Registry.All() {
				def := ""
				if !r.Default {
					def = " (off by default)"
				}
				fmt.Fprintf(w, "%s  %-36s %-7s %s%s\n", r.ID, r.Name, r.Severity, r.Doc.Summary, def)
			}
			return nil
		},
	}
}

func newExplainCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "explain ID|NAME",
		Short:   "Explain a rule: problem, why, bad, good, fix safety, references",
		Example: "  wslint explain WS104\n  wslint explain inherited-headers-dropped",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, ok := rules.Registry.Lookup(args[0])
			if !ok {
				return usageErr("unknown rule %q; run 'wslint rules' for the list", args[0])
			}
			w := cmd.OutOrStdout()
			d := r.Doc
			fmt.Fprintf(w, "%s %s (%s)\n\nProblem\n  %s\n\nWhy\n  %s\n\nBad\n%s\nGood\n%s\nFix safety\n  %s\n\nReferences\n  %s\n",
				r.ID, r.Name, r.Severity, d.Summary, d.Why, indent(d.Bad), indent(d.Good), d.FixSafety, strings.Join(d.References, "\n  "))
			return nil
		},
	}
}

func indent(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		b.WriteString("    " + l + "\n")
	}
	return b.String()
}
