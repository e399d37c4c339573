package nginx

import (
	"fmt"
	"strconv"
	"strings"
)

// Version is an nginx release number.
type Version struct{ Major, Minor, Patch int }

// DefaultVersion is the conservative target when none is given: the oldest
// release still in wide use.
var DefaultVersion = Version{1, 18, 0}

// Versions where behaviour that rules depend on changed.
var (
	V1_25_1 = Version{1, 25, 1} // `http2` directive; plaintext listeners sniff h2
	V1_29_7 = Version{1, 29, 7} // proxy_http_version 1.1 and upstream keepalive by default
	V1_31_0 = Version{1, 31, 0} // Proxy-Connection no longer passed upstream
	V1_31_4 = Version{1, 31, 4} // HTTP/1.1 upstream requests always carry Host
)

// ParseVersion reads "1.18", "1.29.7" or "nginx/1.22.1".
func ParseVersion(s string) (Version, error) {
	t := strings.TrimPrefix(strings.TrimSpace(s), "nginx/")
	parts := strings.Split(t, ".")
	if len(parts) < 2 || len(parts) > 3 {
		return Version{}, fmt.Errorf("invalid nginx version %q (want MAJOR.MINOR[.PATCH], e.g. 1.18 or 1.29.7)", s)
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 {
			return Version{}, fmt.Errorf("invalid nginx version %q (want MAJOR.MINOR[.PATCH], e.g. 1.18 or 1.29.7)", s)
		}
		n[i] = v
	}
	return Version{n[0], n[1], n[2]}, nil
}

// Less reports whether v is an earlier release than o.
func (v Version) Less(o Version) bool {
	if v.Major != o.Major {
		return v.Major < o.Major
	}
	if v.Minor != o.Minor {
		return v.Minor < o.Minor
	}
	return v.Patch < o.Patch
}

// AtLeast reports whether v is o or later.
func (v Version) AtLeast(o Version) bool { return !v.Less(o) }

func (v Version) String() string { return fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch) }
