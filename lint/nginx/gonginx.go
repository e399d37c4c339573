package nginx

import (
	"bytes"
	"cmp"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"

	"github.com/tufanbarisyildirim/gonginx/config"
	"github.com/tufanbarisyildirim/gonginx/parser"

	"github.com/wslint/wslint/lint/lazyre"
	"github.com/wslint/wslint/lint/source"
)

func init() {
	// gonginx wraps some blocks in typed structs whose constructors add
	// checks of their own (argument counts, listen syntax) without positions.
	// wslint uses gonginx as a syntax parser only and does its own semantic
	// checks, so every node stays a plain *config.Directive. The Lua wrapper
	// stays: the parser calls it unconditionally.
	for _, m := range []map[string]func(*config.Directive) (config.IDirective, error){
		config.BlockWrappers, config.DirectiveWrappers, config.IncludeWrappers,
	} {
		for k := range m {
			if k != "_by_lua_block" {
				delete(m, k)
			}
		}
	}
}

var gonginxPos = lazyre.New(`line (\d+), column (\d+)`)

// chunkSize is the amount of text handed to one gonginx parse. gonginx
// reads about 20 MB/s; independent chunks parse in parallel.
const chunkSize = 256 << 10

// crossJob is one gonginx parse: a run of sibling directives of one file
// and the bytes [start, end) they span, or a whole file.
type crossJob struct {
	pf         *parsedFile
	roots      []*Directive
	start, end int
	whole      bool
	header     bool // a large block's name and arguments only (roots holds a copy without its body)
	// special is pf.special as it was when the job was made (the builder
	// goes on appending while it streams jobs).
	special []special
	// skip lists the directives of the job that gonginx need not read:
	// plain ones and plain blocks, and simple ones whose text, byte for
	// byte, an earlier job of the file already hands gonginx (pf.job).
	skip []copyOf
}

// copyOf is a directive spanning [start, end) that gonginx does not read:
// a simple directive whose text is first's, or, with first nil, a plain
// simple directive (plainDirective) or block (pf.job), which gonginx reads
// as its words and braces.
type copyOf struct {
	start, end int
	first      *Directive
}

// job returns j with its skip list. Each simple directive of j whose text
// (from its name to its ';') is plain (plainDirective), and each plain
// block, is left out of the text gonginx reads, and its words are compared
// with wslint's reading instead (plainTree). A block is plain when its
// header's text (up to its '{') is plain (plainText), each directive in it
// is plain, and it is neither a Lua block nor one gonginx reads as Lua
// (luaForGonginx); comments may stand between them, since
// gonginx skips a comment that starts between tokens, wherever it ends, and
// the whole block is left out. gonginx reads it as the block of those words
// with those children. Each other simple directive whose text is the text
// of one handed to gonginx before, in this job or an earlier one of the
// file, is left out too, and compared with that first copy. gonginx reads a
// directive that starts where a token may start alike wherever it is (its
// lexer keeps no state across a ';', except after a *_by_lua_block word,
// which is a block), and every directive before it in the job compares
// equal or the job reports that first difference; so gonginx's reading of
// the first copy is its reading of every copy, and a copy that wslint reads
// as it read the first agrees with gonginx. Jobs are made in turn, on the
// goroutine that parses (or, after the parse, queues) the file.
func (pf *parsedFile) job(j crossJob) crossJob {
	if j.header {
		return j
	}
	j.special = pf.special
	data := pf.file.Data
	// walk adds the skip entries of ds and reports whether all of ds are
	// plain; a plain block's one entry replaces its directives' (a plain
	// body holds no copy: copies are not plain).
	var walk func(ds []*Directive) bool
	walk = func(ds []*Directive) bool {
		all := true
		for _, d := range ds {
			switch {
			case d.Span.File != pf.file:
				all = false
			case d.IsBlock:
				if d.HeaderEnd <= d.Span.Start || strings.HasSuffix(d.NameSpan().Text(), "_by_lua_block") || luaForGonginx(d) {
					all = false // its body goes to gonginx whole
					continue
				}
				mark := len(j.skip)
				if walk(d.Body) && plainText(data[d.Span.Start:d.HeaderEnd-1], true) {
					j.skip = append(j.skip[:mark], copyOf{start: d.Span.Start, end: d.Span.End})
				} else {
					all = false
				}
			default:
				text := unsafe.String(&data[d.Span.Start], d.Span.End-d.Span.Start)
				if plainDirective(text) {
					j.skip = append(j.skip, copyOf{start: d.Span.Start, end: d.Span.End})
					continue
				}
				all = false
				if first := pf.sent[text]; first != nil {
					j.skip = append(j.skip, copyOf{start: d.Span.Start, end: d.Span.End, first: first})
				} else {
					if pf.sent == nil {
						pf.sent = map[string]*Directive{}
					}
					pf.sent[text] = d
				}
			}
		}
		return all
	}
	walk(j.roots)
	return j
}

