package nginx

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/wslint/wslint/lint/source"
)

// ProblemKind tells what went wrong while loading.
type ProblemKind int

const (
	ProblemSyntax             ProblemKind = iota // WS001
	ProblemIncludeMissing                        // WS003
	ProblemIncludeCycle                          // WS008
	ProblemIncludeNotFollowed                    // WS009
	ProblemParserMismatch                        // WS999
)

// Problem is something the loader could not do as nginx would.
type Problem struct {
	Kind    ProblemKind
	Span    source.Span
	Message string
}

// Context is the nginx context a file's top-level directives live in.
type Context int

const (
	CtxUnknown Context = iota // a bare list of directives (e.g. proxy_params)
	CtxMain
	CtxHTTP
	CtxServer
)

// LoadOptions controls how includes are followed.
type LoadOptions struct {
	// ReadFile reads an included file; nil means os.ReadFile.
	ReadFile func(path string) ([]byte, error)
	// ReadSource, when set, reads an included file instead of ReadFile
	// and source.NewFile (a windowed lint's views of files).
	ReadSource func(path string) (*source.File, error)
	// Glob expands an include pattern; nil means filepath.Glob.
	Glob func(pattern string) ([]string, error)
	// NoIncludes reports includes instead of following them (the web service).
	NoIncludes bool
	// Prefix overrides the directory relative includes resolve against.
	Prefix string
	// MaxDirectives bounds the directives instantiated through includes.
	MaxDirectives int
	// NoCrossCheck skips the gonginx cross-check (a windowed lint's first
	// pass, which only gathers facts; CrossCheck adds nothing then).
	NoCrossCheck bool
}

// Config is a set of nginx files loaded together: the files named by the
// user, what they include, and the virtual context snippets live in.
type Config struct {
	// Root is the synthetic main context holding everything.
	Root *Directive
	// Files lists every file read, roots first, in load order.
	Files []*source.File
	// Roots are the files the configuration was loaded from.
	Roots []*source.File
	// Context gives the natural context of each root file.
	Context  map[*source.File]Context
	Comments map[*source.File][]Comment
	// Problems holds what the loader could not do as nginx would; the
	// parser cross-check adds its own only after CrossCheck.
	Problems []Problem

	model *model
	flat  *flatTree
	built int // directives parsed (a size hint: an include used twice has more)
	// upgradeMemo memoizes connectionCanUpgrade (rules run in parallel).
	upgradeMu   sync.Mutex
	upgradeMemo map[string]bool
	crossOnce   sync.Once
	crossDone   func()
	memoMu      sync.Mutex
	memos       map[any]*memo
	presets     map[any]any // Preset's values
	frozen      bool        // Freeze has run
}

type memo struct {
	once sync.Once
	v    any
}

// Memo returns build's result for key, built once per configuration
// (rules run in parallel: one builds, the others wait for it). It lets
// rules share what several of them compute over the whole tree; the result
// must not be modified.
func (c *Config) Memo(key any, build func() any) any {
	if v, ok := c.presets[key]; ok {
		return v
	}
	c.memoMu.Lock()
	m := c.memos[key]
	if m == nil {
		if c.memos == nil {
			c.memos = map[any]*memo{}
		}
		m = &memo{}
		c.memos[key] = m
	}
	c.memoMu.Unlock()
	m.once.Do(func() { m.v = build() })
	return m.v
}

// Preset makes v the value Memo returns for key, before any rule runs: a
// windowed lint gathers some memos from every window (lint.Gather).
func (c *Config) Preset(key, v any) {
	if c.presets == nil {
		c.presets = map[any]any{}
	}
	c.presets[key] = v
}

// MergeSets merges two memos of map[string]bool values (nil is empty),
// for lint.Gathered; it may modify a.
func MergeSets(a, b any) any {
	ma, _ := a.(map[string]bool)
	mb, _ := b.(map[string]bool)
	if len(mb) == 0 {
		return ma
	}
	if ma == nil {
		ma = make(map[string]bool, len(mb))
	}
	for k := range mb {
		ma[k] = true
	}
	return ma
}

type loader struct {
	opts     LoadOptions
	cfg      *Config
	cache    map[string]*parsedFile
	used     map[*parsedFile]bool
	stack    []string
	included map[string]bool
	cross    []*parsedFile // files for the gonginx cross-check
	checker  *crossChecker
	count    int
	capped   bool
}

