package rules

import (
	"fmt"

	"github.com/wslint/wslint/lint"
)

// BlockMismatch reports a block directive written without its `{ }`, and a
// simple directive written with one.
var BlockMismatch = &lint.Rule{
	ID:       "WS018",
	Name:     "block-mismatch",
	Lang:     lint.Nginx,
	Severity: lint.Error,
	Default:  true,
	Check:    checkBlockMismatch,
	Doc: lint.Doc{
		Summary: "a block directive without its `{ }`, or a simple one with a block",
		Why: "nginx refuses to load with `directive \"location\" has no opening \"{\"` or `directive " +
			"\"proxy_set_header\" is not terminated by \";\"`, and the previous configuration stays live. " +
			"The second is what a missing `;` usually looks like: the line runs on into the next block's " +
			"header (`proxy_pass http://app` then `location /ws/ {`), or a `*_by_lua` directive is given the " +
			"`{ }` of its `*_by_lua_block` sibling. nginx checks this before the argument count, in a " +
			"context where the directive is allowed. Verified with nginx 1.22.1 (with Debian's lua module " +
			"for `*_by_lua`).",
		Bad: "server {\n    listen 80;\n    location /ws/ {\n        proxy_http_version 1.1;\n" +
			"        proxy_set_header Host $host;\n        proxy_set_header Upgrade $http_upgrade;\n" +
			"        proxy_set_header Connection \"upgrade\";\n        proxy_read_timeout 1h;\n" +
			"        proxy_pass http://127.0.0.1:8000\n        location /ws/chat/ {\n" +
			"            proxy_pass http://127.0.0.1:8001;\n        }\n    }\n}\n",
		Good: "server {\n    listen 80;\n    location /ws/ {\n        proxy_http_version 1.1;\n" +
			"        proxy_set_header Host $host;\n        proxy_set_header Upgrade $http_upgrade;\n" +
			"        proxy_set_header Connection \"upgrade\";\n        proxy_read_timeout 1h;\n" +
			"        proxy_pass http://127.0.0.1:8000;\n        location /ws/chat/ {\n" +
			"            proxy_pass http://127.0.0.1:8001;\n        }\n    }\n}\n",
		FixSafety:  "No fix: whether the block or the `;` is what was meant is the author's call.",
		References: []string{"https://nginx.org/en/docs/beginners_guide.html#conf_structure", "https://nginx.org/en/docs/dirindex.html"},
	},
}

func checkBlockMismatch(p *lint.Pass) (out []lint.Finding) {
	eachSite(p.Nginx, func(s *site) {
		d := s.d
		sp, known := s.in() // not allowed here: WS004 reports it
		if !known || d.Synthetic || sp.Block == d.IsBlock {
			return
		}
		if sp.Block {
			out = append(out, p.Finding(d.NameSpan(), "`%s` takes a `{ }` block: nginx refuses to load (`directive \"%s\" has no opening \"{\"`)", d.Name, d.Name))
			return
		}
		// A header over several lines: the `;` is usually missing at the
		// end of the line before the first word on a later line.
		hint := "end it with `;`"
		prev, _ := d.Span.File.Position(d.Span.Start)
		for _, a := range d.Args {
			al, _ := a.Span.File.Position(a.Span.Start)
			if al > prev {
				hint = fmt.Sprintf("is the `;` at the end of line %d missing?", prev)
				break
			}
			prev = al
		}
		out = append(out, p.Finding(d.NameSpan(), "`%s` takes no block: nginx refuses to load (`directive \"%s\" is not terminated by \";\"`); %s", d.Name, d.Name, hint))
	})
	return out
}
