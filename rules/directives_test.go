package rules

import (
	"fmt"
	"math/rand/v2"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/linttest/nginxe2e"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/nginx/spec"
	"github.com/wslint/wslint/lint/source"
)

// directiveSites are the contexts a directive is tried in: the skeleton
// around it (X marks its place) is valid for nginx -t.
var directiveSites = []struct{ name, conf string }{
	{"main", "X\nevents {}\n"},
	{"events", "events {\n    X\n}\n"},
	{"http", "events {}\nhttp {\n    X\n}\n"},
	{"server", "events {}\nhttp {\n    server {\n        listen 127.0.0.1:8080;\n        X\n    }\n}\n"},
	{"location", "events {}\nhttp {\n    server {\n        listen 127.0.0.1:8080;\n        location / {\n            X\n        }\n    }\n}\n"},
	{"if in location", "events {}\nhttp {\n    server {\n        listen 127.0.0.1:8080;\n        location / {\n            if ($uri) {\n                X\n            }\n        }\n    }\n}\n"},
	{"if in server", "events {}\nhttp {\n    server {\n        listen 127.0.0.1:8080;\n        if ($uri) {\n            X\n        }\n    }\n}\n"},
	{"limit_except", "events {}\nhttp {\n    server {\n        listen 127.0.0.1:8080;\n        location / {\n            limit_except GET {\n                X\n            }\n        }\n    }\n}\n"},
	{"upstream", "events {}\nhttp {\n    upstream u {\n        server 127.0.0.1:1;\n        X\n    }\n}\n"},
	{"stream", "events {}\nstream {\n    X\n}\n"},
	{"stream server", "events {}\nstream {\n    server {\n        listen 127.0.0.1:12345;\n        X\n    }\n}\n"},
	{"stream upstream", "events {}\nstream {\n    upstream su {\n        server 127.0.0.1:1;\n        X\n    }\n}\n"},
}

var (
	notAllowed = regexp.MustCompile(`"([^"]+)" directive is not allowed here`)
	argCount   = regexp.MustCompile(`invalid number of arguments in "([^"]+)" directive`)
)

