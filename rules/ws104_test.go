package rules

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
)

// runWS104 lints files (path → text, the first is the root) with WS104 alone.
func runWS104(t *testing.T, files map[string]string, root string) []lint.Finding {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, root)
	cfg := nginx.Load([]*source.File{source.NewFile(path, []byte(files[root]))}, nginx.LoadOptions{})
	for _, p := range cfg.Problems {
		t.Fatalf("load: %s", p.Message)
	}
	var out []lint.Finding
	for _, f := range lint.RunNginx([]*lint.Rule{InheritedHeadersDropped}, cfg, lint.DefaultOptions()) {
		if f.RuleID == InheritedHeadersDropped.ID {
			out = append(out, f)
		}
	}
	return out
}

// relatedAt renders a finding's related locations as "file:line:col".
func relatedAt(f lint.Finding) []string {
	var out []string
	for _, r := range f.Related {
		p := lint.PositionOf(r.Span)
		out = append(out, fmt.Sprintf("%s:%d:%d", filepath.Base(p.File), p.Line, p.Column))
	}
	return out
}

// Every dropped line of the enclosing level is a related location, and the
// message names them with their lines.
func TestInheritedHeadersDroppedRelated(t *testing.T) {
	conf := `server {
    listen 80;
    proxy_set_header Host $host;
    proxy_set_header Upgrade $http_upgrade;
    proxy_set_header Connection "upgrade";
    proxy_set_header X-Real-IP $remote_addr;
    location /ws/ {
        proxy_pass http://127.0.0.1:8000;
        proxy_set_header X-Real-IP $remote_addr;
    }
}
`
	fs := runWS104(t, map[string]string{"site.conf": conf}, "site.conf")
	if len(fs) != 1 {
		t.Fatalf("got %d findings, want 1: %v", len(fs), fs)
	}
	f := fs[0]
	if p := lint.PositionOf(f.Span); p.Line != 9 || p.Column != 9 {
		t.Errorf("finding at %d:%d, want 9:9 (the location's own proxy_set_header)", p.Line, p.Column)
	}
	want := "so `Host`, `Upgrade` and `Connection` (lines 3-5) are not sent"
	if !strings.Contains(f.Message, want) {
		t.Errorf("message %q does not contain %q", f.Message, want)
	}
	got := strings.Join(relatedAt(f), " ")
	if w := "site.conf:3:5 site.conf:4:5 site.conf:5:5"; got != w {
		t.Errorf("related = %s, want %s (X-Real-IP is set by the location itself, not dropped)", got, w)
	}
	if len(f.Fixes) != 1 || f.Fixes[0].Applies != lint.Safe {
		t.Fatalf("fixes = %+v, want one safe fix", f.Fixes)
	}
}

// Dropped lines in another file are named file:line, and the related
// locations point into that file.
func TestInheritedHeadersDroppedOtherFile(t *testing.T) {
	files := map[string]string{
		"nginx.conf": `events {}
http {
    server {
        listen 80;
        include snippets/ws.conf;
        location /ws/ {
            proxy_pass http://127.0.0.1:8000;
            proxy_set_header Host $host;
        }
    }
}
`,
		"snippets/ws.conf": "# upgrade headers\nproxy_set_header Upgrade $http_upgrade;\nproxy_set_header Connection \"upgrade\";\n",
	}
	fs := runWS104(t, files, "nginx.conf")
	if len(fs) != 1 {
		t.Fatalf("got %d findings, want 1: %v", len(fs), fs)
	}
	if want := "(" + filepath.Join("snippets", "ws.conf") + ":2-3)"; !strings.Contains(fs[0].Message, want) {
		t.Errorf("message %q does not name %s", fs[0].Message, want)
	}
	if got, w := strings.Join(relatedAt(fs[0]), " "), "ws.conf:2:1 ws.conf:3:1"; got != w {
		t.Errorf("related = %s, want %s", got, w)
	}
}

// The fix is unsafe when it would edit an enclosing location or a list that
// nested locations inherit; it is safe in the location's own list.
func TestInheritedHeadersDroppedFixSafety(t *testing.T) {
	for _, c := range []struct {
		name, body string
		want       lint.Applicability
	}{
		{"own list", `location /ws/ {
        proxy_pass http://127.0.0.1:8000;
        proxy_set_header Host $host;
    }`, lint.Safe},
		{"nested inherits", `location /api/ {
        proxy_pass http://127.0.0.1:8000;
        proxy_set_header Host $host;
        location /api/ws/ {
            proxy_pass http://127.0.0.1:8000;
        }
    }`, lint.Unsafe},
		{"enclosing location's list", `location /api/ {
        proxy_set_header Host $host;
        location /api/ws/ {
            proxy_pass http://127.0.0.1:8000;
        }
    }`, lint.Unsafe},
		{"nested has its own list", `location /api/ {
        proxy_pass http://127.0.0.1:8000;
        proxy_set_header Host $host;
        location /api/ws/ {
            proxy_pass http://127.0.0.1:8000;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
        }
    }`, lint.Safe},
	} {
		t.Run(c.name, func(t *testing.T) {
			conf := "server {\n    listen 80;\n    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection \"upgrade\";\n    " + c.body + "\n}\n"
			fs := runWS104(t, map[string]string{"site.conf": conf}, "site.conf")
			if len(fs) != 1 || len(fs[0].Fixes) != 1 {
				t.Fatalf("want one finding with one fix, got %+v", fs)
			}
			if got := fs[0].Fixes[0].Applies; got != c.want {
				t.Errorf("fix is %s, want %s", got, c.want)
			}
		})
	}
}
