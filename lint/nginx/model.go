package nginx

import (
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// Server is one `server` block of an http context.
type Server struct {
	Block *Directive
	HTTP  *Directive
	// Locations holds the top-level locations, in file order.
	Locations []*Location
	// All holds every location of the server, nested ones included, in pre-order.
	All []*Location
	// Named holds the named locations (`location @x`) by name; nil when
	// the server has none.
	Named map[string]*Location

	ret, retDone bool
	// plans interns the header plans of the server's locations (intern).
	planMu sync.Mutex
	plans  [4]*plan
}

// Location is one `location` block.
type Location struct {
	Block       *Directive
	Modifier    string // "", "=", "^~", "~", "~*", or "@" for named locations
	Path        string
	Parent      *Location // enclosing location, nil at server level
	Server      *Server
	Nested      []*Location
	re          *regexp.Regexp
	handlers    []*Directive
	handler     *Directive   // Handler()
	lvls        []*Directive // levels(), nearest first
	plan        *plan        // headerPlan()
	hDone       bool         // the flags side by side: 160 bytes, in the model's slabs (TestLocationSize)
	handlerDone bool
}

// IsNamed reports whether the location is a named one (`location @x`).
func (l *Location) IsNamed() bool { return l.Modifier == "@" }

// IsRegex reports whether the location matches by regular expression.
func (l *Location) IsRegex() bool { return l.Modifier == "~" || l.Modifier == "~*" }

// IsExact reports whether the location is an `=` location.
func (l *Location) IsExact() bool { return l.Modifier == "=" }

// Map is one `map` block.
type Map struct {
	Block   *Directive
	Source  string // the source expression, e.g. "$http_upgrade"
	Var     string // the result variable, lowercase, without '$'
	Entries []MapEntry
	Default *MapEntry
}

// MapEntry is one line of a map.
type MapEntry struct {
	D     *Directive
	Key   string
	Regex *regexp.Regexp // for ~ and ~* keys; nil when the key is a string
	BadRE bool           // a regex Go cannot compile (PCRE-only syntax)
	Value string
}

// compile compiles a location regex once per distinct expression: generated
// configurations repeat the same `location ~* \.(css|js)$` thousands of times.
// A regex Go cannot compile (PCRE-only syntax) gives nil.
func (m *model) compile(expr string) *regexp.Regexp {
	if re, ok := m.regexps[expr]; ok {
		return re
	}
	re, _ := compiledRE(expr)
	if m.regexps == nil {
		m.regexps = map[string]*regexp.Regexp{}
	}
	m.regexps[expr] = re
	return re
}

type model struct {
	mapOrder  []*Map
	regexps   map[string]*regexp.Regexp
	servers   []*Server
	locations []*Location
	https     []*Directive
	maps      map[string]*Map
	upstreams map[string]*Directive
	locSlab   []Location // where newLocation carves locations from
}

// newLocation returns a zero location from a slab: one allocation for many
// (slabs double up to 256 locations).
func (m *model) newLocation() *Location {
	if len(m.locSlab) == cap(m.locSlab) {
		m.locSlab = make([]Location, 0, min(max(8, 2*cap(m.locSlab)), 256))
	}
	m.locSlab = m.locSlab[:len(m.locSlab)+1]
	return &m.locSlab[len(m.locSlab)-1]
}

func (c *Config) m() *model {
	if c.model == nil {
		c.model = buildModel(c)
	}
	return c.model
}

// Servers returns every server block, in file order.
func (c *Config) Servers() []*Server { return c.m().servers }

// Locations returns every location of every server, in pre-order.
func (c *Config) Locations() []*Location { return c.m().locations }

// HTTPBlocks returns the http contexts (real or synthetic).
func (c *Config) HTTPBlocks() []*Directive { return c.m().https }

// Map returns the map defining variable name (without '$', any case); the
// later of two maps for one variable wins, as in nginx.
func (c *Config) Map(name string) *Map { return c.m().maps[strings.ToLower(name)] }

// Maps returns every map by variable name.
func (c *Config) Maps() map[string]*Map { return c.m().maps }

// MapsInOrder returns the maps in force (the later of two maps for one
// variable), in configuration order: use it wherever a choice among maps
// reaches output, so that results do not depend on Go's map order.
func (c *Config) MapsInOrder() []*Map { return c.m().mapOrder }

// Upstream returns the upstream block with the given name, or nil.
func (c *Config) Upstream(name string) *Directive { return c.m().upstreams[name] }

// Upstreams returns every upstream block by name.
func (c *Config) Upstreams() map[string]*Directive { return c.m().upstreams }

// Walk calls fn for every directive in the include-expanded tree, in
// pre-order; fn returns false to skip a block's children.
func (c *Config) Walk(fn func(d *Directive) bool) {
	flat := c.flatten()
	for i := 0; i < len(flat.ds); {
		if fn(flat.ds[i]) {
			i++
		} else {
			i = int(flat.end[i])
		}
	}
}

// Count returns the number of directives in the include-expanded tree: what
// Walk visits when fn always descends.
func (c *Config) Count() int { return len(c.flatten().ds) }

// flatTree is the include-expanded tree in pre-order, with the index just
// past each directive's subtree: rules walk the whole tree several times,
// and a slice walks faster than the tree.
type flatTree struct {
	ds  []*Directive
	end []int32
}

// flatten builds the flat tree once (Freeze builds it before rules run in
// parallel).
func (c *Config) flatten() *flatTree {
	if c.flat != nil {
		return c.flat
	}
	t := &flatTree{ds: make([]*Directive, 0, c.built), end: make([]int32, 0, c.built)}
	var walk func(ds []*Directive)
	walk = func(ds []*Directive) {
		for _, d := range ds {
			i := len(t.ds)
			t.ds = append(t.ds, d)
			t.end = append(t.end, 0)
			if d.IsBlock {
				walk(d.Children())
			}
			t.end[i] = int32(len(t.ds))
		}
	}
	walk(c.Root.Children())
	c.flat = t
	return t
}

func buildModel(c *Config) *model {
	m := &model{maps: map[string]*Map{}, upstreams: map[string]*Directive{}}
	for _, d := range c.Root.Children() {
		if d.Name != "http" || !d.IsBlock {
			continue
		}
		m.https = append(m.https, d)
		for _, h := range d.Children() {
			switch {
			case h.Name == "server" && h.IsBlock:
				s := &Server{Block: h, HTTP: d}
				s.Locations = m.locations2(s, nil, h)
				m.servers = append(m.servers, s)
			case h.Name == "map" && h.IsBlock && len(h.Args) == 2 && definesVariable(h.Arg(1)):
				mp := buildMap(h)
				if old := m.maps[mp.Var]; old != nil {
					m.mapOrder = slices.DeleteFunc(m.mapOrder, func(x *Map) bool { return x == old })
				}
				m.maps[mp.Var] = mp
				m.mapOrder = append(m.mapOrder, mp)
			case h.Name == "upstream" && h.IsBlock && len(h.Args) >= 1:
				m.upstreams[h.Arg(0)] = h
			}
		}
	}
	return m
}

func (m *model) locations2(s *Server, parent *Location, block *Directive) []*Location {
	kids := block.Children()
	n := 0
	for _, d := range kids {
		if d.Name == "location" && d.IsBlock && len(d.Args) > 0 {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	out := make([]*Location, 0, n)
	for _, d := range kids {
		if d.Name != "location" || !d.IsBlock || len(d.Args) == 0 {
			continue
		}
		l := m.newLocation()
		l.Block, l.Parent, l.Server = d, parent, s
		switch {
		case len(d.Args) >= 2:
			l.Modifier, l.Path = d.Arg(0), d.Arg(1)
		case strings.HasPrefix(d.Arg(0), "@"):
			l.Modifier, l.Path = "@", d.Arg(0)
		case strings.HasPrefix(d.Arg(0), "="):
			l.Modifier, l.Path = "=", d.Arg(0)[1:]
		case strings.HasPrefix(d.Arg(0), "^~"):
			l.Modifier, l.Path = "^~", d.Arg(0)[2:]
		case strings.HasPrefix(d.Arg(0), "~*"):
			l.Modifier, l.Path = "~*", d.Arg(0)[2:]
		case strings.HasPrefix(d.Arg(0), "~"):
			l.Modifier, l.Path = "~", d.Arg(0)[1:]
		default:
			l.Path = d.Arg(0)
		}
		if l.IsRegex() {
			expr := l.Path
			if l.Modifier == "~*" {
				expr = "(?i)" + expr
			}
			l.re = m.compile(expr)
		}
		if l.IsNamed() {
			if s.Named == nil {
				s.Named = map[string]*Location{}
			}
			s.Named[l.Path] = l
		}
		out = append(out, l)
		m.locations = append(m.locations, l)
		s.All = append(s.All, l)
		l.Nested = m.locations2(s, l, d)
	}
	return out
}

// definesVariable reports whether a defining directive's argument (a map's,
// set's, ...) names a variable values can refer to: `$` and a variable
// name. nginx refuses `map $http_upgrade connection_upgrade` (invalid
// variable name: WS017), and takes the rest of the word as the name
// otherwise: `map $x ${conn}` defines "{conn}", so `$conn` and `${conn}`
// are unknown variables (verified with nginx 1.22.1), and `$a-b` defines
// "a-b", which `$a-b` does not refer to ($a, then "-b"). Maps written so are
// not in the model.
func definesVariable(arg string) bool {
	return len(arg) > 1 && arg[0] == '$' && IsVariableName(arg[1:])
}

func buildMap(d *Directive) *Map {
	mp := &Map{Block: d, Source: d.Arg(0), Var: strings.ToLower(strings.TrimPrefix(d.Arg(1), "$"))}
	for _, e := range d.Children() {
		switch {
		case e.Name == "hostnames" || e.Name == "volatile":
			continue
		case len(e.Args) != 1:
			continue
		}
		// nginx looks at the key after unquoting: a quoted "default" or "~x"
		// is still the keyword or a regex; `\` escapes both.
		key := e.Name
		entry := MapEntry{D: e, Key: key, Value: e.Arg(0)}
		switch {
		case key == "default":
			de := entry
			mp.Default = &de
			continue
		case strings.HasPrefix(key, "~"):
			expr := key[1:]
			if strings.HasPrefix(expr, "*") {
				expr = "(?i)" + expr[1:]
			}
			re, err := compiledRE(expr)
			entry.Regex, entry.BadRE = re, err != nil
		case strings.HasPrefix(key, `\`):
			entry.Key = key[1:]
		}
		mp.Entries = append(mp.Entries, entry)
	}
	return mp
}

// levels returns the blocks whose settings apply to the location, nearest
// first: the location, its enclosing locations, then server, http and main.
// A named location takes the server's settings, never its caller's.
func (l *Location) levels() []*Directive {
	if l.lvls != nil {
		return l.lvls
	}
	n := 0
	for cur := l; cur != nil; cur = cur.Parent {
		n++
	}
	for p := l.Server.Block; p != nil; p = p.Parent {
		n++
	}
	out := make([]*Directive, 0, n)
	for cur := l; cur != nil; cur = cur.Parent {
		out = append(out, cur.Block)
	}
	for p := l.Server.Block; p != nil; p = p.Parent {
		out = append(out, p)
	}
	l.lvls = out
	return out
}

// Levels returns the blocks whose settings the location inherits, nearest first.
func (l *Location) Levels() []*Directive { return l.levels() }

// Effective returns the directive that sets a scalar directive for this
// location (the nearest level that sets it), or nil for nginx's default.
func (l *Location) Effective(name string) *Directive {
	for _, lv := range l.levels() {
		if d := lv.FindOne(name); d != nil {
			return d
		}
	}
	return nil
}

// EffectiveList returns the list directive entries in force for this
// location and the level they come from: list directives are inherited whole,
// and only by a level that defines none of its own.
func (l *Location) EffectiveList(name string) ([]*Directive, *Directive) {
	if name == "proxy_set_header" && l.plan != nil {
		return l.plan.list, l.plan.level // computed once (headerPlan)
	}
	for _, lv := range l.levels() {
		if ds := lv.Find(name); len(ds) > 0 {
			return ds, lv
		}
	}
	return nil, nil
}

// InheritsList reports whether the location itself defines no entry of a
// list directive, so it inherits the enclosing level's list.
func (l *Location) InheritsList(name string) bool {
	return len(l.Block.Find(name)) == 0
}

// handlers are the content handlers a location may have.
var handlers = set("proxy_pass", "fastcgi_pass", "uwsgi_pass", "scgi_pass", "grpc_pass", "memcached_pass")

// Handlers returns the content-handler directives of the location, its `if`
// and `limit_except` blocks included, in file order.
func (l *Location) Handlers() []*Directive {
	if !l.hDone {
		l.handlers, l.hDone = l.findHandlers(), true
	}
	return l.handlers
}

func (l *Location) findHandlers() []*Directive {
	var out []*Directive
	var walk func(b *Directive)
	walk = func(b *Directive) {
		for _, d := range b.Children() {
			switch {
			case handlers[d.Name] || d.Name == "return":
				out = append(out, d)
			case (d.Name == "if" || d.Name == "limit_except") && d.IsBlock:
				walk(d)
			}
		}
	}
	walk(l.Block)
	return out
}

// Unreachable reports whether no request reaches the location's content
// phase: its server answers every request with an unconditional `return`
// (in the server block itself, not in an `if`), which runs first.
func (l *Location) Unreachable() bool { return l.Server.returns() }

// returns reports whether every request reaches a `return` written in the
// server block itself: no line before it can end the server's rewrite
// lines (a rewrite with `last` or `break`, `break`, an `if` holding
// those), so every request it does not redirect gets there (computed
// once; Freeze computes it before rules run in parallel).
func (s *Server) returns() bool {
	if !s.retDone {
		s.ret = answersAll(s.Block)
		s.retDone = true
	}
	return s.ret
}

func answersAll(server *Directive) bool {
	for _, d := range server.Children() {
		switch d.Name {
		case "return":
			return true
		case "break":
			return false
		case "rewrite":
			if flag := d.Arg(2); flag == "last" || flag == "break" {
				return false
			}
		case "if":
			if changesURI(d) {
				return false
			}
		}
	}
	return false
}

// ProxyPass returns the location's proxy_pass (in the location itself or in
// one of its `if`/`limit_except` blocks), or nil.
func (l *Location) ProxyPass() *Directive {
	for _, d := range l.Handlers() {
		if d.Name == "proxy_pass" {
			return d
		}
	}
	return nil
}

// Match returns the location nginx chooses for a request path in this
// server: an exact `=` match, else the longest prefix (searching its nested
// locations), unless it is `^~`, the first matching regex (nested first; and
// within a matching regex location, the first of its regexes that matches).
func (s *Server) Match(path string) *Location {
	return find(s.Locations, path)
}

// Redirect returns the location that makes nginx answer a request for
// path with a 301 to path + "/", or nil: a prefix or exact location named
// path + "/" whose block passes requests on (proxy_pass, fastcgi_pass,
// uwsgi_pass, scgi_pass, grpc_pass written in it, verified with nginx
// 1.22.1; memcached_pass too, unverified: nginx-light lacks the module),
// where no location is named path itself (nginx's auto_redirect, checked
// with TestMatchAsNginx). It wins over every regex location, so Match does not
// apply to such a path; a WebSocket handshake fails on it, since clients do
// not follow redirects there.
func (s *Server) Redirect(path string) *Location { return redirect(s.Locations, path) }

func redirect(locs []*Location, path string) *Location {
	var best, slash *Location
	for _, l := range locs {
		switch {
		case l.IsNamed() || l.IsRegex():
		case l.Path == path:
			if l.IsExact() {
				return nil
			}
			return redirect(l.Nested, path) // its nested path + "/" still redirects
		case l.Path == path+"/" && autoRedirects(l):
			slash = l
		case !l.IsExact() && strings.HasPrefix(path, l.Path):
			if best == nil || len(l.Path) > len(best.Path) {
				best = l
			}
		}
	}
	if slash != nil {
		return slash
	}
	if best != nil {
		return redirect(best.Nested, path)
	}
	return nil
}

// AutoRedirects reports whether nginx redirects the location's path
// without its final '/' to it (when no location is named so: Redirect).
func (l *Location) AutoRedirects() bool { return autoRedirects(l) }

// autoRedirects reports whether nginx redirects the location's path
// without its final '/' to it: a *_pass written in the location block
// itself sets auto_redirect (one in an `if` or `limit_except` does not).
func autoRedirects(l *Location) bool {
	if !strings.HasSuffix(l.Path, "/") {
		return false
	}
	for _, d := range l.Block.Children() {
		if handlers[d.Name] && d.Parent == l.Block {
			return true
		}
	}
	return false
}

func find(locs []*Location, path string) *Location {
	var best *Location
	for _, l := range locs {
		switch {
		case l.IsNamed() || l.IsRegex():
			continue
		case l.IsExact():
			if l.Path == path {
				return l
			}
		case strings.HasPrefix(path, l.Path):
			if best == nil || len(l.Path) > len(best.Path) {
				best = l
			}
		}
	}
	result := best
	if best != nil && len(best.Nested) > 0 {
		if r := find(best.Nested, path); r != nil {
			if r.IsRegex() || r.IsExact() {
				return r
			}
			result = r
		}
	}
	if best != nil && best.Modifier == "^~" {
		return result
	}
	for _, l := range locs {
		if l.IsRegex() && l.re != nil && l.re.MatchString(path) {
			// nginx goes on into the regex location's own locations (only
			// regexes may be there): the first that matches serves the
			// request (TestMatchAsNginx).
			if r := find(l.Nested, path); r != nil {
				return r
			}
			return l
		}
	}
	return result
}

// Freeze builds every lazily computed part of the model (include-expanded
// children, name indexes, servers and locations, content handlers), after
// which rules may query the configuration from several goroutines. Only
// simulation results are still memoized on demand, under a lock.
func (c *Config) Freeze() {
	var walk func(ds []*Directive)
	walk = func(ds []*Directive) {
		for _, d := range ds {
			if d.IsBlock {
				d.sorted()
				walk(d.Children())
			}
		}
	}
	// The top-level blocks here, then the subtrees below them (the servers
	// of http, ...) in parallel: each block's index is its own.
	c.Root.sorted()
	var second []*Directive
	for _, d := range c.Root.Children() {
		if d.IsBlock {
			d.sorted()
			for _, k := range d.Children() {
				if k.IsBlock {
					second = append(second, k)
				}
			}
		}
	}
	c.inChunks(len(second), func(lo, hi int) { walk(second[lo:hi]) })
	c.flatten()
	for _, s := range c.Servers() {
		s.returns()
	}
	locs := c.Locations()
	c.inChunks(len(locs), func(lo, hi int) {
		for _, l := range locs[lo:hi] { // each writes its own location's memos only
			l.Handler()
			l.levels()
			l.headerPlan()
		}
	})
	c.frozen = true
}

// parallelDirectives is the size, in directives parsed, from which Freeze
// and WebSocketLocations split their work over GOMAXPROCS goroutines.
const parallelDirectives = 20000

// inChunks calls fn on contiguous chunks of [0, n), on GOMAXPROCS
// goroutines for a large configuration (the caller's among them), else on
// the caller's alone, and returns when every call has.
func (c *Config) inChunks(n int, fn func(lo, hi int)) {
	if c.built < parallelDirectives {
		fn(0, n)
		return
	}
	k := runtime.GOMAXPROCS(0)
	if k < 2 || n < 2*k {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	for i := 1; i < k; i++ {
		wg.Add(1)
		go func(lo, hi int) {
			defer wg.Done()
			fn(lo, hi)
		}(n*i/k, n*(i+1)/k)
	}
	fn(0, n/k)
	wg.Wait()
}
