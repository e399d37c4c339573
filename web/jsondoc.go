package web

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// parseDoc decodes a request body in one pass into the value json.Unmarshal
// gives an `any` (map[string]any, []any, string, bool, nil), so the schema
// validates it and lintRequest.fromDoc fills the struct from it, instead of
// two json.Unmarshal calls that each scan the body twice. It covers the
// bodies clients send; on anything else it reports false and decodeBody
// takes the encoding/json path, which also words every error:
//
//   - syntax errors, trailing data, invalid UTF-8, surrogate \u escapes
//     (json.Unmarshal rewrites the last two to U+FFFD), nesting deeper than
//     maxDocDepth;
//   - numbers (json.Unmarshal reports a number out of range as an error,
//     and an integer field takes only integer literals);
//   - an object with a key twice (decoded into a struct, the first value
//     can still fail, which decoding into `any` hides).
//
// TestParseDoc and FuzzParseDoc compare it with json.Unmarshal.
func parseDoc(data []byte) (any, bool) {
	if !utf8.Valid(data) {
		return nil, false
	}
	p := docParser{data: data}
	p.space()
	v, ok := p.value(0)
	if !ok {
		return nil, false
	}
	p.space()
	return v, p.i == len(p.data)
}

const maxDocDepth = 64

type docParser struct {
	data []byte
	i    int
}

func (p *docParser) space() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *docParser) literal(s string) bool {
	if len(p.data)-p.i < len(s) || string(p.data[p.i:p.i+len(s)]) != s {
		return false
	}
	p.i += len(s)
	return true
}

func (p *docParser) value(depth int) (any, bool) {
	if p.i >= len(p.data) || depth > maxDocDepth {
		return nil, false
	}
	switch p.data[p.i] {
	case '{':
		return p.object(depth + 1)
	case '[':
		return p.array(depth + 1)
	case '"':
		return p.string()
	case 't':
		return true, p.literal("true")
	case 'f':
		return false, p.literal("false")
	case 'n':
		return nil, p.literal("null")
	}
	return nil, false // numbers and syntax errors
}

func (p *docParser) object(depth int) (any, bool) {
	p.i++ // '{'
	m := map[string]any{}
	p.space()
	if p.i < len(p.data) && p.data[p.i] == '}' {
		p.i++
		return m, true
	}
	for {
		if p.i >= len(p.data) || p.data[p.i] != '"' {
			return nil, false
		}
		k, ok := p.string()
		if !ok {
			return nil, false
		}
		key := k.(string)
		if _, dup := m[key]; dup {
			return nil, false
		}
		p.space()
		if p.i >= len(p.data) || p.data[p.i] != ':' {
			return nil, false
		}
		p.i++
		p.space()
		v, ok := p.value(depth)
		if !ok {
			return nil, false
		}
		m[key] = v
		p.space()
		if p.i >= len(p.data) {
			return nil, false
		}
		switch p.data[p.i] {
		case ',':
			p.i++
			p.space()
		case '}':
			p.i++
			return m, true
		default:
			return nil, false
		}
	}
}

func (p *docParser) array(depth int) (any, bool) {
	p.i++ // '['
	a := make([]any, 0)
	p.space()
	if p.i < len(p.data) && p.data[p.i] == ']' {
		p.i++
		return a, true
	}
	for {
		v, ok := p.value(depth)
		if !ok {
			return nil, false
		}
		a = append(a, v)
		p.space()
		if p.i >= len(p.data) {
			return nil, false
		}
		switch p.data[p.i] {
		case ',':
			p.i++
			p.space()
		case ']':
			p.i++
			return a, true
		default:
			return nil, false
		}
	}
}

// stringByte are the bytes a string holds as they are: not a quote, a
// backslash or a control byte (the body is valid UTF-8, so bytes of
// multi-byte runes are copied whole).
var stringByte = func() (t [256]bool) {
	for b := 0x20; b < len(t); b++ {
		t[b] = b != '"' && b != '\\'
	}
	return t
}()

