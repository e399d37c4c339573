package rules

import (
	"slices"
	"strings"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/nginx/spec"
	"github.com/wslint/wslint/lint/source"
)

// UndefinedVariable reports a $variable that nothing defines.
var UndefinedVariable = &lint.Rule{
	ID:       "WS007",
	Name:     "undefined-variable",
	Lang:     lint.Nginx,
	Severity: lint.Error,
	Default:  true,
	Check:    checkUndefinedVariable,
	Doc: lint.Doc{
		Summary: "a $variable that no map, set, regex capture or built-in defines",
		Why: "nginx refuses to start or reload with `unknown \"connection_upgrade\" variable`, and the " +
			"message names no file or line. The usual cause is copying the two WebSocket " +
			"`proxy_set_header` lines without the `map $http_upgrade $connection_upgrade` block " +
			"that must sit in the http context.",
		Bad: "http {\n    server {\n        location /ws/ {\n            proxy_pass http://127.0.0.1:8000;\n" +
			"            proxy_http_version 1.1;\n            proxy_read_timeout 1h;\n" +
			"            proxy_set_header Upgrade $http_upgrade;\n            proxy_set_header Connection $connection_upgrade;\n" +
			"        }\n    }\n}\n",
		Good: "http {\n    map $http_upgrade $connection_upgrade {\n        default upgrade;\n        ''      close;\n    }\n" +
			"    server {\n        location /ws/ {\n            proxy_pass http://127.0.0.1:8000;\n" +
			"            proxy_http_version 1.1;\n            proxy_read_timeout 1h;\n" +
			"            proxy_set_header Upgrade $http_upgrade;\n            proxy_set_header Connection $connection_upgrade;\n" +
			"        }\n    }\n}\n",
		FixSafety: "Safe for `$connection_upgrade`: the fix adds nginx's canonical upgrade map at the top " +
			"of the http context (or of a conf.d-style file, which nginx includes inside http); it " +
			"only defines what is missing (`'' ''` instead of `'' close` where upstream keepalive " +
			"applies). Unsafe when the variable is used other than as a `proxy_set_header Connection` " +
			"value (a proxy_pass, a log format): what it should hold there is a guess. No fix when the " +
			"files linted have no http context (a bare location snippet). " +
			"Renaming another unknown variable to a near defined or built-in one is Unsafe: it is a " +
			"guess. A `$http_*` one letter away from a handshake header (`$http_upgade`) is a " +
			"warning: nginx accepts it, but the value is always empty; its rename is Unsafe.",
		References: []string{"https://nginx.org/en/docs/http/websocket.html", "https://nginx.org/en/docs/varindex.html", "https://nginx.org/en/docs/http/ngx_http_map_module.html"},
	},
}

func checkUndefinedVariable(p *lint.Pass) (out []lint.Finding) {
	defs := p.Nginx.DefinedVariables() // a map of this call's own
	// A variable defined without its `$` (`map $http_upgrade
	// connection_upgrade`) is WS017's finding; its uses are not unknown
	// names as well (nginx stops at the definition).
	for name := range definedWithoutDollar(p.Nginx) {
		defs[name] = true
	}
	for name := range renamedDefinitions(p.Nginx) { // `Map ... $name`: WS002's finding, alike
		defs[name] = true
	}
	var refs [4]nginx.VarRef
	use := func(d *nginx.Directive, a nginx.Arg) {
		for _, ref := range nginx.AppendArgVariables(refs[:0], a) {
			if f, ok := undefinedFinding(p, d, defs, ref.Name, ref.Span, ownMapVar(d)); ok {
				out = append(out, f)
			}
		}
	}
	var room [8]int
	for _, d := range withVariables(p.Nginx) {
		if slices.ContainsFunc(d.Args, func(a nginx.Arg) bool { return strings.IndexByte(a.Raw, '$') >= 0 }) {
			for _, i := range valueArgs(d, room[:0]) {
				use(d, d.Args[i])
			}
		}
		if d.Name == "map" && d.IsBlock {
			for _, e := range d.Children() {
				if e.Name != "hostnames" && e.Name != "volatile" && e.Name != "include" && len(e.Args) == 1 {
					use(e, e.Args[0]) // a map's values may hold variables
				}
			}
		}
	}
	return out
}

// handshakeHeaders are the request headers whose misspelt $http_ variable
// silently breaks a WebSocket handshake.
var handshakeHeaders = []string{"upgrade", "connection", "host", "origin", "sec_websocket_key", "sec_websocket_version", "sec_websocket_protocol", "sec_websocket_extensions"}

