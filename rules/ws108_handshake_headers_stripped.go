package rules

import (
	"fmt"
	"maps"
	"strings"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
)

// HandshakeHeadersStripped reports WebSocket locations that keep handshake
// headers from the upstream or the 101's headers from the client.
var HandshakeHeadersStripped = &lint.Rule{
	ID:       "WS108",
	Name:     "handshake-headers-stripped",
	Lang:     lint.Nginx,
	Severity: lint.Error,
	Default:  true,
	Check:    checkHandshakeHeadersStripped,
	Doc: lint.Doc{
		Summary: "a WebSocket location strips headers the handshake needs",
		Why: "The backend needs the client's `Sec-WebSocket-Key` and `Sec-WebSocket-Version`, and the " +
			"browser needs the 101's `Upgrade` and `Sec-WebSocket-Accept`. `proxy_pass_request_headers " +
			"off` or an empty `proxy_set_header Sec-WebSocket-Key` removes the former: node `ws` answers " +
			"400 `Missing or invalid Sec-WebSocket-Key header`, uvicorn 400, coder/websocket 400 " +
			"`missing Sec-WebSocket-Key` (or `unsupported WebSocket protocol version` when " +
			"`Sec-WebSocket-Version` is gone too). `proxy_hide_header Sec-WebSocket-Accept` or " +
			"`Upgrade` removes the latter: nginx still tunnels, but the client rejects the 101. An empty " +
			"`Sec-WebSocket-Protocol` breaks subprotocol apps such as GraphQL over WebSocket (warning).",
		Bad: "map $http_upgrade $connection_upgrade {\n    default upgrade;\n    ''      close;\n}\n" +
			"server {\n    listen 80;\n    location /ws/ {\n        proxy_pass http://127.0.0.1:8000;\n" +
			"        proxy_http_version 1.1;\n        proxy_read_timeout 1h;\n        proxy_pass_request_headers off;\n" +
			"        proxy_set_header Upgrade $http_upgrade;\n" +
			"        proxy_set_header Connection $connection_upgrade;\n    }\n}\n",
		Good: "map $http_upgrade $connection_upgrade {\n    default upgrade;\n    ''      close;\n}\n" +
			"server {\n    listen 80;\n    location /ws/ {\n        proxy_pass http://127.0.0.1:8000;\n" +
			"        proxy_http_version 1.1;\n        proxy_read_timeout 1h;\n        proxy_pass_request_headers on;\n" +
			"        proxy_set_header Upgrade $http_upgrade;\n" +
			"        proxy_set_header Connection $connection_upgrade;\n    }\n}\n",
		FixSafety: "For `proxy_pass_request_headers off` the Safe fix keeps the setting (it may be " +
			"meant for other headers) and forwards the `Sec-WebSocket-*` headers explicitly with " +
			"`$http_sec_websocket_*` values, which are sent only when the client sends them; it copies " +
			"any inherited proxy_set_header lines, since a new one in the location would stop their " +
			"inheritance. Forwarding `Origin` as well is an Unsafe alternative: browsers also send it on " +
			"cross-origin and POST requests, where a backend's CSRF check may then reject it. Removing " +
			"the directive is another Unsafe alternative: it forwards every client header again. An empty `proxy_set_header Sec-WebSocket-*` or a `proxy_hide_header " +
			"Sec-WebSocket-Accept` is deleted: Safe, since only handshakes carry these headers, unless " +
			"it is the level's only entry of its list and an enclosing level defines that list (the " +
			"location would then inherit it whole), or the line is in an included file. Deleting " +
			"`proxy_hide_header Upgrade` is Unsafe: it is also used to hide a backend's `Upgrade: " +
			"h2,h2c` advertisement on ordinary responses (Apache), which Safari rejects over HTTP/2.",
		References: []string{
			"https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_pass_request_headers",
			"https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_hide_header", "RFC 6455 §4.1, §4.2.2",
		},
	},
}

