package spec

import (
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"
)

// Endpoint is one entry of the WebSocket endpoint knowledge base
// (rules.md, WebSocket location evidence (4)). Its tags are the keys of
// the endpoints of .wslint.yaml.
type Endpoint struct {
	// Match is "prefix": Path is a literal path ("/socket.io/") whose
	// segments must appear, in order and whole, in the location path
	// ("/socket.io", "/chat/socket.io/" and "~* ^/socket\.io" match;
	// "/socket.iox" does not). Or "segment": Path is one segment ("ws")
	// that must appear whole ("/ws", "/api/ws/", "~ ^/ws$" match; "/news",
	// "/wsdl", "/awesome" do not).
	Match string `json:"match"`
	Path  string `json:"path"`
	What  string `json:"what"` // names the evidence in messages: "Socket.IO (`/socket.io/`)"
	// ClientURL marks a prefix that the framework's clients open as it is
	// (with at most a query string): ActionCable's `/cable`, not Jupyter's
	// `/terminals/websocket`, whose clients add a segment (WS113).
	ClientURL bool `json:"client_url"`
}

// Endpoints is an immutable set of Endpoint entries.
type Endpoints struct {
	list []Endpoint
	segs [][]string // per entry: lower-case segments of Path
}

// defaultList is the built-in knowledge base, in match order: framework
// paths first (the more specific before the shorter ones they start
// with), then generic path segments.
var defaultList = []Endpoint{
	{Match: "prefix", Path: "/socket.io/", What: "Socket.IO (`/socket.io/`)"},
	{Match: "prefix", Path: "/sockjs-node", What: "webpack-dev-server live reload (`/sockjs-node`)"},
	{Match: "prefix", Path: "/sockjs", What: "SockJS (`/sockjs`)"},
	{Match: "prefix", Path: "/cable", ClientURL: true, What: "Rails ActionCable (`/cable`)"},
	{Match: "prefix", Path: "/live/websocket", ClientURL: true, What: "Phoenix LiveView (`/live/websocket`)"},
	{Match: "prefix", Path: "/socket/websocket", ClientURL: true, What: "Phoenix channels (`/socket/websocket`)"},
	{Match: "prefix", Path: "/api/websocket", ClientURL: true, What: "Home Assistant (`/api/websocket`)"},
	{Match: "prefix", Path: "/api/live/", What: "Grafana Live (`/api/live/`)"},
	{Match: "prefix", Path: "/api/v1/streaming", ClientURL: true, What: "Mastodon streaming API (`/api/v1/streaming`)"},
	{Match: "prefix", Path: "/terminals/websocket", What: "Jupyter terminals (`/terminals/websocket`)"},
	{Match: "prefix", Path: "/api/kernels/", What: "Jupyter kernels (`/api/kernels/`)"},
	{Match: "prefix", Path: "/_stcore/stream", ClientURL: true, What: "Streamlit (`/_stcore/stream`)"},
	{Match: "prefix", Path: "/xmpp-websocket", ClientURL: true, What: "Jitsi XMPP over WebSocket (`/xmpp-websocket`)"},
	{Match: "prefix", Path: "/_next/webpack-hmr", ClientURL: true, What: "Next.js hot reload (`/_next/webpack-hmr`)"},
	{Match: "prefix", Path: "/signalr", What: "ASP.NET SignalR (`/signalr`)"},
	{Match: "segment", Path: "ws", What: "a `ws` path segment"},
	{Match: "segment", Path: "wss", What: "a `wss` path segment"},
	{Match: "segment", Path: "websocket", What: "a `websocket` path segment"},
	{Match: "segment", Path: "websockets", What: "a `websockets` path segment"},
	{Match: "segment", Path: "graphql-ws", What: "a `graphql-ws` path segment"},
	{Match: "segment", Path: "subscriptions", What: "a `subscriptions` path segment"},
}

// defaultEndpoints indexes defaultList on first use rather than at program
// start, so that commands that match no location path do not pay for it.
var defaultEndpoints = sync.OnceValue(func() *Endpoints {
	e, err := NewEndpoints(defaultList...)
	if err != nil {
		panic(fmt.Sprintf("spec: built-in endpoint list: %v", err))
	}
	return e
})

// DefaultEndpoints returns the built-in knowledge base (defaultList).
func DefaultEndpoints() *Endpoints { return defaultEndpoints() }

// NewEndpoints makes a set of list, validating every entry.
func NewEndpoints(list ...Endpoint) (*Endpoints, error) {
	e := &Endpoints{list: make([]Endpoint, 0, len(list)), segs: make([][]string, 0, len(list))}
	for i, ep := range list {
		if err := e.add(ep); err != nil {
			return nil, fmt.Errorf("endpoint %d: %w", i, err)
		}
	}
	return e, nil
}

