package lint

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"sort"

	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
)

// A windowed lint takes a large configuration apart: it lints the
// configuration as written with all but a window of its server blocks left
// out, window after window, so that only one window's tree and model are
// live at a time (a 10k-server file's whole model is about 12 times its
// size). The server blocks at the top of a file or directly in `http` are
// the units (nginx.OutlineServers); what is outside them (the main
// context, http's settings, upstreams, maps, the files included there) is
// in every window.
//
// A window's files are views of the files as written (source.NewView):
// their lines keep their numbers, and findings are mapped back. A finding
// inside a unit is kept from the window that holds the unit; one outside
// every unit is kept from every window that reports it (Sort drops the
// repeats), or, for the rules whose verdict there depends on all the
// blocks, as their Window mode says. What one block defines for the others
// (variables) is gathered from every window first (Gather). What cannot be
// taken apart is linted whole: a file that does not lex, a syntax error, a
// parser cross-check that disagrees, WebSocket paths to follow through
// every block (Options.WSPaths), a configuration that fits in one window.
// TestWindowedSameFindings and FuzzWindowed (rules) hold the windowed
// lint to the whole one's findings.

// winFile is one file of a windowed lint, as written.
type winFile struct {
	orig  *source.File
	units []nginx.ServerSpan
	first int // the index of its first unit in the lint's list
	// blankBefore tells, for each unit but the first, whether only blanks
	// separate it from the one before.
	blankBefore []bool
	bare        *source.File // the file without any unit, once made
}

// size is the length of the file's text in the window [lo, hi).
func (wf *winFile) size(lo, hi int) int {
	n := len(wf.orig.Data)
	for i, u := range wf.units {
		if g := wf.first + i; g < lo || g >= hi {
			n -= u.End - u.Start
		}
	}
	return n
}

// Gathered is a Config.Memo whose value a windowed lint gathers from every
// window before the rules run in any, and presets in each
// (nginx.Config.Preset): what one server block puts in it matters to the
// others. Build makes one window's value, as a rule's check would (the
// same function makes the memo of a whole lint); Merge joins two windows'
// (it may modify and return a).
type Gathered struct {
	Key   any
	Build func(p *Pass) any
	Merge func(a, b any) any
	// Needed tells, from what every window holds (the configuration
	// without its server blocks), whether the gathering is needed; nil
	// means when a server block, or a file one includes, may define a
	// variable (nginx.Outline).
	Needed func(bare *nginx.Config) bool
}

// gathered lists the memos a windowed lint gathers: DefinedVariables, and
// what rules register with Gather.
var gathered = []Gathered{{
	Key:   nginx.DefinedVariablesKey,
	Build: func(p *Pass) any { return p.Nginx.BuildDefinedVariables() },
	Merge: nginx.MergeSets,
}}

// Gather registers a gathered memo. Call it from a package's
// initialization.
func Gather(g Gathered) { gathered = append(gathered, g) }

// windowedRun is the state of one windowed lint.
type windowedRun struct {
	read  func(string) ([]byte, error)
	files map[string]*winFile // by path as the loader names it
	order []*winFile          // in the order first read
	units int
	sizes []int // the size of each unit, by global index
	// defines is set when a unit may define a variable for the others:
	// then the first pass gathers (nginx.Gathered).
	defines bool
	late    bool // the first load is done: a file read now is in a block
	ok      bool // every file read outlined: the lint can go on windowed

	lo, hi  int        // the current window's units
	touched []*winFile // the files the current window holds
}

// file returns the file at path as written, read and outlined once.
func (r *windowedRun) file(path string, data []byte) *winFile {
	if wf := r.files[path]; wf != nil {
		return wf
	}
	return r.add(source.NewFile(path, data))
}

