package rules

import (
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/lazyre"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/nginx/spec"
)

// InvalidSizeValue reports a size argument that nginx's size grammar
// rejects.
var InvalidSizeValue = &lint.Rule{
	ID:       "WS015",
	Name:     "invalid-size-value",
	Lang:     lint.Nginx,
	Severity: lint.Error,
	Default:  true,
	Check:    checkInvalidSizeValue,
	Doc: lint.Doc{
		Summary: "a size value that nginx's size grammar rejects",
		Why: "nginx refuses to start or reload with `\"client_max_body_size\" directive invalid value`. " +
			"A size is digits and at most one unit letter: `k` or `m` (either case), and `g` only " +
			"where the directive takes an offset (`client_max_body_size`, `directio`, " +
			"`*_cache_max_range_offset`, `worker_rlimit_core`). `10MB`, `10kb`, `1.5m`, `-1`, " +
			"`1g` for `proxy_buffer_size` and a variable for any but `limit_rate`-like directives " +
			"(`proxy_limit_rate` and its siblings take variables from nginx 1.27.0) " +
			"are all refused; so are a 0 and a miswritten count or size in `proxy_buffers 8 4k` and " +
			"its siblings (a number of buffers and their size). An upload limit or buffer raised for " +
			"a WebSocket or API backend is where these usually appear.",
		Bad: "server {\n    listen 80;\n    client_max_body_size 10MB;\n    location /ws/ {\n        proxy_pass http://127.0.0.1:8000;\n" +
			"        proxy_http_version 1.1;\n        proxy_set_header Upgrade $http_upgrade;\n        proxy_set_header Connection \"upgrade\";\n        proxy_read_timeout 1h;\n    }\n}\n",
		Good: "server {\n    listen 80;\n    client_max_body_size 10m;\n    location /ws/ {\n        proxy_pass http://127.0.0.1:8000;\n" +
			"        proxy_http_version 1.1;\n        proxy_set_header Upgrade $http_upgrade;\n        proxy_set_header Connection \"upgrade\";\n        proxy_read_timeout 1h;\n    }\n}\n",
		FixSafety: "Safe when the value is a number of bytes written another way: a `B` after the unit " +
			"(`10MB` → `10m`, `64kb` → `64k`), a space before it, a fraction that is a whole number " +
			"of a smaller unit (`1.5m` → `1536k`), or `g` where only `k` and `m` are taken " +
			"(`1g` → `1024m`). nginx's units are binary (`m` is 1,048,576 bytes), so the fix writes " +
			"what the unit letter says to nginx. No fix for signs, variables, other words or values " +
			"past the maximum: the intended value is a guess.",
		References: []string{"https://nginx.org/en/docs/syntax.html", "https://nginx.org/en/docs/http/ngx_http_core_module.html#client_max_body_size"},
	},
}

func checkInvalidSizeValue(p *lint.Pass) (out []lint.Finding) {
	eachSite(p.Nginx, func(s *site) {
		d := s.d
		v := typedVariant(s, (*spec.Directive).IsSize)
		if v == nil {
			return
		}
		if v.Arg == spec.ArgBufs {
			if len(d.Args) == 2 {
				out = append(out, invalidBuffers(p, d)...)
			}
			return
		}
		if len(d.Args) != 1 { // WS010 reports the count
			return
		}
		a := d.Args[0]
		offset := v.Arg == spec.ArgOffset
		if slices.Contains(v.Values, a.Value) {
			return
		}
		var why string
		switch {
		case v.Arg == spec.ArgSizeVar && strings.Contains(a.Value, "$"):
			since, err := nginx.ParseVersion(v.VarsSince)
			if v.VarsSince == "" || err != nil || !p.Opts.NginxVersion.Less(since) {
				return // variables, evaluated per request
			}
			why = fmt.Sprintf("`%s` expands variables from nginx %s, and the target is %s (set `--nginx-version`)", d.Name, v.VarsSince, p.Opts.NginxVersion)
		default:
			if _, ok := spec.ParseSize(a.Value, offset); ok {
				return
			}
			why = sizeReason(a.Value, offset)
		}
		out = append(out, invalidValueFinding(p, d, a, why, repairSize(a.Value, offset)))
	})
	return out
}

