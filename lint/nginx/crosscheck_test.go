package nginx

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tufanbarisyildirim/gonginx/parser"

	"github.com/wslint/wslint/lint/source"
)

// bigConfig is well over chunkSize, so the cross-check runs in dedented
// chunks; every server holds a quoted argument whose later lines are
// indented, which dedent must leave alone.
func bigConfig(servers int) string {
	var b strings.Builder
	b.WriteString("events {}\nhttp {\n")
	for i := 0; i < servers; i++ {
		fmt.Fprintf(&b, "    server {\n        listen %d;\n        # a comment\n        location / {\n", 8000+i)
		b.WriteString("            return 200 \"first\n                second\n\t\tthird\";\n")
		b.WriteString("            add_header X-A 'one\n    two';\n        }\n    }\n")
	}
	b.WriteString("}\n")
	return b.String()
}

func TestChunkedCrossCheckAgreesOnIndentedQuotes(t *testing.T) {
	text := bigConfig(6000)
	if len(text) < 4*chunkSize {
		t.Fatalf("config is %d bytes, want several chunks", len(text))
	}
	c := load(t, text)
	noProblems(t, c)
}

func TestDedent(t *testing.T) {
	text := "a {\n    b \"x\n    y\";\n\t c;\n}\n"
	pf := parseTree(source.NewFile("t.conf", []byte(text)))
	got := gonginxText([]byte(text), 0, pf.special, nil, true)
	if want := "a {\nb \"x\n    y\";\nc;\n}\n"; got != want {
		t.Errorf("gonginxText = %q, want %q", got, want)
	}
	// An offset into the file: the chunk starts at "b".
	start := strings.Index(text, "b ")
	got = gonginxText([]byte(text[start:]), start, pf.special, nil, true)
	if want := "b \"x\n    y\";\nc;\n}\n"; got != want {
		t.Errorf("gonginxText of a chunk = %q, want %q", got, want)
	}
}

// A comment that fills its line does not reach gonginx, newline and all,
// at the file's start too, nor does a blank line; a comment inside a
// quoted argument, or after a directive on its line, stays.
func TestDedentDropsCommentLines(t *testing.T) {
	text := "# head\n  # two\na {\n    # in a\n\n  \t\n    b \"x\n    # quoted\n    y\"; # after\n\t#\tc;\n}\n# last"
	pf := parseTree(source.NewFile("t.conf", []byte(text)))
	got := gonginxText([]byte(text), 0, pf.special, nil, true)
	if want := "a {\nb \"x\n    # quoted\n    y\"; # after\n}\n"; got != want {
		t.Errorf("gonginxText = %q, want %q", got, want)
	}
	if serr, msg := gonginxChunk(pf.file, got, pf.roots, nil, true); serr != nil || msg != "" {
		t.Errorf("cross-check: %v %q", serr, msg)
	}
	if got := gonginxText([]byte(text), 0, pf.special, nil, false); got != text {
		t.Errorf("with columns = %q, want the text", got)
	}
	// A chunk (not at the file's start) starts at a directive.
	start := strings.Index(text, "b ")
	if got, want := gonginxText([]byte(text[start:]), start, pf.special, nil, true), "b \"x\n    # quoted\n    y\"; # after\n}\n"; got != want {
		t.Errorf("chunk = %q, want %q", got, want)
	}
}

// Lua code reaches gonginx blanked: its newlines only, or spaces in place
// of the rest when columns must hold.
func TestLuaBlanked(t *testing.T) {
	text := "location / {\n    content_by_lua_block {\n        ngx.say(\"{\")\n    }\n    return 204;\n}\n"
	pf := parseTree(source.NewFile("t.conf", []byte(text)))
	if got, want := gonginxText([]byte(text), 0, pf.special, nil, true), "location / {\ncontent_by_lua_block {\n\n}\nreturn 204;\n}\n"; got != want {
		t.Errorf("dedented = %q, want %q", got, want)
	}
	got := gonginxText([]byte(text), 0, pf.special, nil, false)
	if want := strings.Replace(text, `        ngx.say("{")`, strings.Repeat(" ", 20), 1); got != want {
		t.Errorf("with columns = %q, want %q", got, want)
	}
}

// A chunk whose tree differs from gonginx's is still reported after dedent.
func TestChunkMismatchStillFound(t *testing.T) {
	text := "server {\n    return 200 \"a\n    b\";\n}\n"
	pf := parseTree(source.NewFile("t.conf", []byte(text)))
	ret := pf.roots[0].Body[0]
	ret.Args[1].Raw = `"a b"`
	if _, msg := gonginxChunk(pf.file, gonginxText([]byte(text), 0, pf.special, nil, true), pf.roots, nil, false); !strings.Contains(msg, "argument") {
		t.Fatalf("mismatch = %q, want a differing argument", msg)
	}
}

