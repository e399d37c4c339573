package rules

import (
	"fmt"
	"strings"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/nginx/spec"
	"github.com/wslint/wslint/lint/source"
)

// NamedLocationSettingsIgnored reports timeouts and headers set in a location
// that hands its requests to a named WebSocket location, which takes the
// server's values instead.
var NamedLocationSettingsIgnored = &lint.Rule{
	ID:       "WS202",
	Name:     "named-location-settings-ignored",
	Lang:     lint.Nginx,
	Severity: lint.Warning,
	Default:  true,
	Check:    checkNamedLocationSettingsIgnored,
	Doc: lint.Doc{
		Summary: "settings of a location do not reach the named location it hands off to",
		Why: "A named location hangs off the server: after `try_files ... @ws` or `error_page ... @ws` " +
			"the request is served with the server's (or nginx's default) timeouts and " +
			"proxy_set_header list, not the caller's. Upgrade headers set in the caller are not sent " +
			"(404/426 from the backend), and a raised `proxy_read_timeout` does not apply, so idle " +
			"WebSockets still close after 60 s.",
		Bad: "server {\n    listen 80;\n    location /ws/ {\n        proxy_read_timeout 1h;\n        try_files $uri @ws;\n    }\n" +
			"    location @ws {\n        proxy_pass http://127.0.0.1:8000;\n        proxy_http_version 1.1;\n" +
			"        proxy_set_header Upgrade $http_upgrade;\n        proxy_set_header Connection \"upgrade\";\n    }\n}\n",
		Good: "server {\n    listen 80;\n    location /ws/ {\n        try_files $uri @ws;\n    }\n" +
			"    location @ws {\n        proxy_pass http://127.0.0.1:8000;\n        proxy_http_version 1.1;\n        proxy_read_timeout 1h;\n" +
			"        proxy_set_header Upgrade $http_upgrade;\n        proxy_set_header Connection \"upgrade\";\n    }\n}\n",
		FixSafety: "Suggestion only: the suggested edit copies the settings into the named location, " +
			"which changes them for every other location that hands requests to it as well, so " +
			"wslint never applies it automatically.",
		References: []string{
			"https://nginx.org/en/docs/http/ngx_http_core_module.html#location",
			"https://nginx.org/en/docs/http/ngx_http_core_module.html#try_files",
			"https://nginx.org/en/docs/http/ngx_http_core_module.html#error_page",
		},
	},
}

// namedSettings lists, per upstream module, the timeout and header
// directives whose value a named location takes from the server; list
// directives are marked true. send_timeout (core) applies to every module.
var namedSettings = map[string][]struct {
	name string
	list bool
}{
	"proxy": {{"proxy_set_header", true}, {"proxy_hide_header", true}, {"proxy_http_version", false},
		{"proxy_pass_request_headers", false}, {"proxy_read_timeout", false}, {"proxy_send_timeout", false},
		{"proxy_connect_timeout", false}, {"send_timeout", false}},
	"uwsgi": {{"uwsgi_param", true}, {"uwsgi_read_timeout", false}, {"uwsgi_send_timeout", false},
		{"uwsgi_connect_timeout", false}, {"send_timeout", false}},
	"scgi": {{"scgi_param", true}, {"scgi_read_timeout", false}, {"scgi_send_timeout", false},
		{"scgi_connect_timeout", false}, {"send_timeout", false}},
}

func checkNamedLocationSettingsIgnored(p *lint.Pass) (out []lint.Finding) {
	ws := map[*nginx.Location]bool{}
	for _, w := range p.WebSocketLocations() {
		ws[w.Location] = true
	}
	// One finding per (setting, target): locations nested in the level that
	// sets it, or several hand-offs, report it once.
	type key struct {
		d      *nginx.Directive
		target *nginx.Location
	}
	reported := map[key]bool{}
	for _, loc := range p.Nginx.Locations() {
		seen := map[*nginx.Location]bool{}
		for _, via := range loc.NamedTargets() {
			target := loc.Server.Named[via.Args[len(via.Args)-1].Value]
			if target == nil || target == loc || !ws[target] || seen[target] {
				continue
			}
			seen[target] = true
			module := nginx.HandlerModule(target.Handler())
			if own := nginx.HandlerModule(loc.Handler()); own == module {
				continue // the location proxies itself with these settings; the named one is a fallback
			}
			for _, s := range namedSettings[module] {
				// Only a value set at a location level is lost: one from the
				// server (or above) reaches the named location too.
				var f lint.Finding
				var at *nginx.Directive
				var lines []string
				var ok bool
				if s.list {
					mine, level := loc.EffectiveList(s.name)
					if level == nil || level.Name != "location" {
						continue
					}
					f, at, lines, ok = lostListEntries(p, level, target, s.name, mine)
				} else {
					d := loc.Effective(s.name)
					if d == nil || d.Parent == nil || d.Parent.Name != "location" {
						continue
					}
					at = d
					f, lines, ok = ignoredScalar(p, target, s.name, d)
				}
				if !ok || reported[key{at, target}] {
					continue
				}
				reported[key{at, target}] = true
				f = f.WithRelated(via.NameSpan(), "`%s` hands the request to `%s` here", via.Name, target.Path).
					WithRelated(target.Block.HeaderSpan(), "`%s` uses the server's settings", target.Path)
				if e, ok := namedInsert(target, lines); ok && len(lines) > 0 {
					f = f.WithFix(lint.Suggestion, fmt.Sprintf("Set `%s` in `%s` instead", s.name, target.Path), e)
				}
				out = append(out, f)
			}
		}
	}
	return out
}

