package rules

import (
	"github.com/wslint/wslint/lint"
)

// UnitUnsupported notes that NGINX Unit is no longer maintained upstream.
var UnitUnsupported = &lint.Rule{
	ID:       "WS509",
	Name:     "unit-unsupported",
	Lang:     lint.Unit,
	Severity: lint.Info,
	Default:  false,
	Check:    checkUnitUnsupported,
	Doc: lint.Doc{
		Summary: "NGINX Unit is unsupported upstream (last release 1.35.0)",
		Why: "The nginx/unit repository was marked unsupported in August 2025 and archived in October 2025; " +
			"1.35.0 is the last release and security vulnerabilities may go unaddressed. The community fork " +
			"FreeUnit keeps the same control API and configuration. Off by default: enable it to track the risk.",
		Bad: "{\n    \"listeners\": {\"*:80\": {\"pass\": \"applications/chat\"}},\n    \"applications\": {\"chat\": {\"type\": \"python\", \"module\": \"asgi\", \"protocol\": \"asgi\"}}\n}\n",
		Good: "# the same app served by uvicorn behind nginx instead of Unit\nlocation /ws/ {\n    proxy_pass http://127.0.0.1:8000;\n" +
			"    proxy_http_version 1.1;\n    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection \"upgrade\";\n" +
			"    proxy_read_timeout 1h;\n}\n",
		FixSafety:  "No fix: moving to FreeUnit or another server is a deployment decision.",
		References: []string{"https://github.com/nginx/unit", "https://github.com/freeunitorg/freeunit"},
	},
}

func checkUnitUnsupported(p *lint.Pass) []lint.Finding {
	if !unitDoc(p) {
		return nil
	}
	return []lint.Finding{p.Finding(firstByte(p.Unit.Root.Span), "NGINX Unit is unsupported upstream: the repository was archived in "+
		"October 2025 and 1.35.0 is the last release, so security fixes may not come; FreeUnit is a community fork with the same configuration")}
}
