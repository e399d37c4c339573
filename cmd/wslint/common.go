package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/rules"
)

// ruleFlags are the flags shared by every command that runs rules.
type ruleFlags struct {
	nginxVersion  string
	wsPaths       []string
	heartbeat     string
	enable        []string
	disable       []string
	stdinFilename string
	debug         bool
}

func (f *ruleFlags) register(c *cobra.Command) {
	fl := c.Flags()
	fl.StringVar(&f.nginxVersion, "nginx-version", "", "target nginx version (default 1.18, the oldest in wide use); e.g. 1.29.7")
	fl.StringArrayVar(&f.wsPaths, "ws-path", nil, "a request path that carries WebSockets, e.g. /ws (repeatable)")
	fl.StringVar(&f.heartbeat, "heartbeat", "", "the application's heartbeat interval, e.g. 25s (silences WS201 when shorter than the timeout)")
	fl.StringArrayVar(&f.enable, "enable", nil, "enable a rule by ID or name, or `all` (repeatable, comma-separated)")
	fl.StringArrayVar(&f.disable, "disable", nil, "disable a rule by ID or name (repeatable, comma-separated)")
	fl.StringVar(&f.stdinFilename, "stdin-filename", "", "the file name to report for input read from -")
	fl.BoolVar(&f.debug, "debug", false, "include stack traces in internal errors")
}

// setup validates the flags once and returns the rules and options.
func (f *ruleFlags) setup() ([]*lint.Rule, *lint.Options, error) {
	opts := lint.DefaultOptions()
	if f.nginxVersion != "" {
		v, err := nginx.ParseVersion(f.nginxVersion)
		if err != nil {
			return nil, nil, usageErr("--nginx-version: %v", err)
		}
		opts.NginxVersion = v
	}
	for _, p := range f.wsPaths {
		if !strings.HasPrefix(p, "/") {
			return nil, nil, usageErr("--ws-path %q: a path starts with /", p)
		}
	}
	opts.WSPaths = f.wsPaths
	if f.heartbeat != "" {
		ms, err := lint.ParseDuration(f.heartbeat)
		if err != nil {
			return nil, nil, usageErr("--heartbeat %q: %v", f.heartbeat, err)
		}
		opts.HeartbeatMS = ms
	}
	selected, err := rules.Registry.Select(false, f.enable, f.disable)
	if err != nil {
		return nil, nil, usageErr("%v", err)
	}
	lint.Debug = f.debug
	return selected, opts, nil
}

func ioErr(err error) error { return &exitError{code: exitUsage, err: err} }

func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	return ok && termIsTerminal(file)
}

func colorEnabled(mode string, out any) (bool, error) {
	switch mode {
	case "always":
		return true, nil
	case "never":
		return false, nil
	case "auto", "":
		return os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb" && isTerminal(out), nil
	}
	return false, usageErr("--color %q: want auto, always or never", mode)
}

func exitFor(findings []lint.Finding, failOn string) (int, error) {
	threshold := lint.Severity(0)
	switch failOn {
	case "never":
		threshold = lint.Error + 1
	default:
		s, err := lint.ParseSeverity(failOn)
		if err != nil {
			return 0, usageErr("--fail-on %q: want error, warning, info or never", failOn)
		}
		threshold = s
	}
	code := exitClean
	for _, f := range findings {
		if f.RuleID == lint.InternalErrorID {
			return exitInternal, nil
		}
		if f.Severity >= threshold {
			code = exitFindings
		}
	}
	return code, nil
}

var _ = fmt.Sprint