func TestRegexCacheIsBounded(t *testing.T) {
	long := strings.Repeat("a", regexCacheLen+1)
	if _, err := compiledRE(long); err != nil {
		t.Fatal(err)
	}
	regexCache.Lock()
	_, kept := regexCache.m[long]
	regexCache.Unlock()
	if kept {
		t.Errorf("an expression over %d bytes was cached", regexCacheLen)
	}
	for i := 0; i < regexCacheMax+10; i++ {
		if re, err := compiledRE(fmt.Sprintf("^/x%d$", i)); err != nil || !re.MatchString(fmt.Sprintf("/x%d", i)) {
			t.Fatalf("expression %d: %v", i, err)
		}
	}
	regexCache.Lock()
	n := len(regexCache.m)
	regexCache.Unlock()
	if n > regexCacheMax {
		t.Errorf("cache holds %d expressions, want at most %d", n, regexCacheMax)
	}
	if _, err := compiledRE("(?<=x)"); err == nil {
		t.Error("a PCRE-only expression compiled")
	}
}

// A snippet named beside a main configuration is placed in its http block;
// the cross-check compares each file with its own text only (it used to
// count the snippet's server in nginx.conf's tree: a false WS999).
func TestCrossCheckSnippetBesideMain(t *testing.T) {
	for _, main := range []string{
		"events {}\nhttp {\n    server { listen 80; }\n}\n",
		"events {}\nhttp {\n}\n",
		bigConfig(3000), // streamed and chunked
	} {
		c := Load([]*source.File{
			source.NewFile("/etc/nginx/nginx.conf", []byte(main)),
			source.NewFile("/etc/nginx/conf.d/a.conf", []byte("server {\n    listen 81;\n}\nmap $a $b { default 1; }\n")),
		}, LoadOptions{})
		noProblems(t, c)
		if n, want := len(c.Servers()), strings.Count(main, "server {")+1; n != want {
			t.Errorf("%d servers, want %d (the snippet's too)", n, want)
		}
	}
}

// Streamed runs and the chunks made after parsing cover every directive of
// a large file exactly once: a difference anywhere is found.
func TestStreamedCrossCheckCoversEverything(t *testing.T) {
	text := bigConfig(3000) + "events_extra_marker 1;\n"
	var streamed []*Directive
	pf := parseTreeStream(source.NewFile("nginx.conf", []byte(text)), func(_ *parsedFile, ds []*Directive) {
		streamed = append(streamed, ds...)
	})
	if len(streamed) == 0 || pf.streamed == nil {
		t.Fatal("nothing was streamed from a large http block")
	}
	seen := map[*Directive]int{}
	for _, d := range streamed {
		seen[d]++
	}
	for _, j := range chunks(pf, pf.roots, nil) {
		if j.header {
			continue
		}
		for _, d := range j.roots {
			seen[d]++
		}
	}
	var http *Directive
	for _, d := range pf.roots {
		if d.Name == "http" {
			http = d
		} else if seen[d] != 1 {
			t.Errorf("top-level %s checked %d times", d.Name, seen[d])
		}
	}
	for _, d := range http.Body {
		if seen[d] != 1 {
			t.Errorf("server at %d checked %d times", d.Span.Start, seen[d])
		}
	}
}

// An included file is cross-checked as soon as it is parsed (queueWhole),
// while the loader reads the others: every file is checked once, and the
// words gonginx reads otherwise than nginx (mapped by forGonginx) raise no
// disagreement there either.
func TestQueuedIncludeCrossCheck(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "conf.d"), 0o755)
	main := "events {}\nhttp {\n    include conf.d/*.conf;\n}\n"
	os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte(main), 0o644)
	for i := 0; i < 20; i++ {
		body := fmt.Sprintf("server {\n    listen %d;\n    location / { return 200; }\n}\n", 8000+i)
		if i == 13 {
			body = "server {\n    listen 9;\n    location ~ ^/a\\ b} { add_header X `a}b; return 200 \"a\\\\\"; }\n}\n"
		}
		os.WriteFile(filepath.Join(dir, "conf.d", fmt.Sprintf("%02d.conf", i)), []byte(body), 0o644)
	}
	c := Load([]*source.File{source.NewFile(filepath.Join(dir, "nginx.conf"), []byte(main))}, LoadOptions{})
	c.CrossCheck()
	for _, p := range c.Problems {
		t.Errorf("%s: %s", filepath.Base(p.Span.File.Path), p.Message)
	}
	if len(c.Files) != 21 {
		t.Fatalf("%d files read, want 21", len(c.Files))
	}
}

