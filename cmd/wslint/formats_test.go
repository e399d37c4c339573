package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"
	"github.com/wslint/wslint/lint"
)

// repoRoot is the directory holding go.mod, found upward from the test's
// working directory.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test directory")
		}
		dir = parent
	}
}

// skipOrFail skips a test whose tool or file is missing, except under
// CI=true, where the environment must provide it.
func skipOrFail(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf(format+" (required under CI=true)", args...)
	}
	t.Skipf(format, args...)
}

// sarifSchema compiles the official SARIF 2.1.0 schema (OASIS, draft-04),
// which lives outside the repository in ../shared/ref/ relative to its root
// (third-party data is not committed).
func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	path := filepath.Join(repoRoot(t), "..", "shared", "ref", "sarif-schema-2.1.0.json")
	b, err := os.ReadFile(path)
	if err != nil {
		skipOrFail(t, "official SARIF schema not found: %v", err)
	}
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft4
	if err := c.AddResource("sarif-schema-2.1.0.json", bytes.NewReader(b)); err != nil {
		t.Fatal(err)
	}
	return c.MustCompile("sarif-schema-2.1.0.json")
}

func decodeJSON(t *testing.T, out string) any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(out))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	return doc
}

// lintInputs are real configurations with findings of many rules,
// related locations and fixes.
var lintInputs = []string{"../../testdata/rules/WS104", "../../testdata/rules/WS101", "../../testdata/examples", "../../testdata/rules/WS902/bad.conf"}

func TestSARIFValidatesAgainstOfficialSchema(t *testing.T) {
	sch := sarifSchema(t)
	for _, in := range lintInputs {
		out, stderr, code := wslint(t, "", "lint", "--format", "sarif", in)
		if code > exitFindings {
			t.Fatalf("%s: exit %d: %s", in, code, stderr)
		}
		doc := decodeJSON(t, out)
		if err := sch.Validate(doc); err != nil {
			t.Fatalf("%s: SARIF output does not validate against the official schema: %#v", in, err)
		}
		var log struct {
			Version string `json:"version"`
			Runs    []struct {
				ColumnKind string `json:"columnKind"`
				Tool       struct {
					Driver struct {
						Rules []struct {
							ID, Name, HelpURI string
							ShortDescription  struct{ Text string } `json:"shortDescription"`
							FullDescription   struct{ Text string } `json:"fullDescription"`
							Help              struct{ Text, Markdown string }
							Default           struct{ Level string } `json:"defaultConfiguration"`
						} `json:"rules"`
					} `json:"driver"`
				} `json:"tool"`
				Results []struct {
					RuleID    string `json:"ruleId"`
					RuleIndex int    `json:"ruleIndex"`
					Level     string `json:"level"`
					Message   struct{ Text string }
					Locations []struct {
						PhysicalLocation struct {
							ArtifactLocation struct{ URI string }
							Region           struct{ StartLine, StartColumn, EndLine, EndColumn int }
						} `json:"physicalLocation"`
					} `json:"locations"`
				} `json:"results"`
			} `json:"runs"`
		}
		if err := json.Unmarshal([]byte(out), &log); err != nil {
			t.Fatal(err)
		}
		run := log.Runs[0]
		if log.Version != "2.1.0" || run.ColumnKind != "utf16CodeUnits" || len(run.Tool.Driver.Rules) == 0 || len(run.Results) == 0 {
			t.Fatalf("%s: version %q, columnKind %q, %d rules, %d results", in, log.Version, run.ColumnKind, len(run.Tool.Driver.Rules), len(run.Results))
		}
		for _, r := range run.Tool.Driver.Rules {
			if r.ShortDescription.Text == "" || r.FullDescription.Text == "" || r.Help.Text == "" || r.Help.Markdown == "" || r.Default.Level == "" ||
				r.HelpURI != "https://github.com/wslint/wslint/blob/main/docs/rules.md#"+strings.ToLower(r.ID) {
				t.Errorf("rule %s: incomplete descriptor %+v", r.ID, r)
			}
		}
		for _, res := range run.Results {
			if res.RuleIndex < 0 || run.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID {
				t.Errorf("result %s: ruleIndex %d does not point at its rule", res.RuleID, res.RuleIndex)
			}
			reg := res.Locations[0].PhysicalLocation.Region
			if res.Message.Text == "" || reg.StartLine < 1 || reg.StartColumn < 1 || reg.EndLine < reg.StartLine ||
				reg.EndLine == reg.StartLine && reg.EndColumn <= reg.StartColumn || strings.HasPrefix(res.Locations[0].PhysicalLocation.ArtifactLocation.URI, "/") {
				t.Errorf("result %s: bad message or region: %+v", res.RuleID, res)
			}
		}
	}
}

