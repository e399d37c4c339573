package nginx

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strings"
	"unsafe"

	"github.com/wslint/wslint/lint/source"
)

// maxDepth bounds block nesting; nginx itself has no limit, but no real
// configuration comes near it and a hostile one must not exhaust the stack.
const maxDepth = 200

// Arg is one argument of a directive.
type Arg struct {
	Value string // as nginx sees it: quotes removed, escapes resolved
	Raw   string // as written
	Span  source.Span
}

// Quoted reports whether the argument is written in quotes (a quote opens
// a quoted word only at its start: an argument is 8 bytes smaller without
// the flag, and a large configuration holds hundreds of thousands).
func (a Arg) Quoted() bool { return a.Raw != "" && (a.Raw[0] == '"' || a.Raw[0] == '\'') }

// Directive is one directive as written in a file, or an instance of one
// brought in by an `include`.
type Directive struct {
	Name string
	Args []Arg
	// idx is a block's index of its children, built on first use, or a
	// resolved include's directives (nil for other simple directives: most
	// are, and the tree of a large file holds hundreds of thousands).
	idx     *blockIndex
	IsBlock bool
	// Synthetic marks blocks wslint adds to give a snippet its context.
	Synthetic bool
	// nameLen is the length of the name as written (NameSpan: the name
	// starts the span). With the flags above it fills one word: a
	// Directive is 128 bytes (TestDirectiveSize), and the builder's slabs
	// of them are most of a large configuration's tree.
	nameLen int32

	// Span covers the directive from its name to its ';' or its closing '}'.
	Span source.Span
	// HeaderEnd is the offset just past the '{' of a block directive.
	HeaderEnd int
	// Body holds the directives written inside the block, in this file.
	Body []*Directive
	// Parent is the enclosing block directive after include expansion
	// (nil at the top of a file's virtual context).
	Parent *Directive
	// Via is the include directive that brought this directive in, if any
	// (the innermost one when includes nest).
	Via *Directive
}

// blockIndex is what a block keeps to answer Children and Find, and what
// a resolved include keeps of what it brings in (children alone: see
// Included).
type blockIndex struct {
	children []*Directive
	byName   []*Directive        // the children sorted by name (sorted)
	ranges   map[string][2]int32 // for large blocks: each name's run in byName
	names    []string            // for small blocks: byName's names, side by side in memory
}

// length32 is a length as nameLen keeps it: a name longer than 2 GiB
// (in a file that the CLI and the service refuse long before) gets a name
// span cut there rather than a wrong one.
func length32(n int) int32 { return int32(min(n, math.MaxInt32)) }

// NameSpan is the span of the directive's name (its first word).
func (d *Directive) NameSpan() source.Span {
	return source.Span{File: d.Span.File, Start: d.Span.Start, End: d.Span.Start + int(d.nameLen)}
}

// File returns the file the directive is written in.
func (d *Directive) File() *source.File { return d.Span.File }

// HeaderSpan is the span of a block's header (`location /ws/ {`), or the
// whole directive for a simple one.
func (d *Directive) HeaderSpan() source.Span {
	if d.IsBlock && d.HeaderEnd > 0 {
		return source.Span{File: d.Span.File, Start: d.Span.Start, End: d.HeaderEnd}
	}
	return d.Span
}

// Arg returns the value of argument i, or "" when absent.
func (d *Directive) Arg(i int) string {
	if i < len(d.Args) {
		return d.Args[i].Value
	}
	return ""
}

// Children returns the directives of the block with includes expanded
// textually, as nginx sees them. The include directives themselves are
// replaced by what they include. The result must not be modified.
func (d *Directive) Children() []*Directive {
	if !d.IsBlock {
		return nil // an include's idx holds what it brings in (Included)
	}
	if d.idx == nil {
		if len(d.Body) == 0 {
			return nil
		}
		x := &blockIndex{children: d.Body[:len(d.Body):len(d.Body)]}
		for _, c := range d.Body {
			if c.Name == "include" && !c.IsBlock {
				x.children = expand(d.Body, nil)
				break
			}
		}
		d.idx = x
	}
	return d.idx.children
}

