package rules

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
)

// InvalidVariableSyntax reports a `$` that nginx cannot read as a variable.
var InvalidVariableSyntax = &lint.Rule{
	ID:       "WS011",
	Name:     "invalid-variable-syntax",
	Lang:     lint.Nginx,
	Severity: lint.Error,
	Default:  true,
	Check:    checkInvalidVariableSyntax,
	Doc: lint.Doc{
		Summary: "a `$` that starts no variable name, or a `${name` without its `}`",
		Why: "nginx refuses the configuration: `nginx -t`, a start or a reload fails with `invalid " +
			"variable name` for a `$` that no name follows (`5$`, `$$`, `$-x`, `${}`), with `the closing " +
			"bracket in \"x\" variable is missing` for `${x` or `${x-y}`, and with `invalid parameter " +
			"\"$\"` in a log_format; for a proxy_set_header value the line it names is the end of the " +
			"http block, not the header's. Every value nginx compiles with variables (return text, " +
			"add_header and proxy_set_header values, set, map values, proxy_pass, root, try_files, ...) " +
			"reads `$` as the start of a variable whose name holds only letters, digits and `_`. Regexes " +
			"(location, the first argument of rewrite, `if ($uri ~ ...)`) are not compiled that way: `$` " +
			"is their anchor there. The stream module compiles its values alike (`return`, `set`, `map` " +
			"values, `proxy_pass`, `log_format`); the mail module compiles none, so a `$` there is a byte.",
		Bad: "http {\n    server {\n        listen 8080;\n        location / {\n" +
			"            return 200 \"price: 5$\";\n        }\n    }\n}\n",
		Good: "http {\n    geo $dollar {\n        default \"$\";\n    }\n    server {\n        listen 8080;\n        location / {\n" +
			"            return 200 \"price: 5${dollar}\";\n        }\n    }\n}\n",
		FixSafety: "No fix: only the author knows whether a variable or a literal `$` was meant. " +
			"nginx has no escape for a literal `$` in these values (`\\$` does not help). A common " +
			"workaround is a variable holding it: `geo $dollar { default \"$\"; }` in the http context " +
			"(geo values are not compiled; map values are, so a map cannot hold it), then `${dollar}` " +
			"where the `$` should appear. Close an unclosed `${name` right after the name: `${name}`.",
		References: []string{
			"https://nginx.org/en/docs/varindex.html",
			"https://nginx.org/en/docs/http/ngx_http_geo_module.html",
			"https://nginx.org/en/docs/http/ngx_http_rewrite_module.html#return",
			"https://nginx.org/en/docs/http/ngx_http_log_module.html#log_format",
		},
	},
}

func checkInvalidVariableSyntax(p *lint.Pass) (out []lint.Finding) {
	seen := map[source.Span]bool{}
	check := func(a nginx.Arg, logFormat, closesIf bool) {
		if strings.IndexByte(a.Raw, '$') < 0 {
			return
		}
		text, base := a.Raw, a.Span.Start
		if a.Quoted() && len(text) >= 2 {
			text, base = text[1:len(text)-1], base+1
		} else if closesIf {
			text = strings.TrimSuffix(text, ")") // nginx strips the condition's `)`
		}
		badVariables(text, logFormat, func(start, end int, msg string) {
			span := source.Span{File: a.Span.File, Start: base + start, End: base + end}
			if !seen[span] {
				seen[span] = true
				out = append(out, p.Finding(span, "%s", msg))
			}
		})
	}
	var room [8]int
	for _, d := range withVariables(p.Nginx) {
		if enclosedBy(d, "mail") { // the mail module compiles no variables: nginx -t takes `auth_http host/auth$`
			continue
		}
		if slices.ContainsFunc(d.Args, func(a nginx.Arg) bool { return strings.IndexByte(a.Raw, '$') >= 0 }) {
			for _, i := range compiledArgs(d, room[:0]) {
				check(d.Args[i], d.Name == "log_format", d.Name == "if" && i == len(d.Args)-1)
			}
		}
		if d.Name == "map" && d.IsBlock {
			for _, e := range d.Children() {
				if e.Name != "hostnames" && e.Name != "volatile" && e.Name != "include" && len(e.Args) == 1 {
					check(e.Args[0], false, false) // a map's values are compiled; its keys are not
				}
			}
		}
	}
	return out
}

const (
	dollarVar     = "define `geo $dollar { default \"$\"; }` in the http context and write `${dollar}`"
	literalDollar = "nginx has no escape for a literal `$`: " + dollarVar
)

// badVariables calls bad for every `$` reference in s that nginx rejects, as
// ngx_http_script_compile (and ngx_http_log_compile for log_format) reads
// it: its byte range in s and the message. nginx stops at the first; the
// others fail in turn once it is fixed.
func badVariables(s string, logFormat bool, bad func(start, end int, msg string)) {
	invalid := func(i int) string {
		if logFormat {
			rest := s[i:]
			if len(rest) > 40 {
				rest = rest[:40] + "..."
			}
			return fmt.Sprintf("`invalid parameter \"%s\"`", rest)
		}
		return "`invalid variable name`"
	}
	for i := 0; i < len(s); i++ {
		if s[i] != '$' {
			continue
		}
		j := i + 1
		switch {
		case j < len(s) && s[j] >= '1' && s[j] <= '9':
			i = j // $1..$9: a regex capture
			continue
		case j < len(s) && s[j] == '$':
			bad(i, j+1, fmt.Sprintf("`$$` is no escape for `$` (nginx -t fails with %s); %s", invalid(i), dollarVar))
			i = j
			continue
		}
		bracket := j < len(s) && s[j] == '{'
		if bracket {
			j++
		}
		if j == len(s) {
			bad(i, j, fmt.Sprintf("`%s` at the end of the value starts no variable name (nginx -t fails with %s); %s", s[i:j], invalid(i), literalDollar))
			return
		}
		k := j
		for k < len(s) && nginx.IsVarNameByte(s[k]) {
			k++
		}
		closed := bracket && k < len(s) && s[k] == '}'
		switch {
		case closed && k == j:
			bad(i, k+1, fmt.Sprintf("`${}` names no variable (nginx -t fails with %s); write the name between the braces; %s", invalid(i), literalDollar))
		case bracket && !closed:
			name, fix := s[j:k], "`${"+s[j:k]+"}`"
			if name == "" {
				fix = "`${name}`"
			}
			bad(i, k, fmt.Sprintf("`%s` is not closed: a variable name holds only letters, digits and `_`, then `}` (nginx -t fails with `the closing bracket in \"%s\" variable is missing`); write %s", s[i:k], name, fix))
		case !bracket && k == j:
			bad(i, i+1, fmt.Sprintf("`$` followed by %s starts no variable name (nginx -t fails with %s); %s", describeByte(s[j:]), invalid(i), literalDollar))
		}
		switch {
		case closed:
			i = k // past the `}`
		case k > i+1:
			i = k - 1
		}
	}
}

// describeByte names the character that starts s, for messages.
func describeByte(s string) string {
	switch s[0] {
	case ' ':
		return "a space"
	case '\t':
		return "a tab"
	case '\r', '\n':
		return "a line break"
	case '`':
		return "a backquote"
	}
	r, _ := utf8.DecodeRuneInString(s)
	return "`" + string(r) + "`"
}
