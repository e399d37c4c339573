package nginx_test

import (
	"strings"
	"testing"

	"github.com/wslint/wslint/lint/linttest/nginxe2e"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
)

// nginxWords are server blocks whose words real nginx (verified with
// 1.22.1, the version here) reads otherwise than a naive tokenizer or
// gonginx: a '}' inside a word is part of it (it closes
// a block only where a word would start), a backslash escapes a blank, a
// ';', a brace or a backslash, and a backquote is an ordinary byte. want
// holds words the tree must have, as written.
var nginxWords = []struct {
	name, conf string
	want       []string
}{
	{"brace inside a word", "server {\n    location /a} {\n        add_header X a}b;\n        add_header Y ${host}x};\n        return 204;\n    }\n}\n",
		[]string{"/a}", "a}b", "${host}x}"}},
	{"escaped blank", "server {\n    location ~ ^/my\\ folder/ {\n        rewrite ^/a\\ b$ /c last;\n    }\n}\n",
		[]string{`^/my\ folder/`, `^/a\ b$`}},
	{"escaped separators", "server {\n    location / {\n        add_header X a\\;b;\n        add_header Y a\\}c\\{d;\n        return 200 \"a\\\\\";\n    }\n}\n",
		[]string{`a\;b`, `a\}c\{d`, `"a\\"`}},
	// nginx's variable flag stays set across the braces after a '$'.
	{"braces after a dollar", "server {\n    location / {\n        types {\n            text/x a${{b x$;\n        }\n        return 204;\n    }\n}\n",
		[]string{"a${{b", "x$"}},
	// An escaped newline (or CR) is inside the word; gonginx would end it.
	{"escaped newline", "server {\n    location / {\n        types {\n            text/x a\\\nb c\\\r;\n        }\n        return 204;\n    }\n}\n",
		[]string{"a\\\nb", "c\\\r"}},
	{"backquotes", "server {\n    location / {\n        add_header X `a;\n        add_header Y b`c;\n        return 200 `ok`;\n    }\n}\n",
		[]string{"`a", "b`c", "`ok`"}},
}

// TestWordsAsNginxReadsThem: nginx -t accepts each configuration, and
// wslint reads the same words, with no syntax error and no disagreement
// with gonginx (whose input maps the bytes it reads otherwise).
func TestWordsAsNginxReadsThem(t *testing.T) {
	for _, c := range nginxWords {
		t.Run(c.name, func(t *testing.T) {
			if out, err := nginxe2e.ConfigTest(t, c.conf, nil); err != nil {
				t.Fatalf("nginx -t refuses it: %v\n%s", err, out)
			}
			cfg := nginx.Load([]*source.File{source.NewFile("nginx.conf", []byte(c.conf))}, nginx.LoadOptions{})
			cfg.CrossCheck()
			for _, p := range cfg.Problems {
				t.Errorf("problem: %s", p.Message)
			}
			words := map[string]bool{}
			cfg.Walk(func(d *nginx.Directive) bool {
				for _, a := range d.Args {
					words[a.Raw] = true
				}
				return true
			})
			for _, w := range c.want {
				if !words[w] {
					t.Errorf("no word %q in the tree", w)
				}
			}
		})
	}
}

// TestBraceAfterQuoteOrUnclosed: where nginx -t refuses a '}', so does the
// parser (a syntax problem, not a silent pass).
func TestBraceAfterQuoteOrUnclosed(t *testing.T) {
	for _, conf := range []string{
		"server {\n    location / {\n        return 200 \"x\"}\n    }\n}\n",
		"server {\n    location / {\n        return 200 ok}\n    }\n",
	} {
		if out, err := nginxe2e.ConfigTest(t, conf, nil); err == nil || !strings.Contains(out, "emerg") {
			t.Fatalf("nginx -t accepts %q:\n%s", conf, out)
		}
		cfg := nginx.Load([]*source.File{source.NewFile("nginx.conf", []byte(conf))}, nginx.LoadOptions{})
		syntax := false
		for _, p := range cfg.Problems {
			syntax = syntax || p.Kind == nginx.ProblemSyntax
		}
		if !syntax {
			t.Errorf("no syntax problem for %q (problems %v)", conf, cfg.Problems)
		}
	}
}
