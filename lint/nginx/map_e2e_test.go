package nginx_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wslint/wslint/lint/linttest/nginxe2e"
	"github.com/wslint/wslint/lint/nginx"
)

// mapEntries and mapInputs are the lines of the random maps below and the
// values they are asked about: exact keys (in other cases, empty, escaped),
// regexes with and without case, default, and values that name variables.
var (
	mapEntries = []string{"default d;", "\"\" empty;", "close c1;", "websocket ws;", "WebSocket WS2;", "upgrade up;", "~^web w3;",
		"~*^WEB w4;", "~\\d+ num;", "\\~x tilde;", "~^up(grade)?$ up2;", "Ǳ dz;", "keep-alive ka;", "~^$ re-empty;", "default $http_x_other;",
		"h2c $http_upgrade;"}
	mapInputs = []string{"", "websocket", "WebSocket", "WEBSOCKET", "web", "Webby", "close", "CLOSE", "123", "a1", "~x", "upgrade",
		"UPGRADE", "upgrad", "ǲ", "ǳ", "keep-alive", "h2c", "x"}
)

// TestMapAsNginx: for random maps of $http_x_in and random X-In values,
// Config.EvalMap gives the value nginx returns for the map's variable.
func TestMapAsNginx(t *testing.T) {
	nginxe2e.NginxBinary(t)
	r := testRand(12)
	const instances = 8
	ran := 0
	for range instances {
		var conf strings.Builder
		conf.WriteString("http {\n")
		const maps = 6
		for m := range maps {
			fmt.Fprintf(&conf, "    map $http_x_in $m%d {\n", m)
			used := map[string]bool{}
			for n := 1 + r.IntN(5); n > 0; n-- {
				e := mapEntries[r.IntN(len(mapEntries))]
				key, _, _ := strings.Cut(e, " ")
				if used[strings.ToLower(key)] {
					continue // nginx refuses a duplicate key
				}
				used[strings.ToLower(key)] = true
				conf.WriteString("        " + e + "\n")
			}
			conf.WriteString("    }\n")
		}
		conf.WriteString("    server {\n        listen 8080;\n")
		for m := range maps {
			fmt.Fprintf(&conf, "        location = /m%d {\n            return 200 \"[$m%d]\";\n        }\n", m, m)
		}
		conf.WriteString("    }\n}\n")
		text := conf.String()
		addr, cfg, ok := startLoaded(t, text)
		if !ok {
			continue
		}
		ran++
		for m := range maps {
			mp := cfg.Map(fmt.Sprintf("m%d", m))
			if mp == nil {
				t.Fatalf("no map m%d", m)
			}
			for _, in := range mapInputs {
				_, _, body, err := rawGET(addr, fmt.Sprintf("/m%d", m), [2]string{"Host", "x"}, [2]string{"X-In", in}, [2]string{"X-Other", "other"})
				if err != nil {
					t.Fatal(err)
				}
				req := nginx.Request{Name: "test", Method: "GET", Path: "/", Header: map[string]string{"host": "x", "x-in": in, "x-other": "other"}}
				v := cfg.EvalMap(mp, req)
				if got := "[" + v.Text + "]"; !v.Unknown && got != body {
					t.Errorf("map m%d, X-In %q: nginx %s, EvalMap %s\n%s", m, in, body, got, mapText(text, m))
				}
			}
		}
	}
	if ran < instances/2 {
		t.Fatalf("nginx ran %d of %d instances: too few compared", ran, instances)
	}
}

func mapText(conf string, m int) string {
	i := strings.Index(conf, fmt.Sprintf("map $http_x_in $m%d {", m))
	return conf[i : i+strings.Index(conf[i:], "}")+1]
}
