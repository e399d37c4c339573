package lint

import (
	"strings"

	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
)

// InsertLinesAfter returns an edit that inserts lines after the line on
// which d ends, each with d's indentation and the file's line ending. When
// something other than blanks or a comment follows d on that line (the
// start of another directive, which may go on over the next lines), the
// line is broken after d instead, so the new lines never land inside it.
func InsertLinesAfter(d *nginx.Directive, lines ...string) source.TextEdit {
	f := d.File()
	at := f.LineEnd(d.Span.End - 1)
	nl := f.Newline()
	lead := ""
	if !restIsBlankOrComment(string(f.Data[d.Span.End:at])) {
		at = d.Span.End
		lead = nl
	} else if at == len(f.Data) && (at == 0 || f.Data[at-1] != '\n') {
		lead = nl // the directive is on a last line without newline
	}
	indent := f.Indent(d.Span.Start)
	if p := d.Parent; p != nil && !p.Synthetic && p.HeaderEnd > 0 && p.File() == f && f.LineStart(p.HeaderEnd-1) == f.LineStart(d.Span.Start) {
		// `location / { proxy_pass ...; }`: one step inside the block
		if strings.HasPrefix(indent, "\t") {
			indent += "\t"
		} else {
			indent += "    "
		}
	}
	return source.TextEdit{File: f, Start: at, End: at, New: joinLines(lead, indent, nl, lines)}
}

// joinLines returns lead, then each line with indent before it and nl
// after it: an edit's text, built in one allocation.
func joinLines(lead, indent, nl string, lines []string) string {
	n := len(lead) + len(lines)*(len(indent)+len(nl))
	for _, l := range lines {
		n += len(l)
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteString(lead)
	for _, l := range lines {
		b.WriteString(indent)
		b.WriteString(l)
		b.WriteString(nl)
	}
	return b.String()
}

// InsertLinesBefore returns an edit that inserts lines before the line on
// which d starts, with d's indentation.
func InsertLinesBefore(d *nginx.Directive, lines ...string) source.TextEdit {
	f := d.File()
	at := f.LineStart(d.Span.Start)
	nl := f.Newline()
	return source.TextEdit{File: f, Start: at, End: at, New: joinLines("", f.Indent(d.Span.Start), nl, lines)}
}

// InsertLinesInBlock returns an edit that inserts lines at the top of a
// block's body, indented like its first child (or one step deeper than the
// block). It returns false for synthetic blocks, which have no text.
func InsertLinesInBlock(block *nginx.Directive, lines ...string) (source.TextEdit, bool) {
	if block.Synthetic || block.HeaderEnd == 0 {
		return source.TextEdit{}, false
	}
	f := block.File()
	indent := f.Indent(block.Span.Start)
	step := "    "
	if strings.HasPrefix(indent, "\t") {
		step = "\t"
	}
	inner := indent + step
	for _, c := range block.Body {
		if c.File() == f {
			if ls := f.LineStart(c.Span.Start); strings.TrimSpace(string(f.Data[ls:c.Span.Start])) == "" {
				inner = f.Indent(c.Span.Start) // the first child starts its own line
			}
			break
		}
	}
	nl := f.Newline()
	at := block.HeaderEnd
	lead := ""
	// After "{": insert below the header line when only blanks or a comment
	// follow it (a comment stays on its line); otherwise break the line.
	if l := f.LineEnd(at - 1); restIsBlankOrComment(string(f.Data[at:l])) {
		at = l
		if at == len(f.Data) && (at == 0 || f.Data[at-1] != '\n') {
			lead = nl
		}
	} else {
		lead = nl
	}
	return source.TextEdit{File: f, Start: at, End: at, New: joinLines(lead, inner, nl, lines)}, true
}

// ReplaceArg returns an edit that replaces one argument as written.
func ReplaceArg(a nginx.Arg, text string) source.TextEdit {
	return source.TextEdit{File: a.Span.File, Start: a.Span.Start, End: a.Span.End, New: text}
}

// DeleteDirective returns an edit that removes d; when d is alone on its
// lines, the whole lines go.
func DeleteDirective(d *nginx.Directive) source.TextEdit {
	f := d.File()
	start, end := d.Span.Start, d.Span.End
	ls, le := f.LineStart(start), f.LineEnd(end-1)
	if strings.TrimSpace(string(f.Data[ls:start])) == "" && strings.TrimSpace(string(f.Data[end:le])) == "" {
		start, end = ls, le
	}
	return source.TextEdit{File: f, Start: start, End: end}
}

func restIsBlankOrComment(s string) bool {
	s = strings.TrimSpace(s)
	return s == "" || strings.HasPrefix(s, "#")
}