// reindex forgets the block's index (its body changed).
func (d *Directive) reindex() {
	if d.IsBlock {
		d.idx = nil
	}
}

// Included returns, for a resolved `include`, the top-level directives of
// every matched file, in nginx's order (nil for other directives). The
// result must not be modified.
func (d *Directive) Included() []*Directive {
	if d.idx == nil || d.IsBlock {
		return nil
	}
	return d.idx.children
}

// setIncluded records what a simple directive (an include) brings in.
func (d *Directive) setIncluded(ds []*Directive) {
	if len(ds) == 0 {
		d.idx = nil
		return
	}
	d.idx = &blockIndex{children: ds}
}

func expand(list []*Directive, out []*Directive) []*Directive {
	for _, c := range list {
		if c.Name == "include" && !c.IsBlock {
			out = expand(c.Included(), out)
			continue
		}
		out = append(out, c)
	}
	return out
}

// sorted returns the children ordered by name, file order kept among equal
// names; built once per block, so that Find allocates nothing.
func (d *Directive) sorted() *blockIndex {
	cs := d.Children()
	if cs == nil {
		return &emptyIndex
	}
	x := d.idx
	if x.byName == nil {
		if slices.IsSortedFunc(cs, byName) {
			x.byName = cs
		} else {
			x.byName = slices.Clone(cs)
			slices.SortStableFunc(x.byName, byName)
		}
		if len(cs) > 1 && len(cs) <= indexMin {
			x.names = make([]string, len(cs))
			for i, c := range x.byName {
				x.names[i] = c.Name
			}
		}
		if len(cs) > indexMin { // an http block with thousands of servers
			x.ranges = map[string][2]int32{}
			for i := 0; i < len(x.byName); {
				j := i + 1
				for j < len(x.byName) && x.byName[j].Name == x.byName[i].Name {
					j++
				}
				x.ranges[x.byName[i].Name] = [2]int32{int32(i), int32(j)}
				i = j
			}
		}
	}
	return x
}

// emptyIndex is the index of every block without children (never written:
// sorted returns it before building anything).
var emptyIndex blockIndex

// indexMin is the number of children from which a block keeps a map from
// names to their runs in byName.
const indexMin = 16

func byName(a, b *Directive) int { return strings.Compare(a.Name, b.Name) }

// Find returns the children (include-expanded) with the given name, in file
// order. The result must not be modified.
func (d *Directive) Find(name string) []*Directive {
	x := d.sorted()
	s := x.byName
	if x.ranges != nil {
		r, ok := x.ranges[name]
		if !ok {
			return nil
		}
		return s[r[0]:r[1]:r[1]]
	}
	if len(s) == 1 {
		if s[0].Name == name {
			return s[:1:1]
		}
		return nil
	}
	// Scan the names, not the directives: they sit in one run of memory,
	// and a name of another length is rejected without reading its bytes.
	names := x.names
	i := 0
	for i < len(names) && names[i] != name {
		i++
	}
	j := i
	for j < len(names) && names[j] == name {
		j++
	}
	if i == j {
		return nil
	}
	return s[i:j:j]
}

// FindOne returns the last child with the given name (nginx keeps the last
// for most repeated directives), or nil.
func (d *Directive) FindOne(name string) *Directive {
	if ds := d.Find(name); len(ds) > 0 {
		return ds[len(ds)-1]
	}
	return nil
}

// IncludeChain returns the include directives that brought d in, innermost first.
func (d *Directive) IncludeChain() []*Directive {
	var out []*Directive
	for v := d.Via; v != nil; v = v.Via {
		out = append(out, v)
	}
	return out
}

// Outermost returns the directive written in the block itself that stands
// for d: d, or the outermost include that brought it into parent's body.
func (d *Directive) Outermost(parent *Directive) *Directive {
	cur := d
	for cur.Via != nil && cur.Via.Parent == parent {
		cur = cur.Via
	}
	return cur
}

