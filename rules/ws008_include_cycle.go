package rules

import (
	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
)

// IncludeCycle reports includes that include themselves.
var IncludeCycle = &lint.Rule{
	ID:       "WS008",
	Name:     "include-cycle",
	Lang:     lint.Nginx,
	Severity: lint.Error,
	Default:  true,
	Check:    func(p *lint.Pass) []lint.Finding { return problems(p, nginx.ProblemIncludeCycle) },
	Doc: lint.Doc{
		Summary: "an include includes itself, directly or through other files",
		Why: "nginx follows includes without cycle detection and fails with \"too many open files\" " +
			"or exhausts memory: the configuration never loads.",
		Bad:        "# nginx.conf\nevents {}\nhttp {\n    include nginx.conf;\n}\n",
		Good:       "# nginx.conf\nevents {}\nhttp {\n    include conf.d/*.conf;\n}\n",
		FixSafety:  "No fix: which include is wrong depends on the layout.",
		References: []string{"https://nginx.org/en/docs/ngx_core_module.html#include"},
	},
}
