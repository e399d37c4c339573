package generate

import (
	"fmt"
	"math"
	"net"
	"strconv"
	"strings"
)

// version is an nginx release number (lint/nginx has its own; generate
// depends only on lint/source and the standard library).
type version struct{ major, minor, patch int }

var (
	v1_25_1 = version{1, 25, 1} // the `http2` directive; `listen ... http2` deprecated
	v1_29_7 = version{1, 29, 7} // proxy_http_version 1.1 and upstream keepalive by default
)

// parseVersion reads "1.18", "1.29.7" or "nginx/1.22.1".
func parseVersion(s string) (version, error) {
	t := strings.TrimPrefix(strings.TrimSpace(s), "nginx/")
	parts := strings.Split(t, ".")
	bad := fmt.Errorf("invalid nginx version %q (want MAJOR.MINOR[.PATCH], e.g. 1.18 or 1.29.7)", s)
	if len(parts) < 2 || len(parts) > 3 {
		return version{}, bad
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 || p != strconv.Itoa(v) {
			return version{}, bad
		}
		n[i] = v
	}
	return version{n[0], n[1], n[2]}, nil
}

func (v version) less(o version) bool {
	if v.major != o.major {
		return v.major < o.major
	}
	if v.minor != o.minor {
		return v.minor < o.minor
	}
	return v.patch < o.patch
}

func (v version) atLeast(o version) bool { return !v.less(o) }

// parseMsec parses an nginx time value as ngx_parse_time(line, 0) does for
// millisecond directives such as proxy_read_timeout, and returns it in
// milliseconds (nginx-semantics.md §8): units y M w d h m s ms, strictly
// decreasing (y and M are rejected for msec directives), spaces allowed
// after a unit, a space after digits ends a seconds value, trailing digits
// are seconds, no signs or fractions, at most 2^63-1 ms.
func parseMsec(s string) (int64, bool) {
	const (
		stMonth = iota // msec directives start here: y and M are invalid
		stWeek
		stDay
		stHour
		stMin
		stSec
		stMsec
		stLast
	)
	const maxInt = math.MaxInt64
	step := stMonth
	var value, total int64
	valid := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			d := int64(c - '0')
			if value > (maxInt-d)/10 {
				return 0, false
			}
			value = value*10 + d
			valid = true
			continue
		}
		var next int
		var scale int64 // in seconds, or 1 ms for stMsec
		switch c {
		case 'w':
			next, scale = stWeek, 7*24*3600
		case 'd':
			next, scale = stDay, 24*3600
		case 'h':
			next, scale = stHour, 3600
		case 'm':
			if i+1 < len(s) && s[i+1] == 's' {
				i++
				next, scale = stMsec, 1
			} else {
				next, scale = stMin, 60
			}
		case 's':
			next, scale = stSec, 1
		case ' ':
			// A space after digits (or first) ends a seconds value.
			if step >= stSec {
				return 0, false
			}
			next, scale = stLast, 1
		default:
			return 0, false // y, M, signs, fractions, tabs, upper case
		}
		if next != stLast && step >= next {
			return 0, false
		}
		step = next
		limit := int64(maxInt)
		if next != stMsec {
			limit = maxInt / scale / 1000
			scale *= 1000
		}
		if value > limit {
			return 0, false
		}
		value *= scale
		if total > maxInt-value {
			return 0, false
		}
		total += value
		value = 0
		for i+1 < len(s) && s[i+1] == ' ' {
			i++
		}
	}
	if !valid || value > maxInt/1000 {
		return 0, false
	}
	value *= 1000
	if total > maxInt-value {
		return 0, false
	}
	return total + value, true
}

// checkListen validates a listen address: PORT, HOST:PORT, HOST, [IPv6],
// [IPv6]:PORT, *:PORT or unix:PATH.
func checkListen(a string) error {
	if strings.HasPrefix(a, "unix:") {
		return checkUnix(a)
	}
	if isPort(a) {
		return nil
	}
	host, port, err := splitHostPort(a)
	if err != nil {
		return err
	}
	if host == "*" {
		if port == "" {
			return fmt.Errorf("%q needs a port after *:", a)
		}
		return nil
	}
	return checkHost(a, host)
}

// checkUpstream validates an upstream server address: HOST[:PORT],
// [IPv6][:PORT] or unix:PATH, without a scheme.
func checkUpstream(a string) error {
	if i := strings.Index(a, "://"); i >= 0 {
		return fmt.Errorf("%q: give HOST:PORT without the %s:// scheme", a, a[:i])
	}
	if strings.HasPrefix(a, "unix:") {
		return checkUnix(a)
	}
	if isPort(a) {
		return fmt.Errorf("%q is a port: give HOST:PORT, e.g. 127.0.0.1:%s", a, a)
	}
	host, _, err := splitHostPort(a)
	if err != nil {
		return err
	}
	return checkHost(a, host)
}

