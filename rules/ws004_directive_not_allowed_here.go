package rules

import (
	"strings"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx/spec"
)

// DirectiveNotAllowedHere reports a known directive in a context where
// nginx refuses it.
var DirectiveNotAllowedHere = &lint.Rule{
	ID:       "WS004",
	Name:     "directive-not-allowed-here",
	Lang:     lint.Nginx,
	Severity: lint.Error,
	Default:  true,
	Check:    checkDirectiveNotAllowedHere,
	Doc: lint.Doc{
		Summary: "a directive stands in a block where nginx does not accept it",
		Why: "nginx refuses to start or reload with `\"proxy_set_header\" directive is not allowed here`. " +
			"The usual cases: `proxy_pass` at server level or in a server-level `if`, `map` or " +
			"`upstream` inside a server, and `proxy_set_header`, `proxy_http_version` or the proxy " +
			"timeouts inside `if`/`limit_except` (those blocks take the location's values; only " +
			"`proxy_pass` and a few others may appear there). Some placements are valid from a " +
			"release on (`server_name` in a stream server from 1.25.5, `resolver` in an upstream " +
			"block from 1.27.3): they are checked against the target version (`--nginx-version`, " +
			"default 1.18).",
		Bad: "server {\n    listen 80;\n    location /ws/ {\n        proxy_pass http://127.0.0.1:8000;\n" +
			"        proxy_http_version 1.1;\n        proxy_read_timeout 1h;\n        proxy_set_header Upgrade $http_upgrade;\n" +
			"        if ($http_upgrade) {\n            proxy_set_header Connection \"upgrade\";\n        }\n    }\n}\n",
		Good: "server {\n    listen 80;\n    location /ws/ {\n        proxy_pass http://127.0.0.1:8000;\n" +
			"        proxy_http_version 1.1;\n        proxy_read_timeout 1h;\n        proxy_set_header Upgrade $http_upgrade;\n" +
			"        proxy_set_header Connection \"upgrade\";\n    }\n}\n",
		FixSafety: "No fix: where the directive belongs (which location, or the enclosing http block) " +
			"is a design decision, and moving it changes what other blocks inherit.",
		References: []string{"https://nginx.org/en/docs/dirindex.html", "https://nginx.org/en/docs/http/ngx_http_rewrite_module.html#if"},
	},
}

func checkDirectiveNotAllowedHere(p *lint.Pass) (out []lint.Finding) {
	eachSite(p.Nginx, func(s *site) {
		d := s.d
		sp := s.merged()
		if sp == nil {
			return // WS002
		}
		if ok, _, _ := nameInTarget(s.rows(), p.Opts.NginxVersion); !ok {
			return // WS012: an unknown directive to the target release
		}
		ctx := s.ctx
		if !s.ctxOK {
			return
		}
		if sp.AllowedIn(ctx) {
			since := ""
			rows := s.rows()
			for i := range rows {
				v := &rows[i]
				if v.AllowedIn(ctx) {
					if inTarget(v, p.Opts.NginxVersion) {
						return
					}
					since = v.Since
				}
			}
			out = append(out, p.Finding(d.NameSpan(), "`%s` is allowed in %s from nginx %s on, not in the target nginx %s, which refuses to load (`\"%s\" directive is not allowed here`); set `--nginx-version` if the servers run %s or later",
				d.Name, contextName(ctx), since, p.Opts.NginxVersion, d.Name, since))
			return
		}
		var where []string
		fam := family(ctx)
		rows := s.rows()
		for i := range rows {
			v := &rows[i]
			for bit := spec.Context(1); bit <= spec.Map; bit <<= 1 {
				if v.Contexts&bit != 0 && fam&bit != 0 {
					where = appendOnce(where, contextName(bit))
				}
			}
		}
		if len(where) == 0 {
			out = append(out, p.Finding(d.NameSpan(), "`%s` is a directive of other modules (%s), not allowed in %s: nginx refuses to load (`\"%s\" directive is not allowed here`, or `unknown directive` where those modules are not built in)",
				d.Name, sp.Contexts.String(), contextName(ctx), d.Name))
			return
		}
		out = append(out, p.Finding(d.NameSpan(), "`%s` is not allowed in %s: nginx refuses to load (`\"%s\" directive is not allowed here`); it is allowed in %s",
			d.Name, contextName(ctx), d.Name, strings.Join(where, ", ")))
	})
	return out
}

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
