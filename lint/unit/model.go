package unit

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/wslint/wslint/lint/source"
)

// This file holds the queries rules share about a Unit configuration:
// applications, listeners, route steps, pass targets and template strings.
// Every query tolerates documents the schema rejects (wrong types, missing
// members): what it cannot read it skips.

// LangOf returns the language of an application `type` as Unit reads it
// (nxt_app_lang_module): the text before the first space or digit, so
// "python 3.11", "python3.11" and "python" are all "python".
func LangOf(typ string) string {
	for i := 0; i < len(typ); i++ {
		if c := typ[i]; c == ' ' || (c >= '0' && c <= '9') {
			return typ[:i]
		}
	}
	return typ
}

// App is one member of /applications.
type App struct {
	Name  string
	Key   source.Span // the member's key
	Value *Value      // the application object
	// Type is the `type` string ("" when missing or not a string) and Lang
	// its language (LangOf).
	Type, Lang string
}

// Member returns the value of one of the application's members, or nil.
func (a *App) Member(key string) *Value { return a.Value.Get(key) }

// Str returns a string member of the application ("" when absent or not a
// string).
func (a *App) Str(key string) string {
	if v := a.Value.Get(key); v != nil && v.Kind == String {
		return v.Str
	}
	return ""
}

// IsNode reports whether an `external` application runs Node.js: its
// executable or arguments name node or the unit-http loader (Node.js has no
// type of its own in Unit).
func (a *App) IsNode() bool {
	if a.Lang != "external" {
		return false
	}
	words := []string{a.Str("executable")}
	if args := a.Member("arguments"); args != nil && args.Kind == Array {
		for _, it := range args.Items {
			if it.Kind == String {
				words = append(words, it.Str)
			}
		}
	}
	for _, w := range words {
		base := w[strings.LastIndexByte(w, '/')+1:]
		if base == "node" || base == "nodejs" || strings.HasPrefix(base, "node.") || strings.Contains(w, "unit-http") {
			return true
		}
	}
	return false
}

// Applications returns /applications in document order.
func (c *Config) Applications() []App {
	apps := c.root().Get("applications")
	if apps == nil || apps.Kind != Object {
		return nil
	}
	out := make([]App, 0, len(apps.Members))
	for _, m := range apps.Members {
		a := App{Name: m.Key, Key: m.KeySpan, Value: m.Value}
		if t := m.Value.Get("type"); t != nil && t.Kind == String {
			a.Type, a.Lang = t.Str, LangOf(t.Str)
		}
		out = append(out, a)
	}
	return out
}

// Application returns the application called name, or nil.
func (c *Config) Application(name string) *App {
	for _, a := range c.Applications() {
		if a.Name == name {
			return &a
		}
	}
	return nil
}

// Listener is one member of /listeners.
type Listener struct {
	Name  string
	Key   source.Span
	Value *Value
}

// Listeners returns /listeners in document order.
func (c *Config) Listeners() []Listener {
	ls := c.root().Get("listeners")
	if ls == nil || ls.Kind != Object {
		return nil
	}
	out := make([]Listener, 0, len(ls.Members))
	for _, m := range ls.Members {
		out = append(out, Listener{Name: m.Key, Key: m.KeySpan, Value: m.Value})
	}
	return out
}

// Step is one step of a route.
type Step struct {
	// Route is the route's name in a routes object, "" in a routes array.
	Route string
	// Named reports whether routes is an object (Route is then meaningful).
	Named bool
	Index int
	Value *Value
}

// Match returns the step's `match` object, or nil.
func (s *Step) Match() *Value { return objectOrNil(s.Value.Get("match")) }

// Action returns the step's `action` object, or nil.
func (s *Step) Action() *Value { return objectOrNil(s.Value.Get("action")) }

// Pointer is the JSON pointer of the step.
func (s *Step) Pointer() string {
	if s.Named {
		return Pointer("routes", s.Route, strconv.Itoa(s.Index))
	}
	return Pointer("routes", strconv.Itoa(s.Index))
}

// String names the step for messages: "step 0 of `routes`", "step 2 of
// route `main`".
func (s *Step) String() string {
	if s.Named {
		return fmt.Sprintf("step %d of route %s", s.Index, quoteKey(s.Route))
	}
	return fmt.Sprintf("step %d of `routes`", s.Index)
}

