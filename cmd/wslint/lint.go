package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
)

func newLintCmd() *cobra.Command {
	var rf ruleFlags
	var format, failOn, color string
	var quiet bool
	c := &cobra.Command{
		Use:   "lint [flags] PATH... | -",
		Short: "Report configuration mistakes (the default command)",
		Long: `Lint nginx configuration files. A directory is walked for nginx files
(*.conf, nginx.conf, and files under sites-available/, sites-enabled/,
conf.d/ and snippets/). Includes are followed as nginx does: relative to
the main configuration's directory, globs sorted. A snippet (a server or
location file without http around it) is linted in its natural context,
with maps and upstreams from the other files named.

Settings come from .wslint.yaml (the first one found from the working
directory upward to the repository root, or --config FILE); flags override
it. Suppress a finding with "# wslint:ignore WS201 <reason>" on its line or
the line above, or a whole file with "# wslint:ignore-file WS201 <reason>".

Formats: text (default), json (schemas/findings.schema.json), sarif (GitHub
code scanning), github (workflow-command annotations), checkstyle (XML),
gitlab (Code Quality report), rdjson (reviewdog, safe fixes as suggestions).

Exit status: 0 nothing at or above --fail-on, 1 findings at or above it,
2 usage, configuration or I/O error, 3 internal error.`,
		Example: `  wslint lint /etc/nginx/nginx.conf
  wslint lint --ws-path /ws --nginx-version 1.30.0 conf.d/app.conf
  wslint lint --format sarif deploy/nginx/ > wslint.sarif
  wslint lint --format github --fail-on error deploy/nginx/
  wslint lint --format gitlab deploy/nginx/ > gl-code-quality-report.json
  cat app.conf | wslint lint --stdin-filename conf.d/app.conf -
  wslint lint --config ci/wslint.yaml --disable WS201 nginx.conf`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			selected, opts, err := rf.setup()
			if err != nil {
				return err
			}
			if rf.cfg != nil && rf.cfg.FailOn != "" && !rf.changed("fail-on") {
				failOn = rf.cfg.FailOn
			}
			if _, err := exitFor(nil, failOn); err != nil {
				return err
			}
			if !contains(formats, format) {
				return usageErr("--format %q: want %s", format, strings.Join(formats, ", "))
			}
			useColor, err := colorEnabled(color, cmd.OutOrStdout())
			if err != nil {
				return err
			}
			files, err := rf.inputs(args, cmd.InOrStdin())
			if err != nil {
				return ioErr(err)
			}
			var findings []lint.Finding
			var loaded []*source.File
			if len(files) > 0 {
				res := lint.Run(selected, lint.Input{Files: files, Kind: rf.inputKind(), Load: nginx.LoadOptions{ReadFile: rf.gc.readFile},
					Window: lint.DefaultWindow, OnWindowed: rf.gc.windowed, AfterWindow: rf.gc.afterWindow}, opts)
				findings, loaded = res.Findings, res.Files
			}
			out := cmd.OutOrStdout()
			if format == "text" {
				writeText(out, findings, useColor, quiet)
			} else if err := writeFormat(out, format, newResult(findings, loaded), quiet); err != nil {
				return err
			}
			code, _ := exitFor(findings, failOn)
			if code != exitClean {
				return &exitError{code: code}
			}
			return nil
		},
	}
	rf.register(c)
	fl := c.Flags()
	fl.StringVarP(&format, "format", "f", "text", "output format: "+strings.Join(formats, ", "))
	fl.StringVar(&failOn, "fail-on", "warning", "lowest severity that makes the exit status 1: error, warning, info or never (default: fail_on of .wslint.yaml, else warning)")
	fl.StringVar(&color, "color", "auto", "colour: auto (on a terminal, unless NO_COLOR is set), always or never")
	fl.BoolVarP(&quiet, "quiet", "q", false, "print findings only, no summary line")
	return c
}

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiBlue   = "\x1b[34m"
	ansiDim    = "\x1b[2m"
)

// outputBuffer sizes the output buffer of n findings: about a finding's
// text each (a text line and its related lines are 100-400 bytes), from 4
// KB to 64 KB, so that a short report does not allocate and clear 64 KB
// for a few lines.
func outputBuffer(n int) int { return min(64<<10, max(4<<10, n*512)) }

// writeText prints findings grouped by file, one per line, as
// file:line:col: severity WSxxx message [name].
func writeText(out io.Writer, findings []lint.Finding, color, quiet bool) {
	w := bufio.NewWriterSize(out, outputBuffer(len(findings))) // one write per finding line would be a syscall each
	defer w.Flush()
	paint := func(code, s string) string {
		if !color {
			return s
		}
		return code + s + ansiReset
	}
	var last *source.File
	var errors, warnings, infos int
	for _, f := range findings {
		if last != nil && f.Span.File != last {
			fmt.Fprintln(w)
		}
		last = f.Span.File
		p := lint.PositionOf(f.Span)
		sev := f.Severity.String()
		switch f.Severity {
		case lint.Error:
			sev = paint(ansiRed+ansiBold, sev)
			errors++
		case lint.Warning:
			sev = paint(ansiYellow, sev)
			warnings++
		default:
			sev = paint(ansiBlue, sev)
			infos++
		}
		fmt.Fprintf(w, "%s:%d:%d: %s %s %s %s\n", paint(ansiBold, p.File), p.Line, p.Column, sev, f.RuleID, f.Message, paint(ansiDim, "["+f.Name+"]"))
		for _, r := range f.Related {
			rp := lint.PositionOf(r.Span)
			fmt.Fprintf(w, "    %s:%d:%d: %s\n", rp.File, rp.Line, rp.Column, r.Message)
		}
		if len(f.Fixes) > 0 {
			fx := f.Fixes[0]
			fmt.Fprintf(w, "    fix (%s): %s\n", fx.Applies, fx.Message)
		}
	}
	if !quiet && len(findings) > 0 {
		fmt.Fprintf(w, "\n%d %s, %d %s, %d info\n", errors, plural(errors, "error", "errors"), warnings, plural(warnings, "warning", "warnings"), infos)
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
