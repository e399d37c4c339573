package rules

import (
	"fmt"
	"strings"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/unit"
)

// UnitPassInvalid reports `pass` values whose target does not exist.
var UnitPassInvalid = &lint.Rule{
	ID:       "WS502",
	Name:     "unit-pass-invalid",
	Lang:     lint.Unit,
	Severity: lint.Error,
	Default:  true,
	Check:    checkUnitPassInvalid,
	Doc: lint.Doc{
		Summary: "a Unit `pass` names an application, route or upstream that is missing",
		Why: "Unit's validator resolves every constant `pass` and answers 400 `Request \"pass\" points to " +
			"invalid location \"applications/chat\".`: the configuration is refused, so the listener or route " +
			"never reaches the app. `routes` must name an array of steps, `routes/NAME` a member of a routes " +
			"object. A `pass` with `$` variables is resolved per request instead (404 when it matches nothing).",
		Bad: "{\n    \"listeners\": {\"*:80\": {\"pass\": \"applications/chat\"}},\n    \"applications\": {\n" +
			"        \"chatapp\": {\"type\": \"python\", \"module\": \"asgi\", \"protocol\": \"asgi\"}\n    }\n}\n",
		Good: "{\n    \"listeners\": {\"*:80\": {\"pass\": \"applications/chatapp\"}},\n    \"applications\": {\n" +
			"        \"chatapp\": {\"type\": \"python\", \"module\": \"asgi\", \"protocol\": \"asgi\"}\n    }\n}\n",
		FixSafety: "Unsafe: when exactly one defined name is a near spelling of the missing one, the fix points " +
			"`pass` at it. That is a guess about intent; Unit refuses the configuration as written, so nothing " +
			"that works today changes.",
		References: []string{
			"https://unit.nginx.org/configuration/#listeners",
			"https://unit.nginx.org/configuration/#routes",
		},
	},
}

func checkUnitPassInvalid(p *lint.Pass) (out []lint.Finding) {
	if !unitDoc(p) {
		return nil
	}
	c := p.Unit
	for _, ref := range passRefs(c) {
		v := ref.Value
		if ref.Legacy {
			if c.Application(v.Str) != nil {
				continue
			}
			f := p.Finding(v.Span, "%s's `application` names %s, which is not defined; Unit rejects it: `Listening socket is assigned for a non existing application %s.`",
				ref.Where, unit.QuoteKey(v.Str), quoted(v.Str))
			if s := unit.Closest(v.Str, appNames(c)); s != "" {
				f.Message += fmt.Sprintf("; did you mean %s?", unit.QuoteKey(s))
				f = f.WithFix(lint.Unsafe, fmt.Sprintf("Use application `%s`", s), lint.ReplaceValue(v, lint.JSONString(s)))
			}
			out = append(out, f)
			continue
		}
		t, ok := unit.ParsePass(v.Str)
		if !ok {
			continue // a template (resolved per request) or a malformed form (WS501)
		}
		what, cands, replace, direct := passProblem(c, t)
		if what == "" {
			continue
		}
		f := p.Finding(v.Span, "%s: `\"pass\": %s` %s; Unit rejects it: `Request \"pass\" points to invalid location %s.`",
			ref.Where, quoted(v.Str), what, quoted(v.Str))
		newPass := direct // the one form that resolves, if any
		switch s := unit.Closest(lastName(t), cands); {
		case newPass != "":
		case s != "" && !strings.ContainsAny(s, "/%$`"):
			newPass = replace(s)
			f.Message += fmt.Sprintf("; did you mean `%s`?", newPass)
		}
		if newPass != "" {
			f = f.WithFix(lint.Unsafe, fmt.Sprintf("Pass to `%s`", newPass), lint.ReplaceValue(v, lint.JSONString(newPass)))
		}
		out = append(out, f)
	}
	return out
}

func lastName(t unit.PassTarget) string {
	if t.Target != "" {
		return t.Target
	}
	return t.Name
}

// passProblem says why a constant pass target does not resolve ("" when it
// does), with the names it could have meant and how to spell the pass for
// one of them.
func passProblem(c *unit.Config, t unit.PassTarget) (what string, cands []string, replace func(string) string, direct string) {
	switch t.Kind {
	case unit.PassApplication:
		app := c.Application(t.Name)
		if app == nil {
			return fmt.Sprintf("names application %s, which is not defined", unit.QuoteKey(t.Name)), appNames(c),
				func(s string) string { return "applications/" + suffix(s, t.Target) }, ""
		}
		if t.Target == "" {
			return "", nil, nil, ""
		}
		targets := app.Member("targets")
		if targets == nil || targets.Kind != unit.Object {
			return fmt.Sprintf("names target %s, but application %s has no `targets`", unit.QuoteKey(t.Target), unit.QuoteKey(t.Name)), nil, nil, ""
		}
		if targets.Get(t.Target) != nil {
			return "", nil, nil, ""
		}
		var names []string
		for _, m := range targets.Members {
			names = append(names, m.Key)
		}
		return fmt.Sprintf("names target %s, which application %s does not define", unit.QuoteKey(t.Target), unit.QuoteKey(t.Name)), names,
			func(s string) string { return "applications/" + t.Name + "/" + s }, ""
	case unit.PassUpstream:
		if c.Upstream(t.Name) != nil {
			return "", nil, nil, ""
		}
		var names []string
		if ups := c.Root.Get("upstreams"); ups != nil && ups.Kind == unit.Object {
			for _, m := range ups.Members {
				names = append(names, m.Key)
			}
		}
		return fmt.Sprintf("names upstream %s, which is not defined", unit.QuoteKey(t.Name)), names,
			func(s string) string { return "upstreams/" + s }, ""
	}
	routes := c.Root.Get("routes")
	switch {
	case routes == nil:
		return "needs `routes`, which is not defined", nil, nil, ""
	case t.Name == "" && routes.Kind == unit.Object:
		var names []string
		for _, m := range routes.Members {
			names = append(names, m.Key)
		}
		if len(names) == 1 && !strings.ContainsAny(names[0], "/%$`") {
			return fmt.Sprintf("needs `routes` to be an array, but it is an object of named routes; pass to `routes/%s`", names[0]), nil, nil, "routes/" + names[0]
		}
		return "needs `routes` to be an array, but it is an object of named routes; pass to `routes/NAME`", nil, nil, ""
	case t.Name != "" && routes.Kind == unit.Array:
		return "names a route, but `routes` is an array of steps; pass to `routes`", nil, nil, "routes"
	case t.Name != "" && routes.Kind == unit.Object && routes.Get(t.Name) == nil:
		var names []string
		for _, m := range routes.Members {
			names = append(names, m.Key)
		}
		return fmt.Sprintf("names route %s, which is not defined", unit.QuoteKey(t.Name)), names,
			func(s string) string { return "routes/" + s }, ""
	}
	return "", nil, nil, ""
}

func suffix(name, target string) string {
	if target != "" {
		return name + "/" + target
	}
	return name
}

func appNames(c *unit.Config) []string {
	var out []string
	for _, a := range c.Applications() {
		out = append(out, a.Name)
	}
	return out
}
