package rules

import (
	"testing"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/linttest/nginxe2e"
	"github.com/wslint/wslint/lint/source"
)

// TestWS011StreamAndMailAsNginx: in stream, nginx compiles variables in
// values as in http; in mail it compiles none. For each block, nginx -t
// (with the module loaded) refuses it exactly when WS011 reports it.
func TestWS011StreamAndMailAsNginx(t *testing.T) {
	cases := []struct {
		name, module, conf string
		bad                bool
	}{
		{"stream return ending in $", nginxe2e.StreamModule, "stream {\n    server {\n        listen 127.0.0.1:12345;\n        return \"5$\";\n    }\n}\n", true},
		{"stream return with an unclosed ${", nginxe2e.StreamModule, "stream {\n    server {\n        listen 127.0.0.1:12345;\n        return \"${remote_addr\";\n    }\n}\n", true},
		{"stream return of a variable", nginxe2e.StreamModule, "stream {\n    server {\n        listen 127.0.0.1:12345;\n        return \"$remote_addr\";\n    }\n}\n", false},
		{"stream map value ending in $", nginxe2e.StreamModule, "stream {\n    map $remote_addr $x {\n        default \"a$\";\n    }\n    server {\n        listen 127.0.0.1:12345;\n        return $x;\n    }\n}\n", true},
		{"stream set value ending in $", nginxe2e.StreamModule, "stream {\n    server {\n        listen 127.0.0.1:12345;\n        set $a \"x$\";\n        return $a;\n    }\n}\n", true},
		{"stream log_format with a lone $", nginxe2e.StreamModule, "stream {\n    log_format l \"$\";\n    server {\n        listen 127.0.0.1:12345;\n        return ok;\n    }\n}\n", true},
		{"stream proxy_pass ending in $", nginxe2e.StreamModule, "stream {\n    server {\n        listen 127.0.0.1:12345;\n        proxy_pass 127.0.0.1:$;\n    }\n}\n", true},
		{"mail auth_http ending in $", nginxe2e.MailModule, "mail {\n    auth_http 127.0.0.1:9000/auth$;\n    server {\n        listen 127.0.0.1:12346;\n        protocol smtp;\n        smtp_auth none;\n    }\n}\n", false},
		{"mail server_name with an unclosed ${", nginxe2e.MailModule, "mail {\n    auth_http 127.0.0.1:9000/auth;\n    server {\n        listen 127.0.0.1:12346;\n        protocol smtp;\n        smtp_auth none;\n        server_name \"a${x\";\n    }\n}\n", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			conf := "pid nginx.pid;\nevents {}\n" + c.conf
			out, err := nginxe2e.ConfigTestMain(t, nginxe2e.LoadModules(t, c.module)+conf)
			if refused := err != nil; refused != c.bad {
				t.Fatalf("nginx -t refuses it: %v, want %v\n%s", refused, c.bad, out)
			}
			res := lint.Run([]*lint.Rule{InvalidVariableSyntax}, lint.Input{Files: []*source.File{source.NewFile("nginx.conf", []byte(conf))}}, lint.DefaultOptions())
			var found bool
			for _, f := range res.Findings {
				found = found || f.RuleID == InvalidVariableSyntax.ID
			}
			if found != c.bad {
				t.Errorf("WS011 reports it: %v, want %v (findings %v)", found, c.bad, res.Findings)
			}
		})
	}
}
