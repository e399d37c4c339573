package web

// A CPU profile of the service under the load of `make bench-api`, with the
// server's and the client's work told apart by pprof labels:
//
//	WSLINT_PROFILE_API=/tmp/api.pprof go test -count=1 -run '^TestProfileAPI$' -v ./web/
//	go tool pprof -tagfocus side=server -top /tmp/api.pprof
//
// The server is built as `wslint serve` builds it (text access log on a
// drained pipe, GCPercent under MemoryLimit, the same http.Server
// timeouts); WSLINT_BENCH_N and WSLINT_BENCH_C set the load as in
// TestLoadAPI.

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"runtime/pprof"
	"testing"
	"time"
)

func TestProfileAPI(t *testing.T) {
	out := os.Getenv("WSLINT_PROFILE_API")
	if out == "" {
		t.Skip("set WSLINT_PROFILE_API=file.pprof")
	}
	n, c := benchLoad(20_000)
	defer debug.SetGCPercent(debug.SetGCPercent(GCPercent))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(MemoryLimit))

	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pw.Close()
	go io.Copy(io.Discard, pr)
	logger := slog.New(slog.NewTextHandler(pw, nil))
	h := newServer(t, Options{Logger: logger})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 15 * time.Second,
		WriteTimeout: 15 * time.Second, IdleTimeout: 60 * time.Second, MaxHeaderBytes: 64 << 10}
	go pprof.Do(context.Background(), pprof.Labels("side", "server"), func(context.Context) { srv.Serve(ln) })
	defer srv.Close()

	conf := readFixture(t, "testdata/web/bench-2k.conf")
	body, _ := json.Marshal(map[string]any{"config": conf, "filename": "bench.conf"})
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: c, MaxConnsPerHost: c, DisableCompression: true}}
	url := "http://" + ln.Addr().String() + "/api/v1/lint"
	check := func(status int, b []byte) error {
		if status != 200 {
			t.Errorf("status %d: %.200s", status, b)
		}
		return nil
	}
	var r loadResult
	pprof.Do(context.Background(), pprof.Labels("side", "client"), func(context.Context) {
		load(client, url, body, min(n/10, 5000), c, check)
		f, err := os.Create(out)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			t.Fatal(err)
		}
		r = load(client, url, body, n, c, check)
		pprof.StopCPUProfile()
	})
	t.Logf("%d requests, %d clients: %.0f req/s, p50 %v, p99 %v, errors %d", n, c, r.rps(), r.p50, r.p99, r.errors)
}
