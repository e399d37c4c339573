package unit

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wslint/wslint/lint/source"
)

func parse(t *testing.T, doc string) (*source.File, *Config, []Problem) {
	t.Helper()
	f := source.NewFile("test.json", []byte(doc))
	c, probs := Parse(f)
	return f, c, probs
}

func mustParse(t *testing.T, doc string) *Config {
	t.Helper()
	_, c, probs := parse(t, doc)
	if c == nil || len(probs) > 0 {
		t.Fatalf("Parse(%q): config %v, problems %v", doc, c != nil, probs)
	}
	return c
}

func TestParseCommentsAndTrailingCommas(t *testing.T) {
	doc := "\uFEFF// leading comment\n{ /* block */ \"a\": 1, // line\n  \"b\": [1, 2,], \"c\": {\"d\": null,},\n}\n/* trailing */\n"
	c := mustParse(t, doc)
	got := c.ToAny()
	want := map[string]any{
		"a": json.Number("1"),
		"b": []any{json.Number("1"), json.Number("2")},
		"c": map[string]any{"d": nil},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ToAny = %#v, want %#v", got, want)
	}
	var texts []string
	for _, s := range c.Comments {
		texts = append(texts, s.Text())
	}
	wantComments := []string{"// leading comment", "/* block */", "// line", "/* trailing */"}
	if !reflect.DeepEqual(texts, wantComments) {
		t.Errorf("comments = %q, want %q", texts, wantComments)
	}
	if c.Root.Span.Start != strings.Index(doc, "{") || c.Root.Span.End != strings.LastIndex(doc, "}")+1 {
		t.Errorf("root span = %v", c.Root.Span)
	}
}

func TestParseValuesAndSpans(t *testing.T) {
	doc := `{"s": "a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00", "n": [1, -0, 1.0, 1e3, 1.5, -2.5e-3, 12345678901234], "t": true, "f": false}`
	c := mustParse(t, doc)
	s := c.Root.Get("s")
	if s.Kind != String || s.Str != "a\"\\/\b\f\n\r\t\u00e9\U0001F600" {
		t.Errorf("s = %q", s.Str)
	}
	if s.Span.Text() != `"a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"` {
		t.Errorf("s span = %q", s.Span.Text())
	}
	wantInt := []bool{true, true, true, true, false, false, true}
	for i, it := range c.Root.Get("n").Items {
		if it.Kind != Number || it.IsInt != wantInt[i] || it.Span.Text() != it.Num {
			t.Errorf("n[%d] = %+v, want IsInt %v", i, it, wantInt[i])
		}
	}
	if v := c.Root.Get("t"); v.Kind != Bool || !v.Bool {
		t.Errorf("t = %+v", v)
	}
	if v := c.Root.Get("f"); v.Kind != Bool || v.Bool || v.Span.Text() != "false" {
		t.Errorf("f = %+v", v)
	}
	if c.Root.Get("missing") != nil || s.Get("x") != nil || (*Value)(nil).Get("x") != nil {
		t.Error("Get on a missing member, a string or nil must return nil")
	}
	if c.Root.Members[0].KeySpan.Text() != `"s"` {
		t.Errorf("key span = %q", c.Root.Members[0].KeySpan.Text())
	}
}

func TestParseDuplicateKey(t *testing.T) {
	doc := `{
  "listeners": {
    "*:80": {"pass": "routes"},
    "*:80": {"pass": "applications/x"}
  }
}`
	f, c, probs := parse(t, doc)
	if len(probs) != 1 {
		t.Fatalf("problems = %v, want 1", probs)
	}
	p := probs[0]
	if l, col := f.Position(p.Span.Start); l != 4 || col != 5 || p.Span.Text() != `"*:80"` {
		t.Errorf("duplicate at %d:%d %q, want 4:5 \"*:80\"", l, col, p.Span.Text())
	}
	for _, want := range []string{"duplicate key `*:80`", "first on line 3", "Duplicate object member.  All JSON object members must have unique names."} {
		if !strings.Contains(p.Message, want) {
			t.Errorf("message %q lacks %q", p.Message, want)
		}
	}
	if c == nil {
		t.Fatal("a duplicate key alone must still yield a Config")
	}
	l := c.Root.Get("listeners")
	if len(l.Members) != 1 || l.Get("*:80").Get("pass").Str != "routes" {
		t.Errorf("the first occurrence must win: %#v", c.ToAny())
	}
}

