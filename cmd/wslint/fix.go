package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	udiff "github.com/aymanbagabas/go-udiff"
	"github.com/spf13/cobra"
	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
)

func newFixCmd() *cobra.Command {
	var rf ruleFlags
	var write, diff, unsafe bool
	c := &cobra.Command{
		Use:   "fix [flags] PATH... | -",
		Short: "Apply fixes: print the fixed config, a diff (-d), or write in place (-w)",
		Long: `Apply the rules' fixes, as gofmt does: without flags, print the fixed
configuration of one input on stdout; -d prints a unified diff; -w writes
the files in place (atomically: a temporary file in the same directory,
then a rename, keeping the file mode). Only safe fixes are applied unless
--unsafe is given. Fixes are minimal text edits: everything they do not
touch stays byte for byte. A fix in an included file is made in that file.

Fixing repeats (fix, re-parse, re-lint) until nothing applies, at most 10
rounds. A configuration that does not parse is not touched (exit 2).

Exit status: 0 done (with -d: nothing to change), 1 with -d when the diff
is not empty (so CI can fail on it), 2 usage, I/O or syntax error, 3
internal error.`,
		Example: `  wslint fix nginx.conf > nginx.fixed.conf
  wslint fix -d --ws-path /ws sites-enabled/app
  wslint fix -w --unsafe conf.d/`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			selected, opts, err := rf.setup()
			if err != nil {
				return err
			}
			if write && diff {
				return usageErr("-w and -d cannot be used together")
			}
			files, err := rf.inputs(args, cmd.InOrStdin())
			if err != nil {
				return ioErr(err)
			}
			if len(files) == 0 {
				return usageErr("nothing to fix: every file in %s is excluded", strings.Join(args, ", "))
			}
			if write {
				for _, f := range files {
					if f.Path == "-" || contains(args, "-") && f.Path == rf.stdinFilename {
						return usageErr("-w cannot write standard input")
					}
				}
			}
			if !write && !diff && len(files) > 1 {
				return usageErr("fix prints one configuration; use -w or -d for %d files", len(files))
			}
			if err := checkParses(files, rf.inputKind()); err != nil {
				return err
			}
			level := lint.Safe
			if unsafe {
				level = lint.Unsafe
			}
			res := lint.FixInput(selected, lint.Input{Files: files, Kind: rf.inputKind(), Load: nginx.LoadOptions{ReadFile: rf.gc.readFile}}, opts, level)
			out, errw := cmd.OutOrStdout(), cmd.ErrOrStderr()
			switch {
			case write:
				for _, f := range res.Files {
					if b, ok := res.Changed[f.Path]; ok {
						if err := writeAtomic(f.Path, b); err != nil {
							return ioErr(err)
						}
						fmt.Fprintf(errw, "fixed %s\n", f.Path)
					}
				}
			case diff:
				for _, f := range res.Files {
					if b, ok := res.Changed[f.Path]; ok {
						// As git names them: `a/etc/nginx/nginx.conf` for an absolute path.
						name := strings.TrimPrefix(filepath.ToSlash(f.Path), "/")
						io.WriteString(out, udiff.Unified("a/"+name, "b/"+name, string(f0(res, f.Path, files)), string(b)))
					}
				}
				if err := reportRemaining(errw, res); err != nil {
					return err
				}
				if len(res.Changed) > 0 {
					return &exitError{code: exitFindings}
				}
				return nil
			default:
				b, ok := res.Changed[files[0].Path]
				if !ok {
					b = files[0].Data
				}
				out.Write(b)
				for path := range res.Changed {
					if path != files[0].Path {
						fmt.Fprintf(errw, "wslint: the fix also changes the included file %s; use -w or -d\n", path)
					}
				}
			}
			return reportRemaining(errw, res)
		},
	}
	rf.register(c)
	fl := c.Flags()
	fl.BoolVarP(&write, "write", "w", false, "write the fixed files in place (atomically)")
	fl.BoolVarP(&diff, "diff", "d", false, "print a unified diff instead of the fixed configuration")
	fl.BoolVar(&unsafe, "unsafe", false, "also apply unsafe fixes (they change behaviour beyond the finding)")
	return c
}

// f0 returns the original bytes of path: the input as read, or the file
// from disk for an included one.
func f0(res *lint.FixResult, path string, inputs []*sourceFile) []byte {
	for _, f := range inputs {
		if f.Path == path {
			return f.Data
		}
	}
	b, _ := os.ReadFile(path)
	return b
}

func reportRemaining(w io.Writer, res *lint.FixResult) error {
	internal := false
	for _, f := range res.Remaining {
		if f.RuleID == lint.InternalErrorID {
			internal = true
			p := lint.PositionOf(f.Span)
			fmt.Fprintf(w, "%s:%d:%d: error %s %s\n", p.File, p.Line, p.Column, f.RuleID, f.Message)
		}
	}
	if internal {
		return &exitError{code: exitInternal}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
