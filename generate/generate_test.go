package generate

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/generate goldens")

const goldenDir = "../testdata/generate"

// Combos are the flag combinations with goldens besides the presets; the
// rules package lints and runs them through real nginx too.
var combos = map[string]NginxSpec{
	"default":                 {},
	"socketio-scaled":         {Preset: "socketio", ServerName: "chat.example.com", Upstreams: []string{"10.0.0.1:3000", "10.0.0.2:3000"}, Keepalive: 16},
	"fastapi-tls-1.18":        {Preset: "fastapi", ServerName: "example.com", TLSCert: "/etc/ssl/example.com.crt", TLSKey: "/etc/ssl/example.com.key"},
	"fastapi-tls-full-1.25.1": {Preset: "fastapi", ServerName: "example.com", TLSCert: "/etc/ssl/example.com.crt", TLSKey: "/etc/ssl/example.com.key", NginxVersion: "1.25.1", Full: true},
	"graphql-1.30.0":          {Preset: "graphql", Upstreams: []string{"127.0.0.1:4000"}, NginxVersion: "1.30.0"},
	"keepalive-full":          {Listen: []string{"8080", "[::]:8080"}, WSPaths: []string{"/ws/", "/events"}, Keepalive: 8, ReadTimeout: "2h", Full: true},
}

func TestGoldens(t *testing.T) {
	cases := map[string]NginxSpec{}
	for _, p := range Presets() {
		cases[p.Name] = NginxSpec{Preset: p.Name}
	}
	for name, s := range combos {
		cases["combo-"+name] = s
	}
	for name, spec := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := Nginx(spec)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(goldenDir, name+".conf")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./generate -update, then read the golden)", err)
			}
			if got != string(want) {
				t.Errorf("output differs from %s (go test ./generate -update rewrites it):\n%s", path, got)
			}
		})
	}
	if *update {
		return
	}
	entries, _ := os.ReadDir(goldenDir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "unit-") {
			continue // the Unit generator's goldens (rules/unit_test.go)
		}
		if _, ok := cases[strings.TrimSuffix(e.Name(), ".conf")]; !ok {
			t.Errorf("%s/%s belongs to no preset or combo", goldenDir, e.Name())
		}
	}
}

