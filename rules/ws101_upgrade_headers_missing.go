package rules

import (
	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
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
		Bad:  "location /ws/ {\n    proxy_pass http://127.0.0.1:8000;\n}\n",
		Good: "location /ws/ {\n    proxy_pass http://127.0.0.1:8000;\n    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection \"upgrade\";\n}\n",
		FixSafety: "Safe: the fix adds `Upgrade $http_upgrade` and a `Connection` from the upgrade map " +
			"(adding the map when the file has an http context, else the literal `upgrade`), and " +
			"copies any inherited proxy_set_header lines, since a new one in the location would stop " +
			"their inheritance. Unsafe when nested locations inherit the location's proxy_set_header " +
			"list: they would start forwarding the upgrade headers too.",
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
		f := p.Finding(pp.NameSpan, "WebSocket handshakes reach the upstream without `Upgrade` and `Connection: upgrade` (%s); the backend answers 404/426/400", loc.Reason)
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
		edits := []source.TextEdit{edit}
		if mapEdit != nil {
			edits = append(edits, *mapEdit)
		}
		// Nested locations without their own list would inherit the new one.
		safety := lint.SafeUnless(nestedInherit(loc.Location, "proxy_set_header"))
		out = append(out, f.WithFix(safety, "Forward `Upgrade` and `Connection` to the upstream", edits...))
	}
	return out
}

// proxiedBy returns the proxy_pass of a location whose content handler is
// proxy_pass (the last *_pass wins; `return` preempts all), or nil.
func proxiedBy(l *nginx.Location) *nginx.Directive {
	hs := l.Handlers()
	if len(hs) == 0 {
		return nil
	}
	for _, h := range hs {
		if h.Name == "return" && h.Parent == l.Block {
			return nil
		}
	}
	if last := hs[len(hs)-1]; last.Name == "proxy_pass" {
		return last
	}
	return nil
}
