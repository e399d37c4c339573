package unit

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/wslint/wslint/lint/source"
)

// FuzzParse checks that no input makes Parse, LooksLikeUnit or Validate
// panic, and that every problem and every value lies inside the file.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		``, `{}`, `[]`, `{"a":1,}`, `{"a" 1}`, `{"a":"\ud83d\ude00"}`, `// c` + "\n{}", `/* `, `{"a":{"a":1},"a":2}`,
		`{"listeners":{"*:80":{"pass":"routes"}},"routes":[{"action":{"pass":"x","share":"y"}}]}`,
		`{"applications":{"p":{"type":"python","targets":{"a":{}},"module":"m"}}}`,
		"\uFEFF[1e3, -0.5, 01, \"\\u00\"]",
	} {
		f.Add([]byte(seed))
	}
	if files, _ := filepath.Glob("../../testdata/unit/*.json"); len(files) > 0 {
		for _, name := range files {
			if data, err := os.ReadFile(name); err == nil {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file := source.NewFile("fuzz.json", data)
		LooksLikeUnit(data)
		c, probs := Parse(file)
		checkSpans := func(what string, s source.Span) {
			if s.File != file || s.Start < 0 || s.Start > s.End || s.End > len(data) {
				t.Fatalf("%s span [%d,%d) outside the %d-byte file", what, s.Start, s.End, len(data))
			}
		}
		for _, p := range probs {
			checkSpans("problem "+p.Message, p.Span)
		}
		if c == nil {
			return
		}
		var walk func(v *Value, depth int)
		walk = func(v *Value, depth int) {
			checkSpans("value", v.Span)
			if depth > MaxDepth {
				t.Fatalf("depth %d beyond MaxDepth", depth)
			}
			for _, m := range v.Members {
				checkSpans("key", m.KeySpan)
				walk(m.Value, depth+1)
			}
			for _, it := range v.Items {
				walk(it, depth+1)
			}
		}
		walk(c.Root, 0)
		c.ToAny()
		c.Lookup("/listeners/*:80/pass")
		if len(data) <= 4096 {
			for _, p := range Validate(c) {
				checkSpans("schema problem "+p.Message, p.Span)
			}
		}
	})
}
