package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestPreCommitHooks runs Debian's `pre-commit try-repo` against this
// repository's .pre-commit-hooks.yaml, as a user's pre-commit would: it
// builds cmd/wslint with `go install` (language: golang, the system Go,
// offline from the local module cache) and runs the hooks on fixtures in a
// scratch git repository.
func TestPreCommitHooks(t *testing.T) {
	if testing.Short() {
		t.Skip("builds wslint through pre-commit")
	}
	for _, tool := range []string{"pre-commit", "git", "go"} {
		if _, err := exec.LookPath(tool); err != nil {
			skipOrFail(t, "%s is not installed (make deps installs pre-commit)", tool)
		}
	}
	root := repoRoot(t)
	tmp := t.TempDir()
	env := append(os.Environ(),
		"PRE_COMMIT_HOME="+filepath.Join(tmp, "pre-commit-home"),
		"GOMODCACHE="+goEnv(t, "GOMODCACHE"), "GOCACHE="+goEnv(t, "GOCACHE"),
		"GOPROXY=off", "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local",
		"GIT_AUTHOR_NAME=wslint test", "GIT_AUTHOR_EMAIL=test@example.com",
		"GIT_COMMITTER_NAME=wslint test", "GIT_COMMITTER_EMAIL=test@example.com", "GIT_CONFIG_GLOBAL=/dev/null")

	// The hook repository: the working tree as it is (tracked and new
	// files), committed, since try-repo clones and skips untracked files.
	hooks := filepath.Join(tmp, "hooks")
	files := strings.Split(strings.TrimSpace(run1(t, root, env, "git", "ls-files", "--cached", "--others", "--exclude-standard")), "\n")
	for _, f := range files {
		if err := copyFile(filepath.Join(root, f), filepath.Join(hooks, f)); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(filepath.Join(hooks, ".pre-commit-hooks.yaml")); err != nil {
		t.Fatal(".pre-commit-hooks.yaml is missing at the repository root")
	}
	run1(t, hooks, env, "git", "init", "-q")
	run1(t, hooks, env, "git", "add", "-A")
	run1(t, hooks, env, "git", "commit", "-q", "--no-gpg-sign", "-m", "hooks")

	// The user's project.
	proj := filepath.Join(tmp, "project")
	bad, _ := os.ReadFile(filepath.Join(root, "testdata/rules/WS104/bad.conf"))
	good, _ := os.ReadFile(filepath.Join(root, "testdata/examples/canonical/nginx.conf"))
	unitDoc, _ := os.ReadFile(filepath.Join(root, "testdata/unit/fastapi.json"))
	for name, data := range map[string][]byte{
		"deploy/nginx/conf.d/app.conf": bad,
		"deploy/nginx/nginx.conf":      good,
		"deploy/nginx/Dockerfile":      []byte("FROM nginx:1.27\n"),
		"README.md":                    []byte("# project\n"),
		"unit/config.json":             unitDoc,
		"package.json":                 []byte("{\"name\": \"x\"}\n"),
	} {
		p := filepath.Join(proj, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, data, 0o644)
	}
	run1(t, proj, env, "git", "init", "-q")
	run1(t, proj, env, "git", "add", "-A")

	precommit := func(args ...string) (string, int) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "pre-commit", args...)
		cmd.Dir, cmd.Env = proj, env
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("pre-commit %v: %v\n%s", args, err, out)
		}
		return string(out), code
	}

	// try-repo: the nginx hook fails on the bad file, shows the finding,
	// and is not given the files outside its pattern.
	out, code := precommit("try-repo", hooks, "wslint", "--verbose", "--files", "deploy/nginx/conf.d/app.conf", "deploy/nginx/nginx.conf", "README.md", "deploy/nginx/Dockerfile")
	if code != 1 || !strings.Contains(out, "Failed") || !strings.Contains(out, "deploy/nginx/conf.d/app.conf:") || !strings.Contains(out, "WS104") {
		t.Fatalf("try-repo wslint on the bad file: exit %d, want 1 with WS104:\n%s", code, out)
	}
	if strings.Contains(out, "README.md") || strings.Contains(out, "Dockerfile") {
		t.Errorf("wslint hook was given files outside its pattern:\n%s", out)
	}

	// The .pre-commit-config.yaml a user writes (README), pinned to the
	// commit: the hooks' environment is built once for the runs below.
	rev := strings.TrimSpace(run1(t, hooks, env, "git", "rev-parse", "HEAD"))
	config := "repos:\n  - repo: " + hooks + "\n    rev: " + rev + "\n    hooks:\n      - id: wslint\n      - id: wslint-unit\n      - id: wslint-fix\n"
	os.WriteFile(filepath.Join(proj, ".pre-commit-config.yaml"), []byte(config), 0o644)
	run := func(hook string, files ...string) (string, int) {
		return precommit(append([]string{"run", hook, "--verbose", "--files"}, files...)...)
	}
	// It passes on a correct configuration, and skips files that are not nginx's.
	if out, code := run("wslint", "deploy/nginx/nginx.conf"); code != 0 || !strings.Contains(out, "Passed") {
		t.Errorf("wslint hook on the canonical config: exit %d:\n%s", code, out)
	}
	if out, code := run("wslint", "README.md", "deploy/nginx/Dockerfile", "package.json"); code != 0 || !strings.Contains(out, "Skipped") {
		t.Errorf("wslint hook on non-nginx files: exit %d, want Skipped:\n%s", code, out)
	}
	// The Unit hook reads Unit JSON as Unit (never as nginx) and skips other JSON.
	if out, _ := run("wslint-unit", "unit/config.json"); strings.Contains(out, "Skipped") || strings.Contains(out, "WS001") {
		t.Errorf("wslint-unit hook on unit/config.json:\n%s", out)
	}
	if out, code := run("wslint-unit", "package.json"); code != 0 || !strings.Contains(out, "Skipped") {
		t.Errorf("wslint-unit hook on package.json: exit %d, want Skipped:\n%s", code, out)
	}
	// The fix hook rewrites the file, which fails the hook.
	out, code = run("wslint-fix", "deploy/nginx/conf.d/app.conf")
	fixed, _ := os.ReadFile(filepath.Join(proj, "deploy/nginx/conf.d/app.conf"))
	if code != 1 || !strings.Contains(out, "files were modified by this hook") || bytes.Equal(fixed, bad) {
		t.Errorf("wslint-fix hook: exit %d, file changed %v:\n%s", code, !bytes.Equal(fixed, bad), out)
	}
}

func goEnv(t *testing.T, name string) string {
	t.Helper()
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(out))
}

func run1(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil || st.IsDir() {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, st.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
