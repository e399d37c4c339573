package nginx

import (
	"net"
	"strconv"
	"strings"
)

// ProxyURL is the destination part of an evaluated proxy_pass URL.
type ProxyURL struct {
	Scheme string // "http", "https", ... (lowercase)
	Host   string // as written; an IPv6 literal keeps its brackets
	Port   string // "" when the URL names none
	Unix   bool   // http://unix:/path.sock
}

// ParseProxyURL splits a proxy_pass URL such as "http://app:8000/x" into
// scheme, host and port. It reports false for text that is not a URL.
func ParseProxyURL(s string) (ProxyURL, bool) {
	i := strings.Index(s, "://")
	if i <= 0 {
		return ProxyURL{}, false
	}
	u := ProxyURL{Scheme: strings.ToLower(s[:i])}
	rest := s[i+3:]
	if len(rest) >= 5 && strings.EqualFold(rest[:5], "unix:") {
		u.Unix = true
		return u, true
	}
	if j := strings.IndexAny(rest, "/?"); j >= 0 {
		rest = rest[:j]
	}
	host, port := rest, ""
	if strings.HasPrefix(rest, "[") {
		k := strings.IndexByte(rest, ']')
		if k < 0 {
			return ProxyURL{}, false
		}
		host = rest[:k+1]
		if p, ok := strings.CutPrefix(rest[k+1:], ":"); ok {
			port = p
		}
	} else if k := strings.LastIndexByte(rest, ':'); k >= 0 {
		host, port = rest[:k], rest[k+1:]
	}
	u.Host, u.Port = host, port
	return u, host != ""
}

// IsIP reports whether the host is an IP literal, which nginx connects to
// without a resolver.
func (u ProxyURL) IsIP() bool {
	h := u.Host
	if strings.HasPrefix(h, "[") && strings.HasSuffix(h, "]") {
		return net.ParseIP(h[1:len(h)-1]) != nil
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.To4() != nil
}

// EffectivePort is the port nginx uses: the URL's, else the scheme's default.
func (u ProxyURL) EffectivePort() string {
	if u.Port != "" {
		return u.Port
	}
	switch u.Scheme {
	case "http":
		return "80"
	case "https":
		return "443"
	}
	return ""
}

// UpstreamBlock returns the explicit `upstream` block named host; nginx
// compares upstream names case-insensitively.
func (c *Config) UpstreamBlock(host string) *Directive {
	if u := c.Upstream(host); u != nil {
		return u
	}
	for name, u := range c.Upstreams() {
		if strings.EqualFold(name, host) {
			return u
		}
	}
	return nil
}

// ProxyTarget is one destination a proxy_pass may send a request to.
type ProxyTarget struct {
	URL  ProxyURL
	Text string // the evaluated URL; parts decided at run time are UnknownPart
	// From holds the `set` lines and map entries that produced the value
	// (empty for a URL written literally).
	From []*Directive
	// Upstream is the explicit upstream block the host names, nil otherwise.
	Upstream *Directive
	// Implicit is set when the host and port are those of a static *_pass
	// elsewhere (an implicit upstream, found at run time without a resolver).
	Implicit bool
	// Unknown is set when the host or port is decided at run time by
	// something wslint does not model.
	Unknown bool
}

// ProxyTargets returns the destinations of the proxy_pass pp in location l.
// A URL without variables has one; with variables, each value the `set`
// lines and maps can produce is one (see PossibleValues). The upstream
// lookup follows ngx_http_upstream_init_request: with variables, a host is
// an upstream block's name only without a port, or the host:port of an
// implicit upstream; otherwise nginx needs a resolver.
func (c *Config) ProxyTargets(l *Location, pp *Directive) []ProxyTarget {
	if pp == nil || len(pp.Args) == 0 {
		return nil
	}
	expr := pp.Arg(0)
	if !strings.Contains(expr, "$") {
		u, ok := ParseProxyURL(expr)
		if !ok {
			return nil
		}
		t := ProxyTarget{URL: u, Text: expr}
		if !u.Unix && u.Port == "" {
			t.Upstream = c.UpstreamBlock(u.Host)
		}
		return []ProxyTarget{t}
	}
	statics := c.staticPasses()
	var out []ProxyTarget
	for _, v := range c.PossibleValues(l, expr) {
		t := ProxyTarget{Text: v.Text, From: v.From}
		u, ok := ParseProxyURL(v.Text)
		if !ok || strings.Contains(u.Host, UnknownPart) || strings.Contains(u.Port, UnknownPart) {
			t.Unknown = true
			out = append(out, t)
			continue
		}
		t.URL = u
		if !u.Unix {
			if u.Port == "" {
				t.Upstream = c.UpstreamBlock(u.Host)
			}
			host := strings.ToLower(u.Host)
			t.Implicit = statics[host+":"+u.EffectivePort()]
			if strings.Contains(u.Scheme, UnknownPart) && u.Port == "" {
				// `$scheme://host`: the default port depends on the scheme
				t.Implicit = statics[host+":80"] || statics[host+":443"]
			}
		}
		out = append(out, t)
	}
	return out
}

// staticPasses returns "host:port" (host lowercase) of every *_pass whose
// address has no variables: nginx creates an implicit upstream for each,
// and a variable proxy_pass naming one needs no resolver.
func (c *Config) staticPasses() map[string]bool {
	out := map[string]bool{}
	c.Walk(func(d *Directive) bool {
		if !handlers[d.Name] || len(d.Args) == 0 || strings.Contains(d.Arg(0), "$") {
			return true
		}
		addr := d.Arg(0)
		if !strings.Contains(addr, "://") {
			addr = "none://" + addr
		}
		if u, ok := ParseProxyURL(addr); ok && !u.Unix {
			out[strings.ToLower(u.Host)+":"+u.EffectivePort()] = true
		}
		return true
	})
	return out
}

// UpstreamKeepalive reports whether an explicit upstream block keeps idle
// connections to its servers: `keepalive N` with N > 0, or no keepalive
// line on nginx 1.29.7+ (enabled by default for explicit upstreams). ka is
// the keepalive directive, nil when the default applies.
func UpstreamKeepalive(u *Directive, v Version) (applies bool, ka *Directive) {
	if ka = u.FindOne("keepalive"); ka != nil {
		n, err := strconv.Atoi(ka.Arg(0))
		return err == nil && n > 0, ka
	}
	return v.AtLeast(V1_29_7), nil
}

// UpstreamServers returns the `server` lines of an upstream block that take
// part in balancing: those not marked `backup` or `down`.
func UpstreamServers(u *Directive) []*Directive {
	var out []*Directive
	for _, s := range u.Find("server") {
		active := true
		for _, a := range s.Args[min(1, len(s.Args)):] {
			if a.Value == "backup" || a.Value == "down" {
				active = false
			}
		}
		if active {
			out = append(out, s)
		}
	}
	return out
}

// balancers are the load-balancing directives of an upstream block.
var balancers = set("ip_hash", "hash", "least_conn", "least_time", "random", "sticky", "sticky_cookie_insert", "consistent_hash")

// UpstreamBalancer returns the load-balancing directive of an upstream block
// (ip_hash, hash, least_conn, random, sticky, ...; the last one wins), or
// nil for round robin.
func UpstreamBalancer(u *Directive) *Directive {
	var out *Directive
	for _, d := range u.Children() {
		if balancers[d.Name] {
			out = d
		}
	}
	return out
}
