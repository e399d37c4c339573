package lint

import (
	"fmt"
	"strings"

	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
	"github.com/wslint/wslint/lint/unit"
)

// IsUnitFile reports whether Run reads f as an NGINX Unit /config document
// under kind k. KindAuto decides by content (unit.LooksLikeUnit) and, for
// files named *.json, by syntax: one that Unit's reader accepts, or that
// starts with `{` or `[` (so a Unit file with a syntax error gets WS500,
// not nginx's "unexpected {").
func IsUnitFile(f *source.File, k Kind) bool {
	switch k {
	case KindUnit:
		return true
	case KindNginx:
		return false
	}
	if unit.LooksLikeUnit(f.Data) {
		return true
	}
	if !strings.HasSuffix(strings.ToLower(f.Path), ".json") {
		return false
	}
	if unit.Load(f).SyntaxOK() {
		return true
	}
	for _, c := range blankComments(f) {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		case '{', '[':
			return true
		}
		return false
	}
	return false
}

// blankComments returns f's bytes with a BOM and leading // and /* */
// comments replaced by spaces (only what precedes the first value matters).
func blankComments(f *source.File) []byte {
	b := append([]byte(nil), f.Data...)
	i := 0
	if len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		b[0], b[1], b[2] = ' ', ' ', ' '
		i = 3
	}
	for i < len(b) {
		switch {
		case b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n':
			i++
		case b[i] == '/' && i+1 < len(b) && b[i+1] == '/':
			for i < len(b) && b[i] != '\n' {
				b[i] = ' '
				i++
			}
		case b[i] == '/' && i+1 < len(b) && b[i+1] == '*':
			for i < len(b) && !(b[i] == '*' && i+1 < len(b) && b[i+1] == '/') {
				b[i] = ' '
				i++
			}
			for j := 0; j < 2 && i < len(b); j++ {
				b[i] = ' '
				i++
			}
		default:
			return b
		}
	}
	return b
}

// splitInput separates the input's nginx files from its Unit files.
func splitInput(in Input) (ngx, units []*source.File, isUnit map[*source.File]bool) {
	isUnit = map[*source.File]bool{}
	for _, f := range in.Files {
		if IsUnitFile(f, in.Kind) {
			units = append(units, f)
			isUnit[f] = true
		} else {
			ngx = append(ngx, f)
		}
	}
	return ngx, units, isUnit
}

// mergeFiles orders the files of a mixed run: the inputs in input order
// (nginx roots and Unit files as named, through pick), then the files
// nginx includes, in load order.
func mergeFiles(inputs []*source.File, isUnit map[*source.File]bool, ngxFiles, unitFiles []*source.File, nroots int) []*source.File {
	var out []*source.File
	ni, ui := 0, 0
	for _, f := range inputs {
		switch {
		case isUnit[f] && ui < len(unitFiles):
			out = append(out, unitFiles[ui])
			ui++
		case !isUnit[f] && ni < len(ngxFiles) && ni < nroots:
			out = append(out, ngxFiles[ni])
			ni++
		}
	}
	if nroots < len(ngxFiles) {
		out = append(out, ngxFiles[nroots:]...)
	}
	return out
}

// RunUnit runs the Unit rules among rules over one Unit document, as
// RunNginx does for nginx: a rule that panics becomes WS999, suppression
// comments (`// wslint:ignore ...`) drop what they cover, the Meta rules
// run last, findings are sorted.
func RunUnit(rules []*Rule, cfg *unit.Config, opts *Options) []Finding {
	if opts == nil {
		opts = DefaultOptions()
	}
	if cfg == nil || cfg.File == nil {
		return nil
	}
	files := []*source.File{cfg.File}
	comments := map[*source.File][]source.Span{cfg.File: cfg.Comments}
	return runRules(rules, Unit, files, comments, opts, func(r *Rule) Pass {
		p := Pass{Rule: r, Unit: cfg, Opts: opts}
		if r.Lang == Meta {
			p.Nginx = &nginx.Config{} // Meta rules may look at nginx loader problems: there are none
		}
		return p
	})
}

