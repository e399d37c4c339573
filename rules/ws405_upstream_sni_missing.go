package rules

import (
	"net"
	"strings"

	"github.com/wslint/wslint/lint"
)

// UpstreamSNIMissing reports a proxy_pass to an https:// host name (or a
// grpcs://, suwsgi:// one) without *_ssl_server_name on: nginx sends no SNI
// to the backend.
var UpstreamSNIMissing = &lint.Rule{
	ID:       "WS405",
	Name:     "upstream-sni-missing",
	Lang:     lint.Nginx,
	Severity: lint.Warning,
	Default:  true,
	Check:    checkUpstreamSNIMissing,
	Doc: lint.Doc{
		Summary: "proxying to a TLS backend by host name without sending it as SNI",
		Why: "`proxy_ssl_server_name` is off by default, so nginx's TLS handshake with " +
			"`proxy_pass https://api.example.com` names no server. Backends behind shared TLS front " +
			"ends (CDNs, Kubernetes ingress controllers, hosted platforms, any server with several " +
			"certificates) refuse the handshake or answer with another site's certificate: every " +
			"request, WebSocket handshakes included, gets 502 (`SSL_do_handshake() failed ... " +
			"handshake failure` in the error log). An IP address, a variable, or an upstream block " +
			"name (whose SNI would be the block's name: set `proxy_ssl_name` too) is not reported. " +
			"`grpc_pass grpcs://` and `uwsgi_pass suwsgi://` have the same default " +
			"(`grpc_ssl_server_name`, `uwsgi_ssl_server_name`).",
		Bad: "location /ws/ {\n    proxy_pass https://app.example.com;\n    proxy_http_version 1.1;\n" +
			"    proxy_set_header Host app.example.com;\n    proxy_set_header Upgrade $http_upgrade;\n" +
			"    proxy_set_header Connection \"upgrade\";\n    proxy_read_timeout 1h;\n}\n",
		Good: "location /ws/ {\n    proxy_pass https://app.example.com;\n    proxy_ssl_server_name on;\n    proxy_http_version 1.1;\n" +
			"    proxy_set_header Host app.example.com;\n    proxy_set_header Upgrade $http_upgrade;\n" +
			"    proxy_set_header Connection \"upgrade\";\n    proxy_read_timeout 1h;\n}\n",
		FixSafety: "Safe: it adds `proxy_ssl_server_name on;` after the proxy_pass, which makes nginx " +
			"name the proxy_pass host (`proxy_ssl_name`'s default, `$proxy_host`) in its handshake; a " +
			"backend that needs no SNI ignores it (`grpc_ssl_server_name on;`, `uwsgi_ssl_server_name on;` " +
			"for those). No fix where the author set it off, or where the " +
			"proxy_pass stands in an `if` or `limit_except` block (the directive belongs in the location).",
		References: []string{
			"https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_ssl_server_name",
			"https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_ssl_name",
		},
	},
}

// tlsPasses are the content handlers that can speak TLS to a backend: the
// scheme of their TLS addresses and the directive that sends SNI.
var tlsPasses = map[string]struct{ scheme, sni string }{
	"proxy_pass": {"https://", "proxy_ssl_server_name"},
	"grpc_pass":  {"grpcs://", "grpc_ssl_server_name"},
	"uwsgi_pass": {"suwsgi://", "uwsgi_ssl_server_name"},
}

func checkUpstreamSNIMissing(p *lint.Pass) (out []lint.Finding) {
	for _, loc := range p.Nginx.Locations() {
		pp := loc.Handler()
		if pp == nil || len(pp.Args) == 0 {
			continue
		}
		tp, ok := tlsPasses[pp.Name]
		if !ok {
			continue
		}
		host, ok := tlsHost(pp.Args[0].Value, tp.scheme)
		if !ok || p.Nginx.Upstream(host) != nil {
			continue
		}
		sni := loc.Effective(tp.sni)
		if sni != nil && strings.EqualFold(sni.Arg(0), "on") {
			continue
		}
		f := p.Finding(pp.Args[0].Span, "nginx sends no SNI to `%s` (`%s` is off): a backend behind a shared TLS front end refuses the handshake or shows another site's certificate, and every request gets 502",
			host, tp.sni)
		if sni != nil {
			f = f.WithRelated(sni.Span, "`%s` is in force here", sni.String())
			out = append(out, f)
			continue // the author turned it off: no fix
		}
		if pp.Parent != loc.Block {
			out = append(out, f) // in an `if` or limit_except, where the directive may not stand
			continue
		}
		out = append(out, f.WithFix(lint.Safe, "Send the host name with `"+tp.sni+" on`", lint.InsertLinesAfter(pp, tp.sni+" on;")))
	}
	return out
}

// tlsHost returns the host name of a TLS backend address (scheme
// "https://", "grpcs://", "suwsgi://"), and ok false for other schemes, an
// IP address, or an address with variables.
func tlsHost(url, scheme string) (string, bool) {
	rest, ok := strings.CutPrefix(strings.ToLower(url), scheme)
	if !ok || strings.Contains(rest, "$") || strings.HasPrefix(rest, "[") || strings.HasPrefix(rest, "unix:") {
		return "", false
	}
	host, _, _ := strings.Cut(rest, "/")
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if host == "" || net.ParseIP(host) != nil {
		return "", false
	}
	return host, true
}
