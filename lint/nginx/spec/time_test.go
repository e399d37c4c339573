package spec

import (
	"errors"
	"math"
	"math/rand"
	"testing"
)

func TestParseTime(t *testing.T) {
	const (
		s   = int64(1000)
		min = 60 * s
		h   = 60 * min
		d   = 24 * h
		w   = 7 * d
	)
	cases := []struct {
		in    string
		isSec bool
		ms    int64
		ok    bool
	}{
		// §8 point 3: order and combinations.
		{"1h30m", false, h + 30*min, true},
		{"1m30s", false, min + 30*s, true},
		{"1d2h3m4s5ms", false, d + 2*h + 3*min + 4*s + 5, true},
		{"1h30m15s100ms", false, h + 30*min + 15*s + 100, true},
		{"30s1m", false, 0, false},
		{"5ms1s", false, 0, false},
		{"1w1w", false, 0, false},
		{"1hh", false, 0, false},
		{"1w2d", false, w + 2*d, true},
		{"500ms", false, 500, true},
		{"60s", false, 60 * s, true},
		// point 2: case-sensitive units.
		{"1H", false, 0, false},
		{"1S", false, 0, false},
		{"1MS", false, 0, false},
		{"1MS", true, 0, false},
		{"1D", true, 0, false},
		// point 4: msec rejects y and M, sec rejects ms.
		{"1M", false, 0, false},
		{"1y", false, 0, false},
		{"1y", true, 365 * d, true},
		{"1M", true, 30 * d, true},
		{"1y1M1w1d1h1m1s", true, 365*d + 30*d + w + d + h + min + s, true},
		{"1M1y", true, 0, false},
		{"500ms", true, 0, false},
		{"1s500ms", true, 0, false},
		{"10s", true, 10 * s, true},
		{"600", true, 600 * s, true},
		// point 5: spaces after a unit are skipped.
		{"1h 30m", false, h + 30*min, true},
		{"1h  30m", false, h + 30*min, true},
		{"60s 500ms", false, 60*s + 500, true},
		{"1h ", false, h, true},
		{"1h 30m", true, h + 30*min, true},
		// point 6: a space after digits ends a number of seconds.
		{"60 s", false, 0, false},
		{" 1h", false, 0, false},
		{"1h 30", false, h + 30*s, true},
		{"1h 30 ", false, h + 30*s, true},
		{"30 ", false, 30 * s, true},
		{"1 h", false, 0, false},
		// From code: trailing digits are added as seconds whatever came before.
		{"1s 2", false, 3 * s, true},
		{"1s2", false, 3 * s, true},
		{"500ms3", false, 3*s + 500, true},
		{"1 2", false, 3 * s, true},
		{"1 2 ", false, 0, false},
		{"5m 10 ", true, 5*min + 10*s, true},
		// point 7: trailing digits are seconds.
		{"1h30", false, h + 30*s, true},
		{"5400", false, 5400 * s, true},
		{"0", false, 0, true},
		{"0s", false, 0, true},
		{"0ms", false, 0, true},
		// point 8: at least one digit; a bare unit adds 0.
		{"s", false, 0, false},
		{"", false, 0, false},
		{" ", false, 0, false},
		{"ms", false, 0, false},
		{"1hs", false, h, true},
		{"1hms", false, h, true},
		// point 1 and 9: bytes, fractions, signs.
		{"1.5h", false, 0, false},
		{"-1s", false, 0, false},
		{"+1s", false, 0, false},
		{"1h\t30m", false, 0, false},
		{"\t1h", false, 0, false},
		{"1h,30m", false, 0, false},
		{"1x", false, 0, false},
		{"'1h'", false, 0, false}, // quotes are the tokenizer's business
		// point 10: overflow on 64-bit builds.
		{"9223372036854775807ms", false, math.MaxInt64, true},
		{"9223372036854775808ms", false, 0, false},
		{"15250284452w", false, 15250284452 * w, true},
		{"15250284453w", false, 0, false},
		{"106751991167d", false, 106751991167 * d, true},
		{"106751991168d", false, 0, false},
		{"9223372036854775", false, 9223372036854775 * s, true},
		{"9223372036854776", false, 0, false},
		{"15250284452w3d", false, 15250284452*w + 3*d, true},
		{"15250284452w4d", false, 0, false},
		{"292471208677y", true, math.MaxInt64, true}, // valid for nginx; saturates in ms
		{"292471208678y", true, 0, false},
		{"9223372036854775807", true, math.MaxInt64, true},
		{"9223372036854775808", true, 0, false},
		{"99999999999999999999", false, 0, false},
	}
	for _, c := range cases {
		got, err := ParseTime(c.in, c.isSec)
		if c.ok {
			if err != nil {
				t.Errorf("ParseTime(%q, %v) error %v, want %d", c.in, c.isSec, err, c.ms)
			} else if got != c.ms {
				t.Errorf("ParseTime(%q, %v) = %d, want %d", c.in, c.isSec, got, c.ms)
			}
			continue
		}
		if err == nil {
			t.Errorf("ParseTime(%q, %v) = %d, want an error", c.in, c.isSec, got)
		} else if !errors.Is(err, ErrInvalidTime) {
			t.Errorf("ParseTime(%q, %v) error %v does not wrap ErrInvalidTime", c.in, c.isSec, err)
		}
	}
}

