// Command confgen writes a generated nginx.conf with N server blocks to
// stdout (go run ./lint/linttest/confgen/cmd -servers 10000 > big.conf),
// or split over include files with -split DIR.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"

	"github.com/wslint/wslint/lint/linttest/confgen"
)

func main() {
	n := flag.Int("servers", 1000, "number of server blocks")
	dir := flag.String("split", "", "write nginx.conf and conf.d/*.conf (100 servers each) into this directory instead of stdout")
	flag.Parse()
	if *dir != "" {
		if err := confgen.Split(*dir, *n, 100); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	w := bufio.NewWriter(os.Stdout)
	if err := confgen.Servers(w, *n); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
