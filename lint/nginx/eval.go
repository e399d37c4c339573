package nginx

import (
	"strings"
)

// Request is a client request whose upstream request wslint simulates.
type Request struct {
	Name   string
	Method string
	Path   string
	// Header maps lowercase names to values.
	Header map[string]string
}

// The three requests of rules.md.
var (
	ChromiumHandshake = Request{Name: "Chromium handshake", Method: "GET", Path: "/", Header: map[string]string{
		"host": "example.com", "connection": "Upgrade", "upgrade": "websocket",
		"sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==", "sec-websocket-version": "13",
		"origin": "http://example.com",
	}}
	FirefoxHandshake = Request{Name: "Firefox handshake", Method: "GET", Path: "/", Header: map[string]string{
		"host": "example.com", "connection": "keep-alive, Upgrade", "upgrade": "websocket",
		"sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==", "sec-websocket-version": "13",
		"origin": "http://example.com",
	}}
	PlainRequest = Request{Name: "plain GET", Method: "GET", Path: "/", Header: map[string]string{
		"host": "example.com", "connection": "keep-alive",
	}}
	Handshakes = []Request{ChromiumHandshake, FirefoxHandshake}
)

// Value is the result of evaluating an nginx value for a request. When
// Unknown is set, nginx decides at run time (a variable wslint does not
// model); Text then renders the unknown parts as `$name`.
type Value struct {
	Text    string
	Unknown bool
}

// Empty reports whether the value is known to be the empty string.
func (v Value) Empty() bool { return !v.Unknown && v.Text == "" }

// HasToken reports whether the value, read as a comma-separated header
// list, contains tok (case-insensitively). unknown is true when the value
// could still contain it at run time.
func (v Value) HasToken(tok string) (yes, unknown bool) {
	for rest := v.Text; ; {
		t, more, found := strings.Cut(rest, ",")
		if strings.EqualFold(strings.TrimSpace(t), tok) {
			return true, false
		}
		if !found {
			break
		}
		rest = more
	}
	return false, v.Unknown
}

// evalState bounds one evaluation. nginx evaluates a variable once per
// request, and reports a cycle (`map $e $e`, or two maps keyed on each
// other) as "cycle while evaluating variable"; here a map is evaluated
// where it is referenced, so maps nested maxEvalDepth deep, or more than
// maxEvalMaps in one value (`map $x $a { default "$b$b$b$b"; }` with `$b`
// likewise made of `$a`: exponential in the depth), are unknown rather
// than an endless recursion or a hang.
type evalState struct {
	depth int // maps being evaluated, one inside the other
	maps  int // maps evaluated so far
}

const (
	maxEvalDepth = 16
	maxEvalMaps  = 256
)

// Eval evaluates an nginx value (literal text with $variables) for req.
func (c *Config) Eval(expr string, req Request) Value {
	var st evalState
	return c.eval(expr, req, &st)
}

func (c *Config) eval(expr string, req Request, st *evalState) Value {
	if !strings.Contains(expr, "$") {
		return Value{Text: expr}
	}
	if name, n := VariableAt(expr, 0); n == len(expr) {
		return c.variable(name, expr, req, st) // a lone `$name`, the usual case
	}
	var b strings.Builder
	unknown := false
	for i := 0; i < len(expr); {
		if expr[i] != '$' {
			b.WriteByte(expr[i])
			i++
			continue
		}
		name, n := VariableAt(expr, i)
		if n == 0 {
			b.WriteByte('$')
			i++
			continue
		}
		v := c.variable(name, expr[i:i+n], req, st)
		i += n
		b.WriteString(v.Text)
		unknown = unknown || v.Unknown
	}
	return Value{Text: b.String(), Unknown: unknown}
}

// VariableAt reads the variable reference starting at expr[i] == '$' and
// returns its name and the length of the reference (0 when none).
func VariableAt(expr string, i int) (name string, n int) {
	j := i + 1
	if j < len(expr) && expr[j] == '{' {
		k := strings.IndexByte(expr[j:], '}')
		if k < 0 {
			return "", 0
		}
		return expr[j+1 : j+k], k + 2
	}
	k := j
	for k < len(expr) && IsVarNameByte(expr[k]) {
		k++
	}
	if k == j {
		return "", 0
	}
	return expr[j:k], k - i
}

// IsVarNameByte reports whether c may appear in a variable name (`$name`).
func IsVarNameByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// IsVariableName reports whether `$` + s refers to the variable named s:
// s is letters, digits and `_`, and does not start with a digit (`$1st` is
// the capture $1, then "st").
func IsVariableName(s string) bool {
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !IsVarNameByte(s[i]) {
			return false
		}
	}
	return true
}

