package rules

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	udiff "github.com/aymanbagabas/go-udiff"
	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/linttest"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/nginx/spec"
	"github.com/wslint/wslint/lint/source"
)

// Fuzz targets of the rules (issue 6). `make fuzz` runs each for FUZZTIME,
// `make test` for 15 s; `go test ./rules` runs their seed corpora (every
// fixture under testdata/, plus the crashers kept in testdata/fuzz/<Name>/)
// as ordinary tests.
//
// The fuzzed text is one file, loaded as the web service loads it (no
// includes). Its `# wslint-test:` header, if any, chooses nginx version,
// ws_paths and heartbeat, so the fixture seeds run under the options they
// were written for and the fuzzer can mutate them too.

const fuzzPath = "fuzz.conf"

// addSeeds adds every file under testdata/ whose name matches one of exts.
func addSeeds(f *testing.F, exts ...string) {
	n := 0
	filepath.WalkDir("../testdata", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if strings.Contains(filepath.ToSlash(path), "/fuzz/") {
			return nil // Go reads its own corpus
		}
		for _, e := range exts {
			if strings.HasSuffix(path, e) {
				if b, err := os.ReadFile(path); err == nil {
					f.Add(b)
					n++
				}
				break
			}
		}
		return nil
	})
	if n == 0 {
		f.Fatalf("no seed files %v under ../testdata", exts)
	}
}

// fuzzOptions reads the options of a fuzzed file's `# wslint-test:`
// header; anything the header gets wrong falls back to the defaults.
// Per-rule options are ignored: they belong to one rule's fixtures.
func fuzzOptions(data []byte) *lint.Options {
	_, h, err := linttest.Parse(data)
	if err != nil {
		return lint.DefaultOptions()
	}
	h.Options = nil
	o, err := h.Opts("")
	if err != nil {
		return lint.DefaultOptions()
	}
	return o
}

func nginxInput(data []byte) lint.Input {
	return lint.Input{Files: []*source.File{source.NewFile(fuzzPath, data)}, Kind: lint.KindNginx, Load: nginx.LoadOptions{NoIncludes: true}}
}

// loaderDisagrees reports whether f is the WS999 that the engine emits when
// gonginx and wslint's scanner disagree about a file: a known limitation
// of the parser cross-check, not a crash.
func loaderDisagrees(f lint.Finding) bool {
	return f.RuleID == lint.InternalErrorID &&
		(strings.HasPrefix(f.Message, "gonginx rejects what nginx accepts") || strings.HasPrefix(f.Message, "parser cross-check failed"))
}

// checkFindings fails on an engine error (WS999 other than the parser
// cross-check), a span or edit outside the run's files, an invalid fix, or
// a fix whose edits change nothing.
func checkFindings(t *testing.T, what string, files []*source.File, findings []lint.Finding) {
	t.Helper()
	known := map[*source.File]bool{}
	for _, f := range files {
		known[f] = true
	}
	inside := func(s source.Span) error {
		switch {
		case s.File == nil:
			return nil // a finding about the whole run
		case !known[s.File]:
			return fmt.Errorf("span in unknown file %q", s.File.Path)
		case s.Start < 0 || s.Start > s.End || s.End > len(s.File.Data):
			return fmt.Errorf("span [%d,%d) outside the %d-byte file", s.Start, s.End, len(s.File.Data))
		}
		return nil
	}
	for _, f := range findings {
		if f.RuleID == lint.InternalErrorID && !loaderDisagrees(f) {
			t.Fatalf("%s: internal error: %s", what, f.Message)
		}
		if err := inside(f.Span); err != nil {
			t.Fatalf("%s: %s %q: %v", what, f.RuleID, f.Message, err)
		}
		for _, r := range f.Related {
			if err := inside(r.Span); err != nil {
				t.Fatalf("%s: %s %q: related %q: %v", what, f.RuleID, f.Message, r.Message, err)
			}
		}
		for _, fx := range f.Fixes {
			if err := source.ValidateEdits(fx.Edits); err != nil {
				t.Fatalf("%s: %s %q: fix %q: %v", what, f.RuleID, f.Message, fx.Message, err)
			}
			if !known[fx.Edits[0].File] {
				t.Fatalf("%s: %s %q: fix %q edits unknown file %q", what, f.RuleID, f.Message, fx.Message, fx.Edits[0].File.Path)
			}
			noop := true
			for _, e := range fx.Edits {
				noop = noop && string(e.File.Data[e.Start:e.End]) == e.New
			}
			if noop {
				t.Fatalf("%s: %s %q: fix %q changes nothing (the fix loop would apply it every round)", what, f.RuleID, f.Message, fx.Message)
			}
		}
	}
}

