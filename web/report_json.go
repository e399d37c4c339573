package web

import (
	"strconv"
	"unicode/utf8"

	"github.com/wslint/wslint/lint"
)

// appendJSON appends v as writeJSON sends it: marshalIndent's bytes. The
// lint report and the fix answer, the API's large and frequent documents,
// are written directly instead of by reflection and a second indenting
// pass (a sixth of the web layer's time for the 2 KB bench config);
// TestAppendJSON compares them with json.Encoder, and
// TestReportEncoderFields fails when lint.Report gains a field this does
// not write.
func appendJSON(dst []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case *lint.Report:
		if v != nil {
			return appendReport(dst, v), nil
		}
	case fixResponse:
		return appendFixResponse(dst, &v), nil
	}
	b, err := marshalIndent(v)
	return append(dst, b...), err
}

// indentWriter writes JSON as json.Encoder with SetIndent("", "  ") does.
type indentWriter struct {
	b     []byte
	depth int
	first bool // no member or element written yet in the open object or array
}

func (w *indentWriter) newline() {
	w.b = append(w.b, '\n')
	for range w.depth {
		w.b = append(w.b, ' ', ' ')
	}
}

func (w *indentWriter) open(c byte) {
	w.b = append(w.b, c)
	w.depth++
	w.first = true
}

func (w *indentWriter) close(c byte) {
	w.depth--
	if !w.first {
		w.newline()
	}
	w.b = append(w.b, c)
	w.first = false
}

// key starts a member; name needs no escaping.
func (w *indentWriter) key(name string) {
	w.elem()
	w.b = append(w.b, '"')
	w.b = append(w.b, name...)
	w.b = append(w.b, '"', ':', ' ')
}

func (w *indentWriter) elem() {
	if !w.first {
		w.b = append(w.b, ',')
	}
	w.first = false
	w.newline()
}

func (w *indentWriter) str(name, s string) {
	w.key(name)
	w.b = appendString(w.b, s)
}

func (w *indentWriter) num(name string, n int) {
	w.key(name)
	w.b = strconv.AppendInt(w.b, int64(n), 10)
}

func (w *indentWriter) null() { w.b = append(w.b, "null"...) }

func appendReport(dst []byte, r *lint.Report) []byte {
	w := indentWriter{b: dst}
	w.open('{')
	w.num("version", r.Version)
	w.key("findings")
	w.findings(r.Findings)
	w.key("summary")
	w.open('{')
	w.num("files", r.Summary.Files)
	w.num("errors", r.Summary.Errors)
	w.num("warnings", r.Summary.Warnings)
	w.num("infos", r.Summary.Infos)
	w.close('}')
	w.close('}')
	return append(w.b, '\n')
}

func appendFixResponse(dst []byte, r *fixResponse) []byte {
	w := indentWriter{b: dst}
	w.open('{')
	w.str("fixed", r.Fixed)
	w.str("diff", r.Diff)
	w.key("findings")
	w.findings(r.Findings)
	w.close('}')
	return append(w.b, '\n')
}

func (w *indentWriter) findings(fs []lint.ReportFinding) {
	if fs == nil {
		w.null()
		return
	}
	w.open('[')
	for i := range fs {
		f := &fs[i]
		w.elem()
		w.open('{')
		w.str("rule", f.Rule)
		w.str("name", f.Name)
		w.str("severity", f.Severity)
		w.str("message", f.Message)
		w.position(&f.Position)
		if len(f.Related) > 0 { // omitempty
			w.key("related")
			w.open('[')
			for _, rel := range f.Related {
				w.elem()
				w.open('{')
				w.str("file", rel.File)
				w.num("line", rel.Line)
				w.num("column", rel.Column)
				w.str("message", rel.Message)
				w.close('}')
			}
			w.close(']')
		}
		if len(f.Fixes) > 0 { // omitempty
			w.key("fixes")
			w.open('[')
			for j := range f.Fixes {
				w.fix(&f.Fixes[j])
			}
			w.close(']')
		}
		w.close('}')
	}
	w.close(']')
}

func (w *indentWriter) fix(fx *lint.ReportFix) {
	w.elem()
	w.open('{')
	w.str("message", fx.Message)
	w.str("applicability", fx.Applicability)
	w.key("edits")
	if fx.Edits == nil {
		w.null()
	} else {
		w.open('[')
		for i := range fx.Edits {
			e := &fx.Edits[i]
			w.elem()
			w.open('{')
			w.position(&e.Position)
			w.str("new_text", e.NewText)
			w.close('}')
		}
		w.close(']')
	}
	w.close('}')
}

func (w *indentWriter) position(p *lint.Position) {
	w.str("file", p.File)
	w.num("line", p.Line)
	w.num("column", p.Column)
	w.num("end_line", p.EndLine)
	w.num("end_column", p.EndColumn)
}

// plainASCII are the bytes appendString copies as they are.
var plainASCII = func() (t [256]bool) {
	for b := 0x20; b < utf8.RuneSelf; b++ {
		t[b] = b != '"' && b != '\\'
	}
	return t
}()

// appendString is encoding/json's string encoding without HTML escaping
// (SetEscapeHTML(false)): `"`, `\` and control bytes escaped, invalid UTF-8
// as \ufffd, U+2028 and U+2029 as \u2028 and \u2029.
func appendString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if plainASCII[b] {
				i++
				for i < len(s) && plainASCII[s[i]] {
					i++
				}
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
