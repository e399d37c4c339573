package rules

import (
	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
)

// problems reports the loader's problems of one kind as findings.
func problems(p *lint.Pass, kind nginx.ProblemKind) []lint.Finding {
	var out []lint.Finding
	if kind == nginx.ProblemParserMismatch {
		p.Nginx.CrossCheck()
	}
	for _, pr := range p.Nginx.Problems {
		if pr.Kind == kind {
			out = append(out, p.Finding(pr.Span, "%s", pr.Message))
		}
	}
	return out
}
