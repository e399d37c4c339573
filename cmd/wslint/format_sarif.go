package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/source"
)

// SARIF 2.1.0, the subset GitHub code scanning reads (ecosystem.md §3.1).
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations"`
	// ColumnKind: see writeSARIF.
	ColumnKind string        `json:"columnKind"`
	Results    []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifHelp struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown"`
}

type sarifRule struct {
	ID                   string             `json:"id"`
	Name                 string             `json:"name"`
	ShortDescription     sarifText          `json:"shortDescription"`
	FullDescription      sarifText          `json:"fullDescription"`
	Help                 sarifHelp          `json:"help"`
	HelpURI              string             `json:"helpUri"`
	DefaultConfiguration sarifConfiguration `json:"defaultConfiguration"`
	Properties           sarifRuleProps     `json:"properties"`
}

type sarifConfiguration struct {
	Enabled bool   `json:"enabled"`
	Level   string `json:"level"`
}

type sarifRuleProps struct {
	Tags []string `json:"tags"`
}

type sarifInvocation struct {
	ExecutionSuccessful bool `json:"executionSuccessful"`
}

type sarifResult struct {
	RuleID           string          `json:"ruleId"`
	RuleIndex        int             `json:"ruleIndex"`
	Level            string          `json:"level"`
	Message          sarifText       `json:"message"`
	Locations        []sarifLocation `json:"locations,omitempty"`
	RelatedLocations []sarifLocation `json:"relatedLocations,omitempty"`
	Fixes            []sarifFix      `json:"fixes,omitempty"`
}

type sarifLocation struct {
	ID               *int                  `json:"id,omitempty"`
	PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
	Message          *sarifText            `json:"message,omitempty"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           sarifRegion   `json:"region"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int  `json:"startLine,omitempty"`
	StartColumn int  `json:"startColumn,omitempty"`
	EndLine     int  `json:"endLine,omitempty"`
	EndColumn   int  `json:"endColumn,omitempty"`
	ByteOffset  *int `json:"byteOffset,omitempty"`
	ByteLength  *int `json:"byteLength,omitempty"`
}

type sarifFix struct {
	Description     sarifText             `json:"description"`
	ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
}

type sarifArtifactChange struct {
	ArtifactLocation sarifArtifact      `json:"artifactLocation"`
	Replacements     []sarifReplacement `json:"replacements"`
}

type sarifReplacement struct {
	DeletedRegion   sarifRegion `json:"deletedRegion"`
	InsertedContent *sarifText  `json:"insertedContent,omitempty"`
}

func sarifLevel(s lint.Severity) string {
	switch s {
	case lint.Error:
		return "error"
	case lint.Warning:
		return "warning"
	}
	return "note"
}

// families names a rule's family by its hundreds digit (style.md §10).
var families = map[byte]string{'0': "structure", '1': "handshake", '2': "timeouts", '3': "security", '4': "upstreams", '5': "unit", '9': "meta"}

// writeSARIF prints a SARIF 2.1.0 log for GitHub code scanning: every rule
// with its document (so that ruleIndex is stable across runs), and the
// findings with start and end positions.
//
// Columns: wslint counts UTF-8 bytes, SARIF consumers count characters.
// The log declares columnKind "utf16CodeUnits" (SARIF's default kind, and
// what GitHub and the VS Code SARIF viewer count) and converts every column
// to it, so the regions are exact even for non-ASCII text (a comment or a
// server_name in another script); for the usual ASCII configuration the
// numbers equal the byte columns. Fixes carry byte offsets (byteOffset,
// byteLength), which need no conversion.
//
// partialFingerprints is left out: github/codeql-action/upload-sarif
// computes primaryLocationLineHash from the checked-out file.
func writeSARIF(w io.Writer, res *result) error {
	index := map[string]int{}
	driver := sarifDriver{Name: "wslint", Version: version, InformationURI: "https://github.com/wslint/wslint", Rules: []sarifRule{}}
	for i, r := range res.rules {
		index[r.ID] = i
		tags := []string{"websocket", r.Lang.String()}
		if fam, ok := families[r.ID[2]]; ok && fam != r.Lang.String() {
			tags = append(tags, fam)
		}
		full := r.Doc.Why
		if full == "" {
			full = r.Doc.Summary
		}
		driver.Rules = append(driver.Rules, sarifRule{
			ID: r.ID, Name: r.Name,
			ShortDescription:     sarifText{upperFirst(r.Doc.Summary)},
			FullDescription:      sarifText{full},
			Help:                 sarifHelp{Text: explainText(r), Markdown: ruleMarkdown(r, "#")},
			HelpURI:              ruleURL(r.ID),
			DefaultConfiguration: sarifConfiguration{Enabled: r.Default && r.Deprecated == "", Level: sarifLevel(r.Severity)},
			Properties:           sarifRuleProps{Tags: tags},
		})
	}
	run := sarifRun{Tool: sarifTool{Driver: driver}, ColumnKind: "utf16CodeUnits", Results: []sarifResult{}}
	ok := true
	for _, f := range res.findings {
		if f.RuleID == lint.InternalErrorID {
			ok = false
		}
		i, known := index[f.RuleID]
		if !known {
			i = -1 // not in the catalogue: SARIF's "no index"
		}
		r := sarifResult{RuleID: f.RuleID, RuleIndex: i, Level: sarifLevel(f.Severity), Message: sarifText{f.Message}}
		if f.Span.File != nil {
			r.Locations = []sarifLocation{sarifLoc(f.Span, nil, "")}
		}
		for n, rel := range f.Related {
			if rel.Span.File != nil {
				id := n + 1
				r.RelatedLocations = append(r.RelatedLocations, sarifLoc(rel.Span, &id, rel.Message))
			}
		}
		for _, fx := range f.Fixes {
			if len(fx.Edits) == 0 || fx.Edits[0].File == nil {
				continue
			}
			change := sarifArtifactChange{ArtifactLocation: sarifArtifact{fileURI(fx.Edits[0].File.Path)}}
			for _, e := range source.SortedEdits(fx.Edits) {
				off, n := e.Start, e.End-e.Start
				rep := sarifReplacement{DeletedRegion: sarifRegion{ByteOffset: &off, ByteLength: &n}}
				if e.New != "" {
					rep.InsertedContent = &sarifText{e.New}
				}
				change.Replacements = append(change.Replacements, rep)
			}
			r.Fixes = append(r.Fixes, sarifFix{Description: sarifText{fmt.Sprintf("%s (%s fix)", fx.Message, fx.Applies)},
				ArtifactChanges: []sarifArtifactChange{change}})
		}
		run.Results = append(run.Results, r)
	}
	run.Invocations = []sarifInvocation{{ExecutionSuccessful: ok}}
	return writeJSON(w, sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}})
}

func sarifLoc(s source.Span, id *int, msg string) sarifLocation {
	l, c, el, ec := utf16Range(s)
	loc := sarifLocation{ID: id, PhysicalLocation: sarifPhysicalLocation{
		ArtifactLocation: sarifArtifact{fileURI(s.File.Path)},
		Region:           sarifRegion{StartLine: l, StartColumn: c, EndLine: el, EndColumn: ec},
	}}
	if msg != "" {
		loc.Message = &sarifText{strings.TrimSpace(msg)}
	}
	return loc
}