// A disagreement in a file queued as soon as it was parsed is reported,
// once, on that file; a file queued early is not checked again.
func TestQueuedFileMismatchReported(t *testing.T) {
	c := &Config{Context: map[*source.File]Context{}, Comments: map[*source.File][]Comment{}}
	l := &loader{cfg: c, checker: newCrossChecker()}
	good := l.parse(source.NewFile("good.conf", []byte("server { listen 80; }\n")))
	bad := l.parse(source.NewFile("bad.conf", []byte("server { listen 81; }\n")))
	bad.roots[0].Body[0].Args[0].Raw = "82" // what gonginx reads is "81"
	l.queueWhole(good)
	l.queueWhole(bad)
	if !good.queued || !bad.queued {
		t.Fatal("small parsed files are not queued")
	}
	c.startCrossCheck(l.checker, l.cross)
	c.CrossCheck()
	var got []string
	for _, p := range c.Problems {
		got = append(got, p.Span.File.Path+": "+p.Message)
	}
	if len(got) != 1 || !strings.HasPrefix(got[0], "bad.conf: parser cross-check failed") {
		t.Fatalf("problems = %q, want one disagreement on bad.conf", got)
	}
	if n := len(l.checker.jobs); n != 2 {
		t.Fatalf("%d cross-check jobs, want 2 (one per file)", n)
	}
}

// Copies of a simple directive reach gonginx once per file; each copy is
// compared with the first, which gonginx reads. Plain directives do not
// reach gonginx at all; wslint's reading of each is compared with its words.
func TestCopiesReadOnce(t *testing.T) {
	text := "server {\n    listen 80;\n    location /a/ {\n        proxy_set_header Host \"$host x\";\n    }\n    location /b/ {\n        proxy_set_header Host \"$host x\";\n        listen 80;  # again\n    }\n}\n"
	pf := parseTree(source.NewFile("t.conf", []byte(text)))
	j := pf.job(crossJob{pf: pf, roots: pf.roots, start: 0, end: len(text), whole: true})
	var kinds []string
	for _, c := range j.skip {
		kind := "plain"
		if c.first != nil {
			kind = "copy"
		}
		kinds = append(kinds, text[c.start:c.end]+" "+kind)
	}
	if want := []string{"listen 80; plain", `proxy_set_header Host "$host x"; copy`, "listen 80; plain"}; !slices.Equal(kinds, want) {
		t.Fatalf("skip = %q, want %q", kinds, want)
	}
	got := gonginxText([]byte(text), 0, pf.special, j.skip, true)
	if want := "server {\nlocation /a/ {\nproxy_set_header Host \"$host x\";\n}\nlocation /b/ {\n  # again\n}\n}\n"; got != want {
		t.Errorf("gonginx reads %q, want %q", got, want)
	}
	if serr, msg := gonginxChunk(pf.file, got, pf.roots, j.skip, true); serr != nil || msg != "" {
		t.Errorf("copies: %v %q", serr, msg)
	}
	// A copy read otherwise than its first is a disagreement too.
	copyB := pf.roots[0].Body[2].Body[0]
	copyB.Args[1].Raw = `"$hostname x"`
	if _, msg := gonginxChunk(pf.file, got, pf.roots, j.skip, true); !strings.Contains(msg, "otherwise than its copy") {
		t.Errorf("mismatch = %q, want the copy's", msg)
	}
	copyB.Args[1].Raw = `"$host x"`
	// The first copy is compared with gonginx's reading.
	pf.roots[0].Body[1].Body[0].Args[1].Raw = `"$hostname x"`
	if _, msg := gonginxChunk(pf.file, got, pf.roots, j.skip, true); !strings.Contains(msg, "argument") {
		t.Errorf("mismatch = %q, want a differing argument", msg)
	}
	pf.roots[0].Body[1].Body[0].Args[1].Raw = `"$host x"`
	// A plain directive read otherwise than its words: another word, a
	// word more, a word fewer, another name.
	listen := pf.roots[0].Body[2].Body[1]
	for _, mutate := range []func(){
		func() { listen.Args[0].Raw = "81" },
		func() { listen.Args = append(listen.Args, listen.Args[0]) },
		func() { listen.Args = nil },
		func() { listen.nameLen-- },
	} {
		saved, savedName := slices.Clone(listen.Args), listen.nameLen
		mutate()
		if _, msg := gonginxChunk(pf.file, got, pf.roots, j.skip, true); !strings.Contains(msg, "otherwise than its words") {
			t.Errorf("mismatch = %q, want the plain directive's", msg)
		}
		listen.Args, listen.nameLen = saved, savedName
	}
}

// gonginxChunk skips gonginx's parser for blank text, assuming gonginx
// reads such text as no directive and no error; this holds that assumption
// to gonginx itself.
func TestGonginxBlank(t *testing.T) {
	for _, text := range []string{"", " ", "\n", "\t\r\n  \n", "\r\n\r\n"} {
		conf, err := parser.NewStringParser(text, parser.WithSkipValidDirectivesErr(), parser.WithSkipComments()).Parse()
		if err != nil {
			t.Errorf("gonginx on %q: %v", text, err)
		} else if n := len(conf.Block.GetDirectives()); n != 0 {
			t.Errorf("gonginx on %q: %d directives", text, n)
		}
	}
}
