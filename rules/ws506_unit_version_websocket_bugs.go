package rules

import (
	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/unit"
)

// UnitVersionWebSocketBugs reports ASGI applications on Unit releases with
// the two WebSocket bugs fixed in 1.35.0.
var UnitVersionWebSocketBugs = &lint.Rule{
	ID:       "WS506",
	Name:     "unit-version-websocket-bugs",
	Lang:     lint.Unit,
	Severity: lint.Warning,
	Default:  true,
	Check:    checkUnitVersionWebSocketBugs,
	Doc: lint.Doc{
		Summary: "ASGI WebSockets on a Unit release before 1.35.0",
		Why: "Before 1.35.0 Unit's ASGI websocket scope carries `method`, which the ASGI spec does not allow: " +
			"Litestar rejects every handshake (nginx/unit#1507). And Unit takes Firefox's `Connection: " +
			"keep-alive, Upgrade` for plain HTTP, so Firefox users get a 200 instead of a 101 when browsers " +
			"reach Unit directly (nginx/unit#772; nginx in front hides it). Both are fixed in 1.35.0. Without " +
			"`--unit-version` wslint cannot tell, and reports this as info.",
		Bad: "{\n    \"listeners\": {\"*:80\": {\"pass\": \"applications/chat\"}},\n    \"applications\": {\n" +
			"        \"chat\": {\"type\": \"python\", \"module\": \"asgi\", \"protocol\": \"asgi\"}\n    }\n}\n",
		Good: "// wslint-test: {\"unit_version\": \"1.35.0\"}\n{\n    \"listeners\": {\"*:80\": {\"pass\": \"applications/chat\"}},\n    \"applications\": {\n" +
			"        \"chat\": {\"type\": \"python\", \"module\": \"asgi\", \"protocol\": \"asgi\"}\n    }\n}\n",
		FixSafety: "No fix: the remedy is upgrading Unit to 1.35.0 (or FreeUnit), then linting with `--unit-version`.",
		References: []string{
			"https://github.com/nginx/unit/issues/1507",
			"https://github.com/nginx/unit/issues/772",
			"https://github.com/nginx/unit/blob/master/CHANGES",
		},
	},
}

func checkUnitVersionWebSocketBugs(p *lint.Pass) (out []lint.Finding) {
	if !unitDoc(p) {
		return nil
	}
	known := false
	var v unit.Version
	if p.Opts.UnitVersion != "" {
		var err error
		if v, err = unit.ParseVersion(p.Opts.UnitVersion); err == nil {
			known = true
		}
	}
	if known && !v.Less(unit.V1_35_0) {
		return nil
	}
	for _, app := range asgiCandidates(p.Unit) {
		if known {
			out = append(out, p.Finding(app.Key, "Unit %s runs ASGI application %s with two WebSocket bugs fixed in 1.35.0: the websocket "+
				"scope carries `method` (Litestar rejects the handshake) and Firefox's `Connection: keep-alive, Upgrade` is taken "+
				"for plain HTTP when Unit is not behind nginx; upgrade to Unit 1.35.0", p.Opts.UnitVersion, unit.QuoteKey(app.Name)))
			continue
		}
		f := p.Finding(app.Key, "ASGI application %s needs Unit 1.35.0 or later for reliable WebSockets (earlier releases send `method` "+
			"in the websocket scope, which Litestar rejects, and miss Firefox's `Connection: keep-alive, Upgrade`); "+
			"pass `--unit-version` to check", unit.QuoteKey(app.Name))
		out = append(out, withSeverity(f, lint.Info))
	}
	return out
}
