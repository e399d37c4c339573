package spec

import (
	"regexp"
	"slices"
	"testing"
)

var releaseRE = regexp.MustCompile(`^[1-9][0-9]*\.[0-9]+\.[0-9]+$`)

func TestTable(t *testing.T) {
	if n := len(Names()); n < 900 {
		t.Fatalf("only %d directive names", n)
	}
	seen := map[[2]string]bool{}
	for i, d := range table {
		if i > 0 && table[i-1].Name > d.Name {
			t.Errorf("row %d %q: not sorted after %q", i, d.Name, table[i-1].Name)
		}
		key := [2]string{d.Name, d.Module + "/" + d.Contexts.String()}
		if seen[key] {
			t.Errorf("%s (%s): duplicate row", d.Name, d.Module)
		}
		seen[key] = true
		if d.Contexts == 0 || d.Module == "" || d.Name == "" {
			t.Errorf("%+v: empty field", d)
		}
		if d.MaxArgs != -1 && d.MaxArgs < d.MinArgs {
			t.Errorf("%s: MaxArgs %d < MinArgs %d", d.Name, d.MaxArgs, d.MinArgs)
		}
		if d.Opaque && !d.Block {
			t.Errorf("%s: opaque but not a block", d.Name)
		}
		if (d.Module == "third-party") != (d.ThirdParty != "") {
			t.Errorf("%s: Module %q with ThirdParty %q", d.Name, d.Module, d.ThirdParty)
		}
		if (d.Arg == ArgMsec || d.Arg == ArgSec || d.Arg == ArgFlag) && d.MinArgs < 1 {
			t.Errorf("%s: typed argument but MinArgs %d", d.Name, d.MinArgs)
		}
		if d.Contexts&Map != 0 && d.Name != "include" {
			t.Errorf("%s: only include may appear inside opaque blocks", d.Name)
		}
		for _, v := range []string{d.Since, d.ArgsSince, d.Until} {
			if v != "" && !releaseRE.MatchString(v) {
				t.Errorf("%s: release %q, want MAJOR.MINOR.PATCH", d.Name, v)
			}
		}
		if d.ArgsSince != "" && (d.MaxArgsBefore < d.MinArgs || d.MaxArgs != -1 && d.MaxArgsBefore >= d.MaxArgs) {
			t.Errorf("%s: MaxArgsBefore %d outside [MinArgs %d, MaxArgs %d)", d.Name, d.MaxArgsBefore, d.MinArgs, d.MaxArgs)
		}
	}
	// The preferred variant comes first: stock before commercial before third-party.
	for _, name := range Names() {
		vs := Variants(name)
		for i := 1; i < len(vs); i++ {
			if vs[i-1].IsThirdParty() && !vs[i].IsThirdParty() {
				t.Errorf("%s: third-party variant before %s", name, vs[i].Module)
			}
		}
	}
}