// TestSARIFColumnsAreUTF16 checks the column conversion on non-ASCII text:
// a finding after "é" (2 bytes, 1 UTF-16 code unit) and "😀" (4 bytes, 2
// code units) on the same line.
func TestSARIFColumnsAreUTF16(t *testing.T) {
	conf := "location /ws/ { proxy_set_header X-A \"é😀\"; proxy_pass http://127.0.0.1:8000; }\n"
	out, _, _ := wslint(t, conf, "lint", "--format", "sarif", "--stdin-filename", "u.conf", "--enable", "WS101", "-")
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					PhysicalLocation struct {
						Region struct{ StartColumn, EndColumn int }
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	byteCol := strings.Index(conf, "proxy_pass") + 1
	want := byteCol - 6 + 3 // "é😀" is 6 bytes, 3 UTF-16 code units
	for _, r := range log.Runs[0].Results {
		if r.RuleID == "WS101" {
			if got := r.Locations[0].PhysicalLocation.Region; got.StartColumn != want || got.EndColumn != want+len("proxy_pass") {
				t.Errorf("WS101 at columns %d-%d, want %d-%d (UTF-16)", got.StartColumn, got.EndColumn, want, want+len("proxy_pass"))
			}
			return
		}
	}
	t.Fatalf("no WS101 in\n%s", out)
}

// annotation is one parsed GitHub workflow command.
type annotation struct {
	command string
	props   map[string]string
	message string
}

// parseWorkflowCommand parses `::name key=value,key=value::message` as the
// Actions runner does, unescaping values (%25 %0D %0A, and %3A %2C in
// properties).
func parseWorkflowCommand(line string) (annotation, error) {
	var a annotation
	if !strings.HasPrefix(line, "::") {
		return a, fmt.Errorf("no leading ::")
	}
	rest := line[2:]
	end := strings.Index(rest, "::")
	if end < 0 {
		return a, fmt.Errorf("no :: before the message")
	}
	head, msg := rest[:end], rest[end+2:]
	name, props, _ := strings.Cut(head, " ")
	if !regexp.MustCompile(`^[a-z-]+$`).MatchString(name) {
		return a, fmt.Errorf("bad command name %q", name)
	}
	a.command, a.props = name, map[string]string{}
	unescapeMsg := strings.NewReplacer("%0D", "\r", "%0A", "\n", "%25", "%")
	unescapeProp := strings.NewReplacer("%0D", "\r", "%0A", "\n", "%3A", ":", "%2C", ",", "%25", "%")
	if strings.ContainsAny(msg, "\r\n") {
		return a, fmt.Errorf("unescaped line break in message")
	}
	a.message = unescapeMsg.Replace(msg)
	if props != "" {
		for _, kv := range strings.Split(props, ",") {
			k, v, ok := strings.Cut(kv, "=")
			if !ok || k == "" {
				return a, fmt.Errorf("bad property %q", kv)
			}
			if strings.Contains(v, ":") {
				return a, fmt.Errorf("unescaped ':' in property %q", kv)
			}
			a.props[k] = unescapeProp.Replace(v)
		}
	}
	return a, nil
}

func TestGitHubAnnotationsParse(t *testing.T) {
	// A file name with the characters GitHub requires to be escaped.
	dir := t.TempDir()
	src, _ := os.ReadFile("../../testdata/rules/WS104/bad.conf")
	name := filepath.Join(dir, "a,b:100%.conf")
	if err := os.WriteFile(name, src, 0o644); err != nil {
		t.Fatal(err)
	}
	jsonOut, _, _ := wslint(t, "", "lint", "--format", "json", name)
	var report struct {
		Findings []struct {
			Rule, Message, File string
			Line, Column        int
			EndLine             int `json:"end_line"`
			EndColumn           int `json:"end_column"`
		}
	}
	if err := json.Unmarshal([]byte(jsonOut), &report); err != nil {
		t.Fatal(err)
	}
	out, _, code := wslint(t, "", "lint", "--format", "github", name)
	if code != exitFindings {
		t.Errorf("exit %d, want 1", code)
	}
	var anns []annotation
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if !strings.HasPrefix(line, "::") {
			if !strings.HasPrefix(line, "wslint: ") {
				t.Errorf("unexpected line %q", line)
			}
			continue
		}
		a, err := parseWorkflowCommand(line)
		if err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		anns = append(anns, a)
	}
	if len(anns) != len(report.Findings) || len(anns) == 0 {
		t.Fatalf("%d annotations for %d findings:\n%s", len(anns), len(report.Findings), out)
	}
	for i, a := range anns {
		f := report.Findings[i]
		if a.command != "error" && a.command != "warning" && a.command != "notice" {
			t.Errorf("command %q", a.command)
		}
		for k := range a.props {
			if !contains([]string{"file", "line", "endLine", "col", "endColumn", "title"}, k) {
				t.Errorf("unknown property %q", k)
			}
		}
		want := map[string]string{"file": name, "line": strconv.Itoa(f.Line), "endLine": strconv.Itoa(f.EndLine), "title": f.Rule}
		if f.Line == f.EndLine {
			want["col"], want["endColumn"] = strconv.Itoa(f.Column), strconv.Itoa(f.EndColumn)
		}
		if fmt.Sprint(a.props) != fmt.Sprint(want) {
			t.Errorf("annotation %v, want %v", a.props, want)
		}
		if !strings.HasPrefix(a.message, f.Message+" [") || !strings.Contains(a.message, "\nhttps://") {
			t.Errorf("message %q does not carry the finding's %q", a.message, f.Message)
		}
	}
	// Escaping of data and properties, as actions/toolkit does.
	if got := escapeData("50% done\r\nnext"); got != "50%25 done%0D%0Anext" {
		t.Errorf("escapeData: %q", got)
	}
	if got := escapeProperty("a,b:c%\n"); got != "a%2Cb%3Ac%25%0A" {
		t.Errorf("escapeProperty: %q", got)
	}
}

