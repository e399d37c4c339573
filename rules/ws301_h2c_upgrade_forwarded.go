package rules

import (
	"slices"
	"strings"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
)

// H2CUpgradeForwarded reports locations that forward any client upgrade
// token, so `Upgrade: h2c` reaches the backend (h2c smuggling).
var H2CUpgradeForwarded = &lint.Rule{
	ID:       "WS301",
	Name:     "h2c-upgrade-forwarded",
	Lang:     lint.Nginx,
	Severity: lint.Warning,
	Default:  true,
	Check:    checkH2CUpgradeForwarded,
	Doc: lint.Doc{
		Summary: "`Upgrade` forwards any protocol, so h2c upgrades reach the backend",
		Why: "nginx tunnels after any 101, whatever the `Upgrade` token. With `Upgrade $http_upgrade` and " +
			"`Connection $http_connection`, a client sending `Upgrade: h2c` and `Connection: Upgrade, " +
			"HTTP2-Settings` gets a 101 from an h2c-capable backend (Go's x/net/http2/h2c), then sends " +
			"HTTP/2 requests through the tunnel: `location /admin { deny all; }` is bypassed and the " +
			"backend serves /admin. With `Connection: upgrade` (the upgrade map) Go's h2c does not " +
			"switch, but a lenient backend can: info.",
		Bad: "server {\n    listen 80;\n    location /ws/ {\n        proxy_pass http://127.0.0.1:8000;\n" +
			"        proxy_http_version 1.1;\n        proxy_read_timeout 1h;\n        proxy_set_header Upgrade $http_upgrade;\n" +
			"        proxy_set_header Connection $http_connection;\n    }\n}\n",
		Good: "map $http_upgrade $ws_upgrade {\n    ~*^websocket$ websocket;\n    default       \"\";\n}\n" +
			"map $http_upgrade $connection_upgrade { default upgrade; '' close; }\n" +
			"server {\n    listen 80;\n    location /ws/ {\n        proxy_pass http://127.0.0.1:8000;\n" +
			"        proxy_http_version 1.1;\n        proxy_read_timeout 1h;\n        proxy_set_header Upgrade $ws_upgrade;\n" +
			"        proxy_set_header Connection $connection_upgrade;\n    }\n}\n",
		FixSafety: "Unsafe: the fix forwards `Upgrade` only when it is `websocket` (a `$ws_upgrade` map, " +
			"added to the file's http context or reused), so backends that rely on other upgrade " +
			"protocols through this location (SPDY for `kubectl exec`, h2c, TLS/1.0) stop receiving them. " +
			"No fix when the map cannot be added to the file that sets `Upgrade`.",
		References: []string{
			"https://bishopfox.com/blog/h2c-smuggling-request",
			"https://nginx.org/en/docs/http/websocket.html",
			"https://nginx.org/en/docs/http/ngx_http_map_module.html",
			"RFC 7540 §3.2",
		},
	},
}

var wsUpgradeMapLines = []string{"map $http_upgrade $ws_upgrade {", "    ~*^websocket$ websocket;", `    default       "";`, "}"}

func checkH2CUpgradeForwarded(p *lint.Pass) (out []lint.Finding) {
	seen := map[*nginx.Directive]bool{}
	fix := wsUpgradeFixer(p)
	for _, loc := range p.Nginx.Locations() {
		if proxiedBy(loc) == nil || !setsUpgrade(loc) {
			continue // only a proxy_set_header Upgrade can forward h2c
		}
		up := loc.Simulate(p.Nginx, h2cUpgrade, p.Opts.NginxVersion)
		var upgrade *nginx.Directive
		for _, h := range up.Header("Upgrade") {
			if yes, _ := h.Value.HasToken("h2c"); yes && h.From != nil {
				upgrade = h.From
			}
		}
		conn, unk := up.HasToken("Connection", "upgrade")
		if upgrade == nil || !conn || unk || seen[upgrade] || len(upgrade.Args) != 2 {
			continue
		}
		seen[upgrade] = true
		arg := upgrade.Args[1]
		settings, _ := up.HasToken("Connection", "HTTP2-Settings")
		var f lint.Finding
		if settings {
			f = p.Finding(arg.Span, "`Upgrade %s` forwards any protocol the client asks for, and `Connection` passes the client's tokens: "+
				"`Upgrade: h2c` with `Connection: Upgrade, HTTP2-Settings` reaches the upstream, and an h2c backend then serves "+
				"HTTP/2 requests through the tunnel, past this server's location access rules", arg.Raw)
		} else {
			f = p.Finding(arg.Span, "`Upgrade %s` forwards any protocol the client asks for, `h2c` included, with `Connection: upgrade`: "+
				"a lenient h2c backend can switch protocols and serve requests past this server's location access rules", arg.Raw)
			f.Severity = lint.Info
		}
		for _, h := range up.Header("Connection") {
			if h.From != nil {
				f = f.WithRelated(h.From.Span, "`Connection %s` is forwarded here", h.From.Args[1].Raw)
			}
		}
		if edits := fix(arg); edits != nil {
			f = f.WithFix(lint.Unsafe, "Forward `Upgrade` only when it is `websocket`", edits...)
		}
		out = append(out, f)
	}
	return out
}

// wsUpgradeFix returns the edits that make arg `$ws_upgrade` (or an
// existing map that keeps only `websocket`), adding the map when needed.
// wsUpgradeFixer returns the fix maker of one run: it forwards `Upgrade`
// through an existing map that keeps only `websocket`, or through a new
// `$ws_upgrade` map. Which map, and where a new one goes, is decided once
// per file: a large configuration has this finding in every server.
func wsUpgradeFixer(p *lint.Pass) func(arg nginx.Arg) []source.TextEdit {
	existing, decided := "", false
	placements := map[*source.File]*source.TextEdit{}
	return func(arg nginx.Arg) []source.TextEdit {
		if !decided {
			decided = true
			for _, m := range p.Nginx.MapsInOrder() {
				if strings.EqualFold(m.Source, "$http_upgrade") && keepsOnlyWebSocket(p.Nginx, m) {
					existing = m.Var
					break
				}
			}
		}
		if existing != "" {
			return []source.TextEdit{lint.ReplaceArg(arg, "$"+existing)}
		}
		if mapNameTaken(p.Nginx, "ws_upgrade") {
			return nil // the name is taken by a map that forwards other tokens
		}
		f := arg.Span.File
		mapEdit, done := placements[f]
		if !done {
			if e, ok := mapPlacement(p, f, wsUpgradeMapLines); ok && e.File == f {
				mapEdit = &e
			}
			placements[f] = mapEdit
		}
		if mapEdit == nil {
			return nil
		}
		return []source.TextEdit{lint.ReplaceArg(arg, "$ws_upgrade"), *mapEdit}
	}
}

// keepsOnlyWebSocket reports whether a map over $http_upgrade yields
// `websocket` for both browser handshakes and nothing for h2c.
func keepsOnlyWebSocket(c *nginx.Config, m *nginx.Map) bool {
	for _, req := range nginx.Handshakes {
		if v := c.EvalMap(m, req); v.Unknown || !strings.EqualFold(v.Text, "websocket") {
			return false
		}
	}
	return c.EvalMap(m, h2cUpgrade).Empty()
}

// setsUpgrade reports whether the location's effective proxy_set_header
// list has an `Upgrade` entry.
func setsUpgrade(loc *nginx.Location) bool {
	list, _ := loc.EffectiveList("proxy_set_header")
	return slices.ContainsFunc(list, func(d *nginx.Directive) bool { return strings.EqualFold(d.Arg(0), "upgrade") })
}
