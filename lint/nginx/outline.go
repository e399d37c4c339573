package nginx

import (
	"bytes"
	"strings"

	"github.com/wslint/wslint/lint/nginx/spec"
	"github.com/wslint/wslint/lint/source"
)

// ServerSpan is the byte range [Start, End) of one `server { ... }` block
// with the blanks before it on its line and a comment after its '}'.
type ServerSpan struct {
	Start, End int
	// Block is the block itself, as the tree's server Directive spans it:
	// from its name to its '}'.
	Block [2]int
}

// Outline is what a windowed lint needs to know of a file before it takes
// it apart.
type Outline struct {
	// Units lists, in file order, the server blocks a windowed lint may
	// take apart: those at the top level of the file (a file included in
	// http) and those directly inside a top-level `http` block.
	Units []ServerSpan
	// Defines is set when a unit may define a variable for the others
	// (DefinedVariables, and the misspelled or `$`-less definitions the
	// rules read): a `set`, a named capture `(?<name>`, a directive wslint
	// does not know. When no unit does, each window's variables are all
	// the configuration's.
	Defines bool
	// DefinesAnywhere is Defines for the whole file: a file included in a
	// server block is part of it.
	DefinesAnywhere bool
}

// OutlineServers outlines f. It only lexes: no tree is built. ok is false
// when f does not lex, or its braces do not balance: then it must be
// linted whole.
func OutlineServers(f *source.File) (o Outline, ok bool) {
	spans, defines, anywhere, ok := outline(f)
	return Outline{Units: spans, Defines: defines, DefinesAnywhere: anywhere}, ok
}

func outline(f *source.File) (spans []ServerSpan, defines, anywhere, ok bool) {
	l := lexer{f: f}
	// stack holds the block names from the top of the file, as far as
	// they matter: "http", "server" (a unit), or "" for any other block.
	var stack []string
	start := -1     // the start of the current statement, -1 before its first word
	name := ""      // the current statement's first word, unquoted ones only
	unitStart := -1 // the start of the open unit server block
	for {
		t, more := l.next()
		if !more {
			break
		}
		switch t.kind {
		case tokComment:
		case tokWord:
			word := f.Data[t.start:t.end]
			inUnit := unitStart >= 0
			if start < 0 {
				start = t.start
				name = ""
				if t.quoted == 0 {
					name = string(word)
				}
				if t.quoted != 0 || mayDefine(name) {
					anywhere, defines = true, defines || inUnit
				}
			}
			if bytes.Contains(word, []byte("(?")) {
				// A named capture defines its variable everywhere.
				anywhere, defines = true, defines || inUnit
			}
		case tokSemi:
			start = -1
		case tokOpen:
			if start < 0 {
				return nil, false, false, false // a block without a name
			}
			kind := ""
			switch {
			case name == "http" && len(stack) == 0:
				kind = "http"
			case name == "server" && (len(stack) == 0 || len(stack) == 1 && stack[0] == "http"):
				kind = "server"
				unitStart = start
			}
			stack = append(stack, kind)
			if kind == "" && strings.HasSuffix(name, "_by_lua_block") {
				// Lua code, read as the tree builder reads it (skipLua).
				end, unclosed := luaCode(f.Data, t.end)
				if end < 0 || unclosed >= 0 {
					return nil, false, false, false
				}
				l.pos = end + 1
				stack = stack[:len(stack)-1]
			}
			start = -1
		case tokClose:
			if start >= 0 || len(stack) == 0 {
				return nil, false, false, false // an unterminated statement, or a stray '}'
			}
			if stack[len(stack)-1] == "server" {
				spans = append(spans, ServerSpan{Start: unitStart, End: t.end, Block: [2]int{unitStart, t.end}})
				unitStart = -1
			}
			stack = stack[:len(stack)-1]
		}
	}
	if l.err != nil || len(stack) > 0 || start >= 0 {
		return nil, false, false, false
	}
	for i := range spans {
		spans[i] = widen(f.Data, spans[i])
	}
	return spans, defines, anywhere, true
}

// mayDefine reports whether a directive named name may define a variable:
// what DefinedVariables and the rules' definedVariableArg read, a
// third-party `$name` line, or a name spec does not know (WS002 may read it
// as a misspelled definition).
func mayDefine(name string) bool {
	switch name {
	case "map", "split_clients", "geo", "set", "js_var":
		return true
	}
	if strings.HasPrefix(name, "set_") || strings.HasSuffix(name, "_set") || strings.HasPrefix(name, "$") {
		return true
	}
	_, known := spec.Find(name)
	return !known
}

// widen extends s over the blanks before it on its line, when nothing
// else precedes it there, and over the blanks and comment after it on its
// last line: a left-out block leaves no line of its own behind, and a
// comment on its last line goes with it. The comment lines above it stay:
// a suppression there covers the block's first line, in every window
// (File.Position numbers a view's lines as its file's).
func widen(data []byte, s ServerSpan) ServerSpan {
	if ls := lineStart(data, s.Start); source.Blank(data[ls:s.Start]) {
		s.Start = ls
	}
	e := s.End
	for e < len(data) && (data[e] == ' ' || data[e] == '\t' || data[e] == '\r') {
		e++
	}
	if e < len(data) && data[e] == '#' {
		for e < len(data) && data[e] != '\n' {
			e++
		}
		s.End = e
	}
	return s
}

func lineStart(data []byte, i int) int {
	for i > 0 && data[i-1] != '\n' {
		i--
	}
	return i
}