// Load parses roots (the files the user named) and everything they include.
// It never fails: syntax errors and missing files become Problems.
func Load(roots []*source.File, opts LoadOptions) *Config {
	if opts.ReadFile == nil {
		opts.ReadFile = os.ReadFile
	}
	if opts.Glob == nil {
		opts.Glob = filepath.Glob
	}
	if opts.MaxDirectives == 0 {
		opts.MaxDirectives = 5_000_000
	}
	cfg := &Config{
		Roots:    roots,
		Root:     &Directive{Name: "main", IsBlock: true, Synthetic: true},
		Context:  map[*source.File]Context{},
		Comments: map[*source.File][]Comment{},
	}
	l := &loader{opts: opts, cfg: cfg, cache: map[string]*parsedFile{}, used: map[*parsedFile]bool{}, included: map[string]bool{}, checker: newCrossChecker()}

	type root struct {
		pf     *parsedFile
		ctx    Context
		prefix string
		abs    string
	}
	var rs []root
	mainDir := opts.Prefix
	for _, f := range roots {
		pf := l.parse(f)
		ctx := classify(pf.roots)
		cfg.Context[f] = ctx
		abs := f.Path // identity for includes; none are followed with NoIncludes (no os.Getwd per request)
		if !opts.NoIncludes {
			abs, _ = filepath.Abs(f.Path)
		}
		rs = append(rs, root{pf: pf, ctx: ctx, abs: abs})
		if ctx == CtxMain && mainDir == "" && f.Path != "-" {
			mainDir = filepath.Dir(f.Path)
		}
	}
	for i := range rs {
		rs[i].prefix = mainDir
		if rs[i].ctx == CtxMain && opts.Prefix == "" && rs[i].pf.file.Path != "-" {
			rs[i].prefix = filepath.Dir(rs[i].pf.file.Path) // each main config has its own prefix
		}
		if rs[i].prefix == "" {
			rs[i].prefix = snippetPrefix(rs[i].pf.file.Path)
		}
	}
	// Resolve includes of every root first, so that a root another root
	// includes is linted once, where nginx reads it.
	var http *Directive
	var keep []root
	for _, r := range rs {
		l.cache[r.abs] = r.pf
	}
	for _, r := range rs {
		l.stack = []string{r.abs}
		l.resolve(r.pf.roots, r.prefix)
	}
	for _, r := range rs {
		if r.pf.file.Path != "-" && l.included[r.abs] {
			continue
		}
		keep = append(keep, r)
	}
	for _, r := range keep {
		if r.ctx == CtxMain {
			attach(cfg.Root, r.pf.roots)
		}
	}
	for _, d := range cfg.Root.Body {
		if d.Name == "http" && d.IsBlock && http == nil {
			http = d
		}
	}
	for _, r := range keep {
		if r.ctx == CtxMain {
			continue
		}
		if http == nil {
			http = &Directive{Name: "http", IsBlock: true, Synthetic: true}
			attach(cfg.Root, []*Directive{http})
		}
		switch r.ctx {
		case CtxServer:
			srv := &Directive{Name: "server", IsBlock: true, Synthetic: true}
			attach(srv, r.pf.roots)
			attach(http, []*Directive{srv})
		default:
			attach(http, r.pf.roots)
		}
	}
	link(cfg.Root)
	if !opts.NoCrossCheck {
		cfg.startCrossCheck(l.checker, l.cross)
	}
	if l.capped {
		cfg.Problems = append(cfg.Problems, Problem{Kind: ProblemSyntax, Span: source.Span{File: roots[0]}, Message: fmt.Sprintf("includes expand to more than %d directives", opts.MaxDirectives)})
	}
	return cfg
}

// link sets the Parent of every directive: the block it is written in, or,
// for what an include brings in, the block the include is written in.
func link(parent *Directive) {
	var walk func(p *Directive, ds []*Directive)
	walk = func(p *Directive, ds []*Directive) {
		for _, d := range ds {
			d.Parent = p
			if inc := d.Included(); len(inc) > 0 {
				walk(p, inc)
			}
			if d.IsBlock {
				walk(d, d.Body)
			}
		}
	}
	walk(parent, parent.Body)
}

func attach(parent *Directive, ds []*Directive) {
	for _, d := range ds {
		if d.Parent == nil {
			d.Parent = parent
		}
	}
	parent.Body = append(parent.Body, ds...)
	parent.reindex()
}

func (l *loader) parse(f *source.File) *parsedFile {
	emit := l.checker.stream
	if l.opts.NoCrossCheck {
		emit = nil
	}
	pf := parseTreeStream(f, emit)
	l.cfg.Files = append(l.cfg.Files, f)
	l.cfg.Comments[f] = pf.comments
	l.cfg.built += pf.count
	if pf.err != nil {
		l.cfg.Problems = append(l.cfg.Problems, Problem{Kind: ProblemSyntax, Span: pf.err.Span, Message: pf.err.Message})
		return pf
	}
	l.cross = append(l.cross, pf)
	return pf
}

