package rules

import (
	"errors"
	"fmt"
	"strings"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/nginx/spec"
	"github.com/wslint/wslint/lint/source"
)

// InvalidTimeValue reports a time argument that nginx's time grammar rejects.
var InvalidTimeValue = &lint.Rule{
	ID:       "WS006",
	Name:     "invalid-time-value",
	Lang:     lint.Nginx,
	Severity: lint.Error,
	Default:  true,
	Check:    checkInvalidTimeValue,
	Doc: lint.Doc{
		Summary: "a time value that nginx's time grammar rejects",
		Why: "nginx refuses to start or reload with `\"proxy_read_timeout\" directive invalid value`, " +
			"typically right after someone raised a WebSocket timeout. Units are case-sensitive " +
			"(`1h`, not `1H`), must go from the largest to the smallest (`1m30s`, not `30s1m`), " +
			"millisecond directives reject `M` and `y`, second ones reject `ms`, and an unquoted " +
			"`1h 30m` is two arguments.",
		Bad: "location /ws/ {\n    proxy_pass http://127.0.0.1:8000;\n" +
			"    proxy_http_version 1.1;\n    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection \"upgrade\";\n    proxy_read_timeout 1H;\n}\n",
		Good: "location /ws/ {\n    proxy_pass http://127.0.0.1:8000;\n" +
			"    proxy_http_version 1.1;\n    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection \"upgrade\";\n    proxy_read_timeout 1h;\n}\n",
		FixSafety: "Safe when the intended value is unambiguous: wrong letter case of a unit (`1H` → " +
			"`1h`, `500MS` → `500ms`; not `M`, which means months), a space inside the value " +
			"(`\"60 s\"` → `60s`), or a time split into two arguments (`1h 30m` → `1h30m`). The " +
			"value nginx would then read is the one written. No fix for units out of order, " +
			"fractions, `ms` in a second-resolution directive or `M`/`y` in a millisecond one: " +
			"the intended value is a guess.",
		References: []string{"https://nginx.org/en/docs/syntax.html", "https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_read_timeout"},
	},
}

func checkInvalidTimeValue(p *lint.Pass) (out []lint.Finding) {
	eachSite(p.Nginx, func(s *site) {
		d := s.d
		v := timeVariant(s)
		if v == nil || len(d.Args) == 0 {
			return
		}
		if v.MaxArgs == 1 && len(d.Args) > 1 {
			if f, ok := splitTime(p, d, v); ok {
				out = append(out, f)
			}
			return
		}
		for i, a := range d.Args {
			isTime, isSec := timeArg(v, d.Name, i)
			if !isTime {
				continue
			}
			_, err := spec.ParseTime(a.Value, isSec)
			if err == nil {
				continue
			}
			fix, why := repairTime(a.Value, isSec)
			if why == "" {
				why = timeReason(err, a.Value)
			}
			out = append(out, invalidValueFinding(p, d, a, why, fix))
		}
	})
	return out
}

// timeVariant returns the definition of the site's directive whose
// arguments are typed times, or nil.
func timeVariant(s *site) *spec.Directive {
	return typedVariant(s, func(v *spec.Directive) bool { return v.Arg == spec.ArgMsec || v.Arg == spec.ArgSec })
}

// splitTimeValue returns the single time that d's several arguments spell
// (`1h 30m` → `1h30m`), if they do.
func splitTimeValue(d *nginx.Directive, v *spec.Directive) (string, bool) {
	parts := make([]string, len(d.Args))
	for i, a := range d.Args {
		if a.Value == "" || strings.Trim(a.Value, "0123456789ywdhmsM") != "" {
			return "", false // not pieces of a time
		}
		parts[i] = a.Value
	}
	joined := strings.Join(parts, "")
	if _, err := spec.ParseTime(joined, v.Arg == spec.ArgSec); err != nil || !unitBoundaries(parts) || !numbered(joined) {
		return "", false
	}
	return joined, true
}