func TestLookupSection9(t *testing.T) {
	type row struct {
		name                 string
		http, srv, loc, lif  bool
		lmt, sif             bool
		merge                Merge
		arg                  ArgType
		minArgs, maxArgs     int
		module               string
		checkArgs, checkType bool
	}
	rows := []row{
		{name: "proxy_pass", loc: true, lif: true, lmt: true, merge: Scalar, minArgs: 1, maxArgs: 1, module: "ngx_http_proxy_module", checkArgs: true},
		{name: "proxy_http_version", http: true, srv: true, loc: true, merge: Scalar, minArgs: 1, maxArgs: 1, checkArgs: true},
		{name: "proxy_set_header", http: true, srv: true, loc: true, merge: List, minArgs: 2, maxArgs: 2, checkArgs: true},
		{name: "proxy_read_timeout", http: true, srv: true, loc: true, merge: Scalar, arg: ArgMsec, checkType: true},
		{name: "proxy_send_timeout", http: true, srv: true, loc: true, merge: Scalar, arg: ArgMsec, checkType: true},
		{name: "proxy_connect_timeout", http: true, srv: true, loc: true, merge: Scalar, arg: ArgMsec, checkType: true},
		{name: "send_timeout", http: true, srv: true, loc: true, merge: Scalar, arg: ArgMsec, module: "ngx_http_core_module", checkType: true},
		{name: "proxy_hide_header", http: true, srv: true, loc: true, merge: List},
		{name: "proxy_pass_header", http: true, srv: true, loc: true, merge: List},
		{name: "proxy_buffering", http: true, srv: true, loc: true, merge: Scalar, arg: ArgFlag, checkType: true},
		{name: "proxy_pass_request_headers", http: true, srv: true, loc: true, merge: Scalar, arg: ArgFlag, checkType: true},
		{name: "add_header", http: true, srv: true, loc: true, lif: true, merge: List, module: "ngx_http_headers_module"},
		{name: "rewrite", srv: true, loc: true, lif: true, sif: true, merge: Multi},
		{name: "set", srv: true, loc: true, lif: true, sif: true, merge: Multi},
		{name: "return", srv: true, loc: true, lif: true, sif: true, merge: Multi},
	}
	for _, r := range rows {
		d, ok := LookupIn(r.name, Location|HTTP|Server|If|ServerIf|LimitExcept)
		if !ok {
			t.Errorf("%s: unknown", r.name)
			continue
		}
		for _, c := range []struct {
			ctx  Context
			want bool
		}{{HTTP, r.http}, {Server, r.srv}, {Location, r.loc}, {If, r.lif}, {LimitExcept, r.lmt}, {ServerIf, r.sif}} {
			if got := d.AllowedIn(c.ctx); got != c.want {
				t.Errorf("%s in %s: allowed = %v, want %v", r.name, c.ctx, got, c.want)
			}
		}
		if d.Merge != r.merge {
			t.Errorf("%s: Merge %s, want %s", r.name, d.Merge, r.merge)
		}
		if r.checkType && d.Arg != r.arg {
			t.Errorf("%s: Arg %s, want %s", r.name, d.Arg, r.arg)
		}
		if r.checkArgs && (d.MinArgs != r.minArgs || d.MaxArgs != r.maxArgs) {
			t.Errorf("%s: args %d..%d, want %d..%d", r.name, d.MinArgs, d.MaxArgs, r.minArgs, r.maxArgs)
		}
		if r.module != "" && d.Module != r.module {
			t.Errorf("%s: Module %q, want %q", r.name, d.Module, r.module)
		}
	}
	// map and upstream: http only (stream has its own), never in server or location.
	for _, name := range []string{"map", "upstream"} {
		d, _ := Lookup(name)
		if !d.AllowedIn(HTTP) || d.AllowedIn(Server) || d.AllowedIn(Location) || d.AllowedIn(If) || d.AllowedIn(Main) {
			t.Errorf("%s: contexts %s", name, d.Contexts)
		}
		if h, _ := LookupIn(name, HTTP); h.Contexts != HTTP || !h.Block {
			t.Errorf("%s (http): contexts %s, block %v", name, h.Contexts, h.Block)
		}
	}
	if d, _ := Lookup("map"); !d.Opaque || d.MinArgs != 2 || d.MaxArgs != 2 {
		t.Errorf("map: %+v", d)
	}
	if d, _ := Lookup("upstream"); d.Opaque {
		t.Error("upstream must not be opaque")
	}
}

