package lint

import (
	"fmt"
	"sort"
	"strings"
)

// validID reports whether id is WS and three digits.
func validID(id string) bool {
	if len(id) != 5 || !strings.HasPrefix(id, "WS") {
		return false
	}
	for _, c := range id[2:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// validName reports whether name is kebab-case: lowercase letters and
// digits in one to six words. style.md asks for at most 4 words, but the
// catalogue (rules.md) fixes some longer names (WS508), and names are
// users' handles.
func validName(name string) bool {
	words := strings.Split(name, "-")
	if len(words) > 6 {
		return false
	}
	for _, w := range words {
		if w == "" {
			return false
		}
		for _, c := range w {
			if (c < 'a' || c > 'z') && (c < '0' || c > '9') {
				return false
			}
		}
	}
	return true
}

// Registry is the validated set of rules.
type Registry struct {
	rules []*Rule
	byKey map[string]*Rule
}

// NewRegistry checks the rules: IDs well-formed and unique, names
// kebab-case and unique, documentation and Check present.
func NewRegistry(rules ...*Rule) (*Registry, error) {
	r, errs := build(rules)
	for _, rule := range rules {
		errs = append(errs, problems(rule)...)
	}
	if len(errs) > 0 {
		return r, fmt.Errorf("invalid rule registry:\n  %s", strings.Join(errs, "\n  "))
	}
	return r, nil
}

// MustRegistry is NewRegistry for the built-in rules, whose validity a
// test proves (rules' TestRegistry): it builds the index but leaves the
// documentation checks to that test, which keeps them out of every
// program start (they read every rule's text). A duplicate key still
// panics: it would make a rule unreachable.
func MustRegistry(rules ...*Rule) *Registry {
	r, errs := build(rules)
	if len(errs) > 0 {
		panic(fmt.Sprintf("invalid rule registry:\n  %s", strings.Join(errs, "\n  ")))
	}
	return r
}

// build indexes rules by lowercase ID and by name, sorted by ID; errs
// lists the keys given twice.
func build(rules []*Rule) (r *Registry, errs []string) {
	r = &Registry{byKey: make(map[string]*Rule, 2*len(rules)), rules: make([]*Rule, 0, len(rules))}
	for _, rule := range rules {
		for _, key := range [2]string{strings.ToLower(rule.ID), rule.Name} {
			if _, dup := r.byKey[key]; dup {
				errs = append(errs, fmt.Sprintf("%s: duplicate ID or name %q", rule.ID, key))
			}
			r.byKey[key] = rule
		}
		if rule.registry == nil {
			rule.registry = r // suppressions resolve names through it
		}
		r.rules = append(r.rules, rule)
	}
	sort.SliceStable(r.rules, func(i, j int) bool { return r.rules[i].ID < r.rules[j].ID })
	return r, errs
}

// problems lists what is wrong with one rule on its own.
func problems(rule *Rule) []string {
	var errs []string
	if !validID(rule.ID) {
		errs = append(errs, fmt.Sprintf("rule %q: ID must match WS and three digits", rule.ID))
	}
	if !validName(rule.Name) {
		errs = append(errs, fmt.Sprintf("%s: name %q must be kebab-case, at most 6 words", rule.ID, rule.Name))
	}
	d := rule.Doc
	for _, f := range [...]struct{ field, v string }{{"Summary", d.Summary}, {"Why", d.Why}, {"Bad", d.Bad}, {"Good", d.Good}} {
		if strings.TrimSpace(f.v) == "" {
			errs = append(errs, fmt.Sprintf("%s: Doc.%s is empty", rule.ID, f.field))
		}
	}
	if len(d.Summary) > 70 || strings.HasSuffix(d.Summary, ".") {
		errs = append(errs, fmt.Sprintf("%s: Doc.Summary must be at most 70 characters, without final period", rule.ID))
	}
	if len(d.References) == 0 {
		errs = append(errs, fmt.Sprintf("%s: Doc.References is empty", rule.ID))
	}
	if rule.Check == nil {
		errs = append(errs, fmt.Sprintf("%s: Check is nil", rule.ID))
	}
	if rule.Severity < Info || rule.Severity > Error {
		errs = append(errs, fmt.Sprintf("%s: invalid severity", rule.ID))
	}
	return errs
}

// All returns every rule sorted by ID.
func (r *Registry) All() []*Rule { return r.rules }

// Lookup finds a rule by ID or name, case-insensitively.
func (r *Registry) Lookup(key string) (*Rule, bool) {
	rule, ok := r.byKey[strings.ToLower(key)]
	return rule, ok
}

// Select returns the rules to run: the default preset (or all rules when
// all is set), plus enable, minus disable. Unknown keys are an error
// listing the valid choices.
func (r *Registry) Select(all bool, enable, disable []string) ([]*Rule, error) {
	on := map[*Rule]bool{}
	for _, rule := range r.rules {
		if (all || rule.Default) && rule.Deprecated == "" {
			on[rule] = true
		}
	}
	for _, list := range []struct {
		keys []string
		val  bool
	}{{enable, true}, {disable, false}} {
		for _, k := range list.keys {
			for _, key := range strings.Split(k, ",") {
				key = strings.TrimSpace(key)
				if key == "" {
					continue
				}
				if key == "all" {
					for _, rule := range r.rules {
						on[rule] = list.val
					}
					continue
				}
				rule, ok := r.Lookup(key)
				if !ok {
					return nil, fmt.Errorf("unknown rule %q; valid rules: %s", key, r.ids())
				}
				on[rule] = list.val
			}
		}
	}
	var out []*Rule
	for _, rule := range r.rules {
		if on[rule] {
			out = append(out, rule)
		}
	}
	return out, nil
}

func (r *Registry) ids() string {
	ids := make([]string, len(r.rules))
	for i, rule := range r.rules {
		ids[i] = rule.ID + " (" + rule.Name + ")"
	}
	return strings.Join(ids, ", ")
}
