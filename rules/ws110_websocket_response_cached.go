package rules

import (
	"strings"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
)

// WebsocketResponseCached reports WebSocket locations where proxy_cache may
// answer a handshake from the cache.
var WebsocketResponseCached = &lint.Rule{
	ID:       "WS110",
	Name:     "websocket-response-cached",
	Lang:     lint.Nginx,
	Severity: lint.Warning,
	Default:  true,
	Check:    checkWebsocketResponseCached,
	Doc: lint.Doc{
		Summary: "proxy_cache can answer WebSocket handshakes from the cache",
		Why: "A handshake is a GET, and the cache key ignores `Upgrade`: once a plain GET of the same " +
			"URL has been cached (a 404, a fallback page), handshakes get that response with " +
			"`X-Cache-Status: HIT` and never reach the backend, so the browser reports a failed " +
			"handshake. `proxy_cache_bypass` and `proxy_no_cache` on `$http_upgrade` send handshakes " +
			"past the cache and keep their responses out of it.",
		Bad: "location /ws/ {\n    proxy_pass http://127.0.0.1:8000;\n    proxy_http_version 1.1;\n    proxy_read_timeout 1h;\n    proxy_cache app;\n" +
			"    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection \"upgrade\";\n}\n",
		Good: "location /ws/ {\n    proxy_pass http://127.0.0.1:8000;\n    proxy_http_version 1.1;\n    proxy_read_timeout 1h;\n    proxy_cache app;\n" +
			"    proxy_cache_bypass $http_upgrade;\n    proxy_no_cache $http_upgrade;\n" +
			"    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection \"upgrade\";\n}\n",
		FixSafety: "Safe: `proxy_cache_bypass $http_upgrade` and `proxy_no_cache $http_upgrade` act only on " +
			"requests that carry `Upgrade`; both are lists, so when the location inherits an enclosing " +
			"list the fix copies its lines first. Unsafe when nested locations inherit the list from " +
			"this location, since they would get the new line too.",
		References: []string{
			"https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_cache_bypass",
			"https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_no_cache",
		},
	},
}

func checkWebsocketResponseCached(p *lint.Pass) (out []lint.Finding) {
	for _, loc := range p.WebSocketLocations() {
		pp := proxiedBy(loc.Location)
		if pp == nil {
			continue
		}
		cache := loc.Effective("proxy_cache")
		if cache == nil || cache.Arg(0) == "off" {
			continue // nginx's default is off
		}
		var missing []string
		for _, name := range []string{"proxy_cache_bypass", "proxy_no_cache"} {
			list, _ := loc.EffectiveList(name)
			if !predicateCoversHandshakes(p.Nginx, list) {
				missing = append(missing, name)
			}
		}
		if len(missing) == 0 {
			continue
		}
		what := "handshakes can be answered from the cache"
		if len(missing) == 1 && missing[0] == "proxy_no_cache" {
			what = "handshake responses can be stored in the cache and replayed"
		}
		var f lint.Finding
		own := cache.Parent == loc.Block && cache.File() == loc.Block.File()
		msg := "`proxy_cache %s` is active on this WebSocket location without %s on `$http_upgrade`: %s, so the backend never sees them (%s)"
		if own {
			f = p.Finding(cache.NameSpan(), msg, cache.Arg(0), codeList(missing), what, wsWhy(loc))
		} else {
			f = p.Finding(pp.NameSpan(), msg, cache.Arg(0), codeList(missing), what, wsWhy(loc)).
				WithRelated(cache.Span, "proxy_cache is set here")
		}
		if fix, safety, ok := cacheBypassFix(loc.Location, missing, cache); ok {
			f = f.WithFix(safety, "Send handshakes past the cache with `"+strings.Join(missing, " $http_upgrade;` and `")+" $http_upgrade;`", fix)
		}
		out = append(out, f)
	}
	return out
}

// predicateCoversHandshakes reports whether a proxy_cache_bypass or
// proxy_no_cache list is true for both simulated handshakes: some argument is
// non-empty and not "0". A value wslint cannot evaluate counts when it
// mentions the Upgrade or Connection header, so the rule stays quiet.
func predicateCoversHandshakes(c *nginx.Config, list []*nginx.Directive) bool {
	for _, req := range nginx.Handshakes {
		covered := false
		for _, d := range list {
			for _, a := range d.Args {
				v := c.Eval(a.Value, req)
				switch {
				case v.Unknown:
					l := strings.ToLower(a.Value)
					covered = covered || strings.Contains(l, "upgrade") || strings.Contains(l, "http_connection")
				case v.Text != "" && v.Text != "0":
					covered = true
				}
			}
		}
		if !covered {
			return false
		}
	}
	return true
}

// cacheBypassFix adds the missing predicates to the location, after its own
// proxy_cache or its proxy_pass, copying the inherited lines of each list.
func cacheBypassFix(loc *nginx.Location, missing []string, cache *nginx.Directive) (source.TextEdit, lint.Applicability, bool) {
	var lines []string
	safety := lint.Safe
	for _, name := range missing {
		if loc.InheritsList(name) {
			inherited, _ := loc.EffectiveList(name)
			for _, d := range inherited {
				lines = append(lines, d.String()+";")
			}
		}
		if nestedInherit(loc, name) {
			safety = lint.Unsafe
		}
		lines = append(lines, name+" $http_upgrade;")
	}
	for _, anchor := range []*nginx.Directive{cache, proxiedBy(loc)} {
		if anchor == nil {
			continue
		}
		a := anchor.Outermost(loc.Block)
		if a.Parent == loc.Block && a.File() == loc.Block.File() {
			return lint.InsertLinesAfter(a, lines...), safety, true
		}
	}
	e, ok := lint.InsertLinesInBlock(loc.Block, lines...)
	return e, safety, ok
}

// nestedInherit reports whether some location nested in loc inherits list
// directive name from it.
func nestedInherit(loc *nginx.Location, name string) bool {
	for _, n := range loc.Nested {
		if n.InheritsList(name) {
			return true
		}
	}
	return false
}

// codeList renders names as "`a` and `b`".
func codeList(names []string) string {
	return "`" + strings.Join(names, "` and `") + "`"
}