func TestCheckstyleParsesAsXML(t *testing.T) {
	for _, in := range lintInputs {
		out, _, _ := wslint(t, "", "lint", "--format", "checkstyle", in)
		jsonOut, _, _ := wslint(t, "", "lint", "--format", "json", in)
		var doc struct {
			XMLName xml.Name `xml:"checkstyle"`
			Version string   `xml:"version,attr"`
			Files   []struct {
				Name   string `xml:"name,attr"`
				Errors []struct {
					Line     int    `xml:"line,attr"`
					Column   int    `xml:"column,attr"`
					Severity string `xml:"severity,attr"`
					Message  string `xml:"message,attr"`
					Source   string `xml:"source,attr"`
				} `xml:"error"`
			} `xml:"file"`
		}
		if !strings.HasPrefix(out, `<?xml version="1.0" encoding="UTF-8"?>`) {
			t.Errorf("%s: no XML declaration", in)
		}
		if err := xml.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("%s: not XML: %v\n%s", in, err, out)
		}
		var report struct {
			Findings []struct{ Rule, Message string }
		}
		json.Unmarshal([]byte(jsonOut), &report)
		n := 0
		for _, f := range doc.Files {
			for _, e := range f.Errors {
				if f.Name == "" || e.Line < 1 || !contains([]string{"error", "warning", "info"}, e.Severity) || !strings.HasPrefix(e.Source, "wslint.WS") {
					t.Errorf("%s: bad error %+v in %q", in, e, f.Name)
				}
				if n < len(report.Findings) && !strings.HasPrefix(e.Message, report.Findings[n].Message) {
					t.Errorf("%s: message %q, want %q", in, e.Message, report.Findings[n].Message)
				}
				n++
			}
		}
		if doc.Version != "5.0" || n != len(report.Findings) || n == 0 {
			t.Errorf("%s: version %q, %d errors for %d findings", in, doc.Version, n, len(report.Findings))
		}
	}
}

