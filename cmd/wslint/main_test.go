package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"
	"github.com/wslint/wslint/schemas"
)

// wslint runs the CLI in-process and returns stdout, stderr and the exit code.
func wslint(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), code
}

func findingsSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	b, err := schemas.FS.ReadFile("findings.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	if err := c.AddResource("findings.schema.json", bytes.NewReader(b)); err != nil {
		t.Fatal(err)
	}
	return c.MustCompile("findings.schema.json")
}

func validateJSON(t *testing.T, sch *jsonschema.Schema, out string) map[string]any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(out))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if err := sch.Validate(doc); err != nil {
		t.Fatalf("output does not match findings.schema.json: %#v\n%s", err, out)
	}
	return doc.(map[string]any)
}

func ruleIDs(doc map[string]any) []string {
	var ids []string
	for _, f := range doc["findings"].([]any) {
		ids = append(ids, f.(map[string]any)["rule"].(string))
	}
	return ids
}

func TestJSONOutputMatchesSchema(t *testing.T) {
	sch := findingsSchema(t)
	for _, dir := range []string{"../../testdata/rules/WS104", "../../testdata/rules/WS101", "../../testdata/examples"} {
		out, stderr, code := wslint(t, "", "lint", "--format", "json", dir)
		if code != exitFindings && code != exitClean {
			t.Fatalf("%s: exit %d: %s", dir, code, stderr)
		}
		validateJSON(t, sch, out)
	}
}

// The seed case of the core issue.
func TestSeedCase(t *testing.T) {
	sch := findingsSchema(t)
	seed := "../../testdata/cli/seed.conf"
	out, _, code := wslint(t, "", "lint", "--format", "json", "--ws-path", "/ws", seed)
	doc := validateJSON(t, sch, out)
	if got := ruleIDs(doc); code != exitFindings || !containsID(got, "WS101") {
		t.Errorf("with --ws-path /ws: exit %d, rules %v; want WS101", code, got)
	}
	f := doc["findings"].([]any)[0].(map[string]any)
	if f["line"].(json.Number) != "4" {
		t.Errorf("WS101 at line %v, want 4 (the location's proxy_pass)", f["line"])
	}
	out, _, code = wslint(t, "", "lint", "--format", "json", seed)
	if got := ruleIDs(validateJSON(t, sch, out)); containsID(got, "WS101") {
		t.Errorf("without evidence: exit %d, rules %v; want no WS101", code, got)
	}
}

func TestCanonicalIsClean(t *testing.T) {
	out, stderr, code := wslint(t, "", "lint", "../../testdata/examples/canonical/nginx.conf")
	if code != exitClean {
		t.Errorf("canonical config: exit %d\n%s%s", code, out, stderr)
	}
}

func TestExitCodesAndErrors(t *testing.T) {
	bad := "../../testdata/cli/trap.conf" // only WS104 at warning or above
	cases := []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"lint", bad}, exitFindings, ""},
		{[]string{"lint", "--fail-on", "never", bad}, exitClean, ""},
		{[]string{"lint", "--disable", "WS104", bad}, exitClean, ""},
		{[]string{"lint", "--disable", "inherited-headers-dropped", bad}, exitClean, ""},
		{[]string{"lint", "--enable", "WS777", bad}, exitUsage, "unknown rule \"WS777\""},
		{[]string{"lint", "--fail-on", "fatal", bad}, exitUsage, "--fail-on"},
		{[]string{"lint", "--format", "yaml", bad}, exitUsage, "--format"},
		{[]string{"lint", "--no-such-flag", bad}, exitUsage, "unknown flag"},
		{[]string{"lint", "does/not/exist.conf"}, exitUsage, "no such file"},
		{[]string{"lint"}, exitUsage, "requires at least 1 arg"},
		{[]string{bad}, exitFindings, ""}, // lint is the default command
	}
	for _, c := range cases {
		_, stderr, code := wslint(t, "", c.args...)
		if code != c.code || !strings.Contains(stderr, c.err) {
			t.Errorf("wslint %v: exit %d, stderr %q; want exit %d with %q", c.args, code, stderr, c.code, c.err)
		}
		if strings.Contains(stderr, "goroutine") || strings.Contains(stderr, "panic") {
			t.Errorf("wslint %v: stack trace on stderr", c.args)
		}
	}
}

func TestStdin(t *testing.T) {
	conf, _ := os.ReadFile("../../testdata/rules/WS104/bad.conf")
	out, _, code := wslint(t, string(conf), "lint", "--stdin-filename", "site.conf", "-")
	if code != exitFindings || !strings.HasPrefix(out, "site.conf:") {
		t.Errorf("stdin: exit %d, output %q", code, out)
	}
}

func TestNoColorWhenPiped(t *testing.T) {
	out, _, _ := wslint(t, "", "lint", "../../testdata/rules/WS104/bad.conf")
	if strings.Contains(out, "\x1b[") {
		t.Error("colour escapes in piped output")
	}
	out, _, _ = wslint(t, "", "lint", "--color", "always", "../../testdata/rules/WS104/bad.conf")
	if !strings.Contains(out, "\x1b[") {
		t.Error("no colour with --color always")
	}
}

