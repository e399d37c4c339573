package rules

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/nginx/spec"
)

// Helpers shared by the parsing-and-structure rules (WS002, WS004-WS007,
// WS010-WS016): which nginx context a directive of the include-expanded
// tree lives in, which table row types its arguments, how a refused value
// is reported.

// contextOf returns the context d is written in, as a single spec context
// bit, or false when wslint cannot know it: the top level of a snippet with
// no natural context (a proxy_params-style list), or the inside of an
// opaque, third-party or unknown block.
func contextOf(cfg *nginx.Config, d *nginx.Directive) (spec.Context, bool) {
	if d.Parent == nil || unknownTop(cfg, d) {
		return 0, false
	}
	return innerContext(cfg, d.Parent)
}

// innerContext returns the context of the directives directly inside block b.
// Synthetic blocks count as their kind.
func innerContext(cfg *nginx.Config, b *nginx.Directive) (spec.Context, bool) {
	if b == cfg.Root {
		return spec.Main, true
	}
	if !b.IsBlock {
		return 0, false
	}
	switch b.Name {
	case "events":
		return spec.Events, true
	case "http":
		return spec.HTTP, true
	case "mail":
		return spec.Mail, true
	case "stream":
		return spec.Stream, true
	case "location":
		return spec.Location, true
	case "limit_except":
		return spec.LimitExcept, true
	}
	outer, ok := contextOf(cfg, b)
	if !ok {
		return 0, false
	}
	switch {
	case b.Name == "server" && outer == spec.HTTP:
		return spec.Server, true
	case b.Name == "server" && outer == spec.Mail:
		return spec.MailServer, true
	case b.Name == "server" && outer == spec.Stream:
		return spec.StreamServer, true
	case b.Name == "upstream" && outer == spec.HTTP:
		return spec.Upstream, true
	case b.Name == "upstream" && outer == spec.Stream:
		return spec.StreamUpstream, true
	case b.Name == "if" && outer == spec.Server:
		return spec.ServerIf, true
	case b.Name == "if" && outer == spec.Location:
		return spec.If, true
	}
	return 0, false
}

// unknownTop reports whether d stands at the top level of a root file whose
// natural context is unknown (directly, or through an include written there):
// such a list of directives may be included anywhere.
func unknownTop(cfg *nginx.Config, d *nginx.Directive) bool {
	o := d.Outermost(d.Parent)
	if o.Via != nil || o.Parent == nil || !(o.Parent.Synthetic || o.Parent.File() != o.File()) {
		return false
	}
	ctx, root := cfg.Context[o.File()]
	return root && ctx == nginx.CtxUnknown
}

// descends reports whether the directives inside block d are nginx
// directives wslint knows how to read: the blocks of stock nginx, except the
// opaque ones (map, types, geo, ...) whose lines are data.
func descends(d *nginx.Directive) bool {
	if !d.IsBlock {
		return false
	}
	if v, ok := descendsByName.Load(d.Name); ok {
		return v.(bool)
	}
	in := false
	for _, v := range spec.Variants(d.Name) {
		if v.Block && !v.Opaque && !v.IsThirdParty() {
			in = true
		}
	}
	if _, known := spec.Lookup(d.Name); known {
		descendsByName.Store(strings.Clone(d.Name), in) // known names only, copied (d.Name shares the file's bytes)
	}
	return in
}

// descendsByName memoizes descends per directive name: every tree walk of
// every rule asks it for every block.
var descendsByName sync.Map

// walkDirectives calls fn for every directive of the include-expanded tree
// that is a directive (not a line of an opaque block, not inside a
// third-party or unknown block), in pre-order.
func walkDirectives(cfg *nginx.Config, fn func(d *nginx.Directive)) {
	cfg.Walk(func(d *nginx.Directive) bool {
		fn(d)
		return descends(d)
	})
}

// A site is a directive that walkDirectives visits, with what the rules
// that read every directive ask of it (WS002, WS004, WS006, WS010,
// WS012-WS016): the context it is written in and its rows in the table.
// sites lists them once per configuration (32 bytes a directive, kept for
// the run) instead of each of those rules walking the tree and looking
// every name up again: 6-9% of a 2 KB configuration's lint.
type site struct {
	d     *nginx.Directive
	e     spec.Entry   // the name's (the zero Entry when it is unknown)
	ctx   spec.Context // contextOf(d), when ctxOK
	ctxOK bool
}

