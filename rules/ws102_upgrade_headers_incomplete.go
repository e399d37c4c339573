package rules

import (
	"fmt"
	"strings"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
)

// UpgradeHeadersIncomplete reports WebSocket locations where a simulated
// handshake reaches the upstream with only one of `Upgrade` and
// `Connection: upgrade`.
var UpgradeHeadersIncomplete = &lint.Rule{
	ID:       "WS102",
	Name:     "upgrade-headers-incomplete",
	Lang:     lint.Nginx,
	Severity: lint.Error,
	Default:  true,
	Check:    checkUpgradeHeadersIncomplete,
	Doc: lint.Doc{
		Summary: "a handshake reaches the upstream with only one of the upgrade headers",
		Why: "The backend upgrades only when it gets both `Upgrade` and a `Connection` containing " +
			"`upgrade`. With `Upgrade` alone nginx sends `Connection: close` (before 1.29.7) or none, " +
			"and coder/websocket and node `ws` answer 426, uvicorn 404; with `Connection: upgrade` " +
			"alone node `ws` answers 426. A literal `Connection keep-alive` fails every handshake; a " +
			"map keyed on `$http_connection` works for Chromium (`Connection: Upgrade`) but is empty " +
			"for Firefox (`Connection: keep-alive, Upgrade`); a map without `default` is empty for " +
			"values it does not list, and an empty value sends no header at all.",
		Bad: "map $http_upgrade $connection_upgrade {\n    default upgrade;\n    ''      close;\n}\n" +
			"server {\n    listen 80;\n    location /ws/ {\n        proxy_pass http://127.0.0.1:8000;\n" +
			"        proxy_http_version 1.1;\n        proxy_read_timeout 1h;\n        proxy_set_header Upgrade $http_upgrade;\n" +
			"        proxy_set_header Connection keep-alive;\n    }\n}\n",
		Good: "map $http_upgrade $connection_upgrade {\n    default upgrade;\n    ''      close;\n}\n" +
			"server {\n    listen 80;\n    location /ws/ {\n        proxy_pass http://127.0.0.1:8000;\n" +
			"        proxy_http_version 1.1;\n        proxy_read_timeout 1h;\n        proxy_set_header Upgrade $http_upgrade;\n" +
			"        proxy_set_header Connection $connection_upgrade;\n    }\n}\n",
		FixSafety: "Safe when it restores nginx's documented recipe: it adds the missing " +
			"`proxy_set_header Upgrade $http_upgrade` or `Connection $connection_upgrade` line next to " +
			"its partner (adding the upgrade map when needed), replaces a wrong `Connection` value with " +
			"the map variable, or adds `default upgrade` to a `$http_upgrade` map that lacks it. These " +
			"edits change only requests that carry `Upgrade`. Unsafe when no map can be added and the " +
			"literal `upgrade` would then go out on plain requests too, when the map goes in another " +
			"file than the edited line (or is left to WS007), or when the edit replaces a variable " +
			"`Upgrade` value or a line in an included file, when it adds `Upgrade` next to a " +
			"`Connection` that passes the client's tokens (`$http_connection`): h2c upgrades would " +
			"then reach the backend (WS301), or when the map that gets `default upgrade` is also " +
			"read elsewhere than as a `Connection` value (a log format, another header), whose " +
			"value would change too.",
		References: []string{"https://nginx.org/en/docs/http/websocket.html", "https://nginx.org/en/docs/http/ngx_http_map_module.html", "RFC 6455 §4.1"},
	},
}

