package web

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"syscall"
	"testing"
	"time"

	gojson "github.com/goccy/go-json"
	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/source"
	"github.com/wslint/wslint/rules"
)

// BenchmarkLintHandler is POST /api/v1/lint of the 2 KB bench config through
// the whole router, in process; BenchmarkLintEngine is lint.Run alone.
func BenchmarkLintHandler(b *testing.B) { benchPost(b, "/api/v1/lint") }

// BenchmarkFixHandler is POST /api/v1/fix of the same config (its fixes
// take two rounds, and a syntax check of the fixed text).
func BenchmarkFixHandler(b *testing.B) { benchPost(b, "/api/v1/fix") }

func benchPost(b *testing.B, path string) {
	h := newServer(b, Options{})
	conf := readFixture(b, "testdata/web/bench-2k.conf")
	body, _ := json.Marshal(map[string]any{"config": conf, "filename": "bench.conf"})
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	defer reportCPU(b)()
	for b.Loop() {
		req := httptest.NewRequest("POST", path, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("status %d", rec.Code)
		}
	}
}

func BenchmarkLintEngine(b *testing.B) {
	conf := readFixture(b, "testdata/web/bench-2k.conf")
	sel, _ := rules.Registry.Select(false, nil, nil)
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		f := source.NewFile("bench.conf", []byte(conf))
		res := lint.Run(sel, lint.Input{Files: []*source.File{f}, Load: noFiles}, lint.DefaultOptions())
		lint.NewReport(res.Findings, len(res.Files))
	}
}

// BenchmarkRulesHandler is the router's fixed cost: GET /api/v1/rules/WS104
// (no body, no engine).
func BenchmarkRulesHandler(b *testing.B) {
	h := newServer(b, Options{})
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		req := httptest.NewRequest("GET", "/api/v1/rules/WS104", nil)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
	}
}

// BenchmarkDecode is reading, schema-validating and decoding the lint
// request of the 2 KB bench config.
func BenchmarkDecode(b *testing.B) {
	a, err := newAPI(Options{MaxBody: DefaultMaxBody, Concurrency: 1})
	if err != nil {
		b.Fatal(err)
	}
	conf := readFixture(b, "testdata/web/bench-2k.conf")
	body, _ := json.Marshal(map[string]any{"config": conf, "filename": "bench.conf"})
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		req := httptest.NewRequest("POST", "/api/v1/lint", bytes.NewReader(body))
		var lr lintRequest
		if e := decodeBody(httptest.NewRecorder(), req, DefaultMaxBody, a.schemas[lintSchema], &lr); e != nil {
			b.Fatal(e)
		}
	}
}

// reportCPU adds the process's CPU time per iteration (user and system,
// every thread: the GC's included) as cpu-ns/op, which other work on the
// machine inflates much less than ns/op. Call as `defer reportCPU(b)()`
// just before the loop.
func reportCPU(b *testing.B) func() {
	start := cpuTime()
	return func() {
		if b.N > 0 {
			b.ReportMetric(float64((cpuTime()-start).Nanoseconds())/float64(b.N), "cpu-ns/op")
		}
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkEncodeReport is encoding the lint answer of the 2 KB bench
// config: go-json (encodeJSON, what writeJSON does) against json.Encoder
// with SetIndent (what the CLI does).
func BenchmarkEncodeReport(b *testing.B) {
	conf := readFixture(b, "testdata/web/bench-2k.conf")
	sel, _ := rules.Registry.Select(false, nil, nil)
	f := source.NewFile("bench.conf", []byte(conf))
	res := lint.Run(sel, lint.Input{Files: []*source.File{f}, Load: noFiles}, lint.DefaultOptions())
	report := lint.NewReport(res.Findings, len(res.Files))
	b.Run("go-json", func(b *testing.B) {
		b.ReportAllocs()
		var buf bytes.Buffer
		for b.Loop() {
			buf.Reset()
			encodeJSON(&buf, report)
		}
		b.SetBytes(int64(buf.Len()))
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		var buf bytes.Buffer
		for b.Loop() {
			buf.Reset()
			enc := json.NewEncoder(&buf)
			enc.SetIndent("", "  ")
			enc.SetEscapeHTML(false)
			enc.Encode(report)
		}
	})
}

// BenchmarkParseBody is decoding the lint request of the 2 KB bench config
// for the schema: go-json against json.Unmarshal into `any`.
func BenchmarkParseBody(b *testing.B) {
	conf := readFixture(b, "testdata/web/bench-2k.conf")
	body, _ := json.Marshal(map[string]any{"config": conf, "filename": "bench.conf"})
	for _, lib := range []struct {
		name      string
		unmarshal func([]byte, any) error
	}{{"go-json", gojson.Unmarshal}, {"encoding-json", json.Unmarshal}} {
		b.Run(lib.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				var v any
				if err := lib.unmarshal(body, &v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
