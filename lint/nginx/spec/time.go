package spec

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ErrInvalidTime is wrapped by every error of ParseTime and ParseTimeNative.
var ErrInvalidTime = errors.New("invalid time value")

// Time unit ranks of ngx_parse_time, most significant first.
const (
	stStart = iota
	stYear
	stMonth
	stWeek
	stDay
	stHour
	stMin
	stSec
	stMsec
	stLast // a space after digits: the number was seconds
)

const maxInt = math.MaxInt64 // NGX_MAX_INT_T_VALUE on 64-bit builds

// ParseTime parses value with the exact grammar of nginx's ngx_parse_time
// (src/core/ngx_parse.c), as used by ngx_conf_set_msec_slot (isSec false:
// proxy_read_timeout, send_timeout, keepalive_timeout, ...) and
// ngx_conf_set_sec_slot (isSec true: open_file_cache_valid,
// ssl_session_timeout, ...). value is the argument after the tokenizer has
// removed quotes. The rules, from nginx-semantics.md section 8:
//
//   - only ASCII digits, the unit letters and the space byte are allowed;
//   - units are case-sensitive and must strictly decrease:
//     y (365d) > M (30d) > w > d > h > m > s > ms, each at most once;
//   - millisecond directives reject y and M, second directives reject ms;
//   - spaces after a unit letter are skipped;
//   - a space after digits, or at the very start, ends a number of seconds:
//     allowed only when no s, ms or earlier such space was used, and no unit
//     letter may follow ("60 s" and " 1h" are invalid, "1h 30" is 1h30s);
//   - trailing digits are seconds ("1h30" = 1h30s, "0" = 0);
//   - at least one digit must occur; a unit letter without digits adds 0
//     ("1hs" is valid);
//   - no fractions or signs;
//   - the result must not exceed 2^63-1 in the directive's own unit
//     (milliseconds or seconds).
//
// Tokenizing comes first and is the caller's business: unquoted
// `proxy_read_timeout 1h 30m;` is two arguments (nginx: invalid number of
// arguments), while the quoted '1h 30m' reaches ParseTime as one.
//
// The result is always in milliseconds. For isSec, a value beyond
// 2^63-1 ms (but within nginx's 2^63-1 s) saturates at math.MaxInt64; use
// ParseTimeNative to get nginx's own number of seconds.
func ParseTime(value string, isSec bool) (ms int64, err error) {
	v, err := ParseTimeNative(value, isSec)
	if err != nil || !isSec {
		return v, err
	}
	if v > maxInt/1000 {
		return maxInt, nil
	}
	return v * 1000, nil
}

