package nginx

// Handler returns the content handler that serves the location's requests,
// per nginx-semantics.md §15.8: the last *_pass in file order (its `if` and
// `limit_except` blocks included), or nil when there is none or a `return`
// preempts it (a location-level `return`, or a `return` as the last handler).
func (l *Location) Handler() *Directive {
	if !l.handlerDone { // Freeze computes it before rules run in parallel
		l.handler, l.handlerDone = l.findHandler(), true
	}
	return l.handler
}

func (l *Location) findHandler() *Directive {
	hs := l.Handlers()
	if len(hs) == 0 || l.Unreachable() {
		return nil
	}
	for _, h := range hs {
		if h.Name == "return" && h.Parent == l.Block {
			return nil
		}
	}
	if last := hs[len(hs)-1]; last.Name != "return" {
		return last
	}
	return nil
}

// HandlerModule names the upstream module family of a content handler
// directive: "proxy", "uwsgi", "scgi", "fastcgi", "grpc" or "memcached"
// ("" for anything else).
func HandlerModule(d *Directive) string {
	if d == nil {
		return ""
	}
	switch d.Name {
	case "proxy_pass":
		return "proxy"
	case "uwsgi_pass":
		return "uwsgi"
	case "scgi_pass":
		return "scgi"
	case "fastcgi_pass":
		return "fastcgi"
	case "grpc_pass":
		return "grpc"
	case "memcached_pass":
		return "memcached"
	}
	return ""
}