// add outlines orig, a file as written.
func (r *windowedRun) add(orig *source.File) *winFile {
	path := orig.Path
	o, ok := nginx.OutlineServers(orig)
	if !ok {
		r.ok = false
	}
	units := o.Units
	// A file read after the first load is included in a server block:
	// what it defines is that block's.
	r.defines = r.defines || o.Defines || r.late && o.DefinesAnywhere
	wf := &winFile{orig: orig, units: units, first: -1, blankBefore: make([]bool, len(units))}
	for i := 1; i < len(units); i++ {
		wf.blankBefore[i] = source.Blank(orig.Data[units[i-1].End:units[i].Start])
	}
	r.files[path] = wf
	r.order = append(r.order, wf)
	return wf
}

// number gives the units of the files read so far their global indexes, in
// the order the files were first read.
func (r *windowedRun) number() {
	for _, wf := range r.order {
		if wf.first < 0 {
			wf.first = r.units
			r.units += len(wf.units)
			for _, u := range wf.units {
				r.sizes = append(r.sizes, u.End-u.Start)
			}
		}
	}
}

// text returns wf in the current window: a view of it without the units
// outside the window (source.NewView), or wf.orig when it has no unit.
func (r *windowedRun) text(wf *winFile) *source.File {
	r.touched = append(r.touched, wf)
	data := wf.orig.Data
	if len(wf.units) == 0 {
		return wf.orig
	}
	none := wf.first+len(wf.units) <= r.lo || wf.first >= r.hi // no unit in the window
	if none && wf.bare != nil {
		return wf.bare
	}
	out := make([]byte, 0, wf.size(r.lo, r.hi))
	var ps []source.Piece
	prev := 0
	keep := func(o, n int) {
		if n > 0 {
			ps = append(ps, source.Piece{W: len(out), Base: o, N: n})
			out = append(out, data[o:o+n]...)
		}
	}
	for i, u := range wf.units {
		if g := wf.first + i; g >= r.lo && g < r.hi {
			continue // kept with what precedes it
		}
		if i == 0 || prev != wf.units[i-1].End || !wf.blankBefore[i] {
			keep(prev, u.Start-prev)
		} // else the blanks between two units left out go too
		prev = u.End
	}
	keep(prev, len(data)-prev)
	v := source.NewView(wf.orig, out, ps)
	if none {
		wf.bare = v // the same in every window without its units
	}
	return v
}

// readSource is the loader's ReadSource in a window.
func (r *windowedRun) readSource(path string) (*source.File, error) {
	wf := r.files[path]
	if wf == nil {
		data, err := r.read(path)
		if err != nil {
			return nil, err
		}
		wf = r.file(path, data)
		r.number()
	}
	return r.text(wf), nil
}

// window loads the window of the units from lo, about size bytes of them,
// or returns nil after the last window (or when the window cannot be
// linted apart: then r.ok is false). The first window is loaded even when
// there are no units; a size of -1 loads none (what every window holds).
func (r *windowedRun) window(roots []*source.File, load nginx.LoadOptions, lo, size int) *nginx.Config {
	r.number()
	if !r.ok || lo > 0 && lo >= r.units {
		return nil
	}
	hi, n := lo, 0
	for size >= 0 && hi < r.units && (hi == lo || n+r.sizes[hi] <= size) {
		n += r.sizes[hi]
		hi++
	}
	r.lo, r.hi = lo, hi
	r.touched = r.touched[:0]
	wroots := make([]*source.File, len(roots))
	for i, f := range roots {
		wroots[i] = r.text(r.files[f.Path])
	}
	cfg := nginx.Load(wroots, load)
	if !r.ok || !r.valid(cfg) {
		r.ok = false
		return nil
	}
	return cfg
}

// valid reports whether the window's tree is what the outline promised:
// no syntax error (a whole lint stops reading a file at its first, and
// reports nothing past it), and a server block for each unit it holds.
// Otherwise the configuration is linted whole.
func (r *windowedRun) valid(cfg *nginx.Config) bool {
	for _, p := range cfg.Problems {
		if p.Kind == nginx.ProblemSyntax {
			return false
		}
	}
	type block struct {
		f          *source.File
		start, end int
	}
	have := map[block]bool{}
	for _, s := range cfg.Servers() {
		if s.Block == nil || s.Block.Synthetic {
			continue
		}
		sp := r.span(s.Block.Span)
		have[block{sp.File, sp.Start, sp.End}] = true
	}
	for _, wf := range r.touched {
		for i, u := range wf.units {
			if g := wf.first + i; g >= r.lo && g < r.hi && !have[block{wf.orig, u.Block[0], u.Block[1]}] {
				return false
			}
		}
	}
	return true
}

