package nginx

import (
	"sort"
	"strings"
)

// Sent is one header of a simulated upstream request.
type Sent struct {
	Name  string
	Value Value
	// From is the proxy_set_header that produced the header; nil for nginx's
	// defaults and for headers passed through from the client.
	From   *Directive
	Origin string // "proxy_set_header", "default" or "client"
}

// Upstream is the request nginx sends to the proxied server.
type Upstream struct {
	Version     string     // "1.0", "1.1" or "2"
	VersionFrom *Directive // the proxy_http_version in force, nil for the default
	Headers     []Sent
	// Level is the block whose proxy_set_header list is in force (nil: none).
	Level *Directive
}

// Header returns the headers with the given name (case-insensitive).
func (u *Upstream) Header(name string) []Sent {
	var out []Sent
	for _, h := range u.Headers {
		if strings.EqualFold(h.Name, name) {
			out = append(out, h)
		}
	}
	return out
}

// Has reports whether a header is sent: yes when some entry is non-empty;
// unknown when it depends on something evaluated at run time.
func (u *Upstream) Has(name string) (yes, unknown bool) {
	for _, h := range u.Header(name) {
		if h.Value.Unknown {
			unknown = true
		} else if h.Value.Text != "" {
			return true, false
		}
	}
	return false, unknown
}

// HasToken reports whether some header `name` contains tok in its list.
func (u *Upstream) HasToken(name, tok string) (yes, unknown bool) {
	for _, h := range u.Header(name) {
		y, unk := h.Value.HasToken(tok)
		if y {
			return true, false
		}
		unknown = unknown || unk
	}
	return false, unknown
}

// DefaultHTTPVersion is the proxy_http_version nginx uses when none is set.
func DefaultHTTPVersion(v Version) string {
	if v.AtLeast(V1_29_7) {
		return "1.1"
	}
	return "1.0"
}

// hopByHop lists the request headers nginx's defaults replace or drop; a
// client header with one of these names is never passed through.
var hopByHop = []string{"host", "connection", "content-length", "transfer-encoding", "te", "keep-alive", "expect", "upgrade"}

// Simulate returns what nginx sends upstream for req through this location
// (proxy_pass handler), per ngx_http_proxy_create_request: the effective
// proxy_set_header list, nginx's defaults for names it does not set, then
// the client's headers whose names neither sets.
func (l *Location) Simulate(c *Config, req Request, v Version) Upstream {
	u := Upstream{Version: DefaultHTTPVersion(v)}
	if d := l.Effective("proxy_http_version"); d != nil {
		u.Version, u.VersionFrom = d.Arg(0), d
	}
	list, level := l.EffectiveList("proxy_set_header")
	u.Level = level
	set := map[string]bool{}
	for _, d := range list {
		if len(d.Args) != 2 {
			continue
		}
		name := d.Arg(0)
		set[strings.ToLower(name)] = true
		val := c.Eval(d.Arg(1), req)
		if val.Empty() {
			continue // nginx skips a header whose value evaluates to ""
		}
		u.Headers = append(u.Headers, Sent{Name: name, Value: val, From: d, Origin: "proxy_set_header"})
	}
	if !set["host"] {
		u.Headers = append(u.Headers, Sent{Name: "Host", Value: Value{Text: "$proxy_host", Unknown: true}, Origin: "default"})
	}
	if !set["connection"] && v.Less(V1_29_7) {
		u.Headers = append(u.Headers, Sent{Name: "Connection", Value: Value{Text: "close"}, Origin: "default"})
	}
	for _, h := range hopByHop {
		set[h] = true
	}
	if !v.Less(V1_31_0) {
		set["proxy-connection"] = true
	}
	if pr := l.Effective("proxy_pass_request_headers"); pr != nil && pr.Arg(0) == "off" {
		return u
	}
	names := make([]string, 0, len(req.Header))
	for name := range req.Header {
		if !set[name] {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		u.Headers = append(u.Headers, Sent{Name: canonical(name), Value: Value{Text: req.Header[name]}, Origin: "client"})
	}
	return u
}

func canonical(name string) string {
	parts := strings.Split(name, "-")
	for i, p := range parts {
		if p != "" {
			parts[i] = strings.ToUpper(p[:1]) + p[1:]
		}
	}
	s := strings.Join(parts, "-")
	return strings.ReplaceAll(s, "Websocket", "WebSocket")
}
