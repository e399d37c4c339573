// Package linttest runs rule fixtures: `want` expectations written inside
// the fixture files, and fixed goldens. It is imported only by tests.
package linttest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
)

// Want is one expectation: rule ID, optional columns, message regexp.
type Want struct {
	Line             int
	RuleID           string
	StartCol, EndCol int // 0 when not given
	Re               *regexp.Regexp
}

func (w Want) String() string {
	cols := ""
	if w.StartCol > 0 {
		cols = fmt.Sprintf(":%d-%d", w.StartCol, w.EndCol)
	}
	return fmt.Sprintf("line %d: want %s%s %q", w.Line, w.RuleID, cols, w.Re)
}

// Header is the `# wslint-test: {...}` line of a fixture.
type Header struct {
	NginxVersion string         `json:"nginx_version"`
	UnitVersion  string         `json:"unit_version"`
	WSPaths      []string       `json:"ws_paths"`
	Heartbeat    string         `json:"heartbeat"`
	Options      map[string]any `json:"options"`
	// Files lists extra root files, relative to the fixture's directory,
	// loaded together with the fixture (e.g. a map in another file).
	Files []string `json:"files"`
	// NoIncludes lints as the web service does, without following includes.
	NoIncludes bool `json:"no_includes"`
	// E2E asks the end-to-end test to run the fixture through real nginx:
	// "fail" (Chromium- and Firefox-style handshakes must fail),
	// "fail-firefox" (only the Firefox-style one fails), "pass" (both
	// handshakes, an echo and a plain GET must work), "plain-fail" (a plain
	// GET must fail), "refused" (`nginx -t` rejects the configuration).
	E2E string `json:"e2e"`
	// E2EPath is the request path the end-to-end test uses; the default is
	// the first ws_path, else the first prefix location.
	E2EPath string `json:"e2e_path"`
}

// LoadOptions returns the loader options the header asks for.
func (h Header) LoadOptions() nginx.LoadOptions { return nginx.LoadOptions{NoIncludes: h.NoIncludes} }

var (
	wantRE    = regexp.MustCompile(`want\s+(WS\d{3})(?::(\d+)-(\d+))?\s+"((?:[^"\\]|\\.)*)"`)
	headerRE  = regexp.MustCompile(`(?:#|//)\s*wslint-test:\s*(\{.*\})\s*$`)
	commentRE = regexp.MustCompile(`(?:#|//)\s*want\s`)
)

// Parse reads the wants and header of a fixture.
func Parse(data []byte) ([]Want, Header, error) {
	var h Header
	var wants []Want
	for i, line := range strings.Split(string(data), "\n") {
		if m := headerRE.FindStringSubmatch(line); m != nil {
			if err := json.Unmarshal([]byte(m[1]), &h); err != nil {
				return nil, h, fmt.Errorf("line %d: bad wslint-test header: %v", i+1, err)
			}
			continue
		}
		loc := commentRE.FindStringIndex(line)
		if loc == nil {
			continue
		}
		for _, m := range wantRE.FindAllStringSubmatch(line[loc[0]:], -1) {
			pat, err := strconv.Unquote(`"` + m[4] + `"`)
			if err != nil {
				pat = m[4]
			}
			re, err := regexp.Compile(pat)
			if err != nil {
				return nil, h, fmt.Errorf("line %d: bad want regexp %q: %v", i+1, pat, err)
			}
			w := Want{Line: i + 1, RuleID: m[1], Re: re}
			if m[2] != "" {
				w.StartCol, _ = strconv.Atoi(m[2])
				w.EndCol, _ = strconv.Atoi(m[3])
			}
			wants = append(wants, w)
		}
	}
	return wants, h, nil
}

// Options turns a header into engine options, as the CLI would.
func (h Header) Opts(ruleID string) (*lint.Options, error) {
	o := lint.DefaultOptions()
	if h.NginxVersion != "" {
		v, err := nginx.ParseVersion(h.NginxVersion)
		if err != nil {
			return nil, err
		}
		o.NginxVersion = v
	}
	o.UnitVersion = h.UnitVersion
	o.WSPaths = h.WSPaths
	if h.Heartbeat != "" {
		ms, err := lint.ParseDuration(h.Heartbeat)
		if err != nil {
			return nil, err
		}
		o.HeartbeatMS = ms
	}
	if len(h.Options) > 0 {
		o.RuleOptions = map[string]map[string]any{ruleID: h.Options}
	}
	return o, nil
}

// OptsFor is Opts with the options validated against the rules, as the CLI
// validates them once at start-up.
func (h Header) OptsFor(rule *lint.Rule) (*lint.Options, error) {
	o, err := h.Opts(rule.ID)
	if err != nil {
		return nil, err
	}
	if err := lint.ValidateRuleOptions([]*lint.Rule{rule}, o.RuleOptions); err != nil {
		return nil, err
	}
	return o, nil
}

// Load reads a fixture and the extra files its header names.
func Load(path string) ([]*source.File, []Want, Header, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, Header{}, err
	}
	wants, h, err := Parse(data)
	if err != nil {
		return nil, nil, h, err
	}
	files := []*source.File{source.NewFile(path, data)}
	for _, extra := range h.Files {
		p := filepath.Join(filepath.Dir(path), extra)
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, nil, h, err
		}
		files = append(files, source.NewFile(p, b))
	}
	return files, wants, h, nil
}

// Check compares findings with wants one to one and reports mismatches.
func Check(t testing.TB, file *source.File, findings []lint.Finding, wants []Want) {
	t.Helper()
	used := make([]bool, len(wants))
	for _, f := range findings {
		if f.Span.File != file {
			continue
		}
		line, col, endLine, endCol := f.Span.Range()
		matched := false
		for i, w := range wants {
			if used[i] || w.Line != line || w.RuleID != f.RuleID || !w.Re.MatchString(f.Message) {
				continue
			}
			if w.StartCol > 0 && (w.StartCol != col || w.EndCol != endCol || endLine != line) {
				continue
			}
			used[i], matched = true, true
			break
		}
		if !matched {
			t.Errorf("%s:%d:%d-%d:%d: unexpected %s %q", file.Path, line, col, endLine, endCol, f.RuleID, f.Message)
		}
	}
	for i, w := range wants {
		if !used[i] {
			t.Errorf("%s: %s: no matching finding", file.Path, w)
		}
	}
}

// Fixtures lists the fixture files of one rule directory by kind.
func Fixtures(dir string) (bad, good, fixed []string, err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, nil, err
	}
	for _, e := range entries {
		n := e.Name()
		p := filepath.Join(dir, n)
		switch {
		case e.IsDir():
		case strings.HasPrefix(n, "bad"):
			bad = append(bad, p)
		case strings.HasPrefix(n, "good"):
			good = append(good, p)
		case strings.HasPrefix(n, "fixed"):
			fixed = append(fixed, p)
		}
	}
	sort.Strings(bad)
	sort.Strings(good)
	sort.Strings(fixed)
	return bad, good, fixed, nil
}

// FixedName returns the golden for a bad fixture: bad_x.conf → fixed_x.conf.
func FixedName(bad string) string {
	dir, base := filepath.Split(bad)
	return filepath.Join(dir, "fixed"+strings.TrimPrefix(base, "bad"))
}
