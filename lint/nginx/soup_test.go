package nginx_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/wslint/wslint/lint/linttest/nginxe2e"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
)

// soupPieces are the bytes and words nginx's tokenizer treats specially
// (separators, quotes, escapes, braces, comments, variables), and plain
// words between them.
var soupPieces = []string{
	"a", "b", "x/y", "$v", "${v}", " ", " ", "\t", "\n", "\n", "\r", ";", ";", "{", "}", "\"", "'", "\\", "#", "`", "(", ")", "$",
	"\"q\"", "'q'", "\"\\\"\"", "é", "\x00", "\xff",
}

// soup is a random run of pieces, the body of a types block (whose entries
// take any number of words, so nginx -t refuses such a body only for its
// syntax).
func soup(r *rand.Rand) string {
	var b strings.Builder
	for n := 1 + r.IntN(24); n > 0; n-- {
		b.WriteString(soupPieces[r.IntN(len(soupPieces))])
	}
	return b.String()
}

// testRand is the random source of the tests checked against nginx: the
// same inputs in every run, or others with WSLINT_SOUP_SEED=n (explore:
// WSLINT_SOUP_SEED=7 go test -run AsNginx ./lint/nginx/). stream tells the
// tests apart.
func testRand(stream uint64) *rand.Rand {
	seed := uint64(2026)
	if v := os.Getenv("WSLINT_SOUP_SEED"); v != "" {
		seed, _ = strconv.ParseUint(v, 10, 64)
	}
	return rand.New(rand.NewPCG(stream, seed))
}

var nginxErrLine = regexp.MustCompile(`(?s)\[emerg\] (.*) in \S+:(\d+)`)

// TestTokenizerAgreesWithNginxOnSoup: for random bodies of a types block,
// nginx -t and wslint agree on whether the configuration parses, and when
// it does not, on the line of the error (except for an unexpected end of
// file, which nginx reports where the file ends and wslint where the
// unclosed token or block starts); when it parses, gonginx agrees with
// wslint's tree (no WS999). A disagreement found here becomes a named case
// in words_test.go or comment_test.go (so far: a '\r' inside a comment, a
// '{' inside a handler block).
func TestTokenizerAgreesWithNginxOnSoup(t *testing.T) {
	nginxe2e.NginxBinary(t)
	r := testRand(5)
	const cases = 500
	for i := range cases {
		body := soup(r)
		conf := "pid nginx.pid;\nevents {}\nhttp {\ntypes {\n" + body + "\n}\n}\n"
		out, err := nginxe2e.ConfigTestMain(t, conf)
		nginxMsg, nginxLine := "", 0
		if err != nil {
			m := nginxErrLine.FindStringSubmatch(out)
			if m == nil {
				t.Fatalf("case %d %q: nginx -t failed without an error line: %v\n%s", i, body, err, out)
			}
			nginxMsg = m[1]
			nginxLine, _ = strconv.Atoi(m[2])
		}
		cfg := nginx.Load([]*source.File{source.NewFile("nginx.conf", []byte(conf))}, nginx.LoadOptions{})
		cfg.CrossCheck()
		var syntax *nginx.Problem
		var others []string
		for k := range cfg.Problems {
			p := &cfg.Problems[k]
			if p.Kind == nginx.ProblemSyntax && syntax == nil {
				syntax = p
			} else {
				others = append(others, p.Message)
			}
		}
		name := fmt.Sprintf("case %d %q", i, body)
		line := 0
		if syntax != nil {
			line, _ = syntax.Span.File.Position(syntax.Span.Start)
		}
		switch {
		case nginxMsg == "" && syntax != nil:
			t.Errorf("%s: nginx -t accepts it; wslint: %s", name, syntax.Message)
		case !strings.HasPrefix(nginxMsg, "unexpected"):
			// Accepted, or refused for what it means (a '}' in the
			// soup ends the types block early, and what follows is an
			// unknown directive of http): nginx read every token up to
			// the directive it names.
			if syntax != nil && line < nginxLine {
				t.Errorf("%s: nginx -t reads it up to line %d (%s); wslint: %s at line %d", name, nginxLine, nginxMsg, syntax.Message, line)
			}
		case syntax == nil:
			t.Errorf("%s: nginx -t refuses it (%s, line %d); wslint parses it", name, nginxMsg, nginxLine)
		case !strings.HasPrefix(nginxMsg, "unexpected end of file") && line != nginxLine:
			t.Errorf("%s: nginx -t: %s at line %d; wslint: %s at line %d", name, nginxMsg, nginxLine, syntax.Message, line)
		}
		if nginxMsg == "" && len(others) > 0 {
			t.Errorf("%s: nginx -t accepts it; wslint: %s", name, strings.Join(others, "; "))
		}
	}
}
