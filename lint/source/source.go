// Package source holds the bytes of a configuration file, a line index over
// them, byte spans and text edits. It is the leaf of wslint's dependency graph.
package source

import (
	"bytes"
	"fmt"
	"sort"
	"sync"
)

// File is one configuration file as read from disk or stdin.
type File struct {
	Path string // as the user named it (relative paths stay relative)
	Data []byte
	// lines holds the byte offset of the start of every line, built on
	// first use (a windowed lint makes files whose lines it never asks).
	lines     []int
	linesOnce sync.Once
	// view, when set, makes the file a view of another (NewView).
	view *view
}

// Piece is a run of a view's data taken from its base: Data[W:W+N] is
// base.Data[Base:Base+N].
type Piece struct{ W, Base, N int }

type view struct {
	base   *File
	pieces []Piece
}

// NewView returns a file whose data is runs of base's data, pieces in
// order, each holding whole lines of base but perhaps the first of a run
// and the last (a windowed lint leaves blocks of lines out). Its lines are
// numbered as base's: Position, Offset and LineCount answer with base's
// lines; LineStart, LineEnd and Indent read its own data.
func NewView(base *File, data []byte, pieces []Piece) *File {
	return &File{Path: base.Path, Data: data, view: &view{base: base, pieces: pieces}}
}

// Base returns the file f is a view of, or f itself.
func (f *File) Base() *File {
	if f.view != nil {
		return f.view.base
	}
	return f
}

// ToBase maps an offset of f to base's (f itself: unchanged). An exclusive
// end belongs to the piece before it. An insertion point (point) with only
// blanks between it and runs left out before it maps to the first of those
// runs' start: before what was left out, as if it were there (an insertion
// before the first directive of a file goes before the file's first
// directive, left out or not).
func (f *File) ToBase(off int, end, point bool) int {
	if f.view == nil {
		return off
	}
	ps := f.view.pieces
	if point {
		if b, ok := f.view.beforeLeftOut(f.Data, off); ok {
			return b
		}
	}
	return mapPieces(ps, off, end, func(p Piece) int { return p.W }, func(p Piece) int { return p.Base })
}

// mapPieces maps off from one side of the pieces to the other: from gives
// a piece's start on off's side, to on the other. An offset in a run left
// out maps to where the run was; an exclusive end (end) at a piece's end
// belongs to that piece.
func mapPieces(ps []Piece, off int, end bool, from, to func(Piece) int) int {
	i := sort.Search(len(ps), func(i int) bool { e := from(ps[i]) + ps[i].N; return e > off || end && e >= off })
	if i == len(ps) {
		if len(ps) == 0 {
			return 0
		}
		p := ps[len(ps)-1]
		return to(p) + p.N
	}
	p := ps[i]
	if off < from(p) {
		return to(p)
	}
	return to(p) + off - from(p)
}

// beforeLeftOut returns the start of the first of the runs left out
// before off with only blanks between (ok is false when there are none).
func (v *view) beforeLeftOut(data []byte, off int) (int, bool) {
	ps := v.pieces
	i := sort.Search(len(ps), func(i int) bool { return ps[i].W+ps[i].N > off }) // the piece holding off
	if i == len(ps) {
		i = len(ps) - 1
	}
	at, ok := -1, false
	for ; i >= 0; i-- {
		p := ps[i]
		if off < p.W || !Blank(data[p.W:min(off, p.W+p.N)]) {
			break
		}
		prevEnd := 0
		if i > 0 {
			prevEnd = ps[i-1].Base + ps[i-1].N
		}
		if p.Base == prevEnd {
			break // nothing left out before this piece
		}
		at, ok = prevEnd, true
		off = p.W
	}
	return at, ok
}

// Blank reports whether b holds only spaces, tabs and line ends.
func Blank(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			return false
		}
	}
	return true
}

// fromBase maps an offset of base to f's; one in a run left out maps to
// where the run was.
func (v *view) fromBase(off int) int {
	return mapPieces(v.pieces, off, false, func(p Piece) int { return p.Base }, func(p Piece) int { return p.W })
}

// NewFile returns the file of data. The data must not be modified afterwards.
func NewFile(path string, data []byte) *File {
	return &File{Path: path, Data: data}
}

// index returns the offsets of the lines' starts.
func (f *File) index() []int {
	f.linesOnce.Do(func() {
		data := f.Data
		lines := make([]int, 1, 1+bytes.Count(data, []byte{'\n'}))
		for i := 0; i < len(data); {
			j := bytes.IndexByte(data[i:], '\n')
			if j < 0 {
				break
			}
			i += j + 1
			lines = append(lines, i)
		}
		f.lines = lines
	})
	return f.lines
}

// Position returns the 1-based line and 1-based byte column of offset off.
// Offsets past the end are clamped to the end of the file.
func (f *File) Position(off int) (line, col int) {
	if f.view != nil {
		return f.view.base.Position(f.ToBase(off, false, false))
	}
	return f.position(off)
}

