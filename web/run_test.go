package web

import (
	"context"
	"net/http/httptest"
	"testing"
)

// An engine panic reaches the caller (the Recoverer) and gives its slot
// back: with one slot, the runs after it still get theirs.
func TestRunPanicFreesSlot(t *testing.T) {
	a, err := newAPI(Options{MaxBody: DefaultMaxBody, Concurrency: 1, BacklogTimeout: DefaultBacklogTimeout})
	if err != nil {
		t.Fatal(err)
	}
	run := func(ctx context.Context, fn func()) (ok bool, panicked any) {
		defer func() { panicked = recover() }()
		req := httptest.NewRequestWithContext(ctx, "POST", "/api/v1/lint", nil)
		return a.run(httptest.NewRecorder(), req, fn), nil
	}
	if _, p := run(context.Background(), func() { panic("kaboom") }); p != "kaboom" {
		t.Fatalf("panic not passed on: %v", p)
	}
	for i := range 3 { // one slot: each run needs the previous one's back
		ran := false
		if ok, p := run(context.Background(), func() { ran = true }); !ok || p != nil || !ran {
			t.Fatalf("run %d after the panic: ok %v, panic %v, ran %v", i, ok, p, ran)
		}
	}
	// A run whose request gave up during it reports so (the Timeout
	// middleware then answers 504), and frees its slot too.
	ctx, cancel := context.WithCancel(context.Background())
	if ok, _ := run(ctx, cancel); ok {
		t.Error("a run cancelled while it ran reported that it finished in time")
	}
	if ok, _ := run(context.Background(), func() {}); !ok {
		t.Error("no slot after a cancelled run")
	}
}