// FuzzNginxRules: the nginx loader plus every nginx rule never crash, and
// every finding, related span and fix lies inside its file. Each input
// runs twice: under its header's options, and with `/` and `/ws/` as
// WebSocket paths on the newest nginx, so that the rules about WebSocket
// locations and the version-dependent branches see most inputs too.
func FuzzNginxRules(f *testing.F) {
	addSeeds(f, ".conf")
	f.Fuzz(func(t *testing.T, data []byte) {
		res := lint.Run(All, nginxInput(data), fuzzOptions(data))
		checkFindings(t, "lint", res.Files, res.Findings)
		opts := lint.DefaultOptions()
		opts.WSPaths = []string{"/", "/ws/"}
		opts.NginxVersion = nginx.V1_31_0
		res = lint.Run(All, nginxInput(data), opts)
		checkFindings(t, "lint with --ws-path / --ws-path /ws/ on nginx 1.31", res.Files, res.Findings)
	})
}

// positionRE matches the line numbers some messages quote ("inherited
// from line 12"), which a fix that inserts lines legitimately shifts.
var positionRE = regexp.MustCompile(`\bline (\d+)`)

// keyer identifies findings across a fix: rule and message, with line
// numbers and WebSocket evidence blanked. Evidence legitimately changes
// when a fix adds the upgrade headers (`/ws/` is then recognised because
// "it forwards the upgrade headers", no longer by its path alone), and the
// messages quote it.
type keyer struct{ reasons []string }

func newKeyer(opts *lint.Options, inputs ...[]byte) keyer {
	var k keyer
	seen := map[string]bool{}
	for _, data := range inputs {
		cfg := nginx.Load(nginxInput(data).Files, nginx.LoadOptions{NoIncludes: true})
		for _, w := range cfg.WebSocketLocations(nginx.WSOptions{Paths: opts.WSPaths, Endpoint: opts.Endpoint}) {
			if w.Reason != "" && !seen[w.Reason] {
				seen[w.Reason] = true
				k.reasons = append(k.reasons, w.Reason)
			}
		}
	}
	sort.Slice(k.reasons, func(i, j int) bool { return len(k.reasons[i]) > len(k.reasons[j]) })
	return k
}

func (k keyer) key(f lint.Finding) string {
	msg := positionRE.ReplaceAllString(f.Message, "line N")
	for _, r := range k.reasons {
		msg = strings.ReplaceAll(msg, r, "<evidence>")
	}
	return f.RuleID + " " + msg
}

// rewrite is one hunk of a line diff from the input to the fixed output:
// the input's lines [In[0], In[1]) became the output's [Out[0], Out[1]).
type rewrite struct{ In, Out [2]int }

// written returns the hunks of a line diff from data to out: the lines a
// fix added or rewrote.
func written(data, out []byte) []rewrite {
	var hunks []rewrite
	delta := 0
	for _, e := range udiff.Lines(string(data), string(out)) {
		start := e.Start + delta
		hunks = append(hunks, rewrite{In: [2]int{e.Start, e.End}, Out: [2]int{start, start + len(e.New)}})
		delta += len(e.New) - (e.End - e.Start)
	}
	return hunks
}

