package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// `fix -w` is crash safe (issue 6): the real binary, killed with SIGKILL
// between writing the new bytes and renaming them over the file (the
// WSLINT_TEST_CRASH hook in write.go), leaves the original byte for byte
// with its mode; at most a hidden `.<name>.wslint-*` temporary file
// remains, which nginx's include globs and wslint's directory walk skip and
// which a later `fix -w` leaves alone.

// A fixable configuration: WS101 adds the upgrade headers (a safe fix).
// crashConf has an http-level context, so the upgrade map can be added and
// `wslint fix` has a safe fix to write.
const crashConf = "server {\n    listen 80;\n    location /ws/ {\n        proxy_pass http://127.0.0.1:8000;\n    }\n}\n"

func buildWslint(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "wslint")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// runBin runs the binary with extra environment variables.
func runBin(t *testing.T, bin string, env []string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	return o.String(), e.String(), err
}

// leftovers returns the names in dir other than keep.
func leftovers(t *testing.T, dir string, keep ...string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
next:
	for _, e := range entries {
		for _, k := range keep {
			if e.Name() == k {
				continue next
			}
		}
		out = append(out, e.Name())
	}
	return out
}

func TestFixWriteCrashSafety(t *testing.T) {
	bin := buildWslint(t)
	// What a complete fix writes.
	src := filepath.Join(t.TempDir(), "app.conf")
	if err := os.WriteFile(src, []byte(crashConf), 0o644); err != nil {
		t.Fatal(err)
	}
	fixed, stderr, err := runBin(t, bin, nil, "fix", src)
	if err != nil || fixed == crashConf || !strings.Contains(fixed, "proxy_set_header Upgrade") {
		t.Fatalf("wslint fix: %v %s\n%s", err, stderr, fixed)
	}

	for _, point := range []string{"after-write", "before-rename"} {
		t.Run("SIGKILL "+point, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "app.conf")
			if err := os.WriteFile(path, []byte(crashConf), 0o640); err != nil {
				t.Fatal(err)
			}
			os.Chmod(path, 0o640) // whatever the umask
			_, stderr, err := runBin(t, bin, []string{"WSLINT_TEST_CRASH=" + point}, "fix", "-w", path)
			var ee *exec.ExitError
			if !errors.As(err, &ee) || !ee.Sys().(syscall.WaitStatus).Signaled() || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				t.Fatalf("want the process killed by SIGKILL at %s, got %v (%s)", point, err, stderr)
			}
			// The original is intact: same bytes, same mode, still a regular file.
			st, err := os.Lstat(path)
			if err != nil || !st.Mode().IsRegular() || st.Mode().Perm() != 0o640 {
				t.Fatalf("after the crash: %v, mode %v", err, st.Mode())
			}
			if b, _ := os.ReadFile(path); string(b) != crashConf {
				t.Fatalf("the original changed:\n%s", b)
			}
			// At most the hidden temporary file remains; the new bytes are
			// in it, never in a file nginx would read.
			left := leftovers(t, dir, "app.conf")
			if len(left) != 1 || !strings.HasPrefix(left[0], ".app.conf.wslint-") {
				t.Fatalf("after the crash the directory holds %v; want one hidden .app.conf.wslint-* file", left)
			}
			tmp, _ := os.ReadFile(filepath.Join(dir, left[0]))
			if point == "before-rename" && string(tmp) != fixed {
				t.Errorf("the synced temporary file is not the complete fix:\n%s", tmp)
			}

			// Neither lint nor a later fix -w is bothered by the leftover.
			if out, stderr, err := runBin(t, bin, nil, "lint", "--fail-on", "never", dir); err != nil || strings.Contains(out+stderr, ".wslint-") {
				t.Fatalf("lint of the directory after the crash: %v\n%s%s", err, out, stderr)
			}
			if _, stderr, err := runBin(t, bin, nil, "fix", "-w", path); err != nil {
				t.Fatalf("fix -w after the crash: %v\n%s", err, stderr)
			}
			if b, _ := os.ReadFile(path); string(b) != fixed {
				t.Errorf("fix -w after the crash wrote:\n%s\nwant:\n%s", b, fixed)
			}
			if st, _ := os.Stat(path); st.Mode().Perm() != 0o640 {
				t.Errorf("mode after fix -w: %v, want 0640", st.Mode().Perm())
			}
			if b, _ := os.ReadFile(filepath.Join(dir, left[0])); !bytes.Equal(b, tmp) {
				t.Error("fix -w touched the leftover temporary file")
			}
			if again := leftovers(t, dir, "app.conf"); len(again) != 1 || again[0] != left[0] {
				t.Errorf("after fix -w the directory holds %v; want only the earlier leftover %s", again, left[0])
			}
		})
	}

	t.Run("mode and owner kept", func(t *testing.T) {
		if os.Geteuid() != 0 {
			t.Skip("giving a file to another uid/gid needs root")
		}
		dir := t.TempDir()
		path := filepath.Join(dir, "app.conf")
		os.WriteFile(path, []byte(crashConf), 0o640)
		os.Chmod(path, 0o640)
		const uid, gid = 4242, 4343 // need not exist
		if err := os.Chown(path, uid, gid); err != nil {
			t.Fatal(err)
		}
		if _, stderr, err := runBin(t, bin, nil, "fix", "-w", path); err != nil {
			t.Fatalf("fix -w: %v\n%s", err, stderr)
		}
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		sys := st.Sys().(*syscall.Stat_t)
		if st.Mode().Perm() != 0o640 || sys.Uid != uid || sys.Gid != gid {
			t.Errorf("after fix -w: mode %v uid %d gid %d; want 0640 %d %d", st.Mode().Perm(), sys.Uid, sys.Gid, uid, gid)
		}
		if b, _ := os.ReadFile(path); string(b) != fixed {
			t.Errorf("fix -w wrote:\n%s", b)
		}
		if left := leftovers(t, dir, "app.conf"); len(left) != 0 {
			t.Errorf("fix -w left %v", left)
		}
	})

	t.Run("a symlink is written through", func(t *testing.T) {
		// sites-enabled/app -> ../sites-available/app, as Debian sets it up.
		dir := t.TempDir()
		avail, enabled := filepath.Join(dir, "sites-available"), filepath.Join(dir, "sites-enabled")
		os.Mkdir(avail, 0o755)
		os.Mkdir(enabled, 0o755)
		target := filepath.Join(avail, "app.conf")
		os.WriteFile(target, []byte(crashConf), 0o644)
		link := filepath.Join(enabled, "app.conf")
		if err := os.Symlink("../sites-available/app.conf", link); err != nil {
			t.Fatal(err)
		}
		if _, stderr, err := runBin(t, bin, nil, "fix", "-w", link); err != nil {
			t.Fatalf("fix -w: %v\n%s", err, stderr)
		}
		if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
			t.Fatalf("the link was replaced: %v %v", err, st.Mode())
		}
		if b, _ := os.ReadFile(target); string(b) != fixed {
			t.Errorf("the link's target was not fixed:\n%s", b)
		}
		if left := leftovers(t, enabled, "app.conf"); len(left) != 0 {
			t.Errorf("sites-enabled holds %v", left)
		}
	})
}
