package nginx

import (
	"fmt"
	"strings"

	"github.com/wslint/wslint/lint/source"
)

// tokKind classifies the tokens of nginx's configuration grammar.
type tokKind uint8

const (
	tokWord    tokKind = iota // a bare or quoted word
	tokSemi                   // ;
	tokOpen                   // {
	tokClose                  // }
	tokComment                // # ... up to the end of the line
)

// token is one lexical token with its byte range in the file.
type token struct {
	kind       tokKind
	start, end int
	quoted     byte // the quote character of a quoted word, 0 otherwise
}

// SyntaxError is a position in a file where nginx's grammar is violated.
type SyntaxError struct {
	Span    source.Span
	Message string
}

func (e *SyntaxError) Error() string {
	l, c, _, _ := e.Span.Range()
	return fmt.Sprintf("%s:%d:%d: %s", e.Span.File.Path, l, c, e.Message)
}

// scan splits data into tokens following ngx_conf_read_token: whitespace
// separates words; ';', '{' and '}' end a word; a quote opens a quoted word
// only at the start of a word; a backslash escapes the next byte; "${" opens
// a variable reference whose '}' does not end the word.
func scan(f *source.File) ([]token, *SyntaxError) {
	data := f.Data
	toks := make([]token, 0, len(data)/6)
	i := 0
	for i < len(data) {
		c := data[i]
		switch c {
		case ' ', '\t', '\r', '\n':
			i++
		case ';':
			toks = append(toks, token{kind: tokSemi, start: i, end: i + 1})
			i++
		case '{':
			toks = append(toks, token{kind: tokOpen, start: i, end: i + 1})
			i++
		case '}':
			toks = append(toks, token{kind: tokClose, start: i, end: i + 1})
			i++
		case '#':
			j := i
			for j < len(data) && data[j] != '\n' {
				j++
			}
			end := j
			if end > i && data[end-1] == '\r' {
				end--
			}
			toks = append(toks, token{kind: tokComment, start: i, end: end})
			i = j
		case '"', '\'':
			j := i + 1
			for j < len(data) && data[j] != c {
				if data[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(data) {
				return toks, &SyntaxError{Span: source.Span{File: f, Start: i, End: i + 1}, Message: fmt.Sprintf("unterminated quoted string starting with %c", c)}
			}
			j++ // closing quote
			if j < len(data) && !isWordEnd(data[j]) {
				return toks, &SyntaxError{Span: source.Span{File: f, Start: j, End: j + 1}, Message: fmt.Sprintf("unexpected %q after a quoted string", data[j])}
			}
			toks = append(toks, token{kind: tokWord, start: i, end: j, quoted: c})
			i = j
		default:
			j := i
			inVar := false
			for j < len(data) {
				d := data[j]
				if d == '\\' && j+1 < len(data) {
					j += 2
					continue
				}
				if d == '{' && j > i && data[j-1] == '$' {
					inVar = true
					j++
					continue
				}
				if d == '}' && inVar {
					inVar = false
					j++
					continue
				}
				if isWordEnd(d) {
					break
				}
				j++
			}
			toks = append(toks, token{kind: tokWord, start: i, end: j})
			i = j
		}
	}
	return toks, nil
}

func isWordEnd(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', ';', '{', '}':
		return true
	}
	return false
}

// unquote returns the value nginx sees for a word: quotes removed and
// backslash escapes resolved as ngx_conf_read_token does (\" \' \\ \t \r \n).
func unquote(raw string, quoted byte) string {
	if quoted != 0 {
		raw = raw[1 : len(raw)-1]
	}
	if !strings.Contains(raw, `\`) {
		return raw
	}
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		if raw[i] == '\\' && i+1 < len(raw) {
			switch raw[i+1] {
			case '"', '\'', '\\':
				b.WriteByte(raw[i+1])
				i++
				continue
			case 't':
				b.WriteByte('\t')
				i++
				continue
			case 'r':
				b.WriteByte('\r')
				i++
				continue
			case 'n':
				b.WriteByte('\n')
				i++
				continue
			}
		}
		b.WriteByte(raw[i])
	}
	return b.String()
}