// TestInvariants checks what the catalogue in rules.md asks of every
// output, for every preset and version.
func TestInvariants(t *testing.T) {
	var specs []NginxSpec
	for _, p := range Presets() {
		for _, v := range []string{"1.18", "1.25.1", "1.29.6", "1.29.7", "1.30.0"} {
			for _, ups := range [][]string{nil, {"127.0.0.1:8000"}, {"10.0.0.1:80", "10.0.0.2:80"}} {
				for _, ka := range []int{0, 4} {
					specs = append(specs,
						NginxSpec{Preset: p.Name, NginxVersion: v, Upstreams: ups, Keepalive: ka},
						NginxSpec{Preset: p.Name, NginxVersion: v, Upstreams: ups, Keepalive: ka, Full: true, TLSCert: "c.pem", TLSKey: "k.pem"})
				}
			}
		}
	}
	for _, s := range specs {
		out, err := Nginx(s)
		if err != nil {
			t.Fatalf("%+v: %v", s, err)
		}
		r, _ := s.Resolve()
		v, _ := parseVersion(r.NginxVersion)
		fail := func(format string, args ...any) {
			t.Helper()
			t.Errorf("%+v: "+format+"\n%s", append([]any{s}, append(args, out)...)...)
		}
		keepalive := s.Keepalive > 0 || len(s.Upstreams) > 0 && v.atLeast(v1_29_7)
		switch {
		case keepalive && !strings.Contains(out, "    ''      '';\n"):
			fail("upstream keepalive applies: the map needs '' '' (WS401)")
		case !keepalive && !strings.Contains(out, "    ''      close;\n"):
			fail("no keepalive: the map should keep the documented '' close")
		}
		if strings.Contains(out, "$http_connection") {
			fail("Connection from $http_connection (WS106)")
		}
		if regexp.MustCompile(`(?i)proxy_set_header\s+upgrade\s+[^$]`).MatchString(out) {
			fail("hard-coded Upgrade (WS105)")
		}
		if strings.Contains(strings.ToLower(stripComments(out)), "sec-websocket") {
			fail("touches a Sec-WebSocket-* header (WS108)")
		}
		locs := strings.Count(stripComments(out), "location ")
		if n := strings.Count(out, "proxy_set_header Host $host;"); n != locs {
			fail("%d locations but %d `Host $host` (WS111)", locs, n)
		}
		if n := strings.Count(out, "proxy_set_header Upgrade $ws_upgrade;"); n != len(r.WSPaths) || !wsOnlyMap.MatchString(out) {
			fail("%d WebSocket paths but %d `Upgrade $ws_upgrade` lines, or no WebSocket-only map (WS301)", len(r.WSPaths), n)
		}
		if n := strings.Count(out, "proxy_read_timeout 1h;"); n != len(r.WSPaths) {
			fail("%d WebSocket paths but %d `proxy_read_timeout 1h` (WS201)", len(r.WSPaths), n)
		}
		wantHTTP11 := 0
		if v.less(v1_29_7) {
			wantHTTP11 = len(r.WSPaths)
			if s.Keepalive > 0 {
				wantHTTP11++ // location /
			}
		}
		if n := strings.Count(out, "proxy_http_version 1.1;"); n != wantHTTP11 {
			fail("want %d `proxy_http_version 1.1` (WS103), got %d", wantHTTP11, n)
		}
		p, _ := LookupPreset(s.Preset)
		if sticky := p.Sticky && len(s.Upstreams) > 1; sticky != strings.Contains(out, "hash $remote_addr consistent;") {
			fail("sticky hashing should be %v (WS404)", sticky)
		}
		if s.TLSCert != "" {
			switch {
			case v.less(v1_25_1) && !strings.Contains(out, "listen 443 ssl http2;"):
				fail("before 1.25.1 HTTP/2 is a listen parameter")
			case v.atLeast(v1_25_1) && (!strings.Contains(out, "listen 443 ssl;") || !strings.Contains(out, "http2 on;")):
				fail("from 1.25.1 HTTP/2 is `http2 on;`")
			case !strings.Contains(out, "return 301 https://$host$request_uri;"):
				fail("no http-to-https redirect")
			}
		}
		if strings.Contains(out, "http2") && s.TLSCert == "" {
			fail("HTTP/2 without TLS (WS403)")
		}
		if s.Full {
			http := strings.Index(out, "\nhttp {\n")
			if http < 0 || strings.Index(out, "map $http_upgrade") < http || !strings.Contains(out, "\nevents {}\n") {
				fail("full: the map must be inside http {}, with events {}")
			}
			if !strings.Contains(out, "\nworker_shutdown_timeout 30s;\n") {
				fail("full: worker_shutdown_timeout (WS203)")
			}
		} else if firstDirective(out) != "map $http_upgrade $ws_upgrade {" {
			fail("conf.d: the map comes first, at the top level")
		}
	}
}

var wsOnlyMap = regexp.MustCompile(`map \$http_upgrade \$ws_upgrade \{\n\s+~\*\^websocket\$ websocket;\n\s+default\s+"";\n`)

// stripComments drops every line that is a comment.
func stripComments(conf string) string {
	var b strings.Builder
	for _, l := range strings.SplitAfter(conf, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "#") {
			b.WriteString(l)
		}
	}
	return b.String()
}

// firstDirective returns the first line that is neither blank nor a comment.
func firstDirective(conf string) string {
	for _, l := range strings.Split(conf, "\n") {
		if l != "" && !strings.HasPrefix(l, "#") {
			return l
		}
	}
	return ""
}

