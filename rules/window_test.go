package rules

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/linttest"
	"github.com/wslint/wslint/lint/linttest/confgen"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
)

// windowDiff lints data whole and windowed, one server block per window,
// and returns what differs.
func windowDiff(t *testing.T, path string, data []byte, opts *lint.Options) []string {
	t.Helper()
	selected, _ := Registry.Select(true, nil, nil)
	in := lint.Input{Files: []*source.File{source.NewFile(path, data)}}
	whole := lint.Run(selected, in, opts)
	win, ok := lint.RunWindowed(selected, lint.Input{Files: []*source.File{source.NewFile(path, data)}}, opts, 0)
	if !ok {
		return nil
	}
	str := func(f lint.Finding) string {
		l, c := f.Span.File.Position(f.Span.Start)
		s := fmt.Sprintf("%s:%d:%d-%d %s %s", f.Span.File.Path, l, c, f.Span.End-f.Span.Start, f.RuleID, f.Message)
		for _, r := range f.Related {
			s += fmt.Sprintf(" | %d-%d %s", r.Span.Start, r.Span.End, r.Message)
		}
		for _, x := range f.Fixes {
			s += fmt.Sprintf(" | fix %s %s", x.Applies, x.Message)
			for _, e := range x.Edits {
				s += fmt.Sprintf(" | edit %d-%d %q", e.Start, e.End, e.New)
			}
		}
		return s
	}
	count := map[string]int{}
	for _, f := range whole.Findings {
		count[str(f)]++
	}
	for _, f := range win.Findings {
		count[str(f)]--
	}
	var diffs []string
	for s, n := range count {
		switch {
		case n > 0:
			diffs = append(diffs, "missing windowed: "+s)
		case n < 0:
			diffs = append(diffs, "extra windowed:   "+s)
		}
	}
	return diffs
}

// serverSpans lists the server blocks of a one-file configuration.
func serverSpans(path string, data []byte) []nginx.ServerSpan {
	o, _ := nginx.OutlineServers(source.NewFile(path, data))
	return o.Units
}

// TestWindowedSameFindings: a windowed lint reports what a whole one does,
// on every one-file fixture, on each with its server blocks doubled (so
// that every block has a neighbour), on testdata/windowed (what one block
// makes of another) and on a generated configuration.
func TestWindowedSameFindings(t *testing.T) {
	files, _ := filepath.Glob("../testdata/rules/*/*.conf")
	own, _ := filepath.Glob("../testdata/windowed/*.conf")
	check := func(path string, data []byte, opts *lint.Options) {
		t.Helper()
		for _, d := range windowDiff(t, path, data, opts) {
			t.Error(d)
		}
	}
	for _, path := range append(files, own...) {
		srcs, _, opts, _ := loadFixture(t, nil, path)
		data := srcs[0].Data
		if bytes.Contains(data, []byte("include")) || len(srcs) > 1 {
			continue
		}
		check(path, data, opts)
		spans := serverSpans(path, data)
		if len(spans) == 0 {
			continue
		}
		var out []byte
		prev := 0
		for _, sp := range spans {
			out = append(out, data[prev:sp.End]...)
			out = append(out, '\n')
			out = append(out, data[sp.Start:sp.End]...)
			prev = sp.End
		}
		out = append(out, data[prev:]...)
		check(strings.TrimSuffix(path, ".conf")+".twice.conf", out, opts)
	}
	var buf bytes.Buffer
	confgen.Servers(&buf, 30)
	check("generated.conf", buf.Bytes(), lint.DefaultOptions())
}

func TestWindowedSplit(t *testing.T) {
	dir := t.TempDir()
	if err := confgen.Split(dir, 30, 7); err != nil {
		t.Fatal(err)
	}
	main := filepath.Join(dir, "nginx.conf")
	data, err := os.ReadFile(main)
	if err != nil {
		t.Fatal(err)
	}
	selected, _ := Registry.Select(true, nil, nil)
	opts := lint.DefaultOptions()
	whole := lint.Run(selected, lint.Input{Files: []*source.File{source.NewFile(main, data)}}, opts)
	if _, ok := lint.RunWindowed(selected, lint.Input{Files: []*source.File{source.NewFile(main, data)}}, opts, 1<<20); ok {
		t.Error("a configuration that fits in one window was windowed")
	}
	for _, size := range []int{0, 4000} {
		win, ok := lint.RunWindowed(selected, lint.Input{Files: []*source.File{source.NewFile(main, data)}}, opts, size)
		if !ok {
			t.Fatalf("size %d: not windowed", size)
		}
		if len(win.Files) != len(whole.Files) {
			t.Errorf("size %d: %d files, want %d", size, len(win.Files), len(whole.Files))
		}
		got, want := render(win), render(whole)
		if got != want {
			t.Errorf("size %d: windowed findings differ:\n%s", size, firstDiff(got, want))
		}
	}
}

