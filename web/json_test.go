package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	gojson "github.com/goccy/go-json"
	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/source"
	"github.com/wslint/wslint/rules"
)

// The API decodes and encodes JSON with go-json and the CLI with
// encoding/json: these tests hold go-json to encoding/json's answers.

var docSeeds = []string{
	`{}`, `[]`, `null`, `true`, `false`, `"x"`, ` {"config": ""} `, "\t{\r\n\"config\"\n:\"\"}\n",
	`{"config": "server {\n    listen 80;\n}\n", "filename": "a.conf", "kind": "nginx"}`,
	`{"config": "", "ws_paths": [], "enable": ["all"], "disable": ["WS101,WS102", " "]}`,
	`{"config": "", "unsafe": true}`, `{"config": "", "unsafe": false}`, `{"config": "", "unsafe": "yes"}`,
	`{"config": "\"\\\/\b\f\n\r\t\u00e9\u0000\u2028\uFFFF"}`, `{"config": "\ud800"}`, `{"config": "\ud83d\ude00"}`,
	`{"config": "é漢字😀"}`, "{\"config\": \"\xff\xfe\"}", `{"config": "\x"}`, `{"config": "\u12"}`, `{"config": "\u12g4"}`,
	"{\"config\": \"a\x01\"}", `{"config": "", "config": "x"}`, `{"config": 1, "config": "x"}`, `{"Config": "x"}`,
	`{"config": null}`, `{"config": 1e999}`, `{"keepalive": 1}`, `{"config": ""} {}`, `{"config": ""`, `{"config" ""}`,
	`{"config": "",}`, `[1,]`, `[,]`, `{,}`, `tru`, `truex`, `nul`, `[true false]`, `{"a":{"b":[{"c":[]}]}}`,
	`{"ws_paths": ["/a", null]}`, `{"ws_paths": "/a"}`, `{"enable": [["x"]]}`, `{"kind": {}}`, "\ufeff{}",
	`{"config": 1.5, "n": -0, "m": 1E+2, "o": 12345678901234567890}`, `{"unsafe": 1}`, `{"UNSAFE": true}`,
	strings.Repeat("[", 65) + strings.Repeat("]", 65), strings.Repeat("[", 10001) + strings.Repeat("]", 10001),
}

// go-json accepts what encoding/json accepts and gives the same values,
// into `any` (what the schema validates) and into the request struct.
func TestDecodeLikeEncodingJSON(t *testing.T) {
	for _, s := range docSeeds {
		checkDecode(t, s)
	}
}

func FuzzDecode(f *testing.F) {
	for _, s := range docSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkDecode(t, s) })
}

func checkDecode(t *testing.T, s string) {
	t.Helper()
	var doc, wantDoc any
	checkSame(t, s, "any", gojson.Unmarshal([]byte(s), &doc), json.Unmarshal([]byte(s), &wantDoc), doc, wantDoc)
	var req, wantReq lintRequest
	checkSame(t, s, "lintRequest", gojson.Unmarshal([]byte(s), &req), json.Unmarshal([]byte(s), &wantReq), req, wantReq)
	var gen, wantGen generateUnitRequest
	checkSame(t, s, "generateUnitRequest", gojson.Unmarshal([]byte(s), &gen), json.Unmarshal([]byte(s), &wantGen), gen, wantGen)
	checkFromDoc(t, s)
}

// checkFromDoc: what lintRequest.fromDoc reads from the decoded body is
// what encoding/json decodes into the struct. Only a body with a key given
// twice may be read where encoding/json rejects it (an earlier value of
// the wrong type), and then as its last values.
func checkFromDoc(t *testing.T, s string) {
	t.Helper()
	var doc any
	if gojson.Unmarshal([]byte(s), &doc) != nil {
		return
	}
	m, ok := doc.(map[string]any)
	if !ok {
		return
	}
	var got, want lintRequest
	if !got.fromDoc(m) {
		return
	}
	if err := json.Unmarshal([]byte(s), &want); err != nil {
		if !repeatsKey(s) {
			t.Fatalf("%q: fromDoc reads %#v, encoding/json rejects it: %v", s, got, err)
		}
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%q: fromDoc %#v, encoding/json %#v", s, got, want)
	}
}

// repeatsKey reports whether a top-level key of the JSON object s is given
// twice.
func repeatsKey(s string) bool {
	dec := json.NewDecoder(strings.NewReader(s))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return false
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		k, _ := tok.(string)
		if seen[k] {
			return true
		}
		seen[k] = true
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			return false
		}
	}
	return false
}

// decodeBody recycles the body's buffer as soon as it returns, and the
// request keeps the strings go-json decoded: they must be copies.
func TestDecodedStringsAreCopies(t *testing.T) {
	for _, s := range []string{`{"config": "server { listen 80; }", "ws_paths": ["/ws/"], "filename": "a.conf"}`, `{"config": "a\nb\u00e9", "enable": ["WS101"]}`} {
		buf := []byte(s)
		var doc any
		if err := gojson.Unmarshal(buf, &doc); err != nil {
			t.Fatal(err)
		}
		var req lintRequest
		if m, ok := doc.(map[string]any); !ok || !req.fromDoc(m) {
			t.Fatalf("%s: not read", s)
		}
		want := fmt.Sprintf("%#v", req)
		for i := range buf {
			buf[i] = 'Z'
		}
		if got := fmt.Sprintf("%#v", req); got != want {
			t.Fatalf("the request changed with the body's buffer: %s, was %s", got, want)
		}
	}
}

