package rules

import (
	"fmt"
	"strconv"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/unit"
)

// Unit's defaults for settings.http.websocket (nxt_router_conf_create).
const (
	unitWSReadTimeout  = 60
	unitWSKeepalive    = 30
	unitWSMaxFrameSize = 1048576
)

// UnitWebSocketTimeouts reports settings.http.websocket values that Unit
// accepts but that break or cannot keep WebSockets alive.
var UnitWebSocketTimeouts = &lint.Rule{
	ID:       "WS505",
	Name:     "unit-websocket-timeouts",
	Lang:     lint.Unit,
	Severity: lint.Warning,
	Default:  true,
	Check:    checkUnitWebSocketTimeouts,
	Doc: lint.Doc{
		Summary: "`settings.http.websocket` values that cannot keep WebSockets open",
		Why: "Unit closes a WebSocket with 1001 after `read_timeout` seconds without a frame from the client, " +
			"and sends a PING after `keepalive_interval` idle seconds to provoke one. With `keepalive_interval` " +
			"at or above `read_timeout` (defaults 30 and 60) the PING comes too late, so quiet clients are cut " +
			"off. `max_frame_size` 0 makes every frame too big (close 1009). Unit accepts negative and zero " +
			"values without complaint.",
		Bad: "{\n    \"settings\": {\n        \"http\": {\n            \"websocket\": {\n" +
			"                \"read_timeout\": 30,\n                \"keepalive_interval\": 45\n            }\n        }\n    }\n}\n",
		Good: "{\n    \"settings\": {\n        \"http\": {\n            \"websocket\": {\n" +
			"                \"read_timeout\": 30,\n                \"keepalive_interval\": 15\n            }\n        }\n    }\n}\n",
		FixSafety: "Safe for `keepalive_interval` at or above `read_timeout`: the fix sets (or adds) `keepalive_interval` " +
			"to half of `read_timeout`. PINGs are answered by the client's WebSocket stack and never reach the " +
			"application, so only the idle behaviour the finding is about changes. Negative and zero values get a " +
			"suggestion (Unit's default), not an automatic fix: the intended value is unknown.",
		References: []string{
			"https://github.com/nginx/unit/blob/master/src/nxt_h1proto_websocket.c",
			"https://unit.nginx.org/configuration/#settings",
		},
	},
}

func checkUnitWebSocketTimeouts(p *lint.Pass) (out []lint.Finding) {
	if !unitDoc(p) {
		return nil
	}
	ws := p.Unit.WebSocketSettings()
	if ws == nil {
		return nil
	}
	rt, rtSet := ws.Int("read_timeout")
	ka, kaSet := ws.Int("keepalive_interval")
	mf, mfSet := ws.Int("max_frame_size")
	rtVal, kaVal, mfVal := ws.Get("read_timeout"), ws.Get("keepalive_interval"), ws.Get("max_frame_size")
	if !rtSet {
		rt = unitWSReadTimeout
	}
	if !kaSet {
		ka = unitWSKeepalive
	}
	suggest := func(f lint.Finding, v *unit.Value, def int) lint.Finding {
		return f.WithFix(lint.Suggestion, fmt.Sprintf("Use Unit's default %d", def), lint.ReplaceValue(v, strconv.Itoa(def)))
	}
	if rtSet && rt <= 0 {
		what := " is negative"
		if rt == 0 {
			what = ""
		}
		out = append(out, suggest(p.Finding(rtVal.Span, "`read_timeout` %d%s: Unit accepts it, but it is no usable idle limit for WebSockets; "+
			"give the seconds a quiet connection may stay open (Unit's default is %d)", rt, what, unitWSReadTimeout), rtVal, unitWSReadTimeout))
	}
	if mfSet && mf <= 0 {
		msg := fmt.Sprintf("`max_frame_size` %d is negative: Unit accepts it, but a frame size cannot be negative (Unit's default is %d)", mf, unitWSMaxFrameSize)
		if mf == 0 {
			msg = fmt.Sprintf("`max_frame_size` 0: every frame is larger, so Unit closes each WebSocket with 1009 \"Message too big\" on its first frame (Unit's default is %d)", unitWSMaxFrameSize)
		}
		out = append(out, suggest(p.Finding(mfVal.Span, "%s", msg), mfVal, unitWSMaxFrameSize))
	}
	switch {
	case (kaVal != nil && !kaSet) || (rtVal != nil && !rtSet):
		// a value that is not an integer: WS501 reports it
	case kaSet && ka < 0:
		out = append(out, suggest(p.Finding(kaVal.Span, "`keepalive_interval` %d is negative: Unit accepts it, but an interval cannot be negative; "+
			"0 switches pings off (Unit's default is %d)", ka, unitWSKeepalive), kaVal, unitWSKeepalive))
	case rt <= 0:
		// read_timeout itself is reported
	case kaSet && ka == 0:
		f := p.Finding(kaVal.Span, "`keepalive_interval` 0 switches Unit's pings off: a client that sends nothing for `read_timeout` (%d s) is closed with 1001", rt)
		out = append(out, withSeverity(f, lint.Info))
	case ka >= rt:
		half := rt / 2
		var f lint.Finding
		if kaSet {
			f = p.Finding(kaVal.Span, "`keepalive_interval` %d is not below `read_timeout` %d: Unit pings a quiet client only after %d s but closes it (1001) after %d s, "+
				"so pings cannot keep it open", ka, rt, ka, rt)
			if half >= 1 {
				f = f.WithFix(lint.Safe, fmt.Sprintf("Set `keepalive_interval` to %d", half), lint.ReplaceValue(kaVal, strconv.FormatInt(half, 10)))
			}
		} else {
			f = p.Finding(rtVal.Span, "`read_timeout` %d is not above the default `keepalive_interval` %d: Unit pings a quiet client only after %d s but closes it (1001) after %d s, "+
				"so pings cannot keep it open", rt, ka, ka, rt)
			if edits, ok := lint.InsertMember(ws, "keepalive_interval", strconv.FormatInt(half, 10)); ok && half >= 1 {
				f = f.WithFix(lint.Safe, fmt.Sprintf("Add `\"keepalive_interval\": %d`", half), edits...)
			}
		}
		out = append(out, f)
	}
	return out
}
