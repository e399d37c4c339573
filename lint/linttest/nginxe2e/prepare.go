package nginxe2e

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// FixtureUpstream is the upstream address that fixtures write; Prepare replaces
// every occurrence with the address of the test backend.
const FixtureUpstream = "127.0.0.1:8000"

// FixtureTLSUpstream is the address fixtures give a TLS backend
// (`proxy_pass https://localhost:8443`); StartNginx and ConfigTest replace
// it with the Backend's TLS address (Backend.TLSAddr), which requires SNI.
const FixtureTLSUpstream = "localhost:8443"

// Directives that a private instance owns: Prepare removes the fixture's own
// copies and writes its own (see Prepare).
var ownedDirectives = map[string]bool{
	"user": true, "pid": true, "daemon": true, "master_process": true,
	"worker_processes": true, "lock_file": true, "error_log": true, "access_log": true,
	"client_body_temp_path": true, "proxy_temp_path": true, "fastcgi_temp_path": true,
	"uwsgi_temp_path": true, "scgi_temp_path": true,
}

// Top-level statements of a snippet that must end up in the main context.
var mainOnly = map[string]bool{
	"events": true, "worker_shutdown_timeout": true, "worker_rlimit_nofile": true,
	"worker_cpu_affinity": true, "worker_priority": true, "load_module": true,
	"env": true, "thread_pool": true, "timer_resolution": true, "pcre_jit": true,
	"stream": true, "mail": true, "ssl_engine": true, "working_directory": true,
}

// Top-level statements of a snippet that are allowed in http but not in server.
var httpOnly = map[string]bool{
	"server": true, "map": true, "upstream": true, "geo": true, "split_clients": true,
	"limit_req_zone": true, "limit_conn_zone": true, "log_format": true,
	"proxy_cache_path": true, "map_hash_max_size": true, "map_hash_bucket_size": true,
	"variables_hash_max_size": true, "variables_hash_bucket_size": true,
	"server_names_hash_max_size": true, "server_names_hash_bucket_size": true,
}

// Blocks whose bodies are key/value data, not directives.
var dataBlocks = map[string]bool{"map": true, "geo": true, "split_clients": true, "types": true, "charset_map": true}

