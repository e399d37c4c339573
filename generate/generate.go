// Package generate writes complete, lint-clean nginx configurations for
// WebSocket applications from a typed spec, and exports the canonical
// snippets (the upgrade map, the WebSocket and forwarding headers) that
// rules reuse in their fixes. It depends only on the standard library.
package generate

import (
	"fmt"
	"strings"
)

// Defaults of NginxSpec fields left empty.
const (
	DefaultNginxVersion = "1.18"           // the oldest release in wide use (rules.md)
	DefaultReadTimeout  = "1h"             // WebSocket locations (WS201 fires at 60 s or less)
	DefaultUpstream     = "127.0.0.1:8000" // when neither Upstreams nor a preset gives one
	DefaultWSPath       = "/ws"            // when neither WSPaths nor a preset gives one
	ShutdownTimeout     = "30s"            // worker_shutdown_timeout (Full, or advised in a comment)
)

// NginxSpec describes the nginx configuration to generate. Empty fields take
// the preset's values, then the package defaults.
type NginxSpec struct {
	// Listen are the addresses of the server: PORT, HOST:PORT, [IPv6]:PORT,
	// *:PORT or unix:PATH. Default 80, or 443 with TLS.
	Listen []string
	// ServerName is the server_name value (several names separated by
	// spaces); empty leaves server_name out.
	ServerName string
	// Upstreams are backend addresses (HOST:PORT, [IPv6]:PORT, unix:PATH).
	// When given they form an `upstream` block; otherwise requests go to the
	// preset's address (DefaultUpstream without a preset) directly.
	Upstreams []string
	// WSPaths are the WebSocket location prefixes (each starts with /).
	WSPaths []string
	// TLSCert and TLSKey (both or neither) make the server listen with TLS
	// and HTTP/2 and add a server on port 80 that redirects to https.
	TLSCert, TLSKey string
	// Keepalive is the number of idle upstream connections each worker keeps
	// (`keepalive N` in the upstream block; 0: none).
	Keepalive int
	// ReadTimeout is proxy_read_timeout of the WebSocket locations, an nginx
	// time value above 60 s (e.g. "1h", "90s", "1h30m"). Default 1h.
	ReadTimeout string
	// NginxVersion is the target release ("1.18", "1.25.1", "1.30.0"):
	// before 1.29.7 WebSocket locations need `proxy_http_version 1.1`; from
	// 1.25.1 HTTP/2 is `http2 on;` rather than `listen ... http2`.
	NginxVersion string
	// Full makes a standalone nginx.conf (main context, events, http);
	// otherwise the output is a conf.d file that nginx includes in http.
	Full bool
	// Preset names a framework (see Presets) whose paths, timeout and
	// stickiness are the defaults.
	Preset string
}

// Resolve returns the spec with the preset and the defaults applied (all
// fields but Upstreams, which stay empty when none were given), or the first
// problem found.
func (s NginxSpec) Resolve() (NginxSpec, error) {
	r, _, err := s.resolve()
	return r, err
}

// plan is a resolved spec plus what rendering derives from it.
type plan struct {
	NginxSpec
	preset   Preset // zero without a preset
	v        version
	upstream string // the upstream block's name, "" without one
	servers  []string
	target   string // proxy_pass URL
	tls      bool
}

