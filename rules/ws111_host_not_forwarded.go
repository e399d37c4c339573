package rules

import (
	"net"
	"strings"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
)

// HostNotForwarded reports WebSocket locations that send the upstream
// nginx's default `Host: $proxy_host` instead of the client's host.
var HostNotForwarded = &lint.Rule{
	ID:       "WS111",
	Name:     "host-not-forwarded",
	Lang:     lint.Nginx,
	Severity: lint.Info,
	Default:  true,
	Check:    checkHostNotForwarded,
	Doc: lint.Doc{
		Summary: "WebSocket handshakes reach the upstream with `Host: $proxy_host`",
		Why: "Without `proxy_set_header Host`, nginx sends the proxy_pass host (`127.0.0.1:8000`, an " +
			"upstream name) as `Host`, while the browser's `Origin` names the public host. Backends " +
			"that compare them reject the handshake with 403: gorilla/websocket's default " +
			"CheckOrigin (`request origin not allowed`), coder/websocket (`request Origin ... is not " +
			"authorized for Host`), Django Channels' AllowedHostsOriginValidator.",
		Bad: "location /ws/ {\n    proxy_pass http://127.0.0.1:8000;\n" +
			"    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection \"upgrade\";\n}\n",
		Good: "location /ws/ {\n    proxy_pass http://127.0.0.1:8000;\n" +
			"    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection \"upgrade\";\n" +
			"    proxy_set_header Host $host;\n}\n",
		FixSafety: "Safe when proxy_pass names an IP address, localhost or an upstream block, whose " +
			"default Host no backend routes on: the fix adds `proxy_set_header Host $host` and copies " +
			"any inherited proxy_set_header lines, since a new one would stop their inheritance. " +
			"Unsafe when proxy_pass names a DNS host (a name-based virtual host may need that Host) " +
			"or nested locations inherit this location's list. While an inherited list still lacks " +
			"the upgrade headers, the fix waits for WS101/WS102's, which copy that list first.",
		References: []string{
			"https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_set_header",
			"RFC 6455 §4.2.2, §10.2",
		},
	},
}

func checkHostNotForwarded(p *lint.Pass) (out []lint.Finding) {
	for _, loc := range p.WebSocketLocations() {
		pp := proxiedBy(loc.Location)
		if pp == nil {
			continue
		}
		up := loc.Simulate(p.Nginx, nginx.ChromiumHandshake, p.Opts.NginxVersion)
		hosts := up.Header("Host")
		if len(hosts) != 1 || hosts[0].Origin != "default" {
			continue
		}
		host := proxyPassHost(pp.Arg(0))
		f := p.Finding(pp.NameSpan, "WebSocket handshakes reach the upstream with the default `Host: %s`, not the client's host: backends that check `Origin` against `Host` answer 403 (%s)", host, loc.Reason)
		lines := []string{"proxy_set_header Host $host;"}
		if inherited, _ := loc.EffectiveList("proxy_set_header"); loc.InheritsList("proxy_set_header") && len(inherited) > 0 {
			if !handshakeUpgrades(up) {
				// The upgrade-header rules (WS101/WS102) copy the inherited
				// lines in this round; copying them here too would send them
				// twice. Host is added to the new list in the next round.
				out = append(out, f)
				continue
			}
			lines = append(inheritedLines(inherited, nil), lines...)
		}
		edit, ok := addHeaders(loc.Block, lines)
		if !ok {
			out = append(out, f)
			continue
		}
		safety := lint.SafeUnless(!hostIsInternal(p.Nginx, host) || nestedInherit(loc.Location, "proxy_set_header"))
		out = append(out, f.WithFix(safety, "Forward the client's host with `proxy_set_header Host $host`", edit))
	}
	return out
}

// proxyPassHost returns the host[:port] part of a proxy_pass URL.
func proxyPassHost(url string) string {
	h := url
	if i := strings.Index(h, "://"); i >= 0 {
		h = h[i+3:]
	}
	if i := strings.IndexByte(h, '/'); i >= 0 {
		h = h[:i]
	}
	return h
}

// hostIsInternal reports whether a proxy_pass host is one no backend does
// name-based virtual hosting on: an IP address, localhost, a unix socket, or
// an upstream block without a dot in its name.
func hostIsInternal(c *nginx.Config, hostport string) bool {
	if strings.HasPrefix(hostport, "unix:") {
		return true
	}
	if strings.Contains(hostport, "$") {
		return false
	}
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	switch {
	case net.ParseIP(host) != nil, strings.EqualFold(host, "localhost"):
		return true
	case c.Upstream(hostport) != nil && !strings.Contains(hostport, "."):
		return true
	}
	return false
}

// handshakeUpgrades reports whether a simulated handshake carries both
// upgrade headers (or may, at run time).
func handshakeUpgrades(up nginx.Upstream) bool {
	hasUp, unkUp := up.Has("Upgrade")
	hasConn, unkConn := up.HasToken("Connection", "upgrade")
	return (hasUp || unkUp) && (hasConn || unkConn)
}