// unexplained returns the warnings and errors of the fixed output (after)
// that the input's findings (before) do not account for. Legitimately
// "new" are:
//   - info findings: hardening notes, which a fix that makes the handshake
//     work legitimately exposes (WS301 on `Upgrade $http_upgrade` once
//     `Connection: upgrade` goes out with the canonical upgrade map; WS107
//     on the literal `upgrade` that WS101 writes where no map can be
//     defined; WS203 once a location forwards the upgrade headers);
//   - the same finding reworded: a finding of the same rule on the same
//     text disappeared (WS106 adds the h2c risk once `Upgrade` is
//     forwarded; WS202 lists fewer lost headers once WS101 adds some);
//   - on lines a fix wrote, a finding the input had too, or any finding
//     on a copy of an input line that had a warning or an error: a fix
//     that adds a proxy_set_header copies the inherited lines (nginx would
//     drop them otherwise), and a copy carries the problems of its
//     original, which a rule may see only at the copy (WS104 reports the
//     dropped list as a whole; on the copy, WS102 sees the misspelt
//     `$http_upgrde` that WS007 reported at the original);
//   - on lines a fix wrote, a WS102 where the input had a WS101 or a
//     WS104: those rules mask WS102 in their location (one mistake, one
//     finding), and the inherited lines WS104's fix copies may lack their
//     `Connection` themselves;
//   - a WS401 whose locations all sent nginx's default `Connection: close`
//     before the fixes (closeBefore): the keepalive was defeated already,
//     and a fix that forwards the upgrade map's `close` there changes
//     nothing for plain requests;
//   - a finding on a use of a variable whose definition the fixes reveal
//     (revealed): the input defined it without its `$` (WS017 writes it)
//     or in a misspelt directive (WS002 renames `mAp`): its value was never
//     known before (`Connection $v` from the empty `map 0 v {}`, once
//     another fix has added the `Upgrade` it went with).
//
// What WS002's renames reveal is in before already (see checkFix).
func unexplained(k keyer, before, after []lint.Finding, hunks []rewrite, revealed, closeBefore map[string]bool) []lint.Finding {
	had := map[string]int{}
	ever := map[string]bool{}
	for _, f := range before {
		had[k.key(f)]++
		ever[k.key(f)] = true
	}
	within := func(s source.Span) bool {
		for _, h := range hunks {
			if h.Out[0] <= s.Start && s.End <= h.Out[1] {
				return true
			}
		}
		return false
	}
	// The findings on lines no fix wrote take their match in before first:
	// a finding the input had, on a line a fix copied, is then the copy's
	// (explained below), not the original's.
	var cands []lint.Finding
	for _, onWritten := range []bool{false, true} {
		for _, f := range after {
			if f.Severity == lint.Info || within(f.Span) != onWritten {
				continue
			}
			if key := k.key(f); had[key] > 0 {
				had[key]--
				continue
			}
			cands = append(cands, f)
		}
	}
	gone := map[string]int{} // rule + span text of the findings that disappeared
	for _, f := range before {
		if key := k.key(f); had[key] > 0 {
			had[key]--
			gone[f.RuleID+"\x00"+f.Span.Text()]++
		}
	}
	flagged := map[string]bool{} // the text of the lines that had a warning or an error
	masked := false              // WS102 was masked by WS101 or WS104
	for _, f := range before {
		if f.Span.File != nil && f.Severity > lint.Info {
			flagged[lineText(f.Span)] = true
		}
		masked = masked || f.RuleID == UpgradeHeadersMissing.ID || f.RuleID == InheritedHeadersDropped.ID
	}
	var out []lint.Finding
	for _, f := range cands {
		if t := f.RuleID + "\x00" + f.Span.Text(); gone[t] > 0 {
			gone[t]--
			continue
		}
		if within(f.Span) && (ever[k.key(f)] || flagged[lineText(f.Span)] || masked && f.RuleID == UpgradeHeadersIncomplete.ID) {
			continue
		}
		if name, ok := strings.CutPrefix(f.Span.Text(), "$"); ok && revealed[strings.ToLower(strings.Trim(name, "{}"))] {
			continue
		}
		if f.RuleID == KeepaliveDefeated.ID && locationsIn(f, closeBefore) {
			continue
		}
		out = append(out, f)
	}
	return out
}

// defaultCloseLocations returns the paths of the locations of the input,
// read with WS002's renames and WS017's `$` (as revealedByRenames reads
// it), that send nginx's default `Connection: close` upstream: no
// `proxy_set_header Connection` in their list, on a target before 1.29.7.
func defaultCloseLocations(data []byte, opts *lint.Options) map[string]bool {
	if !opts.NginxVersion.Less(nginx.V1_29_7) {
		return nil
	}
	if ren, ok := lint.FixInput([]*lint.Rule{UnknownDirective, VariableWithoutDollar}, nginxInput(data), opts, lint.Safe).Changed[fuzzPath]; ok {
		data = ren
	}
	out := map[string]bool{}
	for _, loc := range nginx.Load(nginxInput(data).Files, nginx.LoadOptions{NoIncludes: true}).Locations() {
		if list, _ := loc.EffectiveList("proxy_set_header"); !nginx.SetsHeader(list, "connection") {
			out[loc.Path] = true
		}
	}
	return out
}