// TestDirectivesAsNginx: for directives of the table placed in each
// context with 0 to 3 arguments, WS004 reports exactly the placements
// nginx -t refuses with `is not allowed here`, and WS010 those it refuses
// with `invalid number of arguments` (nginx checks both before it reads an
// argument's value; unknown directives, those of modules not built here,
// are left out), with this nginx's release as the target (rows of later
// releases carry spec's Since). A sample of the placements runs by
// default; WSLINT_DIRECTIVES_ALL=1 tries them all (about 4 minutes: the
// 24 disagreements it found on nginx 1.22.1 were all rows of later
// releases, now marked).
func TestDirectivesAsNginx(t *testing.T) {
	stream := nginxe2e.LoadModules(t, nginxe2e.StreamModule)
	type placement struct {
		name, site, conf string
		args             int
		block            bool
	}
	var all []placement
	for _, name := range spec.Names() {
		if name == "include" || strings.HasSuffix(name, "_by_lua_block") {
			continue // include reads a file; Lua blocks hold code
		}
		block := false
		for _, v := range spec.Variants(name) {
			block = block || v.Block
		}
		for _, site := range directiveSites {
			for n := 0; n <= 3; n++ {
				line := name + strings.Repeat(" 1", n)
				if block {
					line += " {\n}"
				} else {
					line += ";"
				}
				conf := stream + "pid nginx.pid;\n" + strings.Replace(site.conf, "X", line, 1)
				all = append(all, placement{name, site.name, conf, n, block})
			}
		}
	}
	cases := all
	if os.Getenv("WSLINT_DIRECTIVES_ALL") == "" {
		r := rand.New(rand.NewPCG(8, soupSeed()))
		r.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
		cases = all[:400]
	}
	rules := []*lint.Rule{DirectiveNotAllowedHere, InvalidArgumentCount}
	opts := lint.DefaultOptions()
	v, err := nginx.ParseVersion(nginxe2e.Version(t))
	if err != nil {
		t.Fatal(err)
	}
	opts.NginxVersion = v // the rows of later releases are checked against this nginx
	compared, heres, counts := 0, 0, 0
	for _, c := range cases {
		out, _ := nginxe2e.ConfigTestMain(t, c.conf)
		if strings.Contains(out, "unknown directive") {
			continue
		}
		m1, m2 := notAllowed.FindStringSubmatch(out), argCount.FindStringSubmatch(out)
		wantHere, wantCount := m1 != nil && m1[1] == c.name, m2 != nil && m2[1] == c.name
		compared++
		if wantHere {
			heres++
		}
		if wantCount {
			counts++
		}
		res := lint.Run(rules, lint.Input{Files: []*source.File{source.NewFile("nginx.conf", []byte(c.conf))}}, opts)
		var here, count []string
		for _, f := range res.Findings {
			switch f.RuleID {
			case DirectiveNotAllowedHere.ID:
				here = append(here, f.Message)
			case InvalidArgumentCount.ID:
				count = append(count, f.Message)
			}
		}
		name := fmt.Sprintf("%s in %s with %d arguments", c.name, c.site, c.args)
		if wantHere != (len(here) > 0) {
			t.Errorf("%s: nginx -t says not allowed here: %v; WS004: %q\nnginx: %s", name, wantHere, here, strings.TrimSpace(out))
		}
		if !wantHere && wantCount != (len(count) > 0) {
			t.Errorf("%s: nginx -t says invalid number of arguments: %v; WS010: %q\nnginx: %s", name, wantCount, count, strings.TrimSpace(out))
		}
	}
	// Both of nginx's messages must have been seen: a change in their
	// wording would otherwise leave nothing compared.
	t.Logf("%d placements compared, %d not allowed here, %d with a wrong count", compared, heres, counts)
	if compared < len(cases)/4 || heres == 0 || counts == 0 { // about 60% are of modules built here
		t.Errorf("%d placements compared, %d not allowed here, %d with a wrong count: too few", compared, heres, counts)
	}
}

// plausible returns arguments of the directive's kind, so that nginx reads
// the value and reaches its duplicate check.
func plausible(v *spec.Directive) string {
	word := "1"
	switch {
	case len(v.Values) > 0:
		word = v.Values[0]
	case v.Arg == spec.ArgFlag:
		word = "on"
	case v.Arg == spec.ArgMsec || v.Arg == spec.ArgSec:
		word = "10s"
	}
	return strings.TrimSpace(strings.Repeat(" "+word, max(v.MinArgs, 1)))
}

// localTarget is the default options with the local nginx's release as
// the target.
func localTarget(t *testing.T) (*lint.Options, nginx.Version) {
	v, err := nginx.ParseVersion(nginxe2e.Version(t))
	if err != nil {
		t.Fatal(err)
	}
	opts := lint.DefaultOptions()
	opts.NginxVersion = v
	return opts, v
}

// sitesOf returns the directive sites (of those that are one context) in
// whose context row is allowed.
func sitesOf(row *spec.Directive) []struct{ name, conf string } {
	bits := map[string]spec.Context{"main": spec.Main, "events": spec.Events, "http": spec.HTTP, "server": spec.Server,
		"location": spec.Location, "upstream": spec.Upstream, "stream": spec.Stream, "stream server": spec.StreamServer}
	var out []struct{ name, conf string }
	for _, site := range directiveSites {
		if bit, ok := bits[site.name]; ok && row.AllowedIn(bit) {
			out = append(out, site)
		}
	}
	return out
}

var duplicate = regexp.MustCompile(`"([^"]+)" directive is duplicate`)

