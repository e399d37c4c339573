// Command wslint finds, explains and fixes the configuration mistakes that
// break WebSockets behind nginx and NGINX Unit.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	_ "github.com/wslint/wslint/cmd/wslint/internal/nomemprofile" // first: see its doc
	"github.com/wslint/wslint/lint/textdist"
)

// Exit codes.
const (
	exitClean    = 0 // nothing at or above --fail-on
	exitFindings = 1 // findings at or above --fail-on
	exitUsage    = 2 // usage, configuration or I/O error
	exitInternal = 3 // internal error (WS999)
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

// exitError carries an exit code up to main.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}

func usageErr(format string, args ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

func main() {
	if os.Getenv("GOGC") == "" {
		// wslint is a short-lived process whose heap is the parsed
		// configuration, live until exit: collecting it half as often as
		// Go's default saves CPU time. Large inputs run without collection
		// up to a budget (gc.go).
		debug.SetGCPercent(gcPercent)
	}
	gcBudgets = true
	stop := startCPUProfile(os.Getenv("WSLINT_CPUPROFILE"), os.Stderr)
	code := run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// startCPUProfile writes a CPU profile of the whole run to path when it is
// set (WSLINT_CPUPROFILE: for `go tool pprof`, and for `make pgo`, which
// builds cmd/wslint/default.pgo from such profiles). It returns the function
// that ends the profile.
func startCPUProfile(path string, stderr io.Writer) func() {
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintf(stderr, "wslint: WSLINT_CPUPROFILE: %v\n", err)
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			fmt.Fprintf(stderr, "wslint: WSLINT_CPUPROFILE: %v\n", err)
		}
	}
}

// run executes the command line and returns the exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	defer func() {
		if v := recover(); v != nil {
			fmt.Fprintf(stderr, "wslint: internal error: %v (please report it with the input)\n", v)
			code = exitInternal
		}
	}()
	if err := mistypedCommand(args); err != nil {
		fmt.Fprintf(stderr, "wslint: %v\nRun 'wslint --help' for usage.\n", err)
		return exitUsage
	}
	args = defaultToLint(args)
	root := newRootFor(args, stdin, stdout, stderr)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return exitClean
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintf(stderr, "wslint: %v\n", ee.err)
		}
		return ee.code
	}
	// cobra's own errors: unknown flag or command, bad flag value.
	fmt.Fprintf(stderr, "wslint: %v\nRun 'wslint --help' for usage.\n", err)
	return exitUsage
}

// defaultToLint makes `lint` the default command: `wslint nginx.conf` is
// `wslint lint nginx.conf`.
func defaultToLint(args []string) []string {
	if len(args) == 0 {
		return args
	}
	switch a := args[0]; {
	case a == "help" || a == "completion" || a == "__complete" || a == "-h" || a == "--help" || a == "-v" || a == "--version":
		return args
	default:
		for _, c := range subcommands {
			if c.name == a {
				return args
			}
		}
	}
	return append([]string{"lint"}, args...)
}

// mistypedCommand reports a first argument that is neither a command nor
// an existing file but is close to a command's name (`wslint lnt x.conf`):
// read as a file to lint, it would only be "no such file".
func mistypedCommand(args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") || strings.ContainsAny(args[0], `/\.`) {
		return nil
	}
	a := args[0]
	names := []string{"help", "completion", "__complete"}
	for _, c := range subcommands {
		names = append(names, c.name)
	}
	if slices.Contains(names, a) {
		return nil
	}
	if _, err := os.Stat(a); err == nil {
		return nil // a file named like a command is linted
	}
	for _, name := range names {
		max := 1 // one edit from a short name: `wslint x` is no `fix`
		if len(name) > 4 {
			max = 2
		}
		if textdist.Distance(strings.ToLower(a), name, max) <= max {
			return fmt.Errorf("unknown command %q (and no file of that name): did you mean %q?", a, name)
		}
	}
	return nil
}

// subcommands are the root's commands, in the order `wslint --help` lists
// them; TestSubcommands checks the names against the commands they build.
var subcommands = []struct {
	name  string
	build func() *cobra.Command
}{
	{"lint", newLintCmd}, {"fix", newFixCmd}, {"rules", newRulesCmd}, {"explain", newExplainCmd},
	{"trace", newTraceCmd}, {"generate", newGenerateCmd}, {"serve", newServeCmd},
}

// newRootFor returns the root command for args (after defaultToLint). When
// args name a subcommand, only that one is built: constructing the others'
// flags and help texts is start-up time that `wslint lint` does not need, and
// a subcommand's parsing, help and errors do not depend on its siblings.
// Anything else (no arguments, --help, --version, help, completion,
// __complete) gets the whole tree.
func newRootFor(args []string, stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	if len(args) > 0 {
		for _, c := range subcommands {
			if c.name == args[0] {
				root := newBareRoot(stdin, stdout, stderr)
				root.AddCommand(c.build())
				// cobra's `completion` command is args[0] when it runs,
				// which leads to newRoot: here it would only be built
				// (its help texts formatted) on every run.
				root.CompletionOptions.DisableDefaultCmd = true
				return root
			}
		}
	}
	return newRoot(stdin, stdout, stderr)
}

// newRoot returns the root command with every subcommand.
func newRoot(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	root := newBareRoot(stdin, stdout, stderr)
	for _, c := range subcommands {
		root.AddCommand(c.build())
	}
	return root
}

func newBareRoot(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "wslint",
		Short: "Find, explain and fix configurations that break WebSockets behind nginx and NGINX Unit",
		Long: `wslint finds, explains and fixes the configuration mistakes that break
WebSockets (and reverse proxying in general) behind nginx and NGINX Unit:
dropped Upgrade/Connection headers, location-level proxy_set_header that
discards the server's, HTTP/1.0 upstreams, idle timeouts, Unit routes that
cannot tunnel WebSockets, and more.`,
		Example: `  wslint lint /etc/nginx/nginx.conf
  wslint lint --ws-path /ws --format json sites-enabled/
  cat app.conf | wslint lint --stdin-filename app.conf -
  wslint fix -d nginx.conf
  wslint explain WS104`,
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetVersionTemplate("wslint {{.Version}}\n")
	return root
}
