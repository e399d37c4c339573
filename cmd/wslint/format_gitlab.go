package main

import (
	"io"

	"github.com/wslint/wslint/lint"
)

// gitlabIssue is one entry of a GitLab Code Quality report (the Code
// Climate issue subset GitLab reads).
type gitlabIssue struct {
	Type        string         `json:"type"`
	Description string         `json:"description"`
	CheckName   string         `json:"check_name"`
	Categories  []string       `json:"categories"`
	Fingerprint string         `json:"fingerprint"`
	Severity    string         `json:"severity"`
	Location    gitlabLocation `json:"location"`
}

type gitlabLocation struct {
	Path  string      `json:"path"`
	Lines gitlabLines `json:"lines"`
}

type gitlabLines struct {
	Begin int `json:"begin"`
	End   int `json:"end"`
}

// writeGitLab prints a Code Quality report: a JSON array, attached in CI
// with artifacts:reports:codequality. Fingerprints do not depend on line
// numbers (see fingerprints), so a finding keeps its identity when lines
// are inserted above it.
func writeGitLab(w io.Writer, res *result) error {
	fps := fingerprints(res.findings)
	out := make([]gitlabIssue, 0, len(res.findings))
	for i, f := range res.findings {
		p := lint.PositionOf(f.Span)
		sev := map[lint.Severity]string{lint.Error: "critical", lint.Warning: "major"}[f.Severity]
		if sev == "" {
			sev = "info"
		}
		cat := "Bug Risk"
		if len(f.RuleID) == 5 && f.RuleID[2] == '3' {
			cat = "Security"
		}
		out = append(out, gitlabIssue{Type: "issue", Description: f.RuleID + ": " + f.Message, CheckName: f.RuleID,
			Categories: []string{cat}, Fingerprint: fps[i], Severity: sev,
			Location: gitlabLocation{Path: p.File, Lines: gitlabLines{Begin: p.Line, End: p.EndLine}}})
	}
	return writeJSON(w, out)
}