func TestLookupDetails(t *testing.T) {
	msec := []string{"keepalive_timeout", "client_body_timeout", "client_header_timeout", "resolver_timeout",
		"lingering_timeout", "lingering_time", "worker_shutdown_timeout", "proxy_next_upstream_timeout",
		"uwsgi_read_timeout", "uwsgi_send_timeout", "uwsgi_connect_timeout", "scgi_read_timeout", "scgi_send_timeout",
		"fastcgi_read_timeout", "fastcgi_send_timeout", "fastcgi_connect_timeout", "grpc_read_timeout",
		"grpc_send_timeout", "grpc_connect_timeout", "memcached_read_timeout", "keepalive_time", "auth_delay"}
	for _, n := range msec {
		if d, ok := Lookup(n); !ok || d.Arg != ArgMsec || d.Merge != Scalar {
			t.Errorf("%s: %+v, want ArgMsec Scalar", n, d)
		}
	}
	for _, n := range []string{"open_file_cache_valid", "ssl_session_timeout"} {
		if d, ok := Lookup(n); !ok || d.Arg != ArgSec {
			t.Errorf("%s: %+v, want ArgSec", n, d)
		}
	}
	for _, n := range []string{"expires", "proxy_cache_valid", "userid_expires"} {
		if d, ok := Lookup(n); !ok || d.Arg != ArgAny {
			t.Errorf("%s: %+v, want ArgAny", n, d)
		}
	}
	if d, _ := Lookup("keepalive_timeout"); d.MaxArgs != 2 {
		t.Errorf("keepalive_timeout takes a second (header) timeout: %+v", d)
	}
	if d, _ := Lookup("worker_shutdown_timeout"); d.Contexts != Main {
		t.Errorf("worker_shutdown_timeout: %s", d.Contexts)
	}
	lists := []string{"proxy_set_header", "proxy_hide_header", "proxy_pass_header", "add_header", "add_trailer",
		"fastcgi_param", "uwsgi_param", "scgi_param", "grpc_set_header", "error_page", "allow", "deny",
		"proxy_cache_bypass", "proxy_no_cache", "access_log", "index", "ssl_certificate", "limit_req", "limit_conn"}
	for _, n := range lists {
		if d, ok := LookupIn(n, Location|HTTP|Server); !ok || d.Merge != List {
			t.Errorf("%s: %+v, want List", n, d)
		}
	}
	scalars := []string{"proxy_set_body", "proxy_pass", "root", "try_files", "expires", "proxy_cache", "resolver",
		"client_max_body_size", "proxy_buffering", "limit_except", "internal", "alias"}
	for _, n := range scalars {
		if d, ok := LookupIn(n, Location|HTTP|Server); !ok || d.Merge != Scalar {
			t.Errorf("%s: %+v, want Scalar", n, d)
		}
	}
	multis := []string{"listen", "server_name", "include", "set", "if", "location", "rewrite", "server",
		"proxy_next_upstream", "map", "upstream", "log_format"}
	for _, n := range multis {
		if d, ok := Lookup(n); !ok || d.Merge != Multi {
			t.Errorf("%s: %+v, want Multi", n, d)
		}
	}
	if d, _ := Lookup("include"); d.Contexts != AllContexts {
		t.Errorf("include: %s", d.Contexts)
	}
	if d, _ := Lookup("proxy_http_version"); !slices.Equal(d.Values, []string{"1.0", "1.1", "2"}) {
		t.Errorf("proxy_http_version values %v", d.Values)
	}
	if d, _ := LookupIn("keepalive", Upstream); d.MaxArgs != 2 {
		t.Errorf("keepalive N local: %+v", d)
	}
	// server is a block in http, mail and stream, a plain directive in upstreams.
	for _, c := range []struct {
		ctx   Context
		block bool
	}{{HTTP, true}, {Upstream, false}, {Stream, true}, {StreamUpstream, false}, {Mail, true}} {
		d, ok := LookupIn("server", c.ctx)
		if !ok || d.Block != c.block {
			t.Errorf("server in %s: %+v", c.ctx, d)
		}
	}
	if _, ok := LookupIn("server", Location); ok {
		t.Error("server is not allowed in location")
	}
	if d, _ := LookupIn("return", StreamServer); d.Merge != Scalar || d.Module != "ngx_stream_return_module" {
		t.Errorf("stream return: %+v", d)
	}
	if d, _ := LookupIn("proxy_pass", StreamServer); d.Module != "ngx_stream_proxy_module" {
		t.Errorf("stream proxy_pass: %+v", d)
	}
	for _, n := range []string{"http2", "http3", "quic_retry", "add_header_inherit", "ssl_reject_handshake",
		"worker_connections", "events", "http", "stream", "mail", "js_import", "js_content", "perl_set",
		"image_filter", "xslt_stylesheet", "geoip_country", "mp4", "flv", "slice", "secure_link", "stub_status",
		"dav_methods", "gunzip", "gzip_static", "random_index", "add_before_body", "ancient_browser", "empty_gif",
		"valid_referers", "sub_filter", "split_clients", "userid", "mirror", "auth_request", "auth_basic",
		"limit_req_zone", "real_ip_header", "set_real_ip_from", "autoindex", "charset", "ssi", "ssl_preread"} {
		if _, ok := Lookup(n); !ok {
			t.Errorf("%s: unknown", n)
		}
	}
	if _, ok := Lookup("Proxy_Pass"); ok {
		t.Error("lookup must be case-sensitive like nginx")
	}
	if _, ok := Lookup("proxy_set_heder"); ok {
		t.Error("typo found")
	}
}