// handshakeRequestHeaders are the client headers the backend needs, with the
// severity of losing them.
var handshakeRequestHeaders = []struct {
	name string
	sev  lint.Severity
}{
	{"Sec-WebSocket-Key", lint.Error},
	{"Sec-WebSocket-Version", lint.Error},
	{"Sec-WebSocket-Protocol", lint.Warning},
}

// reAdded are the handshake headers a fix forwards explicitly: only
// handshakes carry them. Origin (nginx-semantics.md §11 f) is re-added by
// a separate, Unsafe alternative: browsers send it on plain requests too.
var reAdded = []string{"Sec-WebSocket-Key", "Sec-WebSocket-Version", "Sec-WebSocket-Protocol", "Sec-WebSocket-Extensions"}

// subprotocolHandshake is a Chromium handshake offering a subprotocol, with
// its own name and header map (simulations are memoized by both).
var subprotocolHandshake = func() nginx.Request {
	req := nginx.ChromiumHandshake
	req.Name = "Chromium handshake with a subprotocol"
	req.Header = maps.Clone(req.Header)
	req.Header["sec-websocket-protocol"] = "graphql-ws"
	return req
}()

func checkHandshakeHeadersStripped(p *lint.Pass) (out []lint.Finding) {
	req := subprotocolHandshake
	seen := map[*nginx.Directive]bool{}
	for _, loc := range p.WebSocketLocations() {
		pp := proxiedBy(loc.Location)
		if pp == nil {
			continue
		}
		list, level := loc.EffectiveList("proxy_set_header")
		// Handshake headers cleared with an empty proxy_set_header.
		for _, d := range list {
			for _, h := range handshakeRequestHeaders {
				if len(d.Args) != 2 || !strings.EqualFold(d.Arg(0), h.name) || d.Arg(1) != "" || seen[d] {
					continue
				}
				seen[d] = true
				f := p.Finding(d.Args[1].Span, "`proxy_set_header %s %s` removes the client's `%s` from the handshake: %s",
					d.Arg(0), d.Args[1].Raw, h.name, strippedEffect(h.name))
				f.Severity = h.sev
				edit, applies := deleteListEntry(d, level)
				out = append(out, f.WithFix(applies, fmt.Sprintf("Remove the line, so the client's `%s` is forwarded", h.name), edit))
			}
		}
		// proxy_pass_request_headers off.
		if prh := loc.Effective("proxy_pass_request_headers"); prh != nil && strings.EqualFold(prh.Arg(0), "off") {
			if f, ok := requestHeadersOff(p, loc.Location, pp, prh, req, list); ok {
				out = append(out, f)
			}
		}
		// Response headers hidden from the client.
		hides, hlevel := loc.EffectiveList("proxy_hide_header")
		for _, h := range hides {
			name := h.Arg(0)
			if !strings.EqualFold(name, "Upgrade") && !strings.EqualFold(name, "Sec-WebSocket-Accept") || seen[h] {
				continue
			}
			seen[h] = true
			f := p.Finding(h.Args[0].Span, "`proxy_hide_header %s` removes `%s` from the 101 response: nginx tunnels, but the client rejects the handshake%s",
				name, name, hiddenEffect(name))
			edit, applies := deleteListEntry(h, hlevel)
			if strings.EqualFold(name, "Upgrade") {
				applies = lint.Unsafe // also hides e.g. Apache's `Upgrade: h2,h2c` on plain responses
			}
			out = append(out, f.WithFix(applies, fmt.Sprintf("Remove `proxy_hide_header %s`", name), edit))
		}
	}
	return out
}