// NextVariable finds the first variable reference in expr at or after
// offset i, and returns its name and the offset just past it; next is -1
// when there is none. Loops over it allocate nothing:
//
//	for name, i := NextVariable(expr, 0); i >= 0; name, i = NextVariable(expr, i) {
func NextVariable(expr string, i int) (name string, next int) {
	name, start, end := variableRef(expr, i)
	if start < 0 {
		return "", -1
	}
	return name, end
}

// variableRef is NextVariable with the reference's start: expr[start:end]
// is `$name` or `${name}`; start is -1 when there is none.
func variableRef(expr string, i int) (name string, start, end int) {
	for i < len(expr) {
		j := strings.IndexByte(expr[i:], '$')
		if j < 0 {
			break
		}
		i += j
		if name, n := VariableAt(expr, i); n > 0 {
			return name, i, i + n
		}
		i++
	}
	return "", -1, -1
}

// HasVariables reports whether expr references a variable: whether
// Variables(expr) is non-empty, without building the list.
func HasVariables(expr string) bool {
	_, next := NextVariable(expr, 0)
	return next >= 0
}

// Variables returns the names of the variables referenced in expr.
func Variables(expr string) []string {
	var out []string
	for name, i := NextVariable(expr, 0); i >= 0; name, i = NextVariable(expr, i) {
		out = append(out, name)
	}
	return out
}

// variable evaluates the variable name, written ref (`$name` or `${name}`).
func (c *Config) variable(name, ref string, req Request, st *evalState) Value {
	dollar := ref // the text of an unknown value: `$name`
	if len(ref) != len(name)+1 {
		dollar = "$" + name
	}
	lname := strings.ToLower(name)
	if m := c.m().maps[lname]; m != nil { // c.Map, lowered once
		if st.depth >= maxEvalDepth || st.maps >= maxEvalMaps {
			return Value{Text: dollar, Unknown: true}
		}
		st.depth++
		st.maps++
		v := c.evalMap(m, req, st)
		st.depth--
		return v
	}
	if lname == "host" { // the request's Host without port and final dot (server_name when absent: unknown)
		if h, ok := req.Header["host"]; ok && h != "" {
			if i := strings.LastIndexByte(h, ':'); i > 0 && !strings.Contains(h[i:], "]") {
				h = h[:i]
			}
			return Value{Text: strings.ToLower(strings.TrimSuffix(h, "."))}
		}
		return Value{Text: "$host", Unknown: true}
	}
	if h, ok := strings.CutPrefix(lname, "http_"); ok {
		return Value{Text: req.Header[strings.ReplaceAll(h, "_", "-")]}
	}
	return Value{Text: dollar, Unknown: true}
}

// EvalMap returns the map's result for req.
func (c *Config) EvalMap(m *Map, req Request) Value {
	var st evalState
	return c.evalMap(m, req, &st)
}

// MatchMap returns the entry that the map picks for req (nil: no entry and
// no default, so the result is empty), or unknown when the source value or a
// regex cannot be evaluated statically: an exact key (ASCII case folded),
// then the regexes in order, which nginx does not try on an empty value
// (TestMapAsNginx), then default.
func (c *Config) MatchMap(m *Map, req Request) (e *MapEntry, unknown bool) {
	var st evalState
	return c.matchMap(m, req, &st)
}

// matchMap is MatchMap within an evaluation: the source's maps count
// against its bounds too (`map $e $e` is keyed on itself).
func (c *Config) matchMap(m *Map, req Request, st *evalState) (e *MapEntry, unknown bool) {
	src := c.eval(m.Source, req, st)
	if src.Unknown {
		return nil, true
	}
	for i := range m.Entries {
		// nginx lowercases ASCII letters only (ngx_hash_strlow): `Ǳ` is not `ǳ`.
		if en := &m.Entries[i]; en.Regex == nil && !en.BadRE && asciiEqualFold(en.Key, src.Text) {
			return en, false
		}
	}
	if src.Text == "" {
		return m.Default, false // nginx tries no regex on an empty value (ngx_http_map_find)
	}
	for i := range m.Entries {
		en := &m.Entries[i]
		if en.BadRE {
			return nil, true
		}
		if en.Regex != nil && en.Regex.MatchString(src.Text) {
			return en, false
		}
	}
	return m.Default, false
}

func (c *Config) evalMap(m *Map, req Request, st *evalState) Value {
	e, unknown := c.matchMap(m, req, st)
	if unknown {
		return Value{Text: "$" + m.Var, Unknown: true}
	}
	if e == nil {
		return Value{}
	}
	return c.eval(e.Value, req, st)
}
