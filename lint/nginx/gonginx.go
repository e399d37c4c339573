package nginx

import (
	"fmt"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tufanbarisyildirim/gonginx/config"
	"github.com/tufanbarisyildirim/gonginx/parser"
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

var gonginxPos = regexp.MustCompile(`line (\d+), column (\d+)`)

// chunkSize is the amount of text handed to one gonginx parse. gonginx
// reads about 15 MB/s; independent chunks parse in parallel.
const chunkSize = 256 << 10

// chunk is a run of sibling directives and the bytes they span.
type chunk struct {
	ds         []*Directive
	start, end int
}

// chunks splits a tree into runs of siblings of about chunkSize bytes,
// descending into blocks larger than that (such as http).
func chunks(ds []*Directive, out []chunk) []chunk {
	var cur chunk
	flush := func() {
		if len(cur.ds) > 0 {
			out = append(out, cur)
		}
		cur = chunk{}
	}
	for _, d := range ds {
		size := d.Span.End - d.Span.Start
		if size > chunkSize && d.IsBlock && len(d.Body) > 1 {
			flush()
			out = append(out, chunk{ds: []*Directive{d}, start: -1}) // header checked alone
			out = chunks(d.Body, out)
			continue
		}
		if len(cur.ds) == 0 {
			cur.start = d.Span.Start
		}
		cur.ds = append(cur.ds, d)
		cur.end = d.Span.End
		if cur.end-cur.start >= chunkSize {
			flush()
		}
	}
	flush()
	return out
}

// startCrossCheck parses the files with gonginx in the background, in
// chunks spread over GOMAXPROCS goroutines, and compares each tree with the
// span-carrying one. The token scan follows ngx_conf_read_token and finds
// every error nginx would, so an error only gonginx sees is a disagreement
// between the two parsers (WS999), as is a different tree. The rules run
// meanwhile; CrossCheck waits for the result.
func (c *Config) startCrossCheck(files []*parsedFile) {
	type job struct {
		pf    *parsedFile
		c     chunk
		whole bool
	}
	var jobs []job
	for _, pf := range files {
		if len(pf.file.Data) <= chunkSize {
			jobs = append(jobs, job{pf: pf, c: chunk{ds: pf.roots, start: 0, end: len(pf.file.Data)}, whole: true})
			continue
		}
		for _, ch := range chunks(pf.roots, nil) {
			jobs = append(jobs, job{pf: pf, c: ch})
		}
	}
	results := make([]string, len(jobs))
	run := func(i int) {
		j := jobs[i]
		f := j.pf.file
		var text string
		roots := j.c.ds
		if j.c.start >= 0 {
			text = dedent(f.Data[j.c.start:j.c.end], j.c.start, roots)
		}
		if j.c.start < 0 { // a large block: its name and arguments only
			d := j.c.ds[0]
			text = string(f.Data[d.Span.Start:d.HeaderEnd]) + "}"
			hdr := *d
			hdr.Body = nil
			roots = []*Directive{&hdr}
		}
		serr, mismatch := gonginxChunk(f, text, roots, j.whole)
		if serr != nil && j.whole {
			serr, mismatch = gonginxChunk(f, string(f.Data), roots, true) // for the error's column
		}
		switch {
		case serr != nil:
			results[i] = "gonginx rejects what nginx accepts: " + serr.Message
		case mismatch != "":
			results[i] = "parser cross-check failed: " + mismatch
		}
	}
	merge := func() {
		seen := map[*parsedFile]bool{}
		for i, msg := range results {
			if msg != "" && !seen[jobs[i].pf] {
				seen[jobs[i].pf] = true
				c.Problems = append(c.Problems, Problem{Kind: ProblemParserMismatch, Span: source.Span{File: jobs[i].pf.file}, Message: msg})
			}
		}
	}
	if len(jobs) <= 1 {
		// Small input: check when asked, on the caller's goroutine; there
		// is nothing to overlap, and the web service runs many at once.
		c.crossDone = func() {
			for i := range jobs {
				run(i)
			}
			merge()
		}
		return
	}
	work := make(chan int, len(jobs))
	for i := range jobs {
		work <- i
	}
	close(work)
	workers := min(runtime.GOMAXPROCS(0), len(jobs))
	c.crossWG.Add(workers)
	for w := 0; w < workers; w++ {
		go func() {
			defer c.crossWG.Done()
			for i := range work {
				run(i)
			}
		}()
	}
	c.crossDone = func() {
		c.crossWG.Wait()
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

// dedent returns a chunk's text without the spaces and tabs that start its
// lines, outside quoted arguments that span lines. gonginx reads a rune at a
// time, and indentation is about a quarter of a typical configuration; the
// newlines stay, so tokens stay apart and gonginx's line numbers hold (an
// error in a whole file is re-read from the original text for its column).
func dedent(data []byte, base int, roots []*Directive) string {
	var keep []source.Span // quoted arguments with a newline, in file order
	var walk func(ds []*Directive)
	walk = func(ds []*Directive) {
		for _, d := range ds {
			for _, a := range d.Args {
				if a.Quoted && strings.IndexByte(a.Raw, '\n') >= 0 {
					keep = append(keep, a.Span)
				}
			}
			walk(d.Body)
		}
	}
	walk(roots)
	out := make([]byte, 0, len(data))
	for i := 0; i < len(data); {
		c := data[i]
		out = append(out, c)
		i++
		if c != '\n' {
			continue
		}
		for len(keep) > 0 && keep[0].End <= base+i {
			keep = keep[1:]
		}
		if len(keep) > 0 && keep[0].Start < base+i {
			continue // inside a quoted argument
		}
		for i < len(data) && (data[i] == ' ' || data[i] == '\t') {
			i++
		}
	}
	return string(out)
}

// forGonginx maps the bytes gonginx cannot read (NUL, which its lexer takes
// for the end of input, and invalid UTF-8, which it turns into U+FFFD) to
// '?', one byte for one. nginx reads them as ordinary bytes, so the tree's
// shape is unchanged; pair compares through the same mapping.
func forGonginx(text string) string {
	if utf8.ValidString(text) && strings.IndexByte(text, 0) < 0 {
		return text
	}
	b := []byte(text)
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == 0 || r == utf8.RuneError && n == 1 {
			b[i] = '?'
		}
		i += n
	}
	return string(b)
}

func gonginxChunk(f *source.File, text string, roots []*Directive, whole bool) (*SyntaxError, string) {
	text = forGonginx(text)
	p := parser.NewStringParser(text, parser.WithSkipValidDirectivesErr(), parser.WithSkipComments())
	conf, err := p.Parse()
	if err != nil {
		if !whole {
			return &SyntaxError{Span: source.Span{File: f}, Message: err.Error() + " (in a chunk of the file)"}, ""
		}
		return gonginxError(f, err), ""
	}
	return nil, pair(conf.Block.GetDirectives(), roots)
}

func gonginxError(f *source.File, err error) *SyntaxError {
	e := &SyntaxError{Message: err.Error()}
	if m := gonginxPos.FindStringSubmatch(err.Error()); m != nil {
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
func pair(g []config.IDirective, w []*Directive) string {
	if len(g) != len(w) {
		return fmt.Sprintf("%d directives vs %d", len(g), len(w))
	}
	for i, gd := range g {
		wd := w[i]
		if gd.GetName() != forGonginx(wd.NameSpan.Text()) {
			return fmt.Sprintf("directive %q vs %q", gd.GetName(), wd.NameSpan.Text())
		}
		if _, lua := gd.(*config.LuaBlock); lua {
			continue
		}
		params := gd.GetParameters()
		if len(params) != len(wd.Args) {
			return fmt.Sprintf("%q has %d arguments vs %d", wd.Name, len(params), len(wd.Args))
		}
		for j, p := range params {
			if p.Value != forGonginx(wd.Args[j].Raw) {
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
		if msg := pair(gb, wd.Body); msg != "" {
			return msg
		}
	}
	return ""
}
