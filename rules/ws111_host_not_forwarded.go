package rules

import (
	"net"
	"slices"
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
		Bad: "location /ws/ {\n    proxy_pass http://127.0.0.1:8000;\n    proxy_http_version 1.1;\n    proxy_read_timeout 1h;\n" +
			"    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection \"upgrade\";\n}\n",
		Good: "location /ws/ {\n    proxy_pass http://127.0.0.1:8000;\n    proxy_http_version 1.1;\n    proxy_read_timeout 1h;\n" +
			"    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection \"upgrade\";\n" +
			"    proxy_set_header Host $host;\n}\n",
		FixSafety: "Safe when proxy_pass names an IP address, localhost or an upstream block, whose " +
			"default Host no backend routes on: the fix adds one `proxy_set_header Host $host` line to " +
			"the level the location's proxy_set_header list comes from (the location, or the " +
			"enclosing block it inherits the list from), so the list is not copied. Unsafe when " +
			"proxy_pass names a DNS host (a name-based virtual host may need that Host), or when " +
			"another proxied location that this rule does not report (or whose backend is a DNS " +
			"host) takes its list from that level: it would send the client's Host too. While an " +
			"inherited list still lacks the upgrade headers, the fix waits a round for the " +
			"upgrade-header rules to change it.",
		References: []string{
			"https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_set_header",
			"RFC 6455 §4.2.2, §10.2",
		},
	},
}

func checkHostNotForwarded(p *lint.Pass) (out []lint.Finding) {
	type candidate struct {
		loc nginx.WSLocation
		pp  *nginx.Directive
		up  nginx.Upstream
	}
	var cands []candidate
	internal := map[*nginx.Location]bool{} // reported locations, by whether their host is internal
	for _, loc := range p.WebSocketLocations() {
		pp := proxiedBy(loc.Location)
		if pp == nil {
			continue
		}
		up := loc.Simulate(p.Nginx, nginx.ChromiumHandshake, p.Opts.NginxVersion)
		if hosts := up.Header("Host"); len(hosts) != 1 || hosts[0].Origin != "default" {
			continue
		}
		cands = append(cands, candidate{loc, pp, up})
		internal[loc.Location] = hostIsInternal(p.Nginx, pp)
	}
	for _, c := range cands {
		loc := c.loc
		f := p.Finding(c.pp.NameSpan(), "WebSocket handshakes reach the upstream with the default `Host: %s`, not the client's host: backends that check `Origin` against `Host` answer 403 (%s)",
			proxyHost(c.pp), wsWhy(loc))
		// Host goes into the level the location's list comes from, so that
		// the list stays in one place.
		block := loc.Block
		if _, level := loc.EffectiveList("proxy_set_header"); level != nil {
			block = level
		}
		if block != loc.Block && !handshakeUpgrades(c.up) {
			// The upgrade-header rules (WS101/WS102/WS104) change that list
			// in this round; Host follows in the next one.
			out = append(out, f)
			continue
		}
		edit, ok := addHeaders(block, []string{"proxy_set_header Host $host;"})
		if !ok {
			out = append(out, f)
			continue
		}
		// Safe when every proxied location that would send the new line is
		// one of these findings with an internal backend.
		safe := true
		for _, l := range listUsers(p.Nginx, block, "proxy_set_header") {
			safe = safe && internal[l]
		}
		msg := "Forward the client's host with `proxy_set_header Host $host`"
		if block != loc.Block {
			msg += " at " + levelName(p.Nginx, block) + ", where the location's list comes from"
		}
		out = append(out, f.WithFix(lint.SafeUnless(!safe), msg, edit))
	}
	return out
}

// listUsers returns the proxied locations whose effective list of a list
// directive would include a line added to block: those below block (or in
// it) that take their list from block or from further out, or have none.
func listUsers(c *nginx.Config, block *nginx.Directive, name string) []*nginx.Location {
	var out []*nginx.Location
	for _, l := range c.Locations() {
		if proxiedBy(l) == nil {
			continue
		}
		lv := l.Levels()
		at := slices.Index(lv, block)
		if at < 0 {
			continue
		}
		if _, level := l.EffectiveList(name); level == nil || slices.Index(lv, level) >= at {
			out = append(out, l)
		}
	}
	return out
}

// proxyHost is the Host nginx sends by default for a proxy_pass
// (`$proxy_host`): the URL's host and port as written, `localhost` for a
// unix socket.
func proxyHost(pp *nginx.Directive) string {
	u, ok := nginx.ParseProxyURL(pp.Arg(0))
	switch {
	case !ok:
		return pp.Arg(0)
	case u.Unix:
		return "localhost"
	case u.Port != "":
		return u.Host + ":" + u.Port
	}
	return u.Host
}

// hostIsInternal reports whether a proxy_pass names a backend no one does
// name-based virtual hosting on: an IP address, localhost, a unix socket, or
// an upstream block (nginx matches its name case-insensitively) without a
// dot in its name. A URL with variables is decided at run time: no.
func hostIsInternal(c *nginx.Config, pp *nginx.Directive) bool {
	if strings.Contains(pp.Arg(0), "$") {
		return false
	}
	u, ok := nginx.ParseProxyURL(pp.Arg(0))
	switch {
	case !ok:
		return false
	case u.Unix, u.IsIP(), strings.EqualFold(u.Host, "localhost"), net.ParseIP(u.Host) != nil:
		return true
	}
	return u.Port == "" && c.UpstreamBlock(u.Host) != nil && !strings.Contains(u.Host, ".")
}

// handshakeUpgrades reports whether a simulated handshake carries both
// upgrade headers (or may, at run time).
func handshakeUpgrades(up nginx.Upstream) bool {
	hasUp, unkUp := up.Has("Upgrade")
	hasConn, unkConn := up.HasToken("Connection", "upgrade")
	return (hasUp || unkUp) && (hasConn || unkConn)
}
