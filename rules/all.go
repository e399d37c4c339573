// Package rules holds wslint's rules, one per file, each with its
// documentation beside its code and its fixtures in testdata/rules/<ID>/.
package rules

import "github.com/wslint/wslint/lint"

// All is every built-in rule, sorted by ID.
var All = []*lint.Rule{
	SyntaxError,
	IncludeNotFound,
	IncludeCycle,
	IncludeNotFollowed,
	UpgradeHeadersMissing,
	InheritedHeadersDropped,
	InternalError,
}

// Registry is the validated registry of All.
var Registry = lint.MustRegistry(All...)
