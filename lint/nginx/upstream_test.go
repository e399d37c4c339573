package nginx

import (
	"strings"
	"testing"
)

func TestParseProxyURL(t *testing.T) {
	tests := []struct {
		in               string
		host, port, eff  string
		ip, unix, wantOK bool
	}{
		{in: "http://app", host: "app", eff: "80", wantOK: true},
		{in: "https://app:8443/x?y", host: "app", port: "8443", eff: "8443", wantOK: true},
		{in: "http://127.0.0.1:8000/", host: "127.0.0.1", port: "8000", eff: "8000", ip: true, wantOK: true},
		{in: "http://[::1]:8000", host: "[::1]", port: "8000", eff: "8000", ip: true, wantOK: true},
		{in: "http://unix:/run/app.sock:/x", unix: true, wantOK: true},
		{in: "app:8000"},
		{in: "http://"},
	}
	for _, tt := range tests {
		u, ok := ParseProxyURL(tt.in)
		if ok != tt.wantOK || u.Unix != tt.unix || u.Host != tt.host || u.Port != tt.port || ok && !u.Unix && (u.EffectivePort() != tt.eff || u.IsIP() != tt.ip) {
			t.Errorf("ParseProxyURL(%q) = %+v, %v (ip %v, port %q)", tt.in, u, ok, u.IsIP(), u.EffectivePort())
		}
	}
}

func TestProxyTargets(t *testing.T) {
	c := load(t, `
map $http_host $pick {
    default  Blue;
    a.example 10.0.0.1:8000;
    b.example $http_x_backend;
}
upstream blue { server 127.0.0.1:8000; keepalive 4; }
upstream green { server 127.0.0.1:8001; server 127.0.0.1:8002 backup; least_conn; }
server {
    set $srv "srv.internal";
    location /a { proxy_pass http://$pick; }
    location /b { set $srv "10.0.0.2"; proxy_pass http://$srv:9000$request_uri; }
    location /c { if ($arg_x) { set $srv blue; } proxy_pass http://$srv; }
    location /d { proxy_pass http://localhost:8000; }
    location /e { set $h LOCALHOST:8000; proxy_pass http://$h; }
    location /f { proxy_pass http://green/x; }
}
`)
	noProblems(t, c)
	got := map[string]string{}
	for _, l := range c.Locations() {
		var parts []string
		for _, tg := range c.ProxyTargets(l, l.ProxyPass()) {
			s := strings.ReplaceAll(tg.Text, UnknownPart, "?")
			switch {
			case tg.Unknown:
				s += " unknown"
			case tg.Upstream != nil:
				s += " upstream=" + tg.Upstream.Arg(0)
			case tg.Implicit:
				s += " implicit"
			case tg.URL.IsIP():
				s += " ip"
			}
			parts = append(parts, s)
		}
		got[l.Path] = strings.Join(parts, " | ")
	}
	want := map[string]string{
		"/a": "http://10.0.0.1:8000 ip | http://? unknown | http://Blue upstream=blue",
		"/b": "http://10.0.0.2:9000/? ip",
		"/c": "http://srv.internal | http://blue upstream=blue",
		"/d": "http://localhost:8000",
		"/e": "http://LOCALHOST:8000 implicit",
		"/f": "http://green/x upstream=green",
	}
	for path, w := range want {
		if got[path] != w {
			t.Errorf("ProxyTargets(%s) = %q, want %q", path, got[path], w)
		}
	}
	blue, green := c.UpstreamBlock("BLUE"), c.UpstreamBlock("green")
	if ok, ka := UpstreamKeepalive(blue, DefaultVersion); !ok || ka == nil {
		t.Errorf("UpstreamKeepalive(blue) = %v, %v", ok, ka)
	}
	if ok, _ := UpstreamKeepalive(green, DefaultVersion); ok {
		t.Error("green keeps connections alive before 1.29.7")
	}
	if ok, ka := UpstreamKeepalive(green, V1_29_7); !ok || ka != nil {
		t.Errorf("UpstreamKeepalive(green, 1.29.7) = %v, %v", ok, ka)
	}
	if n := len(UpstreamServers(green)); n != 1 {
		t.Errorf("UpstreamServers(green) = %d, want 1 (backup excluded)", n)
	}
	if b := UpstreamBalancer(green); b == nil || b.Name != "least_conn" {
		t.Errorf("UpstreamBalancer(green) = %v", b)
	}
}