// Prepare turns a fixture (a whole nginx.conf, an http-level snippet with
// server blocks, or a bare server-level snippet such as a location) into a
// complete nginx.conf for a private instance:
//
//   - every "127.0.0.1:8000" becomes backendAddr;
//   - the first listen of each server block becomes `listen <listenAddr>;`
//     (keeping its default_server, and http2 without ssl), further listens
//     of that block are removed, and a server without listen
//     gets one;
//   - a text without an http block is wrapped in `http { ... }`; if it has no
//     server block either, its server-level statements are wrapped in
//     `server { listen <listenAddr>; ... }`. Top-level statements that belong
//     to the http context (map, upstream, ...) stay outside that server, and
//     main-context ones (events, worker_shutdown_timeout, ...) outside http;
//   - user, pid, daemon, master_process, worker_processes, lock_file,
//     error_log, access_log and *_temp_path are removed wherever they are,
//     and private equivalents inside prefixDir are added (`user root;` only
//     when running as root); `events {}` is added when absent;
//   - a relative include path is made absolute under /etc/nginx, so
//     `include proxy_params;` reads Debian's file.
//
// Wrappers are inserted without newlines and removed statements keep their
// newlines, so statements that stay in place keep their line numbers and
// nginx's "in nginx.conf:N" messages refer to the fixture's line N. Only
// statements moved out of a wrapper (for example a map placed between two
// locations) are appended at the end. Comments are kept.
func Prepare(conf, backendAddr, listenAddr, prefixDir string) string {
	if backendAddr != "" {
		conf = strings.ReplaceAll(conf, FixtureUpstream, backendAddr)
	}
	top := parse(conf)
	var (
		edits   []edit
		tail    strings.Builder // appended after the text, inside http when wrapped
		mainCtx strings.Builder // appended after everything, in the main context
		listen  = "listen " + listenAddr + ";"
	)
	hasHTTP, hasServer, hasEvents := false, false, false
	for _, s := range top {
		switch {
		case s.name == "http" && s.block:
			hasHTTP = true
		case s.name == "server" && s.block:
			hasServer = true
		case s.name == "events" && s.block:
			hasEvents = true
		}
	}
	moved := map[*stmt]bool{}
	move := func(s *stmt, to *strings.Builder) {
		moved[s] = true
		edits = append(edits, edit{s.start, s.end, keepNewlines(conf[s.start:s.end])})
		to.WriteString(conf[s.start:s.end])
		to.WriteString("\n")
	}

	if !hasHTTP {
		// Main-context statements leave the http wrapper.
		for _, s := range top {
			if mainOnly[s.name] {
				move(s, &mainCtx)
			}
		}
		var inner []*stmt // server-level statements of a bare snippet
		if !hasServer {
			for _, s := range top {
				if !mainOnly[s.name] && !httpOnly[s.name] && !ownedDirectives[s.name] {
					inner = append(inner, s)
				}
			}
		}
		edits = append(edits, edit{0, 0, "http { " + httpPrelude(prefixDir) + " "})
		if len(inner) > 0 {
			first, last := inner[0], inner[len(inner)-1]
			for _, s := range top {
				if httpOnly[s.name] && s.start > first.start && s.start < last.end {
					move(s, &tail) // interleaved: cannot stay inside the server
				}
			}
			edits = append(edits, edit{first.start, first.start, "server { " + listen + " "},
				edit{last.end, last.end, " }"})
		} else if !hasServer {
			tail.WriteString("server { " + listen + " }\n")
		}
		tail.WriteString("}\n")
	}

	// Per-statement rewrites, anywhere in the tree.
	var walk func(list []*stmt, inServer bool)
	walk = func(list []*stmt, inServer bool) {
		sawListen := false
		for _, s := range list {
			if moved[s] {
				continue
			}
			remove := edit{s.start, s.end, keepNewlines(conf[s.start:s.end])}
			switch {
			case s.name == "listen" && inServer && !sawListen:
				sawListen = true
				params := ""
				if slices.Contains(s.args, "http2") && !slices.Contains(s.args, "ssl") {
					params += " http2" // keep plaintext http2: what WS403 is about
				}
				if slices.Contains(s.args, "default_server") || slices.Contains(s.args, "default") {
					params += " default_server" // which server answers unknown hosts
				}
				remove.text = "listen " + listenAddr + params + ";" + remove.text
				edits = append(edits, remove)
			case s.name == "listen", ownedDirectives[s.name] && !s.block:
				edits = append(edits, remove)
			case s.name == "include" && len(s.args) == 1 && !filepath.IsAbs(s.args[0]) && remove.text == "":
				edits = append(edits, edit{s.start, s.end, "include " + quote(filepath.Join("/etc/nginx", s.args[0])) + ";"})
			case s.name == "server" && s.block:
				if !hasChild(s, "listen") {
					edits = append(edits, edit{s.bodyStart, s.bodyStart, " " + listen})
				}
				walk(s.children, true)
			case s.name == "http" && s.block:
				edits = append(edits, edit{s.bodyStart, s.bodyStart, " " + httpPrelude(prefixDir)})
				walk(s.children, false)
			case s.block && !dataBlocks[s.name]:
				walk(s.children, false)
			}
		}
	}
	// A top-level listen of a wrapped snippet is removed: the wrapper has one.
	walk(top, false)

	mainCtx.WriteString(mainPrelude(prefixDir))
	if !hasEvents {
		mainCtx.WriteString(" events {}")
	}
	out := applyEdits(conf, edits)
	if !strings.HasSuffix(out, "\n") {
		out += "\n"
	}
	return out + tail.String() + mainCtx.String() + "\n"
}

func hasChild(s *stmt, name string) bool {
	for _, c := range s.children {
		if c.name == name {
			return true
		}
	}
	return false
}