// ParseTimeNative is ParseTime returning nginx's own unit: milliseconds
// for isSec false, seconds for isSec true.
func ParseTimeNative(value string, isSec bool) (int64, error) {
	fail := func(reason string) (int64, error) {
		return 0, fmt.Errorf("%w %q: %s", ErrInvalidTime, value, reason)
	}
	var (
		valid        bool
		value64      int64
		total        int64
		step         = stMonth
		cutoff       = int64(maxInt / 10)
		cutlim       = int64(maxInt % 10)
		max, scale   int64
		unitName     string
		resolutionMs = !isSec
	)
	if isSec {
		step = stStart
	}
	p, last := 0, len(value)
	for p < last {
		c := value[p]
		if c >= '0' && c <= '9' {
			if value64 >= cutoff && (value64 > cutoff || int64(c-'0') > cutlim) {
				return fail("number too large")
			}
			value64 = value64*10 + int64(c-'0')
			valid = true
			p++
			continue
		}
		p++
		switch c {
		case 'y':
			if !isSec {
				return fail("unit \"y\" is not allowed for a millisecond directive")
			}
			if step > stStart {
				return fail("unit \"y\" out of order")
			}
			step, max, scale, unitName = stYear, maxInt/(60*60*24*365), 60*60*24*365, "y"
		case 'M':
			if !isSec {
				return fail("unit \"M\" is not allowed for a millisecond directive")
			}
			if step >= stMonth {
				return fail("unit \"M\" out of order")
			}
			step, max, scale, unitName = stMonth, maxInt/(60*60*24*30), 60*60*24*30, "M"
		case 'w':
			if step >= stWeek {
				return fail("unit \"w\" out of order")
			}
			step, max, scale, unitName = stWeek, maxInt/(60*60*24*7), 60*60*24*7, "w"
		case 'd':
			if step >= stDay {
				return fail("unit \"d\" out of order")
			}
			step, max, scale, unitName = stDay, maxInt/(60*60*24), 60*60*24, "d"
		case 'h':
			if step >= stHour {
				return fail("unit \"h\" out of order")
			}
			step, max, scale, unitName = stHour, maxInt/(60*60), 60*60, "h"
		case 'm':
			if p < last && value[p] == 's' {
				if isSec {
					return fail("unit \"ms\" is not allowed for a directive with second resolution")
				}
				if step >= stMsec {
					return fail("unit \"ms\" out of order")
				}
				p++
				step, max, scale, unitName = stMsec, maxInt, 1, "ms"
				break
			}
			if step >= stMin {
				return fail("unit \"m\" out of order")
			}
			step, max, scale, unitName = stMin, maxInt/60, 60, "m"
		case 's':
			if step >= stSec {
				return fail("unit \"s\" out of order")
			}
			step, max, scale, unitName = stSec, maxInt, 1, "s"
		case ' ':
			if step >= stSec {
				return fail("unexpected space")
			}
			step, max, scale, unitName = stLast, maxInt, 1, "s"
		default:
			if c == '\t' {
				return fail("tab is not allowed (only the space character separates units)")
			}
			if c == '.' || c == ',' || c == '-' || c == '+' {
				return fail(fmt.Sprintf("%q is not allowed: no fractions or signs", string(c)))
			}
			if strings.IndexByte("YWDHS", c) >= 0 {
				return fail(fmt.Sprintf("unknown unit %q (units are case-sensitive: y M w d h m s ms)", string(c)))
			}
			return fail(fmt.Sprintf("unexpected %q", string(c)))
		}
		if step != stMsec && resolutionMs {
			scale *= 1000
			max /= 1000
		}
		if value64 > max {
			return fail("value too large for unit \"" + unitName + "\"")
		}
		value64 *= scale
		if total > maxInt-value64 {
			return fail("value too large")
		}
		total += value64
		value64 = 0
		for p < last && value[p] == ' ' {
			p++
		}
	}
	if !valid {
		return fail("no digits")
	}
	if resolutionMs {
		if value64 > maxInt/1000 {
			return fail("value too large")
		}
		value64 *= 1000
	}
	if total > maxInt-value64 {
		return fail("value too large")
	}
	return total + value64, nil
}

// FormatDuration renders ms as a short, nginx-valid time value that
// ParseTime(…, false) reads back as ms: "500ms", "60s", "90s", "5m", "1h",
// "1h30m", "1d". Values below two minutes are written in seconds (plus
// milliseconds), which is how nginx's own defaults read (60s, 75s); larger
// ones use the largest units first, d, h, m, s, ms (never y, M or w). "ms"
// only appears for values that are not whole seconds, so the result is also
// valid for second-resolution directives whenever ms is a multiple of 1000.
// Zero and negative values render as "0s".
func FormatDuration(ms int64) string {
	if ms <= 0 {
		return "0s"
	}
	var b strings.Builder
	put := func(n int64, unit string) {
		if n > 0 {
			b.WriteString(strconv.FormatInt(n, 10))
			b.WriteString(unit)
		}
	}
	if ms < 2*60*1000 {
		put(ms/1000, "s")
		put(ms%1000, "ms")
		return b.String()
	}
	for _, u := range []struct {
		unit string
		size int64
	}{{"d", 24 * 60 * 60 * 1000}, {"h", 60 * 60 * 1000}, {"m", 60 * 1000}, {"s", 1000}, {"ms", 1}} {
		put(ms/u.size, u.unit)
		ms %= u.size
	}
	return b.String()
}
