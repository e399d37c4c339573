// Package spec is pure data and pure functions about stock nginx: which
// directives exist and where they may appear, how they are inherited and
// repeated, nginx's exact time grammar, the built-in variables, and a small
// knowledge base of well-known WebSocket endpoints.
//
// The package depends on the standard library only and keeps no mutable
// state: every value it returns is either a fresh copy or shared read-only
// data that callers must not modify.
package spec

import (
	"strings"
	"sync"
	"sync/atomic"

	"github.com/wslint/wslint/lint/textdist"
)

// Context is a set of bits naming the blocks a directive may appear in.
type Context uint16

// Context bits where a directive may appear.
const (
	Main           Context = 1 << iota // top level of nginx.conf
	Events                             // events { }
	HTTP                               // http { }
	Server                             // http { server { } }
	Location                           // location { }, nested and named locations too
	If                                 // if { } inside a location
	ServerIf                           // if { } directly inside a server
	LimitExcept                        // limit_except { }
	Upstream                           // http { upstream { } }
	Mail                               // mail { }
	MailServer                         // mail { server { } }
	Stream                             // stream { }
	StreamServer                       // stream { server { } }
	StreamUpstream                     // stream { upstream { } }
	// Map stands for the inside of the opaque blocks (map, geo, types,
	// split_clients, charset_map, ...): their lines are not directives (see
	// Directive.Opaque). Only include is allowed there.
	Map
)

// AllContexts is every context, as for include (NGX_ANY_CONF).
const AllContexts = Main | Events | HTTP | Server | Location | If | ServerIf | LimitExcept | Upstream |
	Mail | MailServer | Stream | StreamServer | StreamUpstream | Map

var contextNames = [...]string{
	"main", "events", "http", "server", "location", "if in location", "if in server", "limit_except",
	"upstream", "mail", "mail server", "stream", "stream server", "stream upstream", "map-like block",
}

// String lists the contexts in c in nginx.org's words, comma separated:
// "http, server, location".
func (c Context) String() string {
	if c == 0 {
		return "none"
	}
	var parts []string
	for i, name := range contextNames {
		if c&(1<<i) != 0 {
			parts = append(parts, name)
		}
	}
	return strings.Join(parts, ", ")
}

// Has reports whether every bit of x is in c.
func (c Context) Has(x Context) bool { return x != 0 && c&x == x }

// Merge tells how a directive is inherited from enclosing levels and whether
// it may be repeated in one block.
type Merge int

// How a directive is inherited and repeated.
const (
	// Scalar directives are inherited one by one; repeating one in a block is
	// nginx's `"X" directive is duplicate` error (WS005).
	Scalar Merge = iota
	// List directives (proxy_set_header, add_header, proxy_hide_header,
	// fastcgi_param, error_page, allow/deny, proxy_cache_bypass, ...) may be
	// repeated; the whole list is inherited only by a level that defines none.
	List
	// Multi directives may be repeated and are not inherited as a list
	// (listen, server_name, include, set, if, location, rewrite, bitmask
	// directives such as proxy_next_upstream whose repeats are OR-ed, ...).
	Multi
)

// String returns "scalar", "list" or "multi".
func (m Merge) String() string {
	switch m {
	case Scalar:
		return "scalar"
	case List:
		return "list"
	case Multi:
		return "multi"
	}
	return "unknown"
}

// ArgType is the type of a directive's first argument, for WS006.
type ArgType int

// Argument types.
const (
	ArgAny  ArgType = iota // free form, or a type this package does not model
	ArgMsec                // ngx_conf_set_msec_slot: a time, millisecond resolution (ParseTime isSec=false)
	ArgSec                 // ngx_conf_set_sec_slot: a time, second resolution (ParseTime isSec=true)
	ArgFlag                // on | off
	// ArgSize is ngx_conf_set_size_slot: a size, a number of bytes with an
	// optional unit k or m (ParseSize). ArgOffset is ngx_conf_set_off_slot,
	// which takes g too. ArgSizeVar is a size or a value with variables
	// (limit_rate; proxy_limit_rate and its siblings from 1.27.0, VarsSince). The rows
	// are those whose answers nginx -t (1.22.1) gives on a battery of
	// values are these grammars' (TestSizesAsNginx keeps them so); Values
	// then lists the keywords taken besides a size (directio off).
	ArgSize
	ArgOffset
	ArgSizeVar
	// ArgBufs is ngx_conf_set_bufs_slot (proxy_buffers 8 4k): a number of
	// buffers, not 0, and a size (ArgSize), not 0.
	ArgBufs
	// ArgNum is ngx_conf_set_num_slot (and handlers that read a number
	// alike, worker_connections): decimal digits only (ParseNumber); the
	// rows are found as the size rows are (TestNumbersAsNginx).
	ArgNum
)