func mainPrelude(prefix string) string {
	var b strings.Builder
	if os.Geteuid() == 0 {
		// Workers would otherwise run as nobody, who cannot enter the
		// 0700 test temp directory.
		b.WriteString("user root; ")
	}
	fmt.Fprintf(&b, "worker_processes 1; pid %s; error_log %s info;",
		quote(filepath.Join(prefix, "nginx.pid")), quote(filepath.Join(prefix, "error.log")))
	return b.String()
}

func httpPrelude(prefix string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "access_log %s;", quote(filepath.Join(prefix, "access.log")))
	for _, d := range []string{"client_body", "proxy", "fastcgi", "uwsgi", "scgi"} {
		fmt.Fprintf(&b, " %s_temp_path %s;", d, quote(filepath.Join(prefix, d+"_temp")))
	}
	return b.String()
}

func quote(s string) string { return `"` + s + `"` }

// keepNewlines returns only the newlines of s, so removing s keeps line numbers.
func keepNewlines(s string) string { return strings.Repeat("\n", strings.Count(s, "\n")) }

type edit struct {
	start, end int
	text       string
}

// applyEdits applies non-overlapping edits. At one offset, insertions come
// before a replacement and keep their order.
func applyEdits(s string, edits []edit) string {
	sort.SliceStable(edits, func(i, j int) bool {
		a, b := edits[i], edits[j]
		if a.start != b.start {
			return a.start < b.start
		}
		return a.start == a.end && b.start != b.end
	})
	var b strings.Builder
	pos := 0
	for _, e := range edits {
		if e.start < pos {
			continue // overlapping: cannot happen with the edits Prepare makes
		}
		b.WriteString(s[pos:e.start])
		b.WriteString(e.text)
		pos = e.end
	}
	b.WriteString(s[pos:])
	return b.String()
}

// stmt is a directive: name and arguments, then `;` or a block.
type stmt struct {
	name       string
	args       []string
	start, end int // byte offsets of the name and just after `;` or `}`
	block      bool
	bodyStart  int // just after `{`
	children   []*stmt
}

// parse is a tolerant nginx tokenizer: words, quoted strings, `{ } ;` and
// `#` comments. Unbalanced input yields a best-effort tree (nginx -t reports
// the real error).
func parse(s string) []*stmt {
	root := &stmt{}
	stack := []*stmt{root}
	var cur *stmt
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			i++
		case c == '#':
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case c == ';':
			i++
			if cur != nil {
				cur.end = i
				cur = nil
			}
		case c == '{':
			i++
			if cur == nil {
				cur = &stmt{start: i - 1}
				parent := stack[len(stack)-1]
				parent.children = append(parent.children, cur)
			}
			cur.block, cur.bodyStart = true, i
			stack = append(stack, cur)
			cur = nil
		case c == '}':
			i++
			cur = nil
			if len(stack) > 1 {
				stack[len(stack)-1].end = i
				stack = stack[:len(stack)-1]
			}
		default:
			start := i
			word := readWord(s, &i)
			if cur == nil {
				cur = &stmt{name: word, start: start, end: len(s)}
				parent := stack[len(stack)-1]
				parent.children = append(parent.children, cur)
			} else {
				cur.args = append(cur.args, word)
			}
		}
	}
	for _, open := range stack[1:] {
		open.end = len(s)
	}
	return root.children
}

// readWord reads a bare or quoted token at s[*i] and returns it unquoted.
func readWord(s string, i *int) string {
	if q := s[*i]; q == '"' || q == '\'' {
		var b strings.Builder
		for *i++; *i < len(s) && s[*i] != q; *i++ {
			if s[*i] == '\\' && *i+1 < len(s) {
				*i++
			}
			b.WriteByte(s[*i])
		}
		if *i < len(s) {
			*i++ // closing quote
		}
		return b.String()
	}
	start := *i
	for *i < len(s) && !strings.ContainsRune(" \t\r\n;{}", rune(s[*i])) {
		switch {
		case s[*i] == '\\' && *i+1 < len(s):
			*i++
		case s[*i] == '$' && *i+1 < len(s) && s[*i+1] == '{':
			if j := strings.IndexByte(s[*i:], '}'); j > 0 {
				*i += j
			}
		}
		*i++
	}
	return s[start:*i]
}