// TestDuplicatesAsNginx: each simple directive of the table, twice in a
// context it is allowed in with plausible arguments: WS005 reports the
// repeat exactly where nginx -t refuses it with `is duplicate` (placements
// that nginx refuses for their values, or whose module is not built here,
// are left out).
func TestDuplicatesAsNginx(t *testing.T) {
	stream := nginxe2e.LoadModules(t, nginxe2e.StreamModule)
	v, err := nginx.ParseVersion(nginxe2e.Version(t))
	if err != nil {
		t.Fatal(err)
	}
	opts := lint.DefaultOptions()
	opts.NginxVersion = v
	compared := 0
	for _, name := range spec.Names() {
		for _, row := range spec.Variants(name) {
			if row.Block || row.IsThirdParty() || row.Commercial || name == "include" || !inTarget(row, v) {
				continue
			}
			for _, site := range sitesOf(row) {
				line := name + " " + plausible(row) + ";"
				conf := stream + "pid nginx.pid;\n" + strings.Replace(site.conf, "X", line+"\n"+line, 1)
				out, err := nginxe2e.ConfigTestMain(t, conf)
				m := duplicate.FindStringSubmatch(out)
				dup := m != nil && m[1] == name
				if err != nil && !dup {
					continue // refused for another reason
				}
				compared++
				res := lint.Run([]*lint.Rule{DuplicateDirective}, lint.Input{Files: []*source.File{source.NewFile("nginx.conf", []byte(conf))}}, opts)
				if found := len(res.Findings) > 0; found != dup {
					t.Errorf("%s twice in %s: nginx -t says duplicate: %v; WS005: %v\nnginx: %s", line, site.name, dup, res.Findings, strings.TrimSpace(out))
				}
				break // one context per row
			}
		}
	}
	if compared < 300 {
		t.Errorf("only %d placements compared", compared)
	}
}

// notBuiltHere lists the stock modules Debian's nginx-light (what `make
// test` installs) is built without: their directives are unknown to it
// whatever their release.
var notBuiltHere = map[string]bool{
	"ngx_http_geoip_module": true, "ngx_stream_geoip_module": true, "ngx_http_image_filter_module": true,
	"ngx_http_perl_module": true, "ngx_http_xslt_module": true, "ngx_google_perftools_module": true,
	"ngx_http_v3_module": true, "ngx_http_js_module": true, "ngx_stream_js_module": true,
	"ngx_otel_module": true, "ngx_http_acme_module": true,
}

// unknownRelease lists the table's names whose release no source gives
// (nginx's CHANGES up to 1.31.6 and nginx.org's reference do not name
// them); nginx 1.22.1 does not have them, and WS012 does not claim a
// release for them.
var unknownRelease = map[string]bool{"error_log_tag": true, "stall_threshold": true}

// TestDirectiveReleasesAsNginx: every stock directive name of the table,
// written once in the main context with stream and mail loaded: nginx -t
// answers `unknown directive` exactly where WS012 reports the name as
// missing from this nginx's release (spec's Since and Until), leaving out
// the modules this nginx is built without and NGINX Plus-only names.
func TestDirectiveReleasesAsNginx(t *testing.T) {
	modules := nginxe2e.LoadModules(t, nginxe2e.StreamModule, nginxe2e.MailModule)
	opts, v := localTarget(t)
	compared, unknown := 0, 0
	for _, name := range spec.Names() {
		stock := false
		for _, row := range spec.Variants(name) {
			stock = stock || !row.IsThirdParty() && !row.Commercial && !notBuiltHere[row.Module]
		}
		if !stock || name == "include" || unknownRelease[name] {
			continue
		}
		conf := modules + "pid nginx.pid;\nevents {}\n" + name + " x;\n"
		out, _ := nginxe2e.ConfigTestMain(t, conf)
		want := strings.Contains(out, "unknown directive")
		res := lint.Run([]*lint.Rule{DirectiveNotInTarget}, lint.Input{Files: []*source.File{source.NewFile("nginx.conf", []byte(conf))}}, opts)
		got := len(res.Findings) > 0
		compared++
		if want {
			unknown++
		}
		if want != got {
			t.Errorf("%s: nginx %s -t says unknown directive: %v; WS012: %v\nnginx: %s", name, v, want, got, strings.TrimSpace(out))
		}
	}
	t.Logf("%d names compared, %d unknown to nginx %s", compared, unknown, v)
	if compared < 500 || unknown == 0 {
		t.Errorf("%d names compared, %d unknown: too few", compared, unknown)
	}
}

