// Command procbench compares whole-process runs of `wslint lint` with
// `nginx -t` on generated configurations (one file, and split over include
// files), and prints a markdown table: median wall time, peak RSS, MB/s and
// the ratio to nginx -t. `make bench` runs it.
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
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/wslint/wslint/lint/linttest/confgen"
)

type result struct {
	wall  time.Duration // median
	rssKB int64         // maximum over the runs
}

func measure(runs int, name string, args ...string) (result, error) {
	var walls []time.Duration
	var rss int64
	for i := 0; i < runs; i++ {
		cmd := exec.Command(name, args...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		start := time.Now()
		err := cmd.Run()
		walls = append(walls, time.Since(start))
		if err != nil {
			if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() > 1 {
				return result{}, fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
			}
		}
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && ru.Maxrss > rss {
			rss = ru.Maxrss
		}
	}
	sort.Slice(walls, func(i, j int) bool { return walls[i] < walls[j] })
	return result{wall: walls[len(walls)/2], rssKB: rss}, nil
}

func main() {
	wslint := flag.String("wslint", "bin/wslint", "the wslint binary")
	nginx := flag.String("nginx", "/usr/sbin/nginx", "the nginx binary")
	sizes := flag.String("sizes", "10,1000,10000,50000", "numbers of server blocks")
	runs := flag.Int("runs", 5, "runs per measurement (the median is reported)")
	flag.Parse()
	dir, err := os.MkdirTemp("", "procbench")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(dir)
	fmt.Printf("| servers | layout | input MB | wslint wall | wslint MB/s | wslint peak RSS | RSS / input | nginx -t wall | nginx -t peak RSS | wall ratio |\n")
	fmt.Printf("|---|---|---|---|---|---|---|---|---|---|\n")
	walls := map[string]time.Duration{}
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
			w, err := measure(*runs, *wslint, "lint", "-q", "--fail-on", "never", conf)
			if err != nil {
				fail(err)
			}
			ng, err := measure(*runs, *nginx, "-t", "-q", "-p", d, "-c", conf, "-g", "pid "+filepath.Join(d, "nginx.pid")+"; error_log stderr;")
			if err != nil {
				fail(err)
			}
			walls[layout+s] = w.wall
			mb := float64(size) / 1e6
			fmt.Printf("| %d | %s | %.1f | %s | %.1f | %.0f MB | %.1f× | %s | %.0f MB | %.2f |\n", n, layout, mb,
				w.wall.Round(time.Millisecond), mb/w.wall.Seconds(), float64(w.rssKB)/1024, float64(w.rssKB)*1024/float64(size),
				ng.wall.Round(time.Millisecond), float64(ng.rssKB)/1024, w.wall.Seconds()/ng.wall.Seconds())
		}
	}
	if a, b := walls["single50000"], walls["single10000"]; a > 0 && b > 0 {
		fmt.Printf("\n50k/10k wall-time ratio (single file): %.2f (linear would be 5)\n", a.Seconds()/b.Seconds())
	}
}

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