// crossChecker runs the gonginx cross-check of one Load. Jobs come from the
// builder while it parses (runs of siblings inside a large top-level block,
// such as the servers of http) and from Load once every file is read (the
// rest), so that gonginx works on one core while wslint parses on the
// other. Results are kept by job, in the order jobs were made.
type crossChecker struct {
	mu      sync.Mutex
	jobs    []crossJob
	results []string
	work    chan int
	wg      sync.WaitGroup
	started bool
}

func newCrossChecker() *crossChecker { return &crossChecker{} }

// add queues a job; the first one starts the workers: one fewer than
// GOMAXPROCS (at least one), so that the parse, which the rest of the run
// waits for, keeps a core (on two cores, 10k servers: median 424 -> 397 ms,
// minimum 331 -> 285 ms over 21 interleaved runs). A full queue runs the
// job on the caller's goroutine rather than block.
func (x *crossChecker) add(j crossJob) {
	x.mu.Lock()
	id := len(x.jobs)
	x.jobs = append(x.jobs, j)
	x.results = append(x.results, "")
	start := !x.started
	x.started = true
	x.mu.Unlock()
	if start {
		x.work = make(chan int, 4096) // made here: small inputs never start workers
		for w := 0; w < max(1, runtime.GOMAXPROCS(0)-1); w++ {
			x.wg.Add(1)
			go func() {
				defer x.wg.Done()
				for id := range x.work {
					x.run(id)
				}
			}()
		}
	}
	select {
	case x.work <- id:
	default:
		x.run(id)
	}
}

func (x *crossChecker) run(id int) {
	x.mu.Lock()
	j := x.jobs[id]
	x.mu.Unlock()
	msg := j.check()
	x.mu.Lock()
	x.results[id] = msg
	x.mu.Unlock()
}

// check parses the job's text with gonginx and compares the trees.
func (j crossJob) check() string {
	f := j.pf.file
	var text string
	switch {
	case j.header:
		d := j.roots[0]
		text = string(f.Data[d.Span.Start:d.HeaderEnd]) + "}"
	default:
		text = gonginxText(f.Data[j.start:j.end], j.start, j.special, j.skip, true)
	}
	serr, mismatch := gonginxChunk(f, text, j.roots, j.skip, j.whole)
	if serr != nil && j.whole {
		serr, mismatch = gonginxChunk(f, gonginxText(f.Data, 0, j.special, nil, false), j.roots, nil, true) // for the error's column
	}
	switch {
	case serr != nil:
		return "gonginx rejects what nginx accepts: " + serr.Message
	case mismatch != "":
		return "parser cross-check failed: " + mismatch
	}
	return ""
}

// stream is the builder's hook: a run of complete siblings at depth 1 of
// about chunkSize bytes.
func (x *crossChecker) stream(pf *parsedFile, ds []*Directive) {
	x.add(pf.job(crossJob{pf: pf, roots: ds, start: ds[0].Span.Start, end: ds[len(ds)-1].Span.End}))
}