func requestHeadersOff(p *lint.Pass, loc *nginx.Location, pp, prh *nginx.Directive, req nginx.Request, list []*nginx.Directive) (lint.Finding, bool) {
	u := loc.Simulate(p.Nginx, req, p.Opts.NginxVersion)
	var missing []string
	sev := lint.Warning
	for _, h := range handshakeRequestHeaders {
		if listNames(list, h.name) {
			continue // set explicitly: reported above when empty
		}
		if has, unk := u.Has(h.name); has || unk {
			continue
		}
		missing = append(missing, "`"+h.name+"`")
		if h.sev == lint.Error {
			sev = lint.Error
		}
	}
	if len(missing) == 0 {
		return lint.Finding{}, false
	}
	what := "`proxy_pass_request_headers off`"
	span := prh.Args[0].Span
	owned := writtenInLocation(prh, loc)
	if !owned {
		span = pp.NameSpan()
		what = fmt.Sprintf("`proxy_pass_request_headers off` (inherited from %s)", placeOf(prh, span.File))
	}
	origin := ""
	if has, unk := u.Has("Origin"); !has && !unk {
		origin = "; `Origin` does not reach it either (backends that check it may refuse the handshake)"
	}
	f := p.Finding(span, "%s keeps the client's %s from the upstream: %s%s", what, strings.Join(missing, ", "), strippedEffect(missing...), origin)
	f.Severity = sev
	if !owned {
		f = f.WithRelated(prh.Span, "`proxy_pass_request_headers off` is set here")
	}
	var lines []string
	for _, h := range reAdded {
		if !listNames(list, h) {
			lines = append(lines, forwardLine(h))
		}
	}
	if edit, ok := addHeaders(loc.Block, withInherited(loc, lines)); ok {
		f = f.WithFix(lint.Safe, "Forward the `Sec-WebSocket-*` headers explicitly", edit)
	}
	if origin != "" {
		// Browsers send Origin on cross-origin and POST requests too, so
		// forwarding it changes plain requests (a CSRF check may now see it).
		if edit, ok := addHeaders(loc.Block, withInherited(loc, append(lines, forwardLine("Origin")))); ok {
			f = f.WithFix(lint.Unsafe, "Forward the `Sec-WebSocket-*` headers and `Origin` explicitly", edit)
		}
	}
	if owned && prh.Via == nil {
		f = f.WithFix(lint.Unsafe, "Remove `proxy_pass_request_headers off`", lint.DeleteDirective(prh))
	}
	return f, true
}

// forwardLine is the proxy_set_header line that forwards the client's
// header h: `proxy_set_header Origin $http_origin;`.
func forwardLine(h string) string {
	return fmt.Sprintf("proxy_set_header %s $http_%s;", h, strings.ReplaceAll(strings.ToLower(h), "-", "_"))
}

// strippedEffect is what backends answer when the named request headers
// (lowercase) do not reach them (ver: coder/websocket behind nginx 1.22.1;
// node `ws` and uvicorn from nginx-semantics.md §11 f).
func strippedEffect(missing ...string) string {
	has := map[string]bool{}
	for _, m := range missing {
		has[strings.ToLower(strings.Trim(m, "`"))] = true
	}
	switch {
	case has["sec-websocket-key"] && has["sec-websocket-version"]:
		return "handshakes fail with 400 (node `ws`: `Missing or invalid Sec-WebSocket-Key header`; uvicorn: `missing Sec-WebSocket-Key header`; " +
			"coder/websocket: `unsupported WebSocket protocol version`)"
	case has["sec-websocket-key"]:
		return "handshakes fail with 400 (node `ws`: `Missing or invalid Sec-WebSocket-Key header`; coder/websocket: `missing Sec-WebSocket-Key`)"
	case has["sec-websocket-version"]:
		return "handshakes fail with 400 (node `ws`: `Missing or invalid Sec-WebSocket-Version header`; coder/websocket: `unsupported WebSocket protocol version`)"
	}
	return "the backend sees no subprotocol offer, so subprotocol apps (GraphQL over WebSocket) refuse the connection, and Chromium fails " +
		"a 101 that selects none of the subprotocols it asked for"
}

func hiddenEffect(name string) string {
	if strings.EqualFold(name, "Upgrade") {
		return " (browsers and node `ws` refuse a 101 without `Upgrade: websocket`)"
	}
	return " (node `ws`: `Invalid Sec-WebSocket-Accept header`)"
}
