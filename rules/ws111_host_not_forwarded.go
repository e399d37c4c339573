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
	hc := hostCandidatesOf(p)
	for _, c := range hc.cands {
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
		lvl := levelOf(block)
		safe := !hostUnsafeLevels(p)[lvl] && !hostUnsafeHTTP(p)[lvl]
		msg := "Forward the client's host with `proxy_set_header Host $host`"
		if block != loc.Block {
			msg += " at " + levelName(p.Nginx, block) + ", where the location's list comes from"
		}
		out = append(out, f.WithFix(lint.SafeUnless(!safe), msg, edit))
	}
	return out
}

// hostCandidate is a WebSocket location WS111 reports.
type hostCandidate struct {
	loc nginx.WSLocation
	pp  *nginx.Directive
	up  nginx.Upstream
}

type hostCandidates struct {
	cands    []hostCandidate
	internal map[*nginx.Location]bool // reported locations, by whether their host is internal
}

type hostCandidatesKey struct{}

// hostCandidatesOf returns the locations WS111 reports (memoized: its
// check and hostUnsafeLevels both read them).
func hostCandidatesOf(p *lint.Pass) *hostCandidates {
	return p.Nginx.Memo(hostCandidatesKey{}, func() any {
		hc := &hostCandidates{internal: map[*nginx.Location]bool{}}
		for _, loc := range p.WebSocketLocations() {
			pp := proxiedBy(loc.Location)
			if pp == nil {
				continue
			}
			up := loc.Simulate(p.Nginx, nginx.ChromiumHandshake, p.Opts.NginxVersion)
			if hosts := up.Header("Host"); len(hosts) != 1 || hosts[0].Origin != "default" {
				continue
			}
			hc.cands = append(hc.cands, hostCandidate{loc, pp, up})
			hc.internal[loc.Location] = hostIsInternal(p.Nginx, pp)
		}
		return hc
	}).(*hostCandidates)
}

// hostLevel names a configuration level the same way in every window of a
// windowed lint: by where it is written.
type hostLevel struct {
	name string
	path string
	off  int
}

func levelOf(b *nginx.Directive) hostLevel {
	if f := b.Span.File; f != nil {
		return hostLevel{b.Name, f.Base().Path, f.ToBase(b.Span.Start, false, false)}
	}
	return hostLevel{name: b.Name}
}

type hostUnsafeKey struct{}

// hostUnsafeLevels returns the levels where a `proxy_set_header Host` line
// is not safe to add: a proxied location that takes its list from there,
// or from further out, or has none, and is not one of WS111's findings
// with an internal backend, would send it too. In a windowed lint it sees
// the window's locations only; hostUnsafeHTTP adds the others' at the
// http level.
func hostUnsafeLevels(p *lint.Pass) map[hostLevel]bool {
	return p.Nginx.Memo(hostUnsafeKey{}, func() any { return buildHostUnsafeLevels(p) }).(map[hostLevel]bool)
}

func buildHostUnsafeLevels(p *lint.Pass) map[hostLevel]bool {
	internal := hostCandidatesOf(p).internal
	unsafe := map[hostLevel]bool{}
	for _, l := range p.Nginx.Locations() {
		if proxiedBy(l) == nil || internal[l] {
			continue
		}
		lv := l.Levels()
		_, level := l.EffectiveList("proxy_set_header")
		from := len(lv) // the list's level: every level up to it would reach l
		if level != nil {
			from = slices.Index(lv, level)
		}
		for i, b := range lv {
			if level == nil || from >= i {
				unsafe[levelOf(b)] = true
			}
		}
	}
	return unsafe
}

type hostUnsafeHTTPKey struct{}

// hostUnsafeHTTP is hostUnsafeLevels for the http levels alone, gathered
// from every window of a windowed lint: the http level is in every window,
// and whether a line added there is safe depends on every server block's
// locations. It reads no more locations than it takes to find one that
// makes the line unsafe (most often the first with a backend that is not
// internal), so as not to simulate every handshake twice.
func hostUnsafeHTTP(p *lint.Pass) map[hostLevel]bool {
	return p.Nginx.Memo(hostUnsafeHTTPKey{}, func() any { return buildHostUnsafeHTTP(p) }).(map[hostLevel]bool)
}

func buildHostUnsafeHTTP(p *lint.Pass) map[hostLevel]bool {
	unsafe := map[hostLevel]bool{}
	for _, l := range p.Nginx.Locations() {
		pp := proxiedBy(l)
		if pp == nil {
			continue
		}
		lv := l.Levels()
		_, level := l.EffectiveList("proxy_set_header")
		from := len(lv)
		if level != nil {
			from = slices.Index(lv, level)
		}
		for i, b := range lv {
			if b.Name != "http" || level != nil && from < i {
				continue // not an http level, or l's list comes from further in
			}
			lvl := levelOf(b)
			if unsafe[lvl] {
				continue
			}
			if !hostIsInternal(p.Nginx, pp) || !hostCandidatesOf(p).internal[l] {
				unsafe[lvl] = true
			}
		}
	}
	return unsafe
}

// The http level is in every window: what the server blocks inherit from
// it decides whether a line added there is safe.
func init() {
	lint.Gather(lint.Gathered{
		Key:   hostUnsafeHTTPKey{},
		Build: func(p *lint.Pass) any { return buildHostUnsafeHTTP(p) },
		Merge: func(a, b any) any {
			ma := a.(map[hostLevel]bool)
			for k := range b.(map[hostLevel]bool) {
				ma[k] = true
			}
			return ma
		},
		Needed: httpListWithoutHost,
	})
}

// httpListWithoutHost reports whether an http block of what every window
// holds has a proxy_set_header list without a Host line: the only level
// outside the server blocks a WS111 fix may add Host to (a list with one
// forwards a Host already).
func httpListWithoutHost(bare *nginx.Config) bool {
	for _, h := range bare.HTTPBlocks() {
		list := h.Find("proxy_set_header")
		if len(list) > 0 && !slices.ContainsFunc(list, func(d *nginx.Directive) bool { return strings.EqualFold(d.Arg(0), "Host") }) {
			return true
		}
	}
	return false
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
