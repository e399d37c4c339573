package rules

import (
	"slices"
	"strings"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx/spec"
)

// EndpointPathRedirected reports a proxied location named after a
// well-known WebSocket endpoint with a final '/' that the endpoint's clients
// open without it: nginx answers their handshake with a 301.
var EndpointPathRedirected = &lint.Rule{
	ID:       "WS113",
	Name:     "endpoint-path-redirected",
	Lang:     lint.Nginx,
	Severity: lint.Warning,
	Default:  true,
	Check:    checkEndpointPathRedirected,
	Doc: lint.Doc{
		Summary: "a well-known WebSocket URL gets a 301 from its location with a `/`",
		Why: "Some frameworks open one fixed URL without a final `/`: Rails ActionCable `/cable`, " +
			"Phoenix `/socket/websocket`, Home Assistant `/api/websocket`, Streamlit " +
			"`/_stcore/stream`, Jitsi `/xmpp-websocket`, Next.js `/_next/webpack-hmr`. A proxying " +
			"`location /cable/` makes nginx answer `/cable` with `301 Moved Permanently` to " +
			"`/cable/` (unless a location is named `/cable`), and a WebSocket client does not follow " +
			"it: the handshake fails. WS112 reports the same for the paths given with " +
			"`--ws-path`; this rule assumes the framework's default URL, hence a warning.",
		Bad: "location /cable/ {\n    proxy_pass http://127.0.0.1:3000;\n    proxy_http_version 1.1;\n    proxy_read_timeout 1h;\n" +
			"    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection \"upgrade\";\n    proxy_set_header Host $host;\n}\n",
		Good: "location /cable {\n    proxy_pass http://127.0.0.1:3000;\n    proxy_http_version 1.1;\n    proxy_read_timeout 1h;\n" +
			"    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection \"upgrade\";\n    proxy_set_header Host $host;\n}\n",
		FixSafety: "No fix: `location /cable` also matches `/cablex`, and with a URI in `proxy_pass` " +
			"(`proxy_pass http://app/;`) renaming the location changes the upstream URIs; an exact " +
			"`location = /cable` with the same proxying, or clients that open `/cable/`, are the " +
			"other ways out.",
		References: []string{
			"https://nginx.org/en/docs/http/ngx_http_core_module.html#location",
			"https://guides.rubyonrails.org/action_cable_overview.html",
		},
	},
}

func checkEndpointPathRedirected(p *lint.Pass) (out []lint.Finding) {
	known := p.Opts.Endpoints
	if known == nil {
		known = spec.DefaultEndpoints()
	}
	for _, s := range p.Nginx.Servers() {
		for _, loc := range s.All {
			if loc.IsRegex() || loc.IsNamed() || !loc.AutoRedirects() {
				continue
			}
			url := strings.TrimSuffix(loc.Path, "/")
			ep, ok := known.ClientURL(url)
			if !ok || s.Redirect(url) != loc || slices.Contains(p.Opts.WSPaths, url) {
				continue // another location takes the URL, or WS112 reports it
			}
			name, _, _ := strings.Cut(ep.What, " (")
			f := p.Finding(loc.Block.HeaderSpan(), "`%s` is the URL %s clients open by default, and nginx answers it with a 301 redirect to `%s/` from this location (a proxying location whose path ends in `/`, and none named `%s`); a WebSocket client does not follow it, so the handshake fails",
				url, name, url, url)
			if h := handlerOf(loc); h != nil {
				f = f.WithRelated(h.Span, "`%s` makes nginx redirect `%s`", h.String(), url)
			}
			out = append(out, f)
		}
	}
	return out
}
