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

// InvalidArgumentValue reports an argument that nginx refuses by its value:
// anything but on/off for an on|off directive, a keyword an enum or
// bitmask directive does not have.
var InvalidArgumentValue = &lint.Rule{
	ID:       "WS013",
	Name:     "invalid-argument-value",
	Lang:     lint.Nginx,
	Severity: lint.Error,
	Default:  true,
	Check:    checkInvalidArgumentValue,
	Doc: lint.Doc{
		Summary: "an argument that is not one of the keywords the directive takes",
		Why: "nginx refuses to start or reload with `invalid value \"of\" in \"proxy_buffering\" directive, " +
			"it must be \"on\" or \"off\"`, or `invalid value \"TLSv1.4\"` for a keyword list such as " +
			"`ssl_protocols`, `proxy_next_upstream` or `proxy_http_version`: a typo in a WebSocket " +
			"location's `proxy_buffering off` takes the whole server down at the next reload. Keywords " +
			"are compared without regard to case, as nginx does; a variable is no keyword. Keywords of " +
			"later releases are checked against the target (`proxy_http_version 2` from 1.29.4).",
		Bad: "location /ws/ {\n    proxy_pass http://127.0.0.1:8000;\n    proxy_http_version 1.1;\n" +
			"    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection \"upgrade\";\n" +
			"    proxy_read_timeout 1h;\n    proxy_buffering of;\n}\n",
		Good: "location /ws/ {\n    proxy_pass http://127.0.0.1:8000;\n    proxy_http_version 1.1;\n" +
			"    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection \"upgrade\";\n" +
			"    proxy_read_timeout 1h;\n    proxy_buffering off;\n}\n",
		FixSafety: "Unsafe: when one keyword is one edit away from the value (of several, the one " +
			"the value starts: `of` becomes `off`, not `on`), it replaces the value; the nearest keyword " +
			"may not be the one meant. No fix otherwise, for a variable, or for a keyword of a later " +
			"release.",
		References: []string{"https://nginx.org/en/docs/dirindex.html"},
	},
}

func checkInvalidArgumentValue(p *lint.Pass) (out []lint.Finding) {
	target := p.Opts.NginxVersion
	eachSite(p.Nginx, func(s *site) {
		d := s.d
		if len(d.Args) == 0 {
			return
		}
		v := keywordRow(s)
		if v == nil || !inTarget(v, target) {
			return
		}
		keywords := v.Values
		if len(keywords) == 0 {
			if len(d.Args) != 1 {
				return // WS010
			}
			keywords = []string{"on", "off"}
		}
		for i := range d.Args {
			a := &d.Args[i]
			kw, ok := keywordOf(keywords, a.Value)
			if ok {
				if since := v.ValuesSince[kw]; since != "" {
					if rel, err := nginx.ParseVersion(since); err == nil && target.Less(rel) {
						out = append(out, p.Finding(a.Span, "`%s` takes `%s` from nginx %s on: the target nginx %s refuses to load (`invalid value \"%s\"`); set `--nginx-version` if the servers run %s or later",
							d.Name, kw, since, target, a.Value, since))
					}
				}
				continue
			}
			out = append(out, valueFinding(p, d, a, v, keywords))
		}
	})
	return out
}

// keywordRow is the table row of the site's directive that takes keywords
// (on|off, or a Values list; a size row's Values are WS015's), in its
// context; nil for other rows, third-party and NGINX Plus ones (not checked
// against nginx), and where the context is not known and the name's rows
// disagree.
func keywordRow(s *site) *spec.Directive {
	takes := func(v *spec.Directive) bool {
		return !v.IsThirdParty() && !v.Commercial && !v.Block && (v.Arg == spec.ArgFlag || len(v.Values) > 0 && !v.IsSize())
	}
	if s.ctxOK {
		if v, ok := s.in(); ok && takes(v) {
			return v
		}
		return nil
	}
	vs := s.rows()
	if len(vs) == 0 || !takes(&vs[0]) {
		return nil
	}
	for i := range vs[1:] {
		if v := &vs[1+i]; !takes(v) || !slices.Equal(v.Values, vs[0].Values) {
			return nil
		}
	}
	return &vs[0]
}

// keywordOf returns the keyword value names, compared without regard to
// case (ngx_strcasecmp).
func keywordOf(keywords []string, value string) (string, bool) {
	for _, k := range keywords {
		if strings.EqualFold(k, value) {
			return k, true
		}
	}
	return "", false
}

func valueFinding(p *lint.Pass, d *nginx.Directive, a *nginx.Arg, v *spec.Directive, keywords []string) lint.Finding {
	refusal := fmt.Sprintf("`invalid value \"%s\" in \"%s\" directive, it must be \"on\" or \"off\"`", a.Value, d.Name)
	if len(v.Values) > 0 {
		refusal = fmt.Sprintf("`invalid value \"%s\"`", a.Value)
	}
	f := p.Finding(a.Span, "`%s` is not a value of `%s` (%s): nginx refuses to load (%s)",
		a.Raw, d.Name, strings.Join(quoteAll(keywords), ", "), refusal)
	if strings.Contains(a.Value, "$") {
		return f // a variable, not a misspelt keyword
	}
	near := spec.NearestKeyword(keywords, a.Value)
	if near == "" {
		return f
	}
	f.Message += fmt.Sprintf("; did you mean `%s`?", near)
	edit := source.TextEdit{File: a.Span.File, Start: a.Span.Start, End: a.Span.End, New: near}
	return f.WithFix(lint.Unsafe, "Replace with `"+near+"`", edit)
}

func quoteAll(ws []string) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = "`" + w + "`"
	}
	return out
}
