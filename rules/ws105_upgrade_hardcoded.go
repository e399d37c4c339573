package rules

import (
	"strings"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
)

// UpgradeHardcoded reports `proxy_set_header Upgrade <literal>`: every
// proxied request, plain ones included, then asks the backend to upgrade.
var UpgradeHardcoded = &lint.Rule{
	ID:       "WS105",
	Name:     "upgrade-hardcoded",
	Lang:     lint.Nginx,
	Severity: lint.Error,
	Default:  true,
	Check:    checkUpgradeHardcoded,
	Doc: lint.Doc{
		Summary: "`Upgrade` is a literal, so plain requests become handshake attempts",
		Why: "`proxy_set_header Upgrade websocket` sends `Upgrade` on every request through the " +
			"location. Ordinary requests then look like broken handshakes: uvicorn answers `400 Failed " +
			"to open a WebSocket connection: missing Sec-WebSocket-Key header.`, node `ws` `400 Missing " +
			"or invalid Sec-WebSocket-Key header`. A backend that answers 101 anyway leaves the request " +
			"hanging, because nginx tunnels only when the client sent `Upgrade`, until " +
			"`proxy_read_timeout` ends it.",
		Bad: "map $http_upgrade $connection_upgrade {\n    default upgrade;\n    ''      close;\n}\n" +
			"server {\n    listen 80;\n    location / {\n        proxy_pass http://127.0.0.1:8000;\n" +
			"        proxy_http_version 1.1;\n        proxy_read_timeout 1h;\n        proxy_set_header Upgrade websocket;\n" +
			"        proxy_set_header Connection $connection_upgrade;\n    }\n}\n",
		Good: "map $http_upgrade $connection_upgrade {\n    default upgrade;\n    ''      close;\n}\n" +
			"server {\n    listen 80;\n    location / {\n        proxy_pass http://127.0.0.1:8000;\n" +
			"        proxy_http_version 1.1;\n        proxy_read_timeout 1h;\n        proxy_set_header Upgrade $http_upgrade;\n" +
			"        proxy_set_header Connection $connection_upgrade;\n    }\n}\n",
		FixSafety: "Safe: the fix replaces the literal with `$http_upgrade`, nginx's documented " +
			"recipe. A WebSocket handshake still sends `Upgrade: websocket`; requests without `Upgrade` " +
			"stop sending one (nginx skips an empty value). A client `Upgrade` other than `websocket` " +
			"is now forwarded as sent; WS301 covers restricting it. Unsafe when the line is in an " +
			"included file: the edit reaches every place that includes it.",
		References: []string{"https://nginx.org/en/docs/http/websocket.html", "https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_set_header"},
	},
}

func checkUpgradeHardcoded(p *lint.Pass) (out []lint.Finding) {
	seen := map[*nginx.Directive]bool{}
	for _, loc := range p.Nginx.Locations() {
		if proxiedBy(loc) == nil {
			continue // proxy_set_header applies to proxy_pass only
		}
		list, _ := loc.EffectiveList("proxy_set_header")
		for _, d := range list {
			// A block `proxy_set_header Upgrade websocket { }` is no header
			// line: nginx refuses it, and WS004 reports it.
			if d.IsBlock || len(d.Args) != 2 || !strings.EqualFold(d.Arg(0), "upgrade") || d.Arg(1) == "" || nginx.HasVariables(d.Arg(1)) || seen[d] {
				continue
			}
			seen[d] = true
			f := p.Finding(d.Args[1].Span, "`proxy_set_header Upgrade %s` sends `Upgrade` on every request, so plain requests become handshake attempts "+
				"(uvicorn and node `ws` answer 400; a backend answering 101 leaves them hanging)", d.Args[1].Raw)
			// A line in an included file changes every place that includes it.
			applies := lint.SafeUnless(d.Via != nil)
			out = append(out, f.WithFix(applies, "Forward the client's `Upgrade`: `$http_upgrade`", lint.ReplaceArg(d.Args[1], "$http_upgrade")))
		}
	}
	return out
}
