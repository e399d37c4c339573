package textdist

import (
	"strings"
	"testing"
)

func TestDistance(t *testing.T) {
	cases := []struct {
		a, b string
		d    int
	}{
		{"", "", 0}, {"a", "", 1}, {"proxy_set_heder", "proxy_set_header", 1},
		{"porxy", "proxy", 1}, {"kitten", "sitting", 3}, {"protocl", "protocol", 1},
	}
	for _, c := range cases {
		if got := Distance(c.a, c.b, 10); got != c.d {
			t.Errorf("Distance(%q, %q) = %d, want %d", c.a, c.b, got, c.d)
		}
	}
	if got := Distance("aaaaaaaa", "bbbbbbbb", 2); got != 3 {
		t.Errorf("bounded: %d, want 3", got)
	}
	if got := Distance(strings.Repeat("a", 300), "a", 5); got != 6 {
		t.Errorf("long input: %d, want 6", got)
	}
}
