package rules

import (
	"fmt"
	"strings"

	"github.com/wslint/wslint/lint"
)

// UnusedSuppression reports suppressions that no longer match a finding,
// with a safe fix that deletes them (or just the unused rules of a list).
var UnusedSuppression = &lint.Rule{
	ID:       "WS902",
	Name:     "unused-suppression",
	Lang:     lint.Meta,
	Severity: lint.Info,
	Default:  true,
	Check:    checkUnusedSuppression,
	Window:   lint.WindowEvery, // a file-wide suppression may be used by any server block
	Doc: lint.Doc{
		Summary: "a `wslint:ignore` comment matches no finding",
		Why: "A suppression outlives the problem it excused: after the fix, it silences the next finding of " +
			"that rule on that line (a reverted fix, a new header copied in) without review, behind a " +
			"reason that no longer applies. The named rules are judged whether or not they are enabled, " +
			"so disabling a rule never makes its suppressions look unused.",
		Bad: "location /ws/ {\n    # wslint:ignore WS201 the app pings every 20s\n    proxy_pass http://127.0.0.1:8000;\n" +
			"    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection \"upgrade\";\n" +
			"    proxy_read_timeout 1h;\n}\n",
		Good: "location /ws/ {\n    proxy_pass http://127.0.0.1:8000;\n" +
			"    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection \"upgrade\";\n" +
			"    proxy_read_timeout 1h;\n}\n",
		FixSafety: "Safe: the fix deletes only the suppression (its line when it stands alone), or only the " +
			"unused rules of its list, keeping the reason and any comment after it. nginx ignores comments, " +
			"and wslint judged the named rules with the same options. Under other options (another " +
			"`nginx_version` or `--ws-path`) the suppression may be needed again.",
		References: []string{
			"https://staticcheck.dev/docs/configuration/#ignoring-problems",
			"https://docs.astral.sh/ruff/rules/unused-noqa/",
		},
	},
}

func checkUnusedSuppression(p *lint.Pass) (out []lint.Finding) {
	for _, s := range p.Suppressions() {
		if !s.Valid() {
			continue // WS901
		}
		var idx []int
		var keys, rules []string
		for i, r := range s.Rules {
			if r.Rule != nil && r.Rule.Lang != lint.Meta && r.Judged && !r.Used {
				idx = append(idx, i)
				keys = append(keys, "`"+r.Key+"`")
				rules = append(rules, r.Rule.ID+" ("+r.Rule.Name+")")
			}
		}
		if len(idx) == 0 {
			continue
		}
		span := s.Rules[idx[0]].Span
		span.End = s.Rules[idx[len(idx)-1]].Span.End
		verb, verb2 := "suppresses", "reports"
		if len(idx) > 1 {
			verb, verb2 = "suppress", "report"
		}
		f := p.Finding(span, "%s %s nothing: %s %s no finding %s", strings.Join(keys, ", "), verb, strings.Join(rules, ", "), verb2, where(s))
		if len(idx) == len(s.Rules) {
			out = append(out, f.WithFix(lint.Safe, "Delete the unused suppression", s.Delete()))
		} else {
			out = append(out, f.WithFix(lint.Safe, fmt.Sprintf("Remove %s from the suppression", strings.Join(keys, ", ")), s.Without(idx...)))
		}
	}
	return out
}

// where names what a suppression covers.
func where(s *lint.Suppression) string {
	lines := s.Lines()
	switch {
	case s.FileWide:
		return "in this file"
	case s.OwnLine && len(lines) == 2:
		return fmt.Sprintf("on line %d", lines[1])
	case s.OwnLine:
		return "below it"
	}
	return "on this line"
}
