package rules

import (
	"strings"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
)

// VariableWithoutDollar reports a directive that defines a variable whose
// name is written without its `$`.
var VariableWithoutDollar = &lint.Rule{
	ID:       "WS017",
	Name:     "variable-without-dollar",
	Lang:     lint.Nginx,
	Severity: lint.Error,
	Default:  true,
	Check:    checkVariableWithoutDollar,
	FixFirst: true, // a renamed directive, a defined variable: other fixes wait for them
	Doc: lint.Doc{
		Summary: "a variable defined without its `$` (map, geo, set, perl_set, ...)",
		Why: "nginx refuses to start or reload with `invalid variable name \"connection_upgrade\"`: " +
			"the variable a directive defines is written with its `$`, as where it is used " +
			"(`map $http_upgrade $connection_upgrade`, `set $backend ...`). A `map $http_upgrade " +
			"connection_upgrade` copied without it takes the whole server down at the next reload, and " +
			"the `proxy_set_header Connection $connection_upgrade` of the WebSocket locations names a " +
			"variable nothing defines. Verified with nginx 1.22.1 for map, geo, split_clients, set and " +
			"auth_request_set in http, for all of them but auth_request_set in stream, and, with " +
			"Debian's modules loaded, for perl_set, set_by_lua, set_by_lua_block and set_by_lua_file; " +
			"a lone `$` is refused too.",
		Bad: "map $http_upgrade connection_upgrade {\n    default upgrade;\n    ''      close;\n}\n" +
			"server {\n    listen 80;\n    location /ws/ {\n        proxy_pass http://127.0.0.1:8000;\n" +
			"        proxy_http_version 1.1;\n        proxy_set_header Upgrade $http_upgrade;\n" +
			"        proxy_set_header Connection $connection_upgrade;\n        proxy_read_timeout 1h;\n    }\n}\n",
		Good: "map $http_upgrade $connection_upgrade {\n    default upgrade;\n    ''      close;\n}\n" +
			"server {\n    listen 80;\n    location /ws/ {\n        proxy_pass http://127.0.0.1:8000;\n" +
			"        proxy_http_version 1.1;\n        proxy_set_header Upgrade $http_upgrade;\n" +
			"        proxy_set_header Connection $connection_upgrade;\n        proxy_read_timeout 1h;\n    }\n}\n",
		FixSafety: "Safe: the fix writes the `$` before the name, which is the only reading nginx " +
			"accepts, so the variable the configuration already refers to by that name is defined. " +
			"Unsafe when another directive defines the same variable with its `$`: the two " +
			"definitions would then compete. " +
			"No fix for a name that is not a variable name (letters, digits and `_`, not starting with " +
			"a digit: `$1` is a regex capture) or for a lone `$`.",
		References: []string{
			"https://nginx.org/en/docs/http/ngx_http_map_module.html#map",
			"https://nginx.org/en/docs/http/ngx_http_rewrite_module.html#set",
			"https://nginx.org/en/docs/http/ngx_http_perl_module.html#perl_set",
			"https://github.com/openresty/lua-nginx-module#set_by_lua_block",
		},
	},
}

func checkVariableWithoutDollar(p *lint.Pass) (out []lint.Finding) {
	var defs map[string]bool // the variables defined with their `$`, when a finding needs them
	eachSite(p.Nginx, func(s *site) {
		i := definedVariableArg(s.d)
		if i < 0 {
			return
		}
		a := s.d.Args[i]
		if len(a.Value) > 1 && a.Value[0] == '$' {
			return
		}
		name := s.d.Name
		if a.Value == "$" {
			out = append(out, p.Finding(a.Span, "`%s` defines a variable with no name: write `$name`; nginx refuses to load (`invalid variable name \"$\"`)", name))
			return
		}
		if !nginx.IsVariableName(a.Value) {
			out = append(out, p.Finding(a.Span, "`%s` defines `%s` without a `$`: nginx refuses to load (`invalid variable name \"%s\"`); write `$` and a name of letters, digits and `_` that does not start with a digit", name, a.Raw, a.Value))
			return
		}
		f := p.Finding(a.Span, "`%s` defines `%s` without its `$`: write `$%s`; nginx refuses to load (`invalid variable name \"%s\"`)", name, a.Raw, a.Value, a.Value)
		at := a.Span.Start
		if a.Quoted() {
			at++ // inside the quotes: `"$name"`
		}
		if defs == nil {
			defs = p.Nginx.DefinedVariables()
		}
		// Another definition of the name (a map a fix added for its uses)
		// would then compete with this one.
		applies := lint.SafeUnless(defs[strings.ToLower(a.Value)])
		edit := source.TextEdit{File: a.Span.File, Start: at, End: at, New: "$"}
		out = append(out, f.WithFix(applies, "Write `$"+a.Value+"`", edit))
	})
	return out
}

// dollarlessKey is the Memo key of definedWithoutDollar.
type dollarlessKey struct{}

// definedWithoutDollar returns the names (lowercase) that directives define
// without their `$`, which WS017's fix gives them: WS007 does not report
// their uses, and the fixes that add the upgrade map treat its name as
// taken (the result must not be modified).
func definedWithoutDollar(cfg *nginx.Config) map[string]bool {
	return cfg.Memo(dollarlessKey{}, func() any { return buildDefinedWithoutDollar(cfg) }).(map[string]bool)
}

func buildDefinedWithoutDollar(cfg *nginx.Config) map[string]bool {
	var names map[string]bool // nil when there are none, as usual
	eachSite(cfg, func(s *site) {
		if i := definedVariableArg(s.d); i >= 0 && nginx.IsVariableName(s.d.Args[i].Value) {
			if names == nil {
				names = map[string]bool{}
			}
			names[strings.ToLower(s.d.Args[i].Value)] = true
		}
	})
	return names
}

// A name one server block defines without its `$` is taken in all of them.
func init() {
	lint.Gather(lint.Gathered{Key: dollarlessKey{}, Build: func(p *lint.Pass) any { return buildDefinedWithoutDollar(p.Nginx) }, Merge: nginx.MergeSets})
}

// definedVariableArg returns the index of the argument naming the variable
// d defines (verified with nginx 1.22.1 to require a `$`), or -1.
func definedVariableArg(d *nginx.Directive) int {
	switch n := len(d.Args); d.Name {
	case "map", "split_clients":
		if d.IsBlock && n == 2 {
			return 1
		}
	case "geo": // `geo [$address] $variable { ... }`
		if d.IsBlock && (n == 1 || n == 2) {
			return n - 1
		}
	case "set", "auth_request_set", "perl_set":
		if !d.IsBlock && n == 2 {
			return 0
		}
	case "set_by_lua", "set_by_lua_file": // `set_by_lua $res <code> [$arg ...]`
		if !d.IsBlock && n >= 2 {
			return 0
		}
	case "set_by_lua_block": // `set_by_lua_block $res { <code> }`
		if d.IsBlock && n == 1 {
			return 0
		}
	}
	return -1
}
