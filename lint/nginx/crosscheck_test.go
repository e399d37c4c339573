package nginx

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wslint/wslint/lint/source"
)

// bigConfig is well over chunkSize, so the cross-check runs in dedented
// chunks; every server holds a quoted argument whose later lines are
// indented, which dedent must leave alone.
func bigConfig(servers int) string {
	var b strings.Builder
	b.WriteString("events {}\nhttp {\n")
	for i := 0; i < servers; i++ {
		fmt.Fprintf(&b, "    server {\n        listen %d;\n        # a comment\n        location / {\n", 8000+i)
		b.WriteString("            return 200 \"first\n                second\n\t\tthird\";\n")
		b.WriteString("            add_header X-A 'one\n    two';\n        }\n    }\n")
	}
	b.WriteString("}\n")
	return b.String()
}

func TestChunkedCrossCheckAgreesOnIndentedQuotes(t *testing.T) {
	text := bigConfig(6000)
	if len(text) < 4*chunkSize {
		t.Fatalf("config is %d bytes, want several chunks", len(text))
	}
	c := load(t, text)
	noProblems(t, c)
}

func TestDedent(t *testing.T) {
	text := "a {\n    b \"x\n    y\";\n\t c;\n}\n"
	pf := parseTree(source.NewFile("t.conf", []byte(text)))
	got := dedent([]byte(text), 0, pf.roots)
	if want := "a {\nb \"x\n    y\";\nc;\n}\n"; got != want {
		t.Errorf("dedent = %q, want %q", got, want)
	}
	// An offset into the file: the chunk starts at "b".
	start := strings.Index(text, "b ")
	got = dedent([]byte(text[start:]), start, pf.roots[0].Body)
	if want := "b \"x\n    y\";\nc;\n}\n"; got != want {
		t.Errorf("dedent of a chunk = %q, want %q", got, want)
	}
}

// A chunk whose tree differs from gonginx's is still reported after dedent.
func TestChunkMismatchStillFound(t *testing.T) {
	text := "server {\n    return 200 \"a\n    b\";\n}\n"
	pf := parseTree(source.NewFile("t.conf", []byte(text)))
	ret := pf.roots[0].Body[0]
	ret.Args[1].Raw = `"a b"`
	if _, msg := gonginxChunk(pf.file, dedent([]byte(text), 0, pf.roots), pf.roots, false); !strings.Contains(msg, "argument") {
		t.Fatalf("mismatch = %q, want a differing argument", msg)
	}
}

func TestRegexCacheIsBounded(t *testing.T) {
	long := strings.Repeat("a", regexCacheLen+1)
	if _, err := compiledRE(long); err != nil {
		t.Fatal(err)
	}
	regexCache.Lock()
	_, kept := regexCache.m[long]
	regexCache.Unlock()
	if kept {
		t.Errorf("an expression over %d bytes was cached", regexCacheLen)
	}
	for i := 0; i < regexCacheMax+10; i++ {
		if re, err := compiledRE(fmt.Sprintf("^/x%d$", i)); err != nil || !re.MatchString(fmt.Sprintf("/x%d", i)) {
			t.Fatalf("expression %d: %v", i, err)
		}
	}
	regexCache.Lock()
	n := len(regexCache.m)
	regexCache.Unlock()
	if n > regexCacheMax {
		t.Errorf("cache holds %d expressions, want at most %d", n, regexCacheMax)
	}
	if _, err := compiledRE("(?<=x)"); err == nil {
		t.Error("a PCRE-only expression compiled")
	}
}