func TestParseDuplicateKeyInLargeObject(t *testing.T) {
	var b strings.Builder
	b.WriteString("{")
	for i := 0; i < 40; i++ {
		b.WriteString(`"k` + strings.Repeat("x", i) + `": 1, `)
	}
	b.WriteString(`"kxxxxx": 2}`)
	_, c, probs := parse(t, b.String())
	if len(probs) != 1 || !strings.Contains(probs[0].Message, "duplicate key `kxxxxx`") {
		t.Fatalf("problems = %v", probs)
	}
	if got := c.Root.Get("kxxxxx").Num; got != "1" || len(c.Root.Members) != 40 {
		t.Errorf("kxxxxx = %s, members = %d", got, len(c.Root.Members))
	}
}

func TestParseSyntaxErrors(t *testing.T) {
	tests := []struct {
		doc       string
		line, col int
		want      string
	}{
		{``, 1, 1, "empty document"},
		{"  // only a comment\n", 2, 1, "empty document"},
		{`{"a": 1 "b": 2}`, 1, 9, `expected ',' or '}' after object member, found '"'`},
		{`{"a" 1}`, 1, 6, "expected ':' after object key `a`, found '1'"},
		{"{\n  \"a\": \"abc\n}", 2, 12, "control character U+000A in a string must be escaped"},
		{`{"a": 01}`, 1, 7, "leading zeros are not allowed"},
		{`{"a": 1.}`, 1, 7, "a fraction needs at least one digit"},
		{`{"a": 1e+}`, 1, 7, "an exponent needs at least one digit"},
		{`{"a": -x}`, 1, 7, "expected a digit after '-'"},
		{`[1,,2]`, 1, 4, "expected a value, found ','"},
		{`{"a": tru}`, 1, 7, "expected a value, found 't'"},
		{`{"a": }`, 1, 7, "expected a value after ':', found '}'"},
		{`{"a": "\x"}`, 1, 8, `invalid escape sequence '\x'`},
		{`{"a": "\u12G4"}`, 1, 8, "four hexadecimal digits"},
		{`{"a": "\ud800"}`, 1, 8, "must be followed by a low surrogate"},
		{`{"a": "\udc00"}`, 1, 8, "lone low surrogate"},
		{`{"a": 1} x`, 1, 10, "unexpected 'x' after the end of the document"},
		{`{"a": [1, 2`, 1, 12, "the array opened on line 1 is not closed with ']'"},
		{"{\n\"a\": {\n", 3, 1, "the object opened on line 2 is not closed with '}'"},
		{`{"a": "abc`, 1, 7, "unterminated string"},
		{`{"a": "abc\`, 1, 7, "unterminated string"},
		{`/* x`, 1, 1, "unterminated /* comment"},
		{`{"a": 1 /* x }`, 1, 9, "unterminated /* comment"},
		{`{"a": 123456789012345}`, 1, 7, "number 123456789012345 is too long: Unit accepts at most 14 characters"},
		{`{"a": 1e300}`, 1, 7, "out of the range"},
		{`{,}`, 1, 2, "expected a member name in double quotes or '}', found ','"},
		{`{"a": 1 / 2}`, 1, 9, "expected ',' or '}' after object member, found '/'"},
		{"{\n  \"listeners\": {\n    \"*:80\": {\"pass\": \"routes\"}\n  ]\n}", 4, 3, "expected ',' or '}' after object member, found ']'"},
		{"[\"\xff\xfe\"] \xff", 1, 8, "unexpected byte 0xFF after the end of the document"},
	}
	for _, tt := range tests {
		f, c, probs := parse(t, tt.doc)
		if c != nil || len(probs) != 1 {
			t.Errorf("Parse(%q): config %v, problems %v; want one syntax error", tt.doc, c != nil, probs)
			continue
		}
		p := probs[0]
		line, col := f.Position(p.Span.Start)
		if line != tt.line || col != tt.col || !strings.Contains(p.Message, tt.want) {
			t.Errorf("Parse(%q) = %d:%d %q, want %d:%d containing %q", tt.doc, line, col, p.Message, tt.line, tt.col, tt.want)
		}
		if p.Span.Start < 0 || p.Span.End > len(f.Data) || p.Span.Start > p.Span.End {
			t.Errorf("Parse(%q): span %d-%d outside the file", tt.doc, p.Span.Start, p.Span.End)
		}
	}
}

func TestParseDeepNesting(t *testing.T) {
	for _, open := range []string{"[", `{"a":`} {
		doc := strings.Repeat(open, 100000)
		start := time.Now()
		f, c, probs := parse(t, doc)
		if c != nil || len(probs) != 1 || !strings.Contains(probs[0].Message, "nesting deeper than 256 levels") {
			t.Fatalf("%q x 100000: config %v, problems %v", open, c != nil, probs)
		}
		if off := probs[0].Span.Start; off != MaxDepth*len(open) {
			t.Errorf("%q: error at offset %d (%v), want %d", open, off, f, MaxDepth*len(open))
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("%q: took %v", open, d)
		}
	}
	// Exactly MaxDepth levels are fine, and validating them does not recurse away.
	doc := strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth)
	c := mustParse(t, doc)
	if probs := Validate(c); len(probs) != 1 || probs[0].Message != "the configuration must be an object, not an array" {
		t.Errorf("Validate = %v", probs)
	}
}

func TestParseHugeString(t *testing.T) {
	const n = 50 << 20
	var b strings.Builder
	b.Grow(n + 32)
	b.WriteString(`{"listeners": {}, "s": "`)
	b.WriteString(strings.Repeat("a", n))
	b.WriteString(`\n", "t": "`)
	b.WriteString(strings.Repeat("b", 1<<20))
	b.WriteString(`"}`)
	start := time.Now()
	c := mustParse(t, b.String())
	if got := len(c.Root.Get("s").Str); got != n+1 {
		t.Errorf("len(s) = %d, want %d", got, n+1)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("parsing took %v", d)
	}
	if !LooksLikeUnit([]byte(b.String())) {
		t.Error("LooksLikeUnit = false")
	}
}

func TestLookup(t *testing.T) {
	doc := `{
  "listeners": {"*:80": {"pass": "routes"}},
  "a/b": {"c~d": [10, {"e": true}]},
  "": 1
}`
	c := mustParse(t, doc)
	tests := []struct {
		ptr, key, val string
		ok            bool
	}{
		{"/listeners/*:80/pass", `"pass"`, `"routes"`, true},
		{"/listeners/*:80", `"*:80"`, `{"pass": "routes"}`, true},
		{Pointer("listeners", "*:80", "pass"), `"pass"`, `"routes"`, true},
		{"/a~1b/c~0d/1/e", `"e"`, "true", true},
		{Pointer("a/b", "c~d", "0"), "", "10", true},
		{"", "", doc, true},
		{"/", `""`, "1", true},
		{"/nope", "", "", false},
		{"/a~1b/c~0d/2", "", "", false},
		{"/a~1b/c~0d/01", "", "", false},
		{"/a~1b/c~0d/-", "", "", false},
		{"/a~2b", "", "", false},
		{"/listeners/*:80/pass/x", "", "", false},
		{"listeners", "", "", false},
	}
	for _, tt := range tests {
		k, v, ok := c.Lookup(tt.ptr)
		if ok != tt.ok || k.Text() != tt.key || v.Text() != tt.val {
			t.Errorf("Lookup(%q) = %q, %q, %v; want %q, %q, %v", tt.ptr, k.Text(), v.Text(), ok, tt.key, tt.val, tt.ok)
		}
	}
	if got := Pointer("a/b", "c~d"); got != "/a~1b/c~0d" {
		t.Errorf("Pointer = %q", got)
	}
	if c.Find("/a~1b/c~0d/1/e").Kind != Bool || c.Find("/x") != nil {
		t.Error("Find")
	}
}

func TestLooksLikeUnit(t *testing.T) {
	tests := []struct {
		doc  string
		want bool
	}{
		{`{"listeners": {}}`, true},
		{"\uFEFF// unit\n/* c */ {\"foo\": [1, {\"x\": \"}\\\"\"}, -2.5, null], \"bar\": {\"routes\": 1}, \"routes\": []}", true},
		{`{"settings": `, true},
		{`{"applications": {"a": {"type": "python"}}}`, true},
		{`{"upstreams": {}}`, true},
		{`{}`, false},
		{`[]`, false},
		{`{"foo": 1}`, false},
		{`{"certificates": {}, "config": {"listeners": {}}}`, false},
		{"server {\n    listen 80;\n}\n", false},
		{``, false},
		{`{"foo": /* open`, false},
		{`{"foo": 1 "listeners": {}}`, false},
	}
	for _, tt := range tests {
		if got := LooksLikeUnit([]byte(tt.doc)); got != tt.want {
			t.Errorf("LooksLikeUnit(%q) = %v, want %v", tt.doc, got, tt.want)
		}
	}
}

func TestKindString(t *testing.T) {
	if Object.String() != "object" || Null.String() != "null" || Kind(0).String() != "invalid" || Kind(99).String() != "Kind(99)" {
		t.Error("Kind.String")
	}
}