// invalidBuffers checks `proxy_buffers 8 4k` and its siblings
// (spec.ArgBufs): a number of buffers and their size, neither 0.
func invalidBuffers(p *lint.Pass, d *nginx.Directive) (out []lint.Finding) {
	count, size := d.Args[0], d.Args[1]
	if n, ok := spec.ParseNumber(count.Value); !ok || n == 0 {
		why := "the number of buffers is 0; at least 1"
		if !ok {
			why = numberReason(count.Value) + " (the first argument is the number of buffers)"
		}
		out = append(out, invalidValueFinding(p, d, count, why, ""))
	}
	if n, ok := spec.ParseSize(size.Value, false); !ok || n == 0 {
		why, fix := "a buffer size of 0", ""
		if !ok {
			why, fix = sizeReason(size.Value, false), repairSize(size.Value, false)
		}
		out = append(out, invalidValueFinding(p, d, size, why, fix))
	}
	return out
}

// units names the unit letters a size or an offset takes.
func units(offset bool) string {
	if offset {
		return "`k`, `m` or `g`"
	}
	return "`k` or `m`"
}

// sizeReason says why nginx refuses v as a size.
func sizeReason(v string, offset bool) string {
	if why := wordReason(v, "size"); why != "" {
		return why
	}
	switch {
	case strings.Contains(v, "."):
		return "a size has no fraction"
	case strings.ContainsAny(v, " \t"):
		return "a size has no spaces"
	}
	num := strings.TrimRight(v, "kKmMgGbB")
	suffix := v[len(num):]
	digits := num != "" && strings.Trim(num, "0123456789") == ""
	switch {
	case digits && strings.EqualFold(suffix, "g") && !offset:
		return "this directive takes " + units(false) + " as units, not `g`"
	case digits && len(suffix) == 2 && strings.ContainsRune("kKmMgG", rune(suffix[0])) && strings.EqualFold(suffix[1:], "b"):
		return "a unit is one letter, " + units(offset) + ", with no `B`"
	case digits && strings.EqualFold(suffix, "b"):
		return "a size in bytes has no unit (`b` is none of " + units(offset) + ")"
	case digits && len(suffix) <= 1:
		return "larger than nginx's maximum (2^63-1 bytes)"
	}
	return "not a size (digits, then at most one of " + units(offset) + ")"
}

var sizeWritten = lazyre.New(`^([0-9]+)(?:\.([0-9]+))?[ \t]*([kKmMgG]?)[bB]?$`)

// repairSize returns v written as a size nginx reads, when v is a number of
// bytes written another way (see the rule's FixSafety); "" otherwise.
func repairSize(v string, offset bool) string {
	m := sizeWritten().FindStringSubmatch(v)
	if m == nil {
		return ""
	}
	shift := map[string]uint{"": 0, "k": 10, "m": 20, "g": 30}[strings.ToLower(m[3])]
	// bytes = (int + frac / 10^len(frac)) << shift, exactly.
	n, _ := new(big.Int).SetString(m[1]+m[2], 10)
	n.Lsh(n, shift)
	den := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(len(m[2]))), nil)
	bytes, rem := new(big.Int).QuoRem(n, den, new(big.Int))
	if rem.Sign() != 0 || !bytes.IsInt64() {
		return ""
	}
	b := bytes.Int64()
	letters := []struct {
		unit  string
		shift uint
	}{{"g", 30}, {"m", 20}, {"k", 10}}
	out := fmt.Sprint(b)
	for _, l := range letters {
		if l.unit == "g" && !offset || l.shift > shift {
			continue // no larger unit than the one written
		}
		if b != 0 && b%(1<<l.shift) == 0 {
			out = fmt.Sprintf("%d%s", b>>l.shift, l.unit)
			break
		}
	}
	if out == v {
		return ""
	}
	if _, ok := spec.ParseSize(out, offset); !ok {
		return ""
	}
	return out
}
