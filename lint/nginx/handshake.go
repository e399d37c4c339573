package nginx

// DroppedUpgrade returns the upgrade entries (`Upgrade`, and a `Connection`
// that can contain `upgrade`) of the nearest enclosing level that forwards
// them, which the location's effective proxy_set_header list no longer
// carries because a nearer level defines its own list (WS104's finding).
// A header whose name the nearer list sets itself is not dropped but
// replaced on purpose, and a list that declines the upgrade (DeclinesUpgrade)
// drops nothing. It returns nil when nothing an enclosing level forwards is
// lost.
func (l *Location) DroppedUpgrade(c *Config) []*Directive {
	outer := l.EnclosingUpgrade(c)
	if outer == nil || l.DeclinesUpgrade(c) {
		return nil
	}
	own, _ := l.EffectiveList("proxy_set_header")
	oup, oconn := UpgradeHeaders(c, outer.Find("proxy_set_header"))
	var out []*Directive
	if !SetsHeader(own, "Upgrade") {
		out = append(out, oup...)
	}
	if !SetsHeader(own, "Connection") {
		out = append(out, oconn...)
	}
	return out
}

// DeclinesUpgrade reports whether the location's effective proxy_set_header
// list sets `Connection` to a value that cannot contain `upgrade` (the
// upstream keepalive recipe `Connection ""`, or `close`, `keep-alive`), or
// clears `Upgrade` (`Upgrade ""`): the author chose what those headers are,
// so the location is not meant to carry WebSockets even when an enclosing
// level forwards the upgrade headers (nginx-semantics.md §7.1).
func (l *Location) DeclinesUpgrade(c *Config) bool {
	list, _ := l.EffectiveList("proxy_set_header")
	up, conn := upgradeCounts(c, list)
	return SetsHeader(list, "Connection") && conn == 0 || SetsHeader(list, "Upgrade") && up == 0
}

// SetsHeader reports whether a proxy_set_header list has an entry for the
// header name (compared case-insensitively in ASCII, as nginx's lowcase
// hash of header names does), whatever its value.
func SetsHeader(list []*Directive, name string) bool {
	for _, d := range list {
		if len(d.Args) == 2 && asciiEqualFold(d.Args[0].Value, name) {
			return true
		}
	}
	return false
}

// asciiEqualFold reports whether a and b are equal with ASCII letters
// compared case-insensitively (ngx_tolower folds ASCII only).
func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if x == y {
			continue
		}
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
