// Package lazyre holds regular expressions compiled on first use, so that
// a program start does not pay for the patterns of paths it does not take
// (the CLI starts for every lint: docs/performance.md). Every pattern is
// recorded, and CompileAll, which a test calls, proves they all compile.
package lazyre

import (
	"regexp"
	"sync"
)

var (
	mu       sync.Mutex
	patterns []string
)

// New returns a function that compiles expr on its first call and returns
// the same *regexp.Regexp on every call.
func New(expr string) func() *regexp.Regexp {
	mu.Lock()
	patterns = append(patterns, expr)
	mu.Unlock()
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}

// CompileAll compiles every pattern given to New so far and returns the
// first error.
func CompileAll() error {
	mu.Lock()
	defer mu.Unlock()
	for _, p := range patterns {
		if _, err := regexp.Compile(p); err != nil {
			return err
		}
	}
	return nil
}

// Count is the number of patterns given to New so far.
func Count() int {
	mu.Lock()
	defer mu.Unlock()
	return len(patterns)
}
