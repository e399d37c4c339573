package rules

import (
	"bytes"
	"fmt"
	"os"
	"testing"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/linttest/confgen"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
)

var benchSizes = []int{1000, 10000, 50000}

func benchConfig(b *testing.B, n int) []byte {
	b.Helper()
	var buf bytes.Buffer
	if err := confgen.Servers(&buf, n); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkModel: the semantic model (servers, locations, inheritance
// levels, handlers, WebSocket evidence) over a loaded configuration.
func BenchmarkModel(b *testing.B) {
	for _, n := range benchSizes {
		data := benchConfig(b, n)
		b.Run(fmt.Sprintf("servers=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				cfg := nginx.Load([]*source.File{source.NewFile("nginx.conf", data)}, nginx.LoadOptions{})
				cfg.CrossCheck()
				b.StartTimer()
				cfg.Freeze()
				if ws := cfg.WebSocketLocations(nginx.WSOptions{Endpoint: lint.DefaultOptions().Endpoint}); len(ws) < n {
					b.Fatalf("%d WebSocket locations, want at least %d", len(ws), n)
				}
			}
		})
	}
}

// BenchmarkRules: every default rule over a loaded configuration.
func BenchmarkRules(b *testing.B) {
	selected, _ := Registry.Select(false, nil, nil)
	for _, n := range benchSizes {
		data := benchConfig(b, n)
		b.Run(fmt.Sprintf("servers=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				cfg := nginx.Load([]*source.File{source.NewFile("nginx.conf", data)}, nginx.LoadOptions{})
				cfg.CrossCheck()
				b.StartTimer()
				lint.RunNginx(selected, cfg, lint.DefaultOptions())
			}
		})
	}
}

// BenchmarkLint: a whole lint.Run (parse, cross-check, model, rules), in
// one file and split over include files, and windowed as the CLI runs it
// (the Go collector's usual policy here, not the CLI's: see gc.go).
func BenchmarkLint(b *testing.B) {
	selected, _ := Registry.Select(false, nil, nil)
	for _, n := range benchSizes {
		data := benchConfig(b, n)
		b.Run(fmt.Sprintf("servers=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				res := lint.Run(selected, lint.Input{Files: []*source.File{source.NewFile("nginx.conf", data)}}, lint.DefaultOptions())
				if len(res.Files) != 1 {
					b.Fatal("files")
				}
			}
		})
		b.Run(fmt.Sprintf("servers=%d/windowed", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				in := lint.Input{Files: []*source.File{source.NewFile("nginx.conf", data)}, Window: lint.DefaultWindow}
				if res := lint.Run(selected, in, lint.DefaultOptions()); len(res.Files) != 1 {
					b.Fatal("files")
				}
			}
		})
		dir := b.TempDir()
		if err := confgen.Split(dir, n, 100); err != nil {
			b.Fatal(err)
		}
		main := dir + "/nginx.conf"
		b.Run(fmt.Sprintf("servers=%d/split", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				root, err := readFile(main)
				if err != nil {
					b.Fatal(err)
				}
				res := lint.Run(selected, lint.Input{Files: []*source.File{source.NewFile(main, root)}}, lint.DefaultOptions())
				if want := 1 + (n+99)/100; len(res.Files) != want {
					b.Fatalf("%d files read, want %d", len(res.Files), want)
				}
			}
		})
	}
}

func readFile(p string) ([]byte, error) { return os.ReadFile(p) }