func TestFromDocSeeds(t *testing.T) {
	read := 0
	for _, s := range append(docSeeds, `{"config": "x", "ws_paths": ["/a"], "enable": [], "kind": "unit", "filename": "a", "nginx_version": "1.22", "unit_version": "1.35", "disable": ["WS101"], "unsafe": true}`) {
		var doc any
		if gojson.Unmarshal([]byte(s), &doc) == nil {
			if m, ok := doc.(map[string]any); ok && new(lintRequest).fromDoc(m) {
				read++
			}
		}
	}
	if read < 10 {
		t.Errorf("fromDoc read %d of the seeds: the check above would test little", read)
	}
}

// checkSame fails when go-json accepts what encoding/json rejects or
// decodes it differently. The converse only costs time: decodeBody then
// decodes with encoding/json.
func checkSame(t *testing.T, s, into string, err, wantErr error, got, want any) {
	t.Helper()
	if err != nil {
		return
	}
	if wantErr != nil {
		t.Fatalf("%q into %s: go-json accepts what encoding/json rejects: %v", s, into, wantErr)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%q into %s: go-json %#v, encoding/json %#v", s, into, got, want)
	}
}

// The bench body takes the go-json path: the fallback only words errors.
func TestDecodeBenchBody(t *testing.T) {
	conf := readFixture(t, "testdata/web/bench-2k.conf")
	body, _ := json.Marshal(map[string]any{"config": conf, "filename": "bench.conf", "ws_paths": []string{"/ws/"}})
	var doc any
	var req lintRequest
	if err := gojson.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	if err := gojson.Unmarshal(body, &req); err != nil {
		t.Fatal(err)
	}
	if req.Config != conf || req.Filename != "bench.conf" || !reflect.DeepEqual(req.WSPaths, []string{"/ws/"}) {
		t.Errorf("decoded %+v", req)
	}
	// and is read from the decoded document, not decoded a second time.
	var read lintRequest
	if m, ok := doc.(map[string]any); !ok || !read.fromDoc(m) || !reflect.DeepEqual(read, req) {
		t.Errorf("fromDoc did not read the bench body as decoded: %+v", read)
	}
}

// encodedValues are the lint reports of every rule fixture, fix answers
// built from them, every rule document, and values with odd strings.
func encodedValues(t testing.TB) []any {
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
	for _, r := range rules.Registry.All() {
		values = append(values, lint.NewRuleDocument(r))
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
		apiError{Error: odd}, apiError{Error: `a "quoted" \ <b>&`}, apiError{Error: "x", Details: []detail{{"/a~1b", "é\u2028\x01"}}},
		generateResponse{Config: odd}, map[string]any{}, map[string]any{"b": []any{}, "a": odd}, []any{},
		[]any{map[string]any{"": []any{}}}, "s", 1.5, nil)
	return values
}

// writeJSON writes what json.Encoder with SetIndent and without HTML
// escaping writes: the CLI's `--format json` bytes.
func TestEncodeLikeEncodingJSON(t *testing.T) {
	for i, v := range encodedValues(t) {
		got, err := marshalIndent(v)
		if err != nil {
			t.Fatal(err)
		}
		if want := marshalLikeCLI(t, v); !bytes.Equal(got, want) {
			t.Fatalf("value %d (%T):\n got %s\nwant %s", i, v, got, want)
		}
	}
}

func FuzzEncodeString(f *testing.F) {
	for _, s := range []string{"", "a", "\"\\\b\f\n\r\t\x00\x1f\x7f", "<>&", "é\u2028\u2029", "\xff\xfe", "\xe2\x80", "😀\xf0\x9f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v := fixResponse{Fixed: s, Findings: []lint.ReportFinding{{Message: s, Position: lint.Position{File: s}}}}
		got, err := marshalIndent(v)
		if err != nil {
			t.Fatal(err)
		}
		if want := marshalLikeCLI(t, v); !bytes.Equal(got, want) {
			t.Fatalf("%q:\n got %s\nwant %s", s, got, want)
		}
	})
}

// FuzzEncode encodes whatever JSON decodes to (maps, arrays, numbers).
func FuzzEncode(f *testing.F) {
	for _, s := range []string{`{}`, `[]`, `{"a":[1,{"b":"c\"]"}],"d":{}}`, `"\\"`, `[[[]],{"":""}]`, `null`, `[1e21,1e-7,-0,0.1]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var v any
		if json.Unmarshal([]byte(s), &v) != nil {
			return
		}
		got, err := marshalIndent(v)
		if err != nil {
			t.Fatal(err)
		}
		if want := marshalLikeCLI(t, v); !bytes.Equal(got, want) {
			t.Fatalf("%q:\n got %s\nwant %s", s, got, want)
		}
	})
}
