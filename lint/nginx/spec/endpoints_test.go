package spec

import (
	"strings"
	"testing"
)

func TestWebSocketEndpoint(t *testing.T) {
	yes := map[string]string{
		"/socket.io/":             "Socket.IO",
		"/socket.io":              "Socket.IO",
		"/chat/socket.io/":        "Socket.IO",
		`~* /socket\.io`:          "Socket.IO",
		"~ ^/socket.io/":          "Socket.IO",
		"^~ /socket.io/":          "Socket.IO",
		"/sockjs":                 "SockJS",
		"/sockjs/info":            "SockJS",
		"/sockjs-node":            "webpack-dev-server",
		"/cable":                  "ActionCable",
		"= /cable":                "ActionCable",
		"/live/websocket":         "Phoenix",
		"/socket/websocket":       "Phoenix",
		"/api/websocket":          "Home Assistant",
		"/api/live/":              "Grafana",
		"/grafana/api/live/":      "Grafana",
		"/api/live":               "Grafana",
		"/api/v1/streaming":       "Mastodon",
		"/api/v1/streaming/":      "Mastodon",
		"/terminals/websocket/":   "Jupyter",
		"/api/kernels/":           "Jupyter",
		`~* /api/kernels/`:        "Jupyter",
		"/_stcore/stream":         "Streamlit",
		"/xmpp-websocket":         "Jitsi",
		"/ws":                     "`ws`",
		"/ws/":                    "`ws`",
		"/WS/":                    "`ws`",
		"= /ws":                   "`ws`",
		"=/ws":                    "`ws`",
		"~ ^/ws/":                 "`ws`",
		"~^/ws/":                  "`ws`",
		"^/ws/":                   "`ws`",
		"~ /ws$":                  "`ws`",
		"~* ^/ws.*":               "`ws`",
		"~* ^/(ws|events)/":       "`ws`",
		"~ ^/app/[0-9]+/ws$":      "`ws`",
		"/api/ws/v1":              "`ws`",
		"/wss":                    "`wss`",
		"/websocket":              "`websocket`",
		"/app/websockets/feed":    "`websockets`",
		"/graphql-ws":             "`graphql-ws`",
		"/subscriptions":          "`subscriptions`",
		`~ ^/(?:api/)?ws/`:        "`ws`",
		"~ ^/wsx?/":               "`ws`",
		`~ ^/(?<app>[a-z]+)/ws/?`: "`ws`",
	}
	for path, want := range yes {
		what, ok := WebSocketEndpoint(path)
		if !ok || !strings.Contains(what, want) {
			t.Errorf("WebSocketEndpoint(%q) = %q, %v; want %q", path, what, ok, want)
		}
	}
	no := []string{"/", "/news", "/wsdl", "/awesome", "/api", "/socket", "/live", "/cables", "/socket.iox",
		"/api/livestream", "~ ^/news", "/static/", `~ \.(js|css)$`, "/wss2", "/ws-proxy", "/sockets", "@ws",
		"@websocket", "/api/kernelspec", "~* ^/w.s/", "/graphql", "/subscription", "/my_ws",
		"/api/websocketx", "", "~* \\.ws$"}
	for _, path := range no {
		if what, ok := WebSocketEndpoint(path); ok {
			t.Errorf("WebSocketEndpoint(%q) = %q, want no match", path, what)
		}
	}
}

func TestEndpointsWith(t *testing.T) {
	def := DefaultEndpoints()
	n := len(def.List())
	e := def.With("/realtime", "feed/", "", "/")
	if len(def.List()) != n {
		t.Fatal("With modified the default set")
	}
	if len(e.List()) != n+2 {
		t.Fatalf("With added %d entries, want 2", len(e.List())-n)
	}
	if what, ok := e.Match("/realtime/"); !ok || what != "configured WebSocket path `/realtime`" {
		t.Errorf("Match(/realtime/) = %q, %v", what, ok)
	}
	if _, ok := e.Match("~ ^/feed/"); !ok {
		t.Error("feed/ not matched")
	}
	if _, ok := def.Match("/realtime"); ok {
		t.Error("default set matches /realtime")
	}
	if _, ok := e.Match("/ws"); !ok {
		t.Error("With lost the defaults")
	}
}

func TestParseEndpoints(t *testing.T) {
	for _, bad := range []string{
		`{}`,
		`[{"match":"exact","path":"/x","what":"x"}]`,
		`[{"match":"prefix","path":"x","what":"x"}]`,
		`[{"match":"prefix","path":"/","what":"x"}]`,
		`[{"match":"segment","path":"a/b","what":"x"}]`,
		`[{"match":"segment","path":"ws","what":""}]`,
	} {
		if _, err := ParseEndpoints([]byte(bad)); err == nil {
			t.Errorf("ParseEndpoints(%s) accepted", bad)
		}
	}
	// Every built-in entry matches its own path.
	for _, ep := range DefaultEndpoints().List() {
		p := ep.Path
		if ep.Match == "segment" {
			p = "/x/" + p + "/y"
		}
		if what, ok := WebSocketEndpoint(p); !ok || what != ep.What {
			t.Errorf("%q: matched %q, %v; want %q", p, what, ok, ep.What)
		}
	}
}
