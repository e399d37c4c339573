package generate

import "strings"

// Variables the generated maps define.
const (
	ConnectionVar = "connection_upgrade" // UpgradeMap: the Connection value
	UpgradeVar    = "ws_upgrade"         // WebSocketOnlyMap: the Upgrade value
)

// UpgradeMap returns the canonical upgrade map (nginx.org websocket.html),
// one line per element, the body indented by four spaces. It defines
// $varName (a leading `$` is accepted) as `upgrade` when the client sent an
// Upgrade header. Other requests get `close`, or, when keepalive is set
// (upstream keepalive applies: an upstream with `keepalive N`, or any
// upstream block on nginx 1.29.7+), the empty string, so that plain
// requests send no Connection header and keep the upstream connection alive
// (WS401). The map belongs in the http
// context (or the top of a conf.d file, which nginx includes there).
func UpgradeMap(varName string, keepalive bool) []string {
	other := "close"
	if keepalive {
		other = "''"
	}
	return []string{
		"map $http_upgrade $" + strings.TrimPrefix(varName, "$") + " {",
		"    default upgrade;",
		"    ''      " + other + ";",
		"}",
	}
}

// WebSocketOnlyMap returns a map defining $varName (a leading `$` is
// accepted) as `websocket` when the client asks for a WebSocket upgrade and
// empty otherwise. Forwarding `Upgrade` from it instead of $http_upgrade
// keeps `Upgrade: h2c` from reaching the backend, which could otherwise
// switch to HTTP/2 and serve requests past the server's location rules
// (h2c smuggling, WS301).
func WebSocketOnlyMap(varName string) []string {
	return []string{
		"map $http_upgrade $" + strings.TrimPrefix(varName, "$") + " {",
		"    ~*^websocket$ websocket;",
		`    default       "";`,
		"}",
	}
}

// WebSocketHeaders returns the two proxy_set_header lines that forward a
// handshake: `Upgrade` from the client, and `Connection` from connVar (the
// upgrade map's variable, with or without `$`). Sec-WebSocket-* headers,
// Origin and the subprotocol pass through on their own and are left alone.
func WebSocketHeaders(connVar string) []string {
	return upgradeHeaders("http_upgrade", connVar)
}

// upgradeHeaders forwards Upgrade from upgradeVar and Connection from connVar.
func upgradeHeaders(upgradeVar, connVar string) []string {
	return []string{
		"proxy_set_header Upgrade $" + strings.TrimPrefix(upgradeVar, "$") + ";",
		"proxy_set_header Connection $" + strings.TrimPrefix(connVar, "$") + ";",
	}
}

// ForwardedHeaders returns the proxy_set_header lines that tell the backend
// the client's view of the request: Host (Origin-checking WebSocket servers
// compare it with Origin and answer 403 to nginx's default `$proxy_host`,
// WS111), the client address and the scheme.
func ForwardedHeaders() []string {
	return []string{
		"proxy_set_header Host $host;",
		"proxy_set_header X-Real-IP $remote_addr;",
		"proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
		"proxy_set_header X-Forwarded-Proto $scheme;",
	}
}
