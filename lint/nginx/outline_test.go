package nginx

import (
	"strings"
	"testing"

	"github.com/wslint/wslint/lint/source"
)

// TestOutlineServers: the units are the server blocks at a file's top and
// directly in http, each with the blanks before it and a comment after
// its '}'; what they may define is told apart from what the rest may.
func TestOutlineServers(t *testing.T) {
	cases := []struct {
		name, conf      string
		units           []string // the text of each unit
		ok              bool
		defines, anyDef bool
	}{
		{name: "http", conf: "events {}\nhttp {\n  # the first\n  server { listen 80; }  # end\n  upstream u { server a:1; }\n  server {\n    location / { return 204; }\n  }\n}\n",
			units: []string{"  server { listen 80; }  # end", "  server {\n    location / { return 204; }\n  }"}, ok: true},
		{name: "top of a conf.d file", conf: "server { listen 1; }\nserver { listen 2; }\n",
			units: []string{"server { listen 1; }", "server { listen 2; }"}, ok: true},
		{name: "not in stream, not nested", conf: "stream { server { listen 1; } }\nhttp { server { location / { if ($a) { return 1; } } } }\n",
			units: []string{"server { location / { if ($a) { return 1; } } }"}, ok: true},
		{name: "set in a unit", conf: "server { set $x 1; }\n", units: []string{"server { set $x 1; }"}, ok: true, defines: true, anyDef: true},
		{name: "named capture in a unit", conf: "server { location ~ ^/(?<app>[a-z]+)/ { return 204; } }\n",
			units: []string{"server { location ~ ^/(?<app>[a-z]+)/ { return 204; } }"}, ok: true, defines: true, anyDef: true},
		{name: "unknown directive in a unit", conf: "server { sett $x 1; }\n", units: []string{"server { sett $x 1; }"}, ok: true, defines: true, anyDef: true},
		{name: "a map outside", conf: "map $a $b { default 1; }\nserver { listen 1; }\n", units: []string{"server { listen 1; }"}, ok: true, anyDef: true},
		{name: "Lua code", conf: "server { content_by_lua_block { ngx.say(\"}\") -- }\n } }\n",
			units: []string{"server { content_by_lua_block { ngx.say(\"}\") -- }\n } }"}, ok: true},
		{name: "stray brace", conf: "server { }\n}\n"},
		{name: "unclosed", conf: "http { server {\n"},
		{name: "unterminated", conf: "server { listen 80 }\n"},
		{name: "unquoted end", conf: "server { add_header X \"a }\n"},
	}
	for _, c := range cases {
		f := source.NewFile("a.conf", []byte(c.conf))
		o, ok := OutlineServers(f)
		if ok != c.ok {
			t.Errorf("%s: ok = %v, want %v", c.name, ok, c.ok)
			continue
		}
		var got []string
		for _, u := range o.Units {
			got = append(got, c.conf[u.Start:u.End])
			if b := c.conf[u.Block[0]:u.Block[1]]; !strings.HasPrefix(b, "server") || !strings.HasSuffix(b, "}") {
				t.Errorf("%s: block %q", c.name, b)
			}
		}
		if strings.Join(got, "|") != strings.Join(c.units, "|") {
			t.Errorf("%s: units\n%q\nwant\n%q", c.name, got, c.units)
		}
		if o.Defines != c.defines || o.DefinesAnywhere != c.anyDef {
			t.Errorf("%s: defines %v, anywhere %v; want %v, %v", c.name, o.Defines, o.DefinesAnywhere, c.defines, c.anyDef)
		}
	}
}

// TestOutlineMatchesTree: the outline's blocks are the tree's servers.
func TestOutlineMatchesTree(t *testing.T) {
	conf := "http {\n  server { listen 1; location / { return 204; } }\n  include x;\n  server {\n    listen 2;\n  }\n}\n"
	f := source.NewFile("a.conf", []byte(conf))
	o, ok := OutlineServers(f)
	if !ok || len(o.Units) != 2 {
		t.Fatalf("outline: %v %+v", ok, o)
	}
	cfg := Load([]*source.File{f}, LoadOptions{NoIncludes: true})
	for i, s := range cfg.Servers() {
		if sp := s.Block.Span; sp.Start != o.Units[i].Block[0] || sp.End != o.Units[i].Block[1] {
			t.Errorf("server %d: tree %d-%d, outline %v", i, sp.Start, sp.End, o.Units[i].Block)
		}
	}
}