func (f *File) position(off int) (line, col int) {
	lines := f.index()
	if off < 0 {
		off = 0
	}
	if off > len(f.Data) {
		off = len(f.Data)
	}
	i := sort.Search(len(lines), func(i int) bool { return lines[i] > off }) - 1
	return i + 1, off - lines[i] + 1
}

// Offset is the inverse of Position. Out-of-range values are clamped.
func (f *File) Offset(line, col int) int {
	if f.view != nil {
		return f.view.fromBase(f.view.base.Offset(line, col))
	}
	lines := f.index()
	if line < 1 {
		return 0
	}
	if line > len(lines) {
		return len(f.Data)
	}
	off := lines[line-1] + col - 1
	if off > len(f.Data) {
		off = len(f.Data)
	}
	if off < lines[line-1] {
		off = lines[line-1]
	}
	return off
}

// LineCount is the number of lines (a final newline does not start a new one).
func (f *File) LineCount() int {
	if f.view != nil {
		return f.view.base.LineCount()
	}
	lines := f.index()
	n := len(lines)
	if n > 1 && lines[n-1] == len(f.Data) {
		n--
	}
	return n
}

// LineStart returns the offset of the first byte of the line holding off.
func (f *File) LineStart(off int) int {
	lines := f.index()
	line, _ := f.position(off)
	return lines[line-1]
}

// LineEnd returns the offset just past the line holding off, including its
// line terminator (or the end of the file).
func (f *File) LineEnd(off int) int {
	lines := f.index()
	line, _ := f.position(off)
	if line < len(lines) {
		return lines[line]
	}
	return len(f.Data)
}

// Indent returns the leading spaces and tabs of the line holding off.
func (f *File) Indent(off int) string {
	s := f.LineStart(off)
	e := s
	for e < len(f.Data) && (f.Data[e] == ' ' || f.Data[e] == '\t') {
		e++
	}
	return string(f.Data[s:e])
}

// Newline returns the file's line terminator: "\r\n" when its first line ends
// that way, "\n" otherwise.
func (f *File) Newline() string {
	if i := bytes.IndexByte(f.Data, '\n'); i > 0 && f.Data[i-1] == '\r' {
		return "\r\n"
	}
	return "\n"
}

// Span is a half-open byte range [Start, End) in one file.
type Span struct {
	File       *File
	Start, End int
}

// IsZero reports whether the span refers to no file.
func (s Span) IsZero() bool { return s.File == nil }

// Text returns the bytes the span covers.
func (s Span) Text() string {
	if s.File == nil {
		return ""
	}
	return string(s.File.Data[s.Start:s.End])
}

// Range returns 1-based start and exclusive end positions.
func (s Span) Range() (line, col, endLine, endCol int) {
	if s.File == nil {
		return 0, 0, 0, 0
	}
	line, col = s.File.Position(s.Start)
	endLine, endCol = s.File.Position(s.End)
	return
}

func (s Span) String() string {
	l, c, el, ec := s.Range()
	name := "<nil>"
	if s.File != nil {
		name = s.File.Path
	}
	return fmt.Sprintf("%s:%d:%d-%d:%d", name, l, c, el, ec)
}

// TextEdit replaces the bytes [Start, End) of File with New.
type TextEdit struct {
	File       *File
	Start, End int
	New        string
}

// ValidateEdits checks that edits are in range, well-formed, in one file, and
// do not overlap. Insertions at the same offset are allowed.
func ValidateEdits(edits []TextEdit) error {
	if len(edits) == 0 {
		return fmt.Errorf("no edits")
	}
	f := edits[0].File
	sorted := SortedEdits(edits)
	for i, e := range sorted {
		if e.File != f {
			return fmt.Errorf("edits span several files")
		}
		if e.File == nil || e.Start < 0 || e.End < e.Start || e.End > len(e.File.Data) {
			return fmt.Errorf("edit [%d,%d) out of range", e.Start, e.End)
		}
		if i > 0 && sorted[i-1].End > e.Start {
			return fmt.Errorf("edits [%d,%d) and [%d,%d) overlap", sorted[i-1].Start, sorted[i-1].End, e.Start, e.End)
		}
	}
	return nil
}

// SortedEdits returns a copy of edits ordered by offset (stable for equal offsets).
func SortedEdits(edits []TextEdit) []TextEdit {
	out := append([]TextEdit(nil), edits...)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Start != out[j].Start {
			return out[i].Start < out[j].Start
		}
		return out[i].End < out[j].End
	})
	return out
}

// ApplyEdits returns data with the edits applied in one forward pass. The
// edits must pass ValidateEdits (their File field is not consulted).
func ApplyEdits(data []byte, edits []TextEdit) []byte {
	sorted := SortedEdits(edits)
	var b bytes.Buffer
	b.Grow(len(data))
	last := 0
	for _, e := range sorted {
		b.Write(data[last:e.Start])
		b.WriteString(e.New)
		last = e.End
	}
	b.Write(data[last:])
	return b.Bytes()
}