// wsLocationRE reads the path of a location WS401 names as sending the map.
var wsLocationRE = regexp.MustCompile("^location `(.*)` sends the map's value as `Connection`$")

// locationsIn reports whether every location a WS401 finding names is in
// paths.
func locationsIn(f lint.Finding, paths map[string]bool) bool {
	n := 0
	for _, r := range f.Related {
		if m := wsLocationRE.FindStringSubmatch(r.Message); m != nil {
			if !paths[m[1]] {
				return false
			}
			n++
		}
	}
	return n > 0
}

// lineText returns the words of the line holding s's start, single-spaced.
func lineText(s source.Span) string {
	f := s.File
	return strings.Join(strings.Fields(string(f.Data[f.LineStart(s.Start):f.LineEnd(s.Start)])), " ")
}

// revealedByRenames returns what the input's safe WS002 renames (and
// WS017's `$`) bring to light, as findings of the input with only those
// fixes applied (nil when there are none). An unknown directive is one
// nginx never reads: once `Proxy_pass` is `proxy_pass`, its arguments, its
// block and the location it now serves are checked for the first time
// (WS007's undefined variable, WS201's timeout, WS004 on a directive in its
// block), which no fix can be blamed for. Likewise a definition without its
// `$` is one nginx refuses: once `map 0 $v {}` has it, the values that use
// `$v` are evaluated for the first time (WS102: that map is empty). The
// renamed name itself must be valid where it stands: a WS004 or WS005 that
// the renames add on it fails the test. A time nginx refuses is read for the
// first time once WS006 writes it as one (`proxy_read_timeout 0 m` is `0m`:
// WS201's zero timeout), so the third pass adds WS006's fixes.
func revealedByRenames(t *testing.T, k keyer, kind lint.Kind, data []byte, opts *lint.Options, before []lint.Finding) []lint.Finding {
	t.Helper()
	if kind != lint.KindNginx {
		return nil
	}
	// The renames alone (their WS017 findings), then with the `$` too, then
	// with the times.
	var out []lint.Finding
	for _, fixers := range [][]*lint.Rule{{UnknownDirective}, {UnknownDirective, VariableWithoutDollar}, {UnknownDirective, VariableWithoutDollar, InvalidTimeValue}} {
		ren := lint.FixInput(fixers, input(kind, data), opts, lint.Safe)
		b, ok := ren.Changed[fuzzPath]
		if !ok {
			continue
		}
		renamed := lint.Run(All, input(kind, b), opts).Findings
		names := renamedNames(data, b)
		had := map[string]int{}
		for _, f := range before {
			had[k.key(f)]++
		}
		for _, f := range renamed {
			if key := k.key(f); had[key] > 0 {
				had[key]--
			} else if (f.RuleID == DirectiveNotAllowedHere.ID || f.RuleID == DuplicateDirective.ID) && names.name(f) {
				t.Fatalf("WS002's rename makes %s: %s\n--- renamed\n%s", f.RuleID, f.Message, b)
			}
		}
		out = union(k, out, renamed)
	}
	return out
}

// renamed holds the offsets, in the renamed output, of the names WS002
// changed.
type renamed map[int]bool

// renamedNames compares the directives written in data and in its renamed
// version b, in file order (a rename changes names only, so both have the
// same; the blocks that give a snippet its context may differ: a renamed
// `stream` makes the file a main configuration), and returns where the
// changed names start in b.
func renamedNames(data, b []byte) renamed {
	var written func(ds, out []*nginx.Directive) []*nginx.Directive
	written = func(ds, out []*nginx.Directive) []*nginx.Directive {
		for _, d := range ds {
			if !d.Synthetic {
				out = append(out, d)
			}
			out = written(d.Body, out)
		}
		return out
	}
	load := func(src []byte) []*nginx.Directive {
		return written(nginx.Load(nginxInput(src).Files, nginx.LoadOptions{NoIncludes: true}).Root.Body, nil)
	}
	x, y := load(data), load(b)
	out := renamed{}
	for i := range min(len(x), len(y)) {
		if x[i].Name != y[i].Name {
			out[y[i].Span.Start] = true
		}
	}
	return out
}

