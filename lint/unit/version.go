package unit

import (
	"fmt"
	"strconv"
	"strings"
)

// Version is a Unit (or FreeUnit) release: major, minor, patch.
type Version [3]int

// V1_35_0 is the last upstream release, the first with the Litestar and
// Firefox WebSocket fixes.
var V1_35_0 = Version{1, 35, 0}

// ParseVersion reads "1.34.2", "1.35" or "v1.35.0".
func ParseVersion(s string) (Version, error) {
	var v Version
	t := strings.TrimPrefix(strings.TrimSpace(s), "v")
	parts := strings.Split(t, ".")
	if t == "" || len(parts) > 3 || len(parts) < 2 {
		return v, fmt.Errorf("invalid Unit version %q (want MAJOR.MINOR[.PATCH], e.g. 1.35.0)", s)
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || p == "" || (len(p) > 1 && p[0] == '+') {
			return v, fmt.Errorf("invalid Unit version %q (want MAJOR.MINOR[.PATCH], e.g. 1.35.0)", s)
		}
		v[i] = n
	}
	return v, nil
}

// Less reports whether v is older than o.
func (v Version) Less(o Version) bool {
	for i := range v {
		if v[i] != o[i] {
			return v[i] < o[i]
		}
	}
	return false
}

func (v Version) String() string { return fmt.Sprintf("%d.%d.%d", v[0], v[1], v[2]) }
