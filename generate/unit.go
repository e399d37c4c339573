package generate

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/wslint/wslint/lint/lazyre"
)

// UnitSpec describes the NGINX Unit /config document to generate. Empty
// fields take the preset's values, then the defaults.
type UnitSpec struct {
	// Preset names a framework (see UnitPresets) whose application type,
	// protocol, module, callable and WebSocket paths are the defaults.
	Preset string
	// Name is the application's name (default: the preset's, else "app").
	Name string
	// AppType is python, external (Node.js through unit-http, or a Go
	// binary), java, php, ruby, perl or go. Default python.
	AppType string
	// Protocol is asgi or wsgi (Python only; default asgi, the only one that
	// serves WebSockets).
	Protocol string
	// Module is the Python module (default "asgi"); for Ruby and Perl the
	// script, for PHP the optional index script, for Node.js the entry file
	// (default "app.js").
	Module string
	// Callable is the Python callable (Unit's default is `application`).
	Callable string
	// Path is the Python path, the working directory of Node.js, Ruby, Perl
	// and Go apps, the PHP root, or the Java web application (.war).
	Path string
	// Home is the Python virtual environment.
	Home string
	// Executable is the program of an external or Go app (default for
	// Node.js: /usr/bin/env, running node with the unit-http loader).
	Executable string
	// Listen are listener addresses: PORT, *:PORT, IPv4:PORT, [IPv6]:PORT or
	// unix:PATH. Default *:80.
	Listen []string
	// WSPaths are request paths carrying WebSockets (each starts with /).
	// With Static, a route step sends them to the application ahead of the
	// share; without, the listener passes every request to the application.
	WSPaths []string
	// Static is a directory served by a `share` step before the application
	// (which gets what is not found there).
	Static string
	// Processes is the application's process count (0: Unit's default 1).
	Processes int
	// WSReadTimeout and WSKeepalive are settings.http.websocket read_timeout
	// and keepalive_interval in seconds (0: Unit's defaults 60 and 30).
	WSReadTimeout, WSKeepalive int
}

// UnitPreset holds what one framework needs from Unit.
type UnitPreset struct {
	Name      string
	Framework string
	AppType   string
	Protocol  string
	Module    string
	Callable  string
	WSPaths   []string
	// Settings is the Django settings module rule: the environment gets
	// DJANGO_SETTINGS_MODULE derived from the module ("project.asgi" →
	// "project.settings").
	DjangoSettings bool
	Notes          []string
}

var unitPresets = []UnitPreset{
	{
		Name: "django-channels", Framework: "Django Channels", AppType: "python", Protocol: "asgi",
		Module: "project.asgi", WSPaths: []string{"/ws/"}, DjangoSettings: true,
		Notes: []string{"Channels' asgi.py defines `application`, Unit's default callable."},
	},
	{
		Name: "express", Framework: "Express on Node.js (unit-http)", AppType: "external",
		Module: "app.js", WSPaths: []string{"/ws"},
		Notes: []string{
			"WebSockets need unit-http's `websocket` module (require('unit-http/websocket'));",
			"the `ws` package does not work under Unit. Install unit-http in the app's node_modules.",
		},
	},
	{
		Name: "fastapi", Framework: "FastAPI", AppType: "python", Protocol: "asgi",
		Module: "main", Callable: "app", WSPaths: []string{"/ws"},
	},
	{
		Name: "litestar", Framework: "Litestar", AppType: "python", Protocol: "asgi",
		Module: "app", Callable: "app", WSPaths: []string{"/ws"},
		Notes: []string{"Litestar rejects the websocket scope of Unit before 1.35.0: run 1.35.0 or later."},
	},
	{
		Name: "quart", Framework: "Quart", AppType: "python", Protocol: "asgi",
		Module: "app", Callable: "app", WSPaths: []string{"/ws"},
	},
	{
		Name: "starlette", Framework: "Starlette", AppType: "python", Protocol: "asgi",
		Module: "app", Callable: "app", WSPaths: []string{"/ws"},
	},
}

