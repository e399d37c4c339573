package rules

import (
	"fmt"
	"strings"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
)

// InheritedHeadersDropped reports locations whose own proxy_set_header list
// silently discards the upgrade headers set by an enclosing level.
var InheritedHeadersDropped = &lint.Rule{
	ID:       "WS104",
	Name:     "inherited-headers-dropped",
	Lang:     lint.Nginx,
	Severity: lint.Error,
	Default:  true,
	Check:    checkInheritedHeadersDropped,
	Doc: lint.Doc{
		Summary: "a location's own proxy_set_header drops the inherited upgrade headers",
		Why: "`proxy_set_header` is inherited only by a level that defines none of its own. One line " +
			"in the location (or `include proxy_params` there) replaces the whole server-level list, " +
			"so `Upgrade` and `Connection` are no longer sent: the backend answers 404 (uvicorn) or " +
			"426 (node `ws`), while a sibling location without its own headers keeps working. A named " +
			"location takes the server's list, never its caller's.",
		Bad: "map $http_upgrade $connection_upgrade { default upgrade; '' close; }\n" +
			"server {\n    listen 80;\n    proxy_http_version 1.1;\n    proxy_read_timeout 1h;\n" +
			"    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection $connection_upgrade;\n" +
			"    location /ws/ {\n        proxy_pass http://127.0.0.1:8000;\n        proxy_set_header Host $host;\n    }\n}\n",
		Good: "map $http_upgrade $connection_upgrade { default upgrade; '' close; }\n" +
			"server {\n    listen 80;\n    proxy_http_version 1.1;\n    proxy_read_timeout 1h;\n" +
			"    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection $connection_upgrade;\n" +
			"    location /ws/ {\n        proxy_pass http://127.0.0.1:8000;\n        proxy_set_header Host $host;\n" +
			"        proxy_set_header Upgrade $http_upgrade;\n        proxy_set_header Connection $connection_upgrade;\n    }\n}\n",
		FixSafety: "Safe when the new list belongs to the reported location alone: the fix copies the dropped " +
			"lines of the enclosing level into it, restoring exactly what nginx would otherwise have " +
			"sent. Unsafe when the list is an enclosing block's (the lines would reach every location " +
			"that inherits it) or when nested locations inherit the location's list (they would start " +
			"sending the copied headers too). No finding when the location sets `Connection` (or " +
			"`Upgrade`) itself to a value without `upgrade`, as the upstream keepalive recipe " +
			"`Connection \"\"` does: it is not meant for WebSockets.",
		References: []string{"https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_set_header", "https://nginx.org/en/docs/http/websocket.html"},
	},
}

func checkInheritedHeadersDropped(p *lint.Pass) (out []lint.Finding) {
	seen := map[*nginx.Directive]bool{}
	for _, loc := range p.Nginx.Locations() {
		if proxiedBy(loc) == nil {
			continue
		}
		lostUpgrade := loc.DroppedUpgrade(p.Nginx)
		own, level := loc.EffectiveList("proxy_set_header")
		if len(lostUpgrade) == 0 || seen[level] {
			continue
		}
		seen[level] = true
		outer := loc.EnclosingUpgrade(p.Nginx)
		outerList := outer.Find("proxy_set_header")
		var dropped []*nginx.Directive // every outer line whose header the own list does not set
		for _, d := range outerList {
			if len(d.Args) == 2 && !nginx.SetsHeader(own, d.Arg(0)) {
				dropped = append(dropped, d)
			}
		}
		start := own[0].Outermost(level)
		names := headerNames(dropped)
		f := p.Finding(start.NameSpan(), "%s, so %s (%s) %s not sent: %s; repeat %s here",
			droppedSubject(loc, level, start, outer), andList(names), lineRefs(dropped, start.File()),
			plural(len(names), "is", "are"), droppedFailure(lostUpgrade), plural(len(names), "it", "them"))
		f.Related = make([]lint.Related, 0, len(dropped))
		for _, d := range dropped {
			f = f.WithRelatedText(d.Span, "`"+d.Args[0].Raw+" "+d.Args[1].Raw+"` is set here but not sent from location `"+loc.Path+"`")
		}
		// Safe only when the new lines change this location alone: not when
		// the list is an enclosing block's, nor when nested locations inherit it.
		safety := lint.SafeUnless(level != loc.Block || nestedInherit(loc, "proxy_set_header"))
		// No lines to copy when the own list names the header only in a line
		// nginx refuses (`proxy_set_header Connection a b;`): an empty edit
		// would be applied again every round.
		lines := inheritedLines(outerList, own)
		if edit, ok := addHeaders(level, lines); ok && len(lines) > 0 {
			f = f.WithFix(safety, "Repeat the dropped `proxy_set_header` lines in this block", edit)
		}
		out = append(out, f)
	}
	return out
}

// droppedSubject names the list that replaces the inherited one and the
// level it replaces: "this location's own `proxy_set_header` list replaces
// the server's".
func droppedSubject(loc *nginx.Location, level, start, outer *nginx.Directive) string {
	owner := "the enclosing block's"
	switch outer.Name {
	case "server":
		owner = "the server's"
	case "http":
		owner = "the http block's"
	case "location":
		owner = "the enclosing location's"
	}
	var heir string
	if level != loc.Block {
		heir = fmt.Sprintf("location `%s`", loc.Path)
	}
	if start.Name == "include" {
		s := fmt.Sprintf("`include %s` gives this %s its own `proxy_set_header` list, which replaces %s", start.Arg(0), level.Name, owner)
		if heir != "" {
			s += " (" + heir + " inherits it)"
		}
		return s
	}
	s := fmt.Sprintf("this %s's own `proxy_set_header` list", level.Name)
	if heir != "" {
		s += ", which " + heir + " inherits,"
	}
	return s + " replaces " + owner
}

// droppedFailure names what the backend sees without the lost headers.
func droppedFailure(lost []*nginx.Directive) string {
	up, conn := false, false
	for _, d := range lost {
		up = up || strings.EqualFold(d.Arg(0), "upgrade")
		conn = conn || strings.EqualFold(d.Arg(0), "connection")
	}
	switch {
	case up && conn:
		return "handshakes reach the backend as plain GETs (uvicorn 404, node `ws` 426)"
	case up:
		return "handshakes reach the backend without `Upgrade` (node `ws` 426)"
	}
	return "handshakes reach the backend without `Connection: upgrade` (node `ws` and coder/websocket 426, uvicorn 404)"
}

func line(d *nginx.Directive) int {
	l, _ := d.File().Position(d.Span.Start)
	return l
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
