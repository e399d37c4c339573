package main

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/spf13/cobra"
	"github.com/wslint/wslint/generate"
)

// newGenerateCmd is the parent of the generators (`generate nginx`, and
// later `generate unit`).
func newGenerateCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "generate TARGET [flags]",
		Short: "Print a WebSocket-ready configuration for nginx or NGINX Unit",
		Long: `Print a complete configuration for proxying WebSockets, built from flags
and framework presets. The output passes wslint lint with no findings for
the nginx version it is generated for.`,
		Example: `  wslint generate nginx --preset socketio --upstream 10.0.0.1:3000 --upstream 10.0.0.2:3000
  wslint generate nginx --help`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return cmd.Help()
			}
			var names []string
			for _, sub := range cmd.Commands() {
				if sub.IsAvailableCommand() {
					names = append(names, sub.Name())
				}
			}
			sort.Strings(names)
			return usageErr("unknown generator %q; valid generators: %s", args[0], strings.Join(names, ", "))
		},
	}
	c.AddCommand(newGenerateNginxCmd(), newGenerateUnitCmd())
	return c
}

func newGenerateNginxCmd() *cobra.Command {
	var spec generate.NginxSpec
	c := &cobra.Command{
		Use:   "nginx [flags]",
		Short: "Print an nginx configuration that proxies WebSockets correctly",
		Long: `Print an nginx configuration that proxies WebSockets to a backend: the
upgrade maps (forwarding only WebSocket upgrades, and keeping upstream
keepalive when it applies), Upgrade/Connection/Host/X-Forwarded-* headers,
proxy_http_version 1.1 where the target nginx needs it, a one-hour idle
timeout on the WebSocket locations, sticky hashing where the framework
needs it, and TLS with HTTP/2 plus an http-to-https redirect on request.

Without --full the output is a conf.d file (nginx includes it inside http {},
so the maps come first); with --full it is a standalone nginx.conf with
worker_shutdown_timeout, events {} and http {}. A preset's values are
defaults that explicit flags override (--ws-path replaces its paths).

Presets:
` + presetHelp() + `
Exit status: 0 printed, 2 invalid flags.`,
		Example: `  wslint generate nginx --preset fastapi > /etc/nginx/conf.d/app.conf
  wslint generate nginx --preset socketio --upstream 10.0.0.1:3000 --upstream 10.0.0.2:3000 --keepalive 16
  wslint generate nginx --ws-path /ws/ --server-name example.com \
      --tls-cert /etc/ssl/example.com.crt --tls-key /etc/ssl/example.com.key --nginx-version 1.26 --full
  wslint generate nginx --preset jupyter --listen 127.0.0.1:8080 --read-timeout 8h`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			out, err := generate.Nginx(spec)
			if err != nil {
				return usageErr("generate nginx: %v", err)
			}
			_, err = io.WriteString(cmd.OutOrStdout(), out)
			return err
		},
	}
	fl := c.Flags()
	fl.StringArrayVar(&spec.Listen, "listen", nil, "address to listen on: PORT, HOST:PORT, [IPv6]:PORT or unix:PATH (repeatable; default 80, or 443 with TLS)")
	fl.StringVar(&spec.ServerName, "server-name", "", "server_name, e.g. example.com (several names separated by spaces)")
	fl.StringArrayVar(&spec.Upstreams, "upstream", nil, "backend HOST:PORT, [IPv6]:PORT or unix:PATH (repeatable; makes an upstream block; default: the preset's address, else "+generate.DefaultUpstream+")")
	fl.StringArrayVar(&spec.WSPaths, "ws-path", nil, "WebSocket location prefix, e.g. /ws/ (repeatable; default: the preset's paths, else "+generate.DefaultWSPath+")")
	fl.StringVar(&spec.TLSCert, "tls-cert", "", "TLS certificate file: listen with ssl and HTTP/2, redirect port 80 to https (needs --tls-key)")
	fl.StringVar(&spec.TLSKey, "tls-key", "", "TLS private key file (needs --tls-cert)")
	fl.IntVar(&spec.Keepalive, "keepalive", 0, "idle upstream connections to keep per worker (upstream keepalive N; 0: none)")
	fl.StringVar(&spec.ReadTimeout, "read-timeout", "", "proxy_read_timeout of the WebSocket locations, above 60s (default "+generate.DefaultReadTimeout+")")
	fl.StringVar(&spec.NginxVersion, "nginx-version", "", "target nginx version (default "+generate.DefaultNginxVersion+"); e.g. 1.25.1, 1.30.0")
	fl.StringVar(&spec.Preset, "preset", "", "framework preset: "+strings.Join(generate.PresetNames(), ", "))
	fl.BoolVar(&spec.Full, "full", false, "print a standalone nginx.conf (events {}, http {}) instead of a conf.d file")
	return c
}

// presetHelp lists the presets for --help.
func presetHelp() string {
	var b strings.Builder
	for _, p := range generate.Presets() {
		extra := ""
		if p.Sticky {
			extra = ", sticky hashing when scaled out"
		}
		fmt.Fprintf(&b, "  %-16s %s\n  %-16s paths %s, timeout %s%s\n", p.Name, p.Framework, "", strings.Join(p.WSPaths, " "), p.ReadTimeout, extra)
	}
	return b.String()
}
