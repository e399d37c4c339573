package web

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

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
	strings.Repeat("[", 65) + strings.Repeat("]", 65), strings.Repeat("[", 64) + strings.Repeat("]", 64),
}

// parseDoc answers what json.Unmarshal answers, or declines.
func TestParseDoc(t *testing.T) {
	fast := 0
	for _, s := range docSeeds {
		if checkParseDoc(t, s) {
			fast++
		}
	}
	if fast < len(docSeeds)/3 {
		t.Errorf("parseDoc decoded only %d of %d seeds", fast, len(docSeeds))
	}
}

func FuzzParseDoc(f *testing.F) {
	for _, s := range docSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkParseDoc(t, s) })
}

func checkParseDoc(t *testing.T, s string) bool {
	t.Helper()
	doc, ok := parseDoc([]byte(s))
	if !ok {
		return false
	}
	var want any
	if err := json.Unmarshal([]byte(s), &want); err != nil {
		t.Fatalf("%q: parseDoc accepts what json.Unmarshal rejects: %v", s, err)
	}
	if !reflect.DeepEqual(doc, want) {
		t.Fatalf("%q: parseDoc %#v, json.Unmarshal %#v", s, doc, want)
	}
	var got lintRequest
	if !got.fromDoc(doc) {
		if !reflect.DeepEqual(got, lintRequest{}) {
			t.Fatalf("%q: fromDoc declined but left %#v", s, got)
		}
		return true
	}
	var wantReq lintRequest
	if err := json.Unmarshal([]byte(s), &wantReq); err != nil {
		t.Fatalf("%q: fromDoc accepts what json.Unmarshal into lintRequest rejects: %v", s, err)
	}
	if !reflect.DeepEqual(got, wantReq) {
		t.Fatalf("%q: fromDoc %#v, json.Unmarshal %#v", s, got, wantReq)
	}
	return true
}
