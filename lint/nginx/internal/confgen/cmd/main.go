// Command confgen writes a generated nginx.conf with N server blocks to
// stdout: go run ./lint/nginx/internal/confgen/cmd -servers 10000 > big.conf
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"

	"github.com/wslint/wslint/lint/nginx/internal/confgen"
)

func main() {
	n := flag.Int("servers", 1000, "number of server blocks")
	flag.Parse()
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