// lostListEntries reports the entries of a list directive that a location
// level sets (mine, in level) and the named target does not get; at is the
// entry reported, lines the suggested edit (keeping the target's inherited
// entries, which a new line would drop).
func lostListEntries(p *lint.Pass, level *nginx.Directive, target *nginx.Location, name string, mine []*nginx.Directive) (lint.Finding, *nginx.Directive, []string, bool) {
	theirs, _ := target.EffectiveList(name)
	lost := missingEntries(p.Nginx, mine, theirs)
	if len(lost) == 0 {
		return lint.Finding{}, nil, nil, false
	}
	var lines, names []string
	if target.InheritsList(name) {
		for _, d := range theirs {
			lines = append(lines, d.String()+";")
		}
	}
	for _, d := range lost {
		names = append(names, "`"+d.String()+"`")
		lines = append(lines, d.String()+";")
	}
	at := lost[0].Outermost(level)
	f := p.Finding(at.NameSpan(), "%s set here %s not used by `%s` (a named location takes the server's list, not the caller's): %s",
		strings.Join(names, ", "), plural(len(lost), "is", "are"), target.Path, lostListEffect(p, target, name, lost))
	return f, at, lines, true
}

// lostListEffect names what goes wrong when the entries lost do not reach
// the named target's upstream requests.
func lostListEffect(p *lint.Pass, target *nginx.Location, name string, lost []*nginx.Directive) string {
	if name != "proxy_set_header" {
		if name == "proxy_hide_header" {
			return "clients see those response headers after all"
		}
		return "the backend does not get those parameters"
	}
	up, conn := nginx.UpgradeHeaders(p.Nginx, lost)
	sent := target.Simulate(p.Nginx, nginx.ChromiumHandshake, p.Opts.NginxVersion)
	hasUp, unkUp := sent.Has("Upgrade")
	hasConn, unkConn := sent.HasToken("Connection", "upgrade")
	noUp := len(up) > 0 && !hasUp && !unkUp
	noConn := len(conn) > 0 && !hasConn && !unkConn
	switch {
	case noUp && noConn:
		return "handshakes reach the backend without `Upgrade` and `Connection: upgrade`, and it answers 404/426/400"
	case noUp:
		return "handshakes reach the backend without `Upgrade`: node `ws` and coder/websocket answer 426, uvicorn 404"
	case noConn:
		return "handshakes reach the backend without `Connection: upgrade`: node `ws` and coder/websocket answer 426"
	}
	for _, d := range lost {
		if strings.EqualFold(d.Arg(0), "host") {
			if hosts := sent.Header("Host"); len(hosts) == 1 && hosts[0].Origin == "default" {
				return "handshakes reach the backend with the default `Host: $proxy_host`, and Origin-checking backends answer 403"
			}
		}
	}
	return "the named location's upstream requests go without them"
}

// ignoredScalar reports a scalar a location level sets to a value the named
// target does not get; the suggested line is offered when the target does
// not set the directive itself (a second one would be a duplicate).
func ignoredScalar(p *lint.Pass, target *nginx.Location, name string, d *nginx.Directive) (lint.Finding, []string, bool) {
	theirs := target.Effective(name)
	if len(d.Args) != 1 || theirs != nil && len(theirs.Args) != 1 {
		// nginx refuses `30 m` and `1.1 x` (WS006 writes `30m`, WS010
		// reports other counts): the first word is not the setting, and
		// copying the line would copy the mistake.
		return lint.Finding{}, nil, false
	}
	if sameSetting(p, name, d, theirs) {
		return lint.Finding{}, nil, false
	}
	at := d.Outermost(d.Parent)
	value := defaultValue(p, name)
	used := fmt.Sprintf("nginx's default (%s)", value)
	if theirs != nil {
		value = theirs.Arg(0)
		used = fmt.Sprintf("`%s` from %s", theirs.String(), placeOf(theirs, at.File()))
	}
	var lines []string
	if target.Block.FindOne(name) == nil {
		lines = []string{d.String() + ";"}
	}
	return p.Finding(at.NameSpan(), "`%s` does not apply to `%s`, which serves these requests with %s (a named location takes the server's settings, not the caller's): %s",
		d.String(), target.Path, used, scalarEffect(name, d.Arg(0), value)), lines, true
}

