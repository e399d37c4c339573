package nginx

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wslint/wslint/lint/source"
)

// plainSoup writes random configuration text: plain simple directives
// (which the cross-check leaves out of gonginx's text) among directives
// that are not plain (quotes, escapes, backquotes, a '}' or '#' inside a
// word, ${var}, non-ASCII, NUL, CR), comments, blocks (some of which gonginx
// reads as Lua) and Lua blocks, with
// random separators, or none, between them.
func plainSoup(r *rand.Rand, b *strings.Builder, depth int) {
	word := func(alphabet string) string {
		var w strings.Builder
		for n := 1 + r.IntN(6); n > 0; n-- {
			w.WriteByte(alphabet[r.IntN(len(alphabet))])
		}
		return w.String()
	}
	const plain = "ab_z09$()~^*/=.:-!@%&+,<>?[]|"
	// A name, now and then quoted or with a backslash (plainText leaves
	// blocks of such names to gonginx, out of caution).
	name := func() string {
		if r.IntN(8) > 0 {
			return word(plain[:4])
		}
		return []string{`"ab"`, `'ab'`, `a\.b`, `\.a`}[r.IntN(4)]
	}
	sep := func() string { return []string{" ", "\t", "\n", "  \n\t", "\r\n", " \n \n"}[r.IntN(6)] }
	weird := []string{`"q q"`, `'a b'`, `'a;b'`, "`x`", "`x y`", `a\ b`, `a\;b`, `a\\`, `"\""`, "${v}", "${a b}", "a}b", "a{b", "a#b", "#b", "é", "x\x00y", "\xff", `"multi` + "\n" + `line"`, "a\rb",
		`"x"`, `'x'`, `""`, `"a'b"`, `'a"b'`, `"x"y`, `x"y"`, `"a\"b"`, `'a\'b'`, `"a\.b"`, `'\.'`, `\.x`, `a\d`, `\n`, `a\`, `"a\\"`, `"{"`, `'#'`, `"x;"`}
	for n := r.IntN(7); n > 0; n-- {
		if r.IntN(3) > 0 {
			b.WriteString(sep())
		}
		switch k := r.IntN(10); {
		case k < 5: // plain
			b.WriteString(name())
			for m := r.IntN(4); m > 0; m-- {
				b.WriteString(sep())
				b.WriteString(word(plain))
			}
			if r.IntN(3) == 0 {
				b.WriteString(sep())
			}
			b.WriteByte(';')
		case k < 7: // not plain
			b.WriteString(name())
			for m := 1 + r.IntN(3); m > 0; m-- {
				b.WriteString(sep())
				if r.IntN(2) == 0 {
					b.WriteString(weird[r.IntN(len(weird))])
				} else {
					b.WriteString(word(plain))
				}
			}
			b.WriteByte(';')
		case k == 7: // a comment
			b.WriteString("# " + word(plain) + []string{"", ";", "{", "\r", "'"}[r.IntN(5)] + "\n")
		case k == 8 && depth < 3: // a block
			// gonginx reads the body of a block as Lua when the header's
			// last word ends in _by_lua_block, as in WS999's fixture.
			b.WriteString(name() + " " + []string{word(plain), "/x_by_lua_block", `"/x_by_lua_block"`, `"/q"`, `\.x`}[r.IntN(5)] + " {")
			plainSoup(r, b, depth+1)
			b.WriteString(sep() + "}")
		case k == 9: // Lua
			b.WriteString("content_by_lua_block { local t = {a = 1} -- }\n ngx.say(\"}\") }")
		}
	}
}

// plainVerdicts parses data as one whole file and returns the cross-check's
// verdict with plain directives and blocks left out (got) and with gonginx
// reading them (want), and how many were left out; ok is false when data
// does not parse.
func plainVerdicts(data []byte) (got, want string, plain int, ok bool) {
	pf := parseTree(source.NewFile("t.conf", data))
	if pf.err != nil {
		return "", "", 0, false
	}
	j := pf.job(crossJob{pf: pf, roots: pf.roots, start: 0, end: len(data), whole: true})
	full := j
	full.skip = nil
	for _, c := range j.skip {
		if c.first != nil {
			full.skip = append(full.skip, c)
		} else {
			plain++
		}
	}
	return j.check(), full.check(), plain, true
}

// TestPlainDirectivesAsGonginx checks what leaving plain directives and
// blocks out of gonginx's text rests on (plainDirective, parsedFile.job): on
// random text wslint parses, the cross-check finds a disagreement with them
// left out exactly when it finds one with gonginx reading them. That is,
// gonginx reads each as its words and braces, and reads the rest alike
// without them.
func TestPlainDirectivesAsGonginx(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 2026))
	parsed, plain, disagree := 0, 0, 0
	for i := 0; i < 4000; i++ {
		var b strings.Builder
		plainSoup(r, &b, 0)
		text := b.String()
		got, want, n, ok := plainVerdicts([]byte(text))
		if !ok {
			continue
		}
		parsed++
		plain += n
		if (got == "") != (want == "") {
			t.Errorf("%q:\n plain left out: %q\n gonginx reading all: %q", text, got, want)
		}
		if want != "" {
			disagree++
		}
	}
	t.Logf("%d texts parsed, %d plain directives and blocks left out, %d disagreements found both ways", parsed, plain, disagree)
	if parsed < 1000 || plain < 3000 {
		t.Fatalf("only %d texts parsed, %d plain directives and blocks: the generator no longer makes what this test needs", parsed, plain)
	}
}

// FuzzPlainCrossCheck is TestPlainDirectivesAsGonginx for any input that
// parses: the cross-check finds a disagreement with plain directives and
// blocks left out exactly when it finds one with gonginx reading them.
func FuzzPlainCrossCheck(f *testing.F) {
	seeds, _ := filepath.Glob("../../testdata/rules/*/*.conf")
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	r := rand.New(rand.NewPCG(12, 2026))
	for i := 0; i < 50; i++ {
		var b strings.Builder
		plainSoup(r, &b, 0)
		f.Add([]byte(b.String()))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if got, want, _, ok := plainVerdicts(data); ok && (got == "") != (want == "") {
			t.Fatalf("%q:\n plain left out: %q\n gonginx reading all: %q", data, got, want)
		}
	})
}
