package rules

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/nginx/spec"
)

// IdleTimeoutShort reports WebSocket locations whose read timeout closes
// quiet tunnels after at most a minute (the option min_read_timeout).
var IdleTimeoutShort = &lint.Rule{
	ID:              "WS201",
	Name:            "idle-timeout-short",
	Lang:            lint.Nginx,
	Severity:        lint.Warning,
	Default:         true,
	Check:           checkIdleTimeoutShort,
	ValidateOptions: validateIdleTimeoutOptions,
	Doc: lint.Doc{
		Summary: "WebSocket location closes idle connections after a minute or less",
		Why: "Once upgraded, the tunnel's only idle timer is `proxy_read_timeout` (60s by default), " +
			"re-armed by traffic in either direction. A WebSocket silent that long in both directions " +
			"is closed by nginx without a close frame: the browser sees code 1006 and the app must " +
			"reconnect. Send a heartbeat more often than the timeout (declare it with `--heartbeat` " +
			"to silence this rule) or raise the timeout. Option `min_read_timeout` (default 60s): " +
			"report timeouts up to this value.",
		Bad: "location /ws/ {\n    proxy_pass http://127.0.0.1:8000;\n    proxy_http_version 1.1;\n" +
			"    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection \"upgrade\";\n}\n",
		Good: "location /ws/ {\n    proxy_pass http://127.0.0.1:8000;\n    proxy_http_version 1.1;\n" +
			"    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection \"upgrade\";\n" +
			"    proxy_read_timeout 1h;\n}\n",
		FixSafety: "Unsafe: setting `proxy_read_timeout 1h` (replacing the location's own value, or " +
			"added after its proxy_pass) also gives slow plain responses, and nested locations that " +
			"inherit it, an hour before nginx gives up on the upstream.",
		References: []string{
			"https://nginx.org/en/docs/http/websocket.html",
			"https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_read_timeout",
			"RFC 6455 §7.1.5",
		},
	},
}

const (
	idleDefaultMS   = 60_000 // ngx_conf_merge_msec_value(..., 60000)
	idleThresholdOp = "min_read_timeout"
)

// validateIdleTimeoutOptions accepts {"min_read_timeout": "<nginx time>" | seconds}.
func validateIdleTimeoutOptions(opts map[string]any) error {
	keys := make([]string, 0, len(opts))
	for k := range opts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if k != idleThresholdOp {
			return fmt.Errorf("unknown option %q (valid: %s)", k, idleThresholdOp)
		}
	}
	_, err := idleThreshold(opts[idleThresholdOp])
	return err
}

// idleThreshold reads min_read_timeout: an nginx time ("90s", "5m") or a
// whole number of seconds; nil means the default 60s.
func idleThreshold(v any) (int64, error) {
	switch x := v.(type) {
	case nil:
		return idleDefaultMS, nil
	case string:
		ms, err := spec.ParseTime(x, false)
		if err != nil {
			return 0, fmt.Errorf("%s: %w (want an nginx time such as \"60s\" or \"5m\")", idleThresholdOp, err)
		}
		return ms, nil
	case float64:
		if x >= 0 && x == float64(int64(x)) && x < 1e15 {
			return int64(x) * 1000, nil
		}
	case int:
		if x >= 0 {
			return int64(x) * 1000, nil
		}
	}
	return 0, fmt.Errorf("%s: invalid value %v (want an nginx time such as \"60s\", or whole seconds)", idleThresholdOp, v)
}

// readTimeouts names the idle timeout of each module that can tunnel a
// WebSocket.
var readTimeouts = map[string]string{"proxy": "proxy_read_timeout", "uwsgi": "uwsgi_read_timeout", "scgi": "scgi_read_timeout"}

func checkIdleTimeoutShort(p *lint.Pass) (out []lint.Finding) {
	threshold, err := idleThreshold(p.Option(idleThresholdOp, nil))
	if err != nil {
		return nil // rejected by ValidateOptions before any rule runs
	}
	heartbeat := p.Opts.HeartbeatMS
	for _, loc := range p.WebSocketLocations() {
		h := loc.Handler()
		module := nginx.HandlerModule(h)
		name, ok := readTimeouts[module]
		if !ok {
			continue // no tunnel (WS109)
		}
		if v := loc.Effective("proxy_http_version"); module == "proxy" && v != nil && v.Arg(0) == "2" {
			continue // no tunnel at all (WS103)
		}
		eff := loc.Effective(name)
		ms := int64(idleDefaultMS)
		if eff != nil {
			if len(eff.Args) != 1 {
				// nginx refuses `30 m` (WS006 reads it as `30m`, WS010 reports
				// other counts): its first word is not the timeout.
				continue
			}
			if ms, err = spec.ParseTime(eff.Arg(0), false); err != nil {
				continue // WS006
			}
		}
		if ms > threshold || heartbeat > 0 && heartbeat < ms {
			continue
		}
		hb := ""
		if heartbeat > 0 {
			hb = "; the declared heartbeat (" + idleText(heartbeat) + ") is not shorter"
		}
		tail := "closes WebSockets silent in both directions for " + idleText(ms) + " without a close frame (browsers see 1006)" + hb + " (" + wsWhy(loc) + ")"
		value := strconv.FormatInt(max(threshold, heartbeat)/3_600_000+1, 10) + "h"
		fixMsg := "Set `" + name + " " + value + "`"
		var f lint.Finding
		switch {
		case eff == nil:
			f = p.Finding(h.NameSpan(), "nginx's default `%s` of 60s %s", name, tail)
		case eff.Parent == loc.Block:
			f = p.Finding(eff.Args[0].Span, "`%s %s` %s", name, eff.Args[0].Raw, tail)
			if eff.Via == nil {
				out = append(out, f.WithFix(lint.Unsafe, fixMsg, lint.ReplaceArg(eff.Args[0], value)))
			} else {
				out = append(out, f) // written in an included file that other places may share
			}
			continue
		default:
			f = p.Finding(h.NameSpan(), "`%s %s` inherited from %s %s", name, eff.Args[0].Raw, placeOf(eff, h.NameSpan().File), tail).
				WithRelated(eff.Span, "the timeout is set here")
		}
		if a := h.Outermost(loc.Block); a.Parent == loc.Block && a.File() == loc.Block.File() {
			f = f.WithFix(lint.Unsafe, fixMsg, lint.InsertLinesAfter(a, name+" "+value+";"))
		} else if e, ok := lint.InsertLinesInBlock(loc.Block, name+" "+value+";"); ok {
			f = f.WithFix(lint.Unsafe, fixMsg, e)
		}
		out = append(out, f)
	}
	return out
}

// idleText renders milliseconds the way nginx configs write them: "60s",
// "90s", "1s500ms", "2h30m".
func idleText(ms int64) string {
	if ms%1000 == 0 && ms < 3_600_000 {
		return fmt.Sprintf("%ds", ms/1000)
	}
	var b strings.Builder
	for _, u := range []struct {
		name string
		ms   int64
	}{{"d", 86_400_000}, {"h", 3_600_000}, {"m", 60_000}, {"s", 1000}, {"ms", 1}} {
		if n := ms / u.ms; n > 0 {
			fmt.Fprintf(&b, "%d%s", n, u.name)
			ms -= n * u.ms
		}
	}
	return b.String()
}