func (e *Endpoints) add(ep Endpoint) error {
	var segs []string
	switch ep.Match {
	case "prefix":
		if !strings.HasPrefix(ep.Path, "/") {
			return fmt.Errorf("prefix %q must start with /", ep.Path)
		}
		segs = splitSegments(strings.ToLower(ep.Path))
	case "segment":
		if ep.Path == "" || strings.Contains(ep.Path, "/") {
			return fmt.Errorf("segment %q must be one non-empty path segment", ep.Path)
		}
		segs = []string{strings.ToLower(ep.Path)}
	default:
		return fmt.Errorf("unknown match %q (want prefix or segment)", ep.Match)
	}
	if len(segs) == 0 {
		return fmt.Errorf("path %q has no segment", ep.Path)
	}
	if ep.What == "" {
		return fmt.Errorf("path %q: empty what", ep.Path)
	}
	if ep.ClientURL && (ep.Match != "prefix" || strings.HasSuffix(ep.Path, "/")) {
		return fmt.Errorf("path %q: client_url needs a prefix without a final /", ep.Path)
	}
	e.list = append(e.list, ep)
	e.segs = append(e.segs, segs)
	return nil
}

// ClientURL returns the entry whose clients open path as it is (a
// client_url entry: ActionCable's `/cable`), and ok false when none does.
func (e *Endpoints) ClientURL(path string) (Endpoint, bool) {
	for _, ep := range e.list {
		if ep.ClientURL && ep.Path == path {
			return ep, true
		}
	}
	return Endpoint{}, false
}

// List returns a copy of the entries, in match order.
func (e *Endpoints) List() []Endpoint { return append([]Endpoint(nil), e.list...) }

// With returns a new set: e followed by one prefix entry per extra path
// (config websocket_paths / --ws-path). Paths without a leading slash get
// one; empty ones are ignored. e itself is not changed.
func (e *Endpoints) With(extraPrefixes ...string) *Endpoints {
	n := &Endpoints{list: append([]Endpoint(nil), e.list...), segs: append([][]string(nil), e.segs...)}
	for _, p := range extraPrefixes {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if !strings.HasPrefix(p, "/") {
			p = "/" + p
		}
		// "/" alone has no segment and nothing to match: add refuses it.
		_ = n.add(Endpoint{Match: "prefix", Path: p, What: fmt.Sprintf("configured WebSocket path `%s`", p)})
	}
	return n
}

// WithEntries returns a new set: the entries given (validated; match
// defaults to prefix, what to "configured endpoint `PATH`" except for a
// client_url entry, which must name its framework), then e's. e itself is
// not changed.
func (e *Endpoints) WithEntries(eps ...Endpoint) (*Endpoints, error) {
	n := &Endpoints{}
	for i, ep := range eps {
		if ep.Match == "" {
			ep.Match = "prefix"
		}
		if ep.What == "" {
			if ep.ClientURL {
				// WS113 says "`/hub` is the URL <what> clients open".
				return nil, fmt.Errorf("entry %d: path %q: client_url needs what (the framework's name, for messages)", i+1, ep.Path)
			}
			ep.What = fmt.Sprintf("configured endpoint `%s`", ep.Path)
		}
		if err := n.add(ep); err != nil {
			return nil, fmt.Errorf("entry %d: %w", i+1, err)
		}
	}
	n.list = append(n.list, e.list...)
	n.segs = append(n.segs, e.segs...)
	return n, nil
}

// Match reports whether the nginx location path loc matches an entry, and
// returns the entry's What. loc may carry its modifier ("= /ws",
// "^~ /socket.io/", "~* \.io/ws$", "~^/ws/"); regular expressions are reduced
// to the literal text they require (anchors, groups, classes and quantified
// atoms are cut out, "\." is a dot), so only literal prefixes and whole
// segments count. Matching is case-insensitive. Named locations ("@ws")
// never match.
func (e *Endpoints) Match(loc string) (what string, ok bool) {
	text, regex, ok := locationText(loc)
	if !ok {
		return "", false
	}
	texts := []string{text} // on the stack: a plain path costs no allocation
	if regex {
		texts = regexLiterals(text)
	}
	for i, want := range e.segs {
		for _, t := range texts {
			if hasRun(t, want) {
				return e.list[i].What, true
			}
		}
	}
	return "", false
}

// WebSocketEndpoint matches an nginx location path against DefaultEndpoints;
// see Endpoints.Match for how paths and regular expressions are read.
func WebSocketEndpoint(path string) (what string, ok bool) {
	return defaultEndpoints().Match(path)
}

func splitSegments(s string) []string {
	var out []string
	for _, seg := range strings.Split(s, "/") {
		if seg != "" {
			out = append(out, seg)
		}
	}
	return out
}