func TestParseTimeNative(t *testing.T) {
	for _, c := range []struct {
		in    string
		isSec bool
		want  int64
	}{
		{"292471208677y", true, 292471208677 * 365 * 24 * 3600},
		{"1h", true, 3600},
		{"1h", false, 3600000},
		{"9223372036854775807s", true, math.MaxInt64},
	} {
		got, err := ParseTimeNative(c.in, c.isSec)
		if err != nil || got != c.want {
			t.Errorf("ParseTimeNative(%q, %v) = %d, %v; want %d", c.in, c.isSec, got, err, c.want)
		}
	}
	if _, err := ParseTimeNative("1M", false); err == nil || err.Error() != `invalid time value "1M": unit "M" is not allowed for a millisecond directive` {
		t.Errorf("error text: %v", err)
	}
}

func TestFormatDuration(t *testing.T) {
	for _, c := range []struct {
		ms   int64
		want string
	}{
		{0, "0s"},
		{-5, "0s"},
		{1, "1ms"},
		{500, "500ms"},
		{1000, "1s"},
		{1500, "1s500ms"},
		{30000, "30s"},
		{60000, "60s"},
		{75000, "75s"},
		{90000, "90s"},
		{119999, "119s999ms"},
		{120000, "2m"},
		{150000, "2m30s"},
		{300000, "5m"},
		{3600000, "1h"},
		{5400000, "1h30m"},
		{86400000, "1d"},
		{90061001, "1d1h1m1s1ms"},
		{604800000, "7d"},
	} {
		if got := FormatDuration(c.ms); got != c.want {
			t.Errorf("FormatDuration(%d) = %q, want %q", c.ms, got, c.want)
		}
	}
}

func TestFormatDurationRoundTrip(t *testing.T) {
	check := func(ms int64) {
		t.Helper()
		s := FormatDuration(ms)
		got, err := ParseTime(s, false)
		if err != nil || got != ms {
			t.Fatalf("ParseTime(FormatDuration(%d) = %q) = %d, %v", ms, s, got, err)
		}
		if ms%1000 == 0 {
			if got, err := ParseTime(s, true); err != nil || got != ms {
				t.Fatalf("sec: ParseTime(%q, true) = %d, %v; want %d", s, got, err, ms)
			}
		}
	}
	for ms := int64(0); ms < 200000; ms += 37 {
		check(ms)
	}
	for _, ms := range []int64{math.MaxInt64, math.MaxInt64 - 1, math.MaxInt64 / 1000 * 1000, 1 << 40} {
		check(ms)
	}
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 20000; i++ {
		ms := r.Int63()
		if i%2 == 0 {
			ms %= 10 * 24 * 3600 * 1000
		}
		if i%3 == 0 {
			ms -= ms % 1000
		}
		check(ms)
	}
}
