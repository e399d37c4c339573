package lint

import (
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
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
}

// Result is the outcome of a run.
type Result struct {
	// Files are all files read (includes too), for positions and summaries.
	Files    []*source.File
	Findings []Finding
}

// Run lints the input with the given rules: the single entry point of the
// CLI and the web service, so that both answer the same for the same input.
func Run(rules []*Rule, in Input, opts *Options) *Result {
	cfg := nginx.Load(in.Files, in.Load)
	return &Result{Files: cfg.Files, Findings: RunNginx(rules, cfg, opts)}
}

// FixInput applies fixes at or above level to the input (see FixNginx).
func FixInput(rules []*Rule, in Input, opts *Options, level Applicability) *FixResult {
	return FixNginx(rules, in.Files, in.Load, opts, level)
}
