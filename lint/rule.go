// Package lint is wslint's engine: rules as data plus a pure check
// function, the registry, the runner, and the fix applier.
package lint

import (
	"fmt"
	"strings"

	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/nginx/spec"
	"github.com/wslint/wslint/lint/source"
	"github.com/wslint/wslint/lint/unit"
)

// Severity of a finding.
type Severity int

const (
	Info Severity = iota + 1
	Warning
	Error
)

func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return "unknown"
}

// ParseSeverity reads "error", "warning" or "info".
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(s) {
	case "error":
		return Error, nil
	case "warning":
		return Warning, nil
	case "info":
		return Info, nil
	}
	return 0, fmt.Errorf("invalid severity %q (want error, warning or info)", s)
}

// Lang is the configuration language a rule checks.
type Lang int

const (
	Nginx Lang = iota + 1
	Unit
	Meta // engine rules (suppressions, internal errors)
)

func (l Lang) String() string {
	switch l {
	case Nginx:
		return "nginx"
	case Unit:
		return "unit"
	}
	return "meta"
}

// Applicability says when a fix may be applied automatically.
type Applicability int

const (
	Suggestion Applicability = iota + 1 // shown, never applied automatically
	Unsafe                              // applied with --unsafe: changes behaviour beyond the finding
	Safe                                // applied by default
)

func (a Applicability) String() string {
	switch a {
	case Safe:
		return "safe"
	case Unsafe:
		return "unsafe"
	}
	return "suggestion"
}

// SafeUnless returns Unsafe when cond holds, Safe otherwise.
func SafeUnless(cond bool) Applicability {
	if cond {
		return Unsafe
	}
	return Safe
}

// Doc is a rule's documentation; every field but FixSafety is required.
type Doc struct {
	Summary    string // lowercase, no period, at most 70 characters
	Why        string // the observable failure
	Bad        string // a configuration that fires the rule
	Good       string // the same configuration, corrected
	FixSafety  string // how the fix behaves, or why there is none
	References []string
}

// Rule is one check: data plus a pure function.
type Rule struct {
	ID         string // "WS101": stable forever
	Name       string // "upgrade-headers-missing"
	Lang       Lang
	Severity   Severity
	Default    bool // enabled unless disabled; otherwise opt-in with --enable
	Doc        Doc
	Check      func(p *Pass) []Finding
	Deprecated string // "replaced by WS1xx" for retired rules
	// FixFirst marks an nginx rule whose fixes change what the other rules
	// read (WS002's renames, WS017's `$`): a FixNginx round that applies one
	// of its fixes applies only such fixes, and the others' are planned
	// again on the result (firstFixes).
	FixFirst bool
	// ValidateOptions checks the rule's options (Options.RuleOptions[ID])
	// once, before any rule runs; nil means the rule takes none. See
	// ValidateRuleOptions.
	ValidateOptions func(opts map[string]any) error
	// Window tells how a windowed lint (window.go) merges the rule's
	// findings when they depend on more than one server block.
	Window WindowMode

	registry *Registry // the first registry that registered it (names in suppressions)
}

// WindowMode is how a windowed lint merges a rule's findings.
type WindowMode uint8

const (
	// WindowLocal: a finding inside a server block depends on that block
	// and what is outside every block; one outside depends on that only.
	WindowLocal WindowMode = iota
	// WindowEvery: a finding outside every server block holds only when
	// every window reports it (an unused suppression: some block may use it).
	WindowEvery
	// WindowFirst: the rule reports once per configuration, at the first
	// place in file order that qualifies.
	WindowFirst
	// WindowMerge: a finding outside every server block gathers what the
	// blocks contribute (a line of related places for each): the windows'
	// findings at one span become one, with the first window's message,
	// every window's related places, and each fix as safe as the least
	// safe window made it.
	WindowMerge
)

// Fixable reports whether the rule documents a fix.
func (r *Rule) Fixable() bool {
	return r.Doc.FixSafety != "" && !strings.HasPrefix(r.Doc.FixSafety, "No fix")
}

// Related is a second place that explains a finding.
type Related struct {
	Span    source.Span
	Message string
}

