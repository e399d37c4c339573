package nginx

import (
	"fmt"
	"sort"
	"strings"

	"github.com/wslint/wslint/lint/lazyre"
	"github.com/wslint/wslint/lint/nginx/spec"
	"github.com/wslint/wslint/lint/source"
)

// Evidence is why wslint believes a location serves WebSocket handshakes,
// strongest first (rules.md, "WebSocket location").
type Evidence int

const (
	EvidenceAnnotation Evidence = iota + 1 // `# wslint: websocket`
	EvidencePath                           // --ws-path / websocket_paths resolves here
	EvidenceOwnHeaders                     // its effective list forwards Upgrade/Connection
	EvidenceEnclosing                      // an enclosing level forwards them
	EvidenceEndpoint                       // a well-known WebSocket endpoint path
	EvidenceNamed                          // a named location reached from a WebSocket location
)

// WSLocation is a location with the evidence that it carries WebSockets.
type WSLocation struct {
	*Location
	Evidence Evidence
	Reason   string // for messages: "`--ws-path /ws` resolves here"
}

// WSOptions tells how to recognise WebSocket locations.
type WSOptions struct {
	Paths []string
	// Endpoint recognises well-known endpoint paths (the knowledge base).
	Endpoint func(path string) (what string, ok bool)
}

// annotationRE is compiled on first use (a comment that names wslint).
var annotationRE = lazyre.New(`^#\s*wslint:\s*websocket\b`)

// WebSocketLocations returns every location with WebSocket evidence, each
// with its strongest evidence, in configuration order.
func (c *Config) WebSocketLocations(o WSOptions) []WSLocation {
	if !c.frozen {
		c.Freeze() // the evidence of a large configuration is gathered in parallel
	}
	byPath := map[*Location]string{}
	for _, p := range o.Paths {
		for _, s := range c.Servers() {
			// The path is followed through the rewrite lines (Route). When
			// the server's answer it (a return, a redirecting rewrite),
			// the location the path names keeps its evidence: WS115 says
			// no request reaches it. When wslint cannot follow them, the
			// path is looked up as written.
			path, _, _ := strings.Cut(p, "?")
			rt := s.Route(path)
			var l *Location
			switch {
			case !rt.Known:
				if s.Redirect(path) == nil {
					l = s.Match(path)
				}
			case rt.Redirect != nil:
				// nginx answers 301 (WS112): no location serves the handshake
			case rt.AnsweredBy != nil && rt.Location == nil:
				l = s.Match(path)
			default:
				l = rt.Location
			}
			if l != nil {
				if _, dup := byPath[l]; !dup {
					byPath[l] = p
				}
			}
		}
	}
	found := map[*Location]WSLocation{}
	ann := c.annotations()
	type endpoint struct {
		what string
		ok   bool
	}
	locs := c.Locations()
	ev := make([]WSLocation, len(locs))
	// Each location's evidence is its own (a frozen configuration answers
	// from several goroutines); each chunk memoizes endpoint matches.
	c.inChunks(len(locs), func(lo, hi int) {
		endpoints := map[string]endpoint{} // configurations repeat the same paths
		for i, l := range locs[lo:hi] {
			w := WSLocation{Location: l}
			switch {
			case annotated(l, ann):
				w.Evidence, w.Reason = EvidenceAnnotation, "the `# wslint: websocket` annotation marks it"
			case byPath[l] != "":
				w.Evidence, w.Reason = EvidencePath, fmt.Sprintf("WebSocket path `%s` resolves to this location", byPath[l])
			case l.forwardsUpgrade(c, true):
				w.Evidence, w.Reason = EvidenceOwnHeaders, "it forwards the upgrade headers"
			case l.EnclosingUpgrade(c) != nil && !l.DeclinesUpgrade(c): // `Connection ""` opts out
				w.Evidence, w.Reason = EvidenceEnclosing, "an enclosing block forwards the upgrade headers"
			default:
				if o.Endpoint != nil && !l.IsNamed() {
					e, done := endpoints[l.Path]
					if !done {
						e.what, e.ok = o.Endpoint(l.Path)
						endpoints[l.Path] = e
					}
					if what, ok := e.what, e.ok; ok {
						w.Evidence, w.Reason = EvidenceEndpoint, fmt.Sprintf("`%s` is a well-known WebSocket endpoint: %s", l.Path, what)
					}
				}
			}
			ev[lo+i] = w
		}
	})
	direct := 0
	for _, w := range ev {
		if w.Evidence != 0 {
			direct++
		}
	}
	out := make([]WSLocation, 0, direct)
	for _, w := range ev {
		if w.Evidence != 0 {
			found[w.Location] = w
			out = append(out, w)
		}
	}
	// Named locations reached from WebSocket locations through try_files
	// or error_page (the range reads out as it is here; appends go after).
	for _, w := range out {
		for _, name := range namedTargets(w.Location) {
			if n := w.Server.Named[name]; n != nil {
				if _, seen := found[n]; !seen {
					nw := WSLocation{Location: n, Evidence: EvidenceNamed, Reason: fmt.Sprintf("WebSocket location `%s` hands requests to it", w.Path)}
					found[n] = nw
					out = append(out, nw)
				}
			}
		}
	}
	return out
}

