package main

import (
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
)

func newTraceCmd() *cobra.Command {
	var rf ruleFlags
	var browser string
	c := &cobra.Command{
		Use:   "trace [flags] CONFIG URL",
		Short: "Show how nginx routes one request and what it sends upstream",
		Long: `Trace one request through an nginx configuration: which server nginx
selects (listen and server_name rules) and why, which location matches
and why, the effective values of the directives that matter (with the
file:line each comes from, or "default"), and the request nginx sends
upstream (request line, HTTP version, every header). Then the findings
that apply to that location.

The request is a Chromium-style WebSocket handshake by default; --browser
firefox sends Firefox's "Connection: keep-alive, Upgrade", --browser plain
an ordinary GET.

Exit status: 0 traced, 1 no server or location takes the request, 2 usage
or I/O error.`,
		Example: `  wslint trace nginx.conf ws://chat.example.com/ws/room1
  wslint trace --browser firefox sites-enabled/app wss://example.com/socket.io/
  wslint trace --nginx-version 1.30.0 nginx.conf http://example.com/api/`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			selected, opts, err := rf.setup()
			if err != nil {
				return err
			}
			u, err := url.Parse(args[1])
			if err != nil || u.Host == "" {
				return usageErr("URL %q: want ws://host/path, wss://, http:// or https://", args[1])
			}
			port := map[string]int{"ws": 80, "http": 80, "wss": 443, "https": 443}[u.Scheme]
			if port == 0 {
				return usageErr("URL %q: scheme must be ws, wss, http or https", args[1])
			}
			if p := u.Port(); p != "" {
				port, _ = strconv.Atoi(p)
			}
			var req nginx.Request
			switch browser {
			case "chromium", "":
				req = nginx.ChromiumHandshake
			case "firefox":
				req = nginx.FirefoxHandshake
			case "plain":
				req = nginx.PlainRequest
			default:
				return usageErr("--browser %q: want chromium, firefox or plain", browser)
			}
			path := u.EscapedPath()
			if path == "" {
				path = "/"
			}
			req.Path = path
			req.Header = copyHeader(req.Header)
			req.Header["host"] = u.Host
			if _, ok := req.Header["origin"]; ok {
				req.Header["origin"] = map[bool]string{true: "https://", false: "http://"}[port == 443 || u.Scheme == "wss" || u.Scheme == "https"] + u.Host
			}
			files, err := readInputs(args[:1], cmd.InOrStdin(), rf.stdinFilename)
			if err != nil {
				return ioErr(err)
			}
			cfg := nginx.Load(files, nginx.LoadOptions{})
			res := lint.RunNginx(selected, cfg, opts)
			if !trace(cmd.OutOrStdout(), cfg, res, req, u.Hostname(), port, opts) {
				return &exitError{code: exitFindings}
			}
			return nil
		},
	}
	rf.register(c)
	c.Flags().StringVar(&browser, "browser", "chromium", "the request to trace: chromium, firefox or plain")
	return c
}

// traceDefaults are nginx's defaults for the directives trace shows.
var traceDefaults = map[string]string{
	"proxy_read_timeout": "60s", "proxy_send_timeout": "60s", "proxy_connect_timeout": "60s", "send_timeout": "60s",
	"proxy_buffering": "on", "proxy_pass_request_headers": "on", "proxy_cache": "off", "resolver": "none",
}

func copyHeader(h map[string]string) map[string]string {
	out := make(map[string]string, len(h))
	for k, v := range h {
		out[k] = v
	}
	return out
}

func where(d *nginx.Directive) string {
	if d == nil || d.Synthetic {
		return "default"
	}
	p := lint.PositionOf(d.Span)
	s := fmt.Sprintf("%s:%d", p.File, p.Line)
	if d.Via != nil {
		vp := lint.PositionOf(d.Via.Span)
		s += fmt.Sprintf(" (included from %s:%d)", vp.File, vp.Line)
	}
	return s
}

