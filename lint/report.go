package lint

import (
	"github.com/wslint/wslint/lint/source"
)

// Report is the stable JSON document of `wslint lint --format json` and of
// the HTTP API (schemas/findings.schema.json).
type Report struct {
	Version  int             `json:"version"`
	Findings []ReportFinding `json:"findings"`
	Summary  Summary         `json:"summary"`
}

// ReportFinding is one finding with 1-based positions (byte columns, end exclusive).
type ReportFinding struct {
	Rule     string `json:"rule"`
	Name     string `json:"name"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	Position
	Related []ReportRelated `json:"related,omitempty"`
	Fixes   []ReportFix     `json:"fixes,omitempty"`
}

// Position is a file range.
type Position struct {
	File      string `json:"file"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"end_line"`
	EndColumn int    `json:"end_column"`
}

// ReportRelated is a related location.
type ReportRelated struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

// ReportFix is a fix with its edits.
type ReportFix struct {
	Message       string       `json:"message"`
	Applicability string       `json:"applicability"`
	Edits         []ReportEdit `json:"edits"`
}

// ReportEdit is one text edit.
type ReportEdit struct {
	Position
	NewText string `json:"new_text"`
}

// Summary counts files and findings by severity.
type Summary struct {
	Files    int `json:"files"`
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Infos    int `json:"infos"`
}

// PositionOf converts a span.
func PositionOf(s source.Span) Position {
	if s.File == nil {
		return Position{Line: 1, Column: 1, EndLine: 1, EndColumn: 1}
	}
	l, c, el, ec := s.Range()
	return Position{File: s.File.Path, Line: l, Column: c, EndLine: el, EndColumn: ec}
}

// NewReport builds the JSON document for findings over nfiles files.
func NewReport(findings []Finding, nfiles int) *Report {
	// Every slice is sized up front (grown by append, they took a third
	// of the report's allocations).
	r := &Report{Version: 1, Findings: make([]ReportFinding, 0, len(findings)), Summary: Summary{Files: nfiles}}
	for _, f := range findings {
		rf := ReportFinding{Rule: f.RuleID, Name: f.Name, Severity: f.Severity.String(), Message: f.Message, Position: PositionOf(f.Span)}
		if len(f.Related) > 0 {
			rf.Related = make([]ReportRelated, 0, len(f.Related))
		}
		for _, rel := range f.Related {
			p := PositionOf(rel.Span)
			rf.Related = append(rf.Related, ReportRelated{File: p.File, Line: p.Line, Column: p.Column, Message: rel.Message})
		}
		if len(f.Fixes) > 0 {
			rf.Fixes = make([]ReportFix, 0, len(f.Fixes))
		}
		for _, fx := range f.Fixes {
			x := ReportFix{Message: fx.Message, Applicability: fx.Applies.String(), Edits: make([]ReportEdit, 0, len(fx.Edits))}
			for _, e := range fx.Edits {
				x.Edits = append(x.Edits, ReportEdit{Position: PositionOf(source.Span{File: e.File, Start: e.Start, End: e.End}), NewText: e.New})
			}
			rf.Fixes = append(rf.Fixes, x)
		}
		switch f.Severity {
		case Error:
			r.Summary.Errors++
		case Warning:
			r.Summary.Warnings++
		default:
			r.Summary.Infos++
		}
		r.Findings = append(r.Findings, rf)
	}
	return r
}