// name reports whether f is at a renamed name, the rename making a
// directive that is not allowed where it stands, or whether a WS005 has a
// renamed name among its related spans: the rename made a second one of a
// kind (the first may be the renamed one). A finding on a directive inside
// a renamed block is not: nginx never read that block before
// (`loCAtion 0 { proxy ...; }` renamed to `location` shows that `proxy`
// is a mail directive), whatever related span points at the block.
func (r renamed) name(f lint.Finding) bool {
	if r[f.Span.Start] {
		return true
	}
	if f.RuleID != DuplicateDirective.ID {
		return false
	}
	for _, rel := range f.Related {
		if r[rel.Span.Start] {
			return true
		}
	}
	return false
}

// union returns a multiset of findings holding, for every key, as many as
// the larger of a and b has.
func union(k keyer, a, b []lint.Finding) []lint.Finding {
	n := map[string]int{}
	for _, f := range b {
		n[k.key(f)]++
	}
	out := append([]lint.Finding(nil), b...)
	for _, f := range a {
		if key := k.key(f); n[key] > 0 {
			n[key]--
		} else {
			out = append(out, f)
		}
	}
	return out
}

// FuzzFix: applying the safe fixes to a configuration that parses makes no
// internal error (no invalid fix, no fix that breaks the syntax, no fix
// loop that fails to converge), the output parses (no WS001), it has no
// warning or error the input did not have (see unexplained), and fixing it
// again changes nothing. A configuration that does not parse is only
// checked not to crash FixInput: the CLI and the web service refuse to fix
// it.
func FuzzFix(f *testing.F) {
	addSeeds(f, ".conf")
	f.Fuzz(func(t *testing.T, data []byte) {
		checkFix(t, lint.KindNginx, data)
	})
}

// FuzzUnitRules: the Unit reader plus every Unit rule (lint.Run with
// KindUnit, as the CLI and the web service run them) never crash, keep
// spans and fixes inside the file, and their safe fixes keep FuzzFix's
// guarantees (no WS500 when the input parsed).
func FuzzUnitRules(f *testing.F) {
	addSeeds(f, ".json")
	f.Fuzz(func(t *testing.T, data []byte) {
		checkFix(t, lint.KindUnit, data)
	})
}

func input(kind lint.Kind, data []byte) lint.Input {
	if kind == lint.KindUnit {
		return lint.Input{Files: []*source.File{source.NewFile(unitFuzzPath, data)}, Kind: lint.KindUnit}
	}
	return nginxInput(data)
}

const unitFuzzPath = "fuzz.json"

// checkFix lints data, fixes it with the safe fixes and checks the result.
func checkFix(t *testing.T, kind lint.Kind, data []byte) {
	opts := fuzzOptions(data)
	path, syntaxID := fuzzPath, SyntaxError.ID
	if kind == lint.KindUnit {
		path, syntaxID = unitFuzzPath, UnitJSONSyntax.ID
	}
	before := lint.Run(All, input(kind, data), opts)
	checkFindings(t, "lint", before.Files, before.Findings)
	parsed := true
	for _, f := range before.Findings {
		if f.RuleID == syntaxID {
			parsed = false
		}
	}
	if !parsed {
		// Neither `wslint fix` nor the web service fixes a configuration
		// that does not parse: FixInput must not crash, and that is all.
		lint.FixInput(All, input(kind, data), opts, lint.Safe)
		return
	}
	res := lint.FixInput(All, input(kind, data), opts, lint.Safe)
	checkFindings(t, "fix", res.Files, res.Remaining)
	out, changed := res.Changed[path]
	if !changed {
		return
	}
	after := lint.Run(All, input(kind, out), opts)
	checkFindings(t, "lint of the fixed output", after.Files, after.Findings)
	for _, f := range after.Findings {
		if f.RuleID == syntaxID {
			t.Fatalf("the fixed output does not parse: %s\n--- fixed (%v)\n%s", f.Message, res.Applied, out)
		}
	}
	k := keyer{}
	if kind == lint.KindNginx {
		k = newKeyer(opts, data, out)
	}
	base := union(k, before.Findings, revealedByRenames(t, k, kind, data, opts, before.Findings))
	var revealed map[string]bool
	if kind == lint.KindNginx {
		cfg := nginx.Load(nginxInput(data).Files, nginx.LoadOptions{NoIncludes: true})
		revealed = maps.Clone(definedWithoutDollar(cfg))
		for name := range renamedDefinitions(cfg) {
			if revealed == nil {
				revealed = map[string]bool{}
			}
			revealed[name] = true
		}
	}
	var closeBefore map[string]bool
	if kind == lint.KindNginx {
		closeBefore = defaultCloseLocations(data, opts)
	}
	for _, f := range unexplained(k, base, after.Findings, written(data, out), revealed, closeBefore) {
		p := lint.PositionOf(f.Span)
		t.Fatalf("fixes %v add a finding: %d:%d %s %s\n--- input\n%s\n--- fixed\n%s", res.Applied, p.Line, p.Column, f.RuleID, f.Message, data, out)
	}
	again := lint.FixInput(All, input(kind, out), opts, lint.Safe)
	if b, ok := again.Changed[path]; ok {
		t.Fatalf("fixing the output again changes it (%v)\n--- first\n%s\n--- second\n%s", again.Applied, out, b)
	}
}

