package lint

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"slices"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
)

// parallelMin is the input size from which rules run in parallel.
const parallelMin = 256 << 10

// InternalErrorID is the rule ID of engine failures.
const InternalErrorID = "WS999"

// Debug adds stack traces to internal-error findings.
var Debug = false

// RunNginx runs the nginx rules among rules over cfg. A rule that panics
// becomes a WS999 finding; the other rules still run. Findings covered by a
// `# wslint:ignore` comment are dropped; the Meta rules run last and see
// the suppressions (WS901, WS902).
func RunNginx(rules []*Rule, cfg *nginx.Config, opts *Options) []Finding {
	return runNginx(rules, cfg, opts, false)
}

// runNginx is RunNginx; parallel runs the rules in parallel whatever the
// input's size (a windowed lint's windows are large inputs).
func runNginx(rules []*Rule, cfg *nginx.Config, opts *Options, parallel bool) []Finding {
	if opts == nil {
		opts = &Options{NginxVersion: nginx.DefaultVersion}
	}
	// Build everything lazy once, so the rules can run in parallel.
	cfg.Freeze()
	if opts.stopped() {
		return nil
	}
	ws := cfg.WebSocketLocations(nginx.WSOptions{Paths: opts.WSPaths, Endpoint: opts.Endpoint})
	if ws == nil {
		ws = []nginx.WSLocation{}
	}
	shared := &ws
	comments := map[*source.File][]source.Span{}
	for _, f := range cfg.Files {
		for _, c := range cfg.Comments[f] {
			comments[f] = append(comments[f], c.Span)
		}
	}
	size := 0
	for _, f := range cfg.Files {
		size += len(f.Data)
	}
	// Rules run in parallel on large inputs only: on small ones (the web
	// service's) goroutines cost more than they save, and requests are
	// already concurrent.
	parallel = parallel || size >= parallelMin
	return runRulesIn(rules, Nginx, cfg.Files, comments, opts, parallel, func(r *Rule) Pass {
		return Pass{Rule: r, Nginx: cfg, Opts: opts, ws: shared}
	})
}

// runRules is the engine core of every language: run the rules of lang,
// drop the findings that suppressions in comments cover, run the Meta
// rules with the suppression state, apply severity overrides, and sort.
// newPass makes the pass of one rule over the loaded configuration.
func runRules(rules []*Rule, lang Lang, files []*source.File, comments map[*source.File][]source.Span, opts *Options, newPass func(*Rule) Pass) []Finding {
	return runRulesIn(rules, lang, files, comments, opts, false, newPass)
}

// runRulesIn is runRules; with parallel set, the rules of lang run on
// GOMAXPROCS goroutines (their configuration must be frozen: rules are
// pure functions over it). Results are merged in rule order.
func runRulesIn(rules []*Rule, lang Lang, files []*source.File, comments map[*source.File][]source.Span, opts *Options, parallel bool, newPass func(*Rule) Pass) []Finding {
	langRules := make([]*Rule, 0, len(rules))
	var meta []*Rule
	for _, r := range rules {
		switch r.Lang {
		case Meta:
			meta = append(meta, r)
		case lang:
			langRules = append(langRules, r)
		}
	}
	results := make([][]Finding, len(langRules))
	passes := make([]Pass, len(langRules)) // one allocation, not one a rule
	workers := 1
	if parallel {
		workers = min(runtime.GOMAXPROCS(0), len(langRules))
	}
	run := func(i int) {
		if opts.stopped() {
			return // the caller has given up: what is left is not run
		}
		passes[i] = newPass(langRules[i])
		results[i] = runCheck(&passes[i], files)
	}
	if workers == 1 {
		for i := range langRules {
			run(i)
		}
	} else {
		var next atomic.Int64
		work := func() {
			for i := int(next.Add(1) - 1); i < len(langRules); i = int(next.Add(1) - 1) {
				run(i)
			}
		}
		var wg sync.WaitGroup
		for w := 1; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				work()
			}()
		}
		work() // on the caller's goroutine too
		wg.Wait()
	}
	n := 0
	for _, r := range results {
		n += len(r)
	}
	out := make([]Finding, 0, n)
	for _, r := range results {
		out = append(out, r...)
	}
	sup := newSuppressions(rules, comments, files)
	out = sup.filter(out, func(r *Rule) bool {
		return slices.ContainsFunc(langRules, func(x *Rule) bool { return x.ID == r.ID })
	})
	sup.judge = func(r *Rule) []Finding {
		if r.Lang != lang {
			return nil
		}
		p := newPass(r)
		return runCheck(&p, files)
	}
	metaPasses := make([]Pass, len(meta))
	for i, r := range meta {
		if opts.stopped() {
			break
		}
		metaPasses[i] = newPass(r)
		metaPasses[i].sup = sup
		out = append(out, runCheck(&metaPasses[i], files)...)
	}
	for i := range out {
		if s, ok := opts.Severities[out[i].RuleID]; ok {
			out[i].Severity = s
		}
	}
	return Sort(out, files)
}

func runCheck(p *Pass, files []*source.File) (out []Finding) {
	defer func() {
		if v := recover(); v != nil {
			msg := fmt.Sprintf("rule %s (%s) crashed: %v", p.Rule.ID, p.Rule.Name, v)
			if Debug {
				msg += "\n" + string(debug.Stack())
			}
			var span source.Span
			if len(files) > 0 {
				span = source.Span{File: files[0]}
			}
			out = []Finding{{RuleID: InternalErrorID, Name: "internal-error", Severity: Error, Span: span, Message: msg}}
		}
	}()
	return p.Rule.Check(p)
}

// Sort orders findings by file (in the order given), position and rule, and
// drops exact duplicates (a file included at several places is reported once).
func Sort(fs []Finding, files []*source.File) []Finding {
	order := map[*source.File]int{}
	for i, f := range files {
		order[f] = i
	}
	rank := func(f *source.File) int {
		if i, ok := order[f]; ok {
			return i
		}
		return len(order)
	}
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if ra, rb := rank(a.Span.File), rank(b.Span.File); ra != rb {
			return ra < rb
		}
		if a.Span.Start != b.Span.Start {
			return a.Span.Start < b.Span.Start
		}
		if a.RuleID != b.RuleID {
			return a.RuleID < b.RuleID
		}
		return a.Message < b.Message
	})
	out := fs[:0]
	for i, f := range fs {
		if i > 0 {
			p := fs[i-1]
			if p.RuleID == f.RuleID && p.Span == f.Span && p.Message == f.Message {
				continue
			}
		}
		out = append(out, f)
	}
	return out
}
