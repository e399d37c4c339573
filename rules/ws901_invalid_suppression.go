package rules

import (
	"strings"

	"github.com/wslint/wslint/lint"
)

// InvalidSuppression reports `wslint:ignore` comments that suppress nothing
// because they are malformed: no reason, no rule, an unknown rule, an engine
// rule, or a misspelt directive.
var InvalidSuppression = &lint.Rule{
	ID:       "WS901",
	Name:     "invalid-suppression",
	Lang:     lint.Meta,
	Severity: lint.Warning,
	Default:  true,
	Check:    checkInvalidSuppression,
	Doc: lint.Doc{
		Summary: "a `wslint:ignore` comment is malformed and suppresses nothing",
		Why: "A suppression needs a known rule and a reason. Without a reason (or with a rule ID that " +
			"does not exist, an engine rule, or a misspelt `wslint:ingore`) it is not applied: the finding " +
			"it was written for still fails the build, and a reviewer cannot tell why the exception was " +
			"made. The reason is the review record, as in staticcheck's `//lint:ignore`.",
		Bad: "location /ws/ {\n    # wslint:ignore WS201\n    proxy_pass http://127.0.0.1:8000;\n" +
			"    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection \"upgrade\";\n}\n",
		Good: "location /ws/ {\n    # wslint:ignore WS201 the app pings every 20s\n    proxy_pass http://127.0.0.1:8000;\n" +
			"    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection \"upgrade\";\n}\n",
		FixSafety: "No fix: only the author knows the reason, or which rule was meant (the message suggests the nearest one).",
		References: []string{
			"https://staticcheck.dev/docs/configuration/#ignoring-problems",
			"https://golangci-lint.run/usage/linters/#nolintlint",
		},
	},
}

func checkInvalidSuppression(p *lint.Pass) (out []lint.Finding) {
	for _, s := range p.Suppressions() {
		if !s.Known() {
			want := "ignore"
			if strings.Contains(strings.ToLower(s.Directive), "file") {
				want = "ignore-file"
			}
			out = append(out, p.Finding(s.DirectiveSpan, "unknown directive `wslint:%s` suppresses nothing; did you mean `wslint:%s`?", s.Directive, want))
			continue
		}
		if len(s.Rules) == 0 {
			out = append(out, p.Finding(s.Span, "`%s` names no rule, so it suppresses nothing; write `# wslint:%s WS201 <reason>`", s.Span.Text(), s.Directive))
			continue
		}
		for _, r := range s.Rules {
			switch {
			case r.Rule == nil && r.Suggest != "":
				out = append(out, p.Finding(r.Span, "`%s` is not a wslint rule, so nothing is suppressed for it; did you mean `%s`?", r.Key, r.Suggest))
			case r.Rule == nil:
				out = append(out, p.Finding(r.Span, "`%s` is not a wslint rule, so nothing is suppressed for it; `wslint rules --all` lists the rules", r.Key))
			case r.Rule.Lang == lint.Meta:
				out = append(out, p.Finding(r.Span, "`%s` (%s) is an engine rule and cannot be suppressed; disable it in .wslint.yaml instead", r.Key, r.Rule.Name))
			}
		}
		if s.Reason == "" {
			out = append(out, p.Finding(s.Span, "`%s` has no reason, so it suppresses nothing; say why after the rule list: `%s <reason>`", s.Span.Text(), s.Span.Text()))
		}
	}
	return out
}