// defaultValue is nginx's default for a scalar of namedSettings.
func defaultValue(p *lint.Pass, name string) string {
	switch {
	case strings.HasSuffix(name, "_timeout"):
		return "60s"
	case name == "proxy_http_version":
		return nginx.DefaultHTTPVersion(p.Opts.NginxVersion)
	}
	return "on" // proxy_pass_request_headers
}

// scalarEffect names what the named location's value (used) means for
// WebSockets, against the caller's (mine) that does not apply.
func scalarEffect(name, mine, used string) string {
	if strings.HasSuffix(name, "_timeout") {
		a, errA := spec.ParseTime(mine, false)
		b, errB := spec.ParseTime(used, false)
		if errA != nil || errB != nil {
			return "its own timeout applies"
		}
		subject, verb := "writes to a slow client that block", "time out" // send_timeout
		switch {
		case strings.HasSuffix(name, "_read_timeout"):
			subject, verb = "idle WebSockets", "close"
		case strings.HasSuffix(name, "_send_timeout"):
			subject = "writes to the upstream that block"
		case strings.HasSuffix(name, "_connect_timeout"):
			subject = "connecting to the upstream"
		}
		if b < a {
			return fmt.Sprintf("%s still %s after %s", subject, verb, idleText(b))
		}
		return fmt.Sprintf("%s %s after %s, not %s", subject, verb, idleText(b), idleText(a))
	}
	switch {
	case name == "proxy_http_version" && used == "1.0":
		return "handshakes go upstream as HTTP/1.0, and strict backends (coder/websocket 426, NGINX Unit 400) refuse them"
	case name == "proxy_http_version" && used == "2":
		return "handshakes go upstream over HTTP/2, which cannot tunnel a WebSocket"
	case name == "proxy_pass_request_headers" && strings.EqualFold(used, "off"):
		return "the client's `Sec-WebSocket-Key` does not reach the backend, and handshakes fail with 400"
	}
	return "its own value applies"
}

// missingEntries returns the entries of mine that theirs lacks: same
// arguments (header and parameter names compare case-insensitively), or
// the same name with a value equal for every WebSocket handshake
// (`Connection "upgrade"` and the upgrade map's `$connection_upgrade`).
func missingEntries(c *nginx.Config, mine, theirs []*nginx.Directive) []*nginx.Directive {
	have := map[string]bool{}
	for _, d := range theirs {
		have[entryKey(d)] = true
	}
	var out []*nginx.Directive
	for _, d := range mine {
		if !have[entryKey(d)] && !sameForHandshakes(c, d, theirs) {
			out = append(out, d)
		}
	}
	return out
}

// sameForHandshakes reports whether theirs has an entry named as d whose
// value evaluates, for every simulated handshake, to d's (both known).
func sameForHandshakes(c *nginx.Config, d *nginx.Directive, theirs []*nginx.Directive) bool {
	if len(d.Args) != 2 {
		return false
	}
next:
	for _, t := range theirs {
		if len(t.Args) != 2 || !strings.EqualFold(t.Arg(0), d.Arg(0)) {
			continue
		}
		for _, req := range nginx.Handshakes {
			a, b := c.Eval(d.Arg(1), req), c.Eval(t.Arg(1), req)
			if a.Unknown || b.Unknown || !strings.EqualFold(a.Text, b.Text) {
				continue next
			}
		}
		return true
	}
	return false
}

func entryKey(d *nginx.Directive) string {
	parts := make([]string, len(d.Args))
	for i, a := range d.Args {
		parts[i] = a.Value
	}
	if len(parts) > 0 {
		parts[0] = strings.ToLower(parts[0])
	}
	return strings.Join(parts, "\x00")
}

// namedInsert returns an edit adding lines to a named location, after its
// content handler when written there, else at the top of its body.
func namedInsert(target *nginx.Location, lines []string) (source.TextEdit, bool) {
	if h := target.Handler(); h != nil {
		if a := h.Outermost(target.Block); a.Parent == target.Block && a.File() == target.Block.File() {
			return lint.InsertLinesAfter(a, lines...), true
		}
	}
	return lint.InsertLinesInBlock(target.Block, lines...)
}

// sameSetting reports whether the caller's scalar d has the value the named
// location gets anyway (theirs, or nginx's default when theirs is nil).
func sameSetting(p *lint.Pass, name string, d, theirs *nginx.Directive) bool {
	want := defaultValue(p, name)
	if theirs != nil {
		want = theirs.Arg(0)
	}
	if strings.HasSuffix(name, "_timeout") {
		a, errA := spec.ParseTime(d.Arg(0), false)
		b, errB := spec.ParseTime(want, false)
		return errA == nil && errB == nil && a == b
	}
	return d.Arg(0) == want
}
