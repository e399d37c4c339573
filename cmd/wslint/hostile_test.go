package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// Hostile inputs end in a clear message and exit 2, or in findings; never
// in a hang, a stack trace or a silent pass.
func TestHostileCLIInputs(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.conf")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty")
	os.Mkdir(empty, 0o755)
	deep := filepath.Join(dir, "deep.conf")
	os.WriteFile(deep, []byte(strings.Repeat("a {", 100000)+strings.Repeat("}", 100000)), 0o644)
	cases := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"fifo", []string{"lint", fifo}, exitUsage, "not a regular file"},
		{"directory without configs", []string{"lint", empty}, exitUsage, "no nginx or Unit configuration files found"},
		{"100k-deep nesting", []string{"lint", deep}, exitFindings, "nested deeper than"},
		{"a directory where fix wants one file", []string{"fix", filepath.Join("..", "..", "testdata", "rules", "WS104")}, exitUsage, "use -w or -d"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, stderr, code := wslint(t, "", c.args...)
			if code != c.code || !strings.Contains(out+stderr, c.msg) {
				t.Errorf("exit %d, output %q %q; want exit %d with %q", code, out, stderr, c.code, c.msg)
			}
			if strings.Contains(stderr, "goroutine ") {
				t.Error("stack trace")
			}
		})
	}
}
