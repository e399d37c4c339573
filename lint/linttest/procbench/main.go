// Command procbench compares whole-process runs of `wslint lint` with
// `nginx -t` on generated configurations (one file, and split over include
// files), and prints a markdown table: median wall time, peak RSS, MB/s and
// the ratio to nginx -t. Each round runs wslint, then nginx -t, on the same
// input; the ratio is the median of the rounds' ratios, so that the
// machine's drift over a measurement cancels out. `make bench` runs it.
//
// Under the table it prints the start-up floor: an empty Go program and one
// that only imports github.com/santhosh-tekuri/jsonschema/v5 (whose init
// compiles five draft meta-schemas, milliseconds before main runs), built
// with this module's go.mod and timed like wslint, beside wslint on the
// smallest single-file configuration. -floor=false skips it.
//
//	go build -o bin/wslint ./cmd/wslint
//	go run ./lint/linttest/procbench -wslint bin/wslint -sizes 10,1000,10000,50000 -runs 5
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/wslint/wslint/lint/linttest/confgen"
)

type result struct {
	wall  time.Duration   // median
	min   time.Duration   // fastest run
	rssKB int64           // maximum over the runs
	runs  []time.Duration // every run, in order
}

// pairedRatio is the median over runs of a's wall time over b's in the
// same round (measureEach runs them in turn), so that the machine's drift
// over a measurement affects both sides of each ratio alike.
func pairedRatio(a, b result) float64 {
	rs := make([]float64, len(a.runs))
	for i := range a.runs {
		rs[i] = a.runs[i].Seconds() / b.runs[i].Seconds()
	}
	sort.Float64s(rs)
	return rs[len(rs)/2]
}

// measureEach times every command runs times, one run of each in turn (so
// that a change of machine load affects them alike): wall time from start
// to exit of the process, and its peak RSS. Exit status 1 (findings) counts
// as success.
func measureEach(runs int, cmds [][]string) ([]result, error) {
	walls := make([][]time.Duration, len(cmds))
	rss := make([]int64, len(cmds))
	for i := 0; i < runs; i++ {
		for j, c := range cmds {
			cmd := exec.Command(c[0], c[1:]...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			start := time.Now()
			err := cmd.Run()
			walls[j] = append(walls[j], time.Since(start))
			if err != nil {
				if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() > 1 {
					return nil, fmt.Errorf("%s: %v\n%s", strings.Join(c, " "), err, stderr.String())
				}
			}
			if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && ru.Maxrss > rss[j] {
				rss[j] = ru.Maxrss
			}
		}
	}
	out := make([]result, len(cmds))
	for j, w := range walls {
		sorted := slices.Clone(w)
		slices.Sort(sorted)
		out[j] = result{wall: sorted[len(sorted)/2], min: sorted[0], rssKB: rss[j], runs: w}
	}
	return out, nil
}

func main() {
	wslint := flag.String("wslint", "bin/wslint", "the wslint binary")
	nginx := flag.String("nginx", "/usr/sbin/nginx", "the nginx binary")
	sizes := flag.String("sizes", "10,1000,10000,50000", "numbers of server blocks")
	runs := flag.Int("runs", 5, "runs per measurement (the median is reported)")
	floor := flag.Bool("floor", true, "also time an empty Go program and a jsonschema-v5-only one (needs the go command and this module)")
	floorRuns := flag.Int("floor-runs", 50, "runs per start-up floor measurement")
	flag.Parse()
	dir, err := os.MkdirTemp("", "procbench")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(dir)
	fmt.Printf("| servers | layout | input MB | wslint wall | wslint MB/s | wslint peak RSS | RSS / input | nginx -t wall | nginx -t peak RSS | wall ratio (median of paired runs) |\n")
	fmt.Printf("|---|---|---|---|---|---|---|---|---|---|\n")
	walls := map[string]time.Duration{}
	smallest, smallestConf := -1, ""
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			fail(err)
		}
		single := filepath.Join(dir, fmt.Sprintf("single-%d", n))
		os.MkdirAll(single, 0o755)
		f, err := os.Create(filepath.Join(single, "nginx.conf"))
		if err != nil {
			fail(err)
		}
		if err := confgen.Servers(f, n); err != nil {
			fail(err)
		}
		f.Close()
		if smallest < 0 || n < smallest {
			smallest, smallestConf = n, filepath.Join(single, "nginx.conf")
		}
		split := filepath.Join(dir, fmt.Sprintf("split-%d", n))
		if err := confgen.Split(split, n, 100); err != nil {
			fail(err)
		}
		for _, layout := range []string{"single", "split"} {
			d := single
			if layout == "split" {
				d = split
			}
			conf := filepath.Join(d, "nginx.conf")
			size := dirSize(d)
			rs, err := measureEach(*runs, [][]string{
				{*wslint, "lint", "-q", "--fail-on", "never", conf},
				{*nginx, "-t", "-q", "-p", d, "-c", conf, "-g", "pid " + filepath.Join(d, "nginx.pid") + "; error_log stderr;"},
			})
			if err != nil {
				fail(err)
			}
			w, ng := rs[0], rs[1]
			walls[layout+s] = w.wall
			mb := float64(size) / 1e6
			fmt.Printf("| %d | %s | %.1f | %s | %.1f | %.0f MB | %.1f× | %s | %.0f MB | %.2f |\n", n, layout, mb,
				w.wall.Round(time.Millisecond), mb/w.wall.Seconds(), float64(w.rssKB)/1024, float64(w.rssKB)*1024/float64(size),
				ng.wall.Round(time.Millisecond), float64(ng.rssKB)/1024, pairedRatio(w, ng))
		}
	}
	if a, b := walls["single50000"], walls["single10000"]; a > 0 && b > 0 {
		// The rows above ran at different moments; the linearity figure
		// comes from its own rounds, each linting both files in turn.
		conf := func(n int) string { return filepath.Join(dir, fmt.Sprintf("single-%d", n), "nginx.conf") }
		rs, err := measureEach(*runs, [][]string{
			{*wslint, "lint", "-q", "--fail-on", "never", conf(50000)},
			{*wslint, "lint", "-q", "--fail-on", "never", conf(10000)},
		})
		if err != nil {
			fail(err)
		}
		fmt.Printf("\n50k/10k wall-time ratio (single file, median of %d paired rounds): %.2f (linear would be 5; medians of the rows: %.2f)\n",
			*runs, pairedRatio(rs[0], rs[1]), a.Seconds()/b.Seconds())
	}
	if *floor && smallest >= 0 {
		if err := printFloor(dir, *floorRuns, *wslint, smallest, smallestConf); err != nil {
			fmt.Fprintln(os.Stderr, "procbench: start-up floor skipped:", err)
		}
	}
}

