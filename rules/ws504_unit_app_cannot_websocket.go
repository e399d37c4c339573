package rules

import (
	"fmt"
	"sort"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/source"
	"github.com/wslint/wslint/lint/unit"
)

// UnitAppCannotWebSocket reports WebSocket routes passed to applications
// whose Unit language module cannot accept WebSockets.
var UnitAppCannotWebSocket = &lint.Rule{
	ID:       "WS504",
	Name:     "unit-app-cannot-websocket",
	Lang:     lint.Unit,
	Severity: lint.Error,
	Default:  true,
	Check:    checkUnitAppCannotWebSocket,
	Doc: lint.Doc{
		Summary: "WebSocket requests reach a Unit application that cannot accept them",
		Why: "Only Unit's ASGI (Python), Node.js (`unit-http`) and Java (javax.websocket) modules switch a " +
			"connection to WebSocket. A WSGI, Ruby, Perl, PHP, Go or WebAssembly application gets the " +
			"handshake as a plain HTTP request and answers it with 200, 404 or 403, so the browser reports " +
			"the WebSocket as failed (nginx/unit#385, #763). A Python app whose `protocol` is left to " +
			"detection works only if its callable is detected as ASGI.",
		Bad: "{\n    \"listeners\": {\"*:80\": {\"pass\": \"routes\"}},\n    \"routes\": [\n" +
			"        {\"match\": {\"uri\": \"/ws/*\"}, \"action\": {\"pass\": \"applications/chat\"}}\n    ],\n" +
			"    \"applications\": {\n        \"chat\": {\"type\": \"python\", \"module\": \"wsgi\", \"protocol\": \"wsgi\"}\n    }\n}\n",
		Good: "{\n    \"listeners\": {\"*:80\": {\"pass\": \"routes\"}},\n    \"routes\": [\n" +
			"        {\"match\": {\"uri\": \"/ws/*\"}, \"action\": {\"pass\": \"applications/chat\"}}\n    ],\n" +
			"    \"applications\": {\n        \"chat\": {\"type\": \"python\", \"module\": \"asgi\", \"protocol\": \"asgi\"}\n    }\n}\n",
		FixSafety: "Safe for a Python application whose `protocol` is left to detection, on a route with direct " +
			"WebSocket evidence (an `Upgrade` match or a WebSocket path) and at most one target: the fix adds " +
			"`\"protocol\": \"asgi\"`, the only protocol that serves those requests, which changes nothing for an " +
			"app Unit already detects as ASGI. Unsafe when the evidence is only a catch-all route or the app has " +
			"several targets (the protocol applies to all of them). No fix for the other languages: the app " +
			"itself must change.",
		References: []string{
			"https://unit.nginx.org/configuration/#python",
			"https://github.com/nginx/unit/issues/385",
			"https://unit.nginx.org/howto/fastapi/",
		},
	},
}

func checkUnitAppCannotWebSocket(p *lint.Pass) (out []lint.Finding) {
	if !unitDoc(p) {
		return nil
	}
	seenRef := map[*unit.Value]bool{}
	fixed := map[string]bool{}
	routes := p.UnitWebSocketRoutes()
	// The protocol fix goes with the strongest evidence for each app.
	sort.SliceStable(routes, func(i, j int) bool { return routes[i].Evidence > routes[j].Evidence })
	for _, r := range routes {
		app, ref := routeApp(p.Unit, r)
		if app == nil || seenRef[ref] {
			continue
		}
		seenRef[ref] = true
		where := r.Reason
		sev, msg := lint.Error, ""
		switch app.Lang {
		case "python":
			pr := app.Member("protocol")
			switch {
			case pr == nil:
				sev = lint.Info
				msg = fmt.Sprintf("WebSocket handshakes reach Python application %s (%s), whose `protocol` is left to detection: "+
					"only ASGI serves WebSockets, and a callable Unit detects as WSGI answers them as plain HTTP", unit.QuoteKey(app.Name), where)
			case pr.Kind == unit.String && pr.Str == "wsgi":
				msg = fmt.Sprintf("WebSocket handshakes reach Python application %s (%s), but it runs as WSGI, which has no WebSocket support in Unit: "+
					"they are answered as plain HTTP requests; use an ASGI app with `\"protocol\": \"asgi\"`", unit.QuoteKey(app.Name), where)
			default:
				continue // asgi, or a value WS501 reports
			}
		case "ruby", "perl", "php", "go", "wasm", "wasm-wasi-component":
			lang := langNames[app.Lang]
			msg = fmt.Sprintf("WebSocket handshakes reach %s application %s (%s), but Unit's %s module cannot accept WebSockets: "+
				"they are answered as plain HTTP requests (nginx/unit#385)", lang, unit.QuoteKey(app.Name), where, lang)
		case "java":
			sev = lint.Info
			msg = fmt.Sprintf("WebSocket handshakes reach Java application %s (%s): Unit supports only javax.websocket (JSR-356), "+
				"so Jakarta WebSocket apps such as Spring Boot 3 cannot upgrade", unit.QuoteKey(app.Name), where)
		case "external":
			if !app.IsNode() {
				continue // a Go binary or a libunit program: the type does not say
			}
			sev = lint.Info
			msg = fmt.Sprintf("WebSocket handshakes reach Node.js application %s (%s): under Unit only `unit-http`'s `websocket` module "+
				"accepts them; the `ws` package does not work (nginx/unit#981)", unit.QuoteKey(app.Name), where)
		default:
			continue
		}
		if sev == lint.Error && !r.Evidence.Strong() {
			sev = lint.Warning
		}
		f := withSeverity(p.Finding(ref.Span, "%s", msg), sev).WithRelated(app.Key, "application %s is defined here", unit.QuoteKey(app.Name))
		if app.Lang == "python" && app.Member("protocol") == nil && !fixed[app.Name] {
			if edits, ok := lint.InsertMember(app.Value, "protocol", `"asgi"`); ok {
				fixed[app.Name] = true
				safety := lint.SafeUnless(!r.Evidence.Strong() || targetCount(app) > 1)
				f = f.WithFix(safety, fmt.Sprintf("Declare `\"protocol\": \"asgi\"` in application `%s`", app.Name), edits...)
			}
		}
		out = append(out, f)
	}
	return lint.Sort(out, []*source.File{p.Unit.File})
}

var langNames = map[string]string{"ruby": "Ruby", "perl": "Perl", "php": "PHP", "go": "Go", "wasm": "WebAssembly", "wasm-wasi-component": "WebAssembly component"}

func targetCount(a *unit.App) int {
	if t := a.Member("targets"); t != nil && t.Kind == unit.Object {
		return len(t.Members)
	}
	return 0
}