// merged is spec.Lookup(d.Name): nil when the name is unknown.
func (s *site) merged() *spec.Directive { return s.e.Merged() }

// rows is spec.Rows(d.Name).
func (s *site) rows() []spec.Directive { return s.e.Rows() }

// sitesKey is the Memo key of sites.
type sitesKey struct{}

// sites returns the sites of cfg in walkDirectives' order.
func sites(cfg *nginx.Config) []site {
	return cfg.Memo(sitesKey{}, func() any {
		out := make([]site, 0, cfg.Count())
		walkDirectives(cfg, func(d *nginx.Directive) {
			s := site{d: d}
			s.ctx, s.ctxOK = contextOf(cfg, d)
			s.e, _ = spec.Find(d.Name)
			out = append(out, s)
		})
		return out
	}).([]site)
}

// eachSite calls fn for every site of cfg, in walkDirectives' order.
func eachSite(cfg *nginx.Config, fn func(s *site)) {
	ss := sites(cfg)
	for i := range ss {
		fn(&ss[i])
	}
}

// in is spec.LookupIn(d.Name, ctx): the row of the context d is written in.
func (s *site) in() (*spec.Directive, bool) {
	if !s.ctxOK {
		return nil, false
	}
	return spec.RowIn(s.rows(), s.ctx)
}

// dollarKey is the Memo key of withVariables.
type dollarKey struct{}

// withVariables returns, in walkDirectives' order, the directives that
// walkDirectives visits and that may hold variable references: those with
// a '$' in an argument, and map blocks (whose values may hold them). WS007
// and WS011 read these, not the whole tree (a few in ten directives of a
// typical configuration).
func withVariables(cfg *nginx.Config) []*nginx.Directive {
	return cfg.Memo(dollarKey{}, func() any {
		var out []*nginx.Directive
		eachSite(cfg, func(s *site) {
			if d := s.d; d.Name == "map" && d.IsBlock || slices.ContainsFunc(d.Args, func(a nginx.Arg) bool { return strings.IndexByte(a.Raw, '$') >= 0 }) {
				out = append(out, d)
			}
		})
		return out
	}).([]*nginx.Directive)
}

// contextName renders a context for messages.
func contextName(c spec.Context) string {
	switch c {
	case spec.Main:
		return "the main context"
	case spec.If:
		return "an `if` block in a location"
	case spec.ServerIf:
		return "an `if` block at server level"
	case spec.Map:
		return "a map-like block"
	}
	return "`" + c.String() + "`"
}

// family is the set of contexts of the module family c belongs to, so that
// messages list where a directive is allowed among related contexts only.
func family(c spec.Context) spec.Context {
	switch {
	case c&(spec.HTTP|spec.Server|spec.Location|spec.If|spec.ServerIf|spec.LimitExcept|spec.Upstream) != 0:
		return spec.Main | spec.HTTP | spec.Server | spec.Location | spec.If | spec.ServerIf | spec.LimitExcept | spec.Upstream
	case c&(spec.Stream|spec.StreamServer|spec.StreamUpstream) != 0:
		return spec.Main | spec.Stream | spec.StreamServer | spec.StreamUpstream
	case c&(spec.Mail|spec.MailServer) != 0:
		return spec.Main | spec.Mail | spec.MailServer
	}
	return spec.Main | spec.Events
}

// lineOf returns the 1-based line on which d starts.
func lineOf(d *nginx.Directive) int {
	l, _ := d.File().Position(d.Span.Start)
	return l
}

// timeArg reports whether argument i of directive v (named name) is a time
// in nginx's grammar, and whether it has second resolution. The table types
// the first argument; keepalive_timeout's second one (the Keep-Alive header
// value) has second resolution.
func timeArg(v *spec.Directive, name string, i int) (isTime, isSec bool) {
	switch {
	case i == 0 && (v.Arg == spec.ArgMsec || v.Arg == spec.ArgSec):
		return true, v.Arg == spec.ArgSec
	case i == 1 && name == "keepalive_timeout" && v.MaxArgs >= 2:
		return true, true
	}
	return false, false
}

