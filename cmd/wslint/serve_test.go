package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wslint/wslint/web"
)

// apiInputs are the fixtures both the CLI and the API lint: every rule's,
// the Unit ones and the examples, without includes (the CLI follows them,
// the service never does).
func apiInputs(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, pat := range []string{"../../testdata/rules/*/*", "../../testdata/unit/*", "../../testdata/examples/*", "../../testdata/cli/*.conf"} {
		m, _ := filepath.Glob(pat)
		for _, p := range m {
			if st, err := os.Stat(p); err != nil || !st.Mode().IsRegular() {
				continue
			}
			b, _ := os.ReadFile(p)
			if bytes.Contains(b, []byte("include")) || len(b) > 512<<10 {
				continue
			}
			abs, _ := filepath.Abs(p)
			out = append(out, abs)
		}
	}
	if len(out) < 20 {
		t.Fatalf("only %d fixtures found", len(out))
	}
	return out
}

// The API's lint answer is the CLI's `--format json` document byte for
// byte, and its fixed config is what `wslint fix -` prints.
func TestServeAnswersLikeTheCLI(t *testing.T) {
	h, err := web.New(web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	inputs := apiInputs(t)
	t.Chdir(t.TempDir()) // no .wslint.yaml on the CLI's side
	for _, p := range inputs {
		data, _ := os.ReadFile(p)
		name := filepath.Base(p)
		cli, stderr, code := wslint(t, string(data), "lint", "--format", "json", "--ws-path", "/ws/", "--stdin-filename", name, "-")
		if code == exitUsage || code == exitInternal && cli == "" {
			t.Fatalf("%s: CLI exit %d: %s", p, code, stderr)
		}
		body, _ := json.Marshal(map[string]any{"config": string(data), "filename": name, "ws_paths": []string{"/ws/"}})
		api := post(h, "/api/v1/lint", body)
		if api.Code != 200 {
			t.Fatalf("%s: API status %d: %s", p, api.Code, api.Body)
		}
		if api.Body.String() != cli {
			t.Errorf("%s: API and CLI differ\nAPI: %s\nCLI: %s", p, api.Body, cli)
			continue
		}
		var doc struct{ Findings []json.RawMessage }
		json.Unmarshal([]byte(cli), &doc)

		fixed, stderr, code := wslint(t, string(data), "fix", "--ws-path", "/ws/", "--stdin-filename", name, "-")
		body, _ = json.Marshal(map[string]any{"config": string(data), "filename": name, "ws_paths": []string{"/ws/"}})
		fx := post(h, "/api/v1/fix", body)
		var got struct{ Fixed, Diff string }
		if err := json.Unmarshal(fx.Body.Bytes(), &got); err != nil || fx.Code != 200 {
			t.Fatalf("%s: fix: status %d: %s", p, fx.Code, fx.Body)
		}
		if code == exitUsage { // does not parse: the CLI refuses, the API leaves it as it is
			if got.Fixed != string(data) || got.Diff != "" {
				t.Errorf("%s: the API changed a config the CLI refuses to fix (%s)", p, strings.TrimSpace(stderr))
			}
			continue
		}
		if got.Fixed != fixed {
			t.Errorf("%s: API fixed config differs from `wslint fix -`\nAPI:\n%s\nCLI:\n%s", p, got.Fixed, fixed)
		}
	}
}

func post(h http.Handler, path string, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest("POST", path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// syncBuffer is a bytes.Buffer safe for the server goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// `wslint serve` serves, logs, and on SIGTERM finishes the request in
// flight before it exits 0.
func TestServeGracefulShutdown(t *testing.T) {
	var stderr syncBuffer
	exit := make(chan int, 1)
	go func() {
		exit <- run([]string{"serve", "--addr", "127.0.0.1:0", "--log-format", "json"}, strings.NewReader(""), io.Discard, &stderr)
	}()
	addrRE := regexp.MustCompile(`serving on (http://[^ ]+/)`)
	var base string
	for deadline := time.Now().Add(10 * time.Second); base == ""; {
		if m := addrRE.FindStringSubmatch(stderr.String()); m != nil {
			base = m[1]
			break
		}
		select {
		case code := <-exit:
			t.Fatalf("serve exited with %d: %s", code, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start: %s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	resp, err := http.Get(base + "healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET /healthz: %v %v", resp, err)
	}
	resp.Body.Close()

	// A request in flight: its body arrives in two halves, the signal in
	// between.
	pr, pw := io.Pipe()
	done := make(chan *http.Response, 1)
	go func() {
		req, _ := http.NewRequest("POST", base+"api/v1/lint", pr)
		req.Header.Set("Content-Type", "application/json")
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Errorf("request in flight: %v", err)
		}
		done <- r
	}()
	fmt.Fprint(pw, `{"config": "server {\n    listen 80;\n`)
	time.Sleep(200 * time.Millisecond)
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(stderr.String(), "shutting down"); {
		if time.Now().After(deadline) {
			t.Fatalf("no shutdown after SIGTERM: %s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	fmt.Fprint(pw, `}\n"}`)
	pw.Close()
	r := <-done
	if r == nil || r.StatusCode != 200 {
		t.Fatalf("the request in flight did not finish: %v", r)
	}
	b, _ := io.ReadAll(r.Body)
	r.Body.Close()
	if !json.Valid(b) {
		t.Errorf("answer is not JSON: %s", b)
	}
	select {
	case code := <-exit:
		if code != exitClean {
			t.Errorf("exit %d after SIGTERM: %s", code, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not exit after SIGTERM")
	}
	if _, err := http.Get(base + "healthz"); err == nil {
		t.Error("still serving after shutdown")
	}
	logs := stderr.String()
	for _, want := range []string{`"msg":"request"`, `"path":"/api/v1/lint"`, `"status":200`, `"msg":"stopped"`} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %s:\n%s", want, logs)
		}
	}
}

func TestServeBadFlags(t *testing.T) {
	if _, errOut, code := wslint(t, "", "serve", "--log-format", "xml"); code != exitUsage || !strings.Contains(errOut, "--log-format") {
		t.Errorf("--log-format xml: exit %d: %s", code, errOut)
	}
	if _, errOut, code := wslint(t, "", "serve", "--addr", "256.0.0.1:http"); code != exitUsage || !strings.Contains(errOut, "listen on") {
		t.Errorf("bad --addr: exit %d: %s", code, errOut)
	}
	if _, _, code := wslint(t, "", "serve", "extra"); code != exitUsage {
		t.Errorf("serve with an argument: exit %d", code)
	}
}
