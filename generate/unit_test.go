package generate

import (
	"strings"
	"testing"
)

func TestUnitErrors(t *testing.T) {
	tests := []struct {
		spec UnitSpec
		want string
	}{
		{UnitSpec{Preset: "rails"}, "unknown preset \"rails\"; valid presets: django-channels, express, fastapi, litestar, quart, starlette"},
		{UnitSpec{AppType: "node"}, "--app-type \"node\": want python, external"},
		{UnitSpec{Protocol: "asgi3"}, "--protocol \"asgi3\": want asgi or wsgi"},
		{UnitSpec{AppType: "java", Protocol: "asgi", Path: "/a.war"}, "--protocol is for Python applications"},
		{UnitSpec{Module: "my-app"}, "a Python module name"},
		{UnitSpec{Callable: "app.main"}, "--callable \"app.main\""},
		{UnitSpec{AppType: "php"}, "--path is required for php applications: the document root"},
		{UnitSpec{AppType: "ruby"}, "--module is required for ruby applications"},
		{UnitSpec{AppType: "go"}, "--executable is required"},
		{UnitSpec{Listen: []string{"localhost:80"}}, "Unit takes no hostnames"},
		{UnitSpec{Listen: []string{"*:0"}}, "the port must be 1-65535"},
		{UnitSpec{Listen: []string{"*:80", "80"}}, "given twice"},
		{UnitSpec{WSPaths: []string{"ws"}}, "a path starts with /"},
		{UnitSpec{WSPaths: []string{"/"}}, "every request already reaches the application"},
		{UnitSpec{WSPaths: []string{"~^/ws"}}, "a path starts with /"},
		{UnitSpec{WSPaths: []string{"/ws/**"}}, "a plain path"},
		{UnitSpec{Static: "static"}, "an absolute directory"},
		{UnitSpec{Path: "/srv/$host"}, "`$`, backticks and NUL are not allowed"},
		{UnitSpec{WSKeepalive: 60}, "--ws-keepalive 60 must be below --ws-read-timeout 60"},
		{UnitSpec{WSReadTimeout: 20}, "--ws-keepalive 30 must be below --ws-read-timeout 20"},
		{UnitSpec{WSReadTimeout: -1}, "--ws-read-timeout -1"},
		{UnitSpec{Processes: -2}, "--processes -2"},
		{UnitSpec{Preset: "fastapi", Protocol: "wsgi"}, "WSGI applications cannot accept WebSockets under Unit"},
		{UnitSpec{AppType: "php", Path: "/srv", WSReadTimeout: 300}, "php applications cannot accept WebSockets"},
		{UnitSpec{Name: "my app"}, "application name \"my app\""},
	}
	for _, tc := range tests {
		_, err := Unit(tc.spec)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Unit(%+v) = %v, want an error containing %q", tc.spec, err, tc.want)
		}
	}
}

func TestUnitOverrides(t *testing.T) {
	out, err := Unit(UnitSpec{Preset: "django-channels", Module: "mysite.asgi", Name: "site", Static: "/srv/static/", WSPaths: []string{"/ws/", "/graphql"}, Listen: []string{"8000"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`"*:8000": {`, `"pass": "routes"`, `"uri": ["/ws", "/ws/*", "/graphql", "/graphql/*"]`,
		`"share": "/srv/static$uri"`, `"pass": "applications/site"`, `"module": "mysite.asgi"`,
		`"DJANGO_SETTINGS_MODULE": "mysite.settings"`, `"protocol": "asgi"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(out, `"callable"`) {
		t.Errorf("Django Channels uses Unit's default callable:\n%s", out)
	}
	// The WebSocket step comes before the share, so handshakes never try files.
	if strings.Index(out, `"uri"`) > strings.Index(out, `"share"`) {
		t.Errorf("WebSocket step after the share:\n%s", out)
	}
	// Another app type drops the preset's Python members.
	out, err = Unit(UnitSpec{Preset: "fastapi", AppType: "external", Path: "/srv/node"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, `"module"`) || !strings.Contains(out, `"working_directory": "/srv/node"`) || !strings.Contains(out, `"unit-http/loader.mjs"`) {
		t.Errorf("external app from a Python preset:\n%s", out)
	}
}

func TestJSONQuote(t *testing.T) {
	if got := jsonQuote("a\"b\\c\n\x01é"); got != `"a\"b\\c\n\u0001é"` {
		t.Errorf("jsonQuote = %s", got)
	}
}
