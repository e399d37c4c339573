package spec

import "testing"

func TestParseSize(t *testing.T) {
	for _, c := range []struct {
		v      string
		offset bool
		n      int64
		ok     bool
	}{
		{"0", false, 0, true},
		{"10", false, 10, true},
		{"10k", false, 10 << 10, true},
		{"10K", false, 10 << 10, true},
		{"10m", false, 10 << 20, true},
		{"10M", true, 10 << 20, true},
		{"1g", false, 0, false}, // ngx_parse_size has no g
		{"1g", true, 1 << 30, true},
		{"1G", true, 1 << 30, true},
		{"10MB", true, 0, false},
		{"10kb", false, 0, false},
		{"1.5m", false, 0, false},
		{"-1", false, 0, false},
		{"+1", false, 0, false},
		{"", false, 0, false},
		{"k", false, 0, false},
		{"10 m", false, 0, false},
		{"$x", false, 0, false},
		{"9223372036854775807", false, 9223372036854775807, true},
		{"9223372036854775808", true, 0, false},
		{"9007199254740991k", false, 9007199254740991 << 10, true},
		{"9007199254740992k", false, 0, false},
		{"8589934591g", true, 8589934591 << 30, true},
		{"8589934592g", true, 0, false},
	} {
		n, ok := ParseSize(c.v, c.offset)
		if n != c.n || ok != c.ok {
			t.Errorf("ParseSize(%q, %v) = %d, %v; want %d, %v", c.v, c.offset, n, ok, c.n, c.ok)
		}
	}
}

func TestParseNumber(t *testing.T) {
	for _, c := range []struct {
		v  string
		n  int64
		ok bool
	}{
		{"0", 0, true}, {"1024", 1024, true}, {"9223372036854775807", 9223372036854775807, true},
		{"9223372036854775808", 0, false}, {"1k", 0, false}, {"-1", 0, false}, {"+1", 0, false},
		{"1.5", 0, false}, {"1e3", 0, false}, {"", 0, false}, {"ten", 0, false}, {"$n", 0, false},
	} {
		if n, ok := ParseNumber(c.v); n != c.n || ok != c.ok {
			t.Errorf("ParseNumber(%q) = %d, %v; want %d, %v", c.v, n, ok, c.n, c.ok)
		}
	}
}
