package rules

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wslint/wslint/generate"
	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/linttest/nginxe2e"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
)

// genCase is one generator output to lint and, when e2e is set, to run
// through real nginx in front of the test backend.
type genCase struct {
	name string
	spec generate.NginxSpec
	e2e  bool
}

// generatedCases: every preset (upstream 127.0.0.1:8000, which the e2e
// harness points at its backend; several upstream servers; the preset's own
// address; standalone), and flag combinations: snippet and full, keepalive,
// TLS, nginx 1.18 / 1.25.1 / 1.30.0.
func generatedCases(t *testing.T) []genCase {
	cert, key := selfSigned(t)
	const up = nginxe2e.FixtureUpstream
	var cs []genCase
	for _, p := range generate.Presets() {
		cs = append(cs,
			genCase{p.Name, generate.NginxSpec{Preset: p.Name, Upstreams: []string{up}}, true},
			genCase{p.Name + "/implicit", generate.NginxSpec{Preset: p.Name}, false},
			genCase{p.Name + "/scaled", generate.NginxSpec{Preset: p.Name, Upstreams: []string{up, "127.0.0.1:8001"}, Keepalive: 16}, false},
			genCase{p.Name + "/full-1.30.0", generate.NginxSpec{Preset: p.Name, Upstreams: []string{up}, NginxVersion: "1.30.0", Full: true}, false},
		)
	}
	for _, v := range []string{"1.18", "1.25.1", "1.30.0"} {
		for _, full := range []bool{false, true} {
			for _, ka := range []int{0, 16} {
				name := "v" + v
				if full {
					name += "/full"
				}
				if ka > 0 {
					name += "/keepalive"
				}
				cs = append(cs,
					genCase{name, generate.NginxSpec{NginxVersion: v, Full: full, Keepalive: ka, ServerName: "example.test"}, true},
					genCase{name + "/tls", generate.NginxSpec{NginxVersion: v, Full: full, Keepalive: ka, ServerName: "example.test",
						TLSCert: cert, TLSKey: key, Upstreams: []string{up}, WSPaths: []string{"/ws/", "/graphql"}}, true})
			}
		}
	}
	return cs
}

// TestGeneratedConfigsAreClean: generator output has no finding (none at
// warning or above is the bar; style.md asks for none at all) under
// the default rules, for the version it was generated for,
// with and without its WebSocket paths given (its locations forward the
// upgrade headers, which is evidence enough).
func TestGeneratedConfigsAreClean(t *testing.T) {
	selected, err := Registry.Select(false, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range generatedCases(t) {
		t.Run(c.name, func(t *testing.T) {
			out, r := generateOrFatal(t, c.spec)
			v, err := nginx.ParseVersion(r.NginxVersion)
			if err != nil {
				t.Fatal(err)
			}
			for _, paths := range [][]string{r.WSPaths, nil} {
				f := source.NewFile("generated.conf", []byte(out))
				cfg := nginx.Load([]*source.File{f}, nginx.LoadOptions{NoIncludes: true})
				opts := lint.DefaultOptions()
				opts.NginxVersion, opts.WSPaths = v, paths
				ws := cfg.WebSocketLocations(nginx.WSOptions{Paths: paths, Endpoint: opts.Endpoint})
				if len(ws) != len(r.WSPaths) {
					t.Errorf("ws paths %v: %d WebSocket locations, want %d", paths, len(ws), len(r.WSPaths))
				}
				for _, fd := range lint.RunNginx(selected, cfg, opts) {
					line, col := f.Position(fd.Span.Start)
					switch {
					case fd.Severity >= lint.Warning:
						t.Errorf("ws paths %v: %d:%d: %s %s %s", paths, line, col, fd.Severity, fd.RuleID, fd.Message)
					case fd.RuleID == "WS203" && !r.Full:
						// worker_shutdown_timeout cannot go in a conf.d file
						// (main context); the output says where to set it.
					default:
						// style.md §10: generated output has no findings at all.
						t.Errorf("ws paths %v: %d:%d: info %s %s", paths, line, col, fd.RuleID, fd.Message)
					}
				}
			}
			if t.Failed() {
				t.Logf("generated:\n%s", out)
			}
		})
	}
}

// TestGeneratedConfigsWork: every preset's output (and the combinations)
// passes `nginx -t` as written (TLS listeners and certificates included),
// and through real nginx a Chromium- and a Firefox-style handshake with an
// echo work on each WebSocket path, plain GETs on / and on each WebSocket
// path get the backend's answer, and the backend sees HTTP/1.1 and the
// client's Host. Outputs for a newer nginx than the installed one are only
// linted (e.g. 1.30.0 relies on its HTTP/1.1 default, `http2 on` needs 1.25.1).
func TestGeneratedConfigsWork(t *testing.T) {
	bin := nginxe2e.NginxBinary(t)
	installed := installedVersion(t, bin)
	for _, c := range generatedCases(t) {
		if !c.e2e {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			out, r := generateOrFatal(t, c.spec)
			if v, _ := nginx.ParseVersion(r.NginxVersion); installed.Less(v) {
				t.Skipf("generated for nginx %s; installed: %s", v, installed)
			}
			if msg, err := rawConfigTest(t, bin, out, r.Full); err != nil {
				t.Fatalf("nginx -t on the output as written: %v\n%s\n--- config\n%s", err, msg, out)
			}
			if msg, err := nginxe2e.ConfigTest(t, out, nil); err != nil {
				t.Fatalf("nginx -t (harness): %v\n%s", err, msg)
			}
			// The harness rewrites every listen to one plaintext address, so
			// a TLS output is exercised without TLS: its main server comes
			// first and is the default server.
			b := nginxe2e.StartBackend(t)
			n, err := nginxe2e.StartNginx(t, out, b)
			if err != nil {
				t.Fatal(err)
			}
			var protos []string
			if r.Preset == "graphql" {
				protos = []string{"graphql-transport-ws", "graphql-ws"}
			}
			for _, path := range r.WSPaths {
				for _, br := range []nginxe2e.Browser{nginxe2e.Chromium, nginxe2e.Firefox} {
					res := nginxe2e.Handshake(n.Addr, path, br, protos...)
					if res.Err != nil || res.Status != http.StatusSwitchingProtocols || !res.Echoed {
						t.Errorf("%s handshake on %s: status %d, echoed %v, err %v, body %q", br, path, res.Status, res.Echoed, res.Err, res.Body)
						continue
					}
					if len(protos) > 0 && res.Subprotocol != protos[0] {
						t.Errorf("%s handshake on %s: subprotocol %q, want %q passed through", br, path, res.Subprotocol, protos[0])
					}
					last, _ := b.LastRequest()
					if last.Proto != "HTTP/1.1" || last.Header.Get("Host") != "127.0.0.1" {
						t.Errorf("%s handshake on %s: backend saw %s with Host %q, want HTTP/1.1 and the client's host", br, path, last.Proto, last.Header.Get("Host"))
					}
				}
			}
			for _, path := range append([]string{"/"}, r.WSPaths...) {
				status, body, err := nginxe2e.PlainGET(n.Addr, path)
				if err != nil || status != http.StatusOK || body != "plain ok" {
					t.Errorf("plain GET %s: %d %q %v", path, status, body, err)
				}
			}
			if t.Failed() {
				t.Logf("generated:\n%s", out)
			}
		})
	}
}

