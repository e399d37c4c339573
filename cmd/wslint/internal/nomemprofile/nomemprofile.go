// Package nomemprofile turns the Go runtime's heap-profile sampling off
// before the other packages of wslint initialize, when the user has not
// chosen a rate (GODEBUG=memprofilerate=N).
//
// wslint never writes a heap profile, but runtime/pprof is linked (for
// WSLINT_CPUPROFILE, and through chi's middleware package), so the runtime
// samples one allocation in 512 KB and unwinds its stack; the deep
// recursion of jsonschema's meta-schema compilation at program start makes
// that about 0.35M instructions of a 10-server lint's 19.4M (callgrind;
// docs/performance.md). A blank import from package main is enough: Go
// initializes a package as soon as the packages it imports are, in
// import-path order, and this one imports only runtime, so it runs before
// jsonschema's init.
//
// A test binary of package main (go test -memprofile) has the same rate:
// give it -test.memprofilerate.
package nomemprofile

import "runtime"

// defaultRate is the runtime's MemProfileRate when GODEBUG does not set it.
const defaultRate = 512 * 1024

func init() {
	if runtime.MemProfileRate == defaultRate {
		runtime.MemProfileRate = 0
	}
}