// String returns "any", "msec", "sec", "flag", "size", "offset", "size or
// variables", "buffers" or "number".
func (a ArgType) String() string {
	switch a {
	case ArgAny:
		return "any"
	case ArgMsec:
		return "msec"
	case ArgSec:
		return "sec"
	case ArgFlag:
		return "flag"
	case ArgSize:
		return "size"
	case ArgOffset:
		return "offset"
	case ArgSizeVar:
		return "size or variables"
	case ArgNum:
		return "number"
	case ArgBufs:
		return "buffers"
	}
	return "unknown"
}

// Directive describes one directive as one module defines it. A name defined
// by several modules (server, listen, proxy_pass in http and stream, ...) has
// one Directive per module; see Lookup and LookupIn.
type Directive struct {
	Name     string
	Contexts Context // where nginx accepts it
	Block    bool    // takes a { } block
	// Opaque blocks hold lines that are not directives (map, geo, types,
	// split_clients, charset_map, match, *_by_lua_block, ...).
	Opaque           bool
	MinArgs, MaxArgs int // arguments before ';' or '{'; MaxArgs -1 = unbounded
	Merge            Merge
	Arg              ArgType // type of the first argument (keepalive_timeout: first msec, second sec)
	Module           string  // e.g. "ngx_http_proxy_module"; "third-party" for non-nginx modules
	ThirdParty       string  // for Module "third-party": the project, e.g. "headers-more-nginx-module"
	Commercial       bool    // only in NGINX Plus
	// Values lists the keywords nginx accepts as arguments when it accepts
	// nothing else (enum and bitmask slots: proxy_http_version, ssl_protocols,
	// proxy_next_upstream, ...); nil when the argument is free form. With a
	// size Arg, the keywords it takes besides a size.
	Values []string
	// ValuesSince gives the release that added a keyword of Values, for
	// those added after 1.18.0 (proxy_http_version 2, 1.29.4).
	ValuesSince map[string]string
	// VarsSince is, for an ArgSizeVar row, the release from which its value
	// may hold variables ("1.27.0": proxy_limit_rate and its siblings); ""
	// for every release wslint targets.
	VarsSince string
	// Since is the first nginx release with this row ("1.25.5": stream's
	// server_name); "" for every release wslint targets (1.18 on).
	Since string
	// Until is the first nginx release without this row (limit_zone,
	// removed in 1.7.6); "" while nginx still has it.
	Until string
	// Before ArgsSince, MaxArgs was MaxArgsBefore (keepalive's `local`,
	// 1.29.7); ArgsSince "" when the count never changed.
	ArgsSince     string
	MaxArgsBefore int
}

// AllowedIn reports whether d may appear in the context ctx (a single bit).
func (d *Directive) AllowedIn(ctx Context) bool { return d.Contexts&ctx != 0 }

// IsSize reports whether d's argument is a size (ArgSize, ArgOffset,
// ArgSizeVar) or its arguments a number of buffers and their size
// (ArgBufs).
func (d *Directive) IsSize() bool {
	return d.Arg == ArgSize || d.Arg == ArgOffset || d.Arg == ArgSizeVar || d.Arg == ArgBufs
}

// IsThirdParty reports whether d comes from a module that is not part of nginx.
func (d *Directive) IsThirdParty() bool { return d.Module == "third-party" }

// Entry is one directive name: its rows, which are adjacent in the sorted
// table, and the union view that Lookup returns (Find returns it; the zero
// Entry is an unknown name's). It is small, for checks that keep one per
// directive.
type Entry struct {
	merged *Directive // the row itself when the name has one, else a merged copy
	lo, hi int32      // table[lo:hi]: the variants in preference order
}

// Merged is Lookup's answer: nil for an unknown name. It must not be
// modified.
func (e Entry) Merged() *Directive { return e.merged }

