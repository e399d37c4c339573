package web

// The API load test of `make bench-api`: `wslint serve` and a bare JSON
// echo handler, each in its own process, driven by the same client over
// keep-alive connections on loopback.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const loadServeEnv = "WSLINT_LOAD_SERVE" // "echo": run as the echo server process

// TestLoadServer is not a test: re-executed with WSLINT_LOAD_SERVE=echo,
// it serves a bare JSON echo handler until killed and prints its address.
func TestLoadServer(t *testing.T) {
	if os.Getenv(loadServeEnv) != "echo" {
		t.Skip("helper process of TestLoadAPI")
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var v any
		if err := json.NewDecoder(r.Body).Decode(&v); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(v)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("addr %s\n", ln.Addr())
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, IdleTimeout: 60 * time.Second}
	srv.Serve(ln)
}

// referenceEnv is the environment of the echo server: this process's,
// without the collector's settings, which a run may set for the service
// (GOGC=1600 made the echo a third cheaper, and the ratio meaningless).
func referenceEnv() []string {
	return slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, "GOGC=") || strings.HasPrefix(kv, "GOMEMLIMIT=")
	})
}

type serverProc struct {
	cmd  *exec.Cmd
	base string
}

// startServer runs the echo handler (this test binary re-executed) or the
// service as shipped: `wslint serve` ($WSLINT_BENCH_BIN, else built here),
// with its text access log on stderr, written to a file as a deployment
// would (read by this process, the load generator would spend CPU time on
// every line, on the cores the server shares).
func startServer(t *testing.T, mode string) *serverProc {
	t.Helper()
	if mode == "echo" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestLoadServer$", "-test.v=false")
		cmd.Env = append(referenceEnv(), loadServeEnv+"="+mode)
		cmd.Stderr = os.Stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		start(t, cmd)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if addr, ok := strings.CutPrefix(sc.Text(), "addr "); ok {
				go io.Copy(io.Discard, out)
				return &serverProc{cmd: cmd, base: "http://" + addr}
			}
		}
		t.Fatal("echo server did not start")
		return nil
	}
	bin := os.Getenv("WSLINT_BENCH_BIN")
	if bin == "" {
		bin = filepath.Join(t.TempDir(), "wslint")
		if b, err := exec.Command("go", "build", "-o", bin, "../cmd/wslint").CombinedOutput(); err != nil {
			t.Fatalf("go build: %v\n%s", err, b)
		}
	}
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0")
	logPath := filepath.Join(t.TempDir(), "serve.log")
	log, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close() // the server has its own descriptor
	cmd.Stderr = log
	start(t, cmd)
	addrRE := regexp.MustCompile(`serving on http://(\S+)/`)
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		b, _ := os.ReadFile(logPath)
		if m := addrRE.FindSubmatch(b); m != nil {
			return &serverProc{cmd: cmd, base: "http://" + string(m[1])}
		}
	}
	b, _ := os.ReadFile(logPath)
	t.Fatalf("wslint serve did not start:\n%s", b)
	return nil
}

// start starts cmd and kills it when the test ends.
func start(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
}

// rssKiB reads the resident set size of a process from /proc.
func rssKiB(pid int) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return n
		}
	}
	return -1
}

type loadResult struct {
	n, errors     int
	elapsed       time.Duration
	p50, p99, max time.Duration
	firstErr      string
	lat           []time.Duration // sorted
}

// add merges the results of two loads on the same server.
func (r loadResult) add(o loadResult) loadResult {
	lat := append(slices.Clone(r.lat), o.lat...)
	slices.Sort(lat)
	out := loadResult{n: r.n + o.n, errors: r.errors + o.errors, elapsed: r.elapsed + o.elapsed, lat: lat, firstErr: r.firstErr}
	if out.firstErr == "" {
		out.firstErr = o.firstErr
	}
	if n := len(lat); n > 0 {
		out.p50, out.p99, out.max = lat[n/2], lat[n*99/100], lat[n-1]
	}
	return out
}

