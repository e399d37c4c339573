package nginx

import (
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"
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
	n, at := 0, 0
	for i, h := range u.Headers {
		if strings.EqualFold(h.Name, name) {
			n, at = n+1, i
		}
	}
	switch n {
	case 0:
		return nil
	case 1:
		return u.Headers[at : at+1 : at+1] // no copy for the usual single header
	}
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
//
// Results are memoized per request (its header map, which must not change
// after a first Simulate: clone it to make a variant), name, path and
// version: rules ask the same question many times. The result must not be
// modified.
func (l *Location) Simulate(c *Config, req Request, v Version) Upstream {
	hdr := reflect.ValueOf(req.Header).UnsafePointer()
	pl := l.headerPlan()
	pl.simMu.Lock()
	for _, e := range pl.sims {
		if e.hdr == hdr && e.v == v && e.name == req.Name && e.path == req.Path {
			pl.simMu.Unlock()
			return e.u
		}
	}
	pl.simMu.Unlock()
	u := l.simulate(c, req, v)
	pl.simMu.Lock()
	if len(pl.sims) < maxSims {
		pl.sims = append(pl.sims, simEntry{hdr: hdr, name: req.Name, path: req.Path, v: v, u: u})
	}
	pl.simMu.Unlock()
	return u
}

// maxSims bounds the memo of one plan (rules ask about four requests).
const maxSims = 16

// simEntry is one memoized simulation, keyed by the request's header map
// (its identity: hdr, a pointer the collector follows, keeps the map
// alive, so its address is not reused), name and path, and the version.
// It keeps only the key's parts of the request: 128 bytes, a size class
// (TestSimEntrySize).
type simEntry struct {
	hdr        unsafe.Pointer
	name, path string
	v          Version
	u          Upstream
}

// plan is what Simulate needs that does not depend on the request: the
// effective header list (the names nginx sets itself, so client headers
// with those names are not passed through) and the version directive. The
// locations of a server whose plans agree share one (Server.intern), and
// so its memo of simulations: simulate reads nothing else of a location.
type plan struct {
	sims  []simEntry // a handful: a slice beats a map
	simMu sync.Mutex
	planKey
}

// planKey is a plan's settings: what intern compares.
type planKey struct {
	version  *Directive
	list     []*Directive
	level    *Directive
	passReqs bool
	// underscores is underscores_in_headers: off, nginx drops the client's
	// headers whose names hold a '_' (TestSimulateAsNginx). It reads the
	// headers after Host with the settings of the server Host selects, and
	// those before with the default server's; browsers send Host first.
	underscores bool
}

// headerPlan computes the plan once per location (Freeze computes it before
// rules run in parallel).
func (l *Location) headerPlan() *plan {
	if l.plan != nil {
		return l.plan
	}
	k := planKey{version: l.Effective("proxy_http_version"), passReqs: true}
	k.list, k.level = l.EffectiveList("proxy_set_header")
	if pr := l.Effective("proxy_pass_request_headers"); pr != nil && pr.Arg(0) == "off" {
		k.passReqs = false
	}
	if u := l.Effective("underscores_in_headers"); u != nil && u.Arg(0) == "on" {
		k.underscores = true
	}
	l.plan = l.Server.intern(k)
	return l.plan
}

// intern returns the server's plan for k (the list is the level's), adding
// one when there is none and room for it: a server's first few distinct
// plans are shared, which covers the locations that inherit its headers,
// and a plan is allocated only when it is new. Freeze plans the locations
// of a server on several goroutines.
func (s *Server) intern(k planKey) *plan {
	if s == nil {
		return &plan{planKey: k}
	}
	s.planMu.Lock()
	defer s.planMu.Unlock()
	for i, q := range s.plans {
		switch {
		case q == nil:
			s.plans[i] = &plan{planKey: k}
			return s.plans[i]
		case q.version == k.version && q.level == k.level && q.passReqs == k.passReqs && q.underscores == k.underscores:
			return q
		}
	}
	return &plan{planKey: k}
}

// UpstreamVersion returns the HTTP version of the requests nginx sends
// upstream from this location and the proxy_http_version that sets it (nil
// for nginx v's default); it does not depend on the request.
func (l *Location) UpstreamVersion(v Version) (string, *Directive) {
	if d := l.headerPlan().version; d != nil {
		return d.Arg(0), d
	}
	return DefaultHTTPVersion(v), nil
}

func (l *Location) simulate(c *Config, req Request, v Version) Upstream {
	pl := l.headerPlan()
	u := Upstream{}
	u.Version, u.VersionFrom = l.UpstreamVersion(v)
	u.Level = pl.level
	var scratch [24]Sent // the headers are built here, then copied once at their exact size
	hs := scratch[:0]
	for _, d := range pl.list {
		if len(d.Args) != 2 {
			continue
		}
		val := c.Eval(d.Arg(1), req)
		if val.Empty() {
			continue // nginx skips a header whose value evaluates to ""
		}
		hs = append(hs, Sent{Name: d.Arg(0), Value: val, From: d, Origin: "proxy_set_header"})
	}
	if !SetsHeader(pl.list, "host") || !v.Less(V1_31_4) && u.Version != "1.0" && !sendsHost(hs) {
		// nginx's own Host; from 1.31.4 also where the list's Host lines
		// are all empty for this request (nginx-semantics.md section 2).
		hs = append(hs, Sent{Name: "Host", Value: Value{Text: "$proxy_host", Unknown: true}, Origin: "default"})
	}
	if !SetsHeader(pl.list, "connection") && v.Less(V1_29_7) {
		hs = append(hs, Sent{Name: "Connection", Value: Value{Text: "close"}, Origin: "default"})
	}
	if !pl.passReqs {
		u.Headers = slices.Clone(hs)
		return u
	}
	for _, h := range req.names() {
		if SetsHeader(pl.list, h.name) || slices.Contains(hopByHop, h.name) || h.name == "proxy-connection" && !v.Less(V1_31_0) ||
			!pl.underscores && strings.IndexByte(h.name, '_') >= 0 {
			continue
		}
		hs = append(hs, Sent{Name: h.canonical, Value: Value{Text: req.Header[h.name]}, Origin: "client"})
	}
	u.Headers = slices.Clone(hs)
	return u
}

// sendsHost reports whether hs holds a Host header.
func sendsHost(hs []Sent) bool {
	for _, h := range hs {
		if strings.EqualFold(h.Name, "host") {
			return true
		}
	}
	return false
}

type headerName struct{ name, canonical string }

// names returns the request's header names, sorted, with nginx's rendering
// of each (memoized per map: rules simulate the same requests at every
// location).
func (r Request) names() []headerName {
	key := reflect.ValueOf(r.Header).Pointer()
	if v, ok := sortedNames.Load(key); ok {
		// The entry holds its map, so no other map has this address.
		if e := v.(namesEntry); reflect.ValueOf(e.m).Pointer() == key {
			return e.names
		}
	}
	names := make([]headerName, 0, len(r.Header))
	for name := range r.Header {
		names = append(names, headerName{name, canonical(name)})
	}
	slices.SortFunc(names, func(a, b headerName) int { return strings.Compare(a.name, b.name) })
	if sortedCount.Add(1) <= maxSortedNames {
		sortedNames.Store(key, namesEntry{r.Header, names})
	}
	return names
}

// namesEntry is a memoized names(): the map it was built from (kept, so
// that its address is not reused) and the names.
type namesEntry struct {
	m     map[string]string
	names []headerName
}

// sortedNames memoizes names() for at most maxSortedNames maps: the
// requests rules simulate are package variables, a handful.
var (
	sortedNames    sync.Map
	sortedCount    atomic.Int64
	maxSortedNames int64 = 64
)

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
