package nginx_test

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"net"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/wslint/wslint/lint/linttest/nginxe2e"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
)

// setHeaders are proxy_set_header arguments the random configurations
// below draw from: variables of the request, of the upgrade map and of
// nginx, constants, and empty values (which remove a header).
var setHeaders = []string{
	"Host $host", "Host $proxy_host", "Host example.org", "Host \"\"",
	"Upgrade $http_upgrade", "Upgrade websocket", "Upgrade \"\"",
	"Connection $connection_upgrade", "Connection upgrade", "Connection \"\"", "Connection close", "Connection keep-alive",
	"X-A a", "X-A b", "X-A \"\"", "X-B $http_origin", "X-C $http_x_absent", "Origin \"\"", "Sec-WebSocket-Key \"\"",
	"X-Forwarded-For $proxy_add_x_forwarded_for", "X-Real-IP $remote_addr", "X-Uri $request_uri",
}

func someSets(r *rand.Rand, indent string) string {
	var b strings.Builder
	for n := r.IntN(4); n > 0; n-- {
		fmt.Fprintf(&b, "%sproxy_set_header %s;\n", indent, setHeaders[r.IntN(len(setHeaders))])
	}
	return b.String()
}

func someVersion(r *rand.Rand, indent string) string {
	switch r.IntN(4) {
	case 0:
		return indent + "proxy_http_version 1.1;\n"
	case 1:
		return indent + "proxy_http_version 1.0;\n"
	}
	return ""
}

// TestSimulateAsNginx: for random proxy_set_header lists at the http,
// server and location levels (with proxy_http_version and
// proxy_pass_request_headers), the request wslint's simulation says nginx
// sends upstream (Location.Simulate) is the request a backend receives
// through real nginx: the same protocol version and the same headers with
// the same values, in order for each name (a value wslint cannot know, such
// as $remote_addr, is compared for presence only). Each of the requests of
// rules.md is sent as the simulation models it, byte for byte.
func TestSimulateAsNginx(t *testing.T) {
	nginxe2e.NginxBinary(t)
	r := testRand(9)
	version, err := nginx.ParseVersion(nginxe2e.Version(t))
	if err != nil {
		t.Fatal(err)
	}
	const instances, servers = 10, 12
	for inst := range instances {
		var conf strings.Builder
		conf.WriteString("http {\n    map $http_upgrade $connection_upgrade {\n        default upgrade;\n        ''      close;\n    }\n")
		conf.WriteString(someSets(r, "    ") + someVersion(r, "    "))
		for s := range servers {
			fmt.Fprintf(&conf, "    server {\n        listen 8080;\n        server_name c%d.test;\n", s)
			if r.IntN(6) == 0 {
				conf.WriteString("        underscores_in_headers on;\n")
			}
			conf.WriteString(someSets(r, "        ") + someVersion(r, "        "))
			conf.WriteString("        location / {\n            proxy_pass http://127.0.0.1:8000;\n")
			conf.WriteString(someSets(r, "            ") + someVersion(r, "            "))
			if r.IntN(8) == 0 {
				conf.WriteString("            proxy_pass_request_headers off;\n")
			}
			// A nested location inherits from this one.
			conf.WriteString("            location /n/ {\n                proxy_pass http://127.0.0.1:8000;\n")
			conf.WriteString(someSets(r, "                ") + someVersion(r, "                "))
			conf.WriteString("            }\n        }\n    }\n")
		}
		conf.WriteString("}\n")
		text := conf.String()

		backend := startRawBackend(t)
		ngx, err := nginxe2e.StartNginx(t, strings.ReplaceAll(text, nginxe2e.FixtureUpstream, backend.addr), nil)
		if err != nil {
			t.Fatalf("instance %d: %v\n%s", inst, err, text)
		}
		cfg := nginx.Load([]*source.File{source.NewFile("nginx.conf", []byte(text))}, nginx.LoadOptions{})
		for s := range servers {
			host := fmt.Sprintf("c%d.test", s)
			for _, base := range []nginx.Request{nginx.PlainRequest, nginx.ChromiumHandshake, nginx.FirefoxHandshake} {
				req := base
				req.Header = maps(base.Header)
				req.Header["host"] = host
				if r.IntN(2) == 0 {
					req.Path = "/n/x"
				}
				// Client headers nginx drops (hop-by-hop, an underscore) or passes.
				for n := r.IntN(3); n > 0; n-- {
					h := clientHeaders[r.IntN(len(clientHeaders))]
					req.Header[h[0]] = h[1]
				}
				loc := locationOf(t, cfg, host, req.Path)
				got, err := throughNginx(ngx.Addr, backend, req)
				if err != nil {
					t.Fatalf("instance %d, %s, %s: %v\n%s", inst, host, req.Name, err, serverText(text, host))
				}
				up := loc.Simulate(cfg, req, version)
				if msg := compareUpstream(up, got); msg != "" {
					t.Errorf("instance %d, server %s, %s: %s\n%s", inst, host, req.Name, msg, serverText(text, host))
				}
			}
		}
	}
}

