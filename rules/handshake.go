package rules

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
)

// Helpers shared by the handshake rules (WS102, WS103, WS105-WS108).

// upgradeReportedElsewhere reports whether WS101 (no upgrade header at all
// for a handshake) or WS104 (an enclosing level's upgrade headers dropped)
// already reports the location, so that one mistake is one finding.
func upgradeReportedElsewhere(p *lint.Pass, loc nginx.WSLocation) bool {
	if len(loc.DroppedUpgrade(p.Nginx)) > 0 {
		return true // WS104
	}
	if loc.Evidence == nginx.EvidenceOwnHeaders || loc.EnclosingUpgrade(p.Nginx) != nil {
		return false
	}
	for _, req := range nginx.Handshakes {
		u := loc.Simulate(p.Nginx, req, p.Opts.NginxVersion)
		hasUp, unkUp := u.Has("Upgrade")
		hasConn, unkConn := u.HasToken("Connection", "upgrade")
		if !hasUp && !hasConn && !unkUp && !unkConn {
			return true // WS101
		}
	}
	return false
}

// evidenceNote names the evidence for a message when it is more than the
// headers the message is about: " (WebSocket location: WebSocket path `/ws`
// resolves to this location)".
func evidenceNote(loc nginx.WSLocation) string {
	if loc.Evidence == nginx.EvidenceOwnHeaders || loc.Evidence == nginx.EvidenceEnclosing {
		return ""
	}
	return " (" + wsWhy(loc) + ")"
}

// wsWhy says why a location counts as a WebSocket location, for a message's
// parenthesis: "WebSocket location: it forwards the upgrade headers". The
// prefix keeps the evidence from reading like the cause of the finding.
func wsWhy(loc nginx.WSLocation) string {
	return "WebSocket location: " + loc.Reason
}

// placeOf names the place of d for a message about a spot in file from:
// "line 12", or "conf.d/ws.conf:3" when d is written in another file (an
// included one), where a bare line number would point into the wrong file.
func placeOf(d *nginx.Directive, from *source.File) string {
	l, _ := d.File().Position(d.Span.Start)
	if d.File() == from {
		return fmt.Sprintf("line %d", l)
	}
	name := d.File().Path // relative to the reporting file's directory when below it
	if rel, err := filepath.Rel(filepath.Dir(from.Path), name); err == nil && !strings.HasPrefix(rel, "..") {
		name = rel
	}
	return fmt.Sprintf("%s:%d", name, l)
}

// fromClient reports whether a value copies the client's own Connection
// header (`$http_connection`), hop-by-hop tokens and all.
func fromClient(expr string) bool {
	for v, i := nginx.NextVariable(expr, 0); i >= 0; v, i = nginx.NextVariable(expr, i) {
		if strings.EqualFold(v, "http_connection") {
			return true
		}
	}
	return false
}

// h2cUpgrade is the request of an h2c smuggling attempt (RFC 7540 §3.2).
var h2cUpgrade = nginx.Request{Name: "h2c upgrade", Method: "GET", Path: "/", Header: map[string]string{
	"host": "example.com", "connection": "Upgrade, HTTP2-Settings", "upgrade": "h2c",
	"http2-settings": "AAMAAABkAARAAAAAAAIAAAAA",
}}

// onlyConnectionUses reports whether the map's variable appears nowhere but
// as the value of `proxy_set_header Connection`, so that changing the map
// changes nothing else (no log format, other header or condition reads it).
func onlyConnectionUses(c *nginx.Config, m *nginx.Map) bool {
	return onlyConnectionUsesOf(c, m.Var, m.Block)
}

// onlyConnectionUsesOf reports whether the variable name appears nowhere
// outside the block skip (nil: none) but as the value of `proxy_set_header
// Connection`.
func onlyConnectionUsesOf(c *nginx.Config, name string, skip *nginx.Directive) bool {
	only := true
	c.Walk(func(d *nginx.Directive) bool {
		if d == skip {
			return false
		}
		for i, a := range d.Args {
			for v, k := nginx.NextVariable(a.Value, 0); k >= 0; v, k = nginx.NextVariable(a.Value, k) {
				if strings.EqualFold(v, name) && (d.Name != "proxy_set_header" || i != 1 || !strings.EqualFold(d.Arg(0), "connection")) {
					only = false
				}
			}
		}
		return true
	})
	return only
}