func (r loadResult) rps() float64 { return float64(r.n) / r.elapsed.Seconds() }

// load sends n POSTs of body to url from c concurrent clients; check
// validates each answer.
func load(client *http.Client, url string, body []byte, n, c int, check func(status int, b []byte) error) loadResult {
	lat := make([]time.Duration, n)
	var next, errs atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < c; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each client reads its answers into one buffer, as load
			// generators do (io.ReadAll grew a new one nine times for
			// each 7 KB answer, on the cores the server shares).
			var buf bytes.Buffer
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				t0 := time.Now()
				resp, err := client.Post(url, "application/json", bytes.NewReader(body))
				if err == nil {
					buf.Reset()
					_, err = buf.ReadFrom(resp.Body)
					resp.Body.Close()
					if err == nil {
						err = check(resp.StatusCode, buf.Bytes())
					}
				}
				lat[i] = time.Since(t0)
				if err != nil {
					errs.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	r := loadResult{n: n, errors: int(errs.Load()), elapsed: elapsed, p50: lat[n/2], p99: lat[n*99/100], max: lat[n-1], lat: lat}
	if s, ok := firstErr.Load().(string); ok {
		r.firstErr = s
	}
	return r
}

// procCPU is the CPU time (user and system) a process has used so far,
// from /proc (clock ticks: 10 ms); -1 when unknown.
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return -1
	}
	// The command name (field 2) may hold spaces: count from the ')'.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 13 {
		return -1
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return -1
	}
	return time.Duration(utime+stime) * time.Second / 100 // USER_HZ
}

// perRequest renders the CPU time a process spent over a load of n requests.
func perRequest(before, after time.Duration, n int) string {
	if before < 0 || after < 0 {
		return "?"
	}
	return (time.Duration(int64(after-before) / int64(n))).Round(time.Microsecond).String()
}

func loadAvg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	return strings.Join(strings.Fields(string(b))[:3], " ")
}

// benchLoad is the load of TestLoadAPI and TestProfileAPI: n requests
// (WSLINT_BENCH_N, default n) from c clients (WSLINT_BENCH_C, default 8).
func benchLoad(n int) (int, int) {
	c := 8
	if v, err := strconv.Atoi(os.Getenv("WSLINT_BENCH_N")); err == nil && v > 0 {
		n = v
	}
	if v, err := strconv.Atoi(os.Getenv("WSLINT_BENCH_C")); err == nil && v > 0 {
		c = v
	}
	return n, c
}

