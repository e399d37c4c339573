package main

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"
)

// TestGCBudget: a large input turns the collector off with a memory limit
// that grows with the input read; the first collection restores GOGC=200
// and removes the limit; a small input changes nothing.
func TestGCBudget(t *testing.T) {
	limit, pct := gcSettings(t)

	var small gcBudget
	small.add(gcFreeMin - 1)
	if pct() != gcPercent || limit() != math.MaxInt64 {
		t.Fatalf("small input: GOGC %d, limit %d; want them unchanged", pct(), limit())
	}

	var b gcBudget
	b.add(gcFreeMin)
	if pct() != -1 {
		t.Fatalf("large input: GOGC %d, want off", pct())
	}
	if want := int64(gcFreeBase + gcFreePerByte*gcFreeMin); limit() != want {
		t.Fatalf("limit %d, want %d", limit(), want)
	}
	b.add(gcFreeMin) // an included file
	if want := int64(gcFreeBase + gcFreePerByte*2*gcFreeMin); limit() != want {
		t.Fatalf("limit after an include %d, want %d", limit(), want)
	}
	b.add(gcFreeMax) // past the ceiling
	if limit() != gcFreeMax {
		t.Fatalf("limit %d, want the ceiling %d", limit(), int64(gcFreeMax))
	}

	runtime.GC()
	for deadline := time.Now().Add(10 * time.Second); !b.collected.Load(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the first collection did not restore the settings")
		}
		runtime.GC()
	}
	if pct() != gcPercent || limit() != math.MaxInt64 {
		t.Fatalf("after a collection: GOGC %d, limit %d; want %d and none", pct(), limit(), gcPercent)
	}
	b.add(gcFreeMin) // more input after that changes nothing
	if pct() != gcPercent || limit() != math.MaxInt64 {
		t.Fatalf("input after a collection: GOGC %d, limit %d", pct(), limit())
	}
}

// gcSettings starts a test of the collector's policy as main runs it
// (gcBudgets, GOGC 200, no limit, no GOGC or GOMEMLIMIT set), restores the
// settings after it, and returns functions that read them.
func gcSettings(t *testing.T) (limit func() int64, pct func() int) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	oldPct := debug.SetGCPercent(gcPercent)
	oldLimit := debug.SetMemoryLimit(math.MaxInt64)
	gcBudgets = true
	t.Cleanup(func() {
		gcBudgets = false
		debug.SetGCPercent(oldPct)
		debug.SetMemoryLimit(oldLimit)
	})
	limit = func() int64 { return debug.SetMemoryLimit(-1) } // -1 reads it
	pct = func() int { p := debug.SetGCPercent(gcPercent); debug.SetGCPercent(p); return p }
	return limit, pct
}

// TestGCWindowed: a windowed lint turns the collector off with a safety
// limit of windowLimitPerByte times the input, the first collection's
// cleanup does not undo that, and going whole after all restores the
// usual settings.
func TestGCWindowed(t *testing.T) {
	limit, pct := gcSettings(t)

	var b gcBudget
	b.add(100 << 20) // a large input: the collector is off until its budget
	b.windowed(true)
	if want := int64(windowLimitPerByte * (100 << 20)); pct() != -1 || limit() != want {
		t.Fatalf("windowed: GOGC %d, limit %d; want off and %d", pct(), limit(), want)
	}
	runtime.GC() // the budget's sentinel dies: its cleanup must leave the settings
	for i := 0; i < 20; i++ {
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
	if pct() != -1 {
		t.Fatalf("after a collection: GOGC %d, want still off", pct())
	}
	b.add(1 << 20) // an include read in a window changes nothing
	if want := int64(windowLimitPerByte * (100 << 20)); limit() != want {
		t.Fatalf("limit %d after more input, want %d", limit(), want)
	}
	b.windowed(false)
	if pct() != gcPercent || limit() != math.MaxInt64 {
		t.Fatalf("whole after all: GOGC %d, limit %d; want %d and none", pct(), limit(), gcPercent)
	}

	// Between windows it collects once the heap has grown enough: here,
	// by windowGrowthMin.
	b = gcBudget{n: 1 << 20}
	b.windowed(true)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	before := ms.NumGC
	keep := make([][]byte, 0, 64)
	for i := 0; i < 64; i++ {
		keep = append(keep, make([]byte, 64<<10)) // 4 MB more than after the last collection
	}
	b.afterGC = 0
	b.afterWindow()
	runtime.ReadMemStats(&ms)
	if ms.NumGC == before {
		t.Fatal("afterWindow did not collect a heap grown past its budget")
	}
	before = ms.NumGC
	b.afterWindow()
	runtime.ReadMemStats(&ms)
	if ms.NumGC != before {
		t.Fatal("afterWindow collected again with nothing new")
	}
	runtime.KeepAlive(keep)
	b.windowed(false)

	t.Setenv("GOGC", "50") // the user's choice wins
	debug.SetGCPercent(50)
	var u gcBudget
	u.windowed(true)
	if pct() != 50 {
		t.Fatalf("GOGC set: the windowed lint changed it to %d", pct())
	}
}

// TestCPUProfile: WSLINT_CPUPROFILE writes a profile pprof reads (gzip
// data), and an unwritable path is reported, not fatal.
func TestCPUProfile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cpu.pprof")
	var stderr bytes.Buffer
	stop := startCPUProfile(path, &stderr)
	stop()
	b, err := os.ReadFile(path)
	if err != nil || len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		t.Fatalf("profile %q: %v, %d bytes; want gzip data", path, err, len(b))
	}
	if stderr.Len() != 0 {
		t.Fatalf("stderr: %s", stderr.String())
	}
	stop = startCPUProfile(filepath.Join(t.TempDir(), "missing", "cpu.pprof"), &stderr)
	stop()
	if !strings.Contains(stderr.String(), "WSLINT_CPUPROFILE") {
		t.Fatalf("an unwritable profile path is not reported: %q", stderr.String())
	}
	startCPUProfile("", &stderr)() // unset: nothing to start, nothing to stop
}