var invalidValue = regexp.MustCompile(`invalid value "([^"]*)"`)

// TestValuesAsNginx: every stock directive of the table that takes
// keywords (on|off, or a Values list), in the first context it is allowed
// in that the sites here have: each keyword, each in upper case, a word
// that is none, and a variable. nginx -t answers `invalid value` exactly
// where WS013 reports one, with this nginx's release as the target.
func TestValuesAsNginx(t *testing.T) {
	modules := nginxe2e.LoadModules(t, nginxe2e.StreamModule, nginxe2e.MailModule)
	opts, v := localTarget(t)
	compared, refused := 0, 0
	for _, name := range spec.Names() {
		for _, row := range spec.Variants(name) {
			if row.Block || row.IsThirdParty() || row.Commercial || notBuiltHere[row.Module] || !inTarget(row, v) ||
				row.Arg != spec.ArgFlag && len(row.Values) == 0 || row.IsSize() {
				continue
			}
			words := append([]string{"bogus", "$uri"}, row.Values...)
			if len(row.Values) == 0 {
				words = append(words, "on", "off")
			}
			for _, w := range words[2:] {
				words = append(words, strings.ToUpper(w))
			}
			for _, site := range sitesOf(row) {
				for _, w := range words {
					line := name + " " + w + ";"
					conf := modules + "pid nginx.pid;\n" + strings.Replace(site.conf, "X", line, 1)
					out, _ := nginxe2e.ConfigTestMain(t, conf)
					if strings.Contains(out, "is not allowed here") || strings.Contains(out, "unknown directive") {
						break // not this row's context after all (a name several modules define)
					}
					m := invalidValue.FindStringSubmatch(out)
					want := m != nil && m[1] == w
					compared++
					if want {
						refused++
					}
					res := lint.Run([]*lint.Rule{InvalidArgumentValue}, lint.Input{Files: []*source.File{source.NewFile("nginx.conf", []byte(conf))}}, opts)
					if got := len(res.Findings) > 0; got != want {
						t.Errorf("%s in %s (%s): nginx -t says invalid value: %v; WS013: %v\nnginx: %s", line, site.name, row.Module, want, res.Findings, strings.TrimSpace(out))
					}
				}
				break // one context per row
			}
		}
	}
	t.Logf("%d values compared, %d refused", compared, refused)
	if compared < 500 || refused < compared/5 {
		t.Errorf("%d values compared, %d refused: too few", compared, refused)
	}
}

// TestPlusDirectivesAsNginx: every name of the table that only NGINX Plus
// has, written once in the main context with stream and mail loaded, is an
// `unknown directive` to open-source nginx, and WS014 reports each.
func TestPlusDirectivesAsNginx(t *testing.T) {
	modules := nginxe2e.LoadModules(t, nginxe2e.StreamModule, nginxe2e.MailModule)
	opts, _ := localTarget(t)
	compared := 0
	for _, name := range spec.Names() {
		if !plusOnly(spec.Rows(name)) {
			continue
		}
		conf := modules + "pid nginx.pid;\nevents {}\n" + name + " x;\n"
		out, _ := nginxe2e.ConfigTestMain(t, conf)
		res := lint.Run([]*lint.Rule{NginxPlusDirective}, lint.Input{Files: []*source.File{source.NewFile("nginx.conf", []byte(conf))}}, opts)
		compared++
		if !strings.Contains(out, "unknown directive") || len(res.Findings) != 1 {
			t.Errorf("%s: nginx -t: %s; WS014: %v", name, strings.TrimSpace(out), res.Findings)
		}
	}
	t.Logf("%d NGINX Plus names compared", compared)
	if compared < 50 {
		t.Errorf("only %d NGINX Plus names compared", compared)
	}
}

