package unit

import (
	"fmt"
	"strings"
)

// variables are the names Unit 1.35 registers (nxt_http_vars in
// src/nxt_http_variables.c).
var variables = map[string]bool{
	"dollar": true, "request_time": true, "method": true, "request_uri": true, "uri": true,
	"host": true, "remote_addr": true, "time_local": true, "request_line": true, "request_id": true,
	"status": true, "body_bytes_sent": true, "header_referer": true, "header_user_agent": true,
	"response_header_connection": true, "response_header_content_length": true,
	"response_header_transfer_encoding": true,
}

// variablePrefixes are the families nxt_http_unknown_var_ref accepts: a
// prefix followed by at least one character.
var variablePrefixes = []string{"response_header_", "header_", "arg_", "cookie_"}

// VariableNames returns the names Unit knows, for suggestions.
func VariableNames() []string {
	out := make([]string, 0, len(variables))
	for n := range variables {
		out = append(out, n)
	}
	return out
}

// KnownVariable reports whether Unit resolves $name.
func KnownVariable(name string) bool {
	if variables[name] {
		return true
	}
	for _, p := range variablePrefixes {
		if len(name) > len(p) && strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// TemplateProblem is what Unit's template check (nxt_var_test) rejects in a
// string: a `$` not followed by a name, or an unknown variable.
type TemplateProblem struct {
	// Start and End are byte offsets into the decoded string: the whole
	// `$name` or `${name}` reference, or the lone `$`.
	Start, End int
	// Name is the unknown variable ("" for an invalid reference).
	Name string
	// Unit is Unit's own message: `Unknown variable "x"` or `Invalid
	// variable at position N`.
	Unit string
}

// CheckTemplate checks the `$` variables of a string as nxt_var_next_part
// reads them: `$name` or `${name}` with a name of letters and `_`.
// Strings with a backtick are njs templates, which it does not check.
func CheckTemplate(s string) []TemplateProblem {
	if strings.Contains(s, "`") {
		return nil
	}
	var out []TemplateProblem
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], '$')
		if j < 0 {
			break
		}
		start := i + j
		p := start + 1
		bracket := p < len(s) && s[p] == '{'
		if bracket {
			p++
		}
		n := p
		for n < len(s) && (s[n]|0x20 >= 'a' && s[n]|0x20 <= 'z' || s[n] == '_') {
			n++
		}
		name := s[p:n]
		end := n
		closed := !bracket
		if bracket && n < len(s) && s[n] == '}' {
			end, closed = n+1, true
		}
		if name == "" || !closed {
			out = append(out, TemplateProblem{Start: start, End: max(end, start+1), Unit: fmt.Sprintf("Invalid variable at position %d", start)})
			break // Unit stops at the first invalid reference
		}
		if !KnownVariable(name) {
			out = append(out, TemplateProblem{Start: start, End: end, Name: name, Unit: fmt.Sprintf("Unknown variable %q", name)})
		}
		i = end
	}
	return out
}
