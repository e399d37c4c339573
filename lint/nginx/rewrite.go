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
	// ChangedBy is the last `rewrite` that changed the path, whether or
	// not a line after it answered.
	ChangedBy *Directive
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
// rewrites, which run after the location is chosen, are Route's.
func (s *Server) Rewrite(path string) Rewritten {
	rw, _ := rewriteLines(s.Block, path)
	return rw
}

// rewriteLines runs the rewrite-module lines written in block (a server
// or a location) on path. stay is true when a `break` (the directive or
// the flag) ends them after a change: nginx keeps the location it is in.
func rewriteLines(block *Directive, path string) (out Rewritten, stay bool) {
	out = Rewritten{Path: path, Known: true}
	for _, d := range block.Children() {
		switch d.Name {
		case "return":
			out.By, out.Answered = d, true
			return out, false
		case "break":
			return out, true
		case "if":
			if changesURI(d) {
				return Rewritten{Path: path}, false
			}
		case "rewrite":
			if len(d.Args) < 2 {
				return Rewritten{Path: path}, false
			}
			re, err := compiledRE(d.Args[0].Value)
			if err != nil {
				return Rewritten{Path: path}, false
			}
			m := re.FindStringSubmatchIndex(out.Path)
			if m == nil {
				continue
			}
			repl, flag := d.Args[1].Value, d.Arg(2)
			if flag == "redirect" || flag == "permanent" || isAbsoluteReplacement(repl) {
				out.By, out.Answered = d, true
				return out, false
			}
			next, ok := expandCaptures(repl, out.Path, m)
			if !ok {
				return Rewritten{Path: path}, false
			}
			if i := strings.IndexByte(next, '?'); i >= 0 {
				next = next[:i] // the request's arguments
			}
			out.Path, out.By, out.ChangedBy = next, d, d
			switch flag {
			case "last":
				return out, false
			case "break":
				return out, true
			}
		}
	}
	return out, false
}

// Route is where a request path ends up in a server: after the server's
// rewrite lines, nginx's location lookup, and the chosen location's own
// rewrite lines (a rewrite with `last`, or one without a flag, changes the
// path and starts the lookup again; `break` keeps the location).
type Route struct {
	// Location serves the request (nil when none matches, the server
	// answered in its rewrite lines, or Redirect is set).
	Location *Location
	// Path is the path the location serves (after the rewrites).
	Path string
	// Redirect is the location whose path plus `/` nginx redirects the
	// request to (auto_redirect, Server.Redirect).
	Redirect *Location
	// ChangedBy is the last rewrite that changed the path (nil when none
	// did).
	ChangedBy *Directive
	// AnsweredBy is the return or redirecting rewrite that answered: in
	// the server's lines (Location nil) or in Location's own.
	AnsweredBy *Directive
	Known      bool // as Rewritten.Known; also false after nginx's ten lookups (a rewrite cycle: 500)
}

// maxURIChanges is NGX_HTTP_MAX_URI_CHANGES: nginx answers 500 after ten
// changes of the URI.
const maxURIChanges = 10

// Route follows a request path through the server (TestRewriteAsNginx
// checks it against nginx).
func (s *Server) Route(path string) Route {
	rw := s.Rewrite(path)
	r := Route{Path: rw.Path, Known: rw.Known}
	switch {
	case !rw.Known:
		return r
	case rw.Answered:
		r.AnsweredBy, r.ChangedBy = rw.By, rw.ChangedBy
		return r
	}
	r.ChangedBy = rw.ChangedBy
	for range maxURIChanges {
		if red := s.Redirect(r.Path); red != nil {
			r.Redirect = red
			return r
		}
		loc := s.Match(r.Path)
		if loc == nil {
			return r
		}
		lr, stay := rewriteLines(loc.Block, r.Path)
		if !lr.Known {
			return Route{Path: r.Path}
		}
		r.Location = loc
		if lr.ChangedBy != nil {
			r.ChangedBy, r.Path = lr.ChangedBy, lr.Path
		}
		switch {
		case lr.Answered:
			r.AnsweredBy = lr.By
			return r
		case lr.ChangedBy == nil, stay:
			return r
		}
		r.Location = nil // a changed path: look again
	}
	return Route{Path: r.Path}
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