// chunks splits the directives of file f that the builder did not stream
// into runs of siblings of about chunkSize bytes, descending into blocks
// larger than that (such as http) and into blocks whose first children were
// streamed. Directives attached from other files (snippets given beside a
// main configuration) are not part of f's text and are skipped.
func chunks(pf *parsedFile, ds []*Directive, out []crossJob) []crossJob {
	cur := crossJob{pf: pf}
	flush := func() {
		if len(cur.roots) > 0 {
			out = append(out, pf.job(cur))
		}
		cur = crossJob{pf: pf}
	}
	for _, d := range ds {
		if d.Span.File != pf.file {
			continue
		}
		size := d.Span.End - d.Span.Start
		k := pf.streamed[d]
		if d.IsBlock && (k > 0 || size > chunkSize && len(d.Body) > 1) {
			flush()
			hdr := *d
			hdr.Body = nil
			out = append(out, crossJob{pf: pf, roots: []*Directive{&hdr}, header: true})
			out = chunks(pf, d.Body[k:], out)
			continue
		}
		if len(cur.roots) == 0 {
			cur.start = d.Span.Start
		}
		cur.roots = append(cur.roots, d)
		cur.end = d.Span.End
		if cur.end-cur.start >= chunkSize {
			flush()
		}
	}
	flush()
	return out
}

// startCrossCheck queues what the builder did not stream, for the files
// that parsed (a file with a syntax error is reported by the token scan,
// which follows ngx_conf_read_token and finds every error nginx would; an
// error only gonginx sees is a disagreement between the two parsers, WS999,
// as is a different tree). The rules run meanwhile; CrossCheck waits.
func (c *Config) startCrossCheck(x *crossChecker, files []*parsedFile) {
	var jobs []crossJob
	for _, pf := range files {
		if pf.queued || len(pf.roots) == 0 && source.Blank(pf.file.Data) {
			continue // queued already, or nothing to compare
		}
		if len(pf.file.Data) <= chunkSize && len(pf.streamed) == 0 {
			jobs = append(jobs, pf.job(crossJob{pf: pf, roots: pf.roots, start: 0, end: len(pf.file.Data), whole: true}))
			continue
		}
		jobs = chunks(pf, pf.roots, jobs)
	}
	checked := map[*parsedFile]bool{}
	for _, pf := range files {
		checked[pf] = true
	}
	merge := func() {
		seen := map[*parsedFile]bool{}
		x.mu.Lock()
		defer x.mu.Unlock()
		for i, msg := range x.results {
			pf := x.jobs[i].pf
			if msg != "" && checked[pf] && !seen[pf] {
				seen[pf] = true
				c.Problems = append(c.Problems, Problem{Kind: ProblemParserMismatch, Span: source.Span{File: pf.file}, Message: msg})
			}
		}
	}
	x.mu.Lock()
	started := x.started
	x.mu.Unlock()
	if !started && len(jobs) <= 1 {
		// Small input: check when asked, on the caller's goroutine; there
		// is nothing to overlap, and the web service runs many at once.
		c.crossDone = func() {
			for _, j := range jobs {
				x.jobs = append(x.jobs, j)
				x.results = append(x.results, j.check())
			}
			merge()
		}
		return
	}
	for _, j := range jobs {
		x.add(j)
	}
	close(x.work)
	c.crossDone = func() {
		x.wg.Wait()
		merge()
	}
}

// CrossCheck waits for the gonginx cross-check and adds its disagreements
// to Problems (once). Problems of every other kind are there after Load.
func (c *Config) CrossCheck() {
	c.crossOnce.Do(func() {
		if c.crossDone != nil {
			c.crossDone()
		}
	})
}