func (d *Directive) String() string {
	var b strings.Builder
	b.WriteString(d.Name)
	for _, a := range d.Args {
		b.WriteByte(' ')
		b.WriteString(a.Raw)
	}
	return b.String()
}

// Comment is a `#` comment with its span.
type Comment struct {
	Text string // including the '#'
	Span source.Span
}

// parsedFile is the syntax tree of one file, shared by every include site.
type parsedFile struct {
	file     *source.File
	roots    []*Directive
	comments []Comment
	err      *SyntaxError
	count    int  // directives built
	queued   bool // handed to the cross-check whole as soon as parsed
	// streamed holds, for a top-level block, how many of its first
	// children the builder handed to the cross-check while parsing.
	streamed map[*Directive]int
	// special holds, in file order, what gonginxText must not dedent (a
	// quoted argument that spans lines), must blank (Lua code) or must map
	// (a comment holding a '\r' or ending with a backslash).
	special []special
	// sent holds the text of every simple directive handed to gonginx
	// (pf.job).
	sent map[string]*Directive
}

// special is a span of a file that gonginx is handed otherwise.
type special struct {
	start, end int
	lua        bool // Lua code
	cr         bool // a comment holding a '\r' or ending with a backslash
	// else a quoted argument with a newline
}

// parseTree builds the directive tree of f, pulling tokens from the lexer
// as it goes (no token slice: a large file would need tens of megabytes).
func parseTree(f *source.File) *parsedFile { return parseTreeStream(f, nil) }

// parseTreeStream is parseTree that also hands emit, as soon as they are
// complete, runs of about chunkSize bytes of the children of top-level
// blocks (the servers of a large http block).
func parseTreeStream(f *source.File, emit func(*parsedFile, []*Directive)) *parsedFile {
	pf := &parsedFile{file: f}
	b := &builder{f: f, lx: &lexer{f: f}, pf: pf, emit: emit}
	b.advance()
	roots, err := b.block(0, token{}, false)
	pf.roots = roots
	switch serr := b.lx.err; {
	case serr != nil && (err == nil || serr.Span.Start <= err.Span.Start):
		pf.err = serr
	case err != nil:
		pf.err = err
	}
	return pf
}

type builder struct {
	f    *source.File
	lx   *lexer
	cur  token // the current token, valid while ok
	ok   bool
	pf   *parsedFile
	args []Arg // scratch: the arguments being read, copied once per directive
	emit func(*parsedFile, []*Directive)
	run  int // children of the depth-1 block just read that were emitted
	// handler is the name of the handler block being read (handlerBlocks),
	// or "".
	handler string

	slab    []Directive  // where newDirective carves directives from
	argSlab []Arg        // where takeArgs carves arguments from
	kids    []*Directive // scratch: the children of the blocks being read, innermost last
	kidSlab []*Directive // where takeKids carves block bodies from
}

// takeArgs copies the arguments read since mark into an exactly sized
// slice, carved from a slab shared with the next directives.
func (b *builder) takeArgs(mark int) []Arg {
	n := len(b.args) - mark
	if n == 0 {
		return nil
	}
	if cap(b.argSlab)-len(b.argSlab) < n {
		b.argSlab = make([]Arg, 0, max(n, b.slabSize()))
	}
	i := len(b.argSlab)
	b.argSlab = append(b.argSlab, b.args[mark:]...)
	b.args = b.args[:mark]
	return b.argSlab[i : i+n : i+n]
}

// newDirective returns a zero directive from a slab: one allocation for
// many directives (the tree of a large file holds hundreds of thousands).
func (b *builder) newDirective() *Directive {
	if len(b.slab) == cap(b.slab) {
		b.slab = make([]Directive, 0, b.slabSize())
	}
	b.slab = b.slab[:len(b.slab)+1]
	b.pf.count++
	return &b.slab[len(b.slab)-1]
}

// slabSize grows with the file read so far: small inputs (the web
// service's) allocate little, large ones allocate rarely.
func (b *builder) slabSize() int {
	return min(max(16, b.lx.pos/256), 1024)
}

func (b *builder) advance() { b.cur, b.ok = b.lx.next() }

