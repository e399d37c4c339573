package nginx_test

import (
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
