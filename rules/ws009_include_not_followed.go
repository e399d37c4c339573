package rules

import (
	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
)

// IncludeNotFollowed tells that an include was not read (the web service
// never opens files named by a pasted configuration).
var IncludeNotFollowed = &lint.Rule{
	ID:       "WS009",
	Name:     "include-not-followed",
	Lang:     lint.Nginx,
	Severity: lint.Info,
	Default:  true,
	Check:    func(p *lint.Pass) []lint.Finding { return problems(p, nginx.ProblemIncludeNotFollowed) },
	Doc: lint.Doc{
		Summary: "an include was not followed, so its directives were not checked",
		Why: "The web service and the API never open files named by a pasted configuration. Findings " +
			"that depend on the included directives (for example lost upgrade headers through " +
			"`include proxy_params`) cannot be seen; lint the files with the CLI to check them.",
		Bad:        "server {\n    listen 80;\n    include /etc/nginx/snippets/ws.conf;\n}\n",
		Good:       "server {\n    listen 80;\n}\n",
		FixSafety:  "No fix: paste the included file's directives in place to have them checked.",
		References: []string{"https://nginx.org/en/docs/ngx_core_module.html#include"},
	},
}