// gonginxText returns a chunk's text as gonginx reads it, with the Lua code
// of *_by_lua_block directives blanked: gonginx counts its braces without
// reading strings or comments, and ends a brace's count at a '#' (the
// length operator), where lua-nginx-module reads Lua (luaCode); the code is
// never compared, and wslint finds where it ends. Without dedent the
// newlines stay, so line numbers hold. With dedent, the text loses the
// spaces and tabs that start its lines, outside quoted arguments that span
// lines, and the blanked code: gonginx reads a rune at a time, and
// indentation is about a quarter of a typical configuration. It loses
// blank lines and the comments that fill a line too, newline and all: a
// line there starts between two tokens for nginx (a word ends at a
// newline), so a '#' first on it starts a comment that runs to the
// newline, which nginx and gonginx skip, and the newline before the line
// still ends what precedes it. (Only an error in a whole file has a line,
// and that file is read again without dedent.) In the other comments, a
// '\r' becomes a space (gonginx would end the comment there, nginx ends it
// at the newline only) and a backslash a '?' (forGonginx maps an escaped
// newline). Without dedent, columns hold too (an error in a whole file is
// re-read so for its column).
func gonginxText(data []byte, base int, sp []special, skip []copyOf, dedent bool) string {
	// The spans of the file in [base, base+len(data)): a job is whole
	// directives, so a span is inside it or outside.
	lo, _ := slices.BinarySearchFunc(sp, base, func(s special, off int) int { return cmp.Compare(s.start, off) })
	hi, _ := slices.BinarySearchFunc(sp, base+len(data), func(s special, off int) int { return cmp.Compare(s.start, off) })
	sp = sp[lo:hi]
	var keep []special // quoted arguments with a newline
	var lua, cr []special
	for _, s := range sp {
		switch {
		case s.lua:
			lua = append(lua, s)
		case s.cr:
			cr = append(cr, s)
		default:
			keep = append(keep, s)
		}
	}
	if !dedent && len(lua) == 0 && len(skip) == 0 && len(cr) == 0 {
		return string(data)
	}
	out := make([]byte, 0, len(data))
	lineStart := dedent && base == 0 // a job starts at a directive, or at the file's start
	for i := 0; i < len(data); {
		if lineStart {
			lineStart = false
			for i < len(data) && (data[i] == ' ' || data[i] == '\t') {
				i++
			}
			switch {
			case i < len(data) && data[i] == '#':
				nl := bytes.IndexByte(data[i:], '\n')
				if nl < 0 {
					i = len(data)
					continue
				}
				i += nl + 1
				lineStart = true
			case i < len(data) && data[i] == '\n':
				i++
				lineStart = true
			}
			continue
		}
		if len(skip) > 0 && base+i == skip[0].start {
			i = skip[0].end - base // a directive gonginx need not read (pf.job)
			skip = skip[1:]
			if dedent && i < len(data) && data[i] == '\n' {
				// The rest of its line, when nothing follows it there:
				// the next token starts a directive either way.
				i++
				lineStart = true
			}
			continue
		}
		for len(cr) > 0 && cr[0].start < base+i {
			cr = cr[1:] // in a comment line left out
		}
		if len(cr) > 0 && base+i == cr[0].start {
			// gonginx ends a comment at a '\r' too, nginx at a newline
			// only; and a backslash before the newline would make
			// forGonginx map the newline (an escaped newline is inside a
			// word, not after a comment).
			for ; base+i < cr[0].end; i++ {
				c := data[i]
				switch c {
				case '\r':
					c = ' '
				case '\\':
					c = '?'
				}
				out = append(out, c)
			}
			cr = cr[1:]
			continue
		}
		if len(lua) > 0 && base+i == lua[0].start {
			for ; base+i < lua[0].end; i++ {
				switch {
				case data[i] == '\n':
					out = append(out, '\n')
				case !dedent:
					out = append(out, ' ')
				}
			}
			lua = lua[1:]
			continue
		}
		stop := len(data) // copy in bulk up to the next span, or past the next newline
		if len(skip) > 0 {
			stop = min(stop, skip[0].start-base)
		}
		if len(lua) > 0 {
			stop = min(stop, lua[0].start-base)
		}
		if len(cr) > 0 {
			stop = min(stop, cr[0].start-base)
		}
		nl := -1
		if dedent {
			nl = bytes.IndexByte(data[i:stop], '\n')
		}
		if nl < 0 {
			out = append(out, data[i:stop]...)
			i = stop
			continue
		}
		out = append(out, data[i:i+nl+1]...)
		i += nl + 1
		for len(keep) > 0 && keep[0].end <= base+i {
			keep = keep[1:]
		}
		if len(keep) > 0 && keep[0].start < base+i {
			continue // inside a quoted argument
		}
		if i >= 2 && data[i-2] == '\\' {
			continue // an escaped newline, inside a word (or after an escaped backslash: left as is)
		}
		lineStart = true
	}
	if len(out) == 0 {
		return ""
	}
	return unsafe.String(&out[0], len(out)) // out is never written again
}

