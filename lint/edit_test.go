package lint

import (
	"testing"

	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
)

func TestInsertLinesInBlock(t *testing.T) {
	cases := []struct{ in, want string }{
		{"http {\n    server {}\n}\n", "http {\n    map a b {}\n    server {}\n}\n"},
		{"http { # keep me\n    server {}\n}\n", "http { # keep me\n    map a b {}\n    server {}\n}\n"},
		{"http {\r\n\tserver {}\r\n}\r\n", "http {\r\n\tmap a b {}\r\n\tserver {}\r\n}\r\n"},
		{"http { server {} }\n", "http {\n    map a b {}\n server {} }\n"},
		{"http {}", "http {\n    map a b {}\n}"},
	}
	for _, c := range cases {
		f := source.NewFile("x.conf", []byte(c.in))
		cfg := nginx.Load([]*source.File{f}, nginx.LoadOptions{})
		h := cfg.HTTPBlocks()[0]
		e, ok := InsertLinesInBlock(h, "map a b {}")
		if !ok {
			t.Fatalf("%q: no edit", c.in)
		}
		if got := string(source.ApplyEdits(f.Data, []source.TextEdit{e})); got != c.want {
			t.Errorf("%q:\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}

func TestInsertLinesAfterKeepsComment(t *testing.T) {
	in := "location / {\n    proxy_pass http://x; # upstream\n}"
	f := source.NewFile("x.conf", []byte(in))
	cfg := nginx.Load([]*source.File{f}, nginx.LoadOptions{})
	pp := cfg.Locations()[0].ProxyPass()
	got := string(source.ApplyEdits(f.Data, []source.TextEdit{InsertLinesAfter(pp, "proxy_http_version 1.1;")}))
	want := "location / {\n    proxy_pass http://x; # upstream\n    proxy_http_version 1.1;\n}"
	if got != want {
		t.Errorf("got %q want %q", got, want)
	}
}

// A directive that starts on the anchor's line and goes on over the next
// one is not split by the inserted lines (found by FuzzFix: the new line
// went between `ader` and its arguments on the next line).
func TestInsertLinesAfterBreaksSharedLine(t *testing.T) {
	cases := []struct{ in, want string }{
		{"location / {\n    proxy_pass http://x;add_header X\n        y;\n}\n",
			"location / {\n    proxy_pass http://x;\n    proxy_http_version 1.1;\nadd_header X\n        y;\n}\n"},
		{"location / {\n    proxy_pass http://x; proxy_buffering off;\n}\n",
			"location / {\n    proxy_pass http://x;\n    proxy_http_version 1.1;\n proxy_buffering off;\n}\n"},
		{"location / { proxy_pass http://x; }", "location / { proxy_pass http://x;\n    proxy_http_version 1.1;\n }"},
	}
	for _, c := range cases {
		f := source.NewFile("x.conf", []byte(c.in))
		cfg := nginx.Load([]*source.File{f}, nginx.LoadOptions{})
		pp := cfg.Locations()[0].ProxyPass()
		if got := string(source.ApplyEdits(f.Data, []source.TextEdit{InsertLinesAfter(pp, "proxy_http_version 1.1;")})); got != c.want {
			t.Errorf("%q:\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}