// span maps s from a window's view to the file as written.
func (r *windowedRun) span(s source.Span) source.Span {
	if s.File == nil {
		return s
	}
	f := s.File
	if s.Start == s.End {
		off := f.ToBase(s.Start, false, true)
		return source.Span{File: f.Base(), Start: off, End: off}
	}
	return source.Span{File: f.Base(), Start: f.ToBase(s.Start, false, false), End: f.ToBase(s.End, true, false)}
}

// finding maps every span of f to the files as written.
func (r *windowedRun) finding(f Finding) Finding {
	f.Span = r.span(f.Span)
	if len(f.Related) > 0 {
		rel := make([]Related, len(f.Related))
		for i, x := range f.Related {
			rel[i] = Related{Span: r.span(x.Span), Message: x.Message}
		}
		f.Related = rel
	}
	if len(f.Fixes) > 0 {
		fixes := make([]Fix, len(f.Fixes))
		for i, x := range f.Fixes {
			edits := make([]source.TextEdit, len(x.Edits))
			for j, e := range x.Edits {
				s := r.span(source.Span{File: e.File, Start: e.Start, End: e.End})
				edits[j] = source.TextEdit{File: s.File, Start: s.Start, End: s.End, New: e.New}
			}
			fixes[i] = Fix{Message: x.Message, Applies: x.Applies, Edits: edits}
		}
		f.Fixes = fixes
	}
	return f
}

// unitOf returns the global index of the unit f's span starts in, or -1.
func (r *windowedRun) unitOf(s source.Span) int {
	if s.File == nil {
		return -1
	}
	wf := r.files[s.File.Path]
	if wf == nil || wf.orig != s.File {
		return -1
	}
	i := sort.Search(len(wf.units), func(i int) bool { return wf.units[i].End > s.Start })
	if i < len(wf.units) && wf.units[i].Start <= s.Start {
		return wf.first + i
	}
	return -1
}

// DefaultWindow is the CLI's window: about this many bytes of server
// blocks (Input.Window).
const DefaultWindow = 128 << 10

// worthWindows reports whether roots may need more than one window: they
// are large, or include files that may be.
func worthWindows(roots []*source.File, window int) bool {
	n := 0
	for _, f := range roots {
		n += len(f.Data)
		if bytes.Contains(f.Data, []byte("include")) {
			return true
		}
	}
	return n > window
}

