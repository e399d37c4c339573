package unit

import (
	"fmt"
	"regexp"
	"strings"
)

// Evidence is how strongly a route is known to carry WebSocket handshakes
// (unit-semantics.md §14.4).
type Evidence int

// Kinds of evidence, weakest first.
const (
	// EvidenceCatchAll: a step without a narrowing match (or a listener's
	// direct pass) in a configuration that sets settings.http.websocket,
	// so the author expects WebSockets and this is where they land.
	EvidenceCatchAll Evidence = iota + 1
	// EvidenceRoute: reached through `pass: routes/...` from a step with
	// header or path evidence.
	EvidenceRoute
	// EvidencePath: the step's `match.uri` names a well-known WebSocket
	// endpoint or a configured WebSocket path (--ws-path).
	EvidencePath
	// EvidenceHeader: the step matches the `Upgrade` header or a
	// `Connection` header containing `upgrade`.
	EvidenceHeader
)

// Strong reports whether the evidence is more than a catch-all.
func (e Evidence) Strong() bool { return e >= EvidenceRoute }

// WSOptions tunes WebSocket route detection.
type WSOptions struct {
	// Paths are request paths the user declared as WebSocket endpoints.
	Paths []string
	// Endpoint recognises well-known WebSocket endpoint paths (the nginx
	// knowledge base, spec.WebSocketEndpoint); nil recognises none.
	Endpoint func(path string) (string, bool)
}

// WSRoute is a place that hands WebSocket handshakes to an action.
type WSRoute struct {
	// Step is the route step, or nil for a listener's direct pass.
	Step *Step
	// Listener is set for a listener's direct pass.
	Listener *Listener
	// Action is the object holding the action members: the step's
	// `action`, a `fallback` inside it, or the listener object.
	Action   *Value
	Evidence Evidence
	// Reason names the evidence for messages.
	Reason string
}

// WebSocketRoutes returns the route steps (and listeners passing straight
// to an application or upstream) that receive WebSocket handshakes, with
// their evidence. A step whose match requires the absence of `Upgrade`
// (`"Upgrade": "!websocket"`) never counts. Catch-all evidence applies only
// to a configuration that sets settings.http.websocket and routes
// WebSockets explicitly nowhere.
func (c *Config) WebSocketRoutes(o WSOptions) []WSRoute {
	intent := c.WebSocketSettings() != nil
	steps := c.Steps()
	byRoute := map[string][]int{}
	for i, s := range steps {
		k := routeKey(s.Named, s.Route)
		byRoute[k] = append(byRoute[k], i)
	}
	ev := make([]Evidence, len(steps))
	why := make([]string, len(steps))
	set := func(i int, e Evidence, reason string) {
		if e > ev[i] {
			ev[i], why[i] = e, reason
		}
	}
	// Own evidence, and catch-alls no earlier step takes WebSockets from.
	for _, idx := range byRoute {
		claimed := false // an earlier step routes WebSockets explicitly
		taken := map[string]bool{}
		for _, i := range idx {
			s := &steps[i]
			m := s.Match()
			if excludesUpgrade(m) {
				continue
			}
			if e, reason := matchEvidence(m, o); e > 0 {
				set(i, e, reason)
				claimed = true
				continue
			}
			for _, p := range o.Paths {
				if taken[p] || !mayReceive(m, p) {
					continue
				}
				set(i, EvidencePath, fmt.Sprintf("the configured WebSocket path `%s` reaches it", p))
				taken[p] = onlyURI(m)
			}
			if catchAll(m) && intent && !claimed {
				set(i, EvidenceCatchAll, "it takes every request while `settings.http.websocket` is configured")
			}
		}
	}
	// Propagate strong evidence through `pass: routes[/NAME]`.
	for changed := true; changed; {
		changed = false
		for i := range steps {
			if !ev[i].Strong() {
				continue
			}
			for _, a := range actionChain(steps[i].Action()) {
				t, ok := ParsePass(strOf(a.Get("pass")))
				if !ok || t.Kind != PassRoutes {
					continue
				}
				for _, j := range byRoute[routeKey(t.Name != "", t.Name)] {
					if ev[j] < EvidenceRoute && !excludesUpgrade(steps[j].Match()) {
						ev[j], why[j] = EvidenceRoute, fmt.Sprintf("it is reached from %s, where %s", steps[i].String(), why[i])
						changed = true
					}
				}
			}
		}
	}
	// A configuration that routes WebSockets explicitly somewhere has
	// explained its WebSocket settings: its catch-alls are no evidence.
	for i := range steps {
		if ev[i].Strong() {
			intent = false
		}
	}
	var out []WSRoute
	for i := range steps {
		if ev[i] == 0 || (ev[i] == EvidenceCatchAll && !intent) {
			continue
		}
		for _, a := range actionChain(steps[i].Action()) {
			out = append(out, WSRoute{Step: &steps[i], Action: a, Evidence: ev[i], Reason: why[i]})
		}
	}
	for _, l := range c.Listeners() {
		l := l
		if l.Value == nil || l.Value.Kind != Object {
			continue
		}
		if t, ok := ParsePass(strOf(l.Value.Get("pass"))); ok && t.Kind == PassRoutes {
			continue
		}
		if l.Value.Get("pass") == nil && l.Value.Get("application") == nil {
			continue
		}
		switch {
		case len(o.Paths) > 0:
			out = append(out, WSRoute{Listener: &l, Action: l.Value, Evidence: EvidencePath,
				Reason: fmt.Sprintf("the configured WebSocket path `%s` reaches it", o.Paths[0])})
		case intent:
			out = append(out, WSRoute{Listener: &l, Action: l.Value, Evidence: EvidenceCatchAll,
				Reason: "it takes every request while `settings.http.websocket` is configured"})
		}
	}
	return out
}

