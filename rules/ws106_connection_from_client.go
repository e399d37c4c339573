package rules

import (
	"strings"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
)

// ConnectionFromClient reports `proxy_set_header Connection $http_connection`:
// the client's hop-by-hop tokens go upstream verbatim.
var ConnectionFromClient = &lint.Rule{
	ID:       "WS106",
	Name:     "connection-from-client",
	Lang:     lint.Nginx,
	Severity: lint.Warning,
	Default:  true,
	Check:    checkConnectionFromClient,
	Doc: lint.Doc{
		Summary: "`Connection` is copied from the client",
		Why: "WebSocket handshakes work with `Connection $http_connection` (Firefox's `keep-alive, " +
			"Upgrade` passes verbatim), but so does every other token a client sends: `close`, " +
			"`keep-alive`, `HTTP2-Settings`. Together with a forwarded `Upgrade`, a request with " +
			"`Upgrade: h2c` reaches the backend as a valid h2c upgrade; a backend that accepts it " +
			"serves further HTTP/2 requests on the tunnel, bypassing nginx's location rules (a " +
			"`deny all` on `/admin` no longer applies).",
		Bad: "map $http_upgrade $connection_upgrade {\n    default upgrade;\n    ''      close;\n}\n" +
			"server {\n    listen 80;\n    location /ws/ {\n        proxy_pass http://127.0.0.1:8000;\n" +
			"        proxy_http_version 1.1;\n        proxy_read_timeout 1h;\n        proxy_set_header Upgrade $http_upgrade;\n" +
			"        proxy_set_header Connection $http_connection;\n    }\n}\n",
		Good: "map $http_upgrade $connection_upgrade {\n    default upgrade;\n    ''      close;\n}\n" +
			"server {\n    listen 80;\n    location /ws/ {\n        proxy_pass http://127.0.0.1:8000;\n" +
			"        proxy_http_version 1.1;\n        proxy_read_timeout 1h;\n        proxy_set_header Upgrade $http_upgrade;\n" +
			"        proxy_set_header Connection $connection_upgrade;\n    }\n}\n",
		FixSafety: "Unsafe: the fix replaces `$http_connection` with the upgrade map's variable (adding " +
			"the map when needed). Handshakes still send `Connection: upgrade`, but every plain request " +
			"changes what it sends upstream: the client's `keep-alive` or `close` becomes the map's " +
			"`close` (or nothing, with `'' ''`), which can change upstream connection reuse, and a " +
			"backend that relied on the client's tokens no longer sees them. Review it before applying.",
		References: []string{"https://nginx.org/en/docs/http/websocket.html", "RFC 9110 §7.6.1", "RFC 7540 §3.2"},
	},
}

func checkConnectionFromClient(p *lint.Pass) (out []lint.Finding) {
	seen := map[*nginx.Directive]bool{}
	for _, loc := range p.Nginx.Locations() {
		if proxiedBy(loc) == nil {
			continue
		}
		list, _ := loc.EffectiveList("proxy_set_header")
		for _, d := range list {
			if len(d.Args) != 2 || !strings.EqualFold(d.Arg(0), "connection") || !fromClient(d.Arg(1)) || seen[d] {
				continue
			}
			seen[d] = true
			smuggling := ""
			if forwardsH2C(p, loc) {
				smuggling = "; with `Upgrade` forwarded, a client's `Upgrade: h2c` reaches the backend as a valid h2c upgrade (request smuggling past location rules)"
			}
			f := p.Finding(d.Args[1].Span, "`Connection %s` forwards the client's hop-by-hop tokens (`close`, `keep-alive`, `HTTP2-Settings`) upstream%s",
				d.Args[1].Raw, smuggling)
			value, mapEdit := connectionValue(p, loc)
			edits, _ := withUpgradeMap(p, lint.ReplaceArg(d.Args[1], value), value, mapEdit)
			out = append(out, f.WithFix(lint.Unsafe, "Forward `Connection "+value+"` instead of the client's", edits...))
		}
	}
	return out
}

// forwardsH2C reports whether an h2c upgrade attempt reaches the upstream
// through loc with `Upgrade: h2c` (as WS301 simulates it): not when
// `Upgrade` comes from a map that keeps only `websocket`.
func forwardsH2C(p *lint.Pass, loc *nginx.Location) bool {
	up := loc.Simulate(p.Nginx, h2cUpgrade, p.Opts.NginxVersion)
	for _, h := range up.Header("Upgrade") {
		if yes, _ := h.Value.HasToken("h2c"); yes {
			return true
		}
	}
	return false
}
