package main

import (
	"strings"
	"testing"

	"github.com/wslint/wslint/generate"
)

// The flags reach the spec: the CLI prints exactly what generate.Nginx
// returns, and that output lints clean through the CLI (exit 0).
func TestGenerateNginx(t *testing.T) {
	for _, c := range []struct {
		args []string
		spec generate.NginxSpec
	}{
		{[]string{"--preset", "socketio"}, generate.NginxSpec{Preset: "socketio"}},
		{
			[]string{"--preset", "socketio", "--upstream", "10.0.0.1:3000", "--upstream", "10.0.0.2:3000", "--keepalive", "16",
				"--server-name", "chat.example.com", "--listen", "8080", "--listen", "[::]:8080"},
			generate.NginxSpec{Preset: "socketio", Upstreams: []string{"10.0.0.1:3000", "10.0.0.2:3000"}, Keepalive: 16,
				ServerName: "chat.example.com", Listen: []string{"8080", "[::]:8080"}},
		},
		{
			[]string{"--ws-path", "/ws/", "--ws-path", "/events", "--tls-cert", "/etc/ssl/a.crt", "--tls-key", "/etc/ssl/a.key",
				"--nginx-version", "1.30.0", "--read-timeout", "8h", "--full"},
			generate.NginxSpec{WSPaths: []string{"/ws/", "/events"}, TLSCert: "/etc/ssl/a.crt", TLSKey: "/etc/ssl/a.key",
				NginxVersion: "1.30.0", ReadTimeout: "8h", Full: true},
		},
	} {
		want, err := generate.Nginx(c.spec)
		if err != nil {
			t.Fatal(err)
		}
		out, stderr, code := wslint(t, "", append([]string{"generate", "nginx"}, c.args...)...)
		if code != exitClean || out != want {
			t.Errorf("generate nginx %v: exit %d, stderr %q; output differs from generate.Nginx(%+v):\n%s", c.args, code, stderr, c.spec, out)
		}
		r, _ := c.spec.Resolve()
		lintOut, lintErr, code := wslint(t, out, "lint", "--fail-on", "info", "--nginx-version", r.NginxVersion, "--stdin-filename", "generated.conf", "-")
		if code != exitClean && !(code == exitFindings && !c.spec.Full && onlyRule(lintOut, "WS203")) {
			t.Errorf("wslint lint on the output of generate nginx %v: exit %d\n%s%s", c.args, code, lintOut, lintErr)
		}
	}
}

// onlyRule reports whether every finding line of text output names rule.
func onlyRule(out, rule string) bool {
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if l != "" && !strings.Contains(l, rule) {
			return false
		}
	}
	return true
}

func TestGenerateNginxUsageErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"generate", "nginx", "--preset", "rails"}, `unknown preset "rails"; valid presets: actioncable, django-channels, fastapi,`},
		{[]string{"generate", "nginx", "--listen", "127.0.0.1:99999"}, `invalid listen address "127.0.0.1:99999": port "99999" is not a number from 1 to 65535`},
		{[]string{"generate", "nginx", "--upstream", "http://app:8000"}, `give HOST:PORT without the http:// scheme`},
		{[]string{"generate", "nginx", "--ws-path", "ws"}, `WebSocket path "ws" must start with /`},
		{[]string{"generate", "nginx", "--read-timeout", "1.5h"}, `invalid read timeout "1.5h"`},
		{[]string{"generate", "nginx", "--read-timeout", "30s"}, `read timeout "30s" is at most 60s`},
		{[]string{"generate", "nginx", "--tls-cert", "a.crt"}, `TLS needs both a certificate and a key`},
		{[]string{"generate", "nginx", "--nginx-version", "latest"}, `invalid nginx version "latest"`},
		{[]string{"generate", "nginx", "--keepalive", "many"}, `invalid argument "many" for "--keepalive"`},
		{[]string{"generate", "nginx", "extra"}, `unknown command "extra"`},
		{[]string{"generate", "apache"}, `unknown generator "apache"; valid generators: nginx`},
	} {
		out, stderr, code := wslint(t, "", c.args...)
		if code != exitUsage || out != "" || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and %q", c.args, code, out, stderr, c.want)
		}
	}
}

func TestGenerateHelp(t *testing.T) {
	out, _, code := wslint(t, "", "generate")
	if code != exitClean || !strings.Contains(out, "nginx") {
		t.Errorf("generate: exit %d\n%s", code, out)
	}
	out, _, code = wslint(t, "", "generate", "nginx", "--help")
	for _, want := range append(generate.PresetNames(), "Examples:", "--preset socketio --upstream", "--tls-cert", "--full") {
		if code != exitClean || !strings.Contains(out, want) {
			t.Errorf("generate nginx --help: exit %d, missing %q\n%s", code, want, out)
		}
	}
}
