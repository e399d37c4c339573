package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"

	"github.com/spf13/cobra"
	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
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
	configPath    string
	unitFlags     // --kind, --unit-version (unitflags.go)

	cmd *cobra.Command
	gc  gcBudget // the collector's budget for this run's input (gc.go)
	// cfg is the configuration file in effect (nil: none); set by setup.
	cfg *fileConfig
}

func (f *ruleFlags) register(c *cobra.Command) {
	f.cmd = c
	fl := c.Flags()
	fl.StringVar(&f.nginxVersion, "nginx-version", "", "target nginx version (default 1.18, the oldest in wide use); e.g. 1.29.7, or \"installed\": the version of the nginx on PATH (nginx -v)")
	fl.StringArrayVar(&f.wsPaths, "ws-path", nil, "a request path that carries WebSockets, e.g. /ws (repeatable; replaces websocket_paths of .wslint.yaml)")
	fl.StringVar(&f.heartbeat, "heartbeat", "", "the application's heartbeat interval, e.g. 25s (silences WS201 when shorter than the timeout)")
	fl.StringArrayVar(&f.enable, "enable", nil, "enable a rule by ID or name, or `all` (repeatable, comma-separated)")
	fl.StringArrayVar(&f.disable, "disable", nil, "disable a rule by ID or name (repeatable, comma-separated)")
	fl.StringVar(&f.stdinFilename, "stdin-filename", "", "the file name to report for input read from -")
	fl.BoolVar(&f.debug, "debug", false, "include stack traces in internal errors")
	f.unitFlags.register(fl)
	fl.StringVar(&f.configPath, "config", "", "configuration file (default: "+configName+" in the working directory or a parent, up to the repository root)")
}

// changed reports whether a flag was given on the command line.
func (f *ruleFlags) changed(name string) bool {
	return f.cmd != nil && f.cmd.Flags().Changed(name)
}

// loadConfigFile finds and validates the configuration file: --config, or
// .wslint.yaml from the working directory upward to the repository root.
func (f *ruleFlags) loadConfigFile() (*fileConfig, error) {
	p := f.configPath
	if p == "" {
		var err error
		if p, err = findConfig("."); err != nil || p == "" {
			return nil, err
		}
	}
	c, err := loadConfig(p)
	if err != nil {
		return nil, usageErr("%v", err)
	}
	return c, nil
}

// setup validates the configuration file and the flags once and returns
// the rules and options. Flags override the file: scalar flags replace its
// values, --ws-path replaces websocket_paths, and --enable/--disable apply
// after its enable/disable lists.
func (f *ruleFlags) setup() ([]*lint.Rule, *lint.Options, error) {
	cfg, err := f.loadConfigFile()
	if err != nil {
		return nil, nil, err
	}
	f.cfg = cfg
	opts := lint.DefaultOptions()
	if cfg != nil {
		if cfg.NginxVersion != nil {
			opts.NginxVersion = *cfg.NginxVersion
		}
		opts.UnitVersion = cfg.UnitVersion
		opts.WSPaths = cfg.WSPaths
		if cfg.Endpoints != nil {
			opts.Endpoints, opts.Endpoint = cfg.Endpoints, cfg.Endpoints.Match
		}
		opts.HeartbeatMS = cfg.HeartbeatMS
		opts.Severities = cfg.Severities
		opts.RuleOptions = cfg.RuleOptions
	}
	if f.nginxVersion == "installed" {
		v, err := installedNginx()
		if err != nil {
			return nil, nil, usageErr("--nginx-version installed: %v", err)
		}
		opts.NginxVersion = v
	} else if f.nginxVersion != "" {
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
	if len(f.wsPaths) > 0 {
		opts.WSPaths = f.wsPaths
	}
	if f.heartbeat != "" {
		ms, err := lint.ParseDuration(f.heartbeat)
		if err != nil {
			return nil, nil, usageErr("--heartbeat %q: %v", f.heartbeat, err)
		}
		opts.HeartbeatMS = ms
	}
	if err := f.unitFlags.apply(opts); err != nil {
		return nil, nil, err
	}
	var layers []ruleLayer
	if cfg != nil {
		layers = append(layers, ruleLayer{cfg.Enable, true, cfg.Path + ": enable"}, ruleLayer{cfg.Disable, false, cfg.Path + ": disable"})
	}
	layers = append(layers, ruleLayer{f.enable, true, "--enable"}, ruleLayer{f.disable, false, "--disable"})
	selected, err := selectRules(rules.Registry, layers...)
	if err != nil {
		return nil, nil, usageErr("%v", err)
	}
	lint.Debug = f.debug
	return selected, opts, nil
}

// excluded reports whether the configuration file excludes path.
func (f *ruleFlags) excluded(path string) bool { return f.cfg.excluded(path) }

// inputs reads the named paths (see readInputs) and drops the files that
// the configuration file's `exclude` globs match.
func (f *ruleFlags) inputs(args []string, stdin io.Reader) ([]*source.File, error) {
	files, err := readInputs(args, stdin, f.stdinFilename)
	if err != nil {
		return nil, err
	}
	kept := files[:0]
	size := 0
	for _, file := range files {
		if !f.excluded(file.Path) {
			kept = append(kept, file)
			size += len(file.Data)
		}
	}
	f.gc.add(size)
	return kept, nil
}

// ruleLayer is one enable or disable list, applied in order.
type ruleLayer struct {
	keys   []string
	enable bool
	from   string
}

// selectRules starts from the default preset and applies the layers in
// order, so a later layer (a flag) overrides an earlier one (the file).
func selectRules(reg *lint.Registry, layers ...ruleLayer) ([]*lint.Rule, error) {
	on := map[*lint.Rule]bool{}
	for _, r := range reg.All() {
		on[r] = r.Default && r.Deprecated == ""
	}
	for _, l := range layers {
		for _, k := range l.keys {
			for _, key := range strings.Split(k, ",") {
				key = strings.TrimSpace(key)
				switch {
				case key == "":
				case key == "all":
					for _, r := range reg.All() {
						on[r] = l.enable && r.Deprecated == ""
					}
				default:
					r, ok := reg.Lookup(key)
					if !ok {
						return nil, fmt.Errorf("%s: %s", l.from, unknownRule(key))
					}
					on[r] = l.enable
				}
			}
		}
	}
	var out []*lint.Rule
	for _, r := range reg.All() {
		if on[r] {
			out = append(out, r)
		}
	}
	return out, nil
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

var nginxVersionRE = regexp.MustCompile(`nginx/(\d+\.\d+\.\d+)`)

// installedNginx is the version of the nginx on PATH, from `nginx -v`
// (which prints it on stderr: "nginx version: nginx/1.22.1").
func installedNginx() (nginx.Version, error) {
	bin, err := exec.LookPath("nginx")
	if err != nil {
		return nginx.Version{}, fmt.Errorf("no nginx on PATH; give the version the servers run (e.g. 1.22.1)")
	}
	out, err := exec.Command(bin, "-v").CombinedOutput()
	m := nginxVersionRE.FindSubmatch(out)
	if m == nil {
		return nginx.Version{}, fmt.Errorf("%s -v printed no version (%v): %q", bin, err, strings.TrimSpace(string(out)))
	}
	return nginx.ParseVersion(string(m[1]))
}
