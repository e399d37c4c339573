package unit

import (
	"bytes"
	"strings"
)

// topKeys are the members of Unit's /config that identify a Unit document.
var topKeys = map[string]bool{
	"listeners": true, "applications": true, "routes": true, "upstreams": true, "settings": true,
}

// LooksLikeUnit reports whether data looks like a Unit /config document: once
// a BOM, whitespace and comments are skipped it is an object, and one of its
// top-level keys is listeners, applications, routes, upstreams or settings.
// It scans without building a tree and stops at the first such key, so a
// large document is not parsed twice; a syntax error before that key makes
// the answer false.
func LooksLikeUnit(data []byte) bool {
	s := scanner{data: data}
	if bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")) {
		s.pos = 3
	}
	if !s.space() || !s.byte('{') {
		return false
	}
	for {
		if !s.space() {
			return false
		}
		if s.peek() != '"' {
			return false // '}' (no key matched), or not JSON
		}
		key, ok := s.rawString()
		if !ok {
			return false
		}
		if topKeys[string(key)] {
			return true
		}
		if !s.space() || !s.byte(':') || !s.space() || !s.skipValue() || !s.space() {
			return false
		}
		if !s.byte(',') {
			return false
		}
	}
}

// scanner skips over JSON as Unit reads it, without decoding.
type scanner struct {
	data []byte
	pos  int
}

func (s *scanner) peek() byte {
	if s.pos < len(s.data) {
		return s.data[s.pos]
	}
	return 0
}

func (s *scanner) byte(c byte) bool {
	if s.peek() == c && s.pos < len(s.data) {
		s.pos++
		return true
	}
	return false
}

// space skips whitespace and comments; false means an unterminated comment.
func (s *scanner) space() bool {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		case '/':
			if s.pos+1 >= len(s.data) {
				return true
			}
			switch s.data[s.pos+1] {
			case '/':
				if i := bytes.IndexByte(s.data[s.pos:], '\n'); i >= 0 {
					s.pos += i
				} else {
					s.pos = len(s.data)
				}
			case '*':
				i := bytes.Index(s.data[s.pos+2:], []byte("*/"))
				if i < 0 {
					return false
				}
				s.pos += 2 + i + 2
			default:
				return true
			}
		default:
			return true
		}
	}
	return true
}

// rawString skips a string at s.pos and returns its undecoded contents.
func (s *scanner) rawString() ([]byte, bool) {
	start := s.pos + 1
	for i := start; i < len(s.data); i++ {
		switch s.data[i] {
		case '\\':
			i++
		case '"':
			s.pos = i + 1
			return s.data[start:i], true
		}
	}
	return nil, false
}

// skipValue skips one value, counting brackets instead of recursing.
func (s *scanner) skipValue() bool {
	depth := 0
	for {
		if !s.space() || s.pos >= len(s.data) {
			return false
		}
		switch c := s.data[s.pos]; c {
		case '"':
			if _, ok := s.rawString(); !ok {
				return false
			}
		case '{', '[':
			depth++
			s.pos++
		case '}', ']':
			depth--
			if depth < 0 {
				return false
			}
			s.pos++
		case ',', ':':
			if depth == 0 {
				return false
			}
			s.pos++
		default:
			// A number or literal: up to the next delimiter.
			start := s.pos
			for s.pos < len(s.data) && strings.IndexByte(" \t\r\n,:{}[]\"/", s.data[s.pos]) < 0 {
				s.pos++
			}
			if s.pos == start {
				return false // a lone '/'
			}
		}
		if depth == 0 {
			return true
		}
	}
}
