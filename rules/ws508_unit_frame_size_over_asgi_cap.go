package rules

import (
	"strings"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/unit"
)

// unitASGIMessageCap is the per-message limit hard-coded in Unit's ASGI
// module (nxt_py_asgi_ws_max_frame_size).
const unitASGIMessageCap = 1048576

// UnitFrameSizeOverASGICap reports a max_frame_size that ASGI apps cannot
// benefit from.
var UnitFrameSizeOverASGICap = &lint.Rule{
	ID:       "WS508",
	Name:     "unit-frame-size-over-asgi-cap",
	Lang:     lint.Unit,
	Severity: lint.Info,
	Default:  true,
	Check:    checkUnitFrameSizeOverASGICap,
	Doc: lint.Doc{
		Summary: "`max_frame_size` above 1 MiB does not help Unit's ASGI applications",
		Why: "Unit's Python module caps every reassembled WebSocket message at 1 MiB (and buffers at most " +
			"10 MiB) whatever `settings.http.websocket.max_frame_size` says, so an ASGI app still cannot " +
			"receive larger messages: raising the router's limit only moves where the connection fails.",
		Bad: "{\n    \"settings\": {\"http\": {\"websocket\": {\"max_frame_size\": 8388608}}},\n" +
			"    \"listeners\": {\"*:80\": {\"pass\": \"applications/chat\"}},\n" +
			"    \"applications\": {\"chat\": {\"type\": \"python\", \"module\": \"asgi\", \"protocol\": \"asgi\"}}\n}\n",
		Good: "{\n    \"settings\": {\"http\": {\"websocket\": {\"max_frame_size\": 1048576}}},\n" +
			"    \"listeners\": {\"*:80\": {\"pass\": \"applications/chat\"}},\n" +
			"    \"applications\": {\"chat\": {\"type\": \"python\", \"module\": \"asgi\", \"protocol\": \"asgi\"}}\n}\n",
		FixSafety: "No fix: the limit also applies to the configuration's other applications (Node.js, Java), " +
			"which may need it; large payloads need chunking in the ASGI app.",
		References: []string{
			"https://github.com/nginx/unit/blob/master/src/python/nxt_python_asgi_websocket.c",
		},
	},
}

func checkUnitFrameSizeOverASGICap(p *lint.Pass) []lint.Finding {
	if !unitDoc(p) {
		return nil
	}
	ws := p.Unit.WebSocketSettings()
	mf, ok := ws.Int("max_frame_size")
	if !ok || mf <= unitASGIMessageCap {
		return nil
	}
	apps := asgiCandidates(p.Unit)
	if len(apps) == 0 {
		return nil
	}
	var names []string
	for _, a := range apps {
		names = append(names, unit.QuoteKey(a.Name))
	}
	f := p.Finding(ws.Get("max_frame_size").Span, "`max_frame_size` %d is above the 1 MiB message cap of Unit's ASGI module: "+
		"%s still cannot receive messages over %d bytes", mf, plural(len(names), "application ", "applications ")+strings.Join(names, ", "), unitASGIMessageCap)
	return []lint.Finding{f}
}
