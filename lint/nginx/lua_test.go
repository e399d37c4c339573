package nginx_test

import (
	"strings"
	"testing"

	"github.com/wslint/wslint/lint/linttest/nginxe2e"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
)

// luaCases are *_by_lua_block bodies; valid says whether nginx -t, with
// lua-nginx-module loaded, accepts the configuration around them (verified
// with libnginx-mod-http-lua 0.10.23 on nginx 1.22.1).
var luaCases = []struct {
	name, code string
	valid      bool
}{
	{"brace in a double-quoted string", `ngx.say("{")`, true},
	{"brace in a single-quoted string", `ngx.say('}')`, true},
	{"escaped quote before a brace", `ngx.say("a\"}")`, true},
	{"escaped backslash, then a string", `local s = "\\" ngx.say("}")`, true},
	{"other quote inside a string", `ngx.say("a'}")`, true},
	{"long string", `local s = [[ { ]] ngx.say(s)`, true},
	{"long string of level 2", `local s = [==[ ]] } ]=] ]==] ngx.say(s)`, true},
	{"brace in a long string", `ngx.say([[}]])`, true},
	{"line comment", "ngx.say(1) -- {", true},
	{"long comment", "--[[ { ]] ngx.say(1)", true},
	{"long comment of level 2", "ngx.say(1) --[==[ { ]] } ]==]", true},
	{"dashes then one bracket: a line comment", "ngx.say(1) --[ {", true},
	{"long bracket inside a line comment", "ngx.say(1) -- [[\n", true},
	{"length operator", "local t = {1} local n = #t ngx.say(n)", true},
	{"length operator before a table on the next line", "local t = #'x'; local y = {\n}\nngx.say(t)", true},
	{"index, not a long bracket", "local t = {} local b = {1} local x = t[b[1]] ngx.say(x)", true},
	{"table constructor without spaces", "local t = {a=1} ngx.say(t.a)", true},
	{"unclosed long string", "local s = [[ { ", false},
	{"unclosed long comment", "ngx.say(1) --[[ { ", false},
	{"a string ends at its line: brace counted", `local s = "{` + "\nngx.say(s)", false},
	{"a string ends at its line: brace closes the block", `ngx.say("x") local s = "}`, false},
	{"a backslash does not continue a string on the next line", "local s = \"a\\\n}\" ngx.say(s)", false},
}

// TestLuaCodeAsLuaNginxModuleReadsIt: for each Lua body, nginx -t (with
// lua-nginx-module) and wslint agree on whether the configuration is valid;
// when it is, the block ends where the module ends it (the directive after
// it is the location's) and gonginx, which reads the code otherwise, does
// not disagree (its copy of the code is blanked).
func TestLuaCodeAsLuaNginxModuleReadsIt(t *testing.T) {
	modules := nginxe2e.LoadModules(t, nginxe2e.LuaModules...)
	for _, c := range luaCases {
		t.Run(c.name, func(t *testing.T) {
			conf := "pid nginx.pid;\nevents {}\nhttp {\n    access_log off;\n    server {\n        listen 127.0.0.1:8080;\n" +
				"        location / {\n            content_by_lua_block {\n" + c.code + "\n            }\n" +
				"            add_header X-After yes;\n        }\n    }\n}\n"
			out, err := nginxe2e.ConfigTestMain(t, modules+conf)
			if nginxOK := err == nil; nginxOK != c.valid {
				t.Fatalf("nginx -t accepts it: %v, want %v\n%s", nginxOK, c.valid, out)
			}
			cfg := nginx.Load([]*source.File{source.NewFile("nginx.conf", []byte(conf))}, nginx.LoadOptions{})
			cfg.CrossCheck()
			var syntax bool
			for _, p := range cfg.Problems {
				syntax = syntax || p.Kind == nginx.ProblemSyntax
				if c.valid {
					t.Errorf("problem: %s", p.Message)
				}
			}
			if !c.valid {
				if !syntax {
					t.Errorf("no syntax problem (problems %v)", cfg.Problems)
				}
				return
			}
			var after *nginx.Directive
			cfg.Walk(func(d *nginx.Directive) bool {
				if d.Name == "add_header" {
					after = d
				}
				return true
			})
			if after == nil || after.Parent == nil || after.Parent.Name != "location" {
				t.Fatalf("add_header is not the location's: %+v", after)
			}
			lua := after.Parent.Find("content_by_lua_block")
			if len(lua) != 1 {
				t.Fatalf("%d Lua blocks in the location, want 1", len(lua))
			}
			if text := lua[0].Span.Text(); !strings.HasSuffix(text, "}") || !strings.Contains(text, c.code) {
				t.Errorf("the Lua block spans %q", text)
			}
		})
	}
}

// TestLuaBlockWithArgument: set_by_lua_block takes the variable before its
// code; gonginx, which enters Lua only right after a *_by_lua_block word,
// would read the code as directives.
func TestLuaBlockWithArgument(t *testing.T) {
	conf := "server {\n    listen 8080;\n    location / {\n        set_by_lua_block $v { return \"}\" }\n        return 200 $v;\n    }\n}\n"
	cfg := nginx.Load([]*source.File{source.NewFile("nginx.conf", []byte(conf))}, nginx.LoadOptions{})
	cfg.CrossCheck()
	for _, p := range cfg.Problems {
		t.Errorf("problem: %s", p.Message)
	}
}

// TestLuaUnclosedQuotesLinear: a long line of quotes that never close (each
// escaped from the one before it) is read in one pass, not one scan to the
// end of the line per quote.
func TestLuaUnclosedQuotesLinear(t *testing.T) {
	line := strings.Repeat(`"\`, 2<<20) + strings.Repeat(`'\`, 2<<20)
	conf := "server {\n    location / {\n        content_by_lua_block {\n" + line + "\n        }\n    }\n}\n"
	cfg := nginx.Load([]*source.File{source.NewFile("nginx.conf", []byte(conf))}, nginx.LoadOptions{})
	for _, p := range cfg.Problems {
		if p.Kind == nginx.ProblemSyntax {
			t.Errorf("syntax problem: %s", p.Message)
		}
	}
}