// UnitPresets returns the Unit presets sorted by name.
func UnitPresets() []UnitPreset {
	out := append([]UnitPreset(nil), unitPresets...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// UnitPresetNames returns the Unit preset names, sorted.
func UnitPresetNames() []string {
	var names []string
	for _, p := range UnitPresets() {
		names = append(names, p.Name)
	}
	return names
}

// LookupUnitPreset finds a Unit preset by name, case-insensitively.
func LookupUnitPreset(name string) (UnitPreset, bool) {
	for _, p := range unitPresets {
		if strings.EqualFold(p.Name, name) {
			return p, true
		}
	}
	return UnitPreset{}, false
}

// Unit defaults.
const (
	DefaultUnitListen      = "*:80"
	unitDefaultReadTimeout = 60 // settings.http.websocket.read_timeout
	unitDefaultKeepalive   = 30 // settings.http.websocket.keepalive_interval
)

var unitAppTypes = []string{"python", "external", "java", "php", "ruby", "perl", "go"}

// Unit returns a Unit /config document for spec: JSON with `//` notes
// (Unit's reader accepts comments). It passes the Unit schema and every
// Unit rule: WebSocket paths go to the application (never to `proxy`), and
// only to an application that can accept them.
func Unit(spec UnitSpec) (string, error) {
	s, pre, err := spec.resolve()
	if err != nil {
		return "", err
	}
	return s.render(pre), nil
}

func (s UnitSpec) resolve() (UnitSpec, UnitPreset, error) {
	var pre UnitPreset
	if s.Preset != "" {
		p, ok := LookupUnitPreset(s.Preset)
		if !ok {
			return s, pre, fmt.Errorf("unknown preset %q; valid presets: %s", s.Preset, strings.Join(UnitPresetNames(), ", "))
		}
		pre = p
		if s.Name == "" {
			s.Name = p.Name
		}
		if s.AppType == "" {
			s.AppType = p.AppType
		}
		if s.Protocol == "" && s.AppType == p.AppType {
			s.Protocol = p.Protocol
		}
		if s.Module == "" && s.AppType == p.AppType {
			s.Module = p.Module
		}
		if s.Callable == "" && s.AppType == p.AppType {
			s.Callable = p.Callable
		}
		if len(s.WSPaths) == 0 {
			s.WSPaths = p.WSPaths
		}
	}
	if s.Name == "" {
		s.Name = "app"
	}
	if s.AppType == "" {
		s.AppType = "python"
	}
	if s.AppType == "python" && s.Protocol == "" {
		s.Protocol = "asgi"
	}
	if len(s.Listen) == 0 {
		s.Listen = []string{DefaultUnitListen}
	}
	err := s.check()
	return s, pre, err
}

// The patterns are compiled on first use: only `generate unit` and the
// web generator need them, not every start of the wslint binary.
var (
	unitNameRE   = lazyre.New(`^[A-Za-z0-9_.-]+$`)
	unitIPv4RE   = lazyre.New(`^(?:\*|(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}):([0-9]+)$`)
	unitIPv6RE   = lazyre.New(`^\[[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*\]:([0-9]+)$`)
	unitModuleRE = lazyre.New(`^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$`)
)

func (s *UnitSpec) check() error {
	if !unitContains(unitAppTypes, s.AppType) {
		return fmt.Errorf("--app-type %q: want %s", s.AppType, strings.Join(unitAppTypes, ", "))
	}
	if !unitNameRE().MatchString(s.Name) {
		return fmt.Errorf("application name %q: use letters, digits, `.`, `_` and `-`", s.Name)
	}
	switch {
	case s.Protocol != "" && s.AppType != "python":
		return fmt.Errorf("--protocol is for Python applications, not %s", s.AppType)
	case s.AppType == "python" && s.Protocol != "asgi" && s.Protocol != "wsgi":
		return fmt.Errorf("--protocol %q: want asgi or wsgi", s.Protocol)
	}
	if s.Callable != "" && s.AppType != "python" {
		return fmt.Errorf("--callable is for Python applications, not %s", s.AppType)
	}
	if s.Home != "" && s.AppType != "python" {
		return fmt.Errorf("--home (a virtual environment) is for Python applications, not %s", s.AppType)
	}
	if s.AppType == "python" {
		if s.Module == "" {
			s.Module = "asgi"
		}
		if !unitModuleRE().MatchString(s.Module) {
			return fmt.Errorf("--module %q: a Python module name such as asgi or project.asgi", s.Module)
		}
		if s.Callable != "" && !unitModuleRE().MatchString(s.Callable) || strings.Contains(s.Callable, ".") {
			return fmt.Errorf("--callable %q: a Python name such as app", s.Callable)
		}
	}
	switch s.AppType {
	case "java", "php":
		if s.Path == "" {
			what := "the web application (.war)"
			if s.AppType == "php" {
				what = "the document root"
			}
			return fmt.Errorf("--path is required for %s applications: %s", s.AppType, what)
		}
	case "ruby", "perl":
		if s.Module == "" {
			return fmt.Errorf("--module is required for %s applications: the script (config.ru, app.psgi)", s.AppType)
		}
	case "go":
		if s.Executable == "" {
			return fmt.Errorf("--executable is required for Go applications")
		}
	}
	for _, p := range []struct{ flag, v string }{{"--path", s.Path}, {"--home", s.Home}, {"--executable", s.Executable}, {"--static", s.Static}, {"--module", s.Module}} {
		if strings.ContainsAny(p.v, "$`\x00") {
			return fmt.Errorf("%s %q: `$`, backticks and NUL are not allowed", p.flag, p.v)
		}
	}
	if s.Static != "" && !strings.HasPrefix(s.Static, "/") {
		return fmt.Errorf("--static %q: an absolute directory", s.Static)
	}
	seen := map[string]bool{}
	for i, l := range s.Listen {
		a, err := unitListen(l)
		if err != nil {
			return err
		}
		if seen[a] {
			return fmt.Errorf("--listen %q: given twice", l)
		}
		seen[a] = true
		s.Listen[i] = a
	}
	for _, p := range s.WSPaths {
		switch {
		case !strings.HasPrefix(p, "/"):
			return fmt.Errorf("--ws-path %q: a path starts with /", p)
		case strings.Trim(p, "/*") == "":
			return fmt.Errorf("--ws-path %q: every request already reaches the application; give the WebSocket endpoint", p)
		case strings.ContainsAny(p, "!~$`%\" ") || strings.Contains(p, "**"):
			return fmt.Errorf("--ws-path %q: a plain path, without patterns, spaces or escapes", p)
		}
	}
	if s.Processes < 0 {
		return fmt.Errorf("--processes %d: at least 1", s.Processes)
	}
	if s.WSReadTimeout < 0 {
		return fmt.Errorf("--ws-read-timeout %d: seconds above 0", s.WSReadTimeout)
	}
	if s.WSKeepalive < 0 {
		return fmt.Errorf("--ws-keepalive %d: seconds above 0", s.WSKeepalive)
	}
	rt, ka := s.WSReadTimeout, s.WSKeepalive
	if rt == 0 {
		rt = unitDefaultReadTimeout
	}
	if ka == 0 {
		ka = unitDefaultKeepalive
	}
	if ka >= rt {
		return fmt.Errorf("--ws-keepalive %d must be below --ws-read-timeout %d: Unit closes a quiet client after read_timeout, so a later ping cannot keep it open", ka, rt)
	}
	ws := len(s.WSPaths) > 0 || s.WSReadTimeout > 0 || s.WSKeepalive > 0
	if ws && !s.canWebSocket() {
		what := s.AppType + " applications"
		if s.AppType == "python" {
			what = "WSGI applications"
		}
		return fmt.Errorf("%s cannot accept WebSockets under Unit (use an ASGI app, Node.js with unit-http, or Java); drop --ws-path, --ws-read-timeout and --ws-keepalive", what)
	}
	return nil
}

// canWebSocket reports whether Unit's module for the app accepts WebSockets.
func (s *UnitSpec) canWebSocket() bool {
	switch s.AppType {
	case "python":
		return s.Protocol == "asgi"
	case "external", "java":
		return true
	}
	return false
}

// unitListen normalises and checks a listener address.
func unitListen(a string) (string, error) {
	if n, err := strconv.Atoi(a); err == nil && strconv.Itoa(n) == a {
		a = "*:" + a
	}
	if strings.HasPrefix(a, "unix:") {
		if len(a) < 7 || len(a) > 112 || strings.ContainsAny(a, "$`\x00") {
			return "", fmt.Errorf("--listen %q: unix:PATH with a socket path of 2 to 107 bytes", a)
		}
		return a, nil
	}
	m := unitIPv4RE().FindStringSubmatch(a)
	if m == nil {
		m = unitIPv6RE().FindStringSubmatch(a)
	}
	if m == nil {
		return "", fmt.Errorf("--listen %q: want PORT, *:PORT, IPv4:PORT, [IPv6]:PORT or unix:PATH (Unit takes no hostnames)", a)
	}
	if p, err := strconv.Atoi(m[1]); err != nil || p < 1 || p > 65535 || strings.HasPrefix(m[1], "0") {
		return "", fmt.Errorf("--listen %q: the port must be 1-65535", a)
	}
	return a, nil
}

// routed reports whether the listener passes to routes (a static share,
// with the WebSocket paths routed ahead of it) rather than straight to the
// application, which then gets the WebSocket paths with everything else.
func (s *UnitSpec) routed() bool { return s.Static != "" }

// jobj is an ordered JSON object; values are string, int, bool, []string,
// jobj or []jobj.
type jobj []jkv

type jkv struct {
	k string
	v any
}

func (s UnitSpec) render(pre UnitPreset) string {
	var b strings.Builder
	title := "an application"
	if pre.Name != "" {
		title = pre.Framework
	}
	fmt.Fprintf(&b, "// NGINX Unit configuration for %s with WebSockets, by wslint generate unit.\n", title)
	b.WriteString("// PUT it to /config (curl -X PUT --data-binary @config.json --unix-socket\n")
	b.WriteString("// /var/run/control.unit.sock http://localhost/config); Unit accepts these comments.\n")
	for _, n := range pre.Notes {
		b.WriteString("// " + n + "\n")
	}
	if len(s.WSPaths) > 0 && !s.routed() {
		fmt.Fprintf(&b, "// WebSocket paths %s reach the application with every other request.\n", strings.Join(s.WSPaths, ", "))
	}
	pass := "applications/" + s.Name
	listeners := jobj{}
	for _, l := range s.Listen {
		target := pass
		if s.routed() {
			target = "routes"
		}
		listeners = append(listeners, jkv{l, jobj{{"pass", target}}})
	}
	doc := jobj{{"listeners", listeners}}
	if s.routed() {
		var steps []jobj
		if len(s.WSPaths) > 0 {
			steps = append(steps, jobj{
				{"match", jobj{{"uri", unitURIPatterns(s.WSPaths)}}},
				{"action", jobj{{"pass", pass}}},
			})
		}
		steps = append(steps, jobj{{"action", jobj{
			{"share", strings.TrimSuffix(s.Static, "/") + "$uri"},
			{"fallback", jobj{{"pass", pass}}},
		}}})
		doc = append(doc, jkv{"routes", steps})
	}
	doc = append(doc, jkv{"applications", jobj{{s.Name, s.app(pre)}}})
	if s.WSReadTimeout > 0 || s.WSKeepalive > 0 {
		ws := jobj{}
		if s.WSReadTimeout > 0 {
			ws = append(ws, jkv{"read_timeout", s.WSReadTimeout})
		}
		if s.WSKeepalive > 0 {
			ws = append(ws, jkv{"keepalive_interval", s.WSKeepalive})
		}
		doc = append(doc, jkv{"settings", jobj{{"http", jobj{{"websocket", ws}}}}})
	}
	writeJSON(&b, doc, "")
	b.WriteString("\n")
	return b.String()
}

// unitURIPatterns turns WebSocket paths into Unit uri patterns: the path
// itself and everything below it.
func unitURIPatterns(paths []string) []string {
	var out []string
	add := func(p string) {
		if !unitContains(out, p) {
			out = append(out, p)
		}
	}
	for _, p := range paths {
		if strings.HasSuffix(p, "*") {
			add(p)
			continue
		}
		base := strings.TrimSuffix(p, "/")
		add(base)
		add(base + "/*")
	}
	return out
}

func (s UnitSpec) app(pre UnitPreset) jobj {
	a := jobj{{"type", s.AppType}}
	switch s.AppType {
	case "python":
		if s.Path != "" {
			a = append(a, jkv{"path", s.Path})
		}
		if s.Home != "" {
			a = append(a, jkv{"home", s.Home})
		}
		a = append(a, jkv{"module", s.Module})
		if s.Callable != "" {
			a = append(a, jkv{"callable", s.Callable})
		}
		a = append(a, jkv{"protocol", s.Protocol})
		if pre.DjangoSettings {
			if proj, ok := strings.CutSuffix(s.Module, ".asgi"); ok {
				a = append(a, jkv{"environment", jobj{{"DJANGO_SETTINGS_MODULE", proj + ".settings"}}})
			}
		}
	case "external":
		if s.Path != "" {
			a = append(a, jkv{"working_directory", s.Path})
		}
		exe := s.Executable
		if exe == "" || exe == "/usr/bin/env" || strings.HasSuffix(exe, "/node") || exe == "node" {
			entry := s.Module
			if entry == "" {
				entry = "app.js"
			}
			args := []string{"--loader", "unit-http/loader.mjs", "--require", "unit-http/loader", entry}
			if exe == "" || exe == "/usr/bin/env" {
				exe, args = "/usr/bin/env", append([]string{"node"}, args...)
			}
			a = append(a, jkv{"executable", exe}, jkv{"arguments", args})
		} else {
			a = append(a, jkv{"executable", exe})
		}
	case "go":
		if s.Path != "" {
			a = append(a, jkv{"working_directory", s.Path})
		}
		a = append(a, jkv{"executable", s.Executable})
	case "java":
		a = append(a, jkv{"webapp", s.Path})
	case "php":
		a = append(a, jkv{"root", s.Path})
		if s.Module != "" {
			a = append(a, jkv{"script", s.Module})
		}
	case "ruby", "perl":
		if s.Path != "" {
			a = append(a, jkv{"working_directory", s.Path})
		}
		a = append(a, jkv{"script", s.Module})
	}
	if s.Processes > 0 {
		a = append(a, jkv{"processes", s.Processes})
	}
	return a
}

func writeJSON(b *strings.Builder, v any, indent string) {
	inner := indent + "    "
	switch x := v.(type) {
	case jobj:
		if len(x) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteString("{\n")
		for i, kv := range x {
			b.WriteString(inner + jsonQuote(kv.k) + ": ")
			writeJSON(b, kv.v, inner)
			if i < len(x)-1 {
				b.WriteString(",")
			}
			b.WriteString("\n")
		}
		b.WriteString(indent + "}")
	case []jobj:
		b.WriteString("[\n")
		for i, o := range x {
			b.WriteString(inner)
			writeJSON(b, o, inner)
			if i < len(x)-1 {
				b.WriteString(",")
			}
			b.WriteString("\n")
		}
		b.WriteString(indent + "]")
	case []string:
		parts := make([]string, len(x))
		for i, s := range x {
			parts[i] = jsonQuote(s)
		}
		b.WriteString("[" + strings.Join(parts, ", ") + "]")
	case string:
		b.WriteString(jsonQuote(x))
	case int:
		b.WriteString(strconv.Itoa(x))
	case bool:
		b.WriteString(strconv.FormatBool(x))
	}
}

// jsonQuote renders s as a JSON string, as encoding/json writes it (without
// escaping <, > and &, which need no escaping outside HTML).
func jsonQuote(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return strings.TrimSuffix(b.String(), "\n")
}

func unitContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
