package lint

import (
	"time"

	"github.com/wslint/wslint/lint/nginx"
)

// DefaultOptions returns the options used when nothing is configured.
func DefaultOptions() *Options {
	return &Options{NginxVersion: nginx.DefaultVersion}
}

// ParseDuration reads an nginx time value ("25s", "1h30m") into milliseconds.
func ParseDuration(s string) (int64, error) {
	d, err := time.ParseDuration(s)
	return d.Milliseconds(), err
}
