package unit

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/wslint/wslint/lint/source"
)

// MaxDepth is the deepest nesting of objects and arrays that Parse accepts.
// Real Unit configurations nest fewer than 10 levels; the limit keeps every
// recursive walk of the tree (ToAny, schema validation) shallow.
const MaxDepth = 256

// maxNumberLen is Unit's NXT_CONF_MAX_NUMBER_LEN: longer number literals are
// rejected ("The number is too long.").
const maxNumberLen = 14

// Problem is a message about a span of the document.
type Problem struct {
	Span    source.Span
	Message string
	// Pointer is the JSON pointer of the offending value for schema
	// problems, empty for syntax problems.
	Pointer string
}

// unitDuplicate is Unit's own message for a duplicate key, quoted in ours so
// that users can search for it.
const unitDuplicate = "Duplicate object member.  All JSON object members must have unique names."

// Parse reads f as Unit's JSON parser does (nxt_conf_json_parse): a UTF-8 BOM
// is skipped, // and /* */ comments are whitespace, and a trailing comma may
// end an object or an array. Unlike Unit, which stops at the first error,
// Parse reports every duplicate key; a syntax error ends parsing and is the
// last problem, with a nil *Config. Duplicate keys alone still yield a
// Config, without the duplicates.
//
// The reader is iterative, so neither deep nesting (bounded by MaxDepth) nor
// huge strings can exhaust the stack.
func Parse(f *source.File) (*Config, []Problem) {
	c := Load(f)
	if c.Root == nil {
		return nil, c.Problems
	}
	return c, c.Problems
}

// Load reads f as Parse does but always returns a Config: on a syntax error
// its Root is nil. Problems holds what Parse returns (duplicate keys, then the
// syntax error if any) and Comments the comments read up to that point, so
// that suppression comments work even in a file that does not parse.
func Load(f *source.File) *Config {
	p := &parser{f: f, data: f.Data}
	if bytes.HasPrefix(p.data, []byte("\xEF\xBB\xBF")) {
		p.pos = 3
	}
	root := p.document()
	return &Config{File: f, Root: root, Comments: p.comments, Problems: p.problems}
}

type parser struct {
	f        *source.File
	data     []byte
	pos      int
	comments []source.Span
	problems []Problem
	failed   bool
}

// frame is an object or array being read.
type frame struct {
	v       *Value
	key     string
	keySpan source.Span
	dup     bool           // the member being read repeats a key: drop it
	index   map[string]int // key → member index, built for large objects
}

const indexAfter = 16

func (fr *frame) has(key string) (int, bool) {
	if fr.index != nil {
		i, ok := fr.index[key]
		return i, ok
	}
	for i := range fr.v.Members {
		if fr.v.Members[i].Key == key {
			return i, true
		}
	}
	return 0, false
}

func (fr *frame) add(v *Value) {
	if fr.v.Kind == Array {
		fr.v.Items = append(fr.v.Items, v)
		return
	}
	if fr.dup {
		fr.dup = false
		return
	}
	fr.v.Members = append(fr.v.Members, Member{Key: fr.key, KeySpan: fr.keySpan, Value: v})
	n := len(fr.v.Members)
	switch {
	case fr.index != nil:
		fr.index[fr.key] = n - 1
	case n > indexAfter:
		fr.index = make(map[string]int, 2*n)
		for i, m := range fr.v.Members {
			fr.index[m.Key] = i
		}
	}
}

func (p *parser) span(start, end int) source.Span {
	return source.Span{File: p.f, Start: start, End: end}
}

// fail records a syntax error at off (one byte wide, or empty at the end).
func (p *parser) fail(off int, format string, args ...any) {
	end := off + 1
	if off >= len(p.data) {
		off, end = len(p.data), len(p.data)
	}
	p.problems = append(p.problems, Problem{Span: p.span(off, end), Message: fmt.Sprintf(format, args...)})
	p.failed = true
}

func (p *parser) eof() bool { return p.pos >= len(p.data) }

