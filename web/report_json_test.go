package web

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/source"
	"github.com/wslint/wslint/rules"
)

// reportValues are the lint reports of every rule fixture, with and without
// their findings' related spans and fixes, and fix answers built from them.
func reportValues(t testing.TB) []any {
	sel, _ := rules.Registry.Select(true, nil, nil)
	files := []string{"../testdata/web/bench-2k.conf"}
	filepath.WalkDir("../testdata/rules", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return err
	})
	var values []any
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		res := lint.Run(sel, lint.Input{Files: []*source.File{source.NewFile(filepath.Base(p), b)}, Load: noFiles}, lint.DefaultOptions())
		r := lint.NewReport(res.Findings, len(res.Files))
		values = append(values, r, fixResponse{Fixed: string(b), Diff: "--- a\n+++ b\n", Findings: r.Findings})
	}
	odd := "\"\\\b\f\n\r\t\x00\x1f\x7f<>&é\u2028\u2029\xff\xfe😀"
	values = append(values,
		&lint.Report{}, &lint.Report{Findings: []lint.ReportFinding{}}, (*lint.Report)(nil),
		fixResponse{}, fixResponse{Findings: []lint.ReportFinding{}},
		fixResponse{Fixed: odd, Diff: odd, Findings: []lint.ReportFinding{{Rule: odd, Name: odd, Severity: odd, Message: odd,
			Position: lint.Position{File: odd, Line: -1, Column: 1 << 40},
			Related:  []lint.ReportRelated{},
			Fixes: []lint.ReportFix{{Message: odd, Applicability: odd}, {Edits: []lint.ReportEdit{}},
				{Edits: []lint.ReportEdit{{NewText: odd}, {Position: lint.Position{File: odd}}}}}}}},
		apiError{Error: odd}, map[string]any{"a": []any{}}, nil)
	return values
}

// appendJSON writes what json.Encoder with SetIndent and without HTML
// escaping writes.
func TestAppendJSON(t *testing.T) {
	for i, v := range reportValues(t) {
		got, err := appendJSON([]byte("prefix"), v)
		if err != nil {
			t.Fatal(err)
		}
		if want := append([]byte("prefix"), encoderIndent(t, v)...); !bytes.Equal(got, want) {
			t.Fatalf("value %d (%T):\n got %s\nwant %s", i, v, got, want)
		}
	}
}

func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "a", "\"\\\b\f\n\r\t\x00\x1f\x7f", "<>&", "é\u2028\u2029", "\xff\xfe", "\xe2\x80", "😀\xf0\x9f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := appendString(nil, s)
		want := bytes.TrimSuffix(encoderIndent(t, s), []byte("\n"))
		if !bytes.Equal(got, want) {
			t.Fatalf("%q: got %s, want %s", s, got, want)
		}
	})
}

// appendReport and appendFixResponse write every field of these types, as
// their json tags name them: a field added to lint.Report (or below) must
// be added there, and here.
func TestReportEncoderFields(t *testing.T) {
	want := map[string]string{
		"Report":        "version int, findings []ReportFinding, summary Summary",
		"ReportFinding": "rule string, name string, severity string, message string, Position Position, related,omitempty []ReportRelated, fixes,omitempty []ReportFix",
		"Position":      "file string, line int, column int, end_line int, end_column int",
		"ReportRelated": "file string, line int, column int, message string",
		"ReportFix":     "message string, applicability string, edits []ReportEdit",
		"ReportEdit":    "Position Position, new_text string",
		"Summary":       "files int, errors int, warnings int, infos int",
		"fixResponse":   "fixed string, diff string, findings []ReportFinding",
	}
	seen := map[string]bool{}
	var walk func(reflect.Type)
	walk = func(rt reflect.Type) {
		for rt.Kind() == reflect.Slice || rt.Kind() == reflect.Pointer {
			rt = rt.Elem()
		}
		if rt.Kind() != reflect.Struct || seen[rt.Name()] {
			return
		}
		seen[rt.Name()] = true
		var fields []string
		for i := range rt.NumField() {
			f := rt.Field(i)
			tag := f.Tag.Get("json")
			if f.Anonymous && tag == "" {
				tag = f.Name
			}
			fields = append(fields, tag+" "+strings.NewReplacer("lint.", "", "web.", "").Replace(f.Type.String()))
			walk(f.Type)
		}
		if got := strings.Join(fields, ", "); got != want[rt.Name()] {
			t.Errorf("%s has fields %q, the encoder in report_json.go writes %q: update appendReport and this test", rt.Name(), got, want[rt.Name()])
		}
	}
	walk(reflect.TypeOf(lint.Report{}))
	walk(reflect.TypeOf(fixResponse{}))
	if len(seen) != len(want) {
		t.Errorf("types %v, want %d", seen, len(want))
	}
}
