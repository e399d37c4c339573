package rules

import (
	"fmt"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
)

// WorkerShutdownTimeoutMissing reports a full nginx.conf that proxies
// WebSockets without worker_shutdown_timeout.
var WorkerShutdownTimeoutMissing = &lint.Rule{
	ID:       "WS203",
	Name:     "worker-shutdown-timeout-missing",
	Lang:     lint.Nginx,
	Severity: lint.Info,
	Default:  true,
	Check:    checkWorkerShutdownTimeoutMissing,
	Window:   lint.WindowFirst, // once, at the first WebSocket location
	Doc: lint.Doc{
		Summary: "WebSockets are proxied but worker_shutdown_timeout is not set",
		Why: "On reload, old workers exit only when their connections close, and an upgraded " +
			"WebSocket may stay open for days: old workers pile up with their memory and the old " +
			"configuration (\"worker process is shutting down\"). `worker_shutdown_timeout` (main " +
			"context, nginx 1.11.11+, effective for WebSockets since 1.13.7) closes what is left after " +
			"the given time, and clients reconnect to the new workers.",
		Bad: "events {}\nhttp {\n    server {\n        listen 80;\n        location /ws/ {\n" +
			"            proxy_pass http://127.0.0.1:8000;\n            proxy_http_version 1.1;\n            proxy_read_timeout 1h;\n" +
			"            proxy_set_header Upgrade $http_upgrade;\n" +
			"            proxy_set_header Connection \"upgrade\";\n        }\n    }\n}\n",
		Good: "worker_shutdown_timeout 10s;\nevents {}\nhttp {\n    server {\n        listen 80;\n        location /ws/ {\n" +
			"            proxy_pass http://127.0.0.1:8000;\n            proxy_http_version 1.1;\n            proxy_read_timeout 1h;\n" +
			"            proxy_set_header Upgrade $http_upgrade;\n" +
			"            proxy_set_header Connection \"upgrade\";\n        }\n    }\n}\n",
		FixSafety: "Unsafe: `worker_shutdown_timeout 10s` makes every reload close the WebSockets (and " +
			"slow downloads) still open on old workers after 10 s; clients must reconnect.",
		References: []string{
			"https://nginx.org/en/docs/ngx_core_module.html#worker_shutdown_timeout",
			"https://nginx.org/en/CHANGES (1.11.11, 1.13.7)",
		},
	},
}

func checkWorkerShutdownTimeoutMissing(p *lint.Pass) []lint.Finding {
	if p.Opts.NginxVersion.Less(nginx.Version{Major: 1, Minor: 13, Patch: 7}) {
		return nil // before 1.13.7 the directive did not close WebSockets (CHANGES)
	}
	ws := p.WebSocketLocations()
	if len(ws) == 0 || p.Nginx.Root.FindOne("worker_shutdown_timeout") != nil {
		return nil
	}
	// Only a full nginx.conf has the main context; for a snippet it is
	// elsewhere and may well set the directive.
	var main []*nginx.Directive
	for _, d := range p.Nginx.Root.Body {
		if !d.Synthetic && p.Nginx.Context[d.File()] == nginx.CtxMain {
			main = append(main, d)
		}
	}
	if len(main) == 0 {
		return nil
	}
	w, why := strongestWebSocket(p, ws)
	edit, at := shutdownTimeoutEdit(main)
	f := p.Finding(w.Block.HeaderSpan(), "this location proxies WebSockets (%s), but `worker_shutdown_timeout` is not set: after a reload, old workers live as long as their WebSockets",
		why).WithRelated(at.HeaderSpan(), "`worker_shutdown_timeout` goes in the main context, next to this directive")
	return []lint.Finding{f.WithFix(lint.Unsafe, "Set `worker_shutdown_timeout 10s`", edit)}
}

// strongestWebSocket picks the location to name as the evidence that
// WebSockets are proxied, with the reason to give: an annotation or
// WebSocket path first, then upgrade headers written in the location itself,
// then a well-known endpoint path (even when its headers are inherited), then
// headers inherited from an enclosing level, then a named location reached
// from one; locations with a content handler before those without, the first
// in configuration order among equals.
func strongestWebSocket(p *lint.Pass, ws []nginx.WSLocation) (nginx.WSLocation, string) {
	rank := func(w nginx.WSLocation) (int, string) {
		r, why := 0, wsWhy(w)
		if w.Handler() == nil {
			r = 10
		}
		what, endpoint := "", false
		if p.Opts.Endpoint != nil && !w.IsNamed() {
			what, endpoint = p.Opts.Endpoint(w.Path)
		}
		switch {
		case w.Evidence == nginx.EvidenceAnnotation || w.Evidence == nginx.EvidencePath:
		case w.Evidence == nginx.EvidenceOwnHeaders && !w.InheritsList("proxy_set_header"):
			r++
		case endpoint:
			r += 2
			why = fmt.Sprintf("WebSocket location: `%s` is a well-known WebSocket endpoint: %s", w.Path, what)
		case w.Evidence == nginx.EvidenceNamed:
			r += 4
		default:
			r += 3
		}
		return r, why
	}
	best := ws[0]
	bestRank, bestWhy := rank(best)
	for _, w := range ws[1:] {
		if r, why := rank(w); r < bestRank {
			best, bestRank, bestWhy = w, r, why
		}
	}
	return best, bestWhy
}

// shutdownTimeoutEdit inserts the directive at main level: after the last
// simple directive written before the first block (user, pid, include of
// modules, ...), else before the first block.
// It returns the edit and the directive it goes next to.
func shutdownTimeoutEdit(main []*nginx.Directive) (source.TextEdit, *nginx.Directive) {
	file := main[0].File()
	var last *nginx.Directive
	for _, d := range main {
		if d.File() != file {
			continue
		}
		if d.IsBlock {
			break
		}
		last = d
	}
	if last != nil {
		return lint.InsertLinesAfter(last, "worker_shutdown_timeout 10s;"), last
	}
	return lint.InsertLinesBefore(main[0], "worker_shutdown_timeout 10s;"), main[0]
}