// hasRun reports whether want (lower-case segments) is a run of
// consecutive non-empty '/'-separated segments of text, each compared in
// lower case (strings.ToLower, as the entries were).
func hasRun(text string, want []string) bool {
	for i := 0; ; {
		seg, next, ok := nextSegment(text, i)
		if !ok {
			return false
		}
		if segmentIs(seg, want[0]) {
			j, k := next, 1
			for ; k < len(want); k++ {
				s, n, ok := nextSegment(text, j)
				if !ok || !segmentIs(s, want[k]) {
					break
				}
				j = n
			}
			if k == len(want) {
				return true
			}
		}
		i = next
	}
}

// nextSegment returns the first non-empty '/'-separated segment of s[i:]
// and the offset past it, or false when there is none.
func nextSegment(s string, i int) (seg string, next int, ok bool) {
	for i < len(s) && s[i] == '/' {
		i++
	}
	if i >= len(s) {
		return "", i, false
	}
	j := strings.IndexByte(s[i:], '/')
	if j < 0 {
		return s[i:], len(s), true
	}
	return s[i : i+j], i + j, true
}

// segmentIs reports whether strings.ToLower(seg) == w, without the copy
// for ASCII.
func segmentIs(seg, w string) bool {
	for i := 0; i < len(seg); i++ {
		if seg[i] >= utf8.RuneSelf {
			return strings.ToLower(seg) == w
		}
	}
	if len(seg) != len(w) {
		return false
	}
	for i := 0; i < len(seg); i++ {
		c := seg[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != w[i] {
			return false
		}
	}
	return true
}

// locationText returns a location path without its modifier, and whether
// it is a regular expression (a `~` or `~*` one, or a bare pattern, as a
// caller may pass one); false for a named location.
func locationText(loc string) (text string, regex, ok bool) {
	loc = strings.TrimSpace(loc)
	switch {
	case strings.HasPrefix(loc, "@"):
		return "", false, false
	case strings.HasPrefix(loc, "^~"):
		loc = loc[2:]
	case strings.HasPrefix(loc, "="):
		loc = loc[1:]
	case strings.HasPrefix(loc, "~*"):
		loc, regex = loc[2:], true
	case strings.HasPrefix(loc, "~"):
		loc, regex = loc[1:], true
	}
	loc = strings.TrimSpace(loc)
	if !regex && (strings.HasPrefix(loc, "^") || strings.HasSuffix(loc, "$") || strings.Contains(loc, `\`)) {
		regex = true
	}
	return loc, regex, true
}

// regexLiterals returns the stretches of literal text of a PCRE pattern.
// Anything that is not certainly literal ends a stretch; an atom followed by a
// quantifier is dropped, since it may be absent or repeated.
func regexLiterals(re string) []string {
	var out []string
	var cur []byte
	flush := func() {
		if len(cur) > 0 {
			out = append(out, string(cur))
			cur = cur[:0]
		}
	}
	lastLen := -1 // length of cur before the last literal atom, -1 if none
	for i := 0; i < len(re); i++ {
		c := re[i]
		switch c {
		case '\\':
			if i+1 >= len(re) {
				flush()
				lastLen = -1
				continue
			}
			n := re[i+1]
			i++
			if isRegexPunct(n) {
				lastLen = len(cur)
				cur = append(cur, n)
				continue
			}
			flush() // \d, \w, \s, \b, \Q...: not literal
			lastLen = -1
		case '*', '+', '?', '{':
			if c == '{' {
				if j := strings.IndexByte(re[i:], '}'); j > 0 {
					i += j
				}
			} else if i+1 < len(re) && (re[i+1] == '?' || re[i+1] == '+') {
				i++ // lazy or possessive quantifier
			}
			if lastLen >= 0 {
				cur = cur[:lastLen] // the quantified atom is not certain
			}
			flush()
			lastLen = -1
		case '[':
			j := i + 1
			if j < len(re) && re[j] == '^' {
				j++
			}
			if j < len(re) && re[j] == ']' {
				j++
			}
			for j < len(re) && re[j] != ']' {
				if re[j] == '\\' {
					j++
				}
				j++
			}
			i = j
			flush()
			lastLen = -1
		case '(':
			if i+1 < len(re) && re[i+1] == '?' {
				// (?:  (?<name>  (?P<name>  (?'name'  (?i)  ...: skip the group header
				j := i + 2
				for j < len(re) && re[j] != ':' && re[j] != '>' && re[j] != ')' && re[j] != '\'' {
					j++
				}
				if j < len(re) && re[j] == '\'' {
					if k := strings.IndexByte(re[j+1:], '\''); k >= 0 {
						j += k + 1
					}
				}
				i = j
			}
			flush()
			lastLen = -1
		case ')', '|', '^', '$':
			flush()
			lastLen = -1
		default:
			lastLen = len(cur)
			cur = append(cur, c) // an unescaped '.' is kept: "socket.io" usually means the dot
		}
	}
	flush()
	return out
}

func isRegexPunct(c byte) bool {
	return strings.IndexByte(`./-_~:@!#$%&'*+,;=?()[]{}|^"<> `, c) >= 0 || c == '\\'
}