func (s NginxSpec) resolve() (NginxSpec, *plan, error) {
	p := &plan{NginxSpec: s}
	r := &p.NginxSpec
	if r.Preset != "" {
		pre, ok := LookupPreset(r.Preset)
		if !ok {
			return s, nil, fmt.Errorf("unknown preset %q; valid presets: %s", r.Preset, strings.Join(PresetNames(), ", "))
		}
		p.preset, r.Preset = pre, pre.Name
	}
	if len(r.WSPaths) == 0 {
		r.WSPaths = []string{DefaultWSPath}
		if len(p.preset.WSPaths) > 0 {
			r.WSPaths = p.preset.WSPaths
		}
	}
	if r.ReadTimeout == "" {
		r.ReadTimeout = DefaultReadTimeout
		if p.preset.ReadTimeout != "" {
			r.ReadTimeout = p.preset.ReadTimeout
		}
	}
	if r.NginxVersion == "" {
		r.NginxVersion = DefaultNginxVersion
	}
	if (r.TLSCert == "") != (r.TLSKey == "") {
		return s, nil, fmt.Errorf("TLS needs both a certificate and a key")
	}
	p.tls = r.TLSCert != ""
	if len(r.Listen) == 0 {
		r.Listen = []string{"80"}
		if p.tls {
			r.Listen = []string{"443"}
		}
	}
	r.WSPaths = append([]string(nil), r.WSPaths...)
	r.Listen = append([]string(nil), r.Listen...)
	r.Upstreams = append([]string(nil), r.Upstreams...)
	if err := p.check(); err != nil {
		return s, nil, err
	}

	p.servers = r.Upstreams
	if len(p.servers) == 0 {
		p.servers = []string{DefaultUpstream}
		if p.preset.Upstream != "" {
			p.servers = []string{p.preset.Upstream}
		}
	}
	if len(r.Upstreams) > 0 || r.Keepalive > 0 {
		p.upstream = "backend"
		if p.preset.Name != "" {
			p.upstream = strings.NewReplacer("-", "_", ".", "_").Replace(p.preset.Name)
		}
		p.target = "http://" + p.upstream
	} else {
		p.target = "http://" + p.servers[0]
	}
	return p.NginxSpec, p, nil
}

// check validates the resolved fields; messages name the value and the fix.
func (p *plan) check() error {
	var err error
	if p.v, err = parseVersion(p.NginxVersion); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, a := range p.Listen {
		if err := checkListen(a); err != nil {
			return fmt.Errorf("invalid listen address %w", err)
		}
		if seen[a] {
			return fmt.Errorf("listen address %q given twice", a)
		}
		seen[a] = true
		if p.tls && listenPort(a) == "80" {
			return fmt.Errorf("TLS listen address %q uses port 80, where the http-to-https redirect listens: give another port, e.g. 443", a)
		}
	}
	seen = map[string]bool{}
	for _, a := range p.Upstreams {
		if err := checkUpstream(a); err != nil {
			return fmt.Errorf("invalid upstream address %w", err)
		}
		if seen[a] {
			return fmt.Errorf("upstream address %q given twice", a)
		}
		seen[a] = true
	}
	seen = map[string]bool{}
	for _, path := range p.WSPaths {
		if err := checkPath(path); err != nil {
			return err
		}
		if seen[path] {
			return fmt.Errorf("WebSocket path %q given twice", path)
		}
		seen[path] = true
	}
	if p.ServerName != "" {
		if err := checkServerName(p.ServerName); err != nil {
			return err
		}
	}
	if p.tls {
		if err := checkFile("TLS certificate", p.TLSCert); err != nil {
			return err
		}
		if err := checkFile("TLS key", p.TLSKey); err != nil {
			return err
		}
	}
	if p.Keepalive < 0 {
		return fmt.Errorf("keepalive %d: want 0 (none) or a positive number of idle connections", p.Keepalive)
	}
	ms, ok := parseMsec(p.ReadTimeout)
	if !ok {
		return fmt.Errorf("invalid read timeout %q: want an nginx time such as 1h, 90s or 1h30m (units ms s m h d w, largest first)", p.ReadTimeout)
	}
	if ms <= 60_000 {
		return fmt.Errorf("read timeout %q is at most 60s: nginx would close an idle WebSocket after that much silence (WS201); give more, e.g. 1h", p.ReadTimeout)
	}
	return nil
}

