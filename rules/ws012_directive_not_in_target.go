package rules

import (
	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
)

// DirectiveNotInTarget reports a stock directive that the target nginx
// release does not have: added in a later release, or removed before it.
var DirectiveNotInTarget = &lint.Rule{
	ID:       "WS012",
	Name:     "directive-not-in-target",
	Lang:     lint.Nginx,
	Severity: lint.Error,
	Default:  true,
	Check:    checkDirectiveNotInTarget,
	Doc: lint.Doc{
		Summary: "a directive that the target nginx release does not have",
		Why: "nginx refuses to start or reload with `unknown directive \"http2\"` when a configuration " +
			"written for a newer release meets an older one: `http2 on;` (1.25.1) copied from a current " +
			"guide onto Debian 12's 1.22 or Ubuntu 24.04's 1.24, `keepalive_time` (1.19.10) or " +
			"`ssl_reject_handshake` (1.19.4) onto 1.18. The reload fails and the old configuration keeps " +
			"running, so the change seems to do nothing until the next restart takes the server down. " +
			"Directives removed from nginx (`limit_zone`, 1.7.6) fail the same way on every later " +
			"release. The target is `--nginx-version` (default 1.18, the oldest release in wide use).",
		Bad: "# wslint-test: {\"e2e\": \"refused\"}\nevents {}\nhttp {\n    server {\n        listen 8443 ssl;\n        http2 on;\n" +
			"        ssl_certificate /etc/ssl/certs/ssl-cert-snakeoil.pem;\n" +
			"        ssl_certificate_key /etc/ssl/private/ssl-cert-snakeoil.key;\n" +
			"        location / {\n            return 200;\n        }\n    }\n}\n",
		Good: "events {}\nhttp {\n    server {\n        listen 8443 ssl http2;\n" +
			"        ssl_certificate /etc/ssl/certs/ssl-cert-snakeoil.pem;\n" +
			"        ssl_certificate_key /etc/ssl/private/ssl-cert-snakeoil.key;\n" +
			"        location / {\n            return 200;\n        }\n    }\n}\n",
		FixSafety: "No fix: the right change is to the target (`--nginx-version`, when the servers run the " +
			"newer release) or to the configuration (the older release's way, such as `listen ... http2` " +
			"for `http2 on;`), and only the author knows which servers it is for.",
		References: []string{"https://nginx.org/en/CHANGES", "https://nginx.org/en/docs/dirindex.html"},
	},
}

// olderWay says how a release before the directive does the same, for the
// directives with such a way.
var olderWay = map[string]string{
	"http2":      "before 1.25.1, HTTP/2 is the `http2` parameter of `listen` (`listen 443 ssl http2;`)",
	"limit_zone": "use `limit_conn_zone`",
	"ssl":        "use the `ssl` parameter of `listen` (`listen 443 ssl;`)",
}

func checkDirectiveNotInTarget(p *lint.Pass) (out []lint.Finding) {
	target := p.Opts.NginxVersion
	eachSite(p.Nginx, func(s *site) {
		d := s.d
		if s.merged() == nil {
			return // WS002
		}
		ok, since, until := nameInTarget(s.rows(), target)
		if ok {
			return
		}
		var f lint.Finding
		switch {
		case until != "":
			f = p.Finding(d.NameSpan(), "`%s` was removed in nginx %s: the target nginx %s refuses to load (`unknown directive \"%s\"`)",
				d.Name, until, target, d.Name)
		default:
			f = p.Finding(d.NameSpan(), "`%s` appeared in nginx %s: the target nginx %s refuses to load (`unknown directive \"%s\"`); set `--nginx-version` if the servers run %s or later",
				d.Name, since, target, d.Name, since)
		}
		if way, ok := olderWay[d.Name]; ok {
			if d.Name == "http2" && plaintextServer(p.Nginx, d.Parent) {
				way = "on a server without TLS, drop it: before 1.25.1 a plaintext `listen ... http2` takes HTTP/2 connections only, and WebSocket clients speak HTTP/1.1 (WS403)"
			}
			f.Message += "; " + way
		}
		out = append(out, f)
	})
	return out
}

// plaintextServer reports whether block is a server block none of whose
// listen lines has `ssl`.
func plaintextServer(cfg *nginx.Config, block *nginx.Directive) bool {
	for _, s := range cfg.Servers() {
		if s.Block != block {
			continue
		}
		for _, l := range s.Listens() {
			if l.SSL {
				return false
			}
		}
		return true
	}
	return false
}
