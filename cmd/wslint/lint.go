package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"
	"github.com/wslint/wslint/lint"
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

Exit status: 0 nothing at or above --fail-on, 1 findings at or above it,
2 usage or I/O error, 3 internal error.`,
		Example: `  wslint lint /etc/nginx/nginx.conf
  wslint lint --ws-path /ws --nginx-version 1.30.0 conf.d/app.conf
  wslint lint --format json --fail-on error deploy/nginx/
  wslint lint --disable WS201 --enable WS203 nginx.conf`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			selected, opts, err := rf.setup()
			if err != nil {
				return err
			}
			if _, err := exitFor(nil, failOn); err != nil {
				return err
			}
			useColor, err := colorEnabled(color, cmd.OutOrStdout())
			if err != nil {
				return err
			}
			files, err := readInputs(args, cmd.InOrStdin(), rf.stdinFilename)
			if err != nil {
				return ioErr(err)
			}
			res := lint.Run(selected, lint.Input{Files: files}, opts)
			findings := res.Findings
			out := cmd.OutOrStdout()
			switch format {
			case "text", "":
				writeText(out, findings, useColor, quiet)
			case "json":
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				if err := enc.Encode(lint.NewReport(findings, len(res.Files))); err != nil {
					return ioErr(err)
				}
			default:
				return usageErr("--format %q: want text or json", format)
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
	fl.StringVarP(&format, "format", "f", "text", "output format: text or json")
	fl.StringVar(&failOn, "fail-on", "warning", "lowest severity that makes the exit status 1: error, warning, info or never")
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

// writeText prints findings grouped by file, one per line, as
// file:line:col: severity WSxxx message [name].
func writeText(w io.Writer, findings []lint.Finding, color, quiet bool) {
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