// RunWindowed lints in's nginx files as Run does, in windows of about size
// bytes of server blocks (more for a configuration of more than maxWindows
// such windows). ok is false when the input cannot be taken apart
// (a file does not lex, or the files are not one configuration) or fits
// in one window: then nothing was reported, and Run lints it whole.
//
// A first load holds no window: only what every window holds. The files
// it reads are in every window; one read later is included in a server
// block. When a unit, or a file read later, may define a variable
// (nginx.Outline), a gathering pass goes through the windows before the
// lint, and every window's configuration gets what all of them define.
func RunWindowed(rules []*Rule, in Input, opts *Options, size int) (res *Result, ok bool) {
	roots, load := in.Files, in.Load
	if opts == nil {
		opts = &Options{NginxVersion: nginx.DefaultVersion}
	}
	if len(roots) > 1 {
		return nil, false // Group's business: several main configurations
	}
	if len(opts.WSPaths) > 0 {
		// A WebSocket path is followed through every server block at
		// once (WS116 reports it when none serves it).
		return nil, false
	}
	r := &windowedRun{read: load.ReadFile, files: map[string]*winFile{}, ok: true}
	if r.read == nil {
		r.read = os.ReadFile
	}
	for _, f := range roots {
		r.add(f)
	}
	load.ReadSource = r.readSource
	load.Glob = cachedGlob(load.Glob) // every window expands the same patterns
	load.NoCrossCheck = true
	bare := r.window(roots, load, 0, -1)
	if bare == nil {
		return nil, false
	}
	// The memos to gather whatever the units define (Gathered.Needed).
	needed := make([]bool, len(gathered))
	for i, g := range gathered {
		needed[i] = g.Needed != nil && g.Needed(bare)
	}
	bare = nil
	r.number()
	if r.units == 0 || r.fits(size) {
		return nil, false // one window: Run lints it whole
	}
	// A larger configuration takes larger windows: each window reads every
	// file again (without its blocks) and its memory budget is larger.
	size = max(size, r.unitBytes()/maxWindows)
	r.late = true
	if in.OnWindowed != nil {
		in.OnWindowed(true)
		defer func() {
			if !ok {
				in.OnWindowed(false) // Run lints it whole after all
			}
		}()
	}
	for {
		// Gather what is needed: the memos of variables when a block may
		// define one, the others when what every window holds asks.
		which, gathering := make([]bool, len(gathered)), false
		for i, g := range gathered {
			which[i] = needed[i] || g.Needed == nil && r.defines
			gathering = gathering || which[i]
		}
		defined := r.defines
		var facts []any
		if gathering {
			facts = r.gather(roots, load, opts, size, which, in.AfterWindow)
			if !r.ok {
				return nil, false
			}
		}
		load.NoCrossCheck = false
		res := r.lint(rules, roots, load, opts, size, facts, in.AfterWindow)
		if !r.ok {
			return nil, false
		}
		if r.defines && !defined {
			// A file read in the lint, included in a server block,
			// defines a variable: gather, and lint again.
			load.NoCrossCheck = true
			continue
		}
		return res, true
	}
}

// maxWindows bounds the number of windows: beyond it, windows grow.
const maxWindows = 64

// fits reports whether every unit fits in the first window.
func (r *windowedRun) fits(size int) bool { return r.unitBytes() <= size }

// unitBytes is the size of all the units.
func (r *windowedRun) unitBytes() int {
	n := 0
	for _, s := range r.sizes {
		n += s
	}
	return n
}

// gather runs the gathering pass: the merged value of each gathered memo
// that which marks, over all windows (nil for the others).
func (r *windowedRun) gather(roots []*source.File, load nginx.LoadOptions, opts *Options, size int, which []bool, after func()) []any {
	facts := make([]any, len(gathered))
	for lo := 0; ; lo = r.hi {
		cfg := r.window(roots, load, lo, size)
		if cfg == nil {
			break
		}
		p := &Pass{Nginx: cfg, Opts: opts}
		for i, g := range gathered {
			switch {
			case !which[i]:
			case lo == 0:
				facts[i] = g.Build(p)
			default:
				facts[i] = g.Merge(facts[i], g.Build(p))
			}
		}
		cfg, p = nil, nil
		if after != nil {
			after()
		}
	}
	return facts
}

