package rules

import (
	"regexp"
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
		Bad: "http {\n    server {\n        listen 80;\n        location /ws/ {\n            proxy_pass http://127.0.0.1:8000;\n" +
			"            proxy_set_header Upgrade $http_upgrade;\n            proxy_set_header Connection $connection_upgrade;\n" +
			"        }\n    }\n}\n",
		Good: "http {\n    map $http_upgrade $connection_upgrade {\n        default upgrade;\n        ''      close;\n    }\n" +
			"    server {\n        listen 80;\n        location /ws/ {\n            proxy_pass http://127.0.0.1:8000;\n" +
			"            proxy_set_header Upgrade $http_upgrade;\n            proxy_set_header Connection $connection_upgrade;\n" +
			"        }\n    }\n}\n",
		FixSafety: "Safe for `$connection_upgrade`: the fix adds nginx's canonical upgrade map at the top " +
			"of the http context (or of a conf.d-style file, which nginx includes inside http); it " +
			"only defines what is missing (`'' ''` instead of `'' close` where upstream keepalive " +
			"applies). No fix when the files linted have no http context (a bare location snippet). " +
			"Renaming another unknown variable to a near defined or built-in one is Unsafe: it is a " +
			"guess. A `$http_*` one letter away from a handshake header (`$http_upgade`) is a " +
			"warning: nginx accepts it, but the value is always empty; its rename is Unsafe.",
		References: []string{"https://nginx.org/en/docs/http/websocket.html", "https://nginx.org/en/docs/varindex.html", "https://nginx.org/en/docs/http/ngx_http_map_module.html"},
	},
}

func checkUndefinedVariable(p *lint.Pass) (out []lint.Finding) {
	defs := definedVariables(p.Nginx)
	use := func(d *nginx.Directive, a nginx.Arg) {
		raw := a.Raw
		for i := 0; i < len(raw); i++ {
			if raw[i] != '$' {
				continue
			}
			name, n := nginx.VariableAt(raw, i)
			if n == 0 {
				continue
			}
			span := source.Span{File: a.Span.File, Start: a.Span.Start + i, End: a.Span.Start + i + n}
			i += n - 1
			if f, ok := undefinedFinding(p, d, defs, name, span); ok {
				out = append(out, f)
			}
		}
	}
	walkDirectives(p.Nginx, func(d *nginx.Directive) {
		for _, i := range valueArgs(d) {
			use(d, d.Args[i])
		}
		if d.Name == "map" && d.IsBlock {
			for _, e := range d.Children() {
				if e.Name != "hostnames" && e.Name != "volatile" && e.Name != "include" && len(e.Args) == 1 {
					use(e, e.Args[0]) // a map's values may hold variables
				}
			}
		}
	})
	return out
}

// definedVariables collects, from anywhere in the configuration, the names
// (lower case) that map, geo, split_clients, set and the *_set directives
// define, and the named captures of every regex.
func definedVariables(cfg *nginx.Config) map[string]bool {
	defs := map[string]bool{}
	def := func(arg string) {
		if name, n := nginx.VariableAt(arg, 0); strings.HasPrefix(arg, "$") && n == len(arg) {
			defs[strings.ToLower(name)] = true
		}
	}
	cfg.Walk(func(d *nginx.Directive) bool {
		switch n := d.Name; {
		case n == "map" || n == "split_clients":
			def(d.Arg(1))
		case n == "geo" && len(d.Args) > 0:
			def(d.Args[len(d.Args)-1].Value)
		case n == "set" || n == "js_var" || strings.HasPrefix(n, "set_") || strings.HasSuffix(n, "_set"):
			def(d.Arg(0)) // perl_set, js_set, auth_request_set, set_by_lua, set-misc's set_*
		case strings.HasPrefix(n, "$"):
			def(n) // geoip2 { $geoip2_country_code country iso_code; }
		}
		for _, m := range namedCaptureRE.FindAllStringSubmatch(d.Name, -1) {
			defs[strings.ToLower(m[1]+m[2])] = true
		}
		for _, a := range d.Args {
			for _, m := range namedCaptureRE.FindAllStringSubmatch(a.Value, -1) {
				defs[strings.ToLower(m[1]+m[2])] = true
			}
		}
		return true
	})
	return defs
}

var namedCaptureRE = regexp.MustCompile(`\(\?(?:P?<([A-Za-z_][A-Za-z0-9_]*)>|'([A-Za-z_][A-Za-z0-9_]*)')`)

// literalArgs are stock directives whose arguments nginx never reads as
// values with variables (paths, names, code, regexes).
var literalArgs = map[string]bool{
	"include": true, "load_module": true, "pid": true, "error_log": true, "lock_file": true, "env": true,
	"working_directory": true, "user": true, "perl": true, "perl_set": true, "perl_modules": true,
	"perl_require": true, "location": true, "server_name": true, "listen": true, "js_import": true,
	"js_path": true, "js_include": true, "gzip_disable": true, "valid_referers": true,
	"ancient_browser": true, "modern_browser": true, "ssl_ciphers": true, "ssl_conf_command": true,
}

