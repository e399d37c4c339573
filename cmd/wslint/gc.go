package main

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
)

// The garbage collector of a short-lived lint.
//
// wslint lint and fix read their input, build its model (live until exit),
// print and exit. On a large input Go's collector would spend about a fifth
// of the process's CPU time marking that model, to reuse the memory of the
// gonginx cross-check's short-lived trees (measured on 10k servers: 0.80 s
// of user time with collection, 0.63 s without). So a large input runs
// without collection until its heap reaches a budget proportional to its
// size; from the first collection on, the collector runs as usual
// (GOGC=200), so that an input that needs more than its budget neither runs
// out of memory nor collects continuously at the limit.
//
// A large nginx configuration is linted in windows of server blocks
// (lint.RunWindowed), and then the policy is the other one (windowed):
// only the input and the findings stay live, and a collection after each
// window frees what the window built.
const (
	gcFreeMin     = 1 << 20 // inputs from this size run without collection
	gcFreeBase    = 64 << 20
	gcFreePerByte = 40      // heap budget per input byte (a lint uses about 35)
	gcFreeMax     = 2 << 30 // the budget's ceiling
	gcPercent     = 200     // the collector's setting otherwise (see main)
	// A windowed lint's memory limit (windowed): a safety net, for a
	// window that builds more than usual (one huge server block).
	windowLimitPerByte = 5
	windowLimitMin     = 64 << 20
	// A windowed lint collects when its heap has grown by this much
	// (afterWindow).
	windowGrowthPerByte = 0.15
	windowGrowthMin     = 1 << 20
)

// gcBudgets is set by main: tests run commands in their own process and
// keep its collector.
var gcBudgets = false

// gcBudget applies the policy above to one run, whose input grows as
// included files are read (add), unless GOGC or GOMEMLIMIT is set (the
// user's choice wins). The loader reads on one goroutine.
type gcBudget struct {
	perWindow bool   // windowed: collect between windows (afterWindow)
	afterGC   uint64 // the heap after afterWindow's last collection
	n         int
	free      bool        // collection is off
	collected atomic.Bool // the first collection happened: settings are back
}

// add counts n more bytes of input.
func (b *gcBudget) add(n int) {
	b.n += n
	if !gcBudgets || b.n < gcFreeMin || b.collected.Load() {
		return
	}
	if !b.free {
		if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
			return
		}
		b.free = true
		debug.SetGCPercent(-1)
		// The sentinel dies in the first collection; its cleanup restores
		// the usual settings. It holds a pointer so that it is not a tiny
		// object (the cleanup of one sharing a block with live ones may
		// never run).
		s := &struct {
			p *int
			_ [16]byte
		}{}
		runtime.AddCleanup(s, func(int) {
			if b.collected.Swap(true) {
				return // windowed has set them
			}
			debug.SetGCPercent(gcPercent)
			debug.SetMemoryLimit(math.MaxInt64)
		}, 0)
	}
	debug.SetMemoryLimit(min(int64(gcFreeBase)+gcFreePerByte*int64(b.n), gcFreeMax))
}

// readFile is os.ReadFile for the loader's includes, counted.
func (b *gcBudget) readFile(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	b.add(len(data))
	return data, err
}

// windowed is lint.Input.OnWindowed: the lint takes the input apart, one
// window of server blocks at a time, so what stays live is the input and
// the findings; what a window builds is dead when the next one starts.
// The collector then runs after each window (afterWindow), when it has
// little to mark, and otherwise only at a memory limit of
// windowLimitPerByte times the input. When the lint goes whole after all
// (on is false), the collector runs as usual.
func (b *gcBudget) windowed(on bool) {
	if !gcBudgets || os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	b.collected.Store(true) // add and the sentinel's cleanup leave the settings alone from now on
	b.perWindow = on
	if on {
		debug.SetGCPercent(-1)
		debug.SetMemoryLimit(max(windowLimitMin, windowLimitPerByte*int64(b.n)))
	} else {
		debug.SetGCPercent(gcPercent)
		debug.SetMemoryLimit(math.MaxInt64)
	}
}

// afterWindow is lint.Input.AfterWindow: it collects once the heap has
// grown by windowGrowthPerByte times the input since the last collection
// (at least windowGrowthMin): after each window or so of a 10k-server file,
// every few of a larger one, whose budget is larger.
func (b *gcBudget) afterWindow() {
	if !b.perWindow {
		return
	}
	heap := heapBytes()
	if heap-b.afterGC < max(windowGrowthMin, uint64(windowGrowthPerByte*float64(b.n))) {
		return
	}
	runtime.GC()
	b.afterGC = heapBytes()
}

// heapBytes reads the heap's size: live objects and dead ones not yet
// swept.
func heapBytes() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}
