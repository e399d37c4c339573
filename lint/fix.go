package lint

import (
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
)

// MaxFixRounds bounds the fix loop.
const MaxFixRounds = 10

// FixResult is the outcome of fixing a set of files.
type FixResult struct {
	// Changed maps a file's path to its fixed bytes, for files that changed.
	Changed map[string][]byte
	// Applied lists the fixes applied, by rule ID, in order.
	Applied []string
	// Remaining are the findings left after the last round (internal
	// errors of the fix loop included).
	Remaining []Finding
	// Files are the files of the last round, for positions of Remaining.
	Files []*source.File
}

// FixNginx applies fixes at or above level to roots (and files they
// include), re-linting until nothing applies or MaxFixRounds is reached.
func FixNginx(rules []*Rule, roots []*source.File, load nginx.LoadOptions, opts *Options, level Applicability) *FixResult {
	res := &FixResult{Changed: map[string][]byte{}}
	read := load.ReadFile
	load.ReadFile = func(path string) ([]byte, error) {
		if b, ok := res.Changed[absPath(path)]; ok {
			return b, nil
		}
		if read == nil {
			return readFile(path)
		}
		return read(path)
	}
	cur := roots
	var internal []Finding
	for round := 0; ; round++ {
		cfg := nginx.Load(cur, load)
		findings := RunNginx(rules, cfg, opts)
		if opts.stopped() { // incomplete: the caller discards it
			res.Remaining, res.Files = findings, cfg.Files
			break
		}
		before := syntaxOK(cfg)
		plan, bad := planFixes(findings, level)
		plan = firstFixes(plan, rules)
		internal = append(internal, bad...)
		if len(plan) == 0 {
			res.Remaining = append(findings, internal...)
			res.Files = cfg.Files
			break
		}
		if round == MaxFixRounds {
			ids := map[string]bool{}
			for _, f := range plan {
				ids[f.RuleID] = true
			}
			res.Remaining = append(findings, append(internal, Finding{RuleID: InternalErrorID, Name: "internal-error", Severity: Error,
				Span: source.Span{File: cfg.Files[0]}, Message: fmt.Sprintf("fixes did not converge after %d rounds; still firing: %s", MaxFixRounds, keys(ids))})...)
			res.Files = cfg.Files
			break
		}
		byFile := map[*source.File][]source.TextEdit{}
		var order []*source.File
		for _, f := range plan {
			file := f.Fixes[0].Edits[0].File
			if _, ok := byFile[file]; !ok {
				order = append(order, file)
			}
			byFile[file] = append(byFile[file], f.Fixes[0].Edits...)
			res.Applied = append(res.Applied, f.RuleID)
		}
		next := append([]*source.File(nil), cur...)
		for _, file := range order {
			out := source.ApplyEdits(file.Data, byFile[file])
			nf := source.NewFile(file.Path, out)
			if before && !syntaxOK(nginx.Load([]*source.File{nf}, nginx.LoadOptions{NoIncludes: true})) {
				internal = append(internal, Finding{RuleID: InternalErrorID, Name: "internal-error", Severity: Error, Span: source.Span{File: file},
					Message: fmt.Sprintf("fixes by %s would break the syntax of %s; not applied", rulesOf(plan, file), file.Path)})
				continue
			}
			res.Changed[absPath(file.Path)] = out
			for i, r := range next {
				if r.Path == file.Path {
					next[i] = nf
				}
			}
		}
		cur = next
	}
	// Report paths as the user named them.
	named := map[string][]byte{}
	for _, f := range res.Files {
		if b, ok := res.Changed[absPath(f.Path)]; ok {
			named[f.Path] = b
		}
	}
	res.Changed = named
	return res
}

func syntaxOK(cfg *nginx.Config) bool {
	for _, p := range cfg.Problems {
		if p.Kind == nginx.ProblemSyntax {
			return false
		}
	}
	return true
}

// firstFixes keeps, of a plan that holds fixes of FixFirst rules, only
// those. The other fixes were computed on the text before them and may
// contradict what they make of it: a `proxy_set_header Host $host` added
// beside a misspelt `proXY_set_header Host ...` that WS002's rename
// restores sends Host twice. The next round plans them on the result.
func firstFixes(plan []Finding, rules []*Rule) []Finding {
	first := func(f Finding) bool {
		return slices.ContainsFunc(rules, func(r *Rule) bool { return r.FixFirst && r.ID == f.RuleID })
	}
	if !slices.ContainsFunc(plan, first) {
		return plan
	}
	return slices.DeleteFunc(plan, func(f Finding) bool { return !first(f) })
}

// planFixes picks, in (offset, rule) order, the first fix of each finding
// at or above level whose edits are valid and do not overlap one already
// picked. An invalid fix is a rule bug: it becomes a WS999 finding.
func planFixes(findings []Finding, level Applicability) (plan []Finding, bad []Finding) {
	var cands []Finding
	for _, f := range findings {
		if len(f.Fixes) == 0 || f.Fixes[0].Applies < level {
			continue
		}
		if err := source.ValidateEdits(f.Fixes[0].Edits); err != nil {
			bad = append(bad, Finding{RuleID: InternalErrorID, Name: "internal-error", Severity: Error, Span: f.Span,
				Message: fmt.Sprintf("rule %s produced an invalid fix: %v", f.RuleID, err)})
			continue
		}
		cands = append(cands, f)
	}
	sort.SliceStable(cands, func(i, j int) bool {
		a, b := source.SortedEdits(cands[i].Fixes[0].Edits)[0], source.SortedEdits(cands[j].Fixes[0].Edits)[0]
		if a.File != b.File {
			return a.File.Path < b.File.Path
		}
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		return cands[i].RuleID < cands[j].RuleID
	})
	var taken []source.TextEdit
next:
	for _, f := range cands {
		for _, e := range f.Fixes[0].Edits {
			for _, t := range taken {
				if t.File == e.File && t == e {
					continue next // the same edit is already applied by another fix
				}
				if t.File == e.File && overlaps(t, e) {
					continue next // retried next round
				}
			}
		}
		taken = append(taken, f.Fixes[0].Edits...)
		plan = append(plan, f)
	}
	return plan, bad
}

// overlaps reports whether two edits conflict: they touch the same bytes,
// or both insert at one offset (two fixes adding lines at the same place
// may add the same line twice, as when one copies inherited headers and
// another adds Host). The later fix is retried next round, against text
// that already has the first one.
func overlaps(a, b source.TextEdit) bool {
	if a.Start == a.End && b.Start == b.End {
		return a.Start == b.Start
	}
	return a.Start < b.End && b.Start < a.End
}

func rulesOf(plan []Finding, file *source.File) string {
	ids := map[string]bool{}
	for _, f := range plan {
		if f.Fixes[0].Edits[0].File == file {
			ids[f.RuleID] = true
		}
	}
	return keys(ids)
}

func keys(m map[string]bool) string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

func absPath(p string) string {
	if p == "-" {
		return p
	}
	a, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return a
}
