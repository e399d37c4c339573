package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/wslint/wslint/lint"
)

// writeGitHub prints GitHub Actions workflow commands, one annotation per
// finding: ::error file=…,line=…,endLine=…,col=…,endColumn=…,title=WS101::message
// (col and endColumn only when the finding is on one line, as GitHub
// requires; notice for info findings).
func writeGitHub(w io.Writer, res *result, quiet bool) error {
	for _, f := range res.findings {
		cmd := map[lint.Severity]string{lint.Error: "error", lint.Warning: "warning"}[f.Severity]
		if cmd == "" {
			cmd = "notice"
		}
		var props []string
		if f.Span.File != nil {
			l, c, el, ec := utf16Range(f.Span)
			props = append(props, "file="+escapeProperty(f.Span.File.Path), fmt.Sprintf("line=%d", l), fmt.Sprintf("endLine=%d", el))
			if l == el {
				props = append(props, fmt.Sprintf("col=%d", c), fmt.Sprintf("endColumn=%d", ec))
			}
		}
		props = append(props, "title="+escapeProperty(f.RuleID))
		msg := f.Message + " [" + f.Name + "]"
		if len(f.Fixes) > 0 {
			msg += fmt.Sprintf("\nfix (%s): %s", f.Fixes[0].Applies, f.Fixes[0].Message)
		}
		msg += "\n" + ruleURL(f.RuleID)
		fmt.Fprintf(w, "::%s %s::%s\n", cmd, strings.Join(props, ","), escapeData(msg))
	}
	if !quiet {
		fmt.Fprintf(w, "wslint: %s\n", summaryLine(res.findings))
	}
	return nil
}

// escapeData escapes a workflow command's message as actions/toolkit does.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a workflow command's property value.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
