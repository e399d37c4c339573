package nginx

import (
	"fmt"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
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

// gonginxParse parses f with gonginx and checks that its tree agrees with
// the span-carrying tree built by parseTree. It returns a syntax error found
// only by gonginx, or a disagreement between the two. Large files are
// parsed in independent chunks, concurrently.
func gonginxParse(f *source.File, roots []*Directive) (syntax *SyntaxError, mismatch string) {
	if len(f.Data) <= chunkSize {
		return gonginxChunk(f, string(f.Data), roots, true)
	}
	cs := chunks(roots, nil)
	type result struct {
		syntax   *SyntaxError
		mismatch string
	}
	results := make([]result, len(cs))
	work := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				c := cs[i]
				if c.start < 0 { // a large block: check its name and arguments only
					d := c.ds[0]
					text := string(f.Data[d.Span.Start:d.HeaderEnd]) + "}"
					hdr := *d
					hdr.Body = nil
					results[i].syntax, results[i].mismatch = gonginxChunk(f, text, []*Directive{&hdr}, false)
					continue
				}
				results[i].syntax, results[i].mismatch = gonginxChunk(f, string(f.Data[c.start:c.end]), c.ds, false)
			}
		}()
	}
	for i := range cs {
		work <- i
	}
	close(work)
	wg.Wait()
	for _, r := range results {
		if r.syntax != nil || r.mismatch != "" {
			return r.syntax, r.mismatch
		}
	}
	return nil, ""
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