// text returns a token's bytes as a string that shares the file's memory:
// source.File data is never modified after NewFile, so no copy is needed.
func (b *builder) text(t token) string {
	if t.end <= t.start {
		return ""
	}
	return unsafe.String(&b.f.Data[t.start], t.end-t.start)
}

func (b *builder) span(t token) source.Span {
	return source.Span{File: b.f, Start: t.start, End: t.end}
}

func (b *builder) errAt(t token, format string, args ...any) *SyntaxError {
	return &SyntaxError{Span: b.span(t), Message: fmt.Sprintf(format, args...)}
}

// eof returns an error placed at the end of the last non-blank line, where
// nginx reports an unexpected end of file.
func (b *builder) eof() *SyntaxError {
	n := len(b.f.Data)
	for n > 0 && strings.IndexByte(" \t\r\n", b.f.Data[n-1]) >= 0 {
		n--
	}
	return &SyntaxError{Span: source.Span{File: b.f, Start: n, End: n}}
}

// block parses directives until the '}' that closes the block opened by
// token open (inBlock false at the top of the file).
func (b *builder) block(depth int, open token, inBlock bool) ([]*Directive, *SyntaxError) {
	mark := len(b.kids)
	err := b.children(depth, open, inBlock, mark)
	return b.takeKids(mark), err
}

// children reads the directives of a block onto b.kids (above mark).
func (b *builder) children(depth int, open token, inBlock bool, mark int) *SyntaxError {
	if depth > maxDepth {
		return b.errAt(open, "blocks nested deeper than %d levels", maxDepth)
	}
	run := mark // at depth 1: the first child not yet emitted
	defer func() {
		if depth == 1 {
			b.run = run - mark
		}
	}()
	for b.ok {
		t := b.cur
		switch t.kind {
		case tokComment:
			b.comment(t)
			b.advance()
		case tokSemi:
			return b.errAt(t, `unexpected ";"`)
		case tokOpen:
			return b.errAt(t, `unexpected "{"`)
		case tokClose:
			if !inBlock {
				return b.errAt(t, `unexpected "}"`)
			}
			return nil
		case tokWord:
			d, err := b.directive(depth)
			if d != nil {
				b.kids = append(b.kids, d)
			}
			if err != nil {
				return err
			}
			if depth == 1 && b.emit != nil && d != nil && d.Span.End-b.kids[run].Span.Start >= chunkSize {
				// A copy: b.kids is scratch, rewritten once this block ends.
				b.emit(b.pf, slices.Clone(b.kids[run:]))
				run = len(b.kids)
			}
		}
	}
	if inBlock && b.lx.err == nil {
		e := b.eof()
		e.Message = `unexpected end of file, expecting "}"`
		return e
	}
	return nil
}

// takeKids moves the directives read since mark into an exactly sized
// slice carved from a slab (full, so that appending to a block's body, as
// the loader does, never writes into its neighbour's).
func (b *builder) takeKids(mark int) []*Directive {
	n := len(b.kids) - mark
	if n == 0 {
		return nil
	}
	if cap(b.kidSlab)-len(b.kidSlab) < n {
		b.kidSlab = make([]*Directive, 0, max(n, b.slabSize()))
	}
	i := len(b.kidSlab)
	b.kidSlab = append(b.kidSlab, b.kids[mark:]...)
	clear(b.kids[mark:])
	b.kids = b.kids[:mark]
	return b.kidSlab[i : i+n : i+n]
}

func (b *builder) comment(t token) {
	text := b.f.Data[t.start:t.end]
	b.pf.comments = append(b.pf.comments, Comment{Text: string(text), Span: b.span(t)})
	if bytes.IndexByte(text, '\r') >= 0 || text[len(text)-1] == '\\' {
		b.pf.special = append(b.pf.special, special{start: t.start, end: t.end, cr: true})
	}
}