// TestLoadAPI is `make bench-api`: requests/s and p99 of POST /api/v1/lint
// with a 2 KB config, beside a bare JSON echo handler, in ten rounds where
// the two servers take turns (the throughput ratio is the median of the
// rounds' ratios: this machine's speed drifts over a run), and the
// service's RSS after each round. Set WSLINT_BENCH_API=1 to run it; WSLINT_BENCH_N
// (default 100000) and WSLINT_BENCH_C (default 8) set the request count and
// the concurrency; WSLINT_BENCH_STRICT=1 fails below the throughput target.
func TestLoadAPI(t *testing.T) {
	if os.Getenv("WSLINT_BENCH_API") == "" {
		t.Skip("set WSLINT_BENCH_API=1 (make bench-api)")
	}
	n, c := benchLoad(100_000)
	conf := readFixture(t, "testdata/web/bench-2k.conf")
	body, _ := json.Marshal(map[string]any{"config": conf, "filename": "bench.conf"})
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: c, MaxConnsPerHost: c, DisableCompression: true}}

	echo := startServer(t, "echo")
	api := startServer(t, "api")
	warm := min(n/10, 5000)
	echoCheck := func(status int, b []byte) error {
		if status != 200 || !bytes.Contains(b, []byte(`"config"`)) {
			return fmt.Errorf("echo: status %d: %.200s", status, b)
		}
		return nil
	}
	// A lint answer must be the full report: version, findings, WS104.
	lintCheck := func(status int, b []byte) error {
		if status != 200 || !bytes.HasPrefix(b, []byte("{\n  \"version\": 1,")) || !bytes.Contains(b, []byte(`"rule": "WS104"`)) {
			return fmt.Errorf("lint: status %d: %.200s", status, b)
		}
		return nil
	}

	const rounds = 10 // echo and lint take turns, so that the machine's drift affects both alike
	fmt.Printf("bench-api: %d requests to each server in %d alternating rounds, %d clients, body %d bytes (config %d bytes), GOMAXPROCS %d, load average %s\n",
		n, rounds, c, len(body), len(conf), runtime.NumCPU(), loadAvg())
	self := os.Getpid()
	load(client, echo.base+"/", body, warm, c, echoCheck)
	load(client, api.base+"/api/v1/lint", body, warm, c, lintCheck)
	pid := api.cmd.Process.Pid
	rssBefore := rssKiB(pid)
	samples := []int{rssBefore}
	var er, ar loadResult
	var echoCPU, echoClientCPU, apiCPU, apiClientCPU time.Duration
	var ratios []float64
	per := n / rounds
	for range rounds {
		e0, c0 := procCPU(echo.cmd.Process.Pid), procCPU(self)
		e := load(client, echo.base+"/", body, per, c, echoCheck)
		e1, c1, a0 := procCPU(echo.cmd.Process.Pid), procCPU(self), procCPU(pid)
		a := load(client, api.base+"/api/v1/lint", body, per, c, lintCheck)
		a1, c2 := procCPU(pid), procCPU(self)
		echoCPU, echoClientCPU = echoCPU+e1-e0, echoClientCPU+c1-c0
		apiCPU, apiClientCPU = apiCPU+a1-a0, apiClientCPU+c2-c1
		er, ar = er.add(e), ar.add(a)
		ratios = append(ratios, a.rps()/e.rps())
		samples = append(samples, rssKiB(pid))
	}
	rssAfter := samples[len(samples)-1]
	sort.Float64s(ratios)
	row := func(name string, r loadResult) {
		fmt.Printf("  %-28s %9.0f req/s   p50 %8v   p99 %8v   max %8v   errors %d\n", name, r.rps(), r.p50.Round(time.Microsecond), r.p99.Round(time.Microsecond), r.max.Round(time.Microsecond), r.errors)
	}
	row("bare JSON echo", er)
	row("POST /api/v1/lint (2 KB)", ar)
	ratio := ratios[len(ratios)/2]
	verdict := "PASS"
	if ratio < 0.25 {
		verdict = "BELOW TARGET"
	}
	fmt.Printf("  lint/echo throughput: %.2f, the median of the rounds' ratios (%.2f-%.2f; %.2f over all requests) (target >= 0.25: %s)\n",
		ratio, ratios[0], ratios[len(ratios)-1], ar.rps()/er.rps(), verdict)
	fmt.Printf("  CPU per request (user+system): echo server %s, its client %s; lint server %s, its client %s\n",
		perRequest(0, echoCPU, er.n), perRequest(0, echoClientCPU, er.n), perRequest(0, apiCPU, ar.n), perRequest(0, apiClientCPU, ar.n))
	fmt.Printf("  service RSS: %d KiB after warm-up, %d KiB after %d requests (a sample after each round: %v KiB); load average now %s\n",
		rssBefore, rssAfter, ar.n, samples, loadAvg())

	if er.errors > 0 || ar.errors > 0 {
		t.Errorf("errors: echo %d (%s), lint %d (%s)", er.errors, er.firstErr, ar.errors, ar.firstErr)
	}
	if os.Getenv("WSLINT_BENCH_STRICT") != "" && ratio < 0.25 {
		t.Errorf("lint throughput is %.2f of echo's, below the 0.25 target", ratio)
	}
	// Stable memory: the resident set may settle after warm-up, not grow
	// with the request count.
	if rssBefore > 0 && rssAfter > rssBefore+64*1024 {
		t.Errorf("service RSS grew from %d KiB to %d KiB over %d requests", rssBefore, rssAfter, n)
	}
}