// found describes the byte at p.pos for a message.
func (p *parser) found() string {
	if p.eof() {
		return "end of input"
	}
	r, size := utf8.DecodeRune(p.data[p.pos:])
	switch {
	case r == utf8.RuneError && size <= 1:
		return fmt.Sprintf("byte 0x%02X", p.data[p.pos])
	case r == '\'':
		return `"'"`
	case unicode.IsPrint(r):
		return "'" + string(r) + "'"
	}
	return fmt.Sprintf("%U", r)
}

// skipSpace skips whitespace and comments. An unterminated block comment is
// a syntax error (Unit then fails on its '/').
func (p *parser) skipSpace() bool {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
			continue
		case '/':
			if p.pos+1 >= len(p.data) {
				return true
			}
			start := p.pos
			switch p.data[p.pos+1] {
			case '/':
				end := bytes.IndexByte(p.data[start:], '\n')
				if end < 0 {
					p.pos = len(p.data)
				} else {
					p.pos = start + end
				}
			case '*':
				end := bytes.Index(p.data[start+2:], []byte("*/"))
				if end < 0 {
					p.fail(start, "unterminated /* comment")
					return false
				}
				p.pos = start + 2 + end + 2
			default:
				return true
			}
			p.comments = append(p.comments, p.span(start, p.pos))
			continue
		}
		return true
	}
	return true
}

// document reads the whole document; nil means a syntax error.
func (p *parser) document() *Value {
	if !p.skipSpace() {
		return nil
	}
	if p.eof() {
		p.fail(p.pos, "empty document: expected a JSON object")
		return nil
	}
	var stack []*frame
values:
	for {
		// A value starts here (whitespace skipped).
		if p.eof() {
			p.failEOF(stack)
			return nil
		}
		var v *Value
		switch c := p.data[p.pos]; c {
		case '{', '[':
			if len(stack) >= MaxDepth {
				p.fail(p.pos, "nesting deeper than %d levels", MaxDepth)
				return nil
			}
			kind := Object
			if c == '[' {
				kind = Array
			}
			fr := &frame{v: &Value{Kind: kind, Span: p.span(p.pos, p.pos)}}
			p.pos++
			stack = append(stack, fr)
			more, ok := p.next(fr)
			if !ok {
				return nil
			}
			if more {
				continue
			}
			v = fr.v
			stack = stack[:len(stack)-1]
		default:
			if v = p.scalar(stack); v == nil {
				return nil
			}
		}
		// Hand v to its container and close containers that end here.
		for {
			if len(stack) == 0 {
				if !p.skipSpace() {
					return nil
				}
				if !p.eof() {
					p.fail(p.pos, "unexpected %s after the end of the document", p.found())
					return nil
				}
				return v
			}
			fr := stack[len(stack)-1]
			fr.add(v)
			if !p.skipSpace() {
				return nil
			}
			if p.eof() {
				p.failEOF(stack)
				return nil
			}
			closer, what := byte('}'), "object member"
			if fr.v.Kind == Array {
				closer, what = ']', "array element"
			}
			switch p.data[p.pos] {
			case ',':
				p.pos++
				more, ok := p.next(fr)
				if !ok {
					return nil
				}
				if more {
					continue values
				}
			case closer:
				p.pos++
				fr.v.Span.End = p.pos
			default:
				p.fail(p.pos, "expected ',' or '%c' after %s, found %s", closer, what, p.found())
				return nil
			}
			v = fr.v
			stack = stack[:len(stack)-1]
		}
	}
}

// failEOF reports the end of input inside the innermost open container.
func (p *parser) failEOF(stack []*frame) {
	if len(stack) == 0 {
		p.fail(len(p.data), "unexpected end of input: expected a value")
		return
	}
	fr := stack[len(stack)-1]
	line, _ := p.f.Position(fr.v.Span.Start)
	what, closer := "object", '}'
	if fr.v.Kind == Array {
		what, closer = "array", ']'
	}
	p.fail(len(p.data), "unexpected end of input: the %s opened on line %d is not closed with '%c'", what, line, closer)
}