// namedTargets returns the names of the named locations a location hands
// requests to (see NamedTargets).
func namedTargets(l *Location) []string {
	var out []string
	for _, d := range l.NamedTargets() {
		out = append(out, d.Args[len(d.Args)-1].Value)
	}
	return out
}

// NamedTargets returns the directives that hand the location's requests to
// named locations: its own `try_files ... @x` (try_files is not inherited:
// a server-level one applies only where no location matches), then the
// `error_page ... @x` entries of its effective error_page list, which is
// inherited whole from the nearest level that defines one.
func (l *Location) NamedTargets() []*Directive {
	pages, _ := l.EffectiveList("error_page")
	var out []*Directive
	for _, cands := range [2][]*Directive{l.Block.Find("try_files"), pages} {
		for _, d := range cands {
			if len(d.Args) > 0 && strings.HasPrefix(d.Args[len(d.Args)-1].Value, "@") {
				out = append(out, d)
			}
		}
	}
	return out
}

// annotations returns, per file, the `# wslint: websocket` comments, in
// file order.
func (c *Config) annotations() map[*source.File][]Comment {
	out := map[*source.File][]Comment{}
	for f, cms := range c.Comments {
		for _, cm := range cms {
			if strings.Contains(cm.Text, "wslint") && annotationRE().MatchString(cm.Text) {
				out[f] = append(out[f], cm)
			}
		}
	}
	return out
}

// annotated reports whether an annotation sits on the location's header
// line or inside its block (outside nested locations). A comment runs to
// the end of its line, so every candidate starts after the header.
func annotated(l *Location, ann map[*source.File][]Comment) bool {
	f := l.Block.File()
	cms := ann[f]
	if len(cms) == 0 {
		return false
	}
	header := l.Block.NameSpan().Start
	hl, _ := f.Position(header)
	i := sort.Search(len(cms), func(i int) bool { return cms[i].Span.Start > header })
	for ; i < len(cms); i++ {
		cm := cms[i]
		cl, _ := f.Position(cm.Span.Start)
		if cl == hl {
			return true
		}
		if cm.Span.Start >= l.Block.Span.End {
			return false
		}
		if !insideNested(l, cm.Span.Start) {
			return true
		}
	}
	return false
}

func insideNested(l *Location, off int) bool {
	for _, n := range l.Nested {
		if n.Block.File() == l.Block.File() && off > n.Block.Span.Start && off < n.Block.Span.End {
			return true
		}
	}
	return false
}

// UpgradeHeaders returns the proxy_set_header entries of list that forward
// Upgrade (non-empty) and a Connection that can contain `upgrade`.
func UpgradeHeaders(c *Config, list []*Directive) (upgrade, connection []*Directive) {
	for _, d := range list {
		switch c.upgradeHeader(d) {
		case upgradeEntry:
			upgrade = append(upgrade, d)
		case connectionEntry:
			connection = append(connection, d)
		}
	}
	return
}

