package lint

import (
	"encoding/json"
	"strings"

	"github.com/wslint/wslint/lint/source"
	"github.com/wslint/wslint/lint/unit"
)

// Edit helpers for NGINX Unit JSON. Like the nginx ones they make minimal
// edits: a value is replaced as written, a member is added without touching
// the members or comments around it, in the layout of its object.

// ReplaceValue returns an edit that replaces a JSON value with raw JSON
// text (quote a string with JSONString first).
func ReplaceValue(v *unit.Value, raw string) source.TextEdit {
	return source.TextEdit{File: v.Span.File, Start: v.Span.Start, End: v.Span.End, New: raw}
}

// JSONString renders s as a JSON string literal, as encoding/json writes it
// (without escaping <, > and &, which need no escaping outside HTML).
func JSONString(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return strings.TrimSuffix(b.String(), "\n")
}

// InsertMember returns the edits that add `"key": raw` as the last member
// of the object obj. In an object written over several lines the member gets
// its own line, indented like the members before it, after any comment that
// ends the last member's line; on one line it follows the last member. A
// trailing comma after the last member is kept. It returns false when obj is
// not an object.
func InsertMember(obj *unit.Value, key, raw string) ([]source.TextEdit, bool) {
	if obj == nil || obj.Kind != unit.Object || obj.Span.File == nil || obj.Span.End <= obj.Span.Start {
		return nil, false
	}
	f := obj.Span.File
	member := JSONString(key) + ": " + raw
	closeAt := obj.Span.End - 1 // the '}'
	if len(obj.Members) == 0 {
		return []source.TextEdit{{File: f, Start: obj.Span.Start + 1, End: obj.Span.Start + 1, New: member}}, true
	}
	last := obj.Members[len(obj.Members)-1]
	valEnd := last.Value.Span.End
	comma, afterComma := nextSignificant(f.Data, valEnd, closeAt)
	lineOf := func(off int) int { l, _ := f.Position(off); return l }
	if lineOf(last.KeySpan.Start) == lineOf(closeAt) || lineOf(valEnd) == lineOf(closeAt) {
		// One line (or the brace closes the last member's line): inline.
		if comma {
			return []source.TextEdit{{File: f, Start: afterComma, End: afterComma, New: " " + member + ","}}, true
		}
		return []source.TextEdit{{File: f, Start: valEnd, End: valEnd, New: ", " + member}}, true
	}
	nl := f.Newline()
	indent := f.Indent(last.KeySpan.Start)
	at := f.LineEnd(valEnd)
	if comma {
		at = f.LineEnd(afterComma - 1)
	}
	line := indent + member
	var edits []source.TextEdit
	if comma {
		line += ","
	} else {
		edits = append(edits, source.TextEdit{File: f, Start: valEnd, End: valEnd, New: ","})
	}
	prefix := ""
	if at == len(f.Data) || at == 0 || f.Data[at-1] != '\n' {
		prefix = nl
	}
	edits = append(edits, source.TextEdit{File: f, Start: at, End: at, New: prefix + line + nl})
	return edits, true
}

// nextSignificant reports whether the first byte after off (skipping blanks
// and comments, stopping at limit) is a comma, and the offset after it.
func nextSignificant(data []byte, off, limit int) (bool, int) {
	i := off
	for i < limit {
		switch c := data[i]; {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			i++
		case c == '/' && i+1 < limit && data[i+1] == '/':
			for i < limit && data[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < limit && data[i+1] == '*':
			j := strings.Index(string(data[i+2:limit]), "*/")
			if j < 0 {
				return false, off
			}
			i += 2 + j + 2
		case c == ',':
			return true, i + 1
		default:
			return false, off
		}
	}
	return false, off
}