// Steps returns every route step in document order.
func (c *Config) Steps() []Step {
	routes := c.root().Get("routes")
	var out []Step
	add := func(name string, named bool, arr *Value) {
		if arr == nil || arr.Kind != Array {
			return
		}
		for i, it := range arr.Items {
			if it.Kind == Object {
				out = append(out, Step{Route: name, Named: named, Index: i, Value: it})
			}
		}
	}
	switch {
	case routes == nil:
	case routes.Kind == Array:
		add("", false, routes)
	case routes.Kind == Object:
		for _, m := range routes.Members {
			add(m.Key, true, m.Value)
		}
	}
	return out
}

// RouteSteps returns the steps of the route a pass target names.
func (c *Config) RouteSteps(t PassTarget) []Step {
	var out []Step
	for _, s := range c.Steps() {
		if t.Kind == PassRoutes && s.Named == (t.Name != "") && s.Route == t.Name {
			out = append(out, s)
		}
	}
	return out
}

func objectOrNil(v *Value) *Value {
	if v == nil || v.Kind != Object {
		return nil
	}
	return v
}

func (c *Config) root() *Value {
	if c == nil {
		return nil
	}
	return c.Root
}

// PassKind is what a `pass` value points to.
type PassKind int

// The kinds of pass targets.
const (
	PassApplication PassKind = iota + 1
	PassRoutes
	PassUpstream
)

// PassTarget is a parsed constant `pass` value.
type PassTarget struct {
	Kind PassKind
	// Name is the application, route or upstream name, percent-decoded;
	// "" for "routes" (the routes array).
	Name string
	// Target is the application target of "applications/NAME/TARGET".
	Target string
}

func (t PassTarget) String() string {
	switch t.Kind {
	case PassApplication:
		if t.Target != "" {
			return "applications/" + t.Name + "/" + t.Target
		}
		return "applications/" + t.Name
	case PassUpstream:
		return "upstreams/" + t.Name
	}
	if t.Name != "" {
		return "routes/" + t.Name
	}
	return "routes"
}

// IsTemplate reports whether a string is a Unit template (nxt_is_tstr): it
// contains a `$` variable or a backtick (njs) expression.
func IsTemplate(s string) bool { return strings.ContainsAny(s, "$`") }

// ParsePass reads a constant `pass` value as nxt_http_pass_segments does: at
// most three non-empty '/'-separated segments, each percent-decoded. ok is
// false for templates (resolved per request) and for values whose form is
// invalid (the schema reports those).
func ParsePass(s string) (t PassTarget, ok bool) {
	if IsTemplate(s) || s == "" {
		return t, false
	}
	raw := strings.Split(s, "/")
	if len(raw) > 3 {
		return t, false
	}
	segs := make([]string, len(raw))
	for i, r := range raw {
		d, ok := percentDecode(r)
		if !ok || d == "" {
			return t, false
		}
		segs[i] = d
	}
	switch {
	case segs[0] == "applications" && len(segs) >= 2:
		t = PassTarget{Kind: PassApplication, Name: segs[1]}
		if len(segs) == 3 {
			t.Target = segs[2]
		}
	case segs[0] == "upstreams" && len(segs) == 2:
		t = PassTarget{Kind: PassUpstream, Name: segs[1]}
	case segs[0] == "routes" && len(segs) <= 2:
		t = PassTarget{Kind: PassRoutes}
		if len(segs) == 2 {
			t.Name = segs[1]
		}
	default:
		return t, false
	}
	return t, true
}

func percentDecode(s string) (string, bool) {
	if !strings.Contains(s, "%") {
		return s, true
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b.WriteByte(s[i])
			continue
		}
		if i+2 >= len(s) {
			return "", false
		}
		n, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
		if err != nil {
			return "", false
		}
		b.WriteByte(byte(n))
		i += 2
	}
	return b.String(), true
}

// Upstream returns /upstreams/NAME, or nil.
func (c *Config) Upstream(name string) *Value {
	return c.root().Get("upstreams").Get(name)
}

// Closest returns the candidate nearest to s when it is close enough to be
// a likely typo, and "" otherwise (the thresholds of the schema messages).
func Closest(s string, candidates []string) string { return closest(s, candidates) }

// QuoteKey renders a key or name for a message, in backticks.
func QuoteKey(k string) string { return quoteKey(k) }

// WebSocketSettings returns /settings/http/websocket, or nil.
func (c *Config) WebSocketSettings() *Value {
	return objectOrNil(c.root().Get("settings").Get("http").Get("websocket"))
}