func generateOrFatal(t *testing.T, spec generate.NginxSpec) (string, generate.NginxSpec) {
	t.Helper()
	out, err := generate.Nginx(spec)
	if err != nil {
		t.Fatalf("generate.Nginx(%+v): %v", spec, err)
	}
	r, err := spec.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	return out, r
}

// rawConfigTest runs `nginx -t` on the output as generated (a conf.d file
// is included in a minimal http block): unlike the harness it keeps the
// listen lines, so `ssl` and `http2` and the certificate are checked too.
// nginx -t does not bind the ports.
func rawConfigTest(t *testing.T, bin, conf string, full bool) (string, error) {
	t.Helper()
	dir := t.TempDir()
	main := conf
	if !full {
		if err := os.WriteFile(filepath.Join(dir, "app.conf"), []byte(conf), 0o644); err != nil {
			t.Fatal(err)
		}
		main = "events {}\nhttp {\n    include " + filepath.Join(dir, "app.conf") + ";\n}\n"
	}
	path := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(path, []byte(main), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-t", "-p", dir+"/", "-c", path, "-e", filepath.Join(dir, "error.log"), "-g", "pid "+filepath.Join(dir, "nginx.pid")+";")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func installedVersion(t *testing.T, bin string) nginx.Version {
	out, err := exec.Command(bin, "-v").CombinedOutput()
	if err != nil {
		t.Fatalf("nginx -v: %v\n%s", err, out)
	}
	_, after, _ := strings.Cut(strings.TrimSpace(string(out)), "nginx/")
	v, err := nginx.ParseVersion(strings.Fields(after + " ")[0])
	if err != nil {
		t.Fatalf("nginx -v: %q: %v", out, err)
	}
	return v
}

// selfSigned writes a self-signed certificate and its key into a temp dir.
func selfSigned(t *testing.T) (certPath, keyPath string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "example.test"},
		DNSNames:     []string{"example.test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certPath, keyPath = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certPath, keyPath
}

// The rules' fixes insert the same maps the generator writes.
func TestGeneratorSnippetsMatchRuleFixes(t *testing.T) {
	if got, want := strings.Join(wsUpgradeMapLines, "\n"), strings.Join(generate.WebSocketOnlyMap(generate.UpgradeVar), "\n"); got != want {
		t.Errorf("WS301 inserts\n%s\nthe generator writes\n%s", got, want)
	}
	for _, ka := range []bool{false, true} {
		conf := "upstream u { server 127.0.0.1:8000; }\n"
		if ka {
			conf = "upstream u { server 127.0.0.1:8000; keepalive 4; }\n"
		}
		cfg := nginx.Load([]*source.File{source.NewFile("u.conf", []byte(conf))}, nginx.LoadOptions{NoIncludes: true})
		p := &lint.Pass{Rule: UpgradeHeadersMissing, Nginx: cfg, Opts: lint.DefaultOptions()}
		if got, want := strings.Join(upgradeMapLines(p), "\n"), strings.Join(generate.UpgradeMap(generate.ConnectionVar, ka), "\n"); got != want {
			t.Errorf("keepalive %v: rules insert\n%s\nthe generator writes\n%s", ka, got, want)
		}
	}
}