// forGonginx maps to '?', one byte for one, the bytes gonginx reads
// otherwise than nginx: NUL (its lexer takes it for the end of input),
// invalid UTF-8 (it becomes U+FFFD), a separator or backslash escaped by a
// backslash (nginx keeps `^/my\ dir/` and `a\;b` one word and ends "a\\"
// at its second quote; gonginx splits the words and reads `\"` as an
// escaped quote; an escaped newline or '\r' is inside the word for nginx,
// and ends it for gonginx), a '}' inside a word (nginx keeps `a}b` one word;
// gonginx ends the word and closes a block) and every backquote (an
// ordinary byte to nginx, a quote to gonginx).
// nginx reads '?' as an ordinary word byte too, so the tree's shape is
// unchanged. pair compares through the same mapping: each byte's fate
// depends only on the bytes before it in its word, so a word maps alike
// alone and in its text.
func forGonginx(text string) string {
	if utf8.ValidString(text) && strings.IndexByte(text, 0) < 0 && !gonginxDiffers(text) {
		return text
	}
	b := []byte(text)
	for i := 0; i < len(b); {
		switch c := b[i]; {
		case c == '\\' && i+1 < len(b) && b[i+1] != 0 && b[i+1] < utf8.RuneSelf:
			if escapedSpecial(b[i+1]) {
				b[i+1] = '?'
			}
			i += 2 // the escaped byte is never a word's end, nor a '}' to map
			continue
		case c == '}' && i > 0 && inWord(b[i-1]), c == '`':
			b[i] = '?'
			i++
			continue
		}
		if c := b[i]; c < utf8.RuneSelf {
			if c == 0 {
				b[i] = '?'
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			b[i] = '?'
		}
		i += n
	}
	return string(b)
}

// inWord reports whether a '}' after prev is inside a word (prev is not a
// separator nor a block's '}'), where nginx keeps it and gonginx does not.
func inWord(prev byte) bool { return !isWordEnd(prev) && prev != '}' }

// escapedSpecial reports whether gonginx gives c, escaped by a backslash,
// a meaning nginx does not.
func escapedSpecial(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', ';', '{', '}', '\\':
		return true
	}
	return false
}