// Rows is Rows' answer: the table's own rows for the name, which the
// caller must not modify.
func (e Entry) Rows() []Directive { return table[e.lo:e.hi] }

// find returns the Entry of name. It reads nameSlots, an open-addressing
// hash table over the table's names that is part of the program's data
// (index_table.go, written by `go test ./lint/nginx/spec -run TestNameIndex
// -update` and checked by the same test), so that a program start pays
// nothing for it and a look-up costs a hash and, usually, one comparison:
// a map built on first use cost about 0.1 ms of a 10-server lint. A name's
// rows are adjacent because the table is sorted by name (TestTable), so an
// entry is a range of the table and only names with several rows need a
// merged copy (mergedRow).
func find(name string) (Entry, bool) {
	for i := nameHash(name) & slotMask; ; i = (i + 1) & slotMask {
		s := nameSlots[i]
		if s == 0 {
			return Entry{}, false
		}
		lo, hi := int32(s&0xffff)-1, int32(s>>16)
		if table[lo].Name != name {
			continue
		}
		e := Entry{merged: &table[lo], lo: lo, hi: hi}
		if hi-lo > 1 {
			e.merged = mergedRow(lo, hi)
		}
		return e, true
	}
}

const slotMask = 1<<slotBits - 1

// nameHash mixes the name eight bytes at a time (multiply and shift, as
// in the finalizers of murmur3 and splitmix64): directive names are 2 to
// 45 bytes, and a byte-at-a-time hash cost twice a Go map's look-up.
// index_table.go was written with it.
func nameHash(s string) uint32 {
	h := uint64(len(s)) * 0x9e3779b97f4a7c15
	for len(s) >= 8 {
		w := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
		h = (h ^ w) * 0xff51afd7ed558ccd
		h ^= h >> 32
		s = s[8:]
	}
	var w uint64
	for i := 0; i < len(s); i++ {
		w |= uint64(s[i]) << (8 * i)
	}
	h = (h ^ w) * 0xc4ceb9fe1a85ec53
	h ^= h >> 29
	return uint32(h)
}

// mergedViews caches, at the first row of each name that has several
// rows, the union view of its rows (mergedRow).
var mergedViews [len(table)]atomic.Pointer[Directive]

// mergedRow is the union view of table[lo:hi], made on first use: Contexts
// is the union, MinArgs and MaxArgs span every variant. Concurrent first
// uses may each make one; all get the one stored first.
func mergedRow(lo, hi int32) *Directive {
	if d := mergedViews[lo].Load(); d != nil {
		return d
	}
	merged := table[lo]
	for i := lo + 1; i < hi; i++ {
		d := &table[i]
		merged.Contexts |= d.Contexts
		merged.MinArgs = min(merged.MinArgs, d.MinArgs)
		if merged.MaxArgs != -1 && (d.MaxArgs == -1 || d.MaxArgs > merged.MaxArgs) {
			merged.MaxArgs = d.MaxArgs
		}
	}
	mergedViews[lo].CompareAndSwap(nil, &merged)
	return mergedViews[lo].Load()
}

// sortedNames is built on first use: only Names and Suggest (an unknown
// directive) need it.
var sortedNames = sync.OnceValue(func() []string {
	var names []string
	for i := range table {
		if i == 0 || table[i].Name != table[i-1].Name {
			names = append(names, table[i].Name) // sorted: so is the table
		}
	}
	return names
})

// Lookup returns the directive called name (case-sensitive, as nginx
// compares). When several modules define the name, the result is the
// preferred variant (http first, then core, stream, mail; stock before
// commercial before third-party) except that Contexts is the union over all
// variants and MinArgs/MaxArgs span all of them, so Lookup alone answers
// "is it allowed here" (WS004). Use LookupIn for the variant of one context
// (Block, Merge and arguments differ: `server` is a block in http but not in
// upstream). The result is shared and must not be modified.
func Lookup(name string) (*Directive, bool) {
	e, ok := find(name)
	if !ok {
		return nil, false
	}
	return e.merged, true
}

// LookupIn returns the variant of name that is valid in ctx (one context
// bit; with several, the preferred variant valid in any of them), or false
// when name is unknown or not allowed there.
func LookupIn(name string, ctx Context) (*Directive, bool) {
	e, ok := find(name)
	if !ok {
		return nil, false
	}
	return RowIn(e.Rows(), ctx)
}

