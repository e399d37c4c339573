package nginx

import (
	"maps"
	"strings"

	"github.com/wslint/wslint/lint/lazyre"
	"github.com/wslint/wslint/lint/source"
)

// VarRef is one `$name` or `${name}` reference written in an argument.
type VarRef struct {
	Name string      // as written, without `$` and braces
	Span source.Span // the reference's bytes, `$` included
}

// ArgVariables returns the variable references in an argument as written,
// each with its exact span (inside the quotes of a quoted argument).
func ArgVariables(a Arg) []VarRef { return AppendArgVariables(nil, a) }

// AppendArgVariables is ArgVariables appending to out (a caller's buffer
// on its stack spares the allocation).
func AppendArgVariables(out []VarRef, a Arg) []VarRef {
	for name, start, end := variableRef(a.Raw, 0); start >= 0; name, start, end = variableRef(a.Raw, end) {
		out = append(out, VarRef{Name: name, Span: source.Span{File: a.Span.File, Start: a.Span.Start + start, End: a.Span.Start + end}})
	}
	return out
}

// DefinedVariables returns the names (lower case, without `$`) that the
// configuration itself defines, wherever they are written: nginx binds
// variables by name once the whole configuration is read, so a definition
// after its use, or in another included file, counts. Sources: map, geo and
// split_clients results; set, js_var and the `*_set`/`set_*` directives
// (perl_set, js_set, auth_request_set, set_by_lua*, set-misc); `$name`
// lines of third-party blocks (geoip2); and the named captures
// `(?<name>...)`, `(?P<name>...)`, `(?'name'...)` of every regex (location,
// server_name, map keys, if, rewrite, ...). Built-in variables and the
// numeric captures $1..$9 are not included.
func (c *Config) DefinedVariables() map[string]bool {
	return maps.Clone(c.Memo(DefinedVariablesKey, func() any { return c.BuildDefinedVariables() }).(map[string]bool))
}

// DefinedVariablesKey is the Memo key of DefinedVariables: a windowed lint
// gathers it from every window (a `set` or a named capture in one server
// block defines the variable in all).
var DefinedVariablesKey any = definedKey{}

type definedKey struct{}

// BuildDefinedVariables computes DefinedVariables, without its Memo.
func (c *Config) BuildDefinedVariables() map[string]bool {
	defs := map[string]bool{}
	def := func(arg string) {
		if definesVariable(arg) {
			defs[strings.ToLower(arg[1:])] = true
		}
	}
	captures := func(s string) {
		if !strings.Contains(s, "(?") {
			return
		}
		for _, m := range namedCaptureRE().FindAllStringSubmatch(s, -1) {
			defs[strings.ToLower(m[1]+m[2])] = true
		}
	}
	c.Walk(func(d *Directive) bool {
		switch n := d.Name; {
		case n == "map" || n == "split_clients":
			def(d.Arg(1))
		case n == "geo" && len(d.Args) > 0:
			def(d.Args[len(d.Args)-1].Value)
		case n == "set" || n == "js_var" || strings.HasPrefix(n, "set_") || strings.HasSuffix(n, "_set"):
			def(d.Arg(0))
		case strings.HasPrefix(n, "$"):
			def(n) // geoip2 { $geoip2_country_code country iso_code; }
		}
		captures(d.Name) // a map key
		for _, a := range d.Args {
			captures(a.Value)
		}
		return true
	})
	return defs
}

var namedCaptureRE = lazyre.New(`\(\?(?:P?<([A-Za-z_][A-Za-z0-9_]*)>|'([A-Za-z_][A-Za-z0-9_]*)')`)