// trace prints the route of one request; it reports false when nginx
// would not route it anywhere (no server on the port, no location).
func trace(w io.Writer, cfg *nginx.Config, findings []lint.Finding, req nginx.Request, host string, port int, opts *lint.Options) bool {
	fmt.Fprintf(w, "request   %s %s (%s) for %s, port %d\n", req.Method, req.Path, req.Name, host, port)
	srv, why := cfg.SelectServer(host, port)
	if srv == nil {
		fmt.Fprintf(w, "server    none: %s\n", why)
		return false
	}
	fmt.Fprintf(w, "server    %s: %s\n", where(srv.Block), why)
	path := req.Path
	switch rw := srv.Rewrite(path); {
	case !rw.Known:
		fmt.Fprintf(w, "rewrite   the server's rewrite lines may change the path (an `if` that rewrites, a variable in a replacement, or a regex wslint cannot read); followed as %s\n", path)
	case rw.Answered && rw.By.Name == "return":
		fmt.Fprintf(w, "answer    %s `%s`: the server returns before any location runs; nothing is proxied\n", where(rw.By), rw.By.String())
		return true
	case rw.Answered:
		fmt.Fprintf(w, "answer    %s `%s`: the server redirects before any location runs; a WebSocket client does not follow it (WS112)\n", where(rw.By), rw.By.String())
		return true
	case rw.By != nil:
		fmt.Fprintf(w, "rewrite   %s `%s`: the path becomes %s before nginx looks for a location\n", where(rw.By), rw.By.String(), rw.Path)
		path = rw.Path
	}
	if red := srv.Redirect(path); red != nil {
		fmt.Fprintf(w, "answer    %s `%s`: nginx answers 301, a redirect to %s/ (the location's path ends in `/` and it passes requests on; no location is named %s); a WebSocket client does not follow it (WS112)\n",
			where(red.Block), strings.TrimSuffix(red.Block.HeaderSpan().Text(), " {"), path, path)
		return true
	}
	loc := srv.Match(path)
	if loc == nil {
		fmt.Fprintf(w, "location  none: no location matches %s; nginx serves it from the server's root\n", path)
		return false
	}
	fmt.Fprintf(w, "location  %s `%s`: %s\n", where(loc.Block), strings.TrimSuffix(loc.Block.HeaderSpan().Text(), " {"), loc.MatchReason(path))
	// The location's own rewrite lines may send the request on.
	if rt := srv.Route(req.Path); rt.Known && rt.AnsweredBy == nil && rt.Redirect == nil && rt.Location != loc && rt.ChangedBy != nil {
		fmt.Fprintf(w, "rewrite   %s `%s`: the path becomes %s, and nginx looks for a location again\n", where(rt.ChangedBy), rt.ChangedBy.String(), rt.Path)
		path = rt.Path
		if loc = rt.Location; loc == nil {
			fmt.Fprintf(w, "location  none: no location matches %s; nginx serves it from the server's root\n", path)
			return false
		}
		fmt.Fprintf(w, "location  %s `%s`: %s\n", where(loc.Block), strings.TrimSuffix(loc.Block.HeaderSpan().Text(), " {"), loc.MatchReason(path))
	}
	if len(loc.Handlers()) == 0 {
		for _, d := range loc.NamedTargets() {
			if n := srv.Named[d.Args[len(d.Args)-1].Value]; n != nil {
				fmt.Fprintf(w, "named     %s `%s`: `%s` hands the request on (when no file matches, or on that error); a named location takes the server's settings, not this location's\n",
					where(n.Block), strings.TrimSuffix(n.Block.HeaderSpan().Text(), " {"), d.String())
				loc = n
				break
			}
		}
	}

	fmt.Fprintf(w, "\neffective directives\n")
	handlers := loc.Handlers()
	if len(handlers) == 0 {
		fmt.Fprintf(w, "  (no content handler: nginx serves files; nothing is proxied)\n")
	}
	for _, h := range handlers {
		fmt.Fprintf(w, "  %-26s %-40s %s\n", h.Name, strings.TrimSpace(h.String()[len(h.Name):]), where(h))
	}
	for _, name := range []string{"proxy_http_version", "proxy_read_timeout", "proxy_send_timeout", "proxy_connect_timeout", "send_timeout", "proxy_buffering", "proxy_pass_request_headers", "proxy_cache", "resolver"} {
		d := loc.Effective(name)
		val := traceDefaults[name]
		switch {
		case d != nil:
			val = strings.TrimSpace(d.String()[len(d.Name):])
		case name == "proxy_http_version":
			val = nginx.DefaultHTTPVersion(opts.NginxVersion) + " (nginx " + opts.NginxVersion.String() + ")"
		}
		fmt.Fprintf(w, "  %-26s %-40s %s\n", name, val, where(d))
	}
	list, level := loc.EffectiveList("proxy_set_header")
	if level == nil {
		fmt.Fprintf(w, "  %-26s %s\n", "proxy_set_header", "none at any level: only nginx's defaults")
	} else {
		inherited := ""
		if level != loc.Block {
			inherited = ", inherited from " + level.Name + " at " + where(level)
		} else if up := loc.EnclosingUpgrade(cfg); up != nil {
			inherited = fmt.Sprintf(", the location's own: the %d entries of %s at %s are not inherited", len(up.Find("proxy_set_header")), up.Name, where(up))
		}
		fmt.Fprintf(w, "  %-26s %d %s%s\n", "proxy_set_header", len(list), plural(len(list), "entry", "entries"), inherited)
		for _, d := range list {
			fmt.Fprintf(w, "    %-48s %s\n", strings.Join(argsRaw(d), " "), where(d))
		}
	}

	if pp := loc.ProxyPass(); pp != nil && len(handlers) > 0 && handlers[len(handlers)-1] == pp {
		up := loc.Simulate(cfg, req, opts.NginxVersion)
		fmt.Fprintf(w, "\nupstream request (%s)\n", pp.Arg(0))
		fmt.Fprintf(w, "  %s %s HTTP/%s\n", req.Method, path, up.Version) // the path after the server's rewrites
		for _, h := range up.Headers {
			val := h.Value.Text
			if h.Origin == "default" && strings.EqualFold(h.Name, "host") {
				if u, err := url.Parse(pp.Arg(0)); err == nil && !strings.Contains(u.Host, "$") {
					val = u.Host // $proxy_host: the host and port of proxy_pass
					h.Value.Unknown = false
				}
			}
			if h.Value.Unknown {
				val += "  (evaluated at run time)"
			}
			from := h.Origin
			if h.From != nil {
				from = where(h.From)
			}
			fmt.Fprintf(w, "  %-60s [%s]\n", h.Name+": "+val, from)
		}
		if _, ok := req.Header["upgrade"]; ok {
			fmt.Fprintf(w, "\nverdict   %s\n", verdict(up))
		}
	}

	var mine []lint.Finding
	for _, f := range findings {
		if f.Span.File == loc.Block.File() && f.Span.Start >= loc.Block.Span.Start && f.Span.End <= loc.Block.Span.End ||
			f.Span.File == srv.Block.File() && f.Span.Start <= srv.Block.Span.Start && f.Span.End >= srv.Block.HeaderEnd {
			mine = append(mine, f)
		}
	}
	fmt.Fprintf(w, "\nfindings for this location\n")
	if len(mine) == 0 {
		fmt.Fprintf(w, "  none\n")
	}
	for _, f := range mine {
		p := lint.PositionOf(f.Span)
		fmt.Fprintf(w, "  %s:%d:%d: %s %s %s\n", p.File, p.Line, p.Column, f.Severity, f.RuleID, f.Message)
	}
	return true
}