func routeKey(named bool, name string) string {
	if named {
		return "/" + name
	}
	return ""
}

func strOf(v *Value) string {
	if v != nil && v.Kind == String {
		return v.Str
	}
	return ""
}

// actionChain returns an action and the `fallback` actions nested in it (a
// share that finds no file hands the request to its fallback).
func actionChain(a *Value) []*Value {
	var out []*Value
	for i := 0; a != nil && a.Kind == Object && i < 16; i++ {
		out = append(out, a)
		a = a.Get("fallback")
	}
	return out
}

// catchAll reports whether a match takes requests to any path with any
// headers: absent, empty, or narrowing only by host, scheme or address.
func catchAll(m *Value) bool {
	if m == nil {
		return true
	}
	for _, mem := range m.Members {
		switch mem.Key {
		case "host", "scheme", "source", "destination":
		default:
			return false
		}
	}
	return true
}

// headerSets returns the objects of a `headers` match (an object, or an
// array of objects any of which may match).
func headerSets(m *Value) []*Value {
	h := m.Get("headers")
	switch {
	case h == nil:
		return nil
	case h.Kind == Object:
		return []*Value{h}
	case h.Kind == Array:
		var out []*Value
		for _, it := range h.Items {
			if it.Kind == Object {
				out = append(out, it)
			}
		}
		return out
	}
	return nil
}

// headerPatterns returns the patterns a header set gives name
// (case-insensitive), split into positive and negated ones.
func headerPatterns(set *Value, name string) (pos, neg []string, found bool) {
	for _, mem := range set.Members {
		if !strings.EqualFold(mem.Key, name) {
			continue
		}
		found = true
		for _, p := range mem.Value.Strings() {
			if strings.HasPrefix(p.Str, "!") {
				neg = append(neg, p.Str[1:])
			} else {
				pos = append(pos, p.Str)
			}
		}
	}
	return pos, neg, found
}

// excludesUpgrade reports whether a match admits no WebSocket handshake: its
// only header set requires `Upgrade` to be absent or not `websocket`.
func excludesUpgrade(m *Value) bool {
	sets := headerSets(m)
	if len(sets) == 0 {
		return false
	}
	for _, set := range sets {
		pos, neg, found := headerPatterns(set, "Upgrade")
		if !found || len(pos) > 0 {
			return false
		}
		rejects := false
		for _, n := range neg {
			if n == "*" || MatchPattern(n, "websocket", true) {
				rejects = true
			}
		}
		if !rejects {
			return false
		}
	}
	return true
}

// matchEvidence returns the header or path evidence of a match.
func matchEvidence(m *Value, o WSOptions) (Evidence, string) {
	for _, set := range headerSets(m) {
		if pos, _, _ := headerPatterns(set, "Upgrade"); len(pos) > 0 {
			for _, p := range pos {
				if p == "*" || strings.Contains(strings.ToLower(p), "websocket") || MatchPattern(p, "websocket", true) {
					return EvidenceHeader, "its `match` requires the `Upgrade` header"
				}
			}
		}
		if pos, _, _ := headerPatterns(set, "Connection"); len(pos) > 0 {
			for _, p := range pos {
				if strings.Contains(strings.ToLower(p), "upgrade") {
					return EvidenceHeader, "its `match` requires `Connection: upgrade`"
				}
			}
		}
	}
	if o.Endpoint == nil {
		return 0, ""
	}
	for _, p := range m.Get("uri").Strings() {
		s := p.Str
		if s == "" || strings.HasPrefix(s, "!") {
			continue
		}
		if what, ok := o.Endpoint(s); ok {
			return EvidencePath, fmt.Sprintf("its `match.uri` %s is %s", quoteKey(s), what)
		}
	}
	return 0, ""
}

// mayReceive reports whether a step's match may take a request for path:
// it has no `uri`, or a positive `uri` pattern matches the path (with or
// without a trailing slash) and no negated one does.
func mayReceive(m *Value, path string) bool {
	uri := m.Get("uri")
	if uri == nil {
		return true
	}
	cands := []string{path, strings.TrimSuffix(path, "/") + "/"}
	hit, positive := false, false
	for _, u := range uri.Strings() {
		neg, isNeg := strings.CutPrefix(u.Str, "!")
		positive = positive || !isNeg
		for _, c := range cands {
			switch {
			case isNeg && MatchPattern(neg, c, false):
				return false
			case !isNeg && MatchPattern(u.Str, c, false):
				hit = true
			}
		}
	}
	return hit || !positive
}

// onlyURI reports whether a match narrows by nothing but the path, so a
// request it admits by path is certainly taken.
func onlyURI(m *Value) bool {
	if m == nil {
		return true
	}
	for _, mem := range m.Members {
		if mem.Key != "uri" {
			return false
		}
	}
	return true
}

// MatchPattern reports whether a Unit match pattern (without a leading `!`)
// matches s: `~` starts a regular expression (one Go cannot compile never
// matches), otherwise `*` matches any run of bytes. nocase compares
// case-insensitively, as Unit does for methods, hosts and headers.
func MatchPattern(pattern, s string, nocase bool) bool {
	if strings.HasPrefix(pattern, "~") {
		expr := pattern[1:]
		if nocase {
			expr = "(?i)" + expr
		}
		re, err := regexp.Compile(expr)
		return err == nil && re.MatchString(s)
	}
	if nocase {
		pattern, s = strings.ToLower(pattern), strings.ToLower(s)
	}
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return pattern == s
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, mid := range parts[1 : len(parts)-1] {
		i := strings.Index(s, mid)
		if i < 0 {
			return false
		}
		s = s[i+len(mid):]
	}
	return strings.HasSuffix(s, last)
}
