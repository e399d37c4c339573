package rules

import (
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
	Doc: lint.Doc{
		Summary: "WebSockets are proxied but worker_shutdown_timeout is not set",
		Why: "On reload, old workers exit only when their connections close, and an upgraded " +
			"WebSocket may stay open for days: old workers pile up with their memory and the old " +
			"configuration (\"worker process is shutting down\"). `worker_shutdown_timeout` (main " +
			"context, nginx 1.11.11+, effective for WebSockets since 1.13.7) closes what is left after " +
			"the given time, and clients reconnect to the new workers.",
		Bad: "events {}\nhttp {\n    server {\n        listen 80;\n        location /ws/ {\n" +
			"            proxy_pass http://127.0.0.1:8000;\n            proxy_set_header Upgrade $http_upgrade;\n" +
			"            proxy_set_header Connection \"upgrade\";\n        }\n    }\n}\n",
		Good: "worker_shutdown_timeout 10s;\nevents {}\nhttp {\n    server {\n        listen 80;\n        location /ws/ {\n" +
			"            proxy_pass http://127.0.0.1:8000;\n            proxy_set_header Upgrade $http_upgrade;\n" +
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
	anchor := main[0]
	for _, d := range p.Nginx.Root.Children() {
		if d.Name == "http" && d.IsBlock && !d.Synthetic {
			anchor = d
			break
		}
	}
	f := p.Finding(anchor.HeaderSpan(), "WebSockets are proxied (`%s`: %s) but `worker_shutdown_timeout` is not set: after a reload, old workers live as long as their WebSockets",
		ws[0].Path, ws[0].Reason).WithRelated(ws[0].Block.HeaderSpan(), "a WebSocket location")
	return []lint.Finding{f.WithFix(lint.Unsafe, "Set `worker_shutdown_timeout 10s`", shutdownTimeoutEdit(main))}
}

// shutdownTimeoutEdit inserts the directive at main level: after the last
// simple directive written before the first block (user, pid, include of
// modules, ...), else before the first block.
func shutdownTimeoutEdit(main []*nginx.Directive) source.TextEdit {
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
		return lint.InsertLinesAfter(last, "worker_shutdown_timeout 10s;")
	}
	return lint.InsertLinesBefore(main[0], "worker_shutdown_timeout 10s;")
}
