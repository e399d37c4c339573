package nginx_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/wslint/wslint/lint/linttest/confgen"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
)

func generated(b *testing.B, n int) []byte {
	var buf bytes.Buffer
	if err := confgen.Servers(&buf, n); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkLoad measures parsing (scan, tree, gonginx cross-check) and the
// semantic model of generated configurations.
func BenchmarkLoad(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		data := generated(b, n)
		b.Run(fmt.Sprintf("servers=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				cfg := nginx.Load([]*source.File{source.NewFile("nginx.conf", data)}, nginx.LoadOptions{})
				cfg.CrossCheck()
				if len(cfg.Problems) > 0 {
					b.Fatal(cfg.Problems[0].Message)
				}
				if got := len(cfg.Servers()); got != n {
					b.Fatalf("%d servers, want %d", got, n)
				}
			}
		})
	}
}
