package nginx_test

import (
	"strings"
	"testing"

	"github.com/wslint/wslint/lint/linttest/nginxe2e"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
)

// TestVariablesAsNginx: the variables wslint evaluates from the request
// ($host, $http_*, in any case) have the values nginx gives them, for
// random Host headers (cases, ports, a trailing dot, IPv6) and headers.
func TestVariablesAsNginx(t *testing.T) {
	nginxe2e.NginxBinary(t)
	vars := []string{"$host", "$http_x_a", "$HTTP_X_A", "$http_x_a_b", "$http_upgrade", "${http_x_a}z"}
	conf := "server {\n    listen 8080;\n    location / {\n        return 200 \"" + strings.Join(vars, "|") + "\";\n    }\n}\n"
	ngx, err := nginxe2e.StartNginx(t, conf, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg := nginx.Load([]*source.File{source.NewFile("nginx.conf", []byte(conf))}, nginx.LoadOptions{})
	hosts := []string{"example.com", "Example.COM", "example.com:8080", "EXAMPLE.com.", "[::1]", "[::1]:80", "127.0.0.1:80", "a-b.example"}
	values := []string{"v", "V W", "upgrade", "WebSocket", "a,b", ""}
	names := []string{"X-A", "x-a", "X-A-B", "Upgrade", "X_A"}
	r := testRand(13)
	for range 120 {
		hdr := map[string]string{"host": hosts[r.IntN(len(hosts))]}
		lines := [][2]string{{"Host", hdr["host"]}}
		for n := r.IntN(3); n > 0; n-- {
			name, value := names[r.IntN(len(names))], values[r.IntN(len(values))]
			if _, dup := hdr[strings.ToLower(name)]; dup {
				continue
			}
			lines = append(lines, [2]string{name, value})
			if !strings.Contains(name, "_") { // nginx drops a header with '_' (underscores_in_headers off)
				hdr[strings.ToLower(name)] = value
			}
		}
		status, _, body, err := rawGET(ngx.Addr, "/", lines...)
		if err != nil {
			t.Fatal(err)
		}
		if status != 200 {
			t.Errorf("headers %q: status %d", lines, status)
			continue
		}
		got := strings.Split(body, "|")
		req := nginx.Request{Name: "test", Method: "GET", Path: "/", Header: hdr}
		for i, v := range vars {
			if e := cfg.Eval(v, req); !e.Unknown && e.Text != got[i] {
				t.Errorf("headers %q: %s is %q for nginx, %q for Eval", lines, v, got[i], e.Text)
			}
		}
	}
}

// TestDefinedVariablesAsNginx: a map, geo, split_clients or set defines
// the variable DefinedVariables says it does, as `nginx -t` sees it: the
// word after the `$` is the name, braces and all (`${room}` defines
// "{room}", not "room").
func TestDefinedVariablesAsNginx(t *testing.T) {
	nginxe2e.NginxBinary(t)
	for _, c := range []struct {
		http, loc string // the definition, in the http context or the location
		defined   bool   // whether $v is then defined
	}{
		{http: "map $http_a $v { default 1; }", defined: true},
		{http: "map $http_a ${v} { default 1; }"},
		{http: "map $http_a $v-w { default 1; }"},
		{http: "geo $v { default 1; }", defined: true},
		{http: "geo $remote_addr ${v} { default 1; }"},
		{http: "split_clients \"$remote_addr\" $v { 50% a; * b; }", defined: true},
		{loc: "set $v 1;", defined: true},
		{loc: "set ${v} 1;"},
		{loc: "set $V 1;", defined: true}, // names are case-insensitive
	} {
		conf := c.http + "\nserver {\n    listen 8080;\n    location / {\n        " + c.loc + "\n        return 200 \"$v\";\n    }\n}\n"
		out, err := nginxe2e.ConfigTest(t, conf, nil)
		if accepted := err == nil; accepted != c.defined {
			t.Errorf("%s%s: nginx -t accepted %v, want %v:\n%s", c.http, c.loc, accepted, c.defined, out)
		}
		cfg := nginx.Load([]*source.File{source.NewFile("nginx.conf", []byte(conf))}, nginx.LoadOptions{})
		if got := cfg.DefinedVariables()["v"]; got != c.defined {
			t.Errorf("%s%s: DefinedVariables has v: %v, nginx: %v", c.http, c.loc, got, c.defined)
		}
	}
}