func checkUpgradeHeadersIncomplete(p *lint.Pass) (out []lint.Finding) {
	seen := map[*nginx.Directive]bool{}
	for _, loc := range p.WebSocketLocations() {
		if proxiedBy(loc.Location) == nil || upgradeReportedElsewhere(p, loc) {
			continue // WS101 or WS104 reports it
		}
		list, level := loc.EffectiveList("proxy_set_header")
		if level == nil {
			continue
		}
		var noUp, noConn []nginx.Request
		for _, req := range nginx.Handshakes {
			u := loc.Simulate(p.Nginx, req, p.Opts.NginxVersion)
			if has, unk := u.Has("Upgrade"); !has && !unk {
				noUp = append(noUp, req)
			}
			if has, unk := u.HasToken("Connection", "upgrade"); !has && !unk {
				noConn = append(noConn, req)
			}
		}
		if len(noUp) > 0 {
			if f, ok := upgradeMissing(p, loc, list, level, noUp, seen); ok {
				out = append(out, f)
			}
		}
		if len(noConn) > 0 {
			if f, ok := connectionWithoutUpgrade(p, loc, list, level, noConn, seen); ok {
				out = append(out, f)
			}
		}
	}
	return out
}

// upgradeMissing: `Connection: upgrade` goes out, `Upgrade` does not.
func upgradeMissing(p *lint.Pass, loc nginx.WSLocation, list []*nginx.Directive, level *nginx.Directive, reqs []nginx.Request, seen map[*nginx.Directive]bool) (lint.Finding, bool) {
	for _, d := range list {
		if len(d.Args) != 2 || !strings.EqualFold(d.Arg(0), "upgrade") {
			continue
		}
		// An Upgrade line that is empty for the handshakes.
		if seen[d] {
			return lint.Finding{}, false
		}
		seen[d] = true
		msg := fmt.Sprintf("`Upgrade %s` clears the header", d.Args[1].Raw)
		if nginx.HasVariables(d.Arg(1)) {
			msg = fmt.Sprintf("`Upgrade %s` is empty for %s", d.Args[1].Raw, describeHandshakes(reqs, "upgrade"))
		}
		f := p.Finding(d.Args[1].Span, "%s, so handshakes reach the upstream without `Upgrade` (node `ws` and coder/websocket answer 426, uvicorn 404)", msg)
		applies := lint.SafeUnless(nginx.HasVariables(d.Arg(1)) || d.Via != nil)
		return f.WithFix(applies, "Forward the client's `Upgrade` header", lint.ReplaceArg(d.Args[1], "$http_upgrade")), true
	}
	if seen[level] {
		return lint.Finding{}, false
	}
	seen[level] = true
	_, conns := nginx.UpgradeHeaders(p.Nginx, list)
	if len(conns) == 0 {
		return lint.Finding{}, false
	}
	c := conns[0]
	f := p.Finding(c.NameSpan(), "`Connection %s` is forwarded but `Upgrade` is not%s: handshakes reach the upstream without `Upgrade`, and node `ws` and coder/websocket answer 426, uvicorn 404",
		c.Args[1].Raw, evidenceNote(loc))
	edit := lint.InsertLinesAfter(c.Outermost(level), "proxy_set_header Upgrade $http_upgrade;")
	// With the client's own Connection tokens, forwarding Upgrade lets
	// `Upgrade: h2c` + `Connection: Upgrade, HTTP2-Settings` through (WS301).
	applies := lint.SafeUnless(fromClient(c.Arg(1)))
	return f.WithFix(applies, "Forward `Upgrade $http_upgrade` next to `Connection`", edit), true
}

