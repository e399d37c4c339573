package rules

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
)

// headerAnchor returns the directive after which new proxy_set_header lines
// go in block: its last own proxy_set_header (or the include written in the
// block that brings it), else its proxy_pass, else nil (top of the block).
func headerAnchor(block *nginx.Directive) *nginx.Directive {
	var anchor *nginx.Directive
	for _, d := range block.Find("proxy_set_header") {
		anchor = d.Outermost(block)
	}
	if anchor == nil {
		anchor = block.FindOne("proxy_pass")
	}
	if anchor != nil && anchor.File() != block.File() {
		return nil
	}
	return anchor
}

// addHeaders returns an edit that adds proxy_set_header lines to block.
func addHeaders(block *nginx.Directive, lines []string) (source.TextEdit, bool) {
	if a := headerAnchor(block); a != nil {
		return lint.InsertLinesAfter(a, lines...), true
	}
	return lint.InsertLinesInBlock(block, lines...)
}

// listNames reports whether a proxy_set_header list has a line, valid or
// not, for the header name (letter case aside).
func listNames(list []*nginx.Directive, name string) bool {
	return slices.ContainsFunc(list, func(d *nginx.Directive) bool { return strings.EqualFold(d.Arg(0), name) })
}

// headerLine renders a proxy_set_header directive as written.
func headerLine(d *nginx.Directive) string {
	n := len("proxy_set_header;")
	for _, a := range d.Args {
		n += 1 + len(a.Raw)
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteString("proxy_set_header")
	for _, a := range d.Args {
		b.WriteByte(' ')
		b.WriteString(a.Raw)
	}
	b.WriteByte(';')
	return b.String()
}

// inheritedLines returns the lines of an inherited list that block does not
// set itself: adding a proxy_set_header to block would drop them, so a fix
// copies them to keep what nginx sends. A line nginx refuses (not two
// arguments, or a block) sends nothing and is reported where it is: a
// copy would only repeat the error.
func inheritedLines(from []*nginx.Directive, own []*nginx.Directive) []string {
	var out []string
	for _, d := range from {
		if len(d.Args) == 2 && !d.IsBlock && !listNames(own, d.Arg(0)) {
			out = append(out, headerLine(d))
		}
	}
	return out
}

// connectionValue returns the value to forward as Connection in loc: an
// existing upgrade map's variable, else `$connection_upgrade` when a map can
// be added (mapEdit, in loc's file, or by WS007 in another), else "upgrade".
func connectionValue(p *lint.Pass, loc *nginx.Location) (value string, mapEdit *source.TextEdit) {
	for _, m := range p.Nginx.MapsInOrder() { // the first in the file: deterministic output
		if strings.EqualFold(m.Source, "$http_upgrade") && upgradesHandshakes(p.Nginx, m) {
			return "$" + m.Var, nil
		}
	}
	if mapNameTaken(p.Nginx, "connection_upgrade") {
		return `"upgrade"`, nil // the name is taken by some other map
	}
	edit, ok := mapPlacement(p, loc.Block.File(), upgradeMapLines(p))
	switch {
	case ok && edit.File == loc.Block.File():
		return "$connection_upgrade", &edit
	case ok:
		return "$connection_upgrade", nil // WS007 adds the map in its file
	}
	return `"upgrade"`, nil
}

// upgradesHandshakes reports whether map m gives a value with the
// `upgrade` token for both browser handshakes: its `default upgrade` alone
// does not say so (a `~* ""` or `~*^` key matches every value first).
func upgradesHandshakes(c *nginx.Config, m *nginx.Map) bool {
	for _, req := range nginx.Handshakes {
		if yes, unknown := c.EvalMap(m, req).HasToken("upgrade"); !yes || unknown {
			return false
		}
	}
	return true
}

// mapNameTaken reports whether a fix must not add a map defining the
// variable name (lowercase): a map defines it, or will once WS017 writes
// its `$` or WS002 renames its directive (`Map`), in the same round.
func mapNameTaken(cfg *nginx.Config, name string) bool {
	return cfg.Map(name) != nil || definedWithoutDollar(cfg)[name] || renamedDefinitions(cfg)[name]
}

// upgradeMapLines is the canonical upgrade map; the non-upgrade branch is
// empty where upstream keepalive applies (WS401), `close` otherwise.
func upgradeMapLines(p *lint.Pass) []string {
	other := "close"
	if keepaliveApplies(p) {
		other = "''"
	}
	return []string{"map $http_upgrade $connection_upgrade {", "    default upgrade;", fmt.Sprintf("    ''      %s;", other), "}"}
}

// keepaliveApplies reports whether some upstream block keeps connections
// alive: an explicit `keepalive N>0`, or any upstream on nginx 1.29.7+
// without `keepalive 0`.
func keepaliveApplies(p *lint.Pass) bool {
	for _, u := range p.Nginx.Upstreams() {
		ka := u.FindOne("keepalive")
		if ka != nil && ka.Arg(0) != "0" || ka == nil && p.Opts.NginxVersion.AtLeast(nginx.V1_29_7) {
			return true
		}
	}
	return false
}

// mapPlacement returns an edit inserting lines in the http context: at the
// top of the first real http block, or at the top of a file whose directives
// live in http (a conf.d snippet). It prefers the given file.
func mapPlacement(p *lint.Pass, prefer *source.File, lines []string) (source.TextEdit, bool) {
	var best source.TextEdit
	found := false
	for _, h := range p.Nginx.HTTPBlocks() {
		if !h.Synthetic {
			if e, ok := lint.InsertLinesInBlock(h, lines...); ok && (!found || e.File == prefer) {
				best, found = e, true
			}
			continue
		}
		for _, d := range h.Body {
			if d.Synthetic || d.Via != nil || p.Nginx.Context[d.File()] != nginx.CtxHTTP {
				continue // only a file whose top level is http (a conf.d snippet) takes a map
			}
			e := lint.InsertLinesBefore(d, append(lines, "")...)
			if !found || e.File == prefer {
				best, found = e, true
			}
			break
		}
	}
	return best, found
}

// headerNames renders the distinct header names of proxy_set_header lines:
// "`Upgrade`, `Connection` and `Host`".
func headerNames(ds []*nginx.Directive) []string {
	out := make([]string, 0, len(ds))
	for i, d := range ds {
		if !slices.ContainsFunc(ds[:i], func(e *nginx.Directive) bool { return strings.EqualFold(e.Arg(0), d.Arg(0)) }) {
			out = append(out, "`"+d.Arg(0)+"`")
		}
	}
	return out
}

// andList joins "a, b and c".
func andList(items []string) string {
	if len(items) <= 1 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// lineRefs renders where directives are: "lines 17-19" in the file `here`,
// "conf.d/ws.conf:3-5" in another file.
func lineRefs(ds []*nginx.Directive, here *source.File) string {
	var files []*source.File
	byFile := map[*source.File][]int{}
	for _, d := range ds {
		if _, ok := byFile[d.File()]; !ok {
			files = append(files, d.File())
		}
		byFile[d.File()] = append(byFile[d.File()], line(d))
	}
	var parts []string
	for _, f := range files {
		ls := byFile[f]
		if f == here {
			parts = append(parts, plural(len(ls), "line ", "lines ")+lineRanges(ls))
			continue
		}
		name := f.Path
		if rel, err := filepath.Rel(filepath.Dir(here.Path), f.Path); err == nil && !strings.HasPrefix(rel, "..") {
			name = rel
		}
		parts = append(parts, name+":"+lineRanges(ls))
	}
	return strings.Join(parts, ", ")
}

// lineRanges renders sorted line numbers as "3-5, 8".
func lineRanges(ls []int) string {
	ls = slices.Compact(slices.Sorted(slices.Values(ls)))
	var parts []string
	for i := 0; i < len(ls); {
		j := i
		for j+1 < len(ls) && ls[j+1] == ls[j]+1 {
			j++
		}
		s := strconv.Itoa(ls[i])
		if j > i {
			s += "-" + strconv.Itoa(ls[j])
		}
		parts = append(parts, s)
		i = j + 1
	}
	return strings.Join(parts, ", ")
}
