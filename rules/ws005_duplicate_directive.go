package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/nginx/spec"
	"github.com/wslint/wslint/lint/source"
)

// DuplicateDirective reports a non-list directive repeated in one block, and
// a limit_req or limit_conn zone named twice in one block.
var DuplicateDirective = &lint.Rule{
	ID:       "WS005",
	Name:     "duplicate-directive",
	Lang:     lint.Nginx,
	Severity: lint.Error,
	Default:  true,
	Check:    checkDuplicateDirective,
	Doc: lint.Doc{
		Summary: "a single-valued directive is set twice in one block",
		Why: "nginx refuses to start or reload with `\"proxy_read_timeout\" directive is duplicate`. " +
			"It happens when a WebSocket timeout or `proxy_http_version` is added to a location " +
			"that already sets it, often through an `include`d snippet. List directives such as " +
			"`proxy_set_header` may repeat; these may not. `limit_req` and `limit_conn` may repeat " +
			"with other zones, not with the same one (`limit_req zone=perip` twice in a location).",
		Bad: "location /ws/ {\n    proxy_pass http://127.0.0.1:8000;\n" +
			"    proxy_http_version 1.1;\n    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection \"upgrade\";\n    proxy_read_timeout 60s;\n    proxy_read_timeout 1h;\n}\n",
		Good: "location /ws/ {\n    proxy_pass http://127.0.0.1:8000;\n" +
			"    proxy_http_version 1.1;\n    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection \"upgrade\";\n    proxy_read_timeout 1h;\n}\n",
		FixSafety: "Safe when both occurrences have the same value (the same time counts: `60s` and " +
			"`1m`): the fix deletes the repeat written in this block, preferring the second. With " +
			"different values the configuration does not load today, so which value was meant is " +
			"a guess: the fix keeps the later one (as a later line usually is the intended " +
			"override) and is Unsafe; when the earlier one comes from an included file that other " +
			"blocks may include too, it is only a suggestion. No fix for a repeated block " +
			"(`limit_except`): merging their bodies is a design decision.",
		References: []string{"https://nginx.org/en/docs/http/ngx_http_proxy_module.html"},
	},
}

func checkDuplicateDirective(p *lint.Pass) (out []lint.Finding) {
	check := func(block *nginx.Directive, ds []*nginx.Directive, ctx spec.Context, known bool) {
		out = append(out, zoneRepeats(p, block, ds)...)
		if len(ds) <= 32 { // most blocks: compare names pairwise, allocating nothing
			for i, first := range ds {
				if slices.ContainsFunc(ds[:i], func(e *nginx.Directive) bool { return e.Name == first.Name }) {
					continue // reported from its first occurrence
				}
				prev, checked := first, false
				for _, d := range ds[i+1:] {
					if d.Name != first.Name {
						continue
					}
					if !checked && !scalarIn(first.Name, ctx, known) {
						break
					}
					checked = true
					out = append(out, duplicateFinding(p, block, first, prev, d, ""))
					prev = d
				}
			}
			return
		}
		byName := map[string][]*nginx.Directive{}
		var order []string
		for _, d := range ds {
			if _, seen := byName[d.Name]; !seen {
				order = append(order, d.Name)
			}
			byName[d.Name] = append(byName[d.Name], d)
		}
		for _, name := range order {
			occ := byName[name]
			if len(occ) < 2 || !scalarIn(name, ctx, known) {
				continue
			}
			for i := 1; i < len(occ); i++ {
				out = append(out, duplicateFinding(p, block, occ[0], occ[i-1], occ[i], ""))
			}
		}
	}
	var walk func(block *nginx.Directive)
	walk = func(block *nginx.Directive) {
		ctx, known := innerContext(p.Nginx, block)
		// Directives a root file brings into a block it is not written in
		// (two main files, or snippets attached to a context) are compared
		// only with those of the same file: nginx may never read them together.
		children := block.Children()
		key := func(d *nginx.Directive) *source.File {
			if o := d.Outermost(block); o.Via == nil && (block.Synthetic || o.File() != block.File()) {
				return o.File()
			}
			return nil
		}
		for _, d := range children {
			if descends(d) {
				walk(d)
			}
		}
		checkGroup := func(ds []*nginx.Directive) {
			if unknownTop(p.Nginx, ds[0]) {
				check(block, ds, 0, false)
			} else if known {
				check(block, ds, ctx, true)
			}
		}
		if !block.Synthetic && !slices.ContainsFunc(children, func(d *nginx.Directive) bool { return key(d) != nil }) {
			if len(children) > 0 {
				checkGroup(children) // the usual case: one file's directives
			}
			return
		}
		groups := map[*source.File][]*nginx.Directive{}
		var order []*source.File
		for _, d := range children {
			k := key(d)
			if _, ok := groups[k]; !ok {
				order = append(order, k)
			}
			groups[k] = append(groups[k], d)
		}
		for _, k := range order {
			checkGroup(groups[k])
		}
	}
	walk(p.Nginx.Root)
	return out
}

