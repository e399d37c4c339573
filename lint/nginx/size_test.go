package nginx

import (
	"os"
	"path/filepath"
	"testing"
	"unsafe"

	"github.com/wslint/wslint/lint/source"
)

// TestDirectiveSize: a Directive is at most 128 bytes (the builder
// allocates them in slabs, and a large configuration holds hundreds of
// thousands: at 160 bytes the 10k-server lint's peak RSS was 5 MB more).
func TestDirectiveSize(t *testing.T) {
	if n := unsafe.Sizeof(Directive{}); n > 128 {
		t.Errorf("Directive is %d bytes, want at most 128", n)
	}
}

// TestIncluded: an include's directives survive the Children index of the
// block around it being rebuilt, and a block's own index never reads as
// included directives.
func TestIncluded(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "inc.conf"), []byte("map $a $b { default 1; }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	main := "http {\n    include inc.conf;\n    server { listen 80; }\n}\n"
	cfg := Load([]*source.File{source.NewFile(filepath.Join(dir, "nginx.conf"), []byte(main))}, LoadOptions{})
	http := cfg.Root.FindOne("http")
	inc := http.Body[0]
	if got := len(inc.Included()); got != 1 || inc.Included()[0].Name != "map" {
		t.Fatalf("include brings %d directives, want the map", got)
	}
	if http.Included() != nil || http.FindOne("map") == nil {
		t.Fatal("the http block: no included directives of its own, the map among its children")
	}
	if inc.Children() != nil || inc.FindOne("map") != nil {
		t.Fatal("an include has no children of its own: what it brings in is its block's")
	}
	inc.reindex() // a simple directive: nothing to forget
	if len(inc.Included()) != 1 {
		t.Fatal("reindex dropped the include's directives")
	}
}

// TestBlockIndexSize: the include's list shares blockIndex's children, so
// the index of every block stays in the 80-byte size class.
func TestBlockIndexSize(t *testing.T) {
	if n := unsafe.Sizeof(blockIndex{}); n > 80 {
		t.Errorf("blockIndex is %d bytes, want at most 80", n)
	}
}

// TestLocationSize and TestSimEntrySize: a model holds one Location per
// location block (in slabs) and about one simEntry per plan (a slice of
// one: the 128-byte size class).
func TestLocationSize(t *testing.T) {
	if n := unsafe.Sizeof(Location{}); n > 160 {
		t.Errorf("Location is %d bytes, want at most 160", n)
	}
}

func TestSimEntrySize(t *testing.T) {
	if n := unsafe.Sizeof(simEntry{}); n > 128 {
		t.Errorf("simEntry is %d bytes, want at most 128", n)
	}
}
