package lint

import (
	"fmt"
	"sort"
	"strings"
)

// ValidateRuleOptions checks per-rule options (keyed by rule ID, as
// Pass.Option reads them) against rules, once at start-up: a key must name
// one of the rules, the rule must take options, and its ValidateOptions must
// accept them. The error names the rule and lists the rules that take options.
func ValidateRuleOptions(rules []*Rule, ruleOptions map[string]map[string]any) error {
	byID := map[string]*Rule{}
	var takers []string
	for _, r := range rules {
		byID[r.ID] = r
		if r.ValidateOptions != nil {
			takers = append(takers, r.ID+" ("+r.Name+")")
		}
	}
	ids := make([]string, 0, len(ruleOptions))
	for id := range ruleOptions {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		r, ok := byID[id]
		switch {
		case !ok:
			return fmt.Errorf("options for unknown rule %q; rules with options: %s", id, strings.Join(takers, ", "))
		case r.ValidateOptions == nil:
			if len(ruleOptions[id]) == 0 {
				continue
			}
			return fmt.Errorf("rule %s (%s) takes no options; rules with options: %s", r.ID, r.Name, strings.Join(takers, ", "))
		}
		if err := r.ValidateOptions(ruleOptions[id]); err != nil {
			return fmt.Errorf("options of rule %s (%s): %w", r.ID, r.Name, err)
		}
	}
	return nil
}