type gitlabReport []struct {
	Description, Fingerprint, Severity string
	CheckName                          string `json:"check_name"`
	Location                           struct {
		Path  string
		Lines struct{ Begin, End int }
	}
}

func gitlab(t *testing.T, path string) gitlabReport {
	t.Helper()
	out, stderr, code := wslint(t, "", "lint", "--format", "gitlab", path)
	if code > exitFindings {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r gitlabReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("not a JSON array: %v\n%s", err, out)
	}
	for _, i := range r {
		if i.Description == "" || i.CheckName == "" || len(i.Fingerprint) != 32 || i.Location.Path == "" || i.Location.Lines.Begin < 1 ||
			!contains([]string{"info", "minor", "major", "critical", "blocker"}, i.Severity) {
			t.Errorf("incomplete issue %+v", i)
		}
	}
	return r
}

func TestGitLabFingerprintsStableWhenLinesAreInserted(t *testing.T) {
	src, err := os.ReadFile("../../testdata/examples/inheritance-trap/nginx.conf")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "nginx.conf")
	os.WriteFile(path, src, 0o644)
	before := gitlab(t, path)
	// Insert a comment and a directive at the top: every finding moves down.
	os.WriteFile(path, append([]byte("# deployed by CI\nworker_processes auto;\n\n"), src...), 0o644)
	after := gitlab(t, path)
	if len(before) == 0 || len(before) != len(after) {
		t.Fatalf("%d issues before, %d after", len(before), len(after))
	}
	seen := map[string]bool{}
	for i := range before {
		b, a := before[i], after[i]
		if a.Location.Lines.Begin != b.Location.Lines.Begin+3 {
			t.Errorf("%s: line %d → %d, want +3", b.CheckName, b.Location.Lines.Begin, a.Location.Lines.Begin)
		}
		if a.Fingerprint != b.Fingerprint {
			t.Errorf("%s: fingerprint changed when lines were inserted above (%s → %s)", b.CheckName, b.Fingerprint, a.Fingerprint)
		}
		if seen[b.Fingerprint] {
			t.Errorf("%s: fingerprint %s is not unique", b.CheckName, b.Fingerprint)
		}
		seen[b.Fingerprint] = true
	}
}

func TestGitLabFingerprintsDistinguishIdenticalLines(t *testing.T) {
	// The same directive in two locations fires the same rule twice.
	r := gitlab(t, "../../testdata/rules/WS902/bad.conf")
	fps := map[string]int{}
	for _, i := range r {
		fps[i.Fingerprint]++
	}
	for fp, n := range fps {
		if n > 1 {
			t.Errorf("fingerprint %s used by %d issues", fp, n)
		}
	}
}