func TestFixWrite(t *testing.T) {
	dir := t.TempDir()
	src, _ := os.ReadFile("../../testdata/cli/trap.conf")
	path := filepath.Join(dir, "site.conf")
	os.WriteFile(path, src, 0o640)
	if _, stderr, code := wslint(t, "", "fix", "-w", path); code != exitClean {
		t.Fatalf("fix -w: exit %d: %s", code, stderr)
	}
	got, _ := os.ReadFile(path)
	if bytes.Equal(got, src) || !strings.Contains(string(got), "proxy_set_header Connection $connection_upgrade;\n    }") {
		t.Errorf("fix -w did not write the fix:\n%s", got)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640", st.Mode().Perm())
	}
	if _, _, code := wslint(t, "", "lint", path); code != exitClean {
		t.Errorf("fixed file still has findings")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

func TestFixRefusesAndLeavesFileUntouched(t *testing.T) {
	dir := t.TempDir()
	src, _ := os.ReadFile("../../testdata/rules/WS104/bad.conf")
	ro := filepath.Join(dir, "ro.conf")
	os.WriteFile(ro, src, 0o444)
	broken := filepath.Join(dir, "broken.conf")
	os.WriteFile(broken, []byte("server {\n    listen 80;\n"), 0o644)
	for _, c := range []struct {
		path, err string
	}{{ro, "read-only"}, {broken, "does not parse"}, {filepath.Join(dir, "missing.conf"), "no such file"}} {
		before, _ := os.ReadFile(c.path)
		_, stderr, code := wslint(t, "", "fix", "-w", c.path)
		if code != exitUsage || !strings.Contains(stderr, c.err) {
			t.Errorf("fix -w %s: exit %d, stderr %q; want exit 2 with %q", filepath.Base(c.path), code, stderr, c.err)
		}
		if after, _ := os.ReadFile(c.path); !bytes.Equal(before, after) {
			t.Errorf("fix -w %s changed the file", filepath.Base(c.path))
		}
	}
}

func containsID(ids []string, id string) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// run builds only the subcommand a command line names (newRootFor): the
// names in subcommands must be those of the commands they build, and each
// subcommand (and its children) must behave as it does in the whole tree.
func TestSubcommands(t *testing.T) {
	full := newRoot(strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
	if got, want := len(full.Commands()), len(subcommands); got != want {
		t.Fatalf("the root has %d commands, subcommands lists %d", got, want)
	}
	for _, sc := range subcommands {
		c := sc.build()
		if c.Name() != sc.name || len(c.Aliases) > 0 {
			t.Errorf("subcommands: %q builds %q (aliases %v)", sc.name, c.Name(), c.Aliases)
		}
		lines := [][]string{{sc.name, "--help"}, {sc.name, "--no-such-flag"}, {"help", sc.name}}
		for _, sub := range c.Commands() {
			lines = append(lines, []string{sc.name, sub.Name(), "--help"})
		}
		for _, args := range lines {
			var wantOut, wantErr, gotOut, gotErr bytes.Buffer
			root := newRoot(strings.NewReader(""), &wantOut, &wantErr)
			root.SetArgs(args)
			wantCode := root.Execute()
			root = newRootFor(args, strings.NewReader(""), &gotOut, &gotErr)
			root.SetArgs(args)
			gotCode := root.Execute()
			if gotOut.String() != wantOut.String() || gotErr.String() != wantErr.String() || fmt.Sprint(gotCode) != fmt.Sprint(wantCode) {
				t.Errorf("wslint %s: with only %s built:\n%s%s%v\nwith every command:\n%s%s%v", strings.Join(args, " "), sc.name,
					gotOut.String(), gotErr.String(), gotCode, wantOut.String(), wantErr.String(), wantCode)
			}
		}
	}
}

// A mistyped command is named as one, not linted as a missing file; a file
// of that name is linted, and a word close to no command is a missing file.
func TestMistypedCommand(t *testing.T) {
	for typo, cmd := range map[string]string{"lnt": "lint", "fx": "fix", "genrate": "generate", "serv": "serve", "Trace": "trace"} {
		if _, stderr, code := wslint(t, "", typo, "nginx.conf"); code != exitUsage || !strings.Contains(stderr, `did you mean "`+cmd+`"?`) {
			t.Errorf("wslint %s: exit %d, stderr %q; want a usage error suggesting %s", typo, code, stderr, cmd)
		}
	}
	if _, stderr, code := wslint(t, "", "x"); code != exitUsage || strings.Contains(stderr, "did you mean") || !strings.Contains(stderr, "no such file") {
		t.Errorf("wslint x: exit %d, stderr %q; want no such file, with no suggestion", code, stderr)
	}
	t.Chdir(t.TempDir())
	if err := os.WriteFile("lnt", []byte("events {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := wslint(t, "", "lnt"); code != exitClean {
		t.Errorf("wslint lnt, with a file named lnt: exit %d, stderr %q; want it linted", code, stderr)
	}
}
