// Package unit reads NGINX Unit /config documents the way Unit 1.35 reads
// them (UTF-8 BOM, comments and trailing commas accepted, duplicate keys
// rejected), keeps the exact byte span of every key and value, resolves JSON
// pointers to spans and validates documents against the embedded
// unit-config.schema.json with readable messages.
package unit

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/wslint/wslint/lint/source"
)

// Kind is the JSON type of a Value.
type Kind uint8

// The kinds of Value; the zero Kind is invalid.
const (
	Object Kind = iota + 1
	Array
	String
	Number
	Bool
	Null
)

var kindNames = [...]string{"invalid", "object", "array", "string", "number", "boolean", "null"}

// String returns the JSON name of the kind: "object", "string", ...
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Value is one JSON value of a document, with its position.
type Value struct {
	Kind Kind
	// Span covers the value from its first byte to just past its last: the
	// quotes of a string, the braces of an object.
	Span source.Span
	// Str is the decoded text of a String.
	Str string
	// Num is the literal text of a Number, as written.
	Num string
	// IsInt reports whether a Number is integral. As in Unit, this depends on
	// the value, not the spelling: 1.0 and 1e3 are integers, 1.5 is not.
	IsInt bool
	// Bool is the value of a Bool.
	Bool bool
	// Members are the members of an Object in document order. A duplicate
	// key is reported by Parse and left out: the first occurrence wins.
	Members []Member
	// Items are the elements of an Array.
	Items []*Value
}

// Member is one key and value of an Object.
type Member struct {
	Key     string      // decoded
	KeySpan source.Span // the key with its quotes
	Value   *Value
}

// Get returns the value of the member key of an Object, or nil when v is nil,
// not an Object, or has no such member.
func (v *Value) Get(key string) *Value {
	if m := v.member(key); m != nil {
		return m.Value
	}
	return nil
}

func (v *Value) member(key string) *Member {
	if v == nil || v.Kind != Object {
		return nil
	}
	for i := range v.Members {
		if v.Members[i].Key == key {
			return &v.Members[i]
		}
	}
	return nil
}

// ToAny returns the decoded form of v as encoding/json would produce it with
// UseNumber: map[string]any, []any, string, json.Number, bool or nil.
func (v *Value) ToAny() any {
	if v == nil {
		return nil
	}
	switch v.Kind {
	case Object:
		m := make(map[string]any, len(v.Members))
		for _, mem := range v.Members {
			m[mem.Key] = mem.Value.ToAny()
		}
		return m
	case Array:
		a := make([]any, len(v.Items))
		for i, it := range v.Items {
			a[i] = it.ToAny()
		}
		return a
	case String:
		return v.Str
	case Number:
		return json.Number(v.Num)
	case Bool:
		return v.Bool
	}
	return nil
}

// Config is a parsed Unit configuration document.
type Config struct {
	File *source.File
	// Root is the top-level value; Unit requires an object, which the schema
	// checks (Validate), not the reader.
	Root *Value
	// Comments are the spans of the // and /* */ comments, in order.
	Comments []source.Span
	// Problems are the reader's problems (duplicate keys, a syntax error);
	// set by Load and Parse.
	Problems []Problem
}

// SyntaxOK reports whether the document was read to its end: duplicate keys
// aside, it is JSON as Unit reads it.
func (c *Config) SyntaxOK() bool { return c != nil && c.Root != nil }

// ToAny returns the decoded form of the whole document (see Value.ToAny).
func (c *Config) ToAny() any {
	if c == nil {
		return nil
	}
	return c.Root.ToAny()
}

// Lookup resolves an RFC 6901 JSON pointer ("" is the document, "/a/b~1c"
// is member "b/c" of member "a"). keySpan is the span of the last member's
// key and is zero for the document itself and for array elements; valueSpan
// is the span of the value. ok is false when the pointer is malformed or
// names nothing.
func (c *Config) Lookup(pointer string) (keySpan, valueSpan source.Span, ok bool) {
	m, v := c.find(pointer)
	if v == nil {
		return source.Span{}, source.Span{}, false
	}
	if m != nil {
		keySpan = m.KeySpan
	}
	return keySpan, v.Span, true
}

// Find returns the value a JSON pointer names, or nil (see Lookup).
func (c *Config) Find(pointer string) *Value {
	_, v := c.find(pointer)
	return v
}

// find returns the value a pointer names and, when its last token selects an
// object member, that member.
func (c *Config) find(pointer string) (*Member, *Value) {
	if c == nil || c.Root == nil {
		return nil, nil
	}
	if pointer == "" {
		return nil, c.Root
	}
	if pointer[0] != '/' {
		return nil, nil
	}
	var m *Member
	v := c.Root
	for _, raw := range strings.Split(pointer[1:], "/") {
		tok, ok := unescapeToken(raw)
		if !ok {
			return nil, nil
		}
		switch v.Kind {
		case Object:
			m = v.member(tok)
			if m == nil {
				return nil, nil
			}
			v = m.Value
		case Array:
			i, ok := arrayIndex(tok)
			if !ok || i >= len(v.Items) {
				return nil, nil
			}
			m, v = nil, v.Items[i]
		default:
			return nil, nil
		}
	}
	return m, v
}

// Pointer builds an RFC 6901 JSON pointer from unescaped tokens:
// Pointer("listeners", "*:80", "pass") is "/listeners/*:80/pass".
func Pointer(tokens ...string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(escapeToken(t))
	}
	return b.String()
}

var tokenEscaper = strings.NewReplacer("~", "~0", "/", "~1")

func escapeToken(t string) string { return tokenEscaper.Replace(t) }

// unescapeToken decodes ~1 and ~0; any other use of ~ is malformed.
func unescapeToken(t string) (string, bool) {
	if !strings.Contains(t, "~") {
		return t, true
	}
	var b strings.Builder
	for i := 0; i < len(t); i++ {
		if t[i] != '~' {
			b.WriteByte(t[i])
			continue
		}
		if i+1 >= len(t) || (t[i+1] != '0' && t[i+1] != '1') {
			return "", false
		}
		if t[i+1] == '0' {
			b.WriteByte('~')
		} else {
			b.WriteByte('/')
		}
		i++
	}
	return b.String(), true
}

// arrayIndex parses an RFC 6901 array index: digits without leading zeros.
func arrayIndex(t string) (int, bool) {
	if t == "" || len(t) > 9 || (len(t) > 1 && t[0] == '0') {
		return 0, false
	}
	n := 0
	for i := 0; i < len(t); i++ {
		if t[i] < '0' || t[i] > '9' {
			return 0, false
		}
		n = n*10 + int(t[i]-'0')
	}
	return n, true
}
