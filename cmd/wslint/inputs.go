package main

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/wslint/wslint/lint/source"
	"github.com/wslint/wslint/lint/unit"
)

// maxInput bounds one input file.
const maxInput = 256 << 20

// readInputs reads the named paths: files as given, directories walked for
// nginx configuration files and NGINX Unit JSON, "-" from stdin under
// stdinName.
func readInputs(paths []string, stdin io.Reader, stdinName string) ([]*source.File, error) {
	var files []*source.File
	for _, p := range paths {
		if p == "-" {
			b, err := readLimited(stdin, "stdin")
			if err != nil {
				return nil, err
			}
			name := stdinName
			if name == "" {
				name = "-"
			}
			files = append(files, source.NewFile(name, b))
			continue
		}
		p = strings.TrimSuffix(p, "/...") // Go-style "dir/...": the directory, recursively
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, unwrap(err))
		}
		if st.IsDir() {
			found, err := walkDir(p)
			if err != nil {
				return nil, err
			}
			if len(found) == 0 {
				return nil, fmt.Errorf("%s: no nginx or Unit configuration files found (looked for *.conf, nginx.conf, sites-*/, conf.d/, snippets/)", p)
			}
			files = append(files, found...)
			continue
		}
		f, err := readRegular(p, st)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}

func readRegular(p string, st fs.FileInfo) (*source.File, error) {
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file (%s)", p, st.Mode().Type())
	}
	if st.Size() > maxInput {
		return nil, fmt.Errorf("%s: file is larger than %d MiB", p, maxInput>>20)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, unwrap(err))
	}
	return source.NewFile(p, b), nil
}

func readLimited(r io.Reader, name string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxInput+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(b) > maxInput {
		return nil, fmt.Errorf("%s: input is larger than %d MiB", name, maxInput>>20)
	}
	return b, nil
}

// walkDir finds nginx configuration files below dir, and *.json files
// that are NGINX Unit /config documents (unit.LooksLikeUnit), in lexical
// order.
func walkDir(dir string) ([]*source.File, error) {
	var out []*source.File
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("%s: %w", p, unwrap(err))
		}
		if d.IsDir() {
			if n := d.Name(); p != dir && (strings.HasPrefix(n, ".") || n == "node_modules" || n == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		isJSON := strings.HasSuffix(strings.ToLower(d.Name()), ".json") && !strings.HasPrefix(d.Name(), ".")
		if !isConfigName(p) && !isJSON {
			return nil
		}
		st, err := d.Info()
		if err != nil || !st.Mode().IsRegular() {
			return nil
		}
		f, err := readRegular(p, st)
		if err != nil {
			return err
		}
		if isJSON && !unit.LooksLikeUnit(f.Data) {
			return nil // package.json and friends: only NGINX Unit documents are linted
		}
		out = append(out, f)
		return nil
	})
	return out, err
}

// isConfigName reports whether a path found in a directory walk looks like
// an nginx configuration file.
func isConfigName(p string) bool {
	base := filepath.Base(p)
	if strings.HasPrefix(base, ".") || strings.HasSuffix(base, "~") || strings.HasSuffix(base, ".bak") || strings.HasSuffix(base, ".dpkg-dist") {
		return false
	}
	if base == "nginx.conf" || strings.HasSuffix(base, ".conf") || strings.HasSuffix(base, ".nginx") || strings.HasSuffix(base, ".nginxconf") || strings.HasSuffix(base, ".vhost") {
		return true
	}
	switch filepath.Base(filepath.Dir(p)) {
	case "sites-available", "sites-enabled", "conf.d", "snippets":
		return !strings.Contains(base, ".") || strings.HasSuffix(base, ".conf")
	}
	return false
}

func unwrap(err error) error {
	var pe *fs.PathError
	if e, ok := err.(*fs.PathError); ok {
		pe = e
		return pe.Err
	}
	return err
}
