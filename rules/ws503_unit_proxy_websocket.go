package rules

import (
	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/unit"
)

// UnitProxyWebSocket reports WebSocket routes handled by Unit's proxy,
// which cannot tunnel them.
var UnitProxyWebSocket = &lint.Rule{
	ID:       "WS503",
	Name:     "unit-proxy-websocket",
	Lang:     lint.Unit,
	Severity: lint.Error,
	Default:  true,
	Check:    checkUnitProxyWebSocket,
	Doc: lint.Doc{
		Summary: "WebSocket requests reach Unit's `proxy`, which cannot tunnel them",
		Why: "Unit's proxy (and `upstreams`) sends every request upstream as HTTP/1.1 with a hard-coded " +
			"`Connection: close` and never switches to a tunnel: a compliant backend refuses the handshake, " +
			"and a lenient one that answers 101 gets no frames (the client sees duplicated `Upgrade` headers, " +
			"then silence). Unit's validator accepts such routes (nginx/unit#361, never implemented).",
		Bad: "{\n    \"listeners\": {\"*:80\": {\"pass\": \"routes\"}},\n    \"routes\": [\n" +
			"        {\"match\": {\"uri\": \"/ws/*\"}, \"action\": {\"proxy\": \"http://127.0.0.1:8000\"}},\n" +
			"        {\"action\": {\"share\": \"/srv/www$uri\"}}\n    ],\n" +
			"    \"applications\": {\"chat\": {\"type\": \"python\", \"module\": \"asgi\", \"protocol\": \"asgi\"}}\n}\n",
		Good: "{\n    \"listeners\": {\"*:80\": {\"pass\": \"routes\"}},\n    \"routes\": [\n" +
			"        {\"match\": {\"uri\": \"/ws/*\"}, \"action\": {\"pass\": \"applications/chat\"}},\n" +
			"        {\"action\": {\"share\": \"/srv/www$uri\"}}\n    ],\n" +
			"    \"applications\": {\"chat\": {\"type\": \"python\", \"module\": \"asgi\", \"protocol\": \"asgi\"}}\n}\n",
		FixSafety: "No fix: run the WebSocket app under Unit (an ASGI or Node.js `unit-http` application) " +
			"and `pass` to it, or put nginx in front for the WebSocket paths; which one is a deployment choice.",
		References: []string{
			"https://github.com/nginx/unit/issues/361",
			"https://unit.nginx.org/configuration/#proxying",
		},
	},
}

func checkUnitProxyWebSocket(p *lint.Pass) (out []lint.Finding) {
	if !unitDoc(p) {
		return nil
	}
	seen := map[*unit.Value]bool{}
	for _, r := range p.UnitWebSocketRoutes() {
		var v *unit.Value
		what := ""
		if pv := r.Action.Get("proxy"); pv != nil && pv.Kind == unit.String && r.Step != nil {
			v, what = pv, "`proxy` "+unit.QuoteKey(pv.Str)
		} else if pv := r.Action.Get("pass"); pv != nil && pv.Kind == unit.String {
			if t, ok := unit.ParsePass(pv.Str); ok && t.Kind == unit.PassUpstream {
				v, what = pv, "upstream "+unit.QuoteKey(t.Name)
			}
		}
		if v == nil || seen[v] {
			continue
		}
		seen[v] = true
		where := "listener " + unit.QuoteKey(nameOf(r))
		if r.Step != nil {
			where = r.Step.String()
		}
		f := p.Finding(v.Span, "%s sends WebSocket handshakes to %s (%s), but Unit's proxy cannot tunnel WebSockets: "+
			"it forwards them with `Connection: close` and relays no frames", where, what, r.Reason)
		if !r.Evidence.Strong() {
			f = withSeverity(f, lint.Warning)
		}
		out = append(out, f)
	}
	return out
}

func nameOf(r unit.WSRoute) string {
	if r.Listener != nil {
		return r.Listener.Name
	}
	return ""
}
