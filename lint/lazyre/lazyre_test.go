package lazyre

import "testing"

func TestNew(t *testing.T) {
	re := New(`^a+$`)
	if re() != re() {
		t.Error("two compilations of one pattern")
	}
	if !re().MatchString("aaa") || re().MatchString("b") {
		t.Error("the pattern does not match as written")
	}
	New(`(`)
	if CompileAll() == nil {
		t.Error("CompileAll accepted an invalid pattern")
	}
}
