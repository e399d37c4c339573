package spec

import "math"

// ParseSize reads a size as nginx does (ngx_parse_size and
// ngx_parse_offset, src/core/ngx_parse.c): decimal digits and an optional
// last letter k or K (KiB), m or M (MiB) and, for an offset, g or G (GiB);
// no sign, fraction, space or other unit; at most 2^63-1 bytes (64-bit
// nginx), the number before the unit at most that divided by the unit. It
// returns the number of bytes and whether nginx accepts the value.
func ParseSize(v string, offset bool) (int64, bool) {
	scale := int64(1)
	if n := len(v); n > 0 {
		switch v[n-1] {
		case 'k', 'K':
			scale = 1 << 10
		case 'm', 'M':
			scale = 1 << 20
		case 'g', 'G':
			if offset {
				scale = 1 << 30
			}
		}
		if scale > 1 {
			v = v[:n-1]
		}
	}
	if v == "" {
		return 0, false
	}
	var n int64
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		d := int64(c - '0')
		if n > (math.MaxInt64-d)/10 { // ngx_atosz, ngx_atoof: NGX_ERROR past the maximum
			return 0, false
		}
		n = n*10 + d
	}
	if n > math.MaxInt64/scale {
		return 0, false
	}
	return n * scale, true
}

// ParseNumber reads a number as ngx_atoi does: decimal digits only, at
// least one, at most 2^63-1 (64-bit nginx). It returns the number and
// whether nginx accepts the value.
func ParseNumber(v string) (int64, bool) {
	if v == "" || v[len(v)-1] < '0' || v[len(v)-1] > '9' {
		return 0, false // ParseSize would read a unit
	}
	return ParseSize(v, false)
}
