package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"github.com/wslint/wslint/web"
)

// Server timeouts: reading a 1 MiB body, answering within the per-request
// timeout, and idle keep-alive connections.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 15 * time.Second
	idleTimeout       = 60 * time.Second
	shutdownTimeout   = 10 * time.Second
)

func newServeCmd() *cobra.Command {
	var addr, logFormat string
	var timeout time.Duration
	var concurrency int
	c := &cobra.Command{
		Use:   "serve [--addr 127.0.0.1:8080]",
		Short: "Serve the HTTP API and the paste-and-fix page",
		Long: `Serve the JSON API under /api/v1 (described at /api/v1/openapi.json) and
the paste-and-fix page at /. The service lints and fixes text it is sent;
it never opens a file a request names (includes are reported, not
followed) and makes no outbound connection. /healthz answers GET and HEAD.

One structured access-log record per request goes to stderr. SIGINT or
SIGTERM stops accepting connections and lets requests in flight finish
(up to 10s).`,
		Example: `  wslint serve
  wslint serve --addr :8080 --log-format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			logger, err := newLogger(cmd.ErrOrStderr(), logFormat)
			if err != nil {
				return err
			}
			tuneGC()
			h, err := web.New(web.Options{Logger: logger, Timeout: timeout, Concurrency: concurrency})
			if err != nil {
				return &exitError{code: exitInternal, err: err}
			}
			ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			go func() { <-ctx.Done(); stop() }() // a second signal kills at once
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return ioErr(fmt.Errorf("listen on %s: %w", addr, err))
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "wslint: serving on http://%s/ (Ctrl-C stops)\n", ln.Addr())
			return serve(ctx, ln, h, logger, timeout)
		},
	}
	fl := c.Flags()
	fl.StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on (host:port; :8080 for every interface)")
	fl.DurationVar(&timeout, "timeout", web.DefaultTimeout, "per-request timeout of the API")
	fl.IntVar(&concurrency, "concurrency", 0, "API requests processed at once; more wait briefly, then get 429 (default 2×CPUs)")
	fl.StringVar(&logFormat, "log-format", "text", "access log format on stderr: text or json")
	return c
}

// tuneGC trades memory for CPU in the long-running server (web.GCPercent
// says why and what it measured). GOGC and GOMEMLIMIT still win.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(web.GCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(web.MemoryLimit)
	}
}

func newLogger(w io.Writer, format string) (*slog.Logger, error) {
	switch format {
	case "text", "":
		return slog.New(slog.NewTextHandler(w, nil)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, nil)), nil
	}
	return nil, usageErr("--log-format %q: want text or json", format)
}

// serve runs h on ln until ctx is done, then shuts down gracefully: no new
// connections, requests in flight finish (at most shutdownTimeout).
func serve(ctx context.Context, ln net.Listener, h http.Handler, logger *slog.Logger, timeout time.Duration) error {
	if timeout <= 0 {
		timeout = web.DefaultTimeout
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      timeout + 5*time.Second, // the API's own timeout answers first
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return ioErr(fmt.Errorf("serve: %w", err))
	case <-ctx.Done():
	}
	logger.Info("shutting down", "addr", ln.Addr().String())
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
		return ioErr(fmt.Errorf("shutdown: %w", err))
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return ioErr(fmt.Errorf("serve: %w", err))
	}
	logger.Info("stopped")
	return nil
}
