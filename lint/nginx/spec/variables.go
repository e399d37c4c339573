package spec

import (
	"strings"
	"sync"
)

// httpVariableNames are the built-in variables of nginx's http core and stock
// http modules (ngx_http_variables.c, proxy, upstream, ssl, realip, geoip,
// browser, userid, ...), plus those of NGINX Plus and of the official
// dynamic modules (acme, otel), as nginx.org documents them; checked with
// `nginx -t` against 1.22.1 where that version has them. Lower case, without '$'.
var httpVariableNames = []string{
	"acme_certificate", "acme_certificate_key", "ancient_browser", "args", "binary_remote_addr",
	"body_bytes_sent", "bytes_sent", "connection", "connection_requests", "connection_time",
	"connections_active", "connections_reading", "connections_waiting", "connections_writing", "content_length",
	"content_type", "date_gmt", "date_local", "document_root", "document_uri", "fastcgi_path_info",
	"fastcgi_script_name", "geoip_area_code", "geoip_city", "geoip_city_continent_code",
	"geoip_city_country_code", "geoip_city_country_code3", "geoip_city_country_name", "geoip_country_code",
	"geoip_country_code3", "geoip_country_name", "geoip_dma_code", "geoip_latitude", "geoip_longitude",
	"geoip_org", "geoip_postal_code", "geoip_region", "geoip_region_name", "gzip_ratio", "host", "hostname",
	"http2", "http3", "https", "invalid_referer", "is_args", "is_request_port", "jwt_payload",
	"limit_conn_status", "limit_rate", "limit_req_status", "modern_browser", "msec", "msie", "nginx_version",
	"oidc_access_token", "oidc_id_token", "oidc_userinfo", "otel_parent_id", "otel_parent_sampled",
	"otel_span_id", "otel_trace_id", "pid", "pipe", "proxy_add_x_forwarded_for", "proxy_host",
	"proxy_internal_body_length", "proxy_internal_chunked", "proxy_internal_connection", "proxy_internal_host",
	"proxy_port", "proxy_protocol_addr", "proxy_protocol_port", "proxy_protocol_server_addr",
	"proxy_protocol_server_port", "query_string", "realip_remote_addr", "realip_remote_port", "realpath_root",
	"remote_addr", "remote_port", "remote_user", "request", "request_body", "request_body_file",
	"request_completion", "request_filename", "request_id", "request_length", "request_method", "request_port",
	"request_time", "request_uri", "scheme", "secure_link", "secure_link_expires", "server_addr", "server_name",
	"server_port", "server_protocol", "session_log_binary_id", "session_log_id", "slice_range",
	"ssl_alpn_protocol", "ssl_cipher", "ssl_ciphers", "ssl_client_cert", "ssl_client_escaped_cert",
	"ssl_client_fingerprint", "ssl_client_i_dn", "ssl_client_i_dn_legacy", "ssl_client_raw_cert",
	"ssl_client_s_dn", "ssl_client_s_dn_legacy", "ssl_client_serial", "ssl_client_sigalg", "ssl_client_v_end",
	"ssl_client_v_remain", "ssl_client_v_start", "ssl_client_verify", "ssl_curve", "ssl_curves",
	"ssl_early_data", "ssl_ech_outer_server_name", "ssl_ech_status", "ssl_protocol", "ssl_server_name",
	"ssl_session_id", "ssl_session_reused", "ssl_sigalg", "ssl_sigalgs", "status", "tcpinfo_rcv_space",
	"tcpinfo_rtt", "tcpinfo_rttvar", "tcpinfo_snd_cwnd", "time_iso8601", "time_iso8601_ms", "time_local",
	"uid_got", "uid_reset", "uid_set", "upstream_addr", "upstream_bytes_received", "upstream_bytes_sent",
	"upstream_cache_etag", "upstream_cache_last_modified", "upstream_cache_status", "upstream_connect_time",
	"upstream_header_time", "upstream_last_addr", "upstream_last_server_name", "upstream_queue_time",
	"upstream_response_length", "upstream_response_time", "upstream_status", "uri",
}

