package nomemprofile

import (
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// TestRate: sampling is off after init, unless GODEBUG chose a rate (the
// test runs itself again with one to see it kept).
func TestRate(t *testing.T) {
	if want := os.Getenv("NOMEMPROFILE_WANT"); want != "" {
		if got := strconv.Itoa(runtime.MemProfileRate); got != want {
			t.Fatalf("MemProfileRate = %s, want %s", got, want)
		}
		return
	}
	if strings.Contains(os.Getenv("GODEBUG"), "memprofilerate") {
		t.Skip("GODEBUG sets memprofilerate")
	}
	if runtime.MemProfileRate != 0 {
		t.Errorf("MemProfileRate = %d after init, want 0", runtime.MemProfileRate)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestRate$")
	cmd.Env = append(os.Environ(), "GODEBUG=memprofilerate=4096", "NOMEMPROFILE_WANT=4096")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("with GODEBUG=memprofilerate=4096: %v\n%s", err, out)
	}
}

// TestImportsOnlyRuntime: another import could order this package's init
// after jsonschema's (package doc).
func TestImportsOnlyRuntime(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{join .Imports \" \"}}", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	if got := strings.TrimSpace(string(out)); got != "runtime" {
		t.Errorf("imports %q, want only runtime", got)
	}
}
