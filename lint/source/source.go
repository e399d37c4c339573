// Package source holds the bytes of a configuration file, a line index over
// them, byte spans and text edits. It is the leaf of wslint's dependency graph.
package source

import (
	"bytes"
	"fmt"
	"sort"
)

// File is one configuration file as read from disk or stdin.
type File struct {
	Path  string // as the user named it (relative paths stay relative)
	Data  []byte
	lines []int // byte offset of the start of every line
}

// NewFile indexes data. The data must not be modified afterwards.
func NewFile(path string, data []byte) *File {
	f := &File{Path: path, Data: data}
	f.lines = make([]int, 1, 1+bytes.Count(data, []byte{'\n'}))
	for i := 0; i < len(data); {
		j := bytes.IndexByte(data[i:], '\n')
		if j < 0 {
			break
		}
		i += j + 1
		f.lines = append(f.lines, i)
	}
	return f
}

// Position returns the 1-based line and 1-based byte column of offset off.
// Offsets past the end are clamped to the end of the file.
func (f *File) Position(off int) (line, col int) {
	if off < 0 {
		off = 0
	}
	if off > len(f.Data) {
		off = len(f.Data)
	}
	i := sort.Search(len(f.lines), func(i int) bool { return f.lines[i] > off }) - 1
	return i + 1, off - f.lines[i] + 1
}

// Offset is the inverse of Position. Out-of-range values are clamped.
func (f *File) Offset(line, col int) int {
	if line < 1 {
		return 0
	}
	if line > len(f.lines) {
		return len(f.Data)
	}
	off := f.lines[line-1] + col - 1
	if off > len(f.Data) {
		off = len(f.Data)
	}
	if off < f.lines[line-1] {
		off = f.lines[line-1]
	}
	return off
}

// LineCount is the number of lines (a final newline does not start a new one).
func (f *File) LineCount() int {
	n := len(f.lines)
	if n > 1 && f.lines[n-1] == len(f.Data) {
		n--
	}
	return n
}

// LineStart returns the offset of the first byte of the line holding off.
func (f *File) LineStart(off int) int {
	line, _ := f.Position(off)
	return f.lines[line-1]
}

// LineEnd returns the offset just past the line holding off, including its
// line terminator (or the end of the file).
func (f *File) LineEnd(off int) int {
	line, _ := f.Position(off)
	if line < len(f.lines) {
		return f.lines[line]
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