// Int returns an integer member of an object.
func (v *Value) Int(key string) (int64, bool) {
	m := v.Get(key)
	if m == nil || m.Kind != Number || !m.IsInt {
		return 0, false
	}
	if n, err := strconv.ParseInt(m.Num, 10, 64); err == nil {
		return n, true
	}
	f, err := strconv.ParseFloat(m.Num, 64)
	if err != nil {
		return 0, false
	}
	return int64(f), true
}

// Strings returns the strings of a value that is a string or an array of
// strings, with their values (other elements are skipped).
func (v *Value) Strings() []*Value {
	switch {
	case v == nil:
		return nil
	case v.Kind == String:
		return []*Value{v}
	case v.Kind == Array:
		var out []*Value
		for _, it := range v.Items {
			if it.Kind == String {
				out = append(out, it)
			}
		}
		return out
	}
	return nil
}

// NamedValue is a string value with the member name Unit's messages use
// for it ("match.uri", "share", a response header's name).
type NamedValue struct {
	Name  string
	Value *Value
}

// Actions returns an action and the `fallback` actions nested in it (a
// share that finds no file hands the request to its fallback).
func Actions(a *Value) []*Value { return actionChain(a) }

// MatchPatterns returns the match patterns of the document (strings that
// may start with `!` and `~`): the method, host, uri and query of route
// matches, the values of their arguments, headers and cookies, and the
// `types` of shares and of settings.http.compression.
func (c *Config) MatchPatterns() (out []NamedValue) {
	add := func(name string, v *Value) {
		for _, s := range v.Strings() {
			out = append(out, NamedValue{name, s})
		}
	}
	addSets := func(name string, v *Value) {
		sets := []*Value{v}
		if v != nil && v.Kind == Array {
			sets = v.Items
		}
		for _, set := range sets {
			if set == nil || set.Kind != Object {
				continue
			}
			for _, m := range set.Members {
				add(name+"."+m.Key, m.Value)
			}
		}
	}
	for _, s := range c.Steps() {
		if m := s.Match(); m != nil {
			for _, k := range []string{"method", "host", "uri", "query"} {
				add("match."+k, m.Get(k))
			}
			for _, k := range []string{"arguments", "headers", "cookies"} {
				addSets("match."+k, m.Get(k))
			}
		}
		for _, a := range actionChain(s.Action()) {
			add("types", a.Get("types"))
		}
	}
	add("compression.types", c.root().Get("settings").Get("http").Get("compression").Get("types"))
	return out
}

// TemplateStrings returns the strings Unit checks as templates: the
// NXT_CONF_VLDT_TSTR members (listener and action `pass`, `rewrite`,
// `location`, `chroot`), shares, response header values, `if` conditions
// and access log formats, each with the name Unit's message uses.
func (c *Config) TemplateStrings() (out []NamedValue) {
	str := func(v *Value) bool { return v != nil && v.Kind == String }
	for _, l := range c.Listeners() {
		if v := l.Value.Get("pass"); str(v) {
			out = append(out, NamedValue{"pass", v})
		}
	}
	for _, s := range c.Steps() {
		if m := s.Match(); m != nil && str(m.Get("if")) {
			out = append(out, NamedValue{"if", m.Get("if")})
		}
		for _, a := range actionChain(s.Action()) {
			for _, k := range []string{"pass", "rewrite", "location", "chroot"} {
				if v := a.Get(k); str(v) {
					out = append(out, NamedValue{k, v})
				}
			}
			for _, v := range a.Get("share").Strings() {
				out = append(out, NamedValue{"share", v})
			}
			if h := a.Get("response_headers"); h != nil && h.Kind == Object {
				for _, m := range h.Members {
					if str(m.Value) {
						out = append(out, NamedValue{m.Key, m.Value})
					}
				}
			}
		}
	}
	if al := c.root().Get("access_log"); al != nil && al.Kind == Object {
		if v := al.Get("if"); str(v) {
			out = append(out, NamedValue{"if", v})
		}
		switch f := al.Get("format"); {
		case str(f):
			out = append(out, NamedValue{"format", f})
		case f != nil && f.Kind == Object:
			for _, m := range f.Members {
				if str(m.Value) {
					out = append(out, NamedValue{m.Key, m.Value})
				}
			}
		}
	}
	return out
}