// variableThirdParty are third-party directives known to expand variables.
var variableThirdParty = map[string]bool{"more_set_headers": true, "more_set_input_headers": true}

// valueArgs returns the indexes of d's arguments that nginx compiles as
// values with variables: not definitions, regexes or literal arguments.
func valueArgs(d *nginx.Directive) []int {
	v, ok := spec.Lookup(d.Name)
	if !ok || literalArgs[d.Name] || v.IsThirdParty() && !variableThirdParty[d.Name] {
		return nil
	}
	skip := map[int]bool{}
	switch d.Name {
	case "set", "js_var", "auth_request_set", "auth_jwt_claim_set", "auth_jwt_header_set":
		skip[0] = true // the variable defined
	case "js_set":
		skip[0], skip[1] = true, true // the variable and a function name
	case "map", "split_clients":
		skip[1] = true
	case "geo":
		skip[len(d.Args)-1] = true
	case "rewrite", "fastcgi_split_path_info":
		skip[0] = true // a regex
	case "proxy_redirect", "proxy_cookie_domain", "proxy_cookie_path":
		skip[0] = strings.HasPrefix(d.Arg(0), "~")
	case "if":
		for i, a := range d.Args {
			switch a.Value {
			case "~", "~*", "!~", "!~*":
				skip[i+1] = true
			}
		}
	}
	var out []int
	for i := range d.Args {
		if !skip[i] {
			out = append(out, i)
		}
	}
	return out
}

// handshakeHeaders are the request headers whose misspelt $http_ variable
// silently breaks a WebSocket handshake.
var handshakeHeaders = []string{"upgrade", "connection", "host", "origin", "sec_websocket_key", "sec_websocket_version", "sec_websocket_protocol", "sec_websocket_extensions"}

func undefinedFinding(p *lint.Pass, d *nginx.Directive, defs map[string]bool, name string, span source.Span) (lint.Finding, bool) {
	lname := strings.ToLower(name)
	if lname[0] >= '1' && lname[0] <= '9' {
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
			return f.WithFix(lint.Safe, "Add the upgrade map to the http context", edit), true
		}
		return p.Finding(span, "%s; the files linted have no http context to add `map $http_upgrade $connection_upgrade` to (lint this snippet together with the main configuration)", msg), true
	}
	if sugg := suggestVariable(lname, defs, builtin); sugg != "" {
		f := p.Finding(span, "%s; did you mean `$%s`?", msg, sugg)
		return f.WithFix(lint.Unsafe, "Use `$"+sugg+"`", renameVar(span, sugg)), true
	}
	return p.Finding(span, "%s", msg), true
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

// renameVar replaces the name of a variable reference, keeping `${...}`.
func renameVar(span source.Span, name string) source.TextEdit {
	text := "$" + name
	if strings.HasPrefix(span.Text(), "${") {
		text = "${" + name + "}"
	}
	return source.TextEdit{File: span.File, Start: span.Start, End: span.End, New: text}
}

// suggestVariable returns a defined or built-in variable one edit away from
// name: a built-in by its own name first, then one the configuration
// defines, then a member of a built-in prefix family ($http_*, $arg_*, ...).
func suggestVariable(name string, defs map[string]bool, builtin func(string) bool) string {
	var family string
	for _, c := range oneEditVariants(name) {
		if builtin(c) {
			if !builtin(c + "_\x00") {
				return c
			}
			if family == "" {
				family = c
			}
		}
	}
	var best string
	for d := range defs {
		if oneEdit(name, d) && (best == "" || d < best) {
			best = d
		}
	}
	if best != "" {
		return best
	}
	return family
}

// oneEditVariants lists the strings one deletion, transposition,
// substitution or insertion away from s, over nginx's variable bytes.
func oneEditVariants(s string) []string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789_"
	var out []string
	for i := range len(s) {
		out = append(out, s[:i]+s[i+1:])
		if i+1 < len(s) {
			out = append(out, s[:i]+string(s[i+1])+string(s[i])+s[i+2:])
		}
	}
	for i := range len(s) {
		for _, c := range []byte(alphabet) {
			if c != s[i] {
				out = append(out, s[:i]+string(c)+s[i+1:])
			}
		}
	}
	for i := range len(s) + 1 {
		for _, c := range []byte(alphabet) {
			out = append(out, s[:i]+string(c)+s[i:])
		}
	}
	return out
}

func inStream(d *nginx.Directive) bool {
	for b := d.Parent; b != nil; b = b.Parent {
		if b.Name == "stream" {
			return true
		}
	}
	return false
}

// headerName renders the header a $http_ variable reads: upgade → Upgade.
func headerName(v string) string {
	parts := strings.Split(v, "_")
	for i, s := range parts {
		if s != "" {
			parts[i] = strings.ToUpper(s[:1]) + s[1:]
		}
	}
	return strings.Join(parts, "-")
}