func TestRDJSONSuggestionsFromSafeFixes(t *testing.T) {
	out, _, _ := wslint(t, "", "lint", "--format", "rdjson", "../../testdata/rules/WS104/bad.conf")
	var doc struct {
		Source      struct{ Name string }
		Diagnostics []struct {
			Message  string
			Severity string
			Code     struct{ Value, URL string }
			Location struct {
				Path  string
				Range struct{ Start, End struct{ Line, Column int } }
			}
			Suggestions []struct {
				Range struct{ Start, End struct{ Line, Column int } }
				Text  string
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	jsonOut, _, _ := wslint(t, "", "lint", "--format", "json", "../../testdata/rules/WS104/bad.conf")
	var report struct {
		Findings []struct {
			Rule  string
			Fixes []struct {
				Applicability string
				Edits         []struct {
					Line, Column int
					NewText      string `json:"new_text"`
				}
			}
		}
	}
	json.Unmarshal([]byte(jsonOut), &report)
	if doc.Source.Name != "wslint" || len(doc.Diagnostics) != len(report.Findings) || len(doc.Diagnostics) == 0 {
		t.Fatalf("%d diagnostics for %d findings", len(doc.Diagnostics), len(report.Findings))
	}
	suggested := 0
	for i, d := range doc.Diagnostics {
		f := report.Findings[i]
		if d.Code.Value != f.Rule || !contains([]string{"ERROR", "WARNING", "INFO"}, d.Severity) || d.Location.Range.Start.Line < 1 {
			t.Errorf("diagnostic %+v", d)
		}
		if len(f.Fixes) > 0 && f.Fixes[0].Applicability == "safe" {
			e := f.Fixes[0].Edits[0]
			if len(d.Suggestions) != len(f.Fixes[0].Edits) || d.Suggestions[0].Text != e.NewText || d.Suggestions[0].Range.Start.Line != e.Line {
				t.Errorf("%s: suggestions %+v, want the safe fix's edits %+v", f.Rule, d.Suggestions, f.Fixes[0].Edits)
			}
			suggested++
		} else if len(d.Suggestions) > 0 {
			t.Errorf("%s: suggestions from a fix that is not safe", f.Rule)
		}
	}
	if suggested == 0 {
		t.Error("no safe fix became a suggestion")
	}
}

func TestFileURI(t *testing.T) {
	for in, want := range map[string]string{
		"deploy/nginx/nginx.conf": "deploy/nginx/nginx.conf",
		"/etc/nginx/nginx.conf":   "file:///etc/nginx/nginx.conf",
		"a b/c#d.conf":            "a%20b/c%23d.conf",
		"c:d.conf":                "./c:d.conf",
	} {
		if got := fileURI(in); got != want {
			t.Errorf("fileURI(%q) = %q, want %q", in, got, want)
		}
		if _, err := url.Parse(fileURI(in)); err != nil {
			t.Errorf("fileURI(%q) is not a URI reference: %v", in, err)
		}
	}
}

func TestFormatsListed(t *testing.T) {
	_, stderr, code := wslint(t, "", "lint", "--format", "yaml", "../../testdata/rules/WS104/bad.conf")
	sorted := append([]string(nil), formats...)
	sort.Strings(sorted)
	if code != exitUsage || !strings.Contains(stderr, "sarif") || !strings.Contains(stderr, "rdjson") {
		t.Errorf("exit %d, stderr %q: want 2 listing the formats", code, stderr)
	}
}

// TestJSONFormatsEncodeLikeEncodingJSON: every JSON document the CLI writes
// (json, sarif, gitlab, rdjson over every rule fixture, a Unit file and the
// rule documents) is byte for byte what encoding/json's indenting Encoder
// writes: go-json (lint.EncodeJSON) is only faster.
func TestJSONFormatsEncodeLikeEncodingJSON(t *testing.T) {
	fixtures, _ := filepath.Glob(filepath.Join(repoRoot(t), "testdata", "rules", "*", "*.conf"))
	units, _ := filepath.Glob(filepath.Join(repoRoot(t), "testdata", "rules", "*", "*.json"))
	if len(fixtures) < 100 || len(units) == 0 {
		t.Fatalf("%d nginx and %d Unit fixtures found", len(fixtures), len(units))
	}
	stdlib := func(w io.Writer, v any) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(v)
	}
	both := func(args ...string) {
		t.Helper()
		got, _, code := wslint(t, "", args...)
		encodeJSON = stdlib
		want, _, wantCode := wslint(t, "", args...)
		encodeJSON = lint.EncodeJSON
		if got != want || code != wantCode {
			t.Fatalf("wslint %s: go-json and encoding/json differ (exit %d, %d):\n got %.400s\nwant %.400s", strings.Join(args, " "), code, wantCode, got, want)
		}
	}
	for _, format := range []string{"json", "sarif", "gitlab", "rdjson"} {
		for _, f := range append(fixtures, units[0]) {
			both("lint", "--format", format, "--fail-on", "never", f)
		}
	}
	both("rules", "--all", "--format", "json")
	both("explain", "--format", "json", "WS104")
}
