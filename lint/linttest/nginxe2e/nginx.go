// Package nginxe2e runs real nginx (Debian's nginx-light) on loopback ports in
// front of a strict coder/websocket echo backend, and drives WebSocket
// handshakes the way Chromium and Firefox send them. It proves end to end what
// a rule claims. Import it from _test.go files only.
//
// A typical test:
//
//	nginxe2e.NginxBinary(t) // skips when nginx is absent (fails under CI=true)
//	b := nginxe2e.StartBackend(t)
//	n, err := nginxe2e.StartNginx(t, fixture, b)
//	if err != nil { t.Fatal(err) }
//	res := nginxe2e.Handshake(n.Addr, "/ws/", nginxe2e.Chromium)
package nginxe2e

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// DefaultBinary is where Debian installs nginx.
const DefaultBinary = "/usr/sbin/nginx"

const (
	startTimeout = 10 * time.Second // until the listener accepts connections
	stopTimeout  = 5 * time.Second  // SIGTERM to SIGKILL
)

// NginxBinary returns the path of the nginx binary (DefaultBinary, else nginx
// on PATH). When there is none it skips the test, or fails it when the
// environment variable CI is "true".
func NginxBinary(t testing.TB) string {
	t.Helper()
	for _, name := range []string{DefaultBinary, "nginx"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	Missing(t, "nginx not installed; run `make test` or apt-get install -y nginx-light")
	return ""
}

// Version is the release of the nginx binary the tests run, as `nginx -v`
// prints it ("1.22.1").
func Version(t testing.TB) string {
	t.Helper()
	out, err := run(NginxBinary(t), "-v")
	_, v, ok := strings.Cut(strings.TrimSpace(out), "nginx/")
	if err != nil || !ok {
		t.Fatalf("nginx -v: %v: %q", err, out)
	}
	v, _, _ = strings.Cut(v, " ")
	return v
}

// Missing stops a test that needs something the machine lacks (nginx, a
// module, chromium): it skips the test, or fails it when the environment
// variable CI is "true" (CI installs everything the tests need, so nothing
// may be skipped there).
func Missing(t testing.TB, msg string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// Nginx is a running private nginx instance.
type Nginx struct {
	// Addr is the address every server block listens on, "127.0.0.1:port".
	Addr string
	// Dir is the prefix directory: nginx.conf, error.log, access.log, pid
	// file and temp directories.
	Dir string
	// Conf is the prepared configuration that nginx runs.
	Conf string

	cmd    *exec.Cmd
	exited chan struct{}
}

// ErrorLog returns the current content of nginx's error log (level info).
func (n *Nginx) ErrorLog() string { return readFile(filepath.Join(n.Dir, "error.log")) }

// AccessLog returns the current content of nginx's access log.
func (n *Nginx) AccessLog() string { return readFile(filepath.Join(n.Dir, "access.log")) }

// StartNginx prepares conf (see Prepare) with backend's address (a nil backend
// leaves 127.0.0.1:8000 as is), checks it with `nginx -t`, starts nginx in the
// foreground and waits until its port accepts connections. An invalid config
// or a failed start is returned as an error that includes nginx's output. The
// instance is stopped in t.Cleanup, which also logs the error log when the test
// has failed.
func StartNginx(t testing.TB, conf string, backend *Backend) (*Nginx, error) {
	t.Helper()
	bin := NginxBinary(t)
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		var n *Nginx
		n, err = startOnce(t, bin, conf, backend)
		if err == nil {
			return n, nil
		}
		// Retry with another port only when the free one was taken meanwhile.
		if !strings.Contains(err.Error(), "Address already in use") {
			break
		}
	}
	return nil, err
}

func startOnce(t testing.TB, bin, conf string, backend *Backend) (*Nginx, error) {
	dir, confPath, listenAddr, err := writeConf(t, conf, backend)
	if err != nil {
		return nil, err
	}
	n := &Nginx{Addr: listenAddr, Dir: dir, Conf: readFile(confPath), exited: make(chan struct{})}
	if out, err := run(bin, "-t", "-q", "-p", dir+"/", "-c", confPath, "-e", filepath.Join(dir, "error.log")); err != nil {
		return nil, fmt.Errorf("nginx -t: %w\n%s", err, out)
	}
	outPath := filepath.Join(dir, "nginx.out")
	out, err := os.Create(outPath)
	if err != nil {
		return nil, err
	}
	defer out.Close() // the child has its own copy
	n.cmd = exec.Command(bin, "-p", dir+"/", "-c", confPath, "-e", filepath.Join(dir, "error.log"), "-g", "daemon off;")
	n.cmd.Stdout, n.cmd.Stderr = out, out
	n.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // so workers can be killed with the master
	if err := n.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start nginx: %w", err)
	}
	go func() { _ = n.cmd.Wait(); close(n.exited) }()

	deadline := time.Now().Add(startTimeout)
	for {
		c, err := net.DialTimeout("tcp", listenAddr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			break
		}
		select {
		case <-n.exited:
			return nil, fmt.Errorf("nginx exited during start-up: %s\n%s%s", n.cmd.ProcessState, readFile(outPath), n.ErrorLog())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			n.stop()
			return nil, fmt.Errorf("nginx did not accept connections on %s within %s\n%s%s", listenAddr, startTimeout, readFile(outPath), n.ErrorLog())
		}
	}
	t.Cleanup(func() {
		n.stop()
		if t.Failed() {
			t.Logf("nginx error log (%s):\n%s%s", dir, readFile(outPath), n.ErrorLog())
		}
	})
	return n, nil
}