// resolve expands the include directives in ds (recursively).
func (l *loader) resolve(ds []*Directive, prefix string) {
	for _, d := range ds {
		if d.Name == "include" && !d.IsBlock && len(d.Args) == 1 {
			l.include(d, prefix)
			continue
		}
		if d.IsBlock {
			l.resolve(d.Body, prefix)
		}
	}
}

func (l *loader) include(d *Directive, prefix string) {
	if l.opts.NoIncludes {
		l.cfg.Problems = append(l.cfg.Problems, Problem{Kind: ProblemIncludeNotFollowed, Span: d.Span, Message: fmt.Sprintf("`include %s` is not followed here", d.Arg(0))})
		return
	}
	pattern := d.Arg(0)
	path := pattern
	if !filepath.IsAbs(path) {
		path = filepath.Join(prefix, path)
	}
	var paths []string
	if strings.ContainsAny(pattern, "*?[") {
		matches, err := l.opts.Glob(path)
		if err != nil {
			l.cfg.Problems = append(l.cfg.Problems, Problem{Kind: ProblemIncludeMissing, Span: d.Args[0].Span, Message: fmt.Sprintf("include pattern %q is invalid: %v", pattern, err)})
			return
		}
		hidden := strings.HasPrefix(filepath.Base(path), ".")
		for _, m := range matches {
			if !hidden && strings.HasPrefix(filepath.Base(m), ".") {
				continue // glob(3) without GLOB_PERIOD skips dot files
			}
			paths = append(paths, m)
		}
		sort.Strings(paths) // glob(3) sorts bytewise in the C locale
	} else {
		paths = []string{path}
	}
	for _, p := range paths {
		abs, _ := filepath.Abs(p)
		if cyc := l.cycle(abs); cyc != "" {
			l.cfg.Problems = append(l.cfg.Problems, Problem{Kind: ProblemIncludeCycle, Span: d.Span, Message: cyc})
			continue
		}
		pf := l.cache[abs]
		if pf == nil {
			var f *source.File
			var data []byte
			var err error
			if l.opts.ReadSource != nil {
				f, err = l.opts.ReadSource(p)
			} else {
				data, err = l.opts.ReadFile(p)
			}
			if err != nil {
				if fallback, ok := distroFile(pattern); ok && errors.Is(err, fs.ErrNotExist) {
					data, err = fallback, nil
				}
			}
			if err != nil {
				msg := fmt.Sprintf("included file %q does not exist", p)
				if !errors.Is(err, fs.ErrNotExist) {
					msg = fmt.Sprintf("cannot read included file %q: %v", p, unwrapPathErr(err))
				}
				l.cfg.Problems = append(l.cfg.Problems, Problem{Kind: ProblemIncludeMissing, Span: d.Args[0].Span, Message: msg})
				continue
			}
			if f == nil {
				f = source.NewFile(p, data)
			}
			pf = l.parse(f)
			l.queueWhole(pf)
			l.cache[abs] = pf
			l.stack = append(l.stack, abs)
			l.resolve(pf.roots, prefix)
			l.stack = l.stack[:len(l.stack)-1]
		}
		l.included[abs] = true
		d.setIncluded(append(d.Included(), l.instantiate(pf, d)...))
	}
}

// queueWhole hands an included file that parsed, and that the builder did
// not stream, to the cross-check at once: a configuration split over many
// small files keeps gonginx busy on the other core while the rest are read,
// rather than leaving it idle until every file is. The parsed tree of an
// included file is not changed afterwards (what includes it gets the nodes
// through Included, never by appending to them).
func (l *loader) queueWhole(pf *parsedFile) {
	if len(pf.roots) == 0 && source.Blank(pf.file.Data) {
		return // nothing to compare (a windowed lint's file without its blocks)
	}
	if l.opts.NoCrossCheck || pf.err != nil || len(pf.streamed) > 0 || len(pf.file.Data) > chunkSize {
		return
	}
	pf.queued = true
	l.checker.add(pf.job(crossJob{pf: pf, roots: pf.roots, start: 0, end: len(pf.file.Data), whole: true}))
}

func unwrapPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func (l *loader) cycle(abs string) string {
	for i, s := range l.stack {
		if s == abs {
			chain := append(append([]string{}, l.stack[i:]...), abs)
			for j := range chain {
				chain[j] = filepath.Base(chain[j])
			}
			return "include cycle: " + strings.Join(chain, " → ")
		}
	}
	return ""
}

// instantiate places the top-level directives of pf under the include
// directive via. The first use takes the parsed nodes themselves; later uses
// take deep copies, so every include site has its own parent links.
func (l *loader) instantiate(pf *parsedFile, via *Directive) []*Directive {
	var out []*Directive
	first := !l.used[pf]
	l.used[pf] = true
	for _, r := range pf.roots {
		if l.count > l.opts.MaxDirectives {
			l.capped = true
			break
		}
		var c *Directive
		if first {
			c = r
			l.count++
		} else {
			c = l.clone(r)
		}
		c.Via = via
		c.Parent = via.Parent
		out = append(out, c)
	}
	return out
}

