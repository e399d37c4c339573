package rules

import (
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/linttest/nginxe2e"
	"github.com/wslint/wslint/lint/source"
)

// soupSeed is the seed of the random values below; WSLINT_SOUP_SEED=n
// explores others.
func soupSeed() uint64 {
	if v := os.Getenv("WSLINT_SOUP_SEED"); v != "" {
		n, _ := strconv.ParseUint(v, 10, 64)
		return n
	}
	return 2026
}

func soupOf(r *rand.Rand, pieces []string, most int) string {
	var b strings.Builder
	for n := 1 + r.IntN(most); n > 0; n-- {
		b.WriteString(pieces[r.IntN(len(pieces))])
	}
	return b.String()
}

// agreeWithNginx runs each configuration through nginx -t and the rules,
// and fails where they report a finding and nginx accepts the
// configuration, or the other way round (nginx's message is in the
// failure).
func agreeWithNginx(t *testing.T, rules []*lint.Rule, confs []string) {
	t.Helper()
	for _, conf := range confs {
		out, err := nginxe2e.ConfigTestMain(t, conf)
		res := lint.Run(rules, lint.Input{Files: []*source.File{source.NewFile("nginx.conf", []byte(conf))}}, lint.DefaultOptions())
		var found []string
		for _, f := range res.Findings {
			found = append(found, f.RuleID+" "+f.Message)
		}
		if refused := err != nil; refused != (len(found) > 0) {
			t.Errorf("nginx -t refuses it: %v; wslint reports %q\n%s\nnginx: %s", refused, found, conf, strings.TrimSpace(out))
		}
	}
}

// TestTimeValuesAsNginx: for random values of a millisecond directive
// (proxy_read_timeout) and a second one (open_file_cache_valid), WS006
// reports exactly those nginx -t refuses.
func TestTimeValuesAsNginx(t *testing.T) {
	nginxe2e.NginxBinary(t)
	pieces := []string{"0", "1", "5", "30", "100", "007", "9223372036854775", "99999999999999999999",
		"ms", "s", "m", "h", "d", "w", "M", "y", "S", "H", "D", " ", ".", "-", "+", "x"}
	r := rand.New(rand.NewPCG(6, soupSeed()))
	var confs []string
	for range 150 {
		v := soupOf(r, pieces, 5)
		for _, dir := range []string{"proxy_read_timeout", "open_file_cache_valid"} {
			confs = append(confs, "pid nginx.pid;\nevents {}\nhttp {\n    server {\n        listen 127.0.0.1:8080;\n        location / {\n"+
				"            "+dir+" \""+v+"\";\n        }\n    }\n}\n")
		}
	}
	agreeWithNginx(t, []*lint.Rule{InvalidTimeValue}, confs)
}

// TestVariableSyntaxAsNginx: for random values of directives whose
// arguments nginx compiles (add_header, return, set), WS011 (syntax) and
// WS007 (unknown variables) report exactly those nginx -t refuses.
func TestVariableSyntaxAsNginx(t *testing.T) {
	nginxe2e.NginxBinary(t)
	pieces := []string{"a", "/", "-", ".", "$", "$", "{", "}", "${", "$host", "${host}", "$1", "$12", "$_", "$a_b", "${a b}", "$-", "$$", "${}", " ", "é", "0", "x"}
	r := rand.New(rand.NewPCG(7, soupSeed()))
	var confs []string
	for range 150 {
		v := strings.NewReplacer(`"`, `\"`, `\`, `\\`).Replace(soupOf(r, pieces, 5))
		conf := "pid nginx.pid;\nevents {}\nhttp {\n    map $uri $a_b { default 1; }\n    server {\n        listen 127.0.0.1:8080;\n        location / {\n"
		switch r.IntN(3) {
		case 0:
			conf += "            add_header X-A \"" + v + "\";\n            return 204;\n"
		case 1:
			conf += "            return 200 \"" + v + "\";\n"
		default:
			conf += "            set $s \"" + v + "\";\n            return 200 $s;\n"
		}
		confs = append(confs, conf+"        }\n    }\n}\n")
	}
	agreeWithNginx(t, []*lint.Rule{InvalidVariableSyntax, UndefinedVariable}, confs)
}
