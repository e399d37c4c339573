package rules

import (
	"slices"
	"strings"

	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/nginx/spec"
	"github.com/wslint/wslint/lint/source"
)

// Helpers of WS007 (undefined-variable): which arguments nginx reads as
// values with variables, and near names for misspelt variables.

// literalArgs are stock directives whose arguments nginx never reads as
// values with variables (paths, names, code, regexes).
var literalArgs = map[string]bool{
	"include": true, "load_module": true, "pid": true, "error_log": true, "lock_file": true, "env": true,
	"working_directory": true, "user": true, "perl": true, "perl_set": true, "perl_modules": true,
	"perl_require": true, "location": true, "server_name": true, "listen": true, "js_import": true,
	"js_path": true, "js_include": true, "gzip_disable": true, "valid_referers": true,
	"ancient_browser": true, "modern_browser": true, "ssl_ciphers": true, "ssl_conf_command": true,
	// Read as written by nginx 1.22 (`$unknown` in them passes nginx -t):
	"proxy_hide_header": true, "proxy_pass_header": true, "fastcgi_hide_header": true, "fastcgi_pass_header": true,
	"default_type": true, "fastcgi_index": true, "auth_request": true, "mirror": true, "post_action": true,
	"add_before_body": true, "add_after_body": true, "ssi_types": true, "proxy_temp_path": true,
	"client_body_temp_path": true, "gzip_types": true, "secure_link_secret": true,
	"proxy_ssl_trusted_certificate": true,
}

// namedFirst are directives whose first argument, a header or parameter
// name, nginx reads as written; only the value expands variables.
var namedFirst = map[string]bool{
	"add_header": true, "add_trailer": true, "proxy_set_header": true, "fastcgi_param": true,
	"uwsgi_param": true, "scgi_param": true, "grpc_set_header": true,
}

// variableThirdParty are third-party directives known to expand variables.
var variableThirdParty = map[string]bool{"more_set_headers": true, "more_set_input_headers": true}

// valueArgs returns the indexes of d's arguments that nginx compiles as
// values with variables: not definitions, regexes or literal arguments.
// They are appended to buf (give it a stack array's room: the rules call
// this for every directive with a `$`).
func valueArgs(d *nginx.Directive, buf []int) []int {
	v, ok := spec.Lookup(d.Name)
	if !ok || literalArgs[d.Name] || v.IsThirdParty() && !variableThirdParty[d.Name] {
		return nil
	}
	var small [8]bool // skip[i]: argument i is not a value (no allocation for most directives)
	skip := small[:]
	if len(d.Args)+1 > len(small) {
		skip = make([]bool, len(d.Args)+1)
	}
	if namedFirst[d.Name] {
		skip[0] = true
	}
	switch d.Name {
	case "set", "js_var", "auth_request_set", "auth_jwt_claim_set", "auth_jwt_header_set":
		skip[0] = true // the variable defined
	case "js_set":
		skip[0], skip[1] = true, true // the variable and a function name
	case "map", "split_clients":
		skip[1] = true
	case "geo":
		skip[max(len(d.Args)-1, 0)] = true
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
	out := buf[:0]
	for i := range d.Args {
		if !skip[i] {
			out = append(out, i)
		}
	}
	return out
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
// defines (but exclude), then a member of a built-in prefix family ($http_*,
// $arg_*, ...).
func suggestVariable(name string, defs map[string]bool, builtin func(string) bool, exclude string) string {
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
		if d != exclude && oneEdit(name, d) && (best == "" || d < best) {
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

func inStream(d *nginx.Directive) bool { return enclosedBy(d, "stream") }

// enclosedBy reports whether a block with one of the names encloses d.
func enclosedBy(d *nginx.Directive, names ...string) bool {
	for b := d.Parent; b != nil; b = b.Parent {
		if slices.Contains(names, b.Name) {
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