// httpPrefixes are the families resolved by prefix (ngx_http_variables_init_vars).
var httpPrefixes = []string{
	"http_", "sent_http_", "sent_trailer_", "cookie_", "arg_",
	"upstream_http_", "upstream_trailer_", "upstream_cookie_", "proxy_protocol_tlv_",
	"jwt_header_", "jwt_claim_", "oidc_claim_", // NGINX Plus
}

// streamVariableNames are the built-in variables of the stream modules.
var streamVariableNames = []string{
	"binary_remote_addr", "bytes_received", "bytes_sent", "connection", "geoip_area_code", "geoip_city",
	"geoip_city_continent_code", "geoip_city_country_code", "geoip_city_country_code3",
	"geoip_city_country_name", "geoip_country_code", "geoip_country_code3", "geoip_country_name",
	"geoip_dma_code", "geoip_latitude", "geoip_longitude", "geoip_org", "geoip_postal_code", "geoip_region",
	"geoip_region_name", "hostname", "limit_conn_status", "mqtt_preread_clientid", "mqtt_preread_username",
	"msec", "nginx_version", "pid", "protocol", "proxy_protocol_addr", "proxy_protocol_port",
	"proxy_protocol_server_addr", "proxy_protocol_server_port", "realip_remote_addr", "realip_remote_port",
	"remote_addr", "remote_port", "server_addr", "server_port", "session_time", "ssl_alpn_protocol",
	"ssl_cipher", "ssl_ciphers", "ssl_client_cert", "ssl_client_fingerprint", "ssl_client_i_dn",
	"ssl_client_raw_cert", "ssl_client_s_dn", "ssl_client_serial", "ssl_client_sigalg", "ssl_client_v_end",
	"ssl_client_v_remain", "ssl_client_v_start", "ssl_client_verify", "ssl_curve", "ssl_curves",
	"ssl_ech_outer_server_name", "ssl_ech_status", "ssl_preread_alpn_protocols", "ssl_preread_protocol",
	"ssl_preread_server_name", "ssl_protocol", "ssl_server_name", "ssl_session_id", "ssl_session_reused",
	"ssl_sigalg", "ssl_sigalgs", "status", "time_iso8601", "time_iso8601_ms", "time_local", "upstream_addr",
	"upstream_bytes_received", "upstream_bytes_sent", "upstream_connect_time", "upstream_first_byte_time",
	"upstream_last_addr", "upstream_session_time",
}

var streamPrefixes = []string{"proxy_protocol_tlv_"}

// The sets are built on first use, not at program start.
var (
	httpVariables   = sync.OnceValue(func() map[string]bool { return setOf(httpVariableNames) })
	streamVariables = sync.OnceValue(func() map[string]bool { return setOf(streamVariableNames) })
)

func setOf(names []string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// IsBuiltinVariable reports whether $name is defined by nginx itself in the
// http modules: name is given without '$' and compared case-insensitively, as
// nginx does. It covers the core variables ($host, $uri, $request_uri,
// $remote_addr, $scheme, $server_name, $connection, $msec, $time_iso8601,
// $binary_remote_addr, ...), those of the stock and packaged modules
// ($proxy_host, $proxy_port, $proxy_add_x_forwarded_for, $upstream_addr,
// $ssl_*, $realip_remote_addr, $geoip_*, ...) and the prefix families http_,
// sent_http_, sent_trailer_, cookie_, arg_, upstream_http_, upstream_trailer_,
// upstream_cookie_ and proxy_protocol_tlv_ (so $http_upgrade is built in,
// $connection_upgrade is not). Variables created by the configuration (map,
// geo, set, split_clients, js_set, perl_set, auth_request_set, regex named
// captures) are the caller's business, and so are the numeric captures
// $1..$9 of the last regex match: IsBuiltinVariable reports false for them.
func IsBuiltinVariable(name string) bool {
	return builtin(name, httpVariables, httpPrefixes)
}

// IsBuiltinStreamVariable is IsBuiltinVariable for the stream modules
// ($remote_addr, $protocol, $ssl_preread_server_name, $upstream_addr, ...).
func IsBuiltinStreamVariable(name string) bool {
	return builtin(name, streamVariables, streamPrefixes)
}

func builtin(name string, set func() map[string]bool, prefixes []string) bool {
	name = strings.ToLower(strings.TrimPrefix(name, "$"))
	if set()[name] {
		return true
	}
	for _, p := range prefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}