func maps(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// clientHeaders are headers a client may add to the requests of rules.md.
var clientHeaders = [][2]string{
	{"x-foo", "bar"}, {"x_under", "1"}, {"keep-alive", "300"}, {"te", "trailers"},
	{"proxy-connection", "keep-alive"}, {"expect", "100-continue"}, {"x-forwarded-for", "10.0.0.1"},
	{"sec-websocket-protocol", "graphql-ws"}, {"origin", "http://other.test"},
}

// locationOf is the location of host's server for path: / or the nested
// /n/.
func locationOf(t *testing.T, cfg *nginx.Config, host, path string) *nginx.Location {
	t.Helper()
	want := "/"
	if strings.HasPrefix(path, "/n/") {
		want = "/n/"
	}
	for _, l := range cfg.Locations() {
		if sn := l.Server.Block.FindOne("server_name"); sn != nil && sn.Arg(0) == host && l.Path == want {
			return l
		}
	}
	t.Fatalf("no location %s for %s", want, host)
	return nil
}

// serverText is the server block of host in the configuration (for a
// failure's message), with the http-level lines before the first server.
func serverText(conf, host string) string {
	head, _, _ := strings.Cut(conf, "    server {")
	return head + serverBlock(conf, host)
}

// rawRequest is a request head as an upstream received it: its request
// line and its header lines, in order, duplicates kept.
type rawRequest struct {
	line    string
	headers [][2]string // name as sent, value
}

// rawBackend answers every request with 200 and keeps each head as sent
// (an HTTP server library would refuse or merge some: two Host lines).
type rawBackend struct {
	addr string
	got  chan rawRequest
}

func startRawBackend(t *testing.T) *rawBackend {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	b := &rawBackend{addr: ln.Addr().String(), got: make(chan rawRequest, 16)}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_ = c.SetDeadline(time.Now().Add(10 * time.Second))
				br := bufio.NewReader(c)
				var req rawRequest
				for first := true; ; first = false {
					line, err := br.ReadString('\n')
					if err != nil {
						return
					}
					line = strings.TrimRight(line, "\r\n")
					if line == "" {
						break
					}
					if first {
						req.line = line
						continue
					}
					name, value, _ := strings.Cut(line, ":")
					req.headers = append(req.headers, [2]string{name, strings.TrimSpace(value)})
				}
				b.got <- req
				_, _ = c.Write([]byte("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"))
			}()
		}
	}()
	return b
}

// throughNginx sends req to nginx as its bytes (headers in sorted order)
// and returns the head the backend received.
func throughNginx(addr string, backend *rawBackend, req nginx.Request) (rawRequest, error) {
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return rawRequest{}, err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	names := make([]string, 0, len(req.Header))
	for n := range req.Header {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\n", req.Method, req.Path)
	for _, n := range names {
		fmt.Fprintf(&b, "%s: %s\r\n", n, req.Header[n])
	}
	b.WriteString("\r\n")
	if _, err := c.Write([]byte(b.String())); err != nil {
		return rawRequest{}, err
	}
	status, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return rawRequest{}, fmt.Errorf("no answer: %w", err)
	}
	select {
	case got := <-backend.got:
		return got, nil
	case <-time.After(5 * time.Second):
		return rawRequest{}, fmt.Errorf("the backend saw no request (nginx answered %q)", strings.TrimSpace(status))
	}
}

// compareUpstream returns how the simulated request differs from the one
// the backend received, or "".
func compareUpstream(up nginx.Upstream, got rawRequest) string {
	if want := "HTTP/" + up.Version; !strings.HasSuffix(got.line, " "+want) {
		return fmt.Sprintf("request line %q, simulated %s", got.line, want)
	}
	sim := map[string][]nginx.Sent{}
	for _, h := range up.Headers {
		if h.Value.Unknown || h.Value.Text != "" {
			n := strings.ToLower(h.Name)
			sim[n] = append(sim[n], h)
		}
	}
	recv := map[string][]string{}
	for _, h := range got.headers {
		n := strings.ToLower(h[0])
		recv[n] = append(recv[n], h[1])
	}
	var names []string
	for n := range sim {
		names = append(names, n)
	}
	for n := range recv {
		if _, ok := sim[n]; !ok {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	var diffs []string
	for _, n := range names {
		s, v := sim[n], recv[n]
		if len(s) != len(v) {
			diffs = append(diffs, fmt.Sprintf("%s: received %q, simulated %s", n, v, sentText(s)))
			continue
		}
		for i := range s {
			if !s[i].Value.Unknown && s[i].Value.Text != v[i] {
				diffs = append(diffs, fmt.Sprintf("%s: received %q, simulated %s", n, v, sentText(s)))
				break
			}
		}
	}
	return strings.Join(diffs, "; ")
}

func sentText(s []nginx.Sent) string {
	var out []string
	for _, h := range s {
		out = append(out, fmt.Sprintf("%q (%s)", h.Value.Text, h.Origin))
	}
	return "[" + strings.Join(out, " ") + "]"
}
