package rules

import (
	"strings"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
)

// ResolverMissing reports proxy_pass URLs with variables whose host needs a
// DNS lookup at request time while no resolver is configured.
var ResolverMissing = &lint.Rule{
	ID:       "WS402",
	Name:     "resolver-missing",
	Lang:     lint.Nginx,
	Severity: lint.Error,
	Default:  true,
	Check:    checkResolverMissing,
	Doc: lint.Doc{
		Summary: "`proxy_pass` with variables names a host but no `resolver` is set",
		Why: "With variables in its URL, `proxy_pass` resolves the host at request time. An IP address " +
			"or the name of an `upstream` block needs no lookup; any other host name (even `localhost`) " +
			"needs the `resolver` directive, or every request, WebSocket handshakes included, gets 502 " +
			"and the error log says `no resolver defined to resolve <host>`. `nginx -t` does not notice.",
		Bad: "server {\n    listen 80;\n    location /ws/ {\n        set $backend \"app.internal:8000\";\n" +
			"        proxy_pass http://$backend;\n" +
			"        proxy_http_version 1.1;\n        proxy_read_timeout 1h;\n" +
			"        proxy_set_header Upgrade $http_upgrade;\n        proxy_set_header Connection \"upgrade\";\n    }\n}\n",
		Good: "server {\n    listen 80;\n    resolver 127.0.0.11 valid=30s;\n    location /ws/ {\n        set $backend \"app.internal:8000\";\n" +
			"        proxy_pass http://$backend;\n" +
			"        proxy_http_version 1.1;\n        proxy_read_timeout 1h;\n" +
			"        proxy_set_header Upgrade $http_upgrade;\n        proxy_set_header Connection \"upgrade\";\n    }\n}\n",
		FixSafety: "No fix: the resolver address is site-specific (127.0.0.11 in Docker, the VPC or " +
			"cluster DNS elsewhere); alternatively name an `upstream` block, without a port, in the variable.",
		References: []string{
			"https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_pass",
			"https://nginx.org/en/docs/http/ngx_http_core_module.html#resolver",
		},
	},
}

func checkResolverMissing(p *lint.Pass) (out []lint.Finding) {
	for _, loc := range p.Nginx.Locations() {
		if loc.Effective("resolver") != nil || proxiedBy(loc) == nil {
			continue
		}
		for _, pp := range loc.Handlers() {
			if pp.Name != "proxy_pass" || len(pp.Args) == 0 || !strings.Contains(pp.Arg(0), "$") {
				continue
			}
			var hosts []string
			var from *nginx.Directive
			fromHost := ""
			portHint := ""
			seen := map[string]bool{}
			for _, t := range p.Nginx.ProxyTargets(loc, pp) {
				if t.Unknown || t.URL.Unix || t.URL.Host == "" || t.URL.IsIP() || t.Upstream != nil || t.Implicit {
					continue
				}
				h := strings.ToLower(t.URL.Host)
				if seen[h] {
					continue
				}
				seen[h] = true
				hosts = append(hosts, "`"+t.URL.Host+"`")
				if from == nil && len(t.From) > 0 {
					from, fromHost = t.From[0], t.URL.Host
				}
				if u := p.Nginx.UpstreamBlock(t.URL.Host); u != nil && portHint == "" {
					portHint = "; `" + t.URL.Host + ":" + t.URL.Port + "` is not upstream `" + u.Arg(0) + "`: an upstream name matches only without a port"
				}
			}
			if len(hosts) == 0 {
				continue
			}
			arg := pp.Args[0]
			f := p.Finding(arg.Span, "`proxy_pass %s` resolves %s at request time and no `resolver` is in scope: requests get 502 (\"no resolver defined to resolve %s\")%s",
				arg.Raw, strings.Join(hosts, ", "), strings.Trim(hosts[0], "`"), portHint)
			if from != nil {
				f = f.WithRelated(from.Span, "host `%s` comes from here", fromHost)
			}
			out = append(out, f)
		}
	}
	return out
}