// listenPort returns the port of a listen address ("80" when none is
// written, "" for a unix socket).
func listenPort(a string) string {
	switch {
	case strings.HasPrefix(a, "unix:"):
		return ""
	case isPort(a):
		return a
	}
	if _, port, err := splitHostPort(a); err == nil && port != "" {
		return port
	}
	return "80"
}

// Nginx validates spec and returns the configuration it describes.
func Nginx(spec NginxSpec) (string, error) {
	_, p, err := spec.resolve()
	if err != nil {
		return "", err
	}
	return p.render(), nil
}

// keepalive reports whether upstream keepalive applies to the generated
// upstream: an explicit `keepalive N`, or nginx 1.29.7+ (keepalive on by
// default for explicit upstream blocks).
func (p *plan) keepalive() bool {
	return p.Keepalive > 0 || p.upstream != "" && p.v.atLeast(v1_29_7)
}

type writer struct {
	b     strings.Builder
	depth int
}

func (w *writer) line(format string, args ...any) {
	if format == "" {
		w.b.WriteString("\n")
		return
	}
	w.b.WriteString(strings.Repeat("    ", w.depth))
	fmt.Fprintf(&w.b, format, args...)
	w.b.WriteString("\n")
}

func (w *writer) lines(ls []string) {
	for _, l := range ls {
		w.line("%s", l)
	}
}

func (w *writer) open(format string, args ...any) {
	w.line(format+" {", args...)
	w.depth++
}

func (w *writer) close() {
	w.depth--
	w.line("}")
}

func (p *plan) render() string {
	w := &writer{}
	v := strings.TrimPrefix(strings.TrimSpace(p.NginxVersion), "nginx/")
	w.line("# Generated by `wslint generate nginx` for nginx %s.", v)
	if p.preset.Name != "" {
		w.line("# Preset %s: %s.", p.preset.Name, p.preset.Framework)
	}
	w.line("# After editing, check it with: wslint lint --nginx-version %s FILE", v)
	w.line("")
	if p.Full {
		w.line("worker_processes auto;")
		w.line("# After a reload, old workers keep running as long as their WebSockets stay")
		w.line("# open; this closes them (clients reconnect to the new workers).")
		w.line("worker_shutdown_timeout %s;", ShutdownTimeout)
		w.line("")
		w.line("# Each WebSocket holds two connections (client and upstream): raise")
		w.line("# worker_connections (default 512) for many concurrent clients.")
		w.line("events {}")
		w.line("")
		w.open("http")
	} else {
		w.line("# A conf.d file: nginx includes it inside http {}. In nginx.conf (main context)")
		w.line("# also set `worker_shutdown_timeout %s;`, or old workers keep WebSockets open", ShutdownTimeout)
		w.line("# after a reload.")
		w.line("")
	}

	w.line("# Upgrade: forward only WebSocket upgrades, so that `Upgrade: h2c` cannot")
	w.line("# reach the backend and switch to HTTP/2 past this server's location rules.")
	w.lines(WebSocketOnlyMap(UpgradeVar))
	w.line("")
	if p.keepalive() {
		w.line("# Connection: upgrade for WebSocket handshakes, no Connection header otherwise")
		w.line("# (plain requests keep upstream connections alive).")
	} else {
		w.line("# Connection: upgrade for WebSocket handshakes, close for other requests.")
	}
	w.lines(UpgradeMap(ConnectionVar, p.keepalive()))
	w.line("")

	if p.upstream != "" {
		w.open("upstream %s", p.upstream)
		if p.preset.Sticky && len(p.servers) > 1 {
			w.line("# %s: every request of one client to the same server.", p.preset.Framework)
			w.line("hash $remote_addr consistent;")
		}
		for _, s := range p.servers {
			w.line("server %s;", s)
		}
		if p.Keepalive > 0 {
			w.line("keepalive %d;", p.Keepalive)
		}
		w.close()
		w.line("")
	}

	p.renderServer(w)
	if listens := p.redirectListens(); len(listens) > 0 {
		w.line("")
		p.renderRedirect(w, listens)
	}
	if p.Full {
		w.close()
	}
	return w.b.String()
}