func TestPresetDefaultsAreOverridden(t *testing.T) {
	r, err := NginxSpec{Preset: "Socket.IO", WSPaths: []string{"/realtime/"}, ReadTimeout: "90s"}.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	if r.Preset != "socketio" || len(r.WSPaths) != 1 || r.WSPaths[0] != "/realtime/" || r.ReadTimeout != "90s" {
		t.Errorf("Resolve = %+v", r)
	}
	r, _ = NginxSpec{Preset: "jupyter"}.Resolve()
	if strings.Join(r.WSPaths, " ") != "/api/kernels/ /terminals/websocket /api/events/subscribe" || r.ReadTimeout != "1h" || r.NginxVersion != "1.18" {
		t.Errorf("jupyter defaults = %+v", r)
	}
	out, _ := Nginx(NginxSpec{Preset: "phoenix"})
	if !strings.Contains(out, "proxy_pass http://127.0.0.1:4000;") || strings.Contains(out, "\nupstream ") {
		t.Errorf("phoenix without upstreams should proxy to its default address directly:\n%s", out)
	}
	out, _ = Nginx(NginxSpec{Preset: "django-channels", Keepalive: 2})
	if !strings.Contains(out, "upstream django_channels {\n    server 127.0.0.1:8000;\n    keepalive 2;\n}") || !strings.Contains(out, "proxy_pass http://django_channels;") {
		t.Errorf("keepalive needs an upstream block:\n%s", out)
	}
	out, _ = Nginx(NginxSpec{WSPaths: []string{"/"}})
	if strings.Count(stripComments(out), "location ") != 1 {
		t.Errorf("with / as the WebSocket path there is one location:\n%s", out)
	}
	out, _ = Nginx(NginxSpec{TLSCert: "/a b/c.pem", TLSKey: "k.pem", Listen: []string{"10.0.0.1:8443", "[::]:8443"}})
	for _, want := range []string{"listen 10.0.0.1:8443 ssl http2;", `ssl_certificate "/a b/c.pem";`, "listen 10.0.0.1:80;", "listen [::]:80;", "return 301 https://$host:8443$request_uri;"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q:\n%s", want, out)
		}
	}
}

func TestErrors(t *testing.T) {
	for _, c := range []struct {
		spec NginxSpec
		want string
	}{
		{NginxSpec{Preset: "rails"}, `unknown preset "rails"; valid presets: actioncable, django-channels, fastapi, grafana, graphql, home-assistant, jupyter, phoenix, signalr, socketio`},
		{NginxSpec{Listen: []string{"my_host:80"}}, `invalid listen address "my_host:80": "my_host" is not a valid host name or IP address`},
		{NginxSpec{Listen: []string{"127.0.0.1:99999"}}, `invalid listen address "127.0.0.1:99999": port "99999" is not a number from 1 to 65535`},
		{NginxSpec{Listen: []string{"::1:80"}}, `write an IPv6 address in brackets`},
		{NginxSpec{Listen: []string{"80", "80"}}, `listen address "80" given twice`},
		{NginxSpec{Listen: []string{"80"}, TLSCert: "c", TLSKey: "k"}, `uses port 80, where the http-to-https redirect listens`},
		{NginxSpec{Upstreams: []string{"http://127.0.0.1:8000"}}, `invalid upstream address "http://127.0.0.1:8000": give HOST:PORT without the http:// scheme`},
		{NginxSpec{Upstreams: []string{"8000"}}, `"8000" is a port: give HOST:PORT, e.g. 127.0.0.1:8000`},
		{NginxSpec{Upstreams: []string{"app:"}}, `port "" is not a number`},
		{NginxSpec{WSPaths: []string{"ws"}}, `WebSocket path "ws" must start with /`},
		{NginxSpec{WSPaths: []string{"/ws; deny all"}}, `must not contain spaces`},
		{NginxSpec{ReadTimeout: "1H"}, `invalid read timeout "1H": want an nginx time such as 1h, 90s or 1h30m`},
		{NginxSpec{ReadTimeout: "30s1m"}, `invalid read timeout "30s1m"`},
		{NginxSpec{ReadTimeout: "1M"}, `invalid read timeout "1M"`},
		{NginxSpec{ReadTimeout: "60s"}, `read timeout "60s" is at most 60s: nginx would close an idle WebSocket`},
		{NginxSpec{NginxVersion: "1.x"}, `invalid nginx version "1.x"`},
		{NginxSpec{TLSCert: "c.pem"}, `TLS needs both a certificate and a key`},
		{NginxSpec{TLSCert: "c.pem", TLSKey: "$k"}, `TLS key "$k" must not contain`},
		{NginxSpec{Keepalive: -1}, `keepalive -1: want 0 (none) or a positive number`},
		{NginxSpec{ServerName: "a.com;b"}, `server name "a.com;b" must not contain ';'`},
		{NginxSpec{ServerName: "a.com  b.com"}, `separate names with single spaces`},
	} {
		_, err := Nginx(c.spec)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Nginx(%+v) = %v, want an error containing %q", c.spec, err, c.want)
		}
	}
	for _, ok := range []NginxSpec{
		{Listen: []string{"8080", "127.0.0.1:8081", "[::]:8080", "*:8082", "localhost:8083", "unix:/run/app.sock"}},
		{Upstreams: []string{"app:8000", "[::1]:8000", "unix:/run/app.sock", "10.0.0.1"}},
		{ReadTimeout: "1h 30m"}, {ReadTimeout: "61"}, {ReadTimeout: "2d"},
		{ServerName: "example.com *.example.com .example.org _"},
		{NginxVersion: "nginx/1.22.1"},
	} {
		if _, err := Nginx(ok); err != nil {
			t.Errorf("Nginx(%+v): %v", ok, err)
		}
	}
}

