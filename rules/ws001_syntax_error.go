package rules

import (
	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
)

// SyntaxError reports files nginx cannot parse.
var SyntaxError = &lint.Rule{
	ID:       "WS001",
	Name:     "syntax-error",
	Lang:     lint.Nginx,
	Severity: lint.Error,
	Default:  true,
	Check:    func(p *lint.Pass) []lint.Finding { return problems(p, nginx.ProblemSyntax) },
	Doc: lint.Doc{
		Summary: "the configuration does not parse",
		Why: "nginx refuses to start or reload with a syntax error (`nginx -t` fails with " +
			"\"unexpected end of file\" or \"unexpected }\"), so the previous configuration stays live " +
			"and none of the changes reach clients. Other rules cannot judge what they cannot read.",
		Bad:        "location /ws/ {\n    proxy_pass http://127.0.0.1:8000;\n    proxy_http_version 1.1;\n    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection \"upgrade\";\n    proxy_read_timeout 1h\n}\n",
		Good:       "location /ws/ {\n    proxy_pass http://127.0.0.1:8000;\n    proxy_http_version 1.1;\n    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection \"upgrade\";\n    proxy_read_timeout 1h;\n}\n",
		FixSafety:  "No fix: the intended structure is ambiguous.",
		References: []string{"https://nginx.org/en/docs/beginners_guide.html#conf_structure"},
	},
}
