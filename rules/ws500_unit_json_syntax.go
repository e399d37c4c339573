package rules

import (
	"strings"

	"github.com/wslint/wslint/lint"
)

// UnitJSONSyntax reports Unit documents that Unit's JSON reader rejects.
var UnitJSONSyntax = &lint.Rule{
	ID:       "WS500",
	Name:     "unit-json-syntax",
	Lang:     lint.Unit,
	Severity: lint.Error,
	Default:  true,
	Check:    checkUnitJSONSyntax,
	Doc: lint.Doc{
		Summary: "the Unit configuration is not JSON as Unit reads it",
		Why: "Unit answers the PUT with 400 `Invalid JSON.` (or `Duplicate object member.`) and keeps " +
			"the previous configuration, so none of the change is live. Unit's reader accepts `//` and " +
			"`/* */` comments and trailing commas, but not a missing comma, single quotes or a key given twice.",
		Bad: "{\n    \"listeners\": {\n        \"*:80\": {\"pass\": \"applications/app\"}\n        \"*:8080\": {\"pass\": \"applications/app\"}\n    },\n" +
			"    \"applications\": {\n        \"app\": {\"type\": \"python\", \"module\": \"asgi\", \"protocol\": \"asgi\"}\n    }\n}\n",
		Good: "{\n    \"listeners\": {\n        \"*:80\": {\"pass\": \"applications/app\"},\n        \"*:8080\": {\"pass\": \"applications/app\"}\n    },\n" +
			"    \"applications\": {\n        \"app\": {\"type\": \"python\", \"module\": \"asgi\", \"protocol\": \"asgi\"}\n    }\n}\n",
		FixSafety: "No fix: where a comma, quote or brace is missing, or which of two duplicate keys is meant, is ambiguous.",
		References: []string{
			"https://unit.nginx.org/configuration/",
			"https://unit.nginx.org/controlapi/",
		},
	},
}

func checkUnitJSONSyntax(p *lint.Pass) (out []lint.Finding) {
	if p.Unit == nil {
		return nil
	}
	for _, pr := range p.Unit.Problems {
		msg := pr.Message
		if !strings.Contains(msg, "Unit rejects") {
			msg += "; Unit answers 400 `Invalid JSON.`"
		}
		out = append(out, p.Finding(pr.Span, "%s", msg))
	}
	return out
}