func scalarIn(name string, ctx spec.Context, known bool) bool {
	if known {
		v, ok := spec.LookupIn(name, ctx)
		return ok && v.Merge == spec.Scalar
	}
	vs := spec.Variants(name)
	for _, v := range vs {
		if v.Merge != spec.Scalar {
			return false
		}
	}
	return len(vs) > 0
}

// zoneOf returns the shared memory zone of a limit_req (its zone=) or a
// limit_conn (its first argument): nginx keeps a list of them per block and
// refuses one zone twice (`"limit_req" directive is duplicate`, verified
// with nginx 1.22.1: TestDuplicatesAsNginx), though other zones may follow.
func zoneOf(d *nginx.Directive) (string, bool) {
	switch d.Name {
	case "limit_conn":
		if len(d.Args) > 0 {
			return d.Args[0].Value, true
		}
	case "limit_req":
		for _, a := range d.Args {
			if z, ok := strings.CutPrefix(a.Value, "zone="); ok {
				return z, true
			}
		}
	}
	return "", false
}

// zoneRepeats reports each limit_req or limit_conn of ds that names the zone
// of an earlier one in the same block.
func zoneRepeats(p *lint.Pass, block *nginx.Directive, ds []*nginx.Directive) (out []lint.Finding) {
	var firsts map[[2]string][2]*nginx.Directive // name and zone: the first and the latest
	for _, d := range ds {
		zone, ok := zoneOf(d)
		if !ok || d.IsBlock {
			continue
		}
		key := [2]string{d.Name, zone}
		if seen, ok := firsts[key]; ok {
			out = append(out, duplicateFinding(p, block, seen[0], seen[1], d, zone))
			firsts[key] = [2]*nginx.Directive{seen[0], d}
			continue
		}
		if firsts == nil {
			firsts = map[[2]string][2]*nginx.Directive{}
		}
		firsts[key] = [2]*nginx.Directive{d, d}
	}
	return out
}

// duplicateFinding reports d, the repeat of first (prev the occurrence just
// before it); zone is the limit_req/limit_conn zone they share, or "".
func duplicateFinding(p *lint.Pass, block, first, prev, d *nginx.Directive, zone string) lint.Finding {
	if d.Span == first.Span {
		// One line read twice: its file is included twice in this block.
		inc := d.Outermost(block)
		f := p.Finding(inc.NameSpan(), "`%s` is set twice in this block because `include %s` brings it in again (line %d): nginx refuses to load (`\"%s\" directive is duplicate`)",
			d.Name, inc.Arg(0), lineOf(inc), d.Name)
		f = f.WithRelated(first.Outermost(block).Span, "the first include of the file")
		f = f.WithRelated(d.Span, "`%s` is written here", d.String())
		// Removing the repeated include also drops what else it repeats
		// (list directives such as proxy_set_header are sent twice today).
		return f.WithFix(lint.Unsafe, "Remove the repeated `include "+inc.Arg(0)+"`", lint.DeleteDirective(inc))
	}
	what := fmt.Sprintf("`%s` is already set in this block", d.Name)
	if zone != "" {
		what = fmt.Sprintf("`%s` already uses the zone `%s` in this block", d.Name, zone)
	}
	f := p.Finding(d.NameSpan(), "%s (line %d%s): nginx refuses to load (`\"%s\" directive is duplicate`)",
		what, lineOf(first), fileNote(first, d), d.Name)
	f = f.WithRelated(first.Span, "`%s` is first set here", first.String())
	if d.Via != nil {
		f = f.WithRelated(d.Outermost(block).Span, "the repeat comes in through this include")
	}
	if d.IsBlock || prev.IsBlock {
		return f // two blocks (limit_except): merging their bodies is a design decision
	}
	if sameValue(d.Name, d, prev) {
		// Delete a repeat written in this block itself (d first); a line of
		// an included file is deleted only together with its twin there.
		for _, victim := range []*nginx.Directive{d, prev} {
			other := prev
			if victim == prev {
				other = d
			}
			if victim.Span != other.Span && (victim.Via == nil || victim.Via == other.Via) {
				return f.WithFix(lint.Safe, "Remove the repeated `"+victim.String()+"`", lint.DeleteDirective(victim))
			}
		}
		return f.WithFix(lint.Unsafe, "Remove the repeated `"+d.String()+"` from its included file", lint.DeleteDirective(d))
	}
	applies := lint.Unsafe
	if prev.Via != nil && prev.Via != d.Via {
		applies = lint.Suggestion // the included file may serve other blocks
	}
	return f.WithFix(applies, "Keep the later `"+d.String()+"` and remove `"+prev.String()+"`", lint.DeleteDirective(prev))
}

// sameValue reports whether two occurrences of a directive mean the same:
// identical arguments, or equal times for a time directive.
func sameValue(name string, a, b *nginx.Directive) bool {
	if len(a.Args) != len(b.Args) {
		return false
	}
	for i := range a.Args {
		if a.Args[i].Value != b.Args[i].Value && !sameTime(name, i, a.Args[i].Value, b.Args[i].Value) {
			return false
		}
	}
	return true
}

func fileNote(first, d *nginx.Directive) string {
	if first.File() != d.File() {
		return " of " + first.File().Path
	}
	return ""
}
