package lint

// RuleDocument is a rule's documentation as a JSON document, in the order of
// `wslint explain` (schemas/api/rule.schema.json): what GET /api/v1/rules
// serves, rendered from the registry.
type RuleDocument struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	Language   string   `json:"language"`
	Severity   string   `json:"severity"`
	Default    bool     `json:"default"`
	Fixable    bool     `json:"fixable"`
	Deprecated string   `json:"deprecated,omitempty"`
	Summary    string   `json:"summary"`
	Why        string   `json:"why"`
	Bad        string   `json:"bad"`
	Good       string   `json:"good"`
	FixSafety  string   `json:"fix_safety"`
	References []string `json:"references"`
}

// NewRuleDocument renders r's documentation.
func NewRuleDocument(r *Rule) RuleDocument {
	refs := r.Doc.References
	if refs == nil {
		refs = []string{}
	}
	return RuleDocument{
		ID: r.ID, Name: r.Name, Language: r.Lang.String(), Severity: r.Severity.String(),
		Default: r.Default, Fixable: r.Fixable(), Deprecated: r.Deprecated,
		Summary: r.Doc.Summary, Why: r.Doc.Why, Bad: r.Doc.Bad, Good: r.Doc.Good,
		FixSafety: r.Doc.FixSafety, References: refs,
	}
}
