package nginxe2e

import (
	"net/http"
	"strings"
	"testing"
)

const canonical = `# the nginx.org/en/docs/http/websocket.html recipe
map $http_upgrade $connection_upgrade {
    default upgrade;
    ''      close;
}
server {
    listen 80;
    listen [::]:80 default_server;
    location / {
        proxy_pass http://127.0.0.1:8000;
        proxy_http_version 1.1;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $connection_upgrade;
        proxy_set_header Host $host;
    }
}
`

const bare = `location / { proxy_pass http://127.0.0.1:8000; }
`

var browsers = []Browser{Chromium, Firefox}

func startPair(t *testing.T, conf string) (*Nginx, *Backend) {
	t.Helper()
	NginxBinary(t)
	b := StartBackend(t)
	n, err := StartNginx(t, conf, b)
	if err != nil {
		t.Fatal(err)
	}
	return n, b
}

func TestCanonicalUpgrades(t *testing.T) {
	n, b := startPair(t, canonical)
	for _, br := range browsers {
		t.Run(br.String(), func(t *testing.T) {
			res := Handshake(n.Addr, "/ws", br, "graphql-ws")
			if res.Err != nil || res.Status != http.StatusSwitchingProtocols || !res.Echoed {
				t.Fatalf("Handshake = %d echoed=%v err=%v body=%q", res.Status, res.Echoed, res.Err, res.Body)
			}
			if res.Subprotocol != "graphql-ws" {
				t.Errorf("Subprotocol = %q, want graphql-ws", res.Subprotocol)
			}
			last, _ := b.LastRequest()
			if last.Proto != "HTTP/1.1" || !last.WebSocket || last.AcceptErr != "" {
				t.Errorf("backend saw %+v", last)
			}
			if got := last.Header.Get("Connection"); got != "upgrade" {
				t.Errorf("backend Connection = %q, want upgrade", got)
			}
			if got := last.Header.Get("Host"); got != "127.0.0.1" { // $host has no port
				t.Errorf("backend Host = %q, want 127.0.0.1", got)
			}
		})
	}
	status, body, err := PlainGET(n.Addr, "/")
	if err != nil || status != http.StatusOK || body != "plain ok" {
		t.Errorf("PlainGET = %d %q %v, want 200 \"plain ok\"", status, body, err)
	}
	if last, _ := b.LastRequest(); last.Header.Get("Connection") != "close" {
		t.Errorf("plain request Connection = %q, want close (map default '')", last.Header.Get("Connection"))
	}
}

func TestBareProxyPassDropsUpgrade(t *testing.T) {
	n, b := startPair(t, bare)
	for _, br := range browsers {
		t.Run(br.String(), func(t *testing.T) {
			res := Handshake(n.Addr, "/ws", br)
			if res.Err != nil {
				t.Fatalf("Handshake: %v", res.Err)
			}
			if res.Status != http.StatusUpgradeRequired || res.Echoed {
				t.Errorf("Handshake = %d echoed=%v body=%q, want 426 from coder", res.Status, res.Echoed, res.Body)
			}
			last, _ := b.LastRequest()
			if last.Header.Get("Upgrade") != "" || !last.WebSocket || last.AcceptErr == "" {
				t.Errorf("backend saw %+v", last)
			}
			t.Logf("%s: %d %q; backend got %s, Connection %q", br, res.Status, strings.TrimSpace(res.Body), last.Proto, last.Header.Get("Connection"))
		})
	}
	status, body, err := PlainGET(n.Addr, "/")
	if err != nil || status != http.StatusOK || body != "plain ok" {
		t.Errorf("PlainGET = %d %q %v, want 200 \"plain ok\"", status, body, err)
	}
}

func TestConfigTest(t *testing.T) {
	NginxBinary(t)
	if out, err := ConfigTest(t, bare, nil); err != nil {
		t.Errorf("ConfigTest(bare) = %v\n%s", err, out)
	}
	if out, err := ConfigTest(t, "location / { proxy_pass http://127.0.0.1:8000; include proxy_params; }", nil); err != nil {
		t.Errorf("ConfigTest(include proxy_params) = %v\n%s", err, out)
	}
	out, err := ConfigTest(t, "location / {\n    proxy_pass http://127.0.0.1:8000;\n    proxy_set_header Connection $connection_upgrade;\n}\n", nil)
	if err == nil || !strings.Contains(out, `unknown "connection_upgrade" variable`) {
		t.Errorf("ConfigTest(undefined variable) = %v\n%s", err, out)
	}
	// Line numbers of a wrapped snippet are the fixture's.
	out, err = ConfigTest(t, "# comment\nlocation / {\n    proxy_pass http://127.0.0.1:8000;\n    map $a $b {}\n}\n", nil)
	if err == nil || !strings.Contains(out, `"map" directive is not allowed here in `) || !strings.Contains(out, "nginx.conf:4") {
		t.Errorf("ConfigTest(map in location) = %v\n%s", err, out)
	}
}

