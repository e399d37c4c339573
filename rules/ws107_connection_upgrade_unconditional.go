package rules

import (
	"fmt"
	"strings"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
)

// ConnectionUpgradeUnconditional reports a literal `Connection upgrade` in
// a location that also serves plain HTTP.
var ConnectionUpgradeUnconditional = &lint.Rule{
	ID:       "WS107",
	Name:     "connection-upgrade-unconditional",
	Lang:     lint.Nginx,
	Severity: lint.Info,
	Default:  true,
	Check:    checkConnectionUpgradeUnconditional,
	Doc: lint.Doc{
		Summary: "literal `Connection upgrade` is sent on plain requests too",
		Why: "A hard-coded `proxy_set_header Connection \"upgrade\"` (websocket.html's first example, " +
			"the Socket.IO and code-server docs) tells the backend that every request through the " +
			"location wants a protocol switch. Node and Go backends ignore it, but uvicorn before 0.19 " +
			"(httptools) answers `400 Unsupported upgrade request.` to every plain request there. The " +
			"upgrade map sends `upgrade` only when the client asked for it.",
		Bad: "map $http_upgrade $connection_upgrade {\n    default upgrade;\n    ''      close;\n}\n" +
			"server {\n    listen 80;\n    location / {\n        proxy_pass http://127.0.0.1:8000;\n" +
			"        proxy_http_version 1.1;\n        proxy_read_timeout 1h;\n        proxy_set_header Upgrade $http_upgrade;\n" +
			"        proxy_set_header Connection \"upgrade\";\n    }\n}\n",
		Good: "map $http_upgrade $connection_upgrade {\n    default upgrade;\n    ''      close;\n}\n" +
			"server {\n    listen 80;\n    location / {\n        proxy_pass http://127.0.0.1:8000;\n" +
			"        proxy_http_version 1.1;\n        proxy_read_timeout 1h;\n        proxy_set_header Upgrade $http_upgrade;\n" +
			"        proxy_set_header Connection $connection_upgrade;\n    }\n}\n",
		FixSafety: "Safe: the fix replaces the literal with the upgrade map's variable (adding the map " +
			"when the file has an http context). Requests with `Upgrade` still send `Connection: " +
			"upgrade`; plain requests send the map's `close` instead, which is nginx's own default " +
			"before 1.29.7 (or nothing, with `'' ''` where upstream keepalive applies). Unsafe when the " +
			"existing map sends `close` while upstream keepalive applies (plain requests would stop " +
			"reusing upstream connections), or when the map would go in another file or is left to " +
			"WS007. No fix when no map can be added.",
		References: []string{"https://nginx.org/en/docs/http/websocket.html", "https://github.com/encode/uvicorn/pull/1661"},
	},
}

func checkConnectionUpgradeUnconditional(p *lint.Pass) (out []lint.Finding) {
	seen := map[*nginx.Directive]bool{}
	for _, loc := range p.Nginx.Locations() {
		if proxiedBy(loc) == nil || loc.IsExact() {
			continue // an `=` location is a single endpoint: WebSocket only
		}
		list, _ := loc.EffectiveList("proxy_set_header")
		for _, d := range list {
			if len(d.Args) != 2 || !strings.EqualFold(d.Arg(0), "connection") || nginx.HasVariables(d.Arg(1)) || seen[d] {
				continue
			}
			if yes, _ := (nginx.Value{Text: d.Arg(1)}).HasToken("upgrade"); !yes {
				continue
			}
			seen[d] = true
			where := fmt.Sprintf("location `%s` is not a WebSocket-only `=` endpoint", loc.Path)
			if d.Parent != loc.Block {
				// A line inherited from an enclosing level: name that level,
				// and the location that serves plain requests with it.
				where = fmt.Sprintf("set at %s, it reaches locations that are not WebSocket-only `=` endpoints", levelName(p.Nginx, d.Parent))
			}
			f := p.Finding(d.Args[1].Span, "`Connection %s` is sent on plain requests too (%s): "+
				"some backends (uvicorn < 0.19) answer 400 to every non-WebSocket request; use the upgrade map", d.Args[1].Raw, where)
			if d.Parent != loc.Block {
				f = f.WithRelated(loc.Block.HeaderSpan(), "location `%s` sends it with plain requests", loc.Path)
			}
			value, mapEdit := connectionValue(p, loc)
			if !strings.HasPrefix(value, "$") {
				out = append(out, f) // no map can be added
				continue
			}
			edits, applies := withUpgradeMap(p, lint.ReplaceArg(d.Args[1], value), value, mapEdit)
			if mapEdit == nil && closesKeepalive(p, value) {
				applies = lint.Unsafe
			}
			out = append(out, f.WithFix(applies, "Forward `Connection "+value+"` from the upgrade map", edits...))
		}
	}
	return out
}

// closesKeepalive reports whether an existing map variable sends
// `Connection: close` on plain requests while upstream keepalive applies.
func closesKeepalive(p *lint.Pass, value string) bool {
	name, ok := onlyVariable(value)
	if !ok || !keepaliveApplies(p) {
		return false
	}
	m := p.Nginx.Map(name)
	if m == nil {
		return false
	}
	v := p.Nginx.EvalMap(m, nginx.PlainRequest)
	yes, unknown := v.HasToken("close")
	return yes || unknown
}
