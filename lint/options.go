package lint

import (
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/nginx/spec"
)

// DefaultOptions returns the options used when nothing is configured.
func DefaultOptions() *Options {
	return &Options{NginxVersion: nginx.DefaultVersion, Endpoint: spec.WebSocketEndpoint}
}

// ParseDuration reads an nginx time value ("25s", "1h30m") into milliseconds.
func ParseDuration(s string) (int64, error) { return spec.ParseTime(s, false) }