// RowIn is LookupIn over a name's rows (from Rows or Find).
func RowIn(rows []Directive, ctx Context) (*Directive, bool) {
	for i := range rows {
		if d := &rows[i]; d.Contexts&ctx != 0 {
			return d, true
		}
	}
	return nil, false
}

// Find is Lookup and Rows in one look-up, or false when name is unknown.
func Find(name string) (Entry, bool) {
	e, ok := find(name)
	return e, ok
}

// Rows is Variants without the copy: the table's own rows for name, in
// the same order, which the caller must not modify (for checks that run
// on every directive).
func Rows(name string) []Directive {
	e, ok := find(name)
	if !ok {
		return nil
	}
	return e.Rows()
}

// Variants returns every module's definition of name, in preference order.
func Variants(name string) []*Directive {
	e, ok := find(name)
	if !ok {
		return nil
	}
	out := make([]*Directive, 0, e.hi-e.lo)
	for i := e.lo; i < e.hi; i++ {
		out = append(out, &table[i])
	}
	return out
}

// Names returns all known directive names, sorted.
func Names() []string { return append([]string(nil), sortedNames()...) }

// Directives returns a copy of the whole table, one row per (name, module).
func Directives() []Directive { return append([]Directive(nil), table[:]...) }

// Suggest returns the known directive name nearest to name, for "did you
// mean" messages, or "" when nothing is close. Candidates are, in order:
// the same name in lower case; names within Damerau-Levenshtein distance 2
// (distance 1 for names of 4 bytes or fewer, none below 3 bytes); then, when
// there is none, a name that extends name or is extended by it, the shorter
// one being at least 8 bytes and two thirds of the longer (`client_max_body`
// → client_max_body_size). Ties prefer stock nginx directives, then the
// longer common prefix, then alphabetical order.
func Suggest(name string) string {
	if name == "" {
		return ""
	}
	lower := strings.ToLower(name)
	if _, ok := find(lower); ok {
		return lower
	}
	maxDist := 2
	switch {
	case len(lower) < 3:
		maxDist = 0
	case len(lower) <= 4:
		maxDist = 1
	}
	best, bestDist := "", maxDist+1
	better := func(cand string, dist int) bool {
		if dist != bestDist {
			return dist < bestDist
		}
		cs, bs := isStock(cand), isStock(best)
		if cs != bs {
			return cs
		}
		cp, bp := commonPrefix(cand, lower), commonPrefix(best, lower)
		if cp != bp {
			return cp > bp
		}
		return cand < best
	}
	if maxDist > 0 {
		for _, cand := range sortedNames() {
			if abs(len(cand)-len(lower)) > maxDist {
				continue
			}
			if d := textdist.Distance(lower, cand, maxDist); d <= maxDist && better(cand, d) {
				best, bestDist = cand, d
			}
		}
	}
	if best != "" {
		return best
	}
	// Prefix heuristic: a truncated or over-long name.
	bestDiff := -1
	for _, cand := range sortedNames() {
		short, long := cand, lower
		if len(short) > len(long) {
			short, long = long, short
		}
		if !strings.HasPrefix(long, short) || len(short) < 8 || 3*len(short) < 2*len(long) {
			continue
		}
		diff := len(long) - len(short)
		if bestDiff == -1 || diff < bestDiff || diff == bestDiff && isStock(cand) && !isStock(best) {
			best, bestDiff = cand, diff
		}
	}
	return best
}

func isStock(name string) bool {
	e, ok := find(name)
	if !ok {
		return false
	}
	for _, d := range e.Rows() {
		if !d.IsThirdParty() && !d.Commercial {
			return true
		}
	}
	return false
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// NearestKeyword is the one keyword one edit away from value (ignoring
// case); of several, the one that value starts (`of`: `off`, not `on`);
// "" when there is none, or no single one.
func NearestKeyword(keywords []string, value string) string {
	var near []string
	for _, k := range keywords {
		if textdist.Distance(strings.ToLower(value), strings.ToLower(k), 1) <= 1 {
			near = append(near, k)
		}
	}
	if len(near) > 1 {
		var prefixed []string
		for _, k := range near {
			if strings.HasPrefix(strings.ToLower(k), strings.ToLower(value)) {
				prefixed = append(prefixed, k)
			}
		}
		near = prefixed
	}
	if len(near) != 1 {
		return ""
	}
	return near[0]
}