// stop asks for a fast shutdown (SIGTERM: unlike SIGQUIT it does not wait
// for upgraded connections that a test left open) and kills the whole
// process group when nginx has not exited in time.
func (n *Nginx) stop() {
	_ = n.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-n.exited:
		return
	case <-time.After(stopTimeout):
	}
	_ = syscall.Kill(-n.cmd.Process.Pid, syscall.SIGKILL) // the master is not reaped yet, so its pgid is ours
	<-n.exited
}

// ConfigTest prepares conf like StartNginx and runs `nginx -t` on it. It
// returns nginx's combined output (e.g. `nginx: [emerg] ... in
// /tmp/.../nginx.conf:3`) and a non-nil error when the test fails.
func ConfigTest(t testing.TB, conf string, backend *Backend) (string, error) {
	t.Helper()
	bin := NginxBinary(t)
	dir, confPath, _, err := writeConf(t, conf, backend)
	if err != nil {
		return "", err
	}
	return run(bin, "-t", "-p", dir+"/", "-c", confPath, "-e", filepath.Join(dir, "error.log"))
}

// Dynamic modules as Debian's packages install them: lua-nginx-module
// (libnginx-mod-http-lua, with the NDK it needs), perl
// (libnginx-mod-http-perl), stream (libnginx-mod-stream) and mail
// (libnginx-mod-mail).
var (
	LuaModules   = []string{"/usr/lib/nginx/modules/ndk_http_module.so", "/usr/lib/nginx/modules/ngx_http_lua_module.so"}
	PerlModule   = "/usr/lib/nginx/modules/ngx_http_perl_module.so"
	StreamModule = "/usr/lib/nginx/modules/ngx_stream_module.so"
	MailModule   = "/usr/lib/nginx/modules/ngx_mail_module.so"
)

// LoadModules returns the load_module lines of the modules. When one is
// missing it skips the test, or fails it when CI is "true".
func LoadModules(t testing.TB, modules ...string) string {
	t.Helper()
	var b strings.Builder
	for _, m := range modules {
		if _, err := os.Stat(m); err != nil {
			Missing(t, fmt.Sprintf("nginx module %s not installed; run `make test` (it installs Debian's libnginx-mod-* packages)", m))
		}
		fmt.Fprintf(&b, "load_module %s;\n", m)
	}
	return b.String()
}

// ConfigTestMain runs `nginx -t` on conf written as it is, the whole main
// configuration (its own events and http blocks; relative paths are under a
// private prefix directory), and returns nginx's output.
func ConfigTestMain(t testing.TB, conf string) (string, error) {
	t.Helper()
	bin := NginxBinary(t)
	dir := t.TempDir()
	confPath := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o644); err != nil {
		return "", err
	}
	return run(bin, "-t", "-p", dir+"/", "-c", confPath, "-e", filepath.Join(dir, "error.log"))
}

// writeConf writes the prepared conf into a new temp dir and returns the
// dir, the config path and the listen address.
func writeConf(t testing.TB, conf string, backend *Backend) (dir, confPath, listenAddr string, err error) {
	dir = t.TempDir()
	listenAddr, err = freePort()
	if err != nil {
		return "", "", "", err
	}
	backendAddr := FixtureUpstream
	if backend != nil {
		backendAddr = backend.Addr
		_, port, _ := net.SplitHostPort(backend.TLSAddr)
		conf = strings.ReplaceAll(conf, FixtureTLSUpstream, "localhost:"+port)
	}
	confPath = filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(confPath, []byte(Prepare(conf, backendAddr, listenAddr, dir)), 0o644); err != nil {
		return "", "", "", err
	}
	return dir, confPath, listenAddr, nil
}

// run runs nginx with a timeout and returns its combined output.
func run(bin string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.WaitDelay = time.Second
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		err = fmt.Errorf("nginx %s: %w", strings.Join(args, " "), ctx.Err())
	}
	return string(out), err
}

func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("find a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func readFile(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return string(b)
}
