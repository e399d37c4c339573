package rules

import (
	"slices"
	"strings"

	"github.com/wslint/wslint/lint/nginx"
)

// Helpers of WS011 (invalid-variable-syntax): which arguments nginx
// compiles as values with variables (ngx_http_script_compile, or
// ngx_http_log_compile for log_format), a subset of valueArgs.

// scriptArgs are the arguments nginx compiles as values with variables,
// checked with nginx 1.22 (`a$` fails with "invalid variable name"); -1 is
// every argument. The others are read literally: header and parameter names,
// `always`, `if_not_empty`, proxy_hide_header, default_type, charset, ...
var scriptArgs = map[string][]int{
	"proxy_pass": {0}, "fastcgi_pass": {0}, "uwsgi_pass": {0}, "scgi_pass": {0}, "grpc_pass": {0},
	"proxy_set_header": {1}, "fastcgi_param": {1}, "uwsgi_param": {1}, "scgi_param": {1},
	"grpc_set_header": {1}, "add_header": {1}, "add_trailer": {1},
	"proxy_redirect": {0, 1}, "proxy_cookie_domain": {0, 1}, "proxy_cookie_path": {0, 1}, "proxy_cookie_flags": {-1},
	"proxy_cache_key": {0}, "fastcgi_cache_key": {0}, "uwsgi_cache_key": {0}, "scgi_cache_key": {0},
	"proxy_cache_bypass": {-1}, "fastcgi_cache_bypass": {-1}, "uwsgi_cache_bypass": {-1}, "scgi_cache_bypass": {-1},
	"proxy_no_cache": {-1}, "fastcgi_no_cache": {-1}, "uwsgi_no_cache": {-1}, "scgi_no_cache": {-1},
	"proxy_cache": {0}, "fastcgi_cache": {0}, "uwsgi_cache": {0}, "scgi_cache": {0},
	"proxy_store": {0}, "fastcgi_store": {0}, "uwsgi_store": {0}, "scgi_store": {0},
	"proxy_bind": {0}, "fastcgi_bind": {0}, "uwsgi_bind": {0}, "scgi_bind": {0}, "grpc_bind": {0},
	"proxy_method": {0}, "proxy_set_body": {0}, "proxy_ssl_name": {0}, "grpc_ssl_name": {0}, "uwsgi_ssl_name": {0},
	"proxy_ssl_certificate": {0}, "proxy_ssl_certificate_key": {0}, "grpc_ssl_certificate": {0},
	"grpc_ssl_certificate_key": {0}, "uwsgi_ssl_certificate": {0}, "uwsgi_ssl_certificate_key": {0},
	"ssl_certificate": {0}, "ssl_certificate_key": {0},
	"set": {1}, "auth_request_set": {1}, "rewrite": {1}, "root": {0}, "alias": {0}, "try_files": {-1}, "index": {-1},
	"auth_basic": {0}, "auth_basic_user_file": {0}, "limit_rate": {0}, "limit_rate_after": {0},
	"sub_filter": {0, 1}, "secure_link": {0}, "secure_link_md5": {0},
	"map": {0}, "split_clients": {0}, "limit_req_zone": {0}, "limit_conn_zone": {0}, "hash": {0},
}

// compiledArgs returns the indexes of d's arguments that nginx compiles as
// values with variables (within valueArgs, which already skips regexes),
// appended to buf as valueArgs does. The stream module compiles its values
// as http does (verified with libnginx-mod-stream 1.22.1: ws011_test.go);
// its `return` takes one argument, always a value.
func compiledArgs(d *nginx.Directive, buf []int) []int {
	n := len(d.Args)
	want := buf[:0]
	switch d.Name {
	case "return": // `return code text`, `return code URL`, `return URL`; stream's `return value`
		if v := d.Arg(0); n == 2 || n == 1 && (inStream(d) || strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://") || strings.HasPrefix(v, "$scheme")) {
			want = append(want, n-1)
		}
	case "expires", "error_page": // the time after `modified`; the URI after the codes
		want = append(want, n-1)
	case "access_log": // the path and `if=`; not the format name, not syslog
		for i, a := range d.Args {
			if i == 0 && !strings.HasPrefix(a.Value, "syslog:") || i > 0 && strings.HasPrefix(a.Value, "if=") {
				want = append(want, i)
			}
		}
	case "log_format": // the format strings: not the name, not `escape=`
		for i := 1; i < n; i++ {
			if i > 1 || !strings.HasPrefix(d.Arg(1), "escape=") {
				want = append(want, i)
			}
		}
	case "if": // the operand of `=`, `!=` and of the file tests; not the variable, not a regex
		for i := 1; i < n; i++ {
			switch strings.TrimPrefix(d.Arg(i-1), "(") {
			case "=", "!=", "-f", "!-f", "-d", "!-d", "-e", "!-e", "-x", "!-x":
				want = append(want, i)
			}
		}
	default:
		for _, i := range scriptArgs[d.Name] {
			if i < 0 {
				for j := range n {
					want = append(want, j)
				}
			} else if i < n {
				want = append(want, i)
			}
		}
		if d.Name == "proxy_cookie_flags" && strings.HasPrefix(d.Arg(0), "~") {
			want = slices.DeleteFunc(want, func(i int) bool { return i == 0 }) // a regex
		}
	}
	var room [8]int
	values := valueArgs(d, room[:0])
	return slices.DeleteFunc(want, func(i int) bool { return !slices.Contains(values, i) })
}