// string reads a string at p.i (its opening quote); the body is valid
// UTF-8 (parseDoc checked), so only escapes and control bytes matter.
func (p *docParser) string() (any, bool) {
	p.i++ // '"'
	start := p.i
	for p.i < len(p.data) && stringByte[p.data[p.i]] {
		p.i++
	}
	switch {
	case p.i >= len(p.data):
		return nil, false
	case p.data[p.i] == '"':
		s := string(p.data[start:p.i])
		p.i++
		return s, true
	case p.data[p.i] == '\\':
		return p.escaped(start)
	}
	return nil, false // a control byte
}

// escaped continues string at the first backslash. The unescaped string
// is built in a buffer of the raw string's length (unescaping never
// lengthens it) and returned without a copy.
func (p *docParser) escaped(start int) (any, bool) {
	var b strings.Builder
	b.Grow(rawStringEnd(p.data, p.i) - start)
	b.Write(p.data[start:p.i])
	for p.i < len(p.data) {
		c := p.data[p.i]
		switch {
		case c == '"':
			p.i++
			return b.String(), true
		case c < 0x20:
			return nil, false
		case c != '\\':
			// Copy the run up to the next quote, backslash or control byte.
			j := p.i + 1
			for j < len(p.data) && stringByte[p.data[j]] {
				j++
			}
			b.Write(p.data[p.i:j])
			p.i = j
			continue
		}
		if p.i+1 >= len(p.data) {
			return nil, false
		}
		switch e := p.data[p.i+1]; e {
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
			r, ok := hex4(p.data[p.i+2:])
			if !ok || utf8.RuneLen(r) < 0 { // surrogates: encoding/json pairs or replaces them
				return nil, false
			}
			b.WriteRune(r)
			p.i += 4
		default:
			return nil, false
		}
		p.i += 2
	}
	return nil, false
}

// rawStringEnd returns the offset of the quote that ends the string whose
// text continues at i (len(data) when there is none): the first quote not
// escaped by an odd run of backslashes. It only sizes a buffer.
func rawStringEnd(data []byte, i int) int {
	for {
		k := bytes.IndexByte(data[i:], '"')
		if k < 0 {
			return len(data)
		}
		q := i + k
		n := 0
		for q-1-n >= i && data[q-1-n] == '\\' {
			n++
		}
		if n%2 == 0 {
			return q
		}
		i = q + 1
	}
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// fromDoc fills req from a document of parseDoc that the lint or fix
// schema accepted, as json.Unmarshal into req would; false when the
// document holds anything else (then decodeBody calls json.Unmarshal).
func (req *lintRequest) fromDoc(doc any) bool {
	m, ok := doc.(map[string]any)
	if !ok {
		return false
	}
	for k, v := range m {
		switch k {
		case "kind":
			ok = docString(v, &req.Kind)
		case "config":
			ok = docString(v, &req.Config)
		case "filename":
			ok = docString(v, &req.Filename)
		case "nginx_version":
			ok = docString(v, &req.NginxVersion)
		case "unit_version":
			ok = docString(v, &req.UnitVersion)
		case "ws_paths":
			ok = docStrings(v, &req.WSPaths)
		case "enable":
			ok = docStrings(v, &req.Enable)
		case "disable":
			ok = docStrings(v, &req.Disable)
		case "unsafe":
			req.Unsafe, ok = v.(bool)
		default:
			ok = false // encoding/json would match keys case-insensitively
		}
		if !ok {
			*req = lintRequest{}
			return false
		}
	}
	return true
}

func docString(v any, dst *string) bool {
	s, ok := v.(string)
	*dst = s
	return ok
}

func docStrings(v any, dst *[]string) bool {
	a, ok := v.([]any)
	if !ok {
		return false
	}
	out := make([]string, len(a))
	for i, e := range a {
		if out[i], ok = e.(string); !ok {
			return false
		}
	}
	*dst = out
	return true
}