func render(r *lint.Result) string {
	var b strings.Builder
	for _, f := range r.Findings {
		l, c := f.Span.File.Position(f.Span.Start)
		fmt.Fprintf(&b, "%s:%d:%d %s %s", f.Span.File.Path, l, c, f.RuleID, f.Message)
		for _, r := range f.Related {
			fmt.Fprintf(&b, " | %s:%d-%d %s", r.Span.File.Path, r.Span.Start, r.Span.End, r.Message)
		}
		for _, x := range f.Fixes {
			fmt.Fprintf(&b, " | fix %s %s", x.Applies, x.Message)
			for _, e := range x.Edits {
				fmt.Fprintf(&b, " %s:%d-%d %q", e.File.Path, e.Start, e.End, e.New)
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) && i < len(w); i++ {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d:\n got  %s\n want %s", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("%d lines, want %d", len(g), len(w))
}

// TestRunWindowsLargeInput: Run takes a large configuration apart when the
// caller allows it (the CLI), and reports what it reports whole.
func TestRunWindowsLargeInput(t *testing.T) {
	var buf bytes.Buffer
	if err := confgen.Servers(&buf, 400); err != nil {
		t.Fatal(err)
	}
	selected, _ := Registry.Select(false, nil, nil)
	opts := lint.DefaultOptions()
	in := func() lint.Input {
		return lint.Input{Files: []*source.File{source.NewFile("nginx.conf", buf.Bytes())}}
	}
	whole := lint.Run(selected, in(), opts)
	windowed, after := 0, 0
	w := in()
	w.Window = 16 << 10
	w.OnWindowed = func(on bool) {
		if on {
			windowed++
		}
	}
	w.AfterWindow = func() { after++ }
	got := lint.Run(selected, w, opts)
	if windowed != 1 || after < 2 {
		t.Fatalf("OnWindowed called %d times, AfterWindow %d: want 1 and one per window", windowed, after)
	}
	if g, want := render(got), render(whole); g != want {
		t.Errorf("windowed findings differ:\n%s", firstDiff(g, want))
	}
	small := lint.Input{Files: []*source.File{source.NewFile("nginx.conf", buf.Bytes())}, Window: 1 << 30,
		OnWindowed: func(bool) { t.Error("a configuration that fits in one window was windowed") }}
	lint.Run(selected, small, opts)
}

// FuzzWindowed: a windowed lint, in windows of 256 bytes (a block or a few), reports
// exactly what a whole one does, spans, related places and fixes included
// (issue 6: what a large configuration's lint reports must not depend on
// how it was taken apart). Inputs that cannot be windowed are skipped;
// their lint is the whole one.
func FuzzWindowed(f *testing.F) {
	addSeeds(f, ".conf")
	selected, _ := Registry.Select(true, nil, nil)
	f.Fuzz(func(t *testing.T, data []byte) {
		opts := fuzzOptions(data)
		in := nginxInput(data)
		whole := lint.Run(selected, in, opts)
		win, ok := lint.RunWindowed(selected, nginxInput(data), opts, 256)
		if !ok {
			return
		}
		checkFindings(t, "windowed", win.Files, win.Findings)
		if got, want := render(win), render(whole); got != want {
			t.Fatalf("windowed findings differ:\n%s", firstDiff(got, want))
		}
	})
}

// windowedFixtures names, for each file of testdata/windowed, the rules it
// is about: what one server block makes of another for them. Their `#
// want` lines must hold, and hold alike, linted whole and windowed (one
// block a window); whole is how nginx reads the configuration.
var windowedFixtures = map[string][]string{
	"variable_set_elsewhere.conf":           {"WS007"},
	"variable_captured_elsewhere.conf":      {"WS007"},
	"defined_without_dollar_elsewhere.conf": {"WS007", "WS017"},
	"first_websocket_later.conf":            {"WS203"},
	"filewide_suppression.conf":             {"WS203", "WS902"},
	"http_level_headers.conf":               {"WS111"},
	"http_level_fix_safety.conf":            {"WS111"},
	"path_served_elsewhere.conf":            {"WS116"},
}

func TestWindowedFixtures(t *testing.T) {
	files, _ := filepath.Glob("../testdata/windowed/*.conf")
	if len(files) != len(windowedFixtures) {
		t.Fatalf("%d files in testdata/windowed, %d in windowedFixtures", len(files), len(windowedFixtures))
	}
	selected, _ := Registry.Select(true, nil, nil)
	for _, path := range files {
		ids := windowedFixtures[filepath.Base(path)]
		if ids == nil {
			t.Errorf("%s: not in windowedFixtures", path)
			continue
		}
		srcs, wants, opts, _ := loadFixture(t, nil, path)
		about := func(fs []lint.Finding) (out []lint.Finding) {
			for _, f := range fs {
				if slices.Contains(ids, f.RuleID) {
					out = append(out, f)
				}
			}
			return out
		}
		whole := lint.Run(selected, lint.Input{Files: srcs}, opts)
		linttest.Check(t, srcs[0], about(whole.Findings), wants)
		win, ok := lint.RunWindowed(selected, lint.Input{Files: srcs}, opts, 0)
		if len(opts.WSPaths) > 0 {
			if ok {
				t.Errorf("%s: windowed with ws_paths, which every block must see at once", path)
			}
			continue
		}
		if !ok {
			t.Fatalf("%s: not windowed", path)
		}
		linttest.Check(t, srcs[0], about(win.Findings), wants)
		if filepath.Base(path) == "http_level_fix_safety.conf" {
			for _, f := range about(win.Findings) {
				if len(f.Fixes) != 1 || f.Fixes[0].Applies != lint.Unsafe {
					t.Errorf("%s: WS111's http-level fix must be unsafe (the other block's backend is not internal): %+v", path, f.Fixes)
				}
			}
		}
	}
}
