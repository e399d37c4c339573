package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/wslint/wslint/generate"
)

// newGenerateUnitCmd is `wslint generate unit`.
func newGenerateUnitCmd() *cobra.Command {
	var spec generate.UnitSpec
	c := &cobra.Command{
		Use:   "unit [flags]",
		Short: "Print an NGINX Unit configuration that serves WebSockets",
		Long: `Print an NGINX Unit /config document for a WebSocket application: a
listener, an application of the given type (Python ASGI by default, with
"protocol": "asgi" declared), a route that sends the WebSocket paths to
the application (never to a proxy, which cannot tunnel WebSockets), an
optional static share in front of it, and settings.http.websocket when
timeouts are given. Apply it with
  curl -X PUT --data-binary @config.json --unix-socket /var/run/control.unit.sock http://localhost/config

The output passes Unit's schema and every Unit rule of wslint. A preset's
values are defaults that explicit flags override (--ws-path replaces its
paths). Application types that Unit cannot run WebSockets on (WSGI, PHP,
Ruby, Perl, Go) are refused together with --ws-path or WebSocket timeouts.

Presets:
` + unitPresetHelp() + `
Exit status: 0 printed, 2 invalid flags.`,
		Example: `  wslint generate unit --preset fastapi --path /srv/app --home /srv/app/venv > config.json
  wslint generate unit --preset django-channels --module mysite.asgi --static /srv/mysite/static
  wslint generate unit --preset express --path /srv/chat --listen 8080 --ws-path /socket
  wslint generate unit --module chat.asgi --callable app --ws-path /ws --ws-read-timeout 300 --ws-keepalive 30`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			out, err := generate.Unit(spec)
			if err != nil {
				return usageErr("generate unit: %v", err)
			}
			_, err = io.WriteString(cmd.OutOrStdout(), out)
			return err
		},
	}
	fl := c.Flags()
	fl.StringVar(&spec.Preset, "preset", "", "framework preset: "+strings.Join(generate.UnitPresetNames(), ", "))
	fl.StringVar(&spec.Name, "name", "", "application name (default: the preset's, else app)")
	fl.StringVar(&spec.AppType, "app-type", "", "application type: python, external (Node.js, Go binary), java, php, ruby, perl or go (default python)")
	fl.StringVar(&spec.Protocol, "protocol", "", "Python protocol: asgi or wsgi (default asgi; only ASGI serves WebSockets)")
	fl.StringVar(&spec.Module, "module", "", "Python module (default asgi); the script of Ruby, Perl and PHP apps; the Node.js entry file (default app.js)")
	fl.StringVar(&spec.Callable, "callable", "", "Python callable (Unit's default: application)")
	fl.StringVar(&spec.Path, "path", "", "Python path; working directory of Node.js, Go, Ruby and Perl apps; PHP root; Java .war")
	fl.StringVar(&spec.Home, "home", "", "Python virtual environment")
	fl.StringVar(&spec.Executable, "executable", "", "program of an external or Go app (Node.js default: /usr/bin/env node with the unit-http loader)")
	fl.StringArrayVar(&spec.Listen, "listen", nil, "listener: PORT, *:PORT, IPv4:PORT, [IPv6]:PORT or unix:PATH (repeatable; default "+generate.DefaultUnitListen+")")
	fl.StringArrayVar(&spec.WSPaths, "ws-path", nil, "WebSocket path routed to the application, e.g. /ws (repeatable; default: the preset's)")
	fl.StringVar(&spec.Static, "static", "", "directory served by a share step before the application, e.g. /srv/app/static")
	fl.IntVar(&spec.Processes, "processes", 0, "application processes (default: Unit's 1)")
	fl.IntVar(&spec.WSReadTimeout, "ws-read-timeout", 0, "settings.http.websocket.read_timeout in seconds (default: Unit's 60)")
	fl.IntVar(&spec.WSKeepalive, "ws-keepalive", 0, "settings.http.websocket.keepalive_interval in seconds, below the read timeout (default: Unit's 30)")
	return c
}

// unitPresetHelp lists the Unit presets for --help.
func unitPresetHelp() string {
	var b strings.Builder
	for _, p := range generate.UnitPresets() {
		what := p.AppType
		if p.Protocol != "" {
			what += " " + p.Protocol
		}
		mod := p.Module
		if p.Callable != "" {
			mod += ":" + p.Callable
		}
		fmt.Fprintf(&b, "  %-16s %s: %s %s, paths %s\n", p.Name, p.Framework, what, mod, strings.Join(p.WSPaths, " "))
	}
	return b.String()
}