// next is called after '{', '[' or ','. It consumes a closing bracket (an
// empty container or a trailing comma) and returns more=false, or, for an
// object, reads the next key and its ':' and returns more=true.
func (p *parser) next(fr *frame) (more, ok bool) {
	if !p.skipSpace() {
		return false, false
	}
	if p.eof() {
		p.failEOF([]*frame{fr})
		return false, false
	}
	closer := byte('}')
	if fr.v.Kind == Array {
		closer = ']'
	}
	if p.data[p.pos] == closer {
		p.pos++
		fr.v.Span.End = p.pos
		return false, true
	}
	if fr.v.Kind == Array {
		return true, true
	}
	if p.data[p.pos] != '"' {
		p.fail(p.pos, "expected a member name in double quotes or '}', found %s", p.found())
		return false, false
	}
	start := p.pos
	key, ok := p.str()
	if !ok {
		return false, false
	}
	fr.key, fr.keySpan = key, p.span(start, p.pos)
	if i, dup := fr.has(key); dup {
		line, _ := p.f.Position(fr.v.Members[i].KeySpan.Start)
		p.problems = append(p.problems, Problem{
			Span:    fr.keySpan,
			Message: fmt.Sprintf("duplicate key %s (first on line %d); Unit rejects the document: %q", quoteKey(key), line, unitDuplicate),
		})
		fr.dup = true
	}
	if !p.skipSpace() {
		return false, false
	}
	if p.eof() || p.data[p.pos] != ':' {
		if p.eof() {
			p.failEOF([]*frame{fr})
		} else {
			p.fail(p.pos, "expected ':' after object key %s, found %s", quoteKey(key), p.found())
		}
		return false, false
	}
	p.pos++
	if !p.skipSpace() {
		return false, false
	}
	if p.eof() {
		p.fail(p.pos, "unexpected end of input: missing the value of %s", quoteKey(key))
		return false, false
	}
	return true, true
}

// quoteKey renders a key for a message.
func quoteKey(k string) string {
	if len(k) > 60 {
		k = k[:57] + "..."
	}
	if strings.ContainsAny(k, "`") || strings.IndexFunc(k, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
		return strconv.Quote(k)
	}
	return "`" + k + "`"
}

// scalar reads a string, number or literal at p.pos.
func (p *parser) scalar(stack []*frame) *Value {
	start := p.pos
	c := p.data[p.pos]
	switch {
	case c == '"':
		s, ok := p.str()
		if !ok {
			return nil
		}
		return &Value{Kind: String, Str: s, Span: p.span(start, p.pos)}
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	}
	for _, lit := range [...]struct {
		text string
		v    Value
	}{{"true", Value{Kind: Bool, Bool: true}}, {"false", Value{Kind: Bool}}, {"null", Value{Kind: Null}}} {
		if bytes.HasPrefix(p.data[p.pos:], []byte(lit.text)) {
			v := lit.v
			p.pos += len(lit.text)
			v.Span = p.span(start, p.pos)
			return &v
		}
	}
	if c == '}' || c == ']' {
		if len(stack) > 0 && stack[len(stack)-1].v.Kind == Object {
			p.fail(p.pos, "expected a value after ':', found %s", p.found())
			return nil
		}
	}
	p.fail(p.pos, "expected a value, found %s", p.found())
	return nil
}

