package web

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"testing"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/source"
	"github.com/wslint/wslint/rules"
)

// BenchmarkLintHandler is POST /api/v1/lint of the 2 KB bench config through
// the whole router, in process; BenchmarkLintEngine is lint.Run alone.
func BenchmarkLintHandler(b *testing.B) {
	h := newServer(b, Options{})
	conf := readFixture(b, "testdata/web/bench-2k.conf")
	body, _ := json.Marshal(map[string]any{"config": conf, "filename": "bench.conf"})
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		req := httptest.NewRequest("POST", "/api/v1/lint", bytes.NewReader(body))
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
	for b.Loop() {
		req := httptest.NewRequest("POST", "/api/v1/lint", bytes.NewReader(body))
		var lr lintRequest
		if e := decodeBody(httptest.NewRecorder(), req, DefaultMaxBody, a.schemas[lintSchema], &lr); e != nil {
			b.Fatal(e)
		}
	}
}
