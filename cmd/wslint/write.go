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
// read-only file is refused, even for root.
func writeAtomic(path string, data []byte) (err error) {
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, unwrap(err))
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("write %s: not a regular file", path)
	}
	if st.Mode().Perm()&0o222 == 0 {
		return fmt.Errorf("write %s: file is read-only", path)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".wslint-*")
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
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, unwrap(err))
	}
	return nil
}
