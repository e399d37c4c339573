// Package confgen writes large, realistic nginx configurations for
// benchmarks: an http block with the upgrade map, upstreams, and N server
// blocks, each with a plain location, a WebSocket location and a static one.
package confgen

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Servers writes a complete nginx.conf with n server blocks.
func Servers(w io.Writer, n int) error {
	var b strings.Builder
	b.WriteString("worker_processes 1;\nworker_shutdown_timeout 10s;\nevents {\n    worker_connections 1024;\n}\n\nhttp {\n")
	b.WriteString("    map $http_upgrade $connection_upgrade {\n        default upgrade;\n        ''      close;\n    }\n\n")
	b.WriteString("    server_names_hash_bucket_size 128;\n    server_names_hash_max_size 1048576;\n\n")
	for u := 0; u < 4; u++ {
		fmt.Fprintf(&b, "    upstream app%d {\n        server 127.0.0.1:%d;\n        server 127.0.0.1:%d;\n    }\n\n", u, 8000+u, 9000+u)
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		if err := Server(w, i); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, "}\n")
	return err
}

// Server writes the i-th server block.
func Server(w io.Writer, i int) error {
	_, err := fmt.Fprintf(w, `    server {
        listen 80;
        server_name site%[1]d.example.com www.site%[1]d.example.com;
        access_log off;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Real-IP $remote_addr;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;

        location / {
            proxy_pass http://app%[2]d;
            proxy_read_timeout 30s;
        }

        location /ws/ {
            proxy_pass http://app%[2]d;
            proxy_set_header Host $host;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_read_timeout 1h;
        }

        location ~* \.(css|js|png)$ {
            root /var/www/site%[1]d;
            expires 7d;
            add_header Cache-Control "public";
        }
    }

`, i, i%4)
	return err
}

// Split writes the same configuration as Servers into dir: nginx.conf with
// the http block, and the servers in conf.d/NNNN.conf files of perFile
// servers each, included by a glob.
func Split(dir string, n, perFile int) error {
	if err := os.MkdirAll(filepath.Join(dir, "conf.d"), 0o755); err != nil {
		return err
	}
	var head strings.Builder
	var buf bytes.Buffer
	if err := Servers(&buf, 0); err != nil {
		return err
	}
	head.WriteString(strings.TrimSuffix(buf.String(), "}\n"))
	head.WriteString("    include conf.d/*.conf;\n}\n")
	if err := os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte(head.String()), 0o644); err != nil {
		return err
	}
	for f := 0; f*perFile < n; f++ {
		var b bytes.Buffer
		for i := f * perFile; i < n && i < (f+1)*perFile; i++ {
			if err := Server(&b, i); err != nil {
				return err
			}
		}
		if err := os.WriteFile(filepath.Join(dir, "conf.d", fmt.Sprintf("%04d.conf", f)), b.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}