func TestStartNginxInvalid(t *testing.T) {
	NginxBinary(t)
	_, err := StartNginx(t, "location / { proxy_pass http://127.0.0.1:8000 }", nil)
	if err == nil || !strings.Contains(err.Error(), "nginx -t") {
		t.Errorf("StartNginx(invalid) error = %v, want the nginx -t output", err)
	}
}

func TestPrepare(t *testing.T) {
	const (
		be     = "127.0.0.1:41234"
		listen = "127.0.0.1:50000"
		dir    = "/tmp/px"
	)
	tests := []struct {
		name string
		conf string
		want []string // substrings, in order
		not  []string
	}{
		{
			name: "bare location",
			conf: "# wslint-test: {}\nlocation /ws/ {\n    proxy_pass http://127.0.0.1:8000; # want WS101\n}\n",
			want: []string{
				"http { access_log \"/tmp/px/access.log\"; client_body_temp_path \"/tmp/px/client_body_temp\";",
				"# wslint-test: {}\nserver { listen 127.0.0.1:50000; location /ws/ {\n    proxy_pass http://127.0.0.1:41234; # want WS101\n} }\n",
				"}\n", "pid \"/tmp/px/nginx.pid\"; error_log \"/tmp/px/error.log\" info; events {}",
			},
			not: []string{"8000"},
		},
		{
			name: "map before locations stays outside the server",
			conf: "map $http_upgrade $c { default upgrade; '' close; user x; }\nproxy_read_timeout 300s;\nlocation / {}\nlocation /ws {}\n",
			want: []string{"http { ", "map $http_upgrade $c { default upgrade; '' close; user x; }\nserver { listen 127.0.0.1:50000; proxy_read_timeout 300s;\nlocation / {}\nlocation /ws {} }\n}\n"},
		},
		{
			name: "interleaved upstream moves after the server",
			conf: "location / {}\nupstream app { server 127.0.0.1:8000; }\nlocation /ws {}\n",
			want: []string{"server { listen 127.0.0.1:50000; location / {}\n\nlocation /ws {} }\n", "upstream app { server 127.0.0.1:41234; }\n}\n"},
		},
		{
			name: "server blocks get http and their listens replaced",
			conf: "server {\n    listen 80 default_server;\n    listen [::]:80;\n    location / {}\n}\nserver { server_name b; }\n",
			want: []string{"http { ", "server {\n    listen 127.0.0.1:50000 default_server;\n    \n    location / {}\n}\nserver { listen 127.0.0.1:50000; server_name b; }\n}\n"},
			not:  []string{"[::]"},
		},
		{
			name: "whole config keeps its structure, loses owned directives",
			conf: "user www-data;\nworker_processes auto;\npid /run/nginx.pid;\nevents { worker_connections 768; }\nhttp {\n    include mime.types;\n    access_log /var/log/nginx/access.log;\n    server { listen 80; location / { include proxy_params; } }\n}\n",
			want: []string{
				"\n\n\nevents { worker_connections 768; }\nhttp { access_log \"/tmp/px/access.log\";",
				"include \"/etc/nginx/mime.types\";\n    \n    server { listen 127.0.0.1:50000; location / { include \"/etc/nginx/proxy_params\"; } }\n}\n",
				"worker_processes 1; pid",
			},
			not: []string{"www-data", "auto", "/run/nginx.pid", "events {}", "/var/log"},
		},
		{
			name: "main-context statements leave the wrapper",
			conf: "worker_shutdown_timeout 2s;\nlocation / {}\n",
			want: []string{"http { ", "\nserver { listen 127.0.0.1:50000; location / {} }\n}\nworker_shutdown_timeout 2s;\n"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Prepare(tt.conf, be, listen, dir)
			rest := got
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("Prepare output lacks (in order) %q\n--- got:\n%s", w, got)
				}
				rest = rest[i+len(w):]
			}
			for _, w := range tt.not {
				if strings.Contains(got, w) {
					t.Errorf("Prepare output contains %q\n--- got:\n%s", w, got)
				}
			}
			// Statements that stay in place keep their line numbers.
			if n, m := strings.Count(tt.conf, "\n"), strings.Count(got, "\n"); m < n {
				t.Errorf("output has %d lines, input %d", m, n)
			}
		})
	}
}

func TestParseQuotesAndComments(t *testing.T) {
	top := parse("a \"x;{\" 'y}';# c { ;\nb { c ${v}d; }\ne")
	if len(top) != 3 || top[0].name != "a" || len(top[0].args) != 2 || top[0].args[0] != "x;{" {
		t.Fatalf("parse = %+v", top)
	}
	if !top[1].block || len(top[1].children) != 1 || top[1].children[0].args[0] != "${v}d" {
		t.Errorf("block = %+v", top[1])
	}
	if top[2].name != "e" {
		t.Errorf("unterminated = %+v", top[2])
	}
}
