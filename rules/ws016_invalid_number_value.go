package rules

import (
	"fmt"
	"strings"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx/spec"
)

// InvalidNumberValue reports a number argument that nginx refuses.
var InvalidNumberValue = &lint.Rule{
	ID:       "WS016",
	Name:     "invalid-number-value",
	Lang:     lint.Nginx,
	Severity: lint.Error,
	Default:  true,
	Check:    checkInvalidNumberValue,
	Doc: lint.Doc{
		Summary: "a count that is not decimal digits",
		Why: "nginx refuses to start or reload with `\"keepalive_requests\" directive invalid number` " +
			"(`invalid number \"10k\"` for `worker_connections`). Counts such as `worker_connections`, " +
			"`keepalive_requests`, `proxy_next_upstream_tries` or `server_names_hash_bucket_size` " +
			"take decimal digits only: no unit (`10k`), sign, fraction, exponent or variable. " +
			"`worker_connections` is what people raise for many long-lived WebSockets, each of which " +
			"holds two connections (client and upstream).",
		Bad: "events {\n    worker_connections 10k;\n}\nhttp {\n    server {\n        listen 80;\n        location /ws/ {\n" +
			"            proxy_pass http://127.0.0.1:8000;\n            proxy_http_version 1.1;\n" +
			"            proxy_set_header Upgrade $http_upgrade;\n            proxy_set_header Connection \"upgrade\";\n" +
			"            proxy_read_timeout 1h;\n        }\n    }\n}\n",
		Good: "events {\n    worker_connections 10240;\n}\nhttp {\n    server {\n        listen 80;\n        location /ws/ {\n" +
			"            proxy_pass http://127.0.0.1:8000;\n            proxy_http_version 1.1;\n" +
			"            proxy_set_header Upgrade $http_upgrade;\n            proxy_set_header Connection \"upgrade\";\n" +
			"            proxy_read_timeout 1h;\n        }\n    }\n}\n",
		FixSafety:  "No fix: whether `10k` meant 10,000 or 10,240 is a guess.",
		References: []string{"https://nginx.org/en/docs/ngx_core_module.html#worker_connections", "https://nginx.org/en/docs/http/ngx_http_core_module.html#keepalive_requests"},
	},
}

func checkInvalidNumberValue(p *lint.Pass) (out []lint.Finding) {
	eachSite(p.Nginx, func(s *site) {
		d := s.d
		if len(d.Args) != 1 { // WS010 reports the count
			return
		}
		v := typedVariant(s, func(v *spec.Directive) bool { return v.Arg == spec.ArgNum })
		if v == nil {
			return
		}
		a := d.Args[0]
		if _, ok := spec.ParseNumber(a.Value); ok {
			return
		}
		out = append(out, p.Finding(a.Span, "`%s %s`: %s; nginx refuses to load (`invalid number`)", d.Name, a.Raw, numberReason(a.Value)))
	})
	return out
}

// numberReason says why nginx refuses v as a number.
func numberReason(v string) string {
	if why := wordReason(v, "number"); why != "" {
		return why
	}
	digits := strings.TrimLeft(v, "0123456789")
	switch {
	case digits == "":
		return "larger than nginx's maximum (2^63-1)"
	case len(digits) < len(v) && strings.ContainsAny(digits[:1], "kKmMgG"):
		return fmt.Sprintf("a count takes no unit (`%s`): write the number itself", digits)
	case len(digits) < len(v) && strings.ContainsAny(digits[:1], ".eE"):
		return "a number has no fraction or exponent: decimal digits only"
	}
	return "not a number (decimal digits only)"
}
