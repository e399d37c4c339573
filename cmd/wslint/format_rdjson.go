package main

import (
	"io"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/source"
)

// rdjson is reviewdog's Diagnostic Format (proto/rdf), JSON encoding.
type rdjson struct {
	Source      rdSource       `json:"source"`
	Diagnostics []rdDiagnostic `json:"diagnostics"`
}

type rdSource struct {
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

type rdDiagnostic struct {
	Message          string         `json:"message"`
	Location         rdLocation     `json:"location"`
	Severity         string         `json:"severity"`
	Source           *rdSource      `json:"source,omitempty"`
	Code             rdCode         `json:"code"`
	Suggestions      []rdSuggestion `json:"suggestions,omitempty"`
	RelatedLocations []rdRelated    `json:"related_locations,omitempty"`
}

type rdLocation struct {
	Path  string   `json:"path"`
	Range *rdRange `json:"range,omitempty"`
}

type rdRange struct {
	Start rdPosition `json:"start"`
	End   rdPosition `json:"end"`
}

type rdPosition struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

type rdCode struct {
	Value string `json:"value"`
	URL   string `json:"url,omitempty"`
}

type rdSuggestion struct {
	Range rdRange `json:"range"`
	Text  string  `json:"text"`
}

type rdRelated struct {
	Message  string     `json:"message,omitempty"`
	Location rdLocation `json:"location"`
}

// rdRangeOf is a span in rdjson's terms: 1-based lines, 1-based UTF-8 byte
// columns, end exclusive (wslint's own positions).
func rdRangeOf(s source.Span) *rdRange {
	p := lint.PositionOf(s)
	return &rdRange{Start: rdPosition{p.Line, p.Column}, End: rdPosition{p.EndLine, p.EndColumn}}
}

// writeRDJSON prints one rdjson document. Safe fixes become suggestions,
// which reviewdog posts as suggested changes.
func writeRDJSON(w io.Writer, res *result) error {
	doc := rdjson{Source: rdSource{Name: "wslint", URL: "https://github.com/wslint/wslint"}, Diagnostics: []rdDiagnostic{}}
	for _, f := range res.findings {
		sev := map[lint.Severity]string{lint.Error: "ERROR", lint.Warning: "WARNING"}[f.Severity]
		if sev == "" {
			sev = "INFO"
		}
		d := rdDiagnostic{Message: f.Message, Severity: sev, Code: rdCode{Value: f.RuleID, URL: ruleURL(f.RuleID)},
			Location: rdLocation{Path: lint.PositionOf(f.Span).File, Range: rdRangeOf(f.Span)}}
		if len(f.Fixes) > 0 && f.Fixes[0].Applies == lint.Safe {
			for _, e := range f.Fixes[0].Edits {
				r := rdRangeOf(source.Span{File: e.File, Start: e.Start, End: e.End})
				d.Suggestions = append(d.Suggestions, rdSuggestion{Range: *r, Text: e.New})
			}
		}
		for _, rel := range f.Related {
			d.RelatedLocations = append(d.RelatedLocations, rdRelated{Message: rel.Message,
				Location: rdLocation{Path: lint.PositionOf(rel.Span).File, Range: rdRangeOf(rel.Span)}})
		}
		doc.Diagnostics = append(doc.Diagnostics, d)
	}
	return writeJSON(w, doc)
}