func (l *loader) clone(d *Directive) *Directive {
	l.count++
	c := *d
	c.idx = nil
	if l.count > l.opts.MaxDirectives {
		l.capped = true
		c.Body = nil
		return &c
	}
	if len(d.Body) > 0 {
		c.Body = make([]*Directive, len(d.Body))
		for i, b := range d.Body {
			nb := l.clone(b)
			nb.Parent = &c
			c.Body[i] = nb
		}
	}
	if inc := d.Included(); len(inc) > 0 {
		ci := make([]*Directive, len(inc))
		for i, b := range inc {
			nb := l.clone(b)
			nb.Via = &c
			nb.Parent = c.Parent
			ci[i] = nb
		}
		c.setIncluded(ci)
	}
	return &c
}

var (
	mainOnly    = set("http", "events", "stream", "mail", "worker_processes", "user", "pid", "load_module", "daemon", "master_process", "env", "pcre_jit", "thread_pool", "worker_shutdown_timeout", "worker_rlimit_nofile", "worker_cpu_affinity", "worker_priority", "timer_resolution", "lock_file", "working_directory")
	httpLevel   = set("server", "upstream", "map", "geo", "split_clients", "log_format", "proxy_cache_path", "limit_req_zone", "limit_conn_zone", "fastcgi_cache_path", "uwsgi_cache_path", "scgi_cache_path", "variables_hash_max_size", "server_names_hash_bucket_size", "server_names_hash_max_size", "map_hash_bucket_size")
	serverLevel = set("location", "listen", "server_name")
)

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// classify tells a file's natural context from its top-level directives.
func classify(roots []*Directive) Context {
	ctx := CtxUnknown
	for _, d := range roots {
		switch {
		case mainOnly[d.Name]:
			return CtxMain
		case httpLevel[d.Name]:
			ctx = CtxHTTP
		case serverLevel[d.Name] && ctx == CtxUnknown:
			ctx = CtxServer
		}
	}
	return ctx
}

// snippetPrefix guesses nginx's prefix for a snippet named alone: Debian and
// the official image keep snippets one level below the main config.
func snippetPrefix(path string) string {
	if path == "-" {
		return "."
	}
	dir := filepath.Dir(path)
	switch filepath.Base(dir) {
	case "conf.d", "sites-enabled", "sites-available", "snippets", "templates", "vhosts.d", "servers":
		return filepath.Dir(dir)
	}
	return dir
}

// FileContext tells a file's natural context from its top-level directive
// names, reading tokens only (no tree): cheap enough to sort many files.
func FileContext(f *source.File) Context {
	lx := &lexer{f: f}
	depth, ctx := 0, CtxUnknown
	start := true // the next word at depth 0 is a directive name
	for {
		t, ok := lx.next()
		if !ok {
			return ctx
		}
		switch t.kind {
		case tokOpen:
			depth++
			start = depth == 0
		case tokClose:
			depth--
			start = depth == 0
		case tokSemi:
			start = depth == 0
		case tokWord:
			if depth == 0 && start {
				name := string(f.Data[t.start:t.end])
				switch {
				case mainOnly[name]:
					return CtxMain
				case httpLevel[name]:
					ctx = CtxHTTP
				case serverLevel[name] && ctx == CtxUnknown:
					ctx = CtxServer
				}
			}
			start = false
		}
	}
}

// Group splits the files named together into the configurations nginx
// would load: each main configuration (a file with `http`, `events`, ...)
// is one, with what it includes; the other files (snippets) join the only
// main configuration when there is one, and otherwise form one
// configuration of their own, without the snippets some main one includes.
func Group(files []*source.File, opts LoadOptions) []*Config {
	var mains, snippets []*source.File
	if len(files) > 1 {
		for _, f := range files {
			if FileContext(f) == CtxMain {
				mains = append(mains, f)
			} else {
				snippets = append(snippets, f)
			}
		}
	}
	if len(mains) <= 1 {
		return []*Config{Load(files, opts)}
	}
	var out []*Config
	included := map[string]bool{}
	for _, m := range mains {
		cfg := Load([]*source.File{m}, opts)
		for _, f := range cfg.Files {
			if abs, err := filepath.Abs(f.Path); err == nil {
				included[abs] = true
			}
		}
		out = append(out, cfg)
	}
	var rest []*source.File
	for _, s := range snippets {
		if abs, err := filepath.Abs(s.Path); err != nil || !included[abs] || s.Path == "-" {
			rest = append(rest, s)
		}
	}
	if len(rest) > 0 {
		out = append(out, Load(rest, opts))
	}
	return out
}