// valueGrammar is a value grammar of the table's rows (sizes, numbers),
// checked against nginx -t by checkGrammarAsNginx.
type valueGrammar struct {
	rule *lint.Rule
	// args is the number of arguments the grammar's values are: 1 (each
	// value one argument, quoted when it must be), or 2 (written as is).
	args int
	// minRows is how many rows of the grammar this nginx must have.
	minRows int
	is      func(*spec.Directive) bool // the rows the grammar is for
	// values are tried on each such row, but those skip says for the
	// local nginx's release (variables that release expands).
	values []string
	skip   func(row *spec.Directive, value string, target nginx.Version) bool
	// refused reports nginx -t's refusal of a value by the grammar.
	refused func(name, out string) bool
	// like reports, from a few answers (refused by the grammar, or not),
	// whether a row that is not the grammar's answers as one would: the
	// table misses it.
	like func(refused func(value string) bool) bool
	// check checks more of a row of the grammar.
	check func(t *testing.T, row *spec.Directive, refused func(value string) bool)
}

// checkGrammarAsNginx: every stock directive of the table that takes
// g.args arguments, in the first context it is allowed in that the sites here
// have. For the grammar's rows, nginx -t refuses each of g.values by the
// grammar exactly where g.rule reports it; every other row answers
// otherwise than the grammar's would (g.like).
func checkGrammarAsNginx(t *testing.T, g valueGrammar) {
	modules := nginxe2e.LoadModules(t, nginxe2e.StreamModule, nginxe2e.MailModule)
	opts, v := localTarget(t)
	compared, refusals, rows := 0, 0, 0
	line := func(name, value string) string {
		if g.args == 1 && (value == "" || strings.Contains(value, " ")) {
			value = `"` + value + `"`
		}
		return name + " " + value + ";"
	}
	for _, name := range spec.Names() {
		for _, row := range spec.Variants(name) {
			if row.Block || row.IsThirdParty() || row.Commercial || notBuiltHere[row.Module] || !inTarget(row, v) ||
				row.MinArgs > g.args || row.MaxArgs >= 0 && row.MaxArgs < g.args || !g.is(row) && (row.Arg != spec.ArgAny || len(row.Values) > 0) {
				continue
			}
			sites := sitesOf(row)
			if len(sites) == 0 {
				continue
			}
			site := sites[0]
			refused := func(value string) bool {
				conf := modules + "pid nginx.pid;\n" + strings.Replace(site.conf, "X", line(name, value), 1)
				out, _ := nginxe2e.ConfigTestMain(t, conf)
				return g.refused(name, out)
			}
			if !g.is(row) {
				if g.like(refused) {
					t.Errorf("%s (%s) answers as a %s row does, but the table gives it type %s", name, row.Module, g.rule.Name, row.Arg)
				}
				continue
			}
			rows++
			for _, w := range g.values {
				if g.skip != nil && g.skip(row, w, v) {
					continue
				}
				want := refused(w)
				compared++
				if want {
					refusals++
				}
				conf := "pid nginx.pid;\n" + strings.Replace(site.conf, "X", line(name, w), 1)
				res := lint.Run([]*lint.Rule{g.rule}, lint.Input{Files: []*source.File{source.NewFile("nginx.conf", []byte(conf))}}, opts)
				if got := len(res.Findings) > 0; got != want {
					t.Errorf("%s in %s (%s): nginx -t refuses it: %v; %s: %v", line(name, w), site.name, row.Module, want, g.rule.ID, res.Findings)
				}
			}
			if g.check != nil {
				g.check(t, row, refused)
			}
		}
	}
	t.Logf("%d rows, %d values compared, %d refused", rows, compared, refusals)
	if rows < g.minRows || refusals < compared/3 {
		t.Errorf("%d rows, %d values compared, %d refused: too few", rows, compared, refusals)
	}
}

