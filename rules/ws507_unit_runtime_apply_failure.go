package rules

import (
	"fmt"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/unit"
)

// UnitRuntimeApplyFailure reports what Unit's validator accepts but its
// router cannot apply.
var UnitRuntimeApplyFailure = &lint.Rule{
	ID:       "WS507",
	Name:     "unit-runtime-apply-failure",
	Lang:     lint.Unit,
	Severity: lint.Error,
	Default:  true,
	Check:    checkUnitRuntimeApplyFailure,
	Doc: lint.Doc{
		Summary: "a Unit listener without `pass` or a route step without `action`",
		Why: "Unit's validator accepts both, then the router fails to apply the configuration: the PUT answers " +
			"500 `Failed to apply new configuration.`, the reason is only in `unit.log`, and the previous " +
			"configuration stays active. The documentation marks both members as required.",
		Bad: "{\n    \"listeners\": {\"*:80\": {}},\n    \"applications\": {\n" +
			"        \"chat\": {\"type\": \"python\", \"module\": \"asgi\", \"protocol\": \"asgi\"}\n    }\n}\n",
		Good: "{\n    \"listeners\": {\"*:80\": {\"pass\": \"applications/chat\"}},\n    \"applications\": {\n" +
			"        \"chat\": {\"type\": \"python\", \"module\": \"asgi\", \"protocol\": \"asgi\"}\n    }\n}\n",
		FixSafety: "Suggestion only: for a listener, when the configuration has a routes array or exactly one " +
			"application, the suggested `pass` names it; what a route step should do is the author's decision.",
		References: []string{
			"https://unit.nginx.org/configuration/#listeners",
			"https://unit.nginx.org/configuration/#routes",
		},
	},
}

func checkUnitRuntimeApplyFailure(p *lint.Pass) (out []lint.Finding) {
	if !unitDoc(p) {
		return nil
	}
	c := p.Unit
	for _, l := range c.Listeners() {
		if l.Value == nil || l.Value.Kind != unit.Object || l.Value.Get("pass") != nil || l.Value.Get("application") != nil {
			continue
		}
		f := p.Finding(l.Key, "listener %s has no `pass`: Unit accepts the configuration, then fails to apply it "+
			"(500 `Failed to apply new configuration.`) and keeps the previous one", unit.QuoteKey(l.Name))
		if target := defaultPass(c); target != "" {
			if edits, ok := lint.InsertMember(l.Value, "pass", lint.JSONString(target)); ok {
				f = f.WithFix(lint.Suggestion, fmt.Sprintf("Pass to `%s`", target), edits...)
			}
		}
		out = append(out, f)
	}
	for _, s := range c.Steps() {
		if s.Value.Get("action") != nil {
			continue
		}
		out = append(out, p.Finding(firstByte(s.Value.Span), "%s has no `action`: Unit accepts the configuration, then fails to apply it "+
			"(500 `Failed to apply new configuration.`) and keeps the previous one", s.String()))
	}
	return out
}

// defaultPass is the pass a listener without one most likely wants: the
// routes array, or the only application.
func defaultPass(c *unit.Config) string {
	if r := c.Root.Get("routes"); r != nil {
		if r.Kind == unit.Array {
			return "routes"
		}
		return ""
	}
	if apps := c.Applications(); len(apps) == 1 {
		if _, ok := unit.ParsePass("applications/" + apps[0].Name); ok {
			return "applications/" + apps[0].Name
		}
	}
	return ""
}
