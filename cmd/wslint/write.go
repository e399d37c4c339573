package main

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"github.com/wslint/wslint/lint/source"
)

type sourceFile = source.File

// writeAtomic replaces path with data without ever leaving a partly written
// file: the bytes go to a temporary file in the same directory, which is
// synced, given the original mode and owner, and renamed over path. A
// read-only file is refused, even for root. A symbolic link is written
// through (sites-enabled/app -> ../sites-available/app): its target is
// replaced, the link stays.
//
// A crash before the rename leaves the original untouched; at worst the
// hidden temporary file `.<name>.wslint-<random>` stays beside it, which
// nginx's `include *.conf` globs do not match and a later run ignores.
func writeAtomic(path string, data []byte) (err error) {
	target := path
	if real, err := filepath.EvalSymlinks(path); err == nil {
		target = real
	}
	st, err := os.Stat(target)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, unwrap(err))
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("write %s: not a regular file", path)
	}
	if st.Mode().Perm()&0o222 == 0 {
		return fmt.Errorf("write %s: file is read-only", path)
	}
	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".wslint-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, unwrap(err))
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	crashPoint("after-write")
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Chmod(st.Mode().Perm()); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if sys, ok := st.Sys().(*syscall.Stat_t); ok {
		_ = tmp.Chown(int(sys.Uid), int(sys.Gid)) // best effort: only root may give files away
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	crashPoint("before-rename")
	if err = os.Rename(tmp.Name(), target); err != nil {
		return fmt.Errorf("write %s: %w", path, unwrap(err))
	}
	return nil
}

// crashPoint is a test hook, and nothing else: when the environment
// variable WSLINT_TEST_CRASH names this point ("after-write": the
// temporary file is written but not synced; "before-rename": it is synced,
// has the original's mode and owner, and is closed), the process kills
// itself with SIGKILL, as a power cut or the OOM killer would stop it.
// write_test.go uses it to show that the original file survives.
func crashPoint(name string) {
	if os.Getenv("WSLINT_TEST_CRASH") == name {
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {} // the signal is delivered asynchronously
	}
}