func TestThirdParty(t *testing.T) {
	for _, n := range []string{"more_set_headers", "more_clear_headers", "content_by_lua_block", "access_by_lua_file",
		"brotli", "brotli_static", "brotli_types", "vhost_traffic_status_zone", "pagespeed", "modsecurity",
		"modsecurity_rules_file", "geoip2", "rtmp", "echo"} {
		d, ok := Lookup(n)
		if !ok || !d.IsThirdParty() || d.ThirdParty == "" {
			t.Errorf("%s: %+v, want a third-party row", n, d)
		}
	}
	if d, _ := Lookup("content_by_lua_block"); !d.Opaque || !d.AllowedIn(Location) {
		t.Errorf("content_by_lua_block: %+v", d)
	}
	// sticky was NGINX Plus's until open-source nginx took it over (1.29.6).
	if d, _ := Lookup("sticky"); d.Commercial || d.Since != "1.29.6" {
		t.Errorf("sticky: %+v", d)
	}
	if d, _ := Lookup("health_check"); !d.Commercial {
		t.Errorf("health_check: %+v", d)
	}
	for _, c := range []struct {
		name, project string
		ok            bool
	}{
		{"passenger_enabled", "Phusion Passenger", true},
		{"nchan_publisher", "Nchan", true},
		{"set_escape_uri", "set-misc-nginx-module", true},
		{"check_http_send", "nginx_upstream_check_module", true},
		{"check", "nginx_upstream_check_module", true},
		{"MainRule", "naxsi", true},
		{"checkout", "", false},
		{"proxy_pas", "", false},
	} {
		p, ok := ThirdPartyFamily(c.name)
		if ok != c.ok || p != c.project {
			t.Errorf("ThirdPartyFamily(%q) = %q, %v", c.name, p, ok)
		}
	}
}

func TestSuggest(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"proxy_set_heder", "proxy_set_header"},
		{"proxy_read_timout", "proxy_read_timeout"},
		{"proxy_pas", "proxy_pass"},
		{"Proxy_Pass", "proxy_pass"},
		{"proxy-pass", "proxy_pass"},
		{"porxy_pass", "proxy_pass"},
		{"proxy_http_verison", "proxy_http_version"},
		{"lisen", "listen"},
		{"sever_name", "server_name"},
		{"client_max_body", "client_max_body_size"},
		{"worker_shutdown_timeout_x", "worker_shutdown_timeout"},
		{"proxy_pass", "proxy_pass"},
		{"zzzz", ""},
		{"", ""},
		{"xy", ""},
		{"completely_unrelated_words", ""},
	} {
		if got := Suggest(c.in); got != c.want {
			t.Errorf("Suggest(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestContextString(t *testing.T) {
	if s := (HTTP | Server | Location).String(); s != "http, server, location" {
		t.Errorf("got %q", s)
	}
	if s := If.String(); s != "if in location" {
		t.Errorf("got %q", s)
	}
	if Context(0).String() != "none" || !AllContexts.Has(Map) || HTTP.Has(HTTP|Server) {
		t.Error("Context helpers")
	}
}

func TestNearestKeyword(t *testing.T) {
	for _, c := range []struct {
		keywords []string
		value    string
		want     string
	}{
		{[]string{"on", "off"}, "of", "off"}, // one edit from both: the one it starts
		{[]string{"on", "off"}, "onn", "on"},
		{[]string{"on", "off"}, "OF", "off"},
		{[]string{"on", "off"}, "yes", ""},
		{[]string{"error", "timeout"}, "timout", "timeout"},
		{[]string{"TLSv1.1", "TLSv1.2", "TLSv1.3"}, "TLSv1.4", ""}, // three at one edit, none it starts
	} {
		if got := NearestKeyword(c.keywords, c.value); got != c.want {
			t.Errorf("NearestKeyword(%q, %q) = %q, want %q", c.keywords, c.value, got, c.want)
		}
	}
}
