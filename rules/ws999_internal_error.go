package rules

import (
	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
)

// InternalError is reported by the engine when a rule panics, a fix is
// invalid or does not converge, or the parser cross-check disagrees.
var InternalError = &lint.Rule{
	ID:       lint.InternalErrorID,
	Name:     "internal-error",
	Lang:     lint.Meta,
	Severity: lint.Error,
	Default:  true,
	Check:    func(p *lint.Pass) []lint.Finding { return problems(p, nginx.ProblemParserMismatch) },
	Doc: lint.Doc{
		Summary: "wslint itself failed on this input; the other rules still ran",
		Why: "A rule crashed, produced an invalid fix, fixes did not converge in 10 rounds, or the two " +
			"parsers disagreed about the file. Results for this input may be incomplete. Please report " +
			"it with the input (exit code 3).",
		Bad:        "# any input that makes a rule crash\n",
		Good:       "# the same input after the bug is fixed\n",
		FixSafety:  "No fix: this is a bug in wslint.",
		References: []string{"https://github.com/wslint/wslint/issues"},
	},
}
