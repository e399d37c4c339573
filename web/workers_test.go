package web

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// An engine panic is re-raised on the request's goroutine and frees its
// slot; the worker that recovered it takes the next job.
func TestRunPanicThenReuse(t *testing.T) {
	a, err := newAPI(Options{MaxBody: DefaultMaxBody, Concurrency: 1, BacklogTimeout: DefaultBacklogTimeout})
	if err != nil {
		t.Fatal(err)
	}
	run := func(fn func()) (ok bool, panicked any) {
		defer func() { panicked = recover() }()
		req := httptest.NewRequest("POST", "/api/v1/lint", nil)
		return a.run(httptest.NewRecorder(), req, fn), nil
	}
	if _, p := run(func() { panic("kaboom") }); p == nil || !strings.Contains(p.(string), "kaboom") || !strings.Contains(p.(string), "engine stack") {
		t.Fatalf("panic not re-raised with the engine's stack: %v", p)
	}
	for i := range 3 { // one slot: each run needs the previous one's back
		ran := false
		if ok, p := run(func() { ran = true }); !ok || p != nil || !ran {
			t.Fatalf("run %d after the panic: ok %v, panic %v, ran %v", i, ok, p, ran)
		}
	}
}