func checkUnix(a string) error {
	p := strings.TrimPrefix(a, "unix:")
	if p == "" || strings.ContainsAny(p, " \t\r\n;{}'\"\\$#") {
		return fmt.Errorf("%q: want unix:/path/to.sock (no spaces, quotes, ;, {, }, $ or #)", a)
	}
	return nil
}

func isPort(s string) bool {
	n, err := strconv.Atoi(s)
	return err == nil && n >= 1 && n <= 65535 && s == strconv.Itoa(n)
}

// splitHostPort splits HOST[:PORT] and [V6][:PORT]; the port is optional.
func splitHostPort(a string) (host, port string, err error) {
	switch {
	case a == "":
		return "", "", fmt.Errorf("empty address")
	case strings.HasPrefix(a, "["):
		end := strings.Index(a, "]")
		if end < 0 {
			return "", "", fmt.Errorf("%q: missing ] after the IPv6 address", a)
		}
		host, rest := a[1:end], a[end+1:]
		if ip := net.ParseIP(host); ip == nil || ip.To4() != nil && !strings.Contains(host, ":") {
			return "", "", fmt.Errorf("%q: %q is not an IPv6 address", a, host)
		}
		if rest == "" {
			return "[" + host + "]", "", nil
		}
		if !strings.HasPrefix(rest, ":") || !isPort(rest[1:]) {
			return "", "", fmt.Errorf("%q: want [IPv6]:PORT with a port from 1 to 65535", a)
		}
		return "[" + host + "]", rest[1:], nil
	case strings.Count(a, ":") > 1:
		return "", "", fmt.Errorf("%q: write an IPv6 address in brackets, e.g. [::1]:8000", a)
	}
	host, port, found := strings.Cut(a, ":")
	if found && !isPort(port) {
		return "", "", fmt.Errorf("%q: port %q is not a number from 1 to 65535", a, port)
	}
	return host, port, nil
}

// checkHost accepts an IP address (IPv6 already bracketed) or a host name.
func checkHost(a, host string) error {
	if strings.HasPrefix(host, "[") || net.ParseIP(host) != nil {
		return nil
	}
	if host == "" || len(host) > 253 {
		return fmt.Errorf("%q: missing host name", a)
	}
	allDigits := true
	for _, label := range strings.Split(host, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return fmt.Errorf("%q: %q is not a valid host name or IP address", a, host)
		}
		for _, c := range label {
			switch {
			case c >= '0' && c <= '9':
			case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '-':
				allDigits = false
			default:
				return fmt.Errorf("%q: %q is not a valid host name or IP address", a, host)
			}
		}
	}
	if allDigits {
		return fmt.Errorf("%q: %q is not a valid IP address", a, host)
	}
	return nil
}

// checkPath validates a WebSocket location path.
func checkPath(p string) error {
	if !strings.HasPrefix(p, "/") {
		return fmt.Errorf("WebSocket path %q must start with /", p)
	}
	if strings.ContainsAny(p, " \t\r\n;{}'\"\\#") {
		return fmt.Errorf("WebSocket path %q must not contain spaces, quotes, ;, {, }, \\ or #", p)
	}
	return nil
}

// checkServerName validates server_name: names separated by single spaces.
func checkServerName(s string) error {
	for _, n := range strings.Split(s, " ") {
		if n == "" {
			return fmt.Errorf("server name %q: separate names with single spaces", s)
		}
		if strings.HasPrefix(n, "~") {
			return fmt.Errorf("server name %q: regular expressions are not supported here", n)
		}
		for _, c := range n {
			if c <= ' ' || c == 0x7f || strings.ContainsRune(";{}'\"\\$#", c) {
				return fmt.Errorf("server name %q must not contain %q", n, c)
			}
		}
	}
	return nil
}

// checkFile validates a certificate or key path; spaces are quoted later.
func checkFile(flag, p string) error {
	if strings.TrimSpace(p) == "" {
		return fmt.Errorf("%s: empty path", flag)
	}
	if strings.ContainsAny(p, "\r\n\"\\$;{}") {
		return fmt.Errorf("%s %q must not contain quotes, \\, $, ;, {, } or newlines", flag, p)
	}
	return nil
}

// word renders s as one nginx argument, quoting it when it has spaces.
func word(s string) string {
	if strings.ContainsAny(s, " \t") {
		return `"` + s + `"`
	}
	return s
}