// gonginxDiffers reports whether text holds what forGonginx maps besides
// NUL and invalid UTF-8: an escaped separator or backslash, a '}' that
// follows a word byte, a backquote.
func gonginxDiffers(text string) bool {
	if strings.IndexByte(text, '`') >= 0 {
		return true
	}
	for i := strings.IndexByte(text, '\\'); i >= 0 && i+1 < len(text); {
		if escapedSpecial(text[i+1]) {
			return true
		}
		j := strings.IndexByte(text[i+2:], '\\')
		if j < 0 {
			break
		}
		i += 2 + j
	}
	for i := strings.IndexByte(text, '}'); i >= 0; {
		if i > 0 && inWord(text[i-1]) {
			return true
		}
		j := strings.IndexByte(text[i+1:], '}')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

func gonginxChunk(f *source.File, text string, roots []*Directive, skip []copyOf, whole bool) (*SyntaxError, string) {
	mapped := forGonginx(text)
	// A chunk whose directives were all left out is blank, and gonginx reads
	// blank text as no directive (TestGonginxBlank): skip its parser, whose
	// set-up alone costs more than the rest of a small chunk's check.
	same := unsafe.StringData(mapped) == unsafe.StringData(text)
	if strings.Trim(mapped, " \t\r\n") == "" {
		return nil, pair(nil, roots, f, same, skip)
	}
	p := parser.NewStringParser(mapped, parser.WithSkipValidDirectivesErr(), parser.WithSkipComments())
	conf, err := p.Parse()
	if err != nil {
		if !whole {
			return &SyntaxError{Span: source.Span{File: f}, Message: err.Error() + " (in a chunk of the file)"}, ""
		}
		return gonginxError(f, err), ""
	}
	// A word maps alike alone and in its text (forGonginx): when the text
	// is unchanged, so is every word in it.
	return nil, pair(conf.Block.GetDirectives(), roots, f, same, skip)
}

func gonginxError(f *source.File, err error) *SyntaxError {
	e := &SyntaxError{Message: err.Error()}
	if m := gonginxPos().FindStringSubmatch(err.Error()); m != nil {
		line, _ := strconv.Atoi(m[1])
		col, _ := strconv.Atoi(m[2])
		off := f.Offset(line, col)
		e.Span = source.Span{File: f, Start: off, End: off}
	} else {
		n := len(f.Data)
		e.Span = source.Span{File: f, Start: n, End: n}
	}
	return e
}

// pair walks both trees in pre-order and reports the first difference.
// Directives attached from other files (snippets placed in this file's http
// block) are not in this file's text and are left out, and so are the copies
// in skip (sorted by offset, as the walk meets them), which are compared
// with their first copy instead (pf.job).
func pair(g []config.IDirective, w []*Directive, f *source.File, same bool, skip []copyOf) string {
	sk := &skipCursor{all: skip, next: skip}
	return sk.pair(g, w, f, same)
}

// skipCursor is pair's place in the skip list.
type skipCursor struct{ all, next []copyOf }

func (sk *skipCursor) pair(g []config.IDirective, w []*Directive, f *source.File, same bool) string {
	mapWord := func(s string) string {
		if same {
			return s
		}
		return forGonginx(s)
	}
	gi := 0
	for _, wd := range w {
		if wd.Span.File != f {
			continue
		}
		if len(sk.next) > 0 && sk.next[0].start == wd.Span.Start {
			first := sk.next[0].first
			sk.next = sk.next[1:]
			if first == nil {
				if !plainTree(f.Data, wd) {
					return fmt.Sprintf("%q is read otherwise than its words", wd.Name)
				}
				continue
			}
			if !sameWords(wd, first) {
				// Not gonginx's doing: the same text read twice otherwise.
				return fmt.Sprintf("%q is read otherwise than its copy at offset %d", wd.Name, first.Span.Start)
			}
			continue
		}
		if gi == len(g) {
			return sk.count(g, w, f)
		}
		gd := g[gi]
		gi++
		if gd.GetName() != mapWord(wd.NameSpan().Text()) {
			return fmt.Sprintf("directive %q vs %q", gd.GetName(), wd.NameSpan().Text())
		}
		if _, lua := gd.(*config.LuaBlock); lua {
			continue
		}
		params := gd.GetParameters()
		if len(params) != len(wd.Args) {
			return fmt.Sprintf("%q has %d arguments vs %d", wd.Name, len(params), len(wd.Args))
		}
		for j, p := range params {
			if p.Value != mapWord(wd.Args[j].Raw) {
				return fmt.Sprintf("%q argument %q vs %q", wd.Name, p.Value, wd.Args[j].Raw)
			}
		}
		var gb []config.IDirective
		if b := gd.GetBlock(); b != nil {
			gb = b.GetDirectives()
		}
		if (gd.GetBlock() != nil) != wd.IsBlock {
			return fmt.Sprintf("%q block vs simple", wd.Name)
		}
		if msg := sk.pair(gb, wd.Body, f, same); msg != "" {
			return msg
		}
	}
	if gi != len(g) {
		return sk.count(g, w, f)
	}
	return ""
}

// count renders a level whose directives gonginx counts otherwise.
func (sk *skipCursor) count(g []config.IDirective, w []*Directive, f *source.File) string {
	n := 0
	for _, d := range w {
		_, skipped := slices.BinarySearchFunc(sk.all, d.Span.Start, func(c copyOf, off int) int { return cmp.Compare(c.start, off) })
		if d.Span.File == f && !skipped {
			n++
		}
	}
	return fmt.Sprintf("%d directives vs %d", len(g), n)
}

// luaForGonginx reports whether gonginx may read block d's body as Lua
// code, not as directives: its lexer does so after any unquoted word that
// ends in _by_lua_block and stands just before a '{' (WS999's fixture,
// `location /content_by_lua_block {`). Its directives all go to gonginx,
// so that the cross-check sees them missing.
func luaForGonginx(d *Directive) bool {
	last := d.NameSpan().Text()
	if len(d.Args) > 0 {
		last = d.Args[len(d.Args)-1].Raw
	}
	return strings.HasSuffix(last, "_by_lua_block") && last[0] != '"' && last[0] != '\''
}

// plainByte marks the bytes that both nginx and gonginx read as ordinary
// bytes of a word, wherever they stand in it: printable ASCII but for
// quotes, backslashes and '#' (which TestPlainDirectivesAsGonginx shows
// are needed; plainText admits quotes and backslashes where they stand
// alike for both), and backquotes, braces and ';' (which forGonginx maps,
// or which a parsed simple directive holds only inside quotes or escapes).
var plainByte = func() (t [256]bool) {
	for c := byte('!'); c <= '~'; c++ {
		t[c] = !strings.ContainsRune("\"'`\\{};#", rune(c))
	}
	return t
}()

// plainDirective reports whether a simple directive's text (from its name
// to its ';') is plain (plainText). gonginx's lexer reads such text as its
// words, split at the separators, and keeps no state across it (its one
// state, a *_by_lua_block keyword before a '{', is the token just before a
// '{', which is never one of a simple directive's); its parser makes a
// plain *config.Directive of them, its wrappers gone (this file's init)
// and its statement parsers none. Left out of the text, such a directive
// leaves the tokens around it as they were: it starts after a separator,
// ';', '{' or '}', and ends at a ';'. TestPlainDirectivesAsGonginx checks
// both claims on random text.
func plainDirective(text string) bool {
	return len(text) >= 2 && text[len(text)-1] == ';' && plainText(text[:len(text)-1], false)
}

// plainText reports whether text is plain words separated by spaces, tabs
// and newlines: each of plain bytes (plainByte) and backslashes that each
// escape a plain byte, bare or between two quotes of one kind; with
// blockName, the first (a block's name) of plain bytes only (a quoted name
// could end in _by_lua_block: a Lua block to neither parser, or to wslint
// once unquoted). gonginx reads such a word as it is written, as wslint's
// Raw holds it: it escapes nothing outside quotes (a backslash before a
// plain byte is nothing special to forGonginx either), and reads a quoted
// one, quotes included, to the closing quote, which no backslash escapes
// here.
func plainText[T string | []byte](text T, blockName bool) bool {
	first := blockName
	for i := 0; i < len(text); {
		c := text[i]
		if c == ' ' || c == '\t' || c == '\n' {
			i++
			continue
		}
		j := i
		var q byte
		if !first && (c == '"' || c == '\'') {
			q = c
			j++
		}
		for j < len(text) {
			switch c := text[j]; {
			case plainByte[c]:
				j++
				continue
			case c == '\\' && !first && j+1 < len(text) && plainByte[text[j+1]]:
				j += 2
				continue
			}
			break
		}
		if q != 0 {
			if j == len(text) || text[j] != q {
				return false
			}
			j++
		}
		if j == i || j < len(text) && text[j] != ' ' && text[j] != '\t' && text[j] != '\n' {
			return false
		}
		first = false
		i = j
	}
	return true
}

// plainTree reports whether wslint read a plain directive or block (whose
// text is in data) as its words: a block's header and each of its
// directives.
func plainTree(data []byte, d *Directive) bool {
	if !d.IsBlock {
		return plainWords(d, data[d.Span.Start:d.Span.End-1])
	}
	if !plainWords(d, data[d.Span.Start:d.HeaderEnd-1]) {
		return false
	}
	for _, c := range d.Body {
		if !plainTree(data, c) {
			return false
		}
	}
	return true
}

// plainWords reports whether wslint read a plain directive, whose text
// before its ';' (or a block's before its '{') is text, as its words.
func plainWords(d *Directive, text []byte) bool {
	n := -1 // words seen: the name, then the arguments
	for i := 0; i < len(text); {
		if c := text[i]; c == ' ' || c == '\t' || c == '\n' {
			i++
			continue
		}
		j := i
		for j < len(text) && text[j] != ' ' && text[j] != '\t' && text[j] != '\n' {
			j++
		}
		w := text[i:j]
		if n < 0 {
			if string(w) != d.NameSpan().Text() {
				return false
			}
		} else if n >= len(d.Args) || string(w) != d.Args[n].Raw {
			return false
		}
		n++
		i = j
	}
	return n == len(d.Args)
}

// sameWords reports whether two simple directives have the same name and
// arguments as written.
func sameWords(a, b *Directive) bool {
	if a.NameSpan().Text() != b.NameSpan().Text() || len(a.Args) != len(b.Args) || a.IsBlock != b.IsBlock {
		return false
	}
	for i := range a.Args {
		if a.Args[i].Raw != b.Args[i].Raw {
			return false
		}
	}
	return true
}
