package nginx_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wslint/wslint/lint/linttest/nginxe2e"
)

// serverNames and serverHosts are what the random virtual servers below are
// named and asked for: exact names, leading and trailing wildcards, regexes
// (case-insensitive as nginx compiles them), the empty name, and hosts with
// other cases, a trailing dot, none at all.
var (
	serverNames = []string{"example.com", "www.example.com", "*.example.com", ".example.com", "www.example.*", "~^api\\d+\\.", "~^(?<sub>[a-z]+)\\.test$",
		"*.a.example.com", "EXAMPLE.org", "\"\"", "_", "localhost", "~^ws\\."}
	serverHosts = []string{"example.com", "www.example.com", "a.example.com", "b.a.example.com", "www.example.net", "api1.example.com", "API7.x",
		"foo.test", "example.org", "Example.COM", "www.example.com.", "unknown.invalid", "ws.other.net", "localhost", "", "_"}
)

// TestSelectServerAsNginx: for random sets of servers on one port (some
// marked default_server) and random Host headers, SelectServer picks the
// server real nginx answers from.
func TestSelectServerAsNginx(t *testing.T) {
	nginxe2e.NginxBinary(t)
	r := testRand(11)
	const instances = 12
	ran := 0
	for range instances {
		var conf strings.Builder
		conf.WriteString("http {\n    server_names_hash_bucket_size 128;\n")
		n := 2 + r.IntN(4)
		def := -1
		if r.IntN(2) == 0 {
			def = r.IntN(n)
		}
		used := map[string]bool{}
		for s := range n {
			listen := "listen 8080;"
			if s == def {
				listen = "listen 8080 default_server;"
			}
			var names []string
			for k := 1 + r.IntN(3); k > 0; k-- {
				name := serverNames[r.IntN(len(serverNames))]
				key := strings.ToLower(strings.Trim(name, "\""))
				if used[key] || name == ".example.com" && (used["*.example.com"] || used["example.com"]) ||
					(name == "*.example.com" || name == "example.com") && used[".example.com"] {
					continue // nginx warns about (and ignores) a conflicting name
				}
				used[key] = true
				names = append(names, name)
			}
			fmt.Fprintf(&conf, "    server {\n        %s\n        server_name %s;\n        return 200 S%d;\n    }\n", listen, strings.Join(append(names, fmt.Sprintf("s%d.id", s)), " "), s)
		}
		conf.WriteString("}\n")
		text := conf.String()
		addr, cfg, ok := startLoaded(t, text)
		if !ok {
			continue
		}
		ran++
		for _, host := range serverHosts {
			var hs [][2]string
			if host != "" {
				hs = append(hs, [2]string{"Host", host})
			}
			status, _, body, err := rawGET(addr, "/", hs...)
			if err != nil {
				t.Fatalf("%q: %v", host, err)
			}
			got := ""
			if srv, _ := cfg.SelectServer(strings.TrimSuffix(host, "."), 8080); srv != nil {
				got = srv.Block.FindOne("return").Arg(1)
			}
			if status != 200 || got != body {
				t.Errorf("Host %q: nginx answers %d %q, SelectServer picks %q\n%s", host, status, body, got, text)
			}
		}
	}
	if ran < instances/2 {
		t.Fatalf("nginx ran %d of %d instances: too few compared", ran, instances)
	}
}
