package rules

import (
	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
)

// UpgradeHeadersMissing reports WebSocket locations that forward neither
// Upgrade nor a Connection with the upgrade token.
var UpgradeHeadersMissing = &lint.Rule{
	ID:       "WS101",
	Name:     "upgrade-headers-missing",
	Lang:     lint.Nginx,
	Severity: lint.Error,
	Default:  true,
	Check:    checkUpgradeHeadersMissing,
	Doc: lint.Doc{
		Summary: "proxied WebSocket location drops the upgrade headers",
		Why: "`Upgrade` and `Connection` are hop-by-hop headers: nginx does not forward them unless told " +
			"to, so the backend sees a plain GET. uvicorn/FastAPI answers 404, node `ws` and " +
			"coder/websocket 426 Upgrade Required, gorilla/websocket 400, and the browser reports a " +
			"failed handshake. This holds on every nginx version, 1.29.7+ included.",
		Bad: "map $http_upgrade $connection_upgrade {\n    default upgrade;\n    ''      close;\n}\n" +
			"server {\n    listen 80;\n    location /ws/ {\n        proxy_pass http://127.0.0.1:8000;\n" +
			"        proxy_http_version 1.1;\n        proxy_set_header Host $host;\n" +
			"        proxy_read_timeout 1h;\n    }\n}\n",
		Good: "map $http_upgrade $connection_upgrade {\n    default upgrade;\n    ''      close;\n}\n" +
			"server {\n    listen 80;\n    location /ws/ {\n        proxy_pass http://127.0.0.1:8000;\n" +
			"        proxy_http_version 1.1;\n        proxy_set_header Host $host;\n" +
			"        proxy_set_header Upgrade $http_upgrade;\n        proxy_set_header Connection $connection_upgrade;\n" +
			"        proxy_read_timeout 1h;\n    }\n}\n",
		FixSafety: "Safe when `Connection` can come from an upgrade map: the fix adds `Upgrade $http_upgrade` " +
			"and `Connection` from an existing `$http_upgrade` map (or adds the `$connection_upgrade` map " +
			"to this file's http context), and copies any inherited proxy_set_header lines, since a new " +
			"one in the location would stop their inheritance. Unsafe when no map can be added in this " +
			"file: the literal `Connection \"upgrade\"` would then go out on plain requests too (WS107), " +
			"or the map would be left to WS007 in another file; and Unsafe when nested locations inherit " +
			"the location's proxy_set_header list: they would start forwarding the upgrade headers too.",
		References: []string{"https://nginx.org/en/docs/http/websocket.html", "RFC 6455 §4.1", "RFC 9110 §7.6.1"},
	},
}

func checkUpgradeHeadersMissing(p *lint.Pass) (out []lint.Finding) {
	for _, loc := range p.WebSocketLocations() {
		if loc.Evidence == nginx.EvidenceOwnHeaders || loc.EnclosingUpgrade(p.Nginx) != nil {
			continue // it forwards some (WS102), or an enclosing level's are dropped (WS104)
		}
		pp := proxiedBy(loc.Location)
		if pp == nil {
			continue
		}
		missing := false
		for _, req := range nginx.Handshakes {
			up := loc.Simulate(p.Nginx, req, p.Opts.NginxVersion)
			hasUp, unkUp := up.Has("Upgrade")
			hasConn, unkConn := up.HasToken("Connection", "upgrade")
			if !hasUp && !hasConn && !unkUp && !unkConn {
				missing = true
			}
		}
		if !missing {
			continue
		}
		f := p.Finding(pp.NameSpan(), "WebSocket handshakes reach the upstream without `Upgrade` and `Connection: upgrade` (%s); the backend answers 404/426/400", wsWhy(loc))
		conn, mapEdit := connectionValue(p, loc.Location)
		lines := []string{"proxy_set_header Upgrade $http_upgrade;", "proxy_set_header Connection " + conn + ";"}
		if inherited, _ := loc.EffectiveList("proxy_set_header"); loc.InheritsList("proxy_set_header") {
			lines = append(inheritedLines(inherited, nil), lines...)
		}
		edit, ok := addHeaders(loc.Block, lines)
		if !ok {
			out = append(out, f)
			continue
		}
		// Safe only with the map variable (a literal `upgrade` would go out
		// on plain requests too: WS107), and unless nested locations without
		// their own list would inherit the new one.
		edits, safety := withUpgradeMap(p, edit, conn, mapEdit)
		if nestedInherit(loc.Location, "proxy_set_header") {
			safety = lint.Unsafe
		}
		out = append(out, f.WithFix(safety, "Forward `Upgrade` and `Connection` to the upstream", edits...))
	}
	return out
}

// proxiedBy returns the location's content handler when it is proxy_pass
// (Location.Handler: the last *_pass wins, `return` preempts all, a server
// that answers every request with `return` reaches no location), or nil.
func proxiedBy(l *nginx.Location) *nginx.Directive {
	if h := l.Handler(); h != nil && h.Name == "proxy_pass" {
		return h
	}
	return nil
}
