package main

import (
	"os"
	"strings"
	"testing"
)

func TestTrace(t *testing.T) {
	conf := "../../testdata/examples/inheritance-trap/nginx.conf"
	out, stderr, code := wslint(t, "", "trace", conf, "ws://chat.example.com/ws/room1")
	if code != exitClean {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"server    " + conf + ":12: server_name chat.example.com matches exactly",
		"`location /ws/`: `location /ws/` is the longest matching prefix",
		"GET /ws/room1 HTTP/1.1",
		"Host: 127.0.0.1:8000",
		"X-Real-IP: $remote_addr",
		"Connection: close",
		"WS104",
		"verdict   the handshake fails: the backend gets neither `Upgrade` nor `Connection: upgrade`",
		"the location's own: the 3 entries of server",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("trace output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Upgrade: websocket") {
		t.Errorf("the trap drops Upgrade, but trace shows it:\n%s", out)
	}
	out, _, _ = wslint(t, "", "trace", "--browser", "firefox", conf, "ws://chat.example.com/")
	if !strings.Contains(out, "Upgrade: websocket") || !strings.Contains(out, "Connection: upgrade") || !strings.Contains(out, "Firefox handshake") || !strings.Contains(out, "verdict   the handshake can upgrade") {
		t.Errorf("location / forwards the upgrade:\n%s", out)
	}
	if _, stderr, code := wslint(t, "", "trace", conf, "ftp://x/"); code != exitUsage || !strings.Contains(stderr, "scheme") {
		t.Errorf("bad scheme: exit %d %q", code, stderr)
	}
}

func TestTraceNamedLocationAndReturn(t *testing.T) {
	dir := t.TempDir()
	named := dir + "/named.conf"
	os.WriteFile(named, []byte(`server {
    listen 80;
    proxy_http_version 1.1;
    location /ws/ {
        proxy_set_header Upgrade $http_upgrade;
        try_files /nonexistent @ws;
    }
    location @ws {
        proxy_pass http://127.0.0.1:8000;
    }
}
`), 0o644)
	out, _, code := wslint(t, "", "trace", named, "ws://x/ws/a")
	if code != exitClean || !strings.Contains(out, "named     "+named+":8 `location @ws`") || !strings.Contains(out, "verdict   the handshake fails") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	redirect := dir + "/redirect.conf"
	os.WriteFile(redirect, []byte("server {\n    listen 80;\n    return 301 https://$host$request_uri;\n    location /ws/ { proxy_pass http://127.0.0.1:8000; }\n}\n"), 0o644)
	out, _, _ = wslint(t, "", "trace", redirect, "ws://x/ws/a")
	if !strings.Contains(out, "the server returns before any location runs") {
		t.Errorf("server-level return:\n%s", out)
	}
	if _, _, code := wslint(t, "", "trace", redirect, "wss://x/ws/a"); code != exitFindings {
		t.Errorf("no server on 443: exit %d, want 1", code)
	}
}

// A handshake to a proxied location's path without its final '/' gets
// nginx's 301 (WS112); with the '/', it reaches the location.
func TestTraceRedirect(t *testing.T) {
	conf := "../../testdata/rules/WS112/bad.conf"
	out, stderr, code := wslint(t, "", "trace", conf, "ws://example.com:8080/ws")
	if code != exitClean || !strings.Contains(out, "nginx answers 301, a redirect to /ws/") || strings.Contains(out, "effective directives") {
		t.Errorf("exit %d %s:\n%s", code, stderr, out)
	}
	out, _, _ = wslint(t, "", "trace", conf, "ws://example.com:8080/ws/")
	if strings.Contains(out, "answers 301") || !strings.Contains(out, "`location /ws/`: `location /ws/` is the longest matching prefix") {
		t.Errorf("/ws/ reaches the location:\n%s", out)
	}
}

// The server's rewrite lines run before the location lookup: a rewrite
// that changes the path is followed (and named), one that redirects
// answers.
func TestTraceRewrite(t *testing.T) {
	out, stderr, code := wslint(t, "", "trace", "../../testdata/rules/WS115/good_rewrite.conf", "ws://example.com:8080/socket/a")
	if code != exitClean || !strings.Contains(out, "`rewrite ^/socket/(.*)$ /ws/$1 last`: the path becomes /ws/a") ||
		!strings.Contains(out, "`location /ws/`: `location /ws/` is the longest matching prefix") || !strings.Contains(out, "  GET /ws/a HTTP/1.1") {
		t.Errorf("exit %d %s:\n%s", code, stderr, out)
	}
	out, _, _ = wslint(t, "", "trace", "../../testdata/rules/WS115/bad_rewrite.conf", "ws://example.com:8080/ws/x")
	if !strings.Contains(out, "`rewrite ^(.*)$ https://example.test$1 permanent`: the server redirects before any location runs") || strings.Contains(out, "effective directives") {
		t.Errorf("the rewrite redirects:\n%s", out)
	}
}

// A location's own rewrite that starts the lookup again is followed.
func TestTraceLocationRewrite(t *testing.T) {
	out, stderr, code := wslint(t, "", "trace", "../../testdata/rules/WS116/good_location_rewrite.conf", "ws://example.com:8080/ws")
	if code != exitClean || !strings.Contains(out, "`rewrite ^/ws(.*)$ /api/ws$1 last`: the path becomes /api/ws, and nginx looks for a location again") ||
		!strings.Contains(out, "`location /api/ws`: `location /api/ws` is the longest matching prefix") {
		t.Errorf("exit %d %s:\n%s", code, stderr, out)
	}
}