// lint runs the rules over every window, with the gathered facts, and
// merges the findings.
func (r *windowedRun) lint(rules []*Rule, roots []*source.File, load nginx.LoadOptions, opts *Options, size int, facts []any, after func()) *Result {
	byID := map[string]*Rule{}
	for _, rule := range rules {
		byID[rule.ID] = rule
	}
	var store findingStore // the findings inside units
	type outside struct {
		f       Finding
		windows int
	}
	var seen map[findingKey]*outside
	windows := 0
	for lo := 0; ; lo = r.hi {
		if opts.stopped() {
			break
		}
		cfg := r.window(roots, load, lo, size)
		if cfg == nil {
			break
		}
		for i, g := range gathered {
			if facts != nil && facts[i] != nil {
				cfg.Preset(g.Key, facts[i])
			}
		}
		windows++
		found := runNginx(rules, cfg, opts, true)
		for _, p := range cfg.Problems {
			if p.Kind == nginx.ProblemParserMismatch {
				// gonginx read a view otherwise: its message's line is
				// the view's. Rare enough to lint whole.
				r.ok = false
				return nil
			}
		}
		for _, f := range found {
			if u := r.unitOf(r.span(f.Span)); u >= 0 {
				if u >= r.lo && u < r.hi {
					store.add(f, r.span)
				}
				continue
			}
			f = r.finding(f)
			if seen == nil {
				seen = map[findingKey]*outside{}
			}
			k := keyOf(f)
			rule := byID[f.RuleID]
			merge := rule != nil && rule.Window == WindowMerge
			if merge {
				k.msg = ""
			}
			switch o := seen[k]; {
			case o == nil:
				seen[k] = &outside{f: f, windows: 1}
			case merge:
				o.f = mergeFinding(o.f, f)
			default:
				o.windows++
			}
		}
		cfg, found = nil, nil
		if after != nil {
			after()
		}
	}
	findings := store.all()
	for _, o := range seen {
		if rule := byID[o.f.RuleID]; rule != nil && rule.Window == WindowEvery && o.windows < windows {
			continue
		}
		findings = append(findings, o.f)
	}
	var files []*source.File
	for _, wf := range r.order {
		files = append(files, wf.orig)
	}
	findings = firstOnly(findings, byID, files)
	return &Result{Files: files, Findings: Sort(findings, files)}
}

type findingKey struct {
	id         string
	file       *source.File
	start, end int
	msg        string
}

func keyOf(f Finding) findingKey {
	return findingKey{f.RuleID, f.Span.File, f.Span.Start, f.Span.End, f.Message}
}

// firstOnly keeps, of the rules whose Window is WindowFirst, only the first
// finding in file order.
func firstOnly(fs []Finding, byID map[string]*Rule, files []*source.File) []Finding {
	rank := map[*source.File]int{}
	for i, f := range files {
		rank[f] = i
	}
	before := func(a, b Finding) bool {
		if a.Span.File != b.Span.File {
			return rank[a.Span.File] < rank[b.Span.File]
		}
		return a.Span.Start < b.Span.Start
	}
	var firsts map[string]Finding
	out := fs[:0]
	for _, f := range fs {
		if rule := byID[f.RuleID]; rule != nil && rule.Window == WindowFirst {
			if firsts == nil {
				firsts = map[string]Finding{}
			}
			if cur, ok := firsts[f.RuleID]; !ok || before(f, cur) {
				firsts[f.RuleID] = f
			}
			continue
		}
		out = append(out, f)
	}
	for _, f := range firsts {
		out = append(out, f)
	}
	return out
}

// mergeFinding adds to a, a WindowMerge finding, what b (the same finding
// from a later window) adds: its related places that a lacks, and the
// safety of its fixes when lower.
func mergeFinding(a, b Finding) Finding {
	have := make(map[Related]bool, len(a.Related))
	for _, x := range a.Related {
		have[x] = true
	}
	for _, x := range b.Related {
		if !have[x] {
			have[x] = true
			a.Related = append(a.Related, x)
		}
	}
	for i := range a.Fixes {
		if i < len(b.Fixes) && b.Fixes[i].Applies < a.Fixes[i].Applies {
			a.Fixes[i].Applies = b.Fixes[i].Applies
		}
	}
	return a
}

// cachedGlob returns glob (filepath.Glob when nil) with its answers kept:
// a windowed lint expands the same include patterns in every window, and
// must find the same files each time.
func cachedGlob(glob func(string) ([]string, error)) func(string) ([]string, error) {
	if glob == nil {
		glob = filepath.Glob
	}
	type answer struct {
		paths []string
		err   error
	}
	seen := map[string]answer{}
	return func(pattern string) ([]string, error) {
		a, ok := seen[pattern]
		if !ok {
			a.paths, a.err = glob(pattern)
			seen[pattern] = a
		}
		return slices.Clone(a.paths), a.err
	}
}
