package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/nginx/spec"
	"github.com/wslint/wslint/lint/source"
)

// UnknownDirective reports a directive that neither stock nginx nor a
// module wslint knows defines, with the nearest known name.
var UnknownDirective = &lint.Rule{
	ID:       "WS002",
	Name:     "unknown-directive",
	Lang:     lint.Nginx,
	Severity: lint.Warning,
	Default:  true,
	Check:    checkUnknownDirective,
	FixFirst: true, // a renamed directive, a defined variable: other fixes wait for them
	Doc: lint.Doc{
		Summary: "a directive name that no known nginx module defines",
		Why: "nginx refuses to start or reload with `unknown directive \"proxy_read_timout\"`, so a " +
			"typo in a timeout or header line takes the whole server down at the next reload. " +
			"Directive names are case-sensitive. It is a warning because the name may belong to a " +
			"module wslint does not know.",
		Bad: "location /ws/ {\n    proxy_pass http://127.0.0.1:8000;\n" +
			"    proxy_http_version 1.1;\n    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection \"upgrade\";\n    proxy_read_timout 1h;\n}\n",
		Good: "location /ws/ {\n    proxy_pass http://127.0.0.1:8000;\n" +
			"    proxy_http_version 1.1;\n    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection \"upgrade\";\n    proxy_read_timeout 1h;\n}\n",
		FixSafety: "Safe only when the name differs from a stock directive in letter case alone " +
			"(`Proxy_Pass`), since no module defines such a variant, and the block does not already " +
			"have that single-valued directive (or another line that would be renamed to it): the " +
			"rename would then make a duplicate that nginx refuses (WS005), so choose the line to " +
			"keep. Any other rename to the nearest name is Unsafe: the name may belong to a module " +
			"wslint does not know, and the nearest name may not be the one meant. No fix when the " +
			"suggestion is not allowed in that block or takes a different number of arguments.",
		References: []string{"https://nginx.org/en/docs/dirindex.html"},
	},
}

func checkUnknownDirective(p *lint.Pass) (out []lint.Finding) {
	eachSite(p.Nginx, func(s *site) {
		d := s.d
		name := d.Name
		sugg, why := renameTarget(p.Nginx, s)
		switch why {
		case renameNone:
			return
		case renameNoSuggestion:
			out = append(out, p.Finding(d.NameSpan(), "unknown directive `%s`: no stock nginx or known module directive has that name or a close one; nginx without the module that defines it refuses to load", name))
			return
		}
		msg := fmt.Sprintf("unknown directive `%s`: did you mean `%s`? (nginx refuses to load: `unknown directive \"%s\"`)", name, sugg, name)
		switch why {
		case renameDoesNotFit:
			out = append(out, p.Finding(d.NameSpan(), "%s; `%s` is not allowed here with these arguments either", msg, sugg))
			return
		case renameWouldNotParse:
			// nginx would refuse the renamed block too: `unexpected "{"`.
			out = append(out, p.Finding(d.NameSpan(), "%s; renamed, it would not parse either: the lines of a `%s` block open no block", msg, sugg))
			return
		}
		f := p.Finding(d.NameSpan(), "%s", msg)
		safety := lint.SafeUnless(!strings.EqualFold(name, sugg) || !isStockName(sugg) || duplicates(p.Nginx, d, sugg))
		edit := source.TextEdit{File: d.NameSpan().File, Start: d.NameSpan().Start, End: d.NameSpan().End, New: sugg}
		out = append(out, f.WithFix(safety, "Rename to `"+sugg+"`", edit))
	})
	return out
}

// What renameTarget found for a site.
const (
	renameFix           = iota // WS002 renames it (its fix)
	renameNone                 // a known name, or one WS002 leaves alone
	renameNoSuggestion         // unknown, and no known name is close
	renameDoesNotFit           // the close name is not allowed there with these arguments
	renameWouldNotParse        // renamed, its block would not parse
)

// renameTarget returns the name WS002 suggests for the site's directive,
// and whether its fix renames it (renameFix).
func renameTarget(cfg *nginx.Config, s *site) (string, int) {
	d := s.d
	if s.merged() != nil || strings.Contains(d.Name, "_by_lua") {
		return "", renameNone // lua-nginx-module has a *_by_lua{,_block,_file} for every phase
	}
	sugg := spec.Suggest(d.Name)
	if _, ok := spec.ThirdPartyFamily(d.Name); ok && (sugg == "" || !oneEdit(strings.ToLower(d.Name), sugg)) {
		return "", renameNone // a directive of a module wslint knows only by its prefix
	}
	switch {
	case sugg == "":
		return "", renameNoSuggestion
	case !fits(cfg, d, sugg):
		return sugg, renameDoesNotFit
	case d.IsBlock && nginx.HandlerBlock(sugg) && slices.ContainsFunc(d.Body, func(c *nginx.Directive) bool { return c.IsBlock }):
		return sugg, renameWouldNotParse
	}
	return sugg, renameFix
}

