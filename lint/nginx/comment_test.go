package nginx_test

import (
	"strings"
	"testing"

	"github.com/wslint/wslint/lint/linttest/nginxe2e"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
)

// commentCases are location bodies with comments that fill their lines
// (gonginx gets them as their newlines only); nginx -t accepts each
// (verified on nginx 1.22.1), and names is the directives nginx reads in
// the location, in order.
var commentCases = []struct {
	name, body string
	names      []string
}{
	{"a comment line inside a directive", "add_header\n    # X-Not an argument;\n    X-A yes;", []string{"add_header", "add_header"}},
	// nginx ends a comment at a newline only; gonginx at a '\r' too,
	// and read the rest of the line as a directive (a false WS999).
	{"a carriage return inside a comment", "# a\rreturn 204;", []string{"add_header"}},
	{"a carriage return inside a comment after a directive", "add_header X-A yes; # a\rb", []string{"add_header", "add_header"}},
	{"a comment ending with a backslash", "add_header X-A yes; # not escaped: \\\n    add_header X-B yes; # nor here \\", []string{"add_header", "add_header", "add_header"}},
	{"a '#' line inside a quoted argument", "add_header X-B \"one\n# not a comment\ntwo\";", []string{"add_header", "add_header"}},
	{"braces, quotes and backslashes in a comment", "    # { } ; \" ' ` \\\\ $x", []string{"add_header"}},
}

func TestCommentLinesAsNginxReadsThem(t *testing.T) {
	for _, c := range commentCases {
		t.Run(c.name, func(t *testing.T) {
			conf := "pid nginx.pid;\nevents {}\nhttp {\n    access_log off;\n    server {\n        listen 127.0.0.1:8080;\n" +
				"        location / {\n" + c.body + "\n            add_header X-After yes;\n        }\n    }\n}\n"
			if out, err := nginxe2e.ConfigTestMain(t, conf); err != nil {
				t.Fatalf("nginx -t: %v\n%s", err, out)
			}
			cfg := nginx.Load([]*source.File{source.NewFile("nginx.conf", []byte(conf))}, nginx.LoadOptions{})
			cfg.CrossCheck()
			for _, p := range cfg.Problems {
				t.Errorf("problem: %s", p.Message)
			}
			var loc *nginx.Directive
			cfg.Walk(func(d *nginx.Directive) bool {
				if d.Name == "location" {
					loc = d
				}
				return true
			})
			if loc == nil {
				t.Fatal("no location")
			}
			var names []string
			for _, d := range loc.Body {
				names = append(names, d.Name)
			}
			if len(names) != len(c.names) {
				t.Fatalf("location holds %v, want %v", names, c.names)
			}
			for i := range names {
				if names[i] != c.names[i] {
					t.Fatalf("location holds %v, want %v", names, c.names)
				}
			}
		})
	}
}

// TestBlockInHandlerBlock: nginx reads the lines of types, map, geo,
// split_clients and charset_map with their module's handler, which refuses
// a '{' (`unexpected "{"`, on its line); without the brace, each is valid.
func TestBlockInHandlerBlock(t *testing.T) {
	stream := nginxe2e.LoadModules(t, nginxe2e.StreamModule)
	cases := []struct{ name, conf, line string }{
		{"types", "http {\n    types {\n        text/html html", " {\n        }"},
		{"map", "http {\n    map $uri $m {\n        default 1", " {\n        }"},
		{"geo", "http {\n    geo $g {\n        default 1", " {\n        }"},
		{"split_clients", "http {\n    split_clients \"$uri\" $s {\n        50% a", " {\n        }"},
		{"charset_map", "http {\n    charset_map koi8-r utf-8 {\n        C0 D0B0", " {\n        }"},
		{"stream map", "stream {\n    map $remote_addr $m {\n        default 1", " {\n        }"},
		{"stream geo", "stream {\n    geo $g {\n        default 1", " {\n        }"},
		{"stream split_clients", "stream {\n    split_clients \"$remote_addr\" $s {\n        50% a", " {\n        }"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			head := stream + "pid nginx.pid;\nevents {}\n"
			for _, block := range []bool{false, true} {
				conf := head + c.conf + ";\n    }\n}\n"
				if block {
					conf = head + c.conf + c.line + "\n    }\n}\n"
				}
				out, err := nginxe2e.ConfigTestMain(t, conf)
				if (err != nil) != block || block && !strings.Contains(out, `unexpected "{"`) {
					t.Fatalf("block %v: nginx -t: %v\n%s", block, err, out)
				}
				cfg := nginx.Load([]*source.File{source.NewFile("nginx.conf", []byte(conf))}, nginx.LoadOptions{})
				cfg.CrossCheck()
				var syntax []nginx.Problem
				for _, p := range cfg.Problems {
					if p.Kind == nginx.ProblemSyntax {
						syntax = append(syntax, p)
					}
				}
				if !block {
					if len(cfg.Problems) > 0 {
						t.Errorf("valid: problems %v", cfg.Problems)
					}
					continue
				}
				want := strings.Count(head+c.conf, "\n") + 1
				if len(syntax) != 1 || !strings.HasPrefix(syntax[0].Message, `unexpected "{"`) {
					t.Fatalf("with a block: problems %v, want one unexpected \"{\"", cfg.Problems)
				}
				if line, _ := syntax[0].Span.File.Position(syntax[0].Span.Start); line != want {
					t.Errorf("error on line %d, want %d (nginx: %s)", line, want, out)
				}
			}
		})
	}
}
