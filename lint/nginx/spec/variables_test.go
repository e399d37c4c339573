package spec

import "testing"

func TestIsBuiltinVariable(t *testing.T) {
	yes := []string{"http_upgrade", "Host", "host", "HTTP_UPGRADE", "http_connection", "uri", "request_uri",
		"remote_addr", "binary_remote_addr", "proxy_host", "proxy_port", "proxy_add_x_forwarded_for", "scheme",
		"server_name", "upstream_addr", "connection", "msec", "time_iso8601", "ssl_protocol", "ssl_server_name",
		"realip_remote_addr", "sent_http_content_type", "sent_trailer_x", "cookie_session", "arg_token",
		"upstream_http_x_accel", "upstream_trailer_grpc_status", "upstream_cookie_id", "http2", "request_id",
		"geoip_country_code", "msie", "tcpinfo_rtt", "proxy_protocol_tlv_0x01", "$host", "http_"}
	for _, n := range yes {
		if !IsBuiltinVariable(n) {
			t.Errorf("IsBuiltinVariable(%q) = false", n)
		}
	}
	no := []string{"connection_upgrade", "http", "1", "0", "memcached_key", "ws_upgrade", "upgrade", "cookie",
		"ssl_preread_server_name", "protocol", ""}
	for _, n := range no {
		if IsBuiltinVariable(n) {
			t.Errorf("IsBuiltinVariable(%q) = true", n)
		}
	}
	if !IsBuiltinStreamVariable("ssl_preread_server_name") || !IsBuiltinStreamVariable("Remote_Addr") ||
		IsBuiltinStreamVariable("http_upgrade") || IsBuiltinStreamVariable("request_uri") {
		t.Error("stream variables")
	}
}