// connectionWithoutUpgrade: `Upgrade` goes out, a `Connection` with the
// `upgrade` token does not.
func connectionWithoutUpgrade(p *lint.Pass, loc nginx.WSLocation, list []*nginx.Directive, level *nginx.Directive, reqs []nginx.Request, seen map[*nginx.Directive]bool) (lint.Finding, bool) {
	var conn *nginx.Directive
	for _, d := range list {
		if len(d.Args) == 2 && strings.EqualFold(d.Arg(0), "connection") {
			conn = d
			break
		}
	}
	value, mapEdit := connectionValue(p, loc.Location)
	if conn == nil {
		if seen[level] {
			return lint.Finding{}, false
		}
		seen[level] = true
		ups, _ := nginx.UpgradeHeaders(p.Nginx, list)
		if len(ups) == 0 {
			return lint.Finding{}, false
		}
		sent := "with `Connection: close`"
		if p.Opts.NginxVersion.AtLeast(nginx.V1_29_7) {
			sent = "with no `Connection` header"
		}
		f := p.Finding(ups[0].NameSpan(), "`Upgrade` is forwarded but `Connection` is not%s: handshakes reach the upstream %s, and coder/websocket and node `ws` answer 426",
			evidenceNote(loc), sent)
		edits, applies := withUpgradeMap(p, lint.InsertLinesAfter(ups[0].Outermost(level), "proxy_set_header Connection "+value+";"), value, mapEdit)
		return f.WithFix(applies, "Forward `Connection` from the upgrade map next to `Upgrade`", edits...), true
	}
	if seen[conn] {
		return lint.Finding{}, false
	}
	seen[conn] = true
	raw := conn.Args[1].Raw
	why := fmt.Sprintf("`Connection %s` has no `upgrade` token", raw)
	switch text := p.Nginx.Eval(conn.Arg(1), reqs[0]).Text; {
	case conn.Arg(1) == "":
		why = fmt.Sprintf("`Connection %s` sends no `Connection` header", raw)
	case !nginx.HasVariables(conn.Arg(1)):
	case text == "":
		why = fmt.Sprintf("`Connection %s` is empty for %s", raw, describeHandshakes(reqs, "connection"))
	default:
		why = fmt.Sprintf("`Connection %s` evaluates to `%s` for %s", raw, text, describeHandshakes(reqs, "connection"))
	}
	var m *nginx.Map
	if name, ok := onlyVariable(conn.Arg(1)); ok {
		m = p.Nginx.Map(name)
	}
	if m != nil {
		header := strings.ReplaceAll(strings.TrimPrefix(strings.ToLower(m.Source), "$http_"), "_", "-")
		entry, _ := p.Nginx.MatchMap(m, reqs[0])
		switch {
		case entry == nil && m.Default == nil:
			why = fmt.Sprintf("map `$%s` (keyed on `%s`) has no `default` and no key for %s, so it is empty", m.Var, m.Source, describeHandshakes(reqs, header))
		case entry != nil:
			why = fmt.Sprintf("map `$%s` (keyed on `%s`) gives `%s` for %s", m.Var, m.Source, entry.Value, describeHandshakes(reqs, header))
		}
	}
	f := p.Finding(conn.Args[1].Span, "%s: no `Connection: upgrade` reaches the upstream, and coder/websocket and node `ws` answer 426", why)
	if m != nil && m.Default == nil && strings.EqualFold(m.Source, "$http_upgrade") {
		if edit, ok := addMapDefault(m); ok {
			// The new default changes the variable wherever it is read: Safe
			// only when every reader is a `Connection` value (as in WS401).
			applies := lint.SafeUnless(!onlyConnectionUses(p.Nginx, m))
			return f.WithFix(applies, fmt.Sprintf("Add `default upgrade;` to map `$%s`", m.Var), edit), true
		}
	}
	if value == raw || value == conn.Arg(1) {
		return f, true
	}
	edits, applies := withUpgradeMap(p, lint.ReplaceArg(conn.Args[1], value), value, mapEdit)
	return f.WithFix(applies, fmt.Sprintf("Forward `Connection %s`", value), edits...), true
}

// addMapDefault returns an edit adding `default upgrade;` after the map's
// last entry.
func addMapDefault(m *nginx.Map) (source.TextEdit, bool) {
	for i := len(m.Block.Body) - 1; i >= 0; i-- {
		if d := m.Block.Body[i]; d.File() == m.Block.File() {
			return lint.InsertLinesAfter(d, "default upgrade;"), true
		}
	}
	return lint.InsertLinesInBlock(m.Block, "default upgrade;")
}