// sameTime reports whether a and b, argument i of directive name, are
// valid times of equal value (`60s` and `1m`).
func sameTime(name string, i int, a, b string) bool {
	v, ok := spec.Lookup(name)
	if !ok {
		return false
	}
	isTime, isSec := timeArg(v, name, i)
	if !isTime {
		return false
	}
	ta, errA := spec.ParseTime(a, isSec)
	tb, errB := spec.ParseTime(b, isSec)
	return errA == nil && errB == nil && ta == tb
}

// invalidValueFinding is the finding of an argument a of d that nginx refuses
// with `"name" directive invalid value` (WS006, WS015): why says what is
// wrong, and fix, when not "", is the value meant, written as nginx reads
// it (a safe fix).
func invalidValueFinding(p *lint.Pass, d *nginx.Directive, a nginx.Arg, why, fix string) lint.Finding {
	msg := fmt.Sprintf("`%s %s`: %s; nginx refuses to load (`\"%s\" directive invalid value`)", d.Name, a.Raw, why, d.Name)
	if fix == "" {
		return p.Finding(a.Span, "%s", msg)
	}
	f := p.Finding(a.Span, "%s; use `%s`", msg, fix)
	return f.WithFix(lint.Safe, "Write `"+fix+"`", lint.ReplaceArg(a, fix))
}

// wordReason is why nginx refuses v as a size or a number (what), when the
// reason is one they share: a variable, nothing, a sign; "" otherwise.
func wordReason(v, what string) string {
	switch {
	case strings.Contains(v, "$"):
		return "this directive does not expand variables"
	case v == "":
		return "an empty " + what
	case strings.HasPrefix(v, "-") || strings.HasPrefix(v, "+"):
		return "a " + what + " has no sign"
	}
	return ""
}

// typedVariant returns the definition of the site's directive whose
// argument is of the type is tells (a time, a size), or nil. Where its
// context is unknown, every definition of the name must agree on the type
// and the argument count.
func typedVariant(s *site, is func(*spec.Directive) bool) *spec.Directive {
	if s.ctxOK {
		if v, ok := s.in(); ok && is(v) {
			return v
		}
		return nil
	}
	vs := s.rows()
	for i := range vs {
		if vs[i].Arg != vs[0].Arg || vs[i].MaxArgs != vs[0].MaxArgs {
			return nil
		}
	}
	if len(vs) > 0 && is(&vs[0]) {
		return &vs[0]
	}
	return nil
}

// inTarget reports whether the target release has the row v of the table
// (spec.Directive.Since and Until).
func inTarget(v *spec.Directive, target nginx.Version) bool {
	if v.Since != "" {
		if since, err := nginx.ParseVersion(v.Since); err == nil && target.Less(since) {
			return false
		}
	}
	if v.Until != "" {
		if until, err := nginx.ParseVersion(v.Until); err == nil && target.AtLeast(until) {
			return false
		}
	}
	return true
}

// nameInTarget reports whether the target release has the directive whose
// table rows are rows in any module (a name it lacks everywhere is an
// `unknown directive` to it: WS012); NGINX Plus rows are not in any, and a
// name only they have counts as present here (WS014 reports it). For a name
// it lacks, since is the earliest release that has it (after the target)
// and until the release that removed it (before it).
func nameInTarget(rows []spec.Directive, target nginx.Version) (ok bool, since, until string) {
	oss := false
	for i := range rows {
		v := &rows[i]
		if v.Commercial {
			continue // not in any open-source release
		}
		oss = true
		if inTarget(v, target) {
			return true, "", ""
		}
		if v.Until != "" {
			until = v.Until
			continue
		}
		if s, err := nginx.ParseVersion(v.Since); err == nil {
			if cur, err := nginx.ParseVersion(since); since == "" || err == nil && s.Less(cur) {
				since = v.Since
			}
		}
	}
	if !oss {
		return true, "", "" // NGINX Plus only: WS014
	}
	return false, since, until
}

// maxArgsIn is v's MaxArgs in the target release (spec's ArgsSince).
func maxArgsIn(v *spec.Directive, target nginx.Version) int {
	if v.ArgsSince != "" {
		if since, err := nginx.ParseVersion(v.ArgsSince); err == nil && target.Less(since) {
			return v.MaxArgsBefore
		}
	}
	return v.MaxArgs
}
