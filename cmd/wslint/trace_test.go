package main

import (
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
	} {
		if !strings.Contains(out, want) {
			t.Errorf("trace output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Upgrade: websocket") {
		t.Errorf("the trap drops Upgrade, but trace shows it:\n%s", out)
	}
	out, _, _ = wslint(t, "", "trace", "--browser", "firefox", conf, "ws://chat.example.com/")
	if !strings.Contains(out, "Upgrade: websocket") || !strings.Contains(out, "Connection: upgrade") || !strings.Contains(out, "Firefox handshake") {
		t.Errorf("location / forwards the upgrade:\n%s", out)
	}
	if _, stderr, code := wslint(t, "", "trace", conf, "ftp://x/"); code != exitUsage || !strings.Contains(stderr, "scheme") {
		t.Errorf("bad scheme: exit %d %q", code, stderr)
	}
}
