package rules

import (
	"fmt"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx/spec"
)

// InvalidArgumentCount reports stock directives with a number of arguments
// nginx refuses.
var InvalidArgumentCount = &lint.Rule{
	ID:       "WS010",
	Name:     "invalid-argument-count",
	Lang:     lint.Nginx,
	Severity: lint.Error,
	Default:  true,
	Check:    checkInvalidArgumentCount,
	Doc: lint.Doc{
		Summary: "a directive has more or fewer arguments than nginx accepts",
		Why: "nginx refuses to load with `invalid number of arguments in \"proxy_set_header\" directive`. " +
			"It often comes from a value with a space that needs quotes (`proxy_set_header Connection keep alive;`) " +
			"or a missing semicolon that joins two lines; the previous configuration stays live.",
		Bad: "location /ws/ {\n    proxy_pass http://127.0.0.1:8000;\n    proxy_http_version 1.1;\n" +
			"    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection upgrade always;\n    proxy_read_timeout 1h;\n}\n",
		Good: "location /ws/ {\n    proxy_pass http://127.0.0.1:8000;\n    proxy_http_version 1.1;\n" +
			"    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection \"upgrade\";\n    proxy_read_timeout 1h;\n}\n",
		FixSafety:  "No fix: whether a value needs quotes or a line lost its semicolon is the author's call.",
		References: []string{"https://nginx.org/en/docs/beginners_guide.html#conf_structure", "https://nginx.org/en/docs/dirindex.html"},
	},
}

func checkInvalidArgumentCount(p *lint.Pass) (out []lint.Finding) {
	eachSite(p.Nginx, func(s *site) {
		d := s.d
		if !s.ctxOK {
			return // no known context: the variant (and so the count) is unknown
		}
		sp, known := s.in()
		if !known || sp.IsThirdParty() || sp.Commercial || sp.Block != d.IsBlock {
			return // WS002, WS004, or a block/simple mismatch nginx words differently
		}
		n := len(d.Args)
		maxArgs := maxArgsIn(sp, p.Opts.NginxVersion)
		if n >= sp.MinArgs && (maxArgs < 0 || n <= maxArgs) {
			return
		}
		if _, ok := splitTimeValue(d, sp); ok && (sp.Arg == spec.ArgMsec || sp.Arg == spec.ArgSec) {
			return // an unquoted `1h 30m`: WS006 reports it, with a fix
		}
		span := d.NameSpan()
		if n > 0 && maxArgs >= 0 && n > maxArgs {
			span = d.Args[maxArgs].Span // the first argument too many
		}
		hint := "quote a value that contains spaces"
		if dl, _ := d.NameSpan().File.Position(d.NameSpan().Start); span != d.NameSpan() {
			if al, _ := span.File.Position(span.Start); al > dl {
				hint = fmt.Sprintf("is the `;` at the end of line %d missing?", al-1)
			}
		}
		if maxArgs != sp.MaxArgs && (sp.MaxArgs < 0 || n <= sp.MaxArgs) {
			hint = fmt.Sprintf("nginx %s and later take %s: set `--nginx-version` if the servers run it (the target is %s)", sp.ArgsSince, argRange(sp.MinArgs, sp.MaxArgs), p.Opts.NginxVersion)
		}
		out = append(out, p.Finding(span, "`%s` takes %s, not %d: nginx refuses to load (`invalid number of arguments in \"%s\" directive`); %s",
			d.Name, argRange(sp.MinArgs, maxArgs), n, d.Name, hint))
	})
	return out
}

func argRange(lo, hi int) string {
	switch {
	case hi < 0:
		return fmt.Sprintf("at least %d %s", lo, plural(lo, "argument", "arguments"))
	case lo == hi:
		return fmt.Sprintf("%d %s", lo, plural(lo, "argument", "arguments"))
	}
	return fmt.Sprintf("%d to %d arguments", lo, hi)
}