// floorPrograms are the start-up floor: what any Go program, and any
// program linking jsonschema v5 (a required dependency of wslint), costs
// before main does anything.
var floorPrograms = []struct{ name, what, src string }{
	{"empty", "empty Go program", "package main\n\nfunc main() {}\n"},
	{"jsonschema", "`import _ \"github.com/santhosh-tekuri/jsonschema/v5\"` only",
		"package main\n\nimport _ \"github.com/santhosh-tekuri/jsonschema/v5\"\n\nfunc main() {}\n"},
}

// printFloor builds the floor programs with this module's go.mod (the same
// dependency versions and toolchain as wslint), in a directory under the
// module root that `./...` patterns ignore (its name starts with `_`) and
// that is removed afterwards, then times them and wslint on the smallest
// single-file configuration, one run of each in turn.
func printFloor(tmp string, runs int, wslint string, servers int, conf string) error {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return fmt.Errorf("go env GOMOD: %v", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return fmt.Errorf("not inside the wslint module (go env GOMOD is %q): run procbench from the repository", gomod)
	}
	src, err := os.MkdirTemp(filepath.Dir(gomod), "_procbench-floor-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(src)
	cmds := [][]string{}
	for _, p := range floorPrograms {
		pkg := filepath.Join(src, p.name)
		if err := os.MkdirAll(pkg, 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(pkg, "main.go"), []byte(p.src), 0o644); err != nil {
			return err
		}
		bin := filepath.Join(tmp, "floor-"+p.name)
		build := exec.Command("go", "build", "-o", bin, ".")
		build.Dir = pkg
		// Static, as make build builds wslint: a program that imports net
		// (jsonschema does) is otherwise linked dynamically, and the
		// loader's millisecond would flatter wslint.
		build.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := build.CombinedOutput(); err != nil {
			return fmt.Errorf("go build %s: %v\n%s", p.name, err, out)
		}
		cmds = append(cmds, []string{bin})
	}
	cmds = append(cmds, []string{wslint, "lint", "-q", "--fail-on", "never", conf})
	rs, err := measureEach(runs, cmds)
	if err != nil {
		return err
	}
	fmt.Printf("\nStart-up floor (%d runs of each, interleaved; wall time of the whole process):\n\n", runs)
	fmt.Printf("| program | wall median | wall min | peak RSS |\n")
	fmt.Printf("|---|---|---|---|\n")
	whats := []string{}
	for _, p := range floorPrograms {
		whats = append(whats, p.what)
	}
	whats = append(whats, fmt.Sprintf("`wslint lint`, %d servers, single file", servers))
	for i, r := range rs {
		fmt.Printf("| %s | %s | %s | %.0f MB |\n", whats[i], ms(r.wall), ms(r.min), float64(r.rssKB)/1024)
	}
	return nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }

func dirSize(dir string) int64 {
	var n int64
	filepath.Walk(dir, func(_ string, info os.FileInfo, err error) error {
		if err == nil && info.Mode().IsRegular() {
			n += info.Size()
		}
		return nil
	})
	return n
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "procbench:", err)
	os.Exit(1)
}
