package rules

import (
	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx/spec"
)

// NginxPlusDirective reports a directive only NGINX Plus has.
var NginxPlusDirective = &lint.Rule{
	ID:       "WS014",
	Name:     "nginx-plus-directive",
	Lang:     lint.Nginx,
	Severity: lint.Warning,
	Default:  true,
	Check:    checkNginxPlusDirective,
	Doc: lint.Doc{
		Summary: "a directive that only NGINX Plus has",
		Why: "Directives of NGINX Plus modules (`health_check`, `api`, `keyval`, `zone_sync`, " +
			"`proxy_cache_purge`, `*_allow_upstream`, ...) are `unknown directive` to open-source " +
			"nginx: a configuration copied from an NGINX Plus example or from a Plus deployment " +
			"refuses to load there. It is a warning because the servers may run NGINX Plus: then " +
			"disable the rule (`disable: [WS014]`). Names that open-source nginx took over later " +
			"(`sticky` from 1.29.6, `least_time` in http upstream blocks from 1.31.0) are WS012's.",
		Bad: "upstream app {\n    zone app 64k;\n    server 127.0.0.1:8000;\n}\n\nserver {\n    listen 80;\n" +
			"    location /ws/ {\n        proxy_pass http://app;\n        health_check;\n        proxy_http_version 1.1;\n" +
			"        proxy_set_header Host $host;\n        proxy_set_header Upgrade $http_upgrade;\n" +
			"        proxy_set_header Connection \"upgrade\";\n        proxy_read_timeout 1h;\n    }\n}\n",
		Good: "upstream app {\n    zone app 64k;\n    server 127.0.0.1:8000 max_fails=3 fail_timeout=10s;\n}\n\nserver {\n    listen 80;\n" +
			"    location /ws/ {\n        proxy_pass http://app;\n        proxy_http_version 1.1;\n" +
			"        proxy_set_header Host $host;\n        proxy_set_header Upgrade $http_upgrade;\n" +
			"        proxy_set_header Connection \"upgrade\";\n        proxy_read_timeout 1h;\n    }\n}\n",
		FixSafety: "No fix: open-source nginx has no such directive, and what replaces it (passive " +
			"health checks through `max_fails`, a third-party module, nothing) is a design decision.",
		References: []string{"https://nginx.org/en/docs/dirindex.html", "https://docs.nginx.com/nginx/admin-guide/"},
	},
}

func checkNginxPlusDirective(p *lint.Pass) (out []lint.Finding) {
	eachSite(p.Nginx, func(s *site) {
		d := s.d
		if !plusOnly(s.rows()) {
			return
		}
		out = append(out, p.Finding(d.NameSpan(), "`%s` is a directive of NGINX Plus only: open-source nginx refuses to load (`unknown directive \"%s\"`); disable WS014 if the servers run NGINX Plus",
			d.Name, d.Name))
	})
	return out
}

// plusOnly reports whether every row of a name's rows in the table is an
// NGINX Plus one.
func plusOnly(rows []spec.Directive) bool {
	for i := range rows {
		if !rows[i].Commercial {
			return false
		}
	}
	return len(rows) > 0
}
