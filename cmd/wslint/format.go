package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/source"
	"github.com/wslint/wslint/rules"
)

// formats are the values of `lint --format`.
var formats = []string{"text", "json", "sarif", "github", "checkstyle", "gitlab", "rdjson"}

// result is what every output format renders: the findings of one run over
// files, with the rule catalogue for their documents.
type result struct {
	findings []lint.Finding
	files    []*source.File
	rules    []*lint.Rule
}

func newResult(findings []lint.Finding, files []*source.File) *result {
	return &result{findings: findings, files: files, rules: rules.Registry.All()}
}

// writeFormat renders res in a machine-readable format.
func writeFormat(out io.Writer, format string, res *result, quiet bool) (err error) {
	w := bufio.NewWriterSize(out, outputBuffer(len(res.findings))) // line-based formats write a line per finding
	defer func() {
		if ferr := w.Flush(); err == nil {
			err = ferr
		}
	}()
	switch format {
	case "json":
		return writeJSON(w, lint.NewReport(res.findings, len(res.files)))
	case "sarif":
		return writeSARIF(w, res)
	case "github":
		return writeGitHub(w, res, quiet)
	case "checkstyle":
		return writeCheckstyle(w, res)
	case "gitlab":
		return writeGitLab(w, res)
	case "rdjson":
		return writeRDJSON(w, res)
	}
	return usageErr("--format %q: want %s", format, strings.Join(formats, ", "))
}

// utf16Pos returns the 1-based line and UTF-16 code-unit column of an
// offset: the columns SARIF consumers (GitHub, VS Code), GitHub annotations
// and Java-based checkstyle readers count. For ASCII they equal wslint's
// byte columns.
func utf16Pos(f *source.File, off int) (line, col int) {
	line, _ = f.Position(off)
	off = min(max(off, 0), len(f.Data))
	ls := f.LineStart(off)
	n := 0
	for b := f.Data[ls:off]; len(b) > 0; {
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return line, n + 1
}

// utf16Range is a span's start and exclusive end in UTF-16 columns.
func utf16Range(s source.Span) (line, col, endLine, endCol int) {
	if s.File == nil {
		return 1, 1, 1, 1
	}
	line, col = utf16Pos(s.File, s.Start)
	endLine, endCol = utf16Pos(s.File, s.End)
	return
}

// fileURI is a SARIF artifact URI: a relative reference for a relative
// path (resolved against the repository root by GitHub), a file URI for
// an absolute one.
func fileURI(p string) string {
	p = filepath.ToSlash(p)
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	u := strings.Join(segs, "/")
	if strings.HasPrefix(p, "/") {
		return "file://" + u
	}
	if i := strings.IndexByte(u, '/'); strings.Contains(u[:max(i, 0)], ":") || i < 0 && strings.Contains(u, ":") {
		u = "./" + u // a colon in the first segment would read as a scheme
	}
	return u
}

func severityCounts(fs []lint.Finding) (errors, warnings, infos int) {
	for _, f := range fs {
		switch f.Severity {
		case lint.Error:
			errors++
		case lint.Warning:
			warnings++
		default:
			infos++
		}
	}
	return
}

func summaryLine(fs []lint.Finding) string {
	e, w, i := severityCounts(fs)
	return fmt.Sprintf("%d %s, %d %s, %d info", e, plural(e, "error", "errors"), w, plural(w, "warning", "warnings"), i)
}

// fingerprints returns a stable identity for every finding that does not
// depend on line numbers, so that CI systems match findings across runs
// when lines are inserted above: a hash of the file path, the rule, the
// enclosing block headers, the text of the finding's line and the finding's
// text, plus the occurrence number among findings with the same hash.
func fingerprints(fs []lint.Finding) []string {
	ctx := map[*source.File]*blockIndex{}
	seen := map[string]int{}
	out := make([]string, len(fs))
	for i, f := range fs {
		h := sha256.New()
		fmt.Fprintf(h, "wslint/v1\x00%s\x00", f.RuleID)
		if file := f.Span.File; file != nil {
			bi := ctx[file]
			if bi == nil {
				bi = indexBlocks(file)
				ctx[file] = bi
			}
			ls, le := file.LineStart(f.Span.Start), file.LineEnd(f.Span.Start)
			fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s", filepath.ToSlash(file.Path), strings.Join(bi.headers(f.Span.Start), "\x01"),
				collapse(string(file.Data[ls:le])), collapse(f.Span.Text()))
		}
		sum := hex.EncodeToString(h.Sum(nil))
		seen[sum]++
		if n := seen[sum]; n > 1 {
			h2 := sha256.Sum256([]byte(fmt.Sprintf("%s:%d", sum, n)))
			sum = hex.EncodeToString(h2[:])
		}
		out[i] = sum[:32]
	}
	return out
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// blockIndex records where the blocks of a file open and close, skipping
// quoted strings and `#` comments, to name the blocks around an offset.
type blockIndex struct {
	file   *source.File
	events []blockEvent
}

type blockEvent struct {
	off    int
	open   bool
	header string
}

func indexBlocks(f *source.File) *blockIndex {
	bi := &blockIndex{file: f}
	d := f.Data
	seg := 0 // start of the current statement
	for i := 0; i < len(d); i++ {
		switch c := d[i]; c {
		case '#':
			for i < len(d) && d[i] != '\n' {
				i++
			}
		case '"', '\'':
			for i++; i < len(d) && d[i] != c; i++ {
				if d[i] == '\\' {
					i++
				}
			}
		case ';':
			seg = i + 1
		case '{':
			bi.events = append(bi.events, blockEvent{off: i, open: true, header: collapse(stripComments(string(d[seg:i])))})
			seg = i + 1
		case '}':
			bi.events = append(bi.events, blockEvent{off: i})
			seg = i + 1
		}
	}
	return bi
}

func stripComments(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(s, "\n") {
		if i := strings.IndexByte(l, '#'); i >= 0 {
			l = l[:i]
		}
		b.WriteString(l + " ")
	}
	return b.String()
}

// headers returns the headers of the blocks open at off, outermost first.
func (bi *blockIndex) headers(off int) []string {
	var stack []string
	for _, e := range bi.events {
		if e.off >= off {
			break
		}
		if e.open {
			stack = append(stack, e.header)
		} else if len(stack) > 0 {
			stack = stack[:len(stack)-1]
		}
	}
	return stack
}
