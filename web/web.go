// Package web is wslint's HTTP service: the JSON API under /api/v1 and the
// paste-and-fix page at /. It is a thin adapter over lint, rules and
// generate: every answer comes from the same entry points as the CLI's.
//
// The service never opens a file named by a request: a pasted config is
// only bytes with a label, includes are reported (WS009) and not followed,
// and the loader is given a file system that refuses every read.
package web

import (
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"runtime"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
)

// Defaults of Options left zero.
const (
	DefaultTimeout        = 10 * time.Second
	DefaultMaxBody        = 1 << 20 // 1 MiB
	DefaultBacklog        = 256
	DefaultBacklogTimeout = 5 * time.Second
)

// The collector of the long-running service (`wslint serve` sets them
// unless GOGC or GOMEMLIMIT is set): a lint allocates about 70 KB of
// short-lived objects over a live heap of about 2 MB, so Go's default
// GOGC=100 collects every few dozen requests. GCPercent 1600 puts the heap
// goal near 64 MB (the runtime's 4 MB floor times 17): under `make
// bench-api` a lint request took 5-13% less server CPU than at 400 (0.02 more
// of the echo's throughput), for about 50 MB more RSS (87 MB). The soft
// limit bounds the heap when large requests are in flight.
const (
	GCPercent   = 1600
	MemoryLimit = 512 << 20
)

// Options configure the service.
type Options struct {
	// Logger receives one structured access-log record per request (and
	// panics); nil discards them.
	Logger *slog.Logger
	// Timeout bounds each API request (DefaultTimeout when zero).
	Timeout time.Duration
	// Concurrency is how many API requests are processed at once
	// (Throttle); 2×GOMAXPROCS when zero: linting is CPU-bound.
	Concurrency int
	// Backlog is how many more may wait for a slot, at most
	// BacklogTimeout; beyond that the answer is 429. Zero means
	// DefaultBacklog; negative means no backlog.
	Backlog        int
	BacklogTimeout time.Duration
	// MaxBody bounds request bodies (DefaultMaxBody when zero); past it the
	// answer is 413.
	MaxBody int64
}

//go:embed static
var staticFS embed.FS

//go:embed openapi.json
var openAPI []byte

// New returns the service's handler.
func New(o Options) (http.Handler, error) {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 2 * runtime.GOMAXPROCS(0)
	}
	switch {
	case o.Backlog == 0:
		o.Backlog = DefaultBacklog
	case o.Backlog < 0:
		o.Backlog = 0
	}
	if o.BacklogTimeout <= 0 {
		o.BacklogTimeout = DefaultBacklogTimeout
	}
	if o.MaxBody <= 0 {
		o.MaxBody = DefaultMaxBody
	}
	api, err := newAPI(o)
	if err != nil {
		return nil, err
	}
	static, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, fmt.Errorf("embedded page: %w", err)
	}

	r := chi.NewRouter()
	r.Use(
		middleware.RequestID,
		middleware.ClientIPFromRemoteAddr,
		middleware.RequestLogger(accessLog{o.Logger}),
		securityHeaders,
		jsonErrors, // outside Recoverer, Throttle and Timeout: their bare errors become JSON
		middleware.Recoverer,
		middleware.Heartbeat("/healthz"),
	)
	// chi's own 404 and 405 (with its Allow header) become JSON in jsonErrors.
	r.Route("/api/v1", func(r chi.Router) {
		r.Use(
			// Throttle first: the timeout bounds the work, not the wait
			// for a slot (which BacklogTimeout bounds).
			middleware.ThrottleWithOpts(middleware.ThrottleOpts{
				Limit: o.Concurrency, BacklogLimit: o.Backlog, BacklogTimeout: o.BacklogTimeout,
				RetryAfterFn: func(bool) time.Duration { return time.Second },
			}),
			middleware.Timeout(o.Timeout),
			noStore,
		)
		r.Get("/openapi.json", func(w http.ResponseWriter, r *http.Request) { writeRaw(w, "application/json", openAPI) })
		r.Get("/schemas/{name}", api.schema)
		r.Get("/schemas/api/{name}", api.apiSchema)
		r.Get("/rules", api.rules)
		r.Get("/rules/{id}", api.rule)
		r.Group(func(r chi.Router) {
			r.Use(middleware.AllowContentType("application/json"))
			r.Post("/lint", api.lint)
			r.Post("/fix", api.fix)
			r.Post("/generate/nginx", api.generateNginx)
			r.Post("/generate/unit", api.generateUnit)
		})
	})
	page, err := fs.ReadFile(static, "index.html")
	if err != nil {
		return nil, fmt.Errorf("embedded page: %w", err)
	}
	r.Get("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		writeRaw(w, "text/html; charset=utf-8", page)
	})
	assets := http.FileServerFS(static)
	r.Get("/assets/{name}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		assets.ServeHTTP(w, r)
	})
	return r, nil
}

// csp allows only the page's own files: no inline script or style, no
// other origin, no framing.
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
	"object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// security are the headers of every answer, keys in canonical form. Their
// one-element values are shared by every response: a Header's Set and Add
// replace a value or grow a copy of it, never write into it.
var security = http.Header{
	"Content-Security-Policy":      {csp},
	"X-Content-Type-Options":       {"nosniff"},
	"Referrer-Policy":              {"no-referrer"},
	"X-Frame-Options":              {"DENY"},
	"Cross-Origin-Opener-Policy":   {"same-origin"},
	"Cross-Origin-Resource-Policy": {"same-origin"},
	"Permissions-Policy":           {"camera=(), microphone=(), geolocation=()"},
}

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for k, v := range security {
			h[k] = v[:1:1]
		}
		if id := middleware.GetReqID(r.Context()); id != "" {
			h.Set("X-Request-Id", id)
		}
		next.ServeHTTP(w, r)
	})
}

func noStore(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// accessLog writes chi's request log entries with log/slog.
type accessLog struct{ l *slog.Logger }

func (a accessLog) NewLogEntry(r *http.Request) middleware.LogEntry {
	return &accessEntry{l: a.l, r: r}
}

type accessEntry struct {
	l *slog.Logger
	r *http.Request
}

func (e *accessEntry) Write(status, bytes int, _ http.Header, elapsed time.Duration, _ any) {
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	}
	ctx := e.r.Context()
	if !e.l.Enabled(ctx, level) {
		return
	}
	e.l.LogAttrs(ctx, level, "request",
		slog.String("request_id", middleware.GetReqID(ctx)),
		slog.String("client_ip", middleware.GetClientIP(ctx)),
		slog.String("method", e.r.Method),
		slog.String("path", e.r.URL.Path),
		slog.Int("status", status),
		slog.Int("bytes", bytes),
		slog.Int64("request_bytes", e.r.ContentLength),
		slog.Duration("duration", elapsed),
	)
}

func (e *accessEntry) Panic(v any, stack []byte) {
	ctx := e.r.Context()
	e.l.LogAttrs(ctx, slog.LevelError, "panic",
		slog.String("request_id", middleware.GetReqID(ctx)),
		slog.String("method", e.r.Method),
		slog.String("path", e.r.URL.Path),
		slog.String("panic", fmt.Sprint(v)),
		slog.String("stack", string(stack)),
	)
}