// invalidValueRefusal is nginx's refusal of a size (and of a number of
// buffers): `"name" directive invalid value`.
func invalidValueRefusal(name, out string) bool {
	return strings.Contains(out, `"`+name+`" directive invalid value`)
}

// TestSizesAsNginx: WS015 and the size rows (spec.ArgSize, ArgOffset,
// ArgSizeVar; variables left out where this nginx expands them), with
// about 30 ways a size is written or miswritten and the bounds; `g` is taken exactly by offsets, and every other row answers
// `10MB`, `10m` or `10k` otherwise than a size does.
func TestSizesAsNginx(t *testing.T) {
	checkGrammarAsNginx(t, valueGrammar{
		rule:    InvalidSizeValue,
		args:    1,
		minRows: 60,
		is:      (*spec.Directive).IsSize,
		values: []string{"10", "0", "10k", "10K", "10m", "10M", "1g", "1G", "10MB", "10kb", "64Kb", "1.5m", "1.5G", "-1", "+1", "k", "", "10 m", "100b", "4mib", "$uri", "off", "OFF",
			"9223372036854775807", "9223372036854775808", "9007199254740992k", "9007199254740991k", "8796093022208m", "8796093022207m", "8589934592g", "8589934591g"},
		skip: func(row *spec.Directive, w string, v nginx.Version) bool {
			return row.Arg == spec.ArgSizeVar && strings.Contains(w, "$") && inTarget(&spec.Directive{Since: row.VarsSince}, v)
		},
		refused: invalidValueRefusal,
		like:    func(refused func(string) bool) bool { return refused("10MB") && !refused("10m") && !refused("10k") },
		check: func(t *testing.T, row *spec.Directive, refused func(string) bool) {
			if g := refused("1g"); g == (row.Arg == spec.ArgOffset) {
				t.Errorf("%s (%s): nginx -t refuses 1g: %v, but the table's type is %s", row.Name, row.Module, g, row.Arg)
			}
		},
	})
}

// TestNumbersAsNginx: WS016 and the number rows (spec.ArgNum), with
// units, signs, fractions, exponents, words, variables and the bounds;
// every other row answers `1k`, `-1` or `10` otherwise than a number does
// (worker_priority takes a sign).
func TestNumbersAsNginx(t *testing.T) {
	checkGrammarAsNginx(t, valueGrammar{
		rule:    InvalidNumberValue,
		args:    1,
		minRows: 50,
		is:      func(row *spec.Directive) bool { return row.Arg == spec.ArgNum },
		values:  []string{"10", "0", "1k", "10K", "-1", "+1", "1.5", "1e3", "ten", "$uri", "", "off", "9223372036854775807", "9223372036854775808", "99999999999999999999"},
		refused: func(name, out string) bool {
			return strings.Contains(out, `"`+name+`" directive invalid number`) || strings.Contains(out, "invalid number \"")
		},
		like: func(refused func(string) bool) bool { return refused("1k") && refused("-1") && !refused("10") },
	})
}

// TestBuffersAsNginx: WS015 and the buffer rows (spec.ArgBufs: a number of
// buffers and their size), with a count and a size each written well and
// miswritten; every other two-argument row answers `8 4k`, `8 4KB` or
// `0 4k` otherwise than a buffer row does.
func TestBuffersAsNginx(t *testing.T) {
	checkGrammarAsNginx(t, valueGrammar{
		rule:    InvalidSizeValue,
		args:    2,
		minRows: 8,
		is:      func(row *spec.Directive) bool { return row.Arg == spec.ArgBufs },
		values:  []string{"8 4k", "8 4K", "1 1", "8 4m", "8 4KB", "8 16kb", "0 4k", "8 0", "8k 4k", "-1 4k", "8 1g", "8 $x", "$n 4k", "8 1.5k", "9223372036854775807 1", "9223372036854775808 4k"},
		refused: invalidValueRefusal,
		like:    func(refused func(string) bool) bool { return !refused("8 4k") && refused("8 4KB") && refused("0 4k") },
	})
}
