package lint

import (
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
	"github.com/wslint/wslint/lint/unit"
)

// Kind selects how input files are read.
type Kind int

const (
	KindAuto  Kind = iota // by content: Unit JSON or nginx
	KindNginx             // every file is nginx
	KindUnit              // every file is NGINX Unit JSON
)

// Input is what one run lints: the files the user named and how to read them.
type Input struct {
	Files []*source.File
	Kind  Kind
	// Load controls how nginx includes are followed.
	Load nginx.LoadOptions
	// Window, when not 0, lets Run lint a large nginx configuration in
	// windows of about this many bytes of server blocks (RunWindowed), so
	// that its memory does not grow with the configuration (the CLI; the
	// web service's inputs are small). OnWindowed, when set, is called
	// with true once Run goes windowed, and with false if it then lints
	// whole after all.
	Window     int
	OnWindowed func(on bool)
	// AfterWindow, when set, is called after each window of a windowed
	// lint, when what the window built is dead (the CLI collects then).
	AfterWindow func()
}

// Result is the outcome of a run.
type Result struct {
	// Files are all files read (includes too), for positions and summaries.
	Files    []*source.File
	Findings []Finding
}

// Run lints the input with the given rules: the single entry point of the
// CLI and the web service, so that both answer the same for the same input.
//
// Files are read as in.Kind says (see IsUnitFile): the nginx files are
// loaded together as one configuration, each Unit file on its own; the
// findings of both are merged, files in input order.
func Run(rules []*Rule, in Input, opts *Options) *Result {
	ngx, units, isUnit := splitInput(in)
	if in.Window > 0 && len(units) == 0 && worthWindows(ngx, in.Window) {
		if res, ok := RunWindowed(rules, Input{Files: ngx, Load: in.Load, OnWindowed: in.OnWindowed, AfterWindow: in.AfterWindow}, opts, in.Window); ok {
			return res
		}
	}
	var findings []Finding
	var ngxFiles []*source.File
	if len(ngx) > 0 {
		// Several main configurations (two nginx.conf files) are linted
		// apart: their maps, upstreams and main settings are not shared.
		groups := nginx.Group(ngx, in.Load)
		for _, cfg := range groups {
			if opts.stopped() {
				break
			}
			ngxFiles = append(ngxFiles, cfg.Files...)
			findings = append(findings, RunNginx(rules, cfg, opts)...)
		}
		if len(groups) == 1 && len(units) == 0 {
			return &Result{Files: ngxFiles, Findings: findings} // RunNginx sorted them
		}
	}
	if len(units) == 0 {
		return &Result{Files: ngxFiles, Findings: Sort(findings, ngxFiles)}
	}
	for _, f := range units {
		if opts.stopped() {
			break
		}
		findings = append(findings, RunUnit(rules, unit.Load(f), opts)...)
	}
	files := mergeFiles(in.Files, isUnit, ngxFiles, units, len(ngx))
	return &Result{Files: files, Findings: Sort(findings, files)}
}

// FixInput applies fixes at or above level to the input: nginx files with
// FixNginx, Unit files with FixUnit (files read as Run reads them).
func FixInput(rules []*Rule, in Input, opts *Options, level Applicability) *FixResult {
	ngx, units, isUnit := splitInput(in)
	res := &FixResult{Changed: map[string][]byte{}}
	if len(ngx) > 0 {
		for _, cfg := range nginx.Group(ngx, in.Load) {
			r := FixNginx(rules, cfg.Roots, in.Load, opts, level)
			for path, b := range r.Changed {
				res.Changed[path] = b
			}
			res.Applied = append(res.Applied, r.Applied...)
			res.Files = append(res.Files, r.Files...)
			res.Remaining = append(res.Remaining, r.Remaining...)
		}
		res.Remaining = Sort(res.Remaining, res.Files)
	}
	if len(units) == 0 {
		return res
	}
	u := FixUnit(rules, units, opts, level)
	for path, b := range u.Changed {
		res.Changed[path] = b
	}
	res.Applied = append(res.Applied, u.Applied...)
	res.Files = mergeFiles(in.Files, isUnit, res.Files, u.Files, len(ngx))
	res.Remaining = Sort(append(res.Remaining, u.Remaining...), res.Files)
	return res
}
