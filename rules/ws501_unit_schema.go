package rules

import (
	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/unit"
)

// UnitSchema reports what Unit's validator rejects, as
// schemas/unit-config.schema.json describes it.
var UnitSchema = &lint.Rule{
	ID:       "WS501",
	Name:     "unit-schema",
	Lang:     lint.Unit,
	Severity: lint.Error,
	Default:  true,
	Check:    checkUnitSchema,
	Doc: lint.Doc{
		Summary: "the Unit configuration breaks the schema (key, type, member, address)",
		Why: "Unit's validator answers the PUT with 400 `Invalid configuration.` (`Unknown parameter " +
			"\"protocl\".`, `The \"protocol\" can either be \"wsgi\" or \"asgi\".`, `The \"read_timeout\" value " +
			"must be an integer number, but not a string.`) and keeps the previous configuration: the " +
			"change, WebSocket settings included, never takes effect.",
		Bad: "{\n    \"listeners\": {\"*:80\": {\"pass\": \"applications/chat\"}},\n    \"applications\": {\n" +
			"        \"chat\": {\"type\": \"python\", \"module\": \"asgi\", \"protocol\": \"asgi3\"}\n    }\n}\n",
		Good: "{\n    \"listeners\": {\"*:80\": {\"pass\": \"applications/chat\"}},\n    \"applications\": {\n" +
			"        \"chat\": {\"type\": \"python\", \"module\": \"asgi\", \"protocol\": \"asgi\"}\n    }\n}\n",
		FixSafety: "No fix: the message names the expected key, type or value (\"did you mean `protocol`?\"), but which one the author meant is theirs to decide.",
		References: []string{
			"https://unit.nginx.org/configuration/",
			"https://github.com/nginx/unit/blob/master/src/nxt_conf_validation.c",
		},
	},
}

func checkUnitSchema(p *lint.Pass) (out []lint.Finding) {
	if !unitDoc(p) {
		return nil
	}
	for _, pr := range unit.Validate(p.Unit) {
		out = append(out, p.Finding(pr.Span, "%s", pr.Message))
	}
	return out
}
