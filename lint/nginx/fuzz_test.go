package nginx

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wslint/wslint/lint/source"
)

// FuzzLoad: any input loads without panicking; every problem and every
// directive span lies inside its file; a file without syntax problems has
// a consistent model (locations resolve, maps evaluate).
func FuzzLoad(f *testing.F) {
	seeds, _ := filepath.Glob("../../testdata/rules/*/*.conf")
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("http { map $a $b { default c; } server { location ~ ( { } } }"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file := source.NewFile("fuzz.conf", data)
		cfg := Load([]*source.File{file}, LoadOptions{NoIncludes: true})
		cfg.CrossCheck()
		for _, p := range cfg.Problems {
			if p.Span.File != nil && (p.Span.Start < 0 || p.Span.End > len(p.Span.File.Data) || p.Span.Start > p.Span.End) {
				t.Fatalf("problem span %v outside the file", p.Span)
			}
		}
		cfg.Walk(func(d *Directive) bool {
			if d.Synthetic {
				return true
			}
			if d.Span.Start < 0 || d.Span.End > len(data) || d.NameSpan().Start < d.Span.Start {
				t.Fatalf("directive %q span %v outside the file", d.Name, d.Span)
			}
			for _, a := range d.Args {
				if HasVariables(a.Value) != (len(Variables(a.Value)) > 0) {
					t.Fatalf("HasVariables(%q) disagrees with Variables: %q", a.Value, Variables(a.Value))
				}
			}
			return true
		})
		for _, s := range cfg.Servers() {
			s.Match("/ws/")
			s.Listens()
		}
		cfg.SelectServer("example.com", 80)
		for _, l := range cfg.Locations() {
			for _, r := range Handshakes {
				l.Simulate(cfg, r, DefaultVersion)
			}
		}
		cfg.WebSocketLocations(WSOptions{Paths: []string{"/", "/ws"}})
	})
}

func TestHostileInputs(t *testing.T) {
	t.Run("invalid UTF-8 and NUL bytes are ordinary bytes, as in nginx", func(t *testing.T) {
		c := load(t, "server {\n    add_header X \"caf\xe9 \xff\";\n    add_header Y a\x00b;\n}\n")
		noProblems(t, c)
	})
	t.Run("a 100 MB line", func(t *testing.T) {
		if testing.Short() {
			t.Skip("-short")
		}
		text := "server {\n    add_header X \"" + strings.Repeat("a", 100<<20) + "\";\n    location / { proxy_pass http://x; }\n}\n"
		c := load(t, text)
		noProblems(t, c)
		if len(c.Locations()) != 1 {
			t.Error("location after the long line lost")
		}
	})
	t.Run("an unterminated quote at the start of a huge file", func(t *testing.T) {
		c := load(t, "add_header X \""+strings.Repeat("a;}{", 1<<20))
		if len(c.Problems) != 1 || !strings.Contains(c.Problems[0].Message, "unterminated") {
			t.Errorf("problems %+v", c.Problems)
		}
	})
	t.Run("an include glob matching thousands of files", func(t *testing.T) {
		dir := t.TempDir()
		os.Mkdir(filepath.Join(dir, "conf.d"), 0o755)
		for i := 0; i < 3000; i++ {
			os.WriteFile(filepath.Join(dir, "conf.d", "s"+itoa4(i)+".conf"), []byte("server { listen 80; location /ws/ { proxy_pass http://x; } }\n"), 0o644)
		}
		main := filepath.Join(dir, "nginx.conf")
		text := "events {}\nhttp { include conf.d/*.conf; }\n"
		os.WriteFile(main, []byte(text), 0o644)
		c := Load([]*source.File{source.NewFile(main, []byte(text))}, LoadOptions{})
		noProblems(t, c)
		if len(c.Servers()) != 3000 {
			t.Errorf("%d servers", len(c.Servers()))
		}
	})
	t.Run("an include bomb is bounded", func(t *testing.T) {
		dir := t.TempDir()
		// each level includes the next twice: 2^30 directives if expanded naively
		for i := 0; i < 30; i++ {
			next := "leaf.conf"
			if i < 29 {
				next = "l" + itoa4(i+1) + ".conf"
			}
			os.WriteFile(filepath.Join(dir, "l"+itoa4(i)+".conf"), []byte("include "+next+";\ninclude "+next+";\n"), 0o644)
		}
		os.WriteFile(filepath.Join(dir, "leaf.conf"), []byte("proxy_buffering on;\n"), 0o644)
		main := filepath.Join(dir, "nginx.conf")
		text := "events {}\nhttp { include l0000.conf; }\n"
		c := Load([]*source.File{source.NewFile(main, []byte(text))}, LoadOptions{MaxDirectives: 100000})
		if len(c.Problems) == 0 || !strings.Contains(c.Problems[len(c.Problems)-1].Message, "expand to more than") {
			t.Errorf("problems %+v", c.Problems)
		}
	})
}

func itoa4(i int) string {
	s := ""
	for _, d := range []int{1000, 100, 10, 1} {
		s += string(rune('0' + i/d%10))
	}
	return s
}
