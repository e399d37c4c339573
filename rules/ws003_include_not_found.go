package rules

import (
	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
)

// IncludeNotFound reports a plain include whose file does not exist.
var IncludeNotFound = &lint.Rule{
	ID:       "WS003",
	Name:     "include-not-found",
	Lang:     lint.Nginx,
	Severity: lint.Error,
	Default:  true,
	Check:    func(p *lint.Pass) []lint.Finding { return problems(p, nginx.ProblemIncludeMissing) },
	Doc: lint.Doc{
		Summary: "an include names a file that does not exist",
		Why: "nginx stops with `open() \"/etc/nginx/x.conf\" failed (2: No such file or directory)`. " +
			"Relative paths resolve against the main configuration's directory, not the including " +
			"file's, so a snippet that works in one layout breaks in another. A glob that matches " +
			"nothing is fine.",
		Bad:        "server {\n    listen 80;\n    include snippets/does-not-exist.conf;\n}\n",
		Good:       "server {\n    listen 80;\n    include snippets/*.conf;\n}\n",
		FixSafety:  "No fix: wslint cannot know which file was meant.",
		References: []string{"https://nginx.org/en/docs/ngx_core_module.html#include"},
	},
}
