package source

import "testing"

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