// The grammar of nginx-semantics.md §8, for a millisecond directive.
func TestParseMsec(t *testing.T) {
	for in, want := range map[string]int64{
		"1h": 3_600_000, "1h30m": 5_400_000, "1m30s": 90_000, "1d2h3m4s5ms": 93_784_005,
		"1h30m15s100ms": 5_415_100, "1h 30m": 5_400_000, "1h  30m": 5_400_000, "60s 500ms": 60_500,
		"1h ": 3_600_000, "1h 30": 3_630_000, "1h30": 3_630_000, "5400": 5_400_000, "0": 0, "0s": 0,
		"1hs": 3_600_000, "9223372036854775807ms": 9223372036854775807, "15250284452w": 15250284452 * 7 * 24 * 3600 * 1000,
		" 30": 30_000, "60 30": 90_000, "500ms30": 30_500, // checked with nginx 1.22.1 -t
	} {
		if got, ok := parseMsec(in); !ok || got != want {
			t.Errorf("parseMsec(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "s", "1H", "1S", "1MS", "30s1m", "5ms1s", "1w1w", "1hh", "1M", "1y", "60 s", " 1h",
		"1.5h", "-1s", "1\th", "9223372036854775808ms", "15250284453w", "1h30m 1h"} {
		if got, ok := parseMsec(in); ok {
			t.Errorf("parseMsec(%q) = %d, want invalid", in, got)
		}
	}
}

func TestSnippets(t *testing.T) {
	// The exact lines rules/headers.go inserts today.
	if got := strings.Join(UpgradeMap("$connection_upgrade", false), "\n"); got != "map $http_upgrade $connection_upgrade {\n    default upgrade;\n    ''      close;\n}" {
		t.Errorf("UpgradeMap = %q", got)
	}
	if got := UpgradeMap("connection_upgrade", true)[2]; got != "    ''      '';" {
		t.Errorf("UpgradeMap keepalive branch = %q", got)
	}
	if got := WebSocketHeaders("conn"); got[0] != "proxy_set_header Upgrade $http_upgrade;" || got[1] != "proxy_set_header Connection $conn;" {
		t.Errorf("WebSocketHeaders = %q", got)
	}
}
