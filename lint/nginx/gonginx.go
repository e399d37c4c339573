package nginx

import (
	"fmt"
	"regexp"
	"strconv"

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

// gonginxParse parses f with gonginx and checks that its tree agrees with
// the span-carrying tree built by parseTree. It returns a syntax error found
// only by gonginx, or a disagreement between the two.
func gonginxParse(f *source.File, roots []*Directive) (syntax *SyntaxError, mismatch string) {
	p := parser.NewStringParser(string(f.Data), parser.WithSkipValidDirectivesErr(), parser.WithSkipComments())
	conf, err := p.Parse()
	if err != nil {
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
		if gd.GetName() != wd.NameSpan.Text() {
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
			if p.Value != wd.Args[j].Raw {
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
