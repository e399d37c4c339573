package rules

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/wslint/wslint/lint"
)

func TestHTimeCorpus(t *testing.T) {
	files, _ := filepath.Glob(os.Getenv("H_CORPUS") + "/*")
	for _, f := range files {
		b, _ := os.ReadFile(f)
		s := string(b)
		// go test fuzz v1\n[]byte("...")
		i := len("go test fuzz v1\n[]byte(")
		data, err := strconv.Unquote(s[i : len(s)-2])
		if err != nil {
			t.Logf("%s: %v", f, err)
			continue
		}
		start := time.Now()
		checkFix(t, lint.KindNginx, []byte(data))
		t.Logf("%s: %d bytes, %v", filepath.Base(f), len(data), time.Since(start))
	}
}