func (b *builder) directive(depth int) (*Directive, *SyntaxError) {
	nt := b.cur
	d := b.newDirective()
	// The span starts at the name and is extended as the directive is read.
	d.Name, d.Span = unquote(b.text(nt), nt.quoted), b.span(nt)
	d.nameLen = length32(nt.end - d.Span.Start)
	b.advance()
	mark := len(b.args)
	defer func() { b.args = b.args[:mark] }()
	for b.ok {
		t := b.cur
		switch t.kind {
		case tokComment:
			b.comment(t)
			b.advance()
		case tokWord:
			raw := b.text(t)
			b.args = append(b.args, Arg{Value: unquote(raw, t.quoted), Raw: raw, Span: b.span(t)})
			if t.quoted != 0 && strings.IndexByte(raw, '\n') >= 0 {
				b.pf.special = append(b.pf.special, special{start: t.start, end: t.end})
			}
			b.advance()
		case tokSemi:
			d.Args = b.takeArgs(mark)
			d.Span = source.Span{File: b.f, Start: nt.start, End: t.end}
			b.advance()
			return d, nil
		case tokOpen:
			if b.handler != "" {
				return nil, b.errAt(t, `unexpected "{": the lines of a %q block are not directives and open no block`, b.handler)
			}
			d.Args = b.takeArgs(mark)
			d.IsBlock = true
			d.HeaderEnd = t.end
			if isLuaBlock(d) {
				return d, b.skipLua(d, t)
			}
			b.advance()
			outer := b.handler
			if handlerBlocks[d.Name] {
				b.handler = d.Name
			}
			body, err := b.block(depth+1, t, true)
			b.handler = outer
			d.Body = body
			if depth == 0 && b.run > 0 {
				if b.pf.streamed == nil {
					b.pf.streamed = map[*Directive]int{}
				}
				b.pf.streamed[d] = b.run
			}
			for _, c := range body {
				c.Parent = d
			}
			if err != nil || !b.ok {
				d.Span = source.Span{File: b.f, Start: nt.start, End: len(b.f.Data)}
				return d, err
			}
			d.Span = source.Span{File: b.f, Start: nt.start, End: b.cur.end}
			b.advance()
			return d, nil
		case tokClose:
			return nil, b.errAt(t, `unexpected "}": %q is missing its ";"`, d.Name)
		}
	}
	if b.lx.err != nil {
		return nil, nil
	}
	e := b.eof()
	e.Message = fmt.Sprintf(`unexpected end of file, expecting ";" or "}" after %q`, d.Name)
	return nil, e
}

// handlerBlocks are the blocks nginx reads with a handler of their module
// instead of as directives (cf->handler in ngx_conf_parse), which refuses a
// '{' in them: `unexpected "{"` (verified with nginx 1.22.1 and its
// stream module: TestBlockInHandlerBlock). Blocks of third-party or
// commercial modules (geoip2, match, num_map) are left out: unverified.
var handlerBlocks = map[string]bool{"types": true, "map": true, "geo": true, "split_clients": true, "charset_map": true}

// HandlerBlock reports whether a block named name is read by its module's
// handler (handlerBlocks): its lines are not directives and open no block.
func HandlerBlock(name string) bool { return handlerBlocks[name] }

// skipLua skips the Lua code of a *_by_lua_block as lua-nginx-module reads
// it (luaCode); the code is not nginx syntax.
func (b *builder) skipLua(d *Directive, open token) *SyntaxError {
	data := b.f.Data
	end, unclosed := luaCode(data, open.end)
	switch {
	case unclosed >= 0:
		return &SyntaxError{Span: source.Span{File: b.f, Start: unclosed, End: unclosed},
			Message: fmt.Sprintf("the Lua code of %q is missing the closing long bracket %q", d.Name, longBracketClose(data, unclosed))}
	case end < 0:
		e := b.eof()
		e.Message = fmt.Sprintf("unexpected end of file in %q", d.Name)
		return e
	}
	d.Span = source.Span{File: b.f, Start: d.Span.Start, End: end + 1}
	b.pf.special = append(b.pf.special, special{start: open.end, end: end, lua: true})
	b.lx.pos = end + 1 // the Lua code is not nginx syntax: resume after it
	b.advance()
	return nil
}
