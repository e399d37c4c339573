package nginx

import "strings"

// Rewritten is what a server's rewrite phase makes of a request path: the
// server block's own `rewrite`, `return`, `break` and `if` lines, which
// nginx runs in order before it looks for a location.
type Rewritten struct {
	// Path is the URI nginx looks the location up with (the request's
	// path when no rewrite matched; without the arguments a replacement
	// adds after '?').
	Path string
	// By is the directive that answered, or the last `rewrite` that
	// changed the path (nil when none did).
	By *Directive
	// Answered: a `return`, or a `rewrite` that redirects (`redirect`,
	// `permanent`, or a replacement that starts with http://, https:// or
	// $scheme), answers the request: no location serves it.
	Answered bool
	// Known is false when the outcome depends on what wslint does not
	// evaluate: an `if` that holds `rewrite` or `break` lines, a
	// replacement with variables other than the regex's captures, a regex
	// Go's regexp does not compile (PCRE look-arounds, ...). Path and
	// Answered then say nothing.
	Known bool
}

// Rewrite runs the server's rewrite phase on a request path
// (TestRewriteAsNginx checks it against nginx). An `if` whose lines only
// answer (`return`) is passed over: when its condition holds, nginx
// answers there; otherwise the phase goes on, as modelled. Location-level
// rewrites, which run after the location is chosen, are not modelled.
func (s *Server) Rewrite(path string) Rewritten {
	out := Rewritten{Path: path, Known: true}
	for _, d := range s.Block.Children() {
		switch d.Name {
		case "return":
			out.By, out.Answered = d, true
			return out
		case "break":
			return out
		case "if":
			if changesURI(d) {
				return Rewritten{Path: path}
			}
		case "rewrite":
			if len(d.Args) < 2 {
				return Rewritten{Path: path}
			}
			re, err := compiledRE(d.Args[0].Value)
			if err != nil {
				return Rewritten{Path: path}
			}
			m := re.FindStringSubmatchIndex(out.Path)
			if m == nil {
				continue
			}
			repl, flag := d.Args[1].Value, d.Arg(2)
			if flag == "redirect" || flag == "permanent" || isAbsoluteReplacement(repl) {
				out.By, out.Answered = d, true
				return out
			}
			next, ok := expandCaptures(repl, out.Path, m)
			if !ok {
				return Rewritten{Path: path}
			}
			if i := strings.IndexByte(next, '?'); i >= 0 {
				next = next[:i] // the request's arguments
			}
			out.Path, out.By = next, d
			if flag == "last" || flag == "break" {
				return out // both end the server's rewrite lines
			}
		}
	}
	return out
}

// changesURI reports whether an `if` block holds lines that change the
// URI or stop the rewrite phase (rewrite, break), in it or in an `if`
// nested in it.
func changesURI(d *Directive) bool {
	for _, c := range d.Children() {
		switch c.Name {
		case "rewrite", "break":
			return true
		case "if":
			if changesURI(c) {
				return true
			}
		}
	}
	return false
}

// isAbsoluteReplacement reports whether a rewrite's replacement makes
// nginx redirect whatever its flag (ngx_http_rewrite).
func isAbsoluteReplacement(repl string) bool {
	return strings.HasPrefix(repl, "http://") || strings.HasPrefix(repl, "https://") || strings.HasPrefix(repl, "$scheme")
}

// expandCaptures substitutes $1 ... $9 in a replacement with the regex's
// captures in subject (m: the match's submatch indexes; a capture that did
// not take part is empty, as in nginx). ok is false when the replacement
// uses any other variable.
func expandCaptures(repl, subject string, m []int) (string, bool) {
	if strings.IndexByte(repl, '$') < 0 {
		return repl, true
	}
	var b strings.Builder
	for i := 0; i < len(repl); i++ {
		c := repl[i]
		if c != '$' {
			b.WriteByte(c)
			continue
		}
		if i+1 >= len(repl) || repl[i+1] < '1' || repl[i+1] > '9' {
			return "", false
		}
		n := int(repl[i+1] - '0')
		if 2*n+1 < len(m) && m[2*n] >= 0 {
			b.WriteString(subject[m[2*n]:m[2*n+1]])
		}
		i++
	}
	return b.String(), true
}
