package source

import (
	"strings"
	"testing"
)

func TestPosition(t *testing.T) {
	f := NewFile("x", []byte("ab\ncd\r\n\nef"))
	cases := []struct{ off, line, col int }{{0, 1, 1}, {2, 1, 3}, {3, 2, 1}, {7, 3, 1}, {8, 4, 1}, {10, 4, 3}, {99, 4, 3}}
	for _, c := range cases {
		l, col := f.Position(c.off)
		if l != c.line || col != c.col {
			t.Errorf("Position(%d) = %d:%d, want %d:%d", c.off, l, col, c.line, c.col)
		}
		if c.off <= 10 && f.Offset(l, col) != c.off {
			t.Errorf("Offset(%d,%d) = %d, want %d", l, col, f.Offset(l, col), c.off)
		}
	}
	if f.Newline() != "\n" || NewFile("", []byte("a\r\nb")).Newline() != "\r\n" {
		t.Error("Newline detection")
	}
	if got := NewFile("", []byte("  x\n\ty")).Indent(5); got != "\t" {
		t.Errorf("Indent = %q", got)
	}
}

func TestApplyEdits(t *testing.T) {
	f := NewFile("x", []byte("hello world"))
	edits := []TextEdit{{f, 6, 11, "nginx"}, {f, 0, 0, ">> "}, {f, 5, 5, ","}}
	if err := ValidateEdits(edits); err != nil {
		t.Fatal(err)
	}
	if got := string(ApplyEdits(f.Data, edits)); got != ">> hello, nginx" {
		t.Fatalf("got %q", got)
	}
	if ValidateEdits([]TextEdit{{f, 0, 5, "a"}, {f, 3, 6, "b"}}) == nil {
		t.Error("overlap not detected")
	}
	if ValidateEdits([]TextEdit{{f, 0, 50, "a"}}) == nil {
		t.Error("out of range not detected")
	}
}

// TestView: a view numbers its lines as its base does, reads its own data
// for line starts and indentation, and maps offsets back (a windowed lint
// leaves the second block out).
func TestView(t *testing.T) {
	base := NewFile("a.conf", []byte("a;\nserver {\n  x;\n}\n  b;\nc;\n"))
	// Leave out "server {\n  x;\n}" (bytes 3 to 18).
	cut := strings.Index(string(base.Data), "server")
	end := strings.Index(string(base.Data), "}") + 1
	data := append(append([]byte{}, base.Data[:cut]...), base.Data[end:]...)
	v := NewView(base, data, []Piece{{W: 0, Base: 0, N: cut}, {W: cut, Base: end, N: len(base.Data) - end}})
	if v.Base() != base || base.Base() != base {
		t.Fatal("Base")
	}
	b := strings.Index(string(data), "b;")
	if l, c := v.Position(b); l != 5 || c != 3 {
		t.Errorf("Position of b = %d:%d, want 5:3 (the base's line)", l, c)
	}
	if got := v.ToBase(b, false, false); got != strings.Index(string(base.Data), "b;") {
		t.Errorf("ToBase(b) = %d", got)
	}
	if got := v.Offset(5, 3); got != b {
		t.Errorf("Offset(5, 3) = %d, want %d", got, b)
	}
	if got := v.Offset(3, 1); got != cut {
		t.Errorf("Offset of a line left out = %d, want where it was (%d)", got, cut)
	}
	if v.LineCount() != base.LineCount() {
		t.Errorf("LineCount = %d, want %d", v.LineCount(), base.LineCount())
	}
	if got := v.Indent(b); got != "  " {
		t.Errorf("Indent = %q", got)
	}
	if got := v.LineStart(b); got != b-2 {
		t.Errorf("LineStart = %d, want %d", got, b-2)
	}
	// An insertion point just after what was left out, blanks between,
	// goes before it: where "before the first block" is in the base.
	if got := v.ToBase(cut, false, true); got != cut {
		t.Errorf("insertion point at the cut maps to %d, want %d", got, cut)
	}
	if got := v.ToBase(cut+1, false, true); got != cut {
		t.Errorf("insertion point after blanks maps to %d, want %d", got, cut)
	}
	if c := strings.Index(string(data), "c;"); v.ToBase(c, false, true) != strings.Index(string(base.Data), "c;") {
		t.Errorf("insertion point after text maps to %d, want c's", v.ToBase(c, false, true))
	}
	// An exclusive end at the cut belongs to the text before it.
	if got := v.ToBase(cut, true, false); got != cut {
		t.Errorf("end at the cut = %d, want %d", got, cut)
	}
}
