package generate

import (
	"sort"
	"strings"
)

// Preset holds what one framework needs from nginx. Its values are defaults:
// explicit NginxSpec fields override them.
type Preset struct {
	Name      string   // "socketio"
	Aliases   []string // other accepted names ("uvicorn" for fastapi)
	Framework string   // "Socket.IO", for comments and help
	// WSPaths are the framework's WebSocket endpoints (location prefixes).
	WSPaths []string
	// Upstream is the framework's usual development address, used when no
	// upstream is given.
	Upstream string
	// ReadTimeout for the WebSocket locations; above 60 s, since nginx closes a
	// tunnel silent in both directions for proxy_read_timeout (WS201).
	ReadTimeout string
	// Sticky adds `hash $remote_addr consistent` when there are several
	// upstream servers: the framework needs every request of one session on
	// the same server.
	Sticky bool
	// Unbuffered adds `proxy_buffering off` to the WebSocket locations, for a
	// Server-Sent Events fallback that shares the path (WebSocket tunnels
	// ignore buffering).
	Unbuffered bool
	// Notes are comment lines put above the WebSocket locations.
	Notes []string
}

var presets = []Preset{
	{
		Name: "actioncable", Framework: "Rails Action Cable",
		WSPaths: []string{"/cable"}, Upstream: "127.0.0.1:3000", ReadTimeout: "1h",
		Notes: []string{"Action Cable pings every 3 s: the timeout only ends dead peers."},
	},
	{
		Name: "django-channels", Aliases: []string{"channels"}, Framework: "Django Channels (Daphne or uvicorn)",
		WSPaths: []string{"/ws/"}, Upstream: "127.0.0.1:8000", ReadTimeout: "1h",
		Notes: []string{"The Channels tutorial routes its consumers under /ws/."},
	},
	{
		Name: "fastapi", Aliases: []string{"uvicorn", "starlette"}, Framework: "FastAPI on uvicorn",
		WSPaths: []string{"/ws"}, Upstream: "127.0.0.1:8000", ReadTimeout: "1h",
		Notes: []string{"uvicorn pings every 20 s (--ws-ping-interval): the timeout only ends dead peers."},
	},
	{
		Name: "grafana", Framework: "Grafana Live",
		WSPaths: []string{"/api/live/"}, Upstream: "127.0.0.1:3000", ReadTimeout: "1h",
		Notes: []string{
			"Grafana Live answers 403 to an Origin other than root_url's (or [live] allowed_origins):",
			"set root_url in grafana.ini to the public URL.",
		},
	},
	{
		Name: "graphql", Framework: "GraphQL subscriptions (graphql-ws, subscriptions-transport-ws)",
		WSPaths: []string{"/graphql"}, Upstream: "127.0.0.1:4000", ReadTimeout: "1h",
		Notes: []string{
			"The graphql-transport-ws / graphql-ws subprotocol travels in Sec-WebSocket-Protocol,",
			"which nginx passes through untouched: never set or clear it here.",
		},
	},
	{
		Name: "home-assistant", Aliases: []string{"homeassistant"}, Framework: "Home Assistant",
		WSPaths: []string{"/api/websocket"}, Upstream: "127.0.0.1:8123", ReadTimeout: "1h",
		Notes: []string{
			"Home Assistant answers 400 to a proxy it does not trust: set use_x_forwarded_for",
			"and trusted_proxies in the http: section of its configuration.yaml.",
		},
	},
	{
		Name: "jupyter", Framework: "Jupyter Server (JupyterLab, Notebook)",
		WSPaths: []string{"/api/kernels/", "/terminals/websocket", "/api/events/subscribe"}, Upstream: "127.0.0.1:8888", ReadTimeout: "1h",
		Sticky: true,
		Notes:  []string{"Kernels live in one server process: several upstream servers need sticky hashing."},
	},
	{
		Name: "phoenix", Framework: "Phoenix channels and LiveView",
		WSPaths: []string{"/socket/websocket", "/live/websocket"}, Upstream: "127.0.0.1:4000", ReadTimeout: "1h",
		Notes: []string{"Phoenix clients send a heartbeat every 30 s: the timeout only ends dead peers."},
	},
	{
		Name: "signalr", Framework: "ASP.NET Core SignalR",
		WSPaths: []string{"/hubs/"}, Upstream: "127.0.0.1:5000", ReadTimeout: "1h",
		Sticky: true, Unbuffered: true,
		Notes: []string{
			"Map hubs under /hubs/ (app.MapHub<ChatHub>(\"/hubs/chat\")) or give --ws-path per hub.",
			"The negotiate and transport requests of a connection must reach one server: sticky",
			"hashing when scaled out without Azure SignalR Service. proxy_buffering off serves",
			"the Server-Sent Events fallback.",
		},
	},
	{
		Name: "socketio", Aliases: []string{"socket.io"}, Framework: "Socket.IO",
		WSPaths: []string{"/socket.io/"}, Upstream: "127.0.0.1:3000", ReadTimeout: "1h",
		Sticky: true,
		Notes: []string{
			"Socket.IO: the timeout must exceed pingInterval + pingTimeout (25 s + 20 s), and",
			"the long-polling requests of one session must reach one server (sticky hashing).",
		},
	},
}

// Presets returns the built-in presets sorted by name.
func Presets() []Preset {
	out := append([]Preset(nil), presets...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// PresetNames returns the preset names, sorted.
func PresetNames() []string {
	var names []string
	for _, p := range Presets() {
		names = append(names, p.Name)
	}
	return names
}

// LookupPreset finds a preset by name or alias, case-insensitively.
func LookupPreset(name string) (Preset, bool) {
	for _, p := range presets {
		if strings.EqualFold(p.Name, name) {
			return p, true
		}
		for _, a := range p.Aliases {
			if strings.EqualFold(a, name) {
				return p, true
			}
		}
	}
	return Preset{}, false
}