// TestArgumentCounts: every directive nginx knows, written with zero to
// three arguments at each level of a proxied WebSocket configuration,
// crashes no rule (the hand-made complement of FuzzNginxRules, which found
// WS103 indexing the argument of a bare `proxy_http_version ;`).
func TestArgumentCounts(t *testing.T) {
	args := []string{"", " $x", " a 1s", " a b c"}
	const conf = "%[1]s\nmap $http_upgrade $connection_upgrade {\n    default upgrade;\n    ''      close;\n}\n" +
		"upstream app {\n    server 127.0.0.1:8000;\n    %[1]s\n}\n" +
		"server {\n    listen 8080;\n    %[1]s\n" +
		"    location /ws/ {\n        proxy_pass http://app;\n        %[1]s\n" +
		"        proxy_set_header Upgrade $http_upgrade;\n        proxy_set_header Connection $connection_upgrade;\n" +
		"        try_files $uri @named;\n    }\n" +
		"    location @named {\n        proxy_pass http://127.0.0.1:8000;\n        %[1]s\n    }\n}\n"
	opts := lint.DefaultOptions()
	opts.WSPaths = []string{"/ws/"}
	for _, name := range spec.Names() {
		for _, a := range args {
			data := []byte(fmt.Sprintf(conf, name+a+";"))
			res := lint.Run(All, nginxInput(data), opts)
			checkFindings(t, name+a, res.Files, res.Findings)
		}
	}
}

// TestRenamedNames: the oracle of revealedByRenames blames a rename only
// for findings on the names it changed, wherever they moved to.
func TestRenamedNames(t *testing.T) {
	// WS002 offers no rename to `proxy_pass` here (not allowed in server).
	data := []byte("http { server { Listen 80; loCAtion /a { proxy 1; } Proxy_pass http://b; } }\n")
	ren := lint.FixInput([]*lint.Rule{UnknownDirective}, nginxInput(data), lint.DefaultOptions(), lint.Safe)
	b, ok := ren.Changed[fuzzPath]
	if !ok {
		t.Fatal("WS002 renamed nothing")
	}
	want := []string{"listen", "location"}
	got := renamedNames(data, b)
	var names []string
	for off := range got {
		end := off
		for end < len(b) && b[end] != ' ' {
			end++
		}
		names = append(names, string(b[off:end]))
	}
	slices.Sort(names)
	if !slices.Equal(names, want) {
		t.Fatalf("renamed names %q, want %q\n%s", names, want, b)
	}
	proxy := bytes.Index(b, []byte("proxy 1"))
	if got.name(lint.Finding{Span: source.Span{Start: proxy}}) {
		t.Error("a directive inside a renamed block counts as renamed")
	}
	at := bytes.Index(b, []byte("location"))
	if !got.name(lint.Finding{RuleID: DuplicateDirective.ID, Span: source.Span{Start: proxy}, Related: []lint.Related{{Span: source.Span{Start: at}}}}) {
		t.Error("a duplicate of a renamed name is not blamed on the rename")
	}
	if got.name(lint.Finding{RuleID: DirectiveNotAllowedHere.ID, Span: source.Span{Start: proxy}, Related: []lint.Related{{Span: source.Span{Start: at}}}}) {
		t.Error("a directive not allowed in a renamed block is blamed on the rename")
	}
}