// numbered reports whether every unit of a time value follows its number
// (`1h30m`, `500ms`). nginx also reads `s0` (0 seconds) and `5s0`, so
// `s 0` joined would load with a meaning nobody wrote.
func numbered(v string) bool {
	for i := 0; i < len(v); i++ {
		switch {
		case isDigit(v[i]):
		case i > 0 && isDigit(v[i-1]):
		case i > 1 && v[i] == 's' && v[i-1] == 'm' && isDigit(v[i-2]): // ms
		default:
			return false
		}
	}
	return true
}

// splitTime reports a single time written as several arguments (`1h 30m`).
func splitTime(p *lint.Pass, d *nginx.Directive, v *spec.Directive) (lint.Finding, bool) {
	joined, ok := splitTimeValue(d, v)
	if !ok {
		return lint.Finding{}, false
	}
	first, last := d.Args[0], d.Args[len(d.Args)-1]
	span := source.Span{File: first.Span.File, Start: first.Span.Start, End: last.Span.End}
	written := string(span.File.Data[span.Start:span.End])
	f := p.Finding(span, "`%s %s` is %d arguments, not one time: nginx refuses to load (`invalid number of arguments in \"%s\" directive`); write `%s`",
		d.Name, written, len(d.Args), d.Name, joined)
	edit := source.TextEdit{File: span.File, Start: span.Start, End: span.End, New: joined}
	return f.WithFix(lint.Safe, "Write `"+joined+"`", edit), true
}

// unitBoundaries reports whether every cut between parts falls next to a
// unit letter (`1h|30m`, `60|s`), never between two digits (`30 60`).
func unitBoundaries(parts []string) bool {
	for i := 1; i < len(parts); i++ {
		a, b := parts[i-1], parts[i]
		if isDigit(a[len(a)-1]) && isDigit(b[0]) {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// repairTime returns the value meant by an invalid time when that is
// unambiguous, with the reason it is invalid; "" when it is not.
func repairTime(v string, isSec bool) (fix, why string) {
	noSpace := v
	if strings.Contains(v, " ") {
		parts := strings.Fields(v)
		if len(parts) == 0 || !unitBoundaries(parts) {
			return "", ""
		}
		noSpace = strings.Join(parts, "")
	}
	cased := lowerUnits(noSpace)
	if _, err := spec.ParseTime(cased, isSec); err != nil || !numbered(cased) {
		return "", ""
	}
	switch {
	case noSpace != v && cased != noSpace:
		why = "units are case-sensitive, and a space right after digits ends a number of seconds"
	case noSpace != v && strings.HasPrefix(v, " "):
		why = "a leading space ends an empty number of seconds, so no unit may follow"
	case noSpace != v:
		why = "a space right after digits ends a number of seconds, so no unit may follow it"
	default:
		why = "units are case-sensitive"
	}
	return cased, why
}

// lowerUnits lower-cases the unit letters whose lower case is the only
// reading: H, D, W, S, Y and the M of MS; a lone M means months and stays.
func lowerUnits(v string) string {
	b := []byte(v)
	for i, c := range b {
		switch c {
		case 'H', 'D', 'W', 'S', 'Y':
			b[i] = c + 'a' - 'A'
		case 'M':
			if i+1 < len(b) && (b[i+1] == 'S' || b[i+1] == 's') {
				b[i] = 'm'
			}
		}
	}
	return string(b)
}

// timeReason extracts ParseTime's explanation for value.
func timeReason(err error, value string) string {
	if strings.Contains(value, "$") {
		return "time directives do not expand variables"
	}
	msg := err.Error()
	prefix := fmt.Sprintf("%v %q: ", spec.ErrInvalidTime, value)
	if errors.Is(err, spec.ErrInvalidTime) && strings.HasPrefix(msg, prefix) {
		msg = strings.TrimPrefix(msg, prefix)
	}
	switch {
	case strings.Contains(msg, `"M" is not allowed`):
		msg += " (`M` means months; minutes are `m`)"
	case strings.Contains(msg, "out of order"):
		msg += " (units go from the largest to the smallest, each once: `1m30s`)"
	}
	return msg
}