// UnitWebSocketRoutes returns the Unit configuration's WebSocket routes
// with their evidence (unit-semantics.md §14.4), under the run's
// --ws-path and endpoint knowledge base.
func (p *Pass) UnitWebSocketRoutes() []unit.WSRoute {
	return p.Unit.WebSocketRoutes(unit.WSOptions{Paths: p.Opts.WSPaths, Endpoint: p.Opts.Endpoint})
}

// FixUnit applies fixes at or above level to Unit documents, each on its
// own, with FixNginx's guarantees: the fixes planned by planFixes (valid,
// non-overlapping, first fix of each finding), applied in one pass,
// re-parsed (a result Unit's reader rejects, or one with a new duplicate
// key, is not written: WS999), re-linted until nothing applies, at most
// MaxFixRounds rounds. A fix that would edit a comment is refused (WS999).
func FixUnit(rules []*Rule, files []*source.File, opts *Options, level Applicability) *FixResult {
	res := &FixResult{Changed: map[string][]byte{}}
	for _, f := range files {
		last, remaining, applied := fixUnitFile(rules, f, opts, level)
		if string(last.Data) != string(f.Data) {
			res.Changed[f.Path] = last.Data
		}
		res.Applied = append(res.Applied, applied...)
		res.Remaining = append(res.Remaining, remaining...)
		res.Files = append(res.Files, last)
	}
	res.Remaining = Sort(res.Remaining, res.Files)
	return res
}

func fixUnitFile(rules []*Rule, f *source.File, opts *Options, level Applicability) (cur *source.File, remaining []Finding, applied []string) {
	cur = f
	var internal []Finding
	for round := 0; ; round++ {
		cfg := unit.Load(cur)
		findings := RunUnit(rules, cfg, opts)
		if opts.stopped() { // incomplete: the caller discards it
			return cur, findings, applied
		}
		plan, bad := planFixes(findings, level)
		internal = append(internal, bad...)
		own, plan := suppressionFixes(plan, rules) // WS902 deletes its own comment
		plan, touching := dropCommentEdits(plan, cfg.Comments)
		plan = append(plan, own...)
		internal = append(internal, touching...)
		if len(plan) == 0 {
			return cur, append(findings, internal...), applied
		}
		if round == MaxFixRounds {
			ids := map[string]bool{}
			for _, p := range plan {
				ids[p.RuleID] = true
			}
			return cur, append(findings, append(internal, Finding{RuleID: InternalErrorID, Name: "internal-error", Severity: Error,
				Span: source.Span{File: cur}, Message: fmt.Sprintf("fixes did not converge after %d rounds; still firing: %s", MaxFixRounds, keys(ids))})...), applied
		}
		var edits []source.TextEdit
		var ids []string
		for _, p := range plan {
			edits = append(edits, p.Fixes[0].Edits...)
			ids = append(ids, p.RuleID)
		}
		next := source.NewFile(cur.Path, source.ApplyEdits(cur.Data, edits))
		if after := unit.Load(next); cfg.SyntaxOK() && (!after.SyntaxOK() || len(after.Problems) > len(cfg.Problems)) {
			internal = append(internal, Finding{RuleID: InternalErrorID, Name: "internal-error", Severity: Error, Span: source.Span{File: cur},
				Message: fmt.Sprintf("fixes by %s would break the JSON of %s; not applied", rulesOf(plan, cur), cur.Path)})
			return cur, append(findings, internal...), applied
		}
		applied = append(applied, ids...)
		cur = next
	}
}

// dropCommentEdits removes the planned fixes that would change a comment:
// a fix never touches one (style.md §6), so such a fix is a rule bug.
func dropCommentEdits(plan []Finding, comments []source.Span) (keep, bad []Finding) {
next:
	for _, p := range plan {
		for _, e := range p.Fixes[0].Edits {
			for _, c := range comments {
				if e.Start < c.End && c.Start < e.End || e.Start == e.End && c.Start < e.Start && e.Start < c.End {
					bad = append(bad, Finding{RuleID: InternalErrorID, Name: "internal-error", Severity: Error, Span: p.Span,
						Message: fmt.Sprintf("rule %s produced a fix that edits a comment; not applied", p.RuleID)})
					continue next
				}
			}
		}
		keep = append(keep, p)
	}
	return keep, bad
}