// ownMapVar returns the result variable of the map that d is (its source)
// or belongs to (an entry's value), lowercase; "" elsewhere. A map cannot
// read its own result, so it is never the suggestion there.
func ownMapVar(d *nginx.Directive) string {
	m := d
	if m.Name != "map" && d.Parent != nil {
		m = d.Parent
	}
	if m.Name != "map" || !m.IsBlock {
		return ""
	}
	return strings.ToLower(strings.TrimPrefix(m.Arg(1), "$"))
}

func undefinedFinding(p *lint.Pass, d *nginx.Directive, defs map[string]bool, name string, span source.Span, exclude string) (lint.Finding, bool) {
	lname := strings.ToLower(name)
	if lname == "" {
		return lint.Finding{}, false // `${}`: nginx says "invalid variable name"
	}
	if strings.ContainsFunc(lname, func(r rune) bool { return r >= 0x80 || !nginx.IsVarNameByte(byte(r)) }) {
		return lint.Finding{}, false // `${tenant-id}`, `${ x}`: not a name at all (WS011)
	}
	braced := strings.HasPrefix(span.Text(), "${")
	if lname[0] >= '1' && lname[0] <= '9' && !braced {
		return lint.Finding{}, false // $1..$9: a capture of the last regex ($10 is $1 then "0"; $0 is unknown)
	}
	builtin := spec.IsBuiltinVariable
	if inStream(d) {
		builtin = spec.IsBuiltinStreamVariable
	}
	if defs[lname] {
		return lint.Finding{}, false
	}
	if builtin(lname) {
		hdr, ok := strings.CutPrefix(lname, "http_")
		if !ok {
			return lint.Finding{}, false
		}
		for _, h := range handshakeHeaders {
			if h == hdr {
				return lint.Finding{}, false
			}
		}
		for _, h := range handshakeHeaders {
			if oneEdit(hdr, h) {
				f := p.Finding(span, "`$%s` reads a request header `%s` that clients do not send: did you mean `$http_%s`? (nginx accepts it, but its value is always empty)",
					name, headerName(hdr), h)
				f.Severity = lint.Warning
				return f.WithFix(lint.Unsafe, "Use `$http_"+h+"`", renameVar(span, "http_"+h)), true
			}
		}
		return lint.Finding{}, false
	}
	msg := "unknown variable `$" + name + "`: no map, set or built-in defines it (nginx -t fails with `unknown \"" + lname + "\" variable`)"
	if lname == "connection_upgrade" {
		if edit, ok := upgradeMapEdit(p, span.File); ok {
			f := p.Finding(span, "%s; add the upgrade map `map $http_upgrade $connection_upgrade` to the http context", msg)
			// The map is what `proxy_set_header Connection` means by the
			// name; elsewhere (a proxy_pass, a log) its value is a guess.
			applies := lint.SafeUnless(!upgradeVarOnlyConnection(p.Nginx))
			return f.WithFix(applies, "Add the upgrade map to the http context", edit), true
		}
		return p.Finding(span, "%s; the files linted have no http context to add `map $http_upgrade $connection_upgrade` to (lint this snippet together with the main configuration)", msg), true
	}
	if sugg := suggestVariable(lname, defs, builtin, exclude); sugg != "" {
		f := p.Finding(span, "%s; did you mean `$%s`?", msg, sugg)
		return f.WithFix(lint.Unsafe, "Use `$"+sugg+"`", renameVar(span, sugg)), true
	}
	return p.Finding(span, "%s", msg), true
}

// upgradeOnlyKey is the Memo key of upgradeVarOnlyConnection.
type upgradeOnlyKey struct{}

// upgradeVarOnlyConnection is onlyConnectionUsesOf `$connection_upgrade`,
// once per run: a large configuration reports every one of its uses.
func upgradeVarOnlyConnection(cfg *nginx.Config) bool {
	return cfg.Memo(upgradeOnlyKey{}, func() any {
		return onlyConnectionUsesOf(cfg, "connection_upgrade", nil)
	}).(bool)
}

// upgradeMapEdit places the canonical upgrade map in an http context: a
// real http block or a file nginx reads inside http, preferring file.
func upgradeMapEdit(p *lint.Pass, file *source.File) (source.TextEdit, bool) {
	edit, ok := mapPlacement(p, file, upgradeMapLines(p))
	if !ok {
		return edit, false
	}
	if ctx, root := p.Nginx.Context[edit.File]; root && ctx != nginx.CtxMain && ctx != nginx.CtxHTTP {
		return edit, false // the top of a bare list of directives is not http
	}
	return edit, true
}