// insertInLocation returns an edit adding lines to the location's own block:
// after its proxy_pass (pp) when that is written in the block itself, else
// before the block's first directive when that starts a line of its own
// (so a comment after the `{` stays where it is), else at the top.
func insertInLocation(loc *nginx.Location, pp *nginx.Directive, lines ...string) (source.TextEdit, bool) {
	b := loc.Block
	if pp != nil {
		if o := pp.Outermost(b); o.Parent == b && o.File() == b.File() {
			return lint.InsertLinesAfter(o, lines...), true
		}
	}
	if !b.Synthetic && len(b.Body) > 0 {
		first := b.Body[0]
		f := b.File()
		if first.File() == f {
			hl, _ := f.Position(b.Span.Start)
			fl, _ := f.Position(first.Span.Start)
			if fl > hl && strings.TrimSpace(string(f.Data[f.LineStart(first.Span.Start):first.Span.Start])) == "" {
				return lint.InsertLinesBefore(first, lines...), true
			}
		}
	}
	return lint.InsertLinesInBlock(b, lines...)
}

// withInherited prefixes proxy_set_header lines for loc's own block with
// the inherited list when loc has none of its own: a first line in the
// block would otherwise cut off the inherited ones.
func withInherited(loc *nginx.Location, lines []string) []string {
	if !loc.InheritsList("proxy_set_header") {
		return lines
	}
	inherited, _ := loc.EffectiveList("proxy_set_header")
	return append(inheritedLines(inherited, nil), lines...)
}

// deleteListEntry returns an edit removing a list directive (such as
// proxy_hide_header) from level. It is Safe when the deletion cannot change
// anything else: d is written in level itself (not in an included file),
// and level keeps other entries or no enclosing level defines the list (a
// level without entries inherits the enclosing list whole).
func deleteListEntry(d, level *nginx.Directive) (source.TextEdit, lint.Applicability) {
	safe := d.Via == nil
	if len(level.Find(d.Name)) == 1 {
		for b := level.Parent; b != nil; b = b.Parent {
			if len(b.Find(d.Name)) > 0 {
				safe = false
			}
		}
	}
	return lint.DeleteDirective(d), lint.SafeUnless(!safe)
}

// withUpgradeMap joins an edit that forwards `Connection <value>` (value from
// connectionValue) with the edit adding the upgrade map. The fix is Unsafe
// when value is the literal `upgrade` (plain requests would send it too),
// when the map would go in another file than the edit, or when the variable
// is left undefined (another rule, WS007, would have to add its map).
func withUpgradeMap(p *lint.Pass, edit source.TextEdit, value string, mapEdit *source.TextEdit) ([]source.TextEdit, lint.Applicability) {
	edits := []source.TextEdit{edit}
	name, isVar := onlyVariable(value)
	unsafe := !isVar
	switch {
	case mapEdit != nil && mapEdit.File == edit.File:
		edits = append(edits, *mapEdit)
	case mapEdit != nil:
		unsafe = true
	case isVar && p.Nginx.Map(name) == nil:
		unsafe = true
	}
	return edits, lint.SafeUnless(unsafe)
}

// writtenInLocation reports whether d is written in loc's own block (directly or via
// an include written there), so that editing it affects loc only.
func writtenInLocation(d *nginx.Directive, loc *nginx.Location) bool {
	return d.Outermost(loc.Block).Parent == loc.Block
}

// describeHandshakes names the simulated handshakes for a message, with
// the request header that decides the outcome (lowercase name).
func describeHandshakes(reqs []nginx.Request, header string) string {
	h := strings.ToLower(header)
	name := browserHeaderName(h)
	if len(reqs) > 1 {
		same := true
		for _, r := range reqs[1:] {
			same = same && r.Header[h] == reqs[0].Header[h]
		}
		if same {
			return fmt.Sprintf("both browser handshakes (`%s: %s`)", name, reqs[0].Header[h])
		}
	}
	var parts []string
	for _, r := range reqs {
		parts = append(parts, fmt.Sprintf("the %s (`%s: %s`)", r.Name, name, r.Header[h]))
	}
	return strings.Join(parts, " and ")
}

// browserHeaderName writes a lowercase header name as browsers do: `Connection`.
func browserHeaderName(h string) string {
	parts := strings.Split(h, "-")
	for i, p := range parts {
		if p != "" {
			parts[i] = strings.ToUpper(p[:1]) + p[1:]
		}
	}
	return strings.Join(parts, "-")
}

// onlyVariable returns the variable name when expr is exactly one variable.
func onlyVariable(expr string) (string, bool) {
	if !strings.HasPrefix(expr, "$") {
		return "", false
	}
	name, n := nginx.VariableAt(expr, 0)
	return name, n > 0 && n == len(expr)
}

// levelName names a configuration level for a message: "location `/app/`",
// "server level", "http level".
func levelName(c *nginx.Config, block *nginx.Directive) string {
	if block.Name == "location" {
		for _, l := range c.Locations() {
			if l.Block == block {
				return fmt.Sprintf("location `%s`", l.Path)
			}
		}
	}
	return block.Name + " level"
}