// Fix is one way to resolve a finding: text edits in one file.
type Fix struct {
	Message string // imperative: "Set `proxy_http_version 1.1`"
	Applies Applicability
	Edits   []source.TextEdit
}

// Finding is one problem at one place.
type Finding struct {
	RuleID   string
	Name     string
	Message  string
	Severity Severity
	Span     source.Span
	Related  []Related
	Fixes    []Fix
}

// WithRelated returns f with a related location added.
func (f Finding) WithRelated(span source.Span, format string, args ...any) Finding {
	return f.WithRelatedText(span, fmt.Sprintf(format, args...))
}

// WithRelatedText is WithRelated with its message written out: a rule that
// adds one for every line of a list builds each with a concatenation, not
// a Sprintf of boxed arguments.
func (f Finding) WithRelatedText(span source.Span, message string) Finding {
	f.Related = append(f.Related, Related{Span: span, Message: message})
	return f
}

// WithFix returns f with a fix added (the first fix is the one applied).
func (f Finding) WithFix(applies Applicability, message string, edits ...source.TextEdit) Finding {
	if len(edits) == 0 {
		return f
	}
	f.Fixes = append(f.Fixes, Fix{Message: message, Applies: applies, Edits: edits})
	return f
}

// Options are the settings every rule may read; they are validated before
// any rule runs.
type Options struct {
	NginxVersion nginx.Version
	UnitVersion  string // "" when unknown
	WSPaths      []string
	// Endpoint recognises well-known WebSocket endpoint paths.
	Endpoint func(path string) (string, bool)
	// Endpoints is the knowledge base Endpoint matches against, when it is
	// not the built-in one (a configuration file's endpoints); WS113 reads
	// its client URLs. nil means spec.DefaultEndpoints.
	Endpoints *spec.Endpoints
	// HeartbeatMS is the application's declared heartbeat interval (0: none).
	HeartbeatMS int64
	// RuleOptions holds per-rule options by rule ID.
	RuleOptions map[string]map[string]any
	// Severities overrides the severity of every finding of a rule, by
	// rule ID (`.wslint.yaml` rules: {WS201: {severity: info}}).
	Severities map[string]Severity
	// Done, when closed, ends a run at its next step (before each rule, each
	// group of files and each fix round): the caller has given up on it (the
	// service's deadline), and the findings it returns are incomplete. nil
	// runs to the end.
	Done <-chan struct{}
}

// stopped reports whether the run's caller has given up on it (Done).
func (o *Options) stopped() bool {
	if o == nil || o.Done == nil {
		return false
	}
	select {
	case <-o.Done:
		return true
	default:
		return false
	}
}

// Pass is what a rule's Check receives: one rule, one loaded configuration.
type Pass struct {
	Rule  *Rule
	Nginx *nginx.Config
	Unit  *unit.Config // set for Unit rules (RunUnit); nil for nginx rules
	Opts  *Options

	ws  *[]nginx.WSLocation
	sup *suppressions // the run's suppressions, for Meta rules
}

// Finding starts a finding of the pass's rule at span.
func (p *Pass) Finding(span source.Span, format string, args ...any) Finding {
	return Finding{RuleID: p.Rule.ID, Name: p.Rule.Name, Severity: p.Rule.Severity, Span: span, Message: fmt.Sprintf(format, args...)}
}

// WebSocketLocations returns the configuration's WebSocket locations with
// their evidence (computed once per run, shared by every rule).
func (p *Pass) WebSocketLocations() []nginx.WSLocation {
	if p.ws == nil || *p.ws == nil {
		ws := p.Nginx.WebSocketLocations(nginx.WSOptions{Paths: p.Opts.WSPaths, Endpoint: p.Opts.Endpoint})
		if ws == nil {
			ws = []nginx.WSLocation{}
		}
		if p.ws == nil {
			p.ws = &ws
		} else {
			*p.ws = ws
		}
	}
	return *p.ws
}

// Option returns a per-rule option, or def when unset.
func (p *Pass) Option(name string, def any) any {
	if v, ok := p.Opts.RuleOptions[p.Rule.ID][name]; ok {
		return v
	}
	return def
}
