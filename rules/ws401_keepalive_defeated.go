package rules

import (
	"strings"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
)

// KeepaliveDefeated reports upgrade maps whose non-upgrade branch sends
// `Connection: close` to upstreams that keep connections alive.
var KeepaliveDefeated = &lint.Rule{
	ID:       "WS401",
	Name:     "keepalive-defeated",
	Lang:     lint.Nginx,
	Severity: lint.Warning,
	Default:  true,
	Check:    checkKeepaliveDefeated,
	Window:   lint.WindowMerge, // every location that sends the map to the upstream
	Doc: lint.Doc{
		Summary: "the upgrade map sends `Connection: close` to a keepalive upstream",
		Why: "Upstream keepalive needs HTTP/1.1 and an empty `Connection` header. The map's `'' close` " +
			"branch sends `Connection: close` with every plain request, so the backend closes each " +
			"connection after one response: with `keepalive 16`, 4 plain requests still opened 4 " +
			"upstream connections (1 with `'' ''`), a TCP (and TLS) handshake per request. On nginx " +
			"1.29.7+ every explicit `upstream` block keeps connections alive by default.",
		Bad: "map $http_upgrade $connection_upgrade {\n    default upgrade;\n    ''      close;\n}\n" +
			"upstream app { server 127.0.0.1:8000; keepalive 16; }\n" +
			"server {\n    listen 80;\n    location / {\n        proxy_pass http://app;\n        proxy_http_version 1.1;\n        proxy_read_timeout 1h;\n" +
			"        proxy_set_header Upgrade $http_upgrade;\n        proxy_set_header Connection $connection_upgrade;\n    }\n}\n",
		Good: "map $http_upgrade $connection_upgrade {\n    default upgrade;\n    ''      '';\n}\n" +
			"upstream app { server 127.0.0.1:8000; keepalive 16; }\n" +
			"server {\n    listen 80;\n    location / {\n        proxy_pass http://app;\n        proxy_http_version 1.1;\n        proxy_read_timeout 1h;\n" +
			"        proxy_set_header Upgrade $http_upgrade;\n        proxy_set_header Connection $connection_upgrade;\n    }\n}\n",
		FixSafety: "Safe when every upstream concerned has an explicit `keepalive N` and the map variable is used " +
			"only as a `proxy_set_header Connection` value: plain requests then carry no `Connection` header, " +
			"which is what the `keepalive` directive asks for, and handshakes still get `upgrade`. Unsafe " +
			"when keepalive is only nginx 1.29.7's default (connection reuse was never asked for, and a " +
			"backend closing idle connections sooner than nginx can then fail requests) or the variable is " +
			"used elsewhere (logs, other headers), where the value changes too.",
		References: []string{
			"https://nginx.org/en/docs/http/ngx_http_upstream_module.html#keepalive",
			"https://nginx.org/en/docs/http/websocket.html",
			"https://www.nginx.com/blog/avoiding-top-10-nginx-configuration-mistakes/",
		},
	},
}

func checkKeepaliveDefeated(p *lint.Pass) (out []lint.Finding) {
	type use struct {
		loc      *nginx.Location
		upstream *nginx.Directive
		ka       *nginx.Directive
	}
	uses := map[*nginx.MapEntry][]use{}
	var order []*nginx.MapEntry
	maps := map[*nginx.MapEntry]*nginx.Map{}
	for _, loc := range p.Nginx.Locations() {
		pp := proxiedBy(loc)
		if pp == nil {
			continue
		}
		if v, _ := loc.UpstreamVersion(p.Opts.NginxVersion); v != "1.1" {
			continue // HTTP/1.0 (or 2) upstream requests: the map is not what defeats keepalive
		}
		entry, m := closeBranch(p.Nginx, loc)
		if entry == nil {
			continue
		}
		for _, t := range p.Nginx.ProxyTargets(loc, pp) {
			if t.Upstream == nil {
				continue
			}
			if applies, ka := nginx.UpstreamKeepalive(t.Upstream, p.Opts.NginxVersion); applies {
				if uses[entry] == nil {
					order = append(order, entry)
					maps[entry] = m
				}
				uses[entry] = append(uses[entry], use{loc, t.Upstream, ka})
				break
			}
		}
	}
	for _, e := range order {
		m, us := maps[e], uses[e]
		arg := e.D.Args[0]
		first := us[0]
		var why string
		if first.ka != nil {
			why = "its `keepalive " + first.ka.Arg(0) + "`"
		} else {
			why = "nginx " + p.Opts.NginxVersion.String() + "'s default keepalive for explicit upstreams (1.29.7+)"
		}
		f := p.Finding(arg.Span, "`$%s` sends `Connection: %s` with every plain request to upstream `%s`, defeating %s: each request opens a new upstream connection; use `''`",
			m.Var, arg.Value, first.upstream.Arg(0), why)
		explicit := true
		seenUp := map[*nginx.Directive]bool{}
		for _, u := range us {
			if !seenUp[u.upstream] {
				seenUp[u.upstream] = true
				f = f.WithRelatedText(u.upstream.HeaderSpan(), "upstream `"+u.upstream.Arg(0)+"` keeps connections alive")
			}
			f = f.WithRelatedText(u.loc.Block.HeaderSpan(), "location `"+u.loc.Path+"` sends the map's value as `Connection`")
			explicit = explicit && u.ka != nil
		}
		safety := lint.SafeUnless(!explicit || !onlyConnectionUses(p.Nginx, m))
		out = append(out, f.WithFix(safety, "Send no `Connection` header with plain requests (`''`)", lint.ReplaceArg(arg, "''")))
	}
	return out
}

// closeBranch returns the map entry that gives plain requests
// `Connection: close` in loc's effective list, when that Connection value is
// an upgrade map (it yields `upgrade` for a handshake).
func closeBranch(c *nginx.Config, loc *nginx.Location) (*nginx.MapEntry, *nginx.Map) {
	list, _ := loc.EffectiveList("proxy_set_header")
	for _, d := range list {
		if len(d.Args) != 2 || !strings.EqualFold(d.Arg(0), "connection") {
			continue
		}
		name, n := nginx.VariableAt(d.Arg(1), 0)
		if n == 0 || n != len(d.Arg(1)) {
			continue
		}
		m := c.Map(name)
		if m == nil {
			continue
		}
		if yes, _ := c.EvalMap(m, nginx.ChromiumHandshake).HasToken("upgrade"); !yes {
			continue
		}
		e, unknown := c.MatchMap(m, nginx.PlainRequest)
		if !unknown && e != nil && strings.EqualFold(e.Value, "close") && len(e.D.Args) == 1 {
			return e, m
		}
	}
	return nil, nil
}