func (p *plan) renderServer(w *writer) {
	w.open("server")
	for _, a := range p.Listen {
		switch {
		case p.tls && p.v.less(v1_25_1):
			w.line("listen %s ssl http2;", a)
		case p.tls:
			w.line("listen %s ssl;", a)
		default:
			w.line("listen %s;", a)
		}
	}
	if p.tls && p.v.atLeast(v1_25_1) {
		w.line("http2 on;")
	}
	if p.ServerName != "" {
		w.line("server_name %s;", p.ServerName)
	}
	if p.tls {
		w.line("ssl_certificate %s;", word(p.TLSCert))
		w.line("ssl_certificate_key %s;", word(p.TLSKey))
	}
	ws := map[string]bool{}
	for _, path := range p.WSPaths {
		ws[path] = true
	}
	if !ws["/"] {
		w.line("")
		p.renderPlain(w)
	}
	for i, path := range p.WSPaths {
		w.line("")
		if i == 0 {
			for _, n := range p.preset.Notes {
				w.line("# %s", n)
			}
		}
		p.renderWS(w, path, i == 0)
	}
	w.close()
}

// renderPlain writes `location /` for ordinary requests.
func (p *plan) renderPlain(w *writer) {
	w.open("location /")
	w.line("proxy_pass %s;", p.target)
	reuse := p.Keepalive > 0 && p.v.less(v1_29_7)
	if reuse {
		w.line("# Upstream keepalive: HTTP/1.1, no Connection header (defaults from 1.29.7).")
		w.line("proxy_http_version 1.1;")
	}
	w.lines(ForwardedHeaders())
	if reuse {
		w.line(`proxy_set_header Connection "";`)
	}
	w.close()
}

// renderWS writes a WebSocket location (plain requests to it work too);
// the first one explains its lines.
func (p *plan) renderWS(w *writer, path string, explain bool) {
	comment := func(text string) {
		if explain {
			w.line("# %s", text)
		}
	}
	w.open("location %s", path)
	w.line("proxy_pass %s;", p.target)
	if p.v.less(v1_29_7) {
		comment("WebSocket needs HTTP/1.1 to the upstream; before 1.29.7 nginx uses 1.0.")
		w.line("proxy_http_version 1.1;")
	}
	w.lines(ForwardedHeaders())
	w.lines(upgradeHeaders(UpgradeVar, ConnectionVar))
	comment("nginx closes a WebSocket that is silent in both directions for this long.")
	w.line("proxy_read_timeout %s;", word(p.ReadTimeout))
	if p.preset.Unbuffered {
		w.line("proxy_buffering off;")
	}
	w.close()
}

// redirectListens returns the port-80 addresses of the http-to-https
// redirect: one per host of the TLS listen addresses (none without TLS).
func (p *plan) redirectListens() []string {
	if !p.tls {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for _, a := range p.Listen {
		if strings.HasPrefix(a, "unix:") {
			continue
		}
		r := "80"
		if !isPort(a) {
			if host, _, err := splitHostPort(a); err == nil && host != "*" {
				r = host + ":80"
			}
		}
		if !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	return out
}

// renderRedirect writes the port-80 server that sends clients to https.
func (p *plan) renderRedirect(w *writer, listens []string) {
	port := ""
	for _, a := range p.Listen {
		if port = listenPort(a); port != "" {
			break
		}
	}
	w.open("server")
	for _, l := range listens {
		w.line("listen %s;", l)
	}
	if p.ServerName != "" {
		w.line("server_name %s;", p.ServerName)
	}
	if port == "443" {
		w.line("return 301 https://$host$request_uri;")
	} else {
		w.line("return 301 https://$host:%s$request_uri;", port)
	}
	w.close()
}
