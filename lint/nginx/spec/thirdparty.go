package spec

import "strings"

// thirdPartyFamilies maps name prefixes (ending in '_') and exact names of
// widely deployed third-party modules to their project. Only names missing
// from the directive table are worth asking about: the table wins.
var thirdPartyFamilies = []struct{ prefix, project string }{
	{"passenger_", "Phusion Passenger"},
	{"nchan_", "Nchan"},
	{"push_stream_", "nginx-push-stream-module"},
	{"rtmp_", "nginx-rtmp-module"},
	{"vhost_traffic_status_", "nginx-module-vts"},
	{"server_traffic_status", "nginx-module-sts"},
	{"stream_server_traffic_status", "nginx-module-sts"},
	{"pagespeed", "ngx_pagespeed"},
	{"lua_", "lua-nginx-module"},
	{"more_", "headers-more-nginx-module"},
	{"brotli", "ngx_brotli"},
	{"zstd", "zstd-nginx-module"},
	{"modsecurity", "ModSecurity-nginx"},
	{"echo_", "echo-nginx-module"},
	{"set_", "set-misc-nginx-module"},
	{"srcache_", "srcache-nginx-module"},
	{"memc_", "memc-nginx-module"},
	{"redis2_", "redis2-nginx-module"},
	{"redis_", "ngx_http_redis"},
	{"fancyindex", "ngx-fancyindex"},
	{"dav_ext_", "nginx-dav-ext-module"},
	{"upload_progress", "nginx-upload-progress-module"},
	{"track_uploads", "nginx-upload-progress-module"},
	{"report_uploads", "nginx-upload-progress-module"},
	{"upload_", "nginx-upload-module"},
	{"auth_pam", "ngx_http_auth_pam_module"},
	{"auth_ldap", "nginx-auth-ldap"},
	{"ldap_server", "nginx-auth-ldap"},
	{"auth_gss", "spnego-http-auth-nginx-module"},
	{"auth_digest", "nginx-http-auth-digest"},
	{"subs_filter", "ngx_http_substitutions_filter_module"},
	{"vod", "nginx-vod-module"},
	{"check", "nginx_upstream_check_module"},
	{"fair", "nginx-upstream-fair"},
	{"jdomain", "nginx-upstream-jdomain"},
	{"testcookie", "testcookie-nginx-module"},
	{"opentracing", "nginx-opentracing"},
	{"opentelemetry", "opentelemetry-cpp-contrib nginx"},
	{"datadog_", "nginx-datadog"},
	{"sticky_", "nginx-sticky-module-ng"},
	{"geoip2", "ngx_http_geoip2_module"},
	{"ip2location_", "ip2location-nginx"},
	{"concat", "nginx-http-concat"},
	{"encrypted_session_", "encrypted-session-nginx-module"},
	{"form_input", "form-input-nginx-module"},
	{"array_", "array-var-nginx-module"},
	{"rds_", "rds-json-nginx-module"},
	{"drizzle_", "drizzle-nginx-module"},
	{"postgres_", "ngx_postgres"},
	{"small_light", "ngx_small_light"},
	{"aws_", "ngx_aws_auth"},
	{"secure_token", "nginx-secure-token-module"},
	{"akamai_token_validate", "nginx-akamai-token-validate-module"},
	{"naxsi", "naxsi"},
}

// naxsi's directives are CamelCase.
var naxsiNames = map[string]bool{
	"MainRule": true, "BasicRule": true, "CheckRule": true, "LearningMode": true, "SecRulesEnabled": true,
	"SecRulesDisabled": true, "DeniedUrl": true, "LibInjectionSql": true, "LibInjectionXss": true,
}

// ThirdPartyFamily reports whether name looks like a directive of a widely
// deployed third-party module that the table does not list (passenger_*,
// nchan_*, set_*, naxsi's MainRule, ...) and names its project. WS002 can
// stay quiet, or soften, for such names. It says nothing about names the
// table knows: call Lookup first.
func ThirdPartyFamily(name string) (project string, ok bool) {
	if naxsiNames[name] {
		return "naxsi", true
	}
	for _, f := range thirdPartyFamilies {
		if name == strings.TrimSuffix(f.prefix, "_") || strings.HasPrefix(name, f.prefix) && (strings.HasSuffix(f.prefix, "_") || len(name) == len(f.prefix) || name[len(f.prefix)] == '_') {
			return f.project, true
		}
	}
	return "", false
}
