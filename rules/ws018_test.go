package rules

import (
	"regexp"
	"testing"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/linttest/nginxe2e"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
)

// TestWS018AsNginx: for each configuration, nginx -t (with Debian's lua
// module loaded) refuses it for the form of a directive exactly when WS018
// reports it, and WS018 quotes the message nginx prints.
func TestWS018AsNginx(t *testing.T) {
	modules := nginxe2e.LoadModules(t, nginxe2e.LuaModules...)
	loc := func(in string) string {
		return "http {\n    server {\n        listen 127.0.0.1:18080;\n        location /x {\n            " + in + "\n        }\n    }\n}\n"
	}
	cases := []struct {
		name, conf string
		bad        bool
	}{
		{"location without a block", "http {\n    server {\n        listen 127.0.0.1:18080;\n        location /x;\n    }\n}\n", true},
		{"server without a block", "http {\n    server;\n}\n", true},
		{"map without a block", "http {\n    map $uri $m;\n}\n", true},
		{"types without a block", "http {\n    types;\n}\n", true},
		{"if without a block", "http {\n    server {\n        listen 127.0.0.1:18080;\n        if ($uri) ;\n    }\n}\n", true},
		{"limit_except without a block", loc("limit_except GET;"), true},
		{"lua block given a string", loc("content_by_lua_block 'ngx.say(1)';"), true},
		{"proxy_set_header with a block", loc("proxy_pass http://127.0.0.1:8000;\n            proxy_set_header A b {\n            }"), true},
		{"a block and too few arguments", loc("proxy_pass http://127.0.0.1:8000;\n            proxy_set_header A {\n            }"), true},
		{"a lost `;` before a block", loc("proxy_pass http://127.0.0.1:8000\n            location /x/y {\n            }"), true},
		{"listen with a block", "http {\n    server {\n        listen 127.0.0.1:18080 {\n        }\n    }\n}\n", true},
		{"upstream server with a block", "http {\n    upstream u {\n        server 127.0.0.1:8000 {\n        }\n    }\n}\n", true},
		{"lua string given a block", loc("content_by_lua 'ngx.say(1)' {\n            }"), true},
		{"a block where it is not allowed (WS004)", "http {\n    proxy_pass http://127.0.0.1:8000 {\n    }\n}\n", false},
		{"blocks and lines as nginx wants them", "http {\n    map $uri $m {\n        default 1;\n    }\n    upstream u {\n        server 127.0.0.1:8000;\n    }\n    server {\n        listen 127.0.0.1:18080;\n        if ($m) {\n            return 404;\n        }\n        location /x {\n            limit_except GET {\n                deny all;\n            }\n            content_by_lua_block {\n                ngx.say(1)\n            }\n        }\n    }\n}\n", false},
	}
	form := regexp.MustCompile(`directive "([^"]+)" (has no opening "\{"|is not terminated by ";")`)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			conf := "pid nginx.pid;\nevents {}\n" + c.conf
			out, _ := nginxe2e.ConfigTestMain(t, modules+conf)
			m := form.FindStringSubmatch(out)
			if (m != nil) != c.bad {
				t.Fatalf("nginx -t refuses it for a directive's form: %v, want %v\n%s", m != nil, c.bad, out)
			}
			in := lint.Input{Files: []*source.File{source.NewFile("nginx.conf", []byte(conf))}, Load: nginx.LoadOptions{NoIncludes: true}}
			var got []string
			for _, f := range lint.Run([]*lint.Rule{BlockMismatch}, in, lint.DefaultOptions()).Findings {
				got = append(got, f.Message)
			}
			if len(got) != btoi(c.bad) {
				t.Fatalf("WS018 findings %q, want %d", got, btoi(c.bad))
			}
			if c.bad && !regexp.MustCompile(regexp.QuoteMeta(m[0])).MatchString(got[0]) {
				t.Errorf("WS018 says %q; nginx says %q", got[0], m[0])
			}
		})
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
