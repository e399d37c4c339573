package main

import (
	"github.com/spf13/pflag"
	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
	"github.com/wslint/wslint/lint/unit"
)

// unitFlags are the NGINX Unit flags of the commands that run rules:
// --kind (how inputs are read) and --unit-version (WS506).
type unitFlags struct {
	kind        string
	unitVersion string
}

func (u *unitFlags) register(fl *pflag.FlagSet) {
	fl.StringVar(&u.kind, "kind", "auto", "how to read inputs: auto (NGINX Unit JSON by content or a .json name, else nginx), nginx or unit")
	fl.StringVar(&u.unitVersion, "unit-version", "", "target NGINX Unit version, e.g. 1.34.2 (WS506; default: unit_version of .wslint.yaml, else unknown)")
}

// apply validates the flags and sets the Unit options: --unit-version
// replaces the configuration file's unit_version.
func (u *unitFlags) apply(opts *lint.Options) error {
	if _, ok := inputKinds[u.kind]; !ok {
		return usageErr("--kind %q: want auto, nginx or unit", u.kind)
	}
	if u.unitVersion != "" {
		opts.UnitVersion = u.unitVersion
	}
	if opts.UnitVersion != "" {
		if _, err := unit.ParseVersion(opts.UnitVersion); err != nil {
			if u.unitVersion != "" {
				return usageErr("--unit-version: %v", err)
			}
			return usageErr("unit_version: %v", err)
		}
	}
	return nil
}

var inputKinds = map[string]lint.Kind{"": lint.KindAuto, "auto": lint.KindAuto, "nginx": lint.KindNginx, "unit": lint.KindUnit}

// inputKind is the lint.Kind --kind selects.
func (u *unitFlags) inputKind() lint.Kind { return inputKinds[u.kind] }

// checkParses refuses to fix input that does not parse: the nginx files
// together, each Unit file on its own (read as lint.Run reads them).
func checkParses(files []*source.File, kind lint.Kind) error {
	var ngx []*source.File
	for _, f := range files {
		if !lint.IsUnitFile(f, kind) {
			ngx = append(ngx, f)
			continue
		}
		if c := unit.Load(f); !c.SyntaxOK() && len(c.Problems) > 0 {
			p := c.Problems[len(c.Problems)-1]
			pos := lint.PositionOf(p.Span)
			return usageErr("%s:%d:%d: %s: not fixing a configuration that does not parse", pos.File, pos.Line, pos.Column, p.Message)
		}
	}
	if len(ngx) == 0 {
		return nil
	}
	cfg := nginx.Load(ngx, nginx.LoadOptions{})
	for _, p := range cfg.Problems {
		if p.Kind == nginx.ProblemSyntax {
			pos := lint.PositionOf(p.Span)
			return usageErr("%s:%d:%d: %s: not fixing a configuration that does not parse", pos.File, pos.Line, pos.Column, p.Message)
		}
	}
	return nil
}
