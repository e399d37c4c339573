package lint

import (
	"strings"
	"testing"

	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
)

// commentSpans finds `#` comments the simple way (the tests' texts have no
// `#` inside strings).
func commentSpans(f *source.File) []source.Span {
	var out []source.Span
	for i := 0; i < len(f.Data); i++ {
		if f.Data[i] == '#' {
			j := i
			for j < len(f.Data) && f.Data[j] != '\n' {
				j++
			}
			out = append(out, source.Span{File: f, Start: i, End: j})
			i = j
		}
	}
	return out
}

func TestParseSuppressions(t *testing.T) {
	known := map[string]bool{"WS104": true, "WS201": true, "idle-timeout-short": true}
	lookup := func(k string) (*Rule, bool) {
		if known[k] {
			return &Rule{ID: k}, true
		}
		return nil, false
	}
	cases := []struct {
		text, directive, keys, reason, span string
		lines                               []int
		valid                               bool
	}{
		{"# wslint:ignore WS104 the backend is fine\nx;\n", "ignore", "WS104", "the backend is fine", "# wslint:ignore WS104 the backend is fine", []int{1, 2}, true},
		{"#wslint:ignore WS104,WS201 r\nx;\n", "ignore", "WS104|WS201", "r", "#wslint:ignore WS104,WS201 r", []int{1, 2}, true},
		{"# wslint: ignore WS104, idle-timeout-short  r  \nx;\n", "ignore", "WS104|idle-timeout-short", "r", "# wslint: ignore WS104, idle-timeout-short  r", []int{1, 2}, true},
		{"x; # wslint:ignore WS104 see issue #12\ny;\n", "ignore", "WS104", "see issue #12", "# wslint:ignore WS104 see issue #12", []int{1}, true},
		{"# wslint:ignore WS104 # want WS901\nx;\n", "ignore", "WS104", "", "# wslint:ignore WS104", []int{1, 2}, false},
		{"# wslint:ignore WS104\n# another comment\n\nx;\n", "ignore", "WS104", "", "# wslint:ignore WS104", []int{1, 3}, false},
		{"# wslint:ignore-file WS201 reloads drain quickly\n", "ignore-file", "WS201", "reloads drain quickly", "# wslint:ignore-file WS201 reloads drain quickly", nil, true},
		{"# wslint:ignore\n", "ignore", "", "", "# wslint:ignore", []int{1}, false},
		{"# wslint:ingore WS104 r\n", "ingore", "WS104", "r", "# wslint:ingore WS104 r", []int{1}, false},
	}
	for _, c := range cases {
		f := source.NewFile("t.conf", []byte(c.text))
		ss := ParseSuppressions(f, commentSpans(f), lookup, nil)
		if len(ss) != 1 {
			t.Errorf("%q: %d suppressions, want 1", c.text, len(ss))
			continue
		}
		s := ss[0]
		var keys []string
		for _, r := range s.Rules {
			keys = append(keys, r.Key)
			if r.Span.Text() != r.Key {
				t.Errorf("%q: key span %q, want %q", c.text, r.Span.Text(), r.Key)
			}
		}
		if s.Directive != c.directive || strings.Join(keys, "|") != c.keys || s.Reason != c.reason || s.Span.Text() != c.span ||
			s.Valid() != c.valid || !equalInts(s.Lines(), c.lines) || s.FileWide != (c.directive == "ignore-file") {
			t.Errorf("%q: got directive %q keys %q reason %q span %q lines %v valid %v", c.text, s.Directive, keys, s.Reason, s.Span.Text(), s.Lines(), s.Valid())
		}
	}
	for _, text := range []string{"# wslint: websocket\n", "# wslint-test: {}\n", "# see wslint:ignore WS104 r\n", "# wslint:context http\n"} {
		f := source.NewFile("t.conf", []byte(text))
		if ss := ParseSuppressions(f, commentSpans(f), lookup, nil); len(ss) != 0 {
			t.Errorf("%q: parsed as a suppression", text)
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestSuppressionEdits(t *testing.T) {
	cases := []struct {
		name, text, want string
		drop             []int // nil: Delete
	}{
		{"own line", "a;\n    # wslint:ignore WS104 r\n    b;\n", "a;\n    b;\n", nil},
		{"own line CRLF", "a;\r\n    # wslint:ignore WS104 r\r\n    b;\r\n", "a;\r\n    b;\r\n", nil},
		{"trailing", "    b; # wslint:ignore WS104 r\n", "    b;\n", nil},
		{"trailing, last line", "    b;\t# wslint:ignore WS104 r", "    b;", nil},
		{"comment after it", "    # wslint:ignore WS104 r # note\n    b;\n", "    # note\n    b;\n", nil},
		{"unit block", "{\n    /* wslint:ignore WS501 r */\n    \"a\": 1\n}\n", "{\n    \"a\": 1\n}\n", nil},
		{"unit block before code", "{\n    /* wslint:ignore WS501 r */ \"a\": 1\n}\n", "{\n    \"a\": 1\n}\n", nil},
		{"unit line", "{\n    \"a\": 1 // wslint:ignore WS501 r\n}\n", "{\n    \"a\": 1\n}\n", nil},
		{"first of list", "# wslint:ignore WS104,WS201 r\n", "# wslint:ignore WS201 r\n", []int{0}},
		{"last of list", "# wslint:ignore WS104, WS201, WS101 r\n", "# wslint:ignore WS104, WS201 r\n", []int{2}},
		{"two of three", "# wslint:ignore WS104,WS201,WS101 r\n", "# wslint:ignore WS201 r\n", []int{0, 2}},
	}
	for _, c := range cases {
		f := source.NewFile("t", []byte(c.text))
		var comments []source.Span
		for _, marker := range []string{"#", "//", "/*"} {
			if i := strings.Index(c.text, marker+" wslint"); i >= 0 {
				end := strings.IndexAny(c.text[i:], "\r\n")
				if end < 0 {
					end = len(c.text) - i
				}
				if marker == "/*" {
					end = strings.Index(c.text[i:], "*/") + 2
				}
				comments = append(comments, source.Span{File: f, Start: i, End: i + end})
				break
			}
		}
		ss := ParseSuppressions(f, comments, nil, nil)
		if len(ss) != 1 {
			t.Fatalf("%s: %d suppressions", c.name, len(ss))
		}
		e := ss[0].Delete()
		if c.drop != nil {
			e = ss[0].Without(c.drop...)
		}
		if err := source.ValidateEdits([]source.TextEdit{e}); err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got := string(source.ApplyEdits(f.Data, []source.TextEdit{e})); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

// reportEvery is a rule that reports every directive called name.
func reportEvery(id, name string) *Rule {
	return &Rule{ID: id, Name: "every-" + strings.ReplaceAll(name, "_", "-"), Lang: Nginx, Severity: Warning, Check: func(p *Pass) []Finding {
		var out []Finding
		p.Nginx.Walk(func(d *nginx.Directive) bool {
			if d.Name == name {
				out = append(out, p.Finding(d.NameSpan(), "a %s", name))
			}
			return true
		})
		return out
	}}
}

func TestRunNginxAppliesSuppressions(t *testing.T) {
	pass := reportEvery("WS801", "proxy_pass")
	header := reportEvery("WS802", "proxy_set_header")
	var unused []string
	meta := &Rule{ID: "WS902", Name: "unused", Lang: Meta, Severity: Info, Check: func(p *Pass) []Finding {
		for _, s := range p.Suppressions() {
			for _, r := range s.Rules {
				if s.Valid() && r.Rule != nil && r.Judged && !r.Used {
					l, _ := s.Span.File.Position(s.Span.Start)
					unused = append(unused, r.Key+"@"+string(rune('0'+l)))
				}
			}
		}
		return nil
	}}
	NewRegistry(pass, header, meta) // undocumented rules are an error, but the registry resolves names
	a := source.NewFile("a.conf", []byte(`location /a/ {
    proxy_pass http://x; # wslint:ignore WS801 checked by hand
    # wslint:ignore every-proxy-pass checked by hand
    proxy_pass http://y;
    proxy_set_header A b; # wslint:ignore WS801 wrong rule
    proxy_pass http://z; # wslint:ignore WS801
}
`))
	b := source.NewFile("b.conf", []byte(`# wslint:ignore-file WS802 generated file
location /b/ {
    proxy_pass http://x;
    proxy_set_header A b;
}
`))
	cfg := nginx.Load([]*source.File{a, b}, nginx.LoadOptions{NoIncludes: true})
	// WS802 is not enabled: its suppression in b.conf is judged by running it.
	got := RunNginx([]*Rule{pass, meta}, cfg, &Options{NginxVersion: nginx.DefaultVersion, Severities: map[string]Severity{"WS801": Error}})
	var seen []string
	for _, f := range got {
		p := PositionOf(f.Span)
		seen = append(seen, p.File+":"+string(rune('0'+p.Line))+" "+f.RuleID+" "+f.Severity.String())
	}
	want := []string{"a.conf:6 WS801 error", "b.conf:3 WS801 error"}
	if strings.Join(seen, ", ") != strings.Join(want, ", ") {
		t.Errorf("findings %v, want %v", seen, want)
	}
	if strings.Join(unused, ",") != "WS801@5" {
		t.Errorf("unused suppressions %v, want [WS801@5]", unused)
	}
}
