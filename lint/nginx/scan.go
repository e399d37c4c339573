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

// lexer produces tokens on demand, following ngx_conf_read_token:
// whitespace, ';' and '{' end a word, '}' does not (`add_header X a}b;` is
// accepted by nginx 1.22.1: a '}' closes a block only where a word would
// start); a quote opens a quoted word only at the start of a word;
// a backslash escapes the next byte (`a\ b` is one word); the '{' of "${"
// does not end the word.
type lexer struct {
	f   *source.File
	pos int
	err *SyntaxError // the first lexical error; no token is produced after it
}

// next returns the next token; ok is false at the end of input or after a
// lexical error (then l.err is set).
func (l *lexer) next() (t token, ok bool) {
	data := l.f.Data
	for l.pos < len(data) && l.err == nil {
		i := l.pos
		c := data[i]
		switch c {
		case ' ', '\t', '\r', '\n':
			l.pos++
			continue
		case ';':
			l.pos++
			return token{kind: tokSemi, start: i, end: i + 1}, true
		case '{':
			l.pos++
			return token{kind: tokOpen, start: i, end: i + 1}, true
		case '}':
			l.pos++
			return token{kind: tokClose, start: i, end: i + 1}, true
		case '#':
			j := i
			for j < len(data) && data[j] != '\n' {
				j++
			}
			end := j
			if end > i && data[end-1] == '\r' {
				end--
			}
			l.pos = j
			return token{kind: tokComment, start: i, end: end}, true
		case '"', '\'':
			j := i + 1
			for j < len(data) && data[j] != c {
				if data[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(data) {
				l.err = &SyntaxError{Span: source.Span{File: l.f, Start: i, End: i + 1}, Message: fmt.Sprintf("unterminated quoted string starting with %c", c)}
				return token{}, false
			}
			j++ // closing quote
			// nginx wants a space, ';' or '{' after a quoted word, and also
			// accepts ')', which then starts the next word: `if ($x = 'a')`.
			if j < len(data) && !isWordEnd(data[j]) && data[j] != ')' {
				l.err = &SyntaxError{Span: source.Span{File: l.f, Start: j, End: j + 1}, Message: fmt.Sprintf("unexpected %q after a quoted string", data[j])}
				return token{}, false
			}
			l.pos = j
			return token{kind: tokWord, start: i, end: j, quoted: c}, true
		default:
			j := i
			dollar := false // data[j-1] is an unescaped '$'
			for j < len(data) {
				d := data[j]
				if d == '\\' && j+1 < len(data) {
					j += 2
					dollar = false
					continue
				}
				if d == '{' && dollar {
					// nginx keeps every '{' after a '$' in the word
					// (`${{` is one word): its variable flag stays set.
					j++
					continue
				}
				if isWordEnd(d) {
					break
				}
				dollar = d == '$'
				j++
			}
			l.pos = j
			return token{kind: tokWord, start: i, end: j}, true
		}
	}
	return token{}, false
}

// isWordEnd reports whether c ends an unquoted word (and is what nginx
// wants after a quoted one, with ')').
func isWordEnd(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', ';', '{':
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
