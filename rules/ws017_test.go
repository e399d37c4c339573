package rules

import (
	"strings"
	"testing"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/linttest/nginxe2e"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
)

// TestWS017ModulesAsNginx: perl_set and set_by_lua* define their variable
// with its `$` too. With Debian's perl and lua modules loaded, nginx -t
// refuses each block exactly when WS017 reports it, and accepts what its
// fix writes.
func TestWS017ModulesAsNginx(t *testing.T) {
	modules := nginxe2e.LoadModules(t, append([]string{nginxe2e.PerlModule}, nginxe2e.LuaModules...)...)
	server := func(in string) string {
		return "http {\n    server {\n        listen 127.0.0.1:18080;\n        location / {\n            " + in + "\n            return 200 ok;\n        }\n    }\n}\n"
	}
	cases := []struct {
		name, conf string
		bad, fix   bool
	}{
		{"perl_set", "http {\n    perl_set pv 'sub { return 1; }';\n}\n", true, true},
		{"perl_set quoted", "http {\n    perl_set \"pv\" 'sub { return 1; }';\n}\n", true, true},
		{"perl_set lone $", "http {\n    perl_set $ 'sub { return 1; }';\n}\n", true, false},
		{"perl_set with $", "http {\n    perl_set $pv 'sub { return 1; }';\n}\n", false, false},
		{"set_by_lua", server("set_by_lua lv 'return 1';"), true, true},
		{"set_by_lua with arguments", server("set_by_lua lv 'return ngx.arg[1]' $uri;"), true, true},
		{"set_by_lua_file", server("set_by_lua_file lv /srv/lua/x.lua;"), true, true},
		{"set_by_lua_block", server("set_by_lua_block lv { return 1 }"), true, true},
		{"set_by_lua_block, not a name", server("set_by_lua_block 1v { return 1 }"), true, false},
		{"set_by_lua_block with $", server("set_by_lua_block $lv { return 1 }"), false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			conf := "pid nginx.pid;\nevents {}\n" + c.conf
			out, err := nginxe2e.ConfigTestMain(t, modules+conf)
			if refused := err != nil; refused != (c.bad) || c.bad && !strings.Contains(out, "invalid variable name") {
				t.Fatalf("nginx -t refuses it for its variable name: %v, want %v\n%s", refused, c.bad, out)
			}
			in := lint.Input{Files: []*source.File{source.NewFile("nginx.conf", []byte(conf))}, Load: nginx.LoadOptions{NoIncludes: true}}
			var found, fixable bool
			for _, f := range lint.Run([]*lint.Rule{VariableWithoutDollar}, in, lint.DefaultOptions()).Findings {
				found = found || f.RuleID == VariableWithoutDollar.ID
				fixable = fixable || f.RuleID == VariableWithoutDollar.ID && len(f.Fixes) > 0 && f.Fixes[0].Applies == lint.Safe
			}
			if found != c.bad || fixable != c.fix {
				t.Fatalf("WS017 reports it: %v (a safe fix: %v), want %v (%v)", found, fixable, c.bad, c.fix)
			}
			if !c.fix {
				return
			}
			fixed := string(lint.FixInput([]*lint.Rule{VariableWithoutDollar}, in, lint.DefaultOptions(), lint.Safe).Changed["nginx.conf"])
			if out, err := nginxe2e.ConfigTestMain(t, modules+fixed); err != nil {
				t.Errorf("nginx -t refuses the fixed configuration:\n%s\n%s", fixed, out)
			}
		})
	}
}