// renamedDefsKey is the Memo key of renamedDefinitions.
type renamedDefsKey struct{}

// renamedDefinitions returns the variable names (lowercase, without `$`)
// that directives define once WS002's fix renames them (`Map $http_upgrade
// $connection_upgrade` becomes a map): WS007 does not report their uses,
// and the fixes that add a map of their own treat the name as taken (the
// result must not be modified).
func renamedDefinitions(cfg *nginx.Config) map[string]bool {
	return cfg.Memo(renamedDefsKey{}, func() any { return buildRenamedDefinitions(cfg) }).(map[string]bool)
}

func buildRenamedDefinitions(cfg *nginx.Config) map[string]bool {
	var names map[string]bool // nil when there are none, as usual
	eachSite(cfg, func(s *site) {
		if s.merged() != nil {
			return // known: the common case, decided without a lookup
		}
		sugg, why := renameTarget(cfg, s)
		if why != renameFix {
			return
		}
		renamed := *s.d
		renamed.Name = sugg
		if i := definedVariableArg(&renamed); i >= 0 {
			if v := strings.TrimPrefix(renamed.Args[i].Value, "$"); nginx.IsVariableName(v) {
				if names == nil {
					names = map[string]bool{}
				}
				names[strings.ToLower(v)] = true
			}
		}
	})
	return names
}

// A misspelled definition in one server block is renamed for all of them.
func init() {
	lint.Gather(lint.Gathered{Key: renamedDefsKey{}, Build: func(p *lint.Pass) any { return buildRenamedDefinitions(p.Nginx) }, Merge: nginx.MergeSets})
}

// fits reports whether directive d, renamed to name, is allowed where it
// stands with the arguments it has.
func fits(cfg *nginx.Config, d *nginx.Directive, name string) bool {
	ctx, ok := contextOf(cfg, d)
	var vs []*spec.Directive
	if ok {
		if v, ok := spec.LookupIn(name, ctx); ok {
			vs = append(vs, v)
		}
	} else {
		vs = spec.Variants(name)
	}
	for _, v := range vs {
		if v.Block == d.IsBlock && len(d.Args) >= v.MinArgs && (v.MaxArgs < 0 || len(d.Args) <= v.MaxArgs) {
			return true
		}
	}
	return false
}

// duplicates reports whether renaming d to name would repeat a
// single-valued directive in d's block, or a limit_conn or limit_req zone:
// a sibling already has that name, or differs from it in letter case only
// (and would be renamed too).
func duplicates(cfg *nginx.Config, d *nginx.Directive, name string) bool {
	if d.Parent == nil {
		return false
	}
	renamed := *d
	renamed.Name = name
	if zone, ok := zoneOf(&renamed); ok { // limit_conn, limit_req: one zone once (WS005)
		for _, o := range d.Parent.Children() {
			other := *o
			other.Name = name
			if z, ok := zoneOf(&other); o != d && ok && z == zone && strings.EqualFold(o.Name, name) {
				return true
			}
		}
		return false
	}
	if ctx, ok := contextOf(cfg, d); ok {
		if v, ok := spec.LookupIn(name, ctx); !ok || v.Merge != spec.Scalar {
			return false
		}
	} else {
		for _, v := range spec.Variants(name) {
			if v.Merge != spec.Scalar {
				return false
			}
		}
	}
	for _, o := range d.Parent.Children() {
		if o != d && strings.EqualFold(o.Name, name) {
			return true
		}
	}
	return false
}

func isStockName(name string) bool {
	for _, v := range spec.Variants(name) {
		if !v.IsThirdParty() && !v.Commercial {
			return true
		}
	}
	return false
}

// oneEdit reports whether a and b differ by at most one insertion,
// deletion, substitution or transposition of adjacent bytes.
func oneEdit(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b)-len(a) > 1 {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if i == len(a) {
		return true
	}
	if len(a) == len(b) {
		if a[i+1:] == b[i+1:] {
			return true // substitution
		}
		return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
	}
	return a[i:] == b[i+1:] // insertion
}
