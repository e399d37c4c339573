package nginx

import (
	"regexp"
	"strings"
	"sync"
)

// compiledRE compiles a regular expression once per process: a *regexp.Regexp
// is safe for concurrent use, configurations repeat the same location and
// map regexes, and the web service lints the same kinds of configuration
// request after request. Only expressions up to regexCacheLen bytes are
// kept, and the cache stops growing at regexCacheMax entries (later ones
// are compiled every time), so hostile input cannot grow it without bound. A nil result means Go cannot compile it.
func compiledRE(expr string) (*regexp.Regexp, error) {
	regexCache.Lock()
	e, ok := regexCache.m[expr]
	regexCache.Unlock()
	if ok {
		return e.re, e.err
	}
	// A copy: expr may share the bytes of a whole configuration file, which
	// the cache (and the Regexp, which keeps its source) must not retain.
	expr = strings.Clone(expr)
	re, err := regexp.Compile(expr)
	regexCache.Lock()
	if len(expr) <= regexCacheLen && len(regexCache.m) < regexCacheMax {
		regexCache.m[expr] = reEntry{re, err}
	}
	regexCache.Unlock()
	return re, err
}

const (
	regexCacheMax = 4096
	regexCacheLen = 256
)

type reEntry struct {
	re  *regexp.Regexp
	err error
}

var regexCache = struct {
	sync.Mutex
	m map[string]reEntry
}{m: map[string]reEntry{}}