// upgradeCounts is UpgradeHeaders' two lengths, for the questions that need
// no more (and so no slices).
func upgradeCounts(c *Config, list []*Directive) (upgrade, connection int) {
	for _, d := range list {
		switch c.upgradeHeader(d) {
		case upgradeEntry:
			upgrade++
		case connectionEntry:
			connection++
		}
	}
	return
}

const (
	otherEntry = iota
	upgradeEntry
	connectionEntry
)

// upgradeHeader classifies a proxy_set_header entry for UpgradeHeaders.
func (c *Config) upgradeHeader(d *Directive) int {
	switch {
	case len(d.Args) != 2:
		return otherEntry
	case strings.EqualFold(d.Arg(0), "upgrade") && d.Arg(1) != "":
		return upgradeEntry
	case strings.EqualFold(d.Arg(0), "connection") && c.connectionCanUpgrade(d.Arg(1)):
		return connectionEntry
	}
	return otherEntry
}

// connectionCanUpgrade is canContainUpgrade memoized per value: every
// location's `Connection $connection_upgrade` asks the same question.
func (c *Config) connectionCanUpgrade(expr string) bool {
	c.upgradeMu.Lock()
	v, ok := c.upgradeMemo[expr]
	c.upgradeMu.Unlock()
	if ok {
		return v
	}
	v = c.canContainUpgrade(expr, 0)
	c.upgradeMu.Lock()
	if c.upgradeMemo == nil {
		c.upgradeMemo = map[string]bool{}
	}
	c.upgradeMemo[expr] = v
	c.upgradeMu.Unlock()
	return v
}

// canContainUpgrade reports whether a Connection value may evaluate to a
// list with the `upgrade` token for some request.
func (c *Config) canContainUpgrade(expr string, depth int) bool {
	if hasUpgradeToken(literalPart(expr)) {
		return true
	}
	for _, v := range Variables(expr) {
		lv := strings.ToLower(v)
		if lv == "http_connection" {
			return true
		}
		m := c.Map(lv)
		if m == nil {
			if strings.Contains(lv, "upgrade") && lv != "http_upgrade" && !spec.IsBuiltinVariable(lv) {
				return true // an undefined `$connection_upgrade`: intent (WS007 reports the missing map)
			}
			continue
		}
		if depth >= maxEvalDepth {
			continue
		}
		for _, e := range m.Entries {
			if c.canContainUpgrade(e.Value, depth+1) {
				return true
			}
		}
		if m.Default != nil && c.canContainUpgrade(m.Default.Value, depth+1) {
			return true
		}
	}
	return false
}

// forwardsUpgrade reports whether the location's effective list forwards
// Upgrade or (any=true) a Connection that can contain upgrade.
func (l *Location) forwardsUpgrade(c *Config, any bool) bool {
	list, _ := l.EffectiveList("proxy_set_header")
	up, conn := upgradeCounts(c, list)
	if any {
		return up > 0 || conn > 0
	}
	return up > 0 && conn > 0
}

// EnclosingUpgrade returns the nearest enclosing level whose own
// proxy_set_header list forwards the upgrade headers while the location's
// effective list comes from a nearer level; nil otherwise.
func (l *Location) EnclosingUpgrade(c *Config) *Directive {
	_, level := l.EffectiveList("proxy_set_header")
	if level == nil {
		return nil
	}
	lv := l.levels()
	i := 0
	for i < len(lv) && lv[i] != level {
		i++
	}
	for _, b := range lv[i+1:] {
		if up, conn := upgradeCounts(c, b.Find("proxy_set_header")); up > 0 || conn > 0 {
			return b
		}
	}
	return nil
}

// literalPart returns expr with its variable references removed.
func literalPart(expr string) string {
	var b strings.Builder
	for i := 0; i < len(expr); i++ {
		if expr[i] == '$' {
			if _, n := VariableAt(expr, i); n > 0 {
				i += n - 1
				b.WriteByte(' ')
				continue
			}
		}
		b.WriteByte(expr[i])
	}
	return b.String()
}

func hasUpgradeToken(s string) bool {
	for _, t := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		if strings.EqualFold(t, "upgrade") {
			return true
		}
	}
	return false
}