// verdict says in one line whether the simulated handshake can upgrade.
func verdict(up nginx.Upstream) string {
	hasUp, unkUp := up.Has("Upgrade")
	hasConn, unkConn := up.HasToken("Connection", "upgrade")
	switch {
	case unkUp || unkConn:
		return "depends on run-time values: see the headers above"
	case !hasUp && !hasConn:
		return "the handshake fails: the backend gets neither `Upgrade` nor `Connection: upgrade` and answers it as a plain GET (404/426/400)"
	case !hasUp:
		return "the handshake fails: `Upgrade` is not sent (426 Upgrade Required)"
	case !hasConn:
		return "the handshake fails: `Connection` lacks `upgrade` (426/400)"
	case up.Version == "1.0":
		return "upgrade headers are forwarded, but over HTTP/1.0: strict backends (coder/websocket 426, NGINX Unit 400) refuse it"
	case up.Version == "2":
		return "the handshake fails: nginx cannot tunnel WebSockets over `proxy_http_version 2`"
	}
	return "the handshake can upgrade: `Upgrade` and `Connection: upgrade` reach the backend over HTTP/" + up.Version
}

func argsRaw(d *nginx.Directive) []string {
	out := make([]string, len(d.Args))
	for i, a := range d.Args {
		out[i] = a.Raw
	}
	return out
}