// number reads a number as Unit does (nxt_conf_json_parse_number): JSON
// syntax, at most 14 characters, magnitude at most 2^63-1.
func (p *parser) number() *Value {
	start := p.pos
	d := p.data
	i := start
	if d[i] == '-' {
		i++
	}
	digits := func() int {
		j := i
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
		return i - j
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
		if i < len(d) && d[i] >= '0' && d[i] <= '9' {
			p.fail(start, "invalid number: leading zeros are not allowed")
			return nil
		}
	case digits() == 0:
		p.fail(start, "invalid number: expected a digit after '-'")
		return nil
	}
	if i < len(d) && d[i] == '.' {
		i++
		if digits() == 0 {
			p.fail(start, "invalid number: a fraction needs at least one digit after '.'")
			return nil
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if digits() == 0 {
			p.fail(start, "invalid number: an exponent needs at least one digit")
			return nil
		}
	}
	lit := string(d[start:i])
	if len(lit) > maxNumberLen {
		p.fail(start, "number %s is too long: Unit accepts at most %d characters", shorten(lit), maxNumberLen)
		return nil
	}
	f, err := strconv.ParseFloat(lit, 64)
	if err != nil || math.Abs(f) > math.MaxInt64 {
		p.fail(start, "number %s is out of the range Unit supports", lit)
		return nil
	}
	p.pos = i
	return &Value{Kind: Number, Num: lit, IsInt: f == math.Trunc(f), Span: p.span(start, i)}
}

func shorten(s string) string {
	if len(s) > 40 {
		return s[:37] + "..."
	}
	return s
}

// str reads a string starting at the '"' at p.pos and leaves p.pos after its
// closing quote. Unit accepts any byte from 0x20 up, so invalid UTF-8 is kept
// as it is.
func (p *parser) str() (string, bool) {
	d := p.data
	start := p.pos
	i := start + 1
	for i < len(d) {
		c := d[i]
		if c == '"' {
			p.pos = i + 1
			return string(d[start+1 : i]), true
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			p.fail(i, "control character %U in a string must be escaped", rune(c))
			return "", false
		}
		i++
	}
	if i >= len(d) {
		p.fail(start, "unterminated string")
		return "", false
	}
	var b strings.Builder
	b.Grow(i - start)
	b.Write(d[start+1 : i])
	for i < len(d) {
		c := d[i]
		switch {
		case c == '"':
			p.pos = i + 1
			return b.String(), true
		case c < 0x20:
			p.fail(i, "control character %U in a string must be escaped", rune(c))
			return "", false
		case c != '\\':
			// Copy the run up to the next quote, backslash or control byte.
			j := i + 1
			for j < len(d) && d[j] != '"' && d[j] != '\\' && d[j] >= 0x20 {
				j++
			}
			b.Write(d[i:j])
			i = j
			continue
		}
		// A backslash escape.
		if i+1 >= len(d) {
			break
		}
		switch e := d[i+1]; e {
		case '"', '\\', '/':
			b.WriteByte(e)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r, n, ok := p.unicodeEscape(i)
			if !ok {
				return "", false
			}
			b.WriteRune(r)
			i += n
			continue
		default:
			p.fail(i, "invalid escape sequence '\\%s' in a string", string(rune(e)))
			return "", false
		}
		i += 2
	}
	p.fail(start, "unterminated string")
	return "", false
}

// unicodeEscape decodes \uXXXX (or a surrogate pair \uXXXX\uXXXX) at off and
// returns the rune and the number of bytes used.
func (p *parser) unicodeEscape(off int) (rune, int, bool) {
	hex := func(at int) (rune, bool) {
		if at+6 > len(p.data) || p.data[at] != '\\' || p.data[at+1] != 'u' {
			return 0, false
		}
		n, err := strconv.ParseUint(string(p.data[at+2:at+6]), 16, 32)
		return rune(n), err == nil
	}
	r, ok := hex(off)
	if !ok {
		p.fail(off, "invalid escape sequence: '\\u' must be followed by four hexadecimal digits")
		return 0, 0, false
	}
	switch {
	case r >= 0xDC00 && r <= 0xDFFF:
		p.fail(off, "invalid escape sequence: \\u%04X is a lone low surrogate", r)
		return 0, 0, false
	case r >= 0xD800 && r <= 0xDBFF:
		lo, ok := hex(off + 6)
		if !ok || lo < 0xDC00 || lo > 0xDFFF {
			p.fail(off, "invalid escape sequence: \\u%04X must be followed by a low surrogate \\uDC00-\\uDFFF", r)
			return 0, 0, false
		}
		return (r-0xD800)<<10 + (lo - 0xDC00) + 0x10000, 12, true
	}
	return r, 6, true
}
