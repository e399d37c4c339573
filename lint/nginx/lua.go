package nginx

import (
	"bytes"
	"strings"
)

// isLuaBlock reports whether d is a *_by_lua_block directive, whose block
// holds Lua code, not nginx directives.
func isLuaBlock(d *Directive) bool {
	return d.IsBlock && strings.HasSuffix(d.Name, "_by_lua_block")
}

// luaCode scans the Lua code of a *_by_lua_block from pos, just past the
// block's '{', as lua-nginx-module reads it (its generated lexer,
// ngx_http_lua_lex, and ngx_http_lua_conf_read_lua_token; verified with
// libnginx-mod-http-lua 0.10.23 on nginx 1.22.1: see lua_test.go). Braces
// count outside strings and comments:
//   - a short string, "..." or '...', ends at its quote on the same line
//     (a backslash escapes the next byte, but not a newline); a quote with no
//     closing one before the line ends is an ordinary byte;
//   - a long string, [[...]] or [==[...]==], ends at the closing bracket of
//     its level, lines included;
//   - a comment, --, runs to the end of its line, or is a long comment
//     when a long bracket follows the dashes (--[[...]]).
//
// It returns the offset of the '}' that closes the block, or -1 when the
// input ends first; unclosed is the offset of a long bracket that never
// closes (lua-nginx-module's error), -1 otherwise.
func luaCode(data []byte, pos int) (end, unclosed int) {
	depth := 1
	var failDouble, failSingle int // a quote of its kind before this offset never closes (its line has no closing quote left)
	for pos < len(data) {
		switch c := data[pos]; c {
		case '{':
			depth++
			pos++
		case '}':
			depth--
			if depth == 0 {
				return pos, -1
			}
			pos++
		case '"', '\'':
			failed := &failDouble
			if c == '\'' {
				failed = &failSingle
			}
			if pos < *failed {
				pos++ // as the quote that failed before it on this line
				continue
			}
			next, eol := shortString(data, pos)
			if next < 0 {
				*failed = eol
				next = pos + 1
			}
			pos = next
		case '[', '-':
			at, open := pos, pos
			if c == '-' {
				if pos+1 >= len(data) || data[pos+1] != '-' {
					pos++
					continue
				}
				open = pos + 2 // a comment
			}
			if level, ok := longOpen(data, open); ok {
				if pos = longClose(data, open+level+2, level); pos < 0 {
					return -1, at
				}
				continue
			}
			if c == '[' {
				pos++
			} else if nl := bytes.IndexByte(data[open:], '\n'); nl >= 0 {
				pos = open + nl // the end of a line comment
			} else {
				pos = len(data)
			}
		default:
			pos++
		}
	}
	return -1, -1
}

// shortString returns the offset past the short string whose quote is at
// pos, or -1 and the end of the line when it does not close on its line
// (the quote is then an ordinary byte). Every later quote of its kind on
// that line fails too: each was escaped in this scan, which from there on
// reads what a scan from it would.
func shortString(data []byte, pos int) (next, eol int) {
	q := data[pos]
	i := pos + 1
	for ; i < len(data) && data[i] != '\n'; i++ {
		switch data[i] {
		case q:
			return i + 1, 0
		case '\\':
			if i+1 < len(data) && data[i+1] != '\n' {
				i++
			}
		}
	}
	return -1, i
}

// longOpen reports whether a long bracket opens at pos ('[', level '=',
// '[') and its level.
func longOpen(data []byte, pos int) (int, bool) {
	if pos >= len(data) || data[pos] != '[' {
		return 0, false
	}
	level := 0
	for pos+1+level < len(data) && data[pos+1+level] == '=' {
		level++
	}
	if pos+1+level < len(data) && data[pos+1+level] == '[' {
		return level, true
	}
	return 0, false
}

// longClose returns the offset past the closing long bracket of level
// level at or after pos, or -1.
func longClose(data []byte, pos, level int) int {
	for pos < len(data) {
		i := bytes.IndexByte(data[pos:], ']')
		if i < 0 {
			return -1
		}
		pos += i + 1
		n := 0
		for pos+n < len(data) && data[pos+n] == '=' {
			n++
		}
		if n == level && pos+n < len(data) && data[pos+n] == ']' {
			return pos + n + 1
		}
	}
	return -1
}

// longBracketClose renders the closing bracket of the long bracket that
// opens at pos ("]]", "]==]"), for messages.
func longBracketClose(data []byte, pos int) string {
	if data[pos] == '-' {
		pos += 2
	}
	level, _ := longOpen(data, pos)
	return "]" + strings.Repeat("=", level) + "]"
}
