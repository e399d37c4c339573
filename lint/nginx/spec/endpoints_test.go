package spec

import (
	"math/rand/v2"
	"slices"
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

func TestNewEndpoints(t *testing.T) {
	for _, bad := range []Endpoint{
		{},
		{Match: "exact", Path: "/x", What: "x"},
		{Match: "prefix", Path: "x", What: "x"},
		{Match: "prefix", Path: "/", What: "x"},
		{Match: "segment", Path: "a/b", What: "x"},
		{Match: "segment", Path: "ws", What: ""},
		{Match: "segment", Path: "ws", What: "x", ClientURL: true},
		{Match: "prefix", Path: "/x/", What: "x", ClientURL: true},
	} {
		if _, err := NewEndpoints(Endpoint{Match: "prefix", Path: "/ok", What: "ok"}, bad); err == nil {
			t.Errorf("NewEndpoints(%+v) accepted", bad)
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

// matchByChunks is Match as it was written first: every literal run split
// into lower-case segments, then searched. Match must agree with it.
func matchByChunks(e *Endpoints, loc string) (string, bool) {
	text, regex, ok := locationText(loc)
	if !ok {
		return "", false
	}
	texts := []string{text}
	if regex {
		texts = regexLiterals(text)
	}
	var chunks [][]string
	for _, t := range texts {
		if segs := splitSegments(strings.ToLower(t)); len(segs) > 0 {
			chunks = append(chunks, segs)
		}
	}
	for i, want := range e.segs {
		for _, segs := range chunks {
			for k := 0; k+len(want) <= len(segs); k++ {
				if slices.Equal(segs[k:k+len(want)], want) {
					return e.list[i].What, true
				}
			}
		}
	}
	return "", false
}

func TestMatchAsChunks(t *testing.T) {
	e, err := defaultEndpoints().WithEntries(Endpoint{Path: "/a/b/"}, Endpoint{Match: "segment", Path: "Ünï"}, Endpoint{Path: "/K/x"})
	if err != nil {
		t.Fatal(err)
	}
	words := []string{"", "/", "//", "ws", "WS", "socket.io", "Socket.IO", "a", "A", "b", "ünï", "ÜNÏ", "\u212a", "k", "x", "\xff", "cable", "graphql", "sockjs", "hub", ".", "(?:ws)", `\.`, "[a-z]+", "ws?", "^", "$"}
	mods := []string{"", "= ", "^~ ", "~ ", "~* ", "@", " "}
	rng := rand.New(rand.NewPCG(8, 1))
	n := 0
	for range 20000 {
		var b strings.Builder
		b.WriteString(mods[rng.IntN(len(mods))])
		for range rng.IntN(6) {
			if rng.IntN(3) > 0 {
				b.WriteByte('/')
			}
			b.WriteString(words[rng.IntN(len(words))])
		}
		loc := b.String()
		gw, gok := e.Match(loc)
		ww, wok := matchByChunks(e, loc)
		if gw != ww || gok != wok {
			t.Fatalf("Match(%q) = %q %v, by chunks %q %v", loc, gw, gok, ww, wok)
		}
		if gok {
			n++
		}
	}
	if n < 1000 {
		t.Errorf("only %d of 20000 paths matched: the soup tests little", n)
	}
}
