package main

import (
	"encoding/xml"
	"io"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/source"
)

type checkstyleRoot struct {
	XMLName xml.Name         `xml:"checkstyle"`
	Version string           `xml:"version,attr"`
	Files   []checkstyleFile `xml:"file"`
}

type checkstyleFile struct {
	Name   string            `xml:"name,attr"`
	Errors []checkstyleError `xml:"error"`
}

type checkstyleError struct {
	Line     int    `xml:"line,attr"`
	Column   int    `xml:"column,attr,omitempty"`
	Severity string `xml:"severity,attr"`
	Message  string `xml:"message,attr"`
	Source   string `xml:"source,attr"`
}

// writeCheckstyle prints Checkstyle XML (version 5.0, as golangci-lint
// writes it): every linted file, with one error element per finding.
func writeCheckstyle(w io.Writer, res *result) error {
	root := checkstyleRoot{Version: "5.0"}
	index := map[*source.File]int{}
	for _, f := range res.files {
		index[f] = len(root.Files)
		root.Files = append(root.Files, checkstyleFile{Name: f.Path})
	}
	for _, f := range res.findings {
		i, ok := index[f.Span.File]
		if !ok {
			name := ""
			if f.Span.File != nil {
				name = f.Span.File.Path
			}
			i = len(root.Files)
			index[f.Span.File] = i
			root.Files = append(root.Files, checkstyleFile{Name: name})
		}
		l, c, _, _ := utf16Range(f.Span)
		sev := map[lint.Severity]string{lint.Error: "error", lint.Warning: "warning"}[f.Severity]
		if sev == "" {
			sev = "info"
		}
		root.Files[i].Errors = append(root.Files[i].Errors, checkstyleError{Line: l, Column: c, Severity: sev,
			Message: f.Message + " [" + f.Name + "]", Source: "wslint." + f.RuleID})
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return ioErr(err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(root); err != nil {
		return ioErr(err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}
