package rules

import (
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
			"426 (node `ws`), while a sibling location without its own headers keeps working.",
		Bad: "server {\n    listen 80;\n    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection \"upgrade\";\n" +
			"    location /ws/ {\n        proxy_pass http://127.0.0.1:8000;\n        proxy_set_header Host $host;\n    }\n}\n",
		Good: "server {\n    listen 80;\n    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection \"upgrade\";\n" +
			"    location /ws/ {\n        proxy_pass http://127.0.0.1:8000;\n        proxy_set_header Host $host;\n" +
			"        proxy_set_header Upgrade $http_upgrade;\n        proxy_set_header Connection \"upgrade\";\n    }\n}\n",
		FixSafety: "Safe: the fix copies the dropped lines of the enclosing level into the block that " +
			"starts the new list, restoring exactly what nginx would otherwise have sent.",
		References: []string{"https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_set_header", "https://nginx.org/en/docs/http/websocket.html"},
	},
}

func checkInheritedHeadersDropped(p *lint.Pass) (out []lint.Finding) {
	seen := map[*nginx.Directive]bool{}
	for _, loc := range p.Nginx.Locations() {
		if proxiedBy(loc) == nil {
			continue
		}
		outer := loc.EnclosingUpgrade(p.Nginx)
		if outer == nil {
			continue
		}
		own, level := loc.EffectiveList("proxy_set_header")
		up, conn := nginx.UpgradeHeaders(p.Nginx, own)
		outerList := outer.Find("proxy_set_header")
		oup, oconn := nginx.UpgradeHeaders(p.Nginx, outerList)
		if (len(up) > 0 || len(oup) == 0) && (len(conn) > 0 || len(oconn) == 0) {
			continue // nothing the outer level forwards is lost
		}
		if seen[level] {
			continue
		}
		seen[level] = true
		start := own[0].Outermost(level)
		var names []string
		var lost []*nginx.Directive
		if len(up) == 0 {
			lost = append(lost, oup...)
		}
		if len(conn) == 0 {
			lost = append(lost, oconn...)
		}
		for _, d := range lost {
			names = append(names, "`"+d.Arg(0)+"`")
		}
		what := "location"
		if level != loc.Block {
			what = "enclosing location"
		}
		f := p.Finding(start.NameSpan, "this %s's own `proxy_set_header` list replaces the inherited one, so %s set at line %d %s no longer sent",
			what, strings.Join(names, " and "), line(lost[0]), plural(len(names), "is", "are"))
		if start.Name == "include" {
			f = p.Finding(start.NameSpan, "`include %s` brings `proxy_set_header` lines into this %s, replacing the inherited list, so %s %s no longer sent",
				start.Arg(0), what, strings.Join(names, " and "), plural(len(names), "is", "are"))
		}
		for _, d := range lost {
			f = f.WithRelated(d.Span, "%s is forwarded here", d.Arg(0))
		}
		if edit, ok := addHeaders(level, inheritedLines(outerList, own)); ok {
			f = f.WithFix(lint.Safe, "Repeat the enclosing block's `proxy_set_header` lines in this block", edit)
		}
		out = append(out, f)
	}
	return out
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
