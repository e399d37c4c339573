package nginx

// DroppedUpgrade returns the upgrade entries (`Upgrade`, and a `Connection`
// that can contain `upgrade`) of the nearest enclosing level that forwards
// them, which the location's effective proxy_set_header list no longer
// carries because a nearer level defines its own list (WS104's finding).
// It returns nil when nothing an enclosing level forwards is lost.
func (l *Location) DroppedUpgrade(c *Config) []*Directive {
	outer := l.EnclosingUpgrade(c)
	if outer == nil {
		return nil
	}
	own, _ := l.EffectiveList("proxy_set_header")
	up, conn := UpgradeHeaders(c, own)
	oup, oconn := UpgradeHeaders(c, outer.Find("proxy_set_header"))
	var out []*Directive
	if len(up) == 0 {
		out = append(out, oup...)
	}
	if len(conn) == 0 {
		out = append(out, oconn...)
	}
	return out
}
