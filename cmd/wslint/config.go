package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/lazyre"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/nginx/spec"
	"github.com/wslint/wslint/lint/textdist"
	"github.com/wslint/wslint/lint/unit"
	"github.com/wslint/wslint/rules"
	"github.com/wslint/wslint/schemas"
)

// configName is the configuration file found from the working directory
// upward to the repository root.
const configName = ".wslint.yaml"

// fileConfig is a validated `.wslint.yaml`.
type fileConfig struct {
	Path string // as shown in messages
	Dir  string // absolute directory: exclude globs are relative to it

	NginxVersion   *nginx.Version
	UnitVersion    string
	WSPaths        []string
	Endpoints      *spec.Endpoints // the knowledge base with the file's endpoints; nil when it adds none
	HeartbeatMS    int64
	HasHeartbeat   bool
	FailOn         string
	Enable         []string
	Disable        []string
	Severities     map[string]lint.Severity
	RuleOptions    map[string]map[string]any
	Exclude        []string
	excludeMatcher *globSet
}

// rawConfig mirrors schemas/wslint-config.schema.json.
type rawConfig struct {
	NginxVersion   string          `json:"nginx_version"`
	UnitVersion    string          `json:"unit_version"`
	WebsocketPaths []string        `json:"websocket_paths"`
	Endpoints      []spec.Endpoint `json:"endpoints"`
	Heartbeat      any             `json:"heartbeat"`
	FailOn         string          `json:"fail_on"`
	Enable         []string        `json:"enable"`
	Disable        []string        `json:"disable"`
	Rules          map[string]struct {
		Severity string         `json:"severity"`
		Options  map[string]any `json:"options"`
	} `json:"rules"`
	Exclude []string `json:"exclude"`
}

// findConfig looks for .wslint.yaml in dir and its parents, stopping at the
// repository root (a directory holding .git) or the file system root. It
// returns "" when there is none.
func findConfig(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, configName)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, nil
		}
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
			return "", nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", nil
		}
		dir = parent
	}
}

// displayPath shows p relative to the working directory when that is shorter.
func displayPath(p string) string {
	wd, err := os.Getwd()
	if err != nil {
		return p
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	if rel, err := filepath.Rel(wd, abs); err == nil && len(rel) < len(abs) {
		return rel
	}
	return p
}

// loadConfig reads and validates a configuration file. Every error names
// the file, the line and the offending key.
func loadConfig(p string) (*fileConfig, error) {
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", displayPath(p), unwrap(err))
	}
	return parseConfig(displayPath(p), filepath.Dir(p), data)
}

// configError is a problem at a line of the configuration file.
type configError struct {
	line int
	msg  string
}

type configErrors struct {
	path string
	errs []configError
}

func (e *configErrors) Error() string {
	sort.SliceStable(e.errs, func(i, j int) bool { return e.errs[i].line < e.errs[j].line })
	var b strings.Builder
	seen := map[string]bool{}
	for _, ce := range e.errs {
		line := fmt.Sprintf("%s:%d: %s", e.path, max(ce.line, 1), ce.msg)
		if seen[line] {
			continue
		}
		seen[line] = true
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		b.WriteString(line)
	}
	return b.String()
}

func (e *configErrors) add(line int, format string, args ...any) {
	e.errs = append(e.errs, configError{line, fmt.Sprintf(format, args...)})
}

// parseConfig validates data: YAML syntax, then the JSON Schema, then the
// values (versions, durations, rule names, rule options, globs).
func parseConfig(name, dir string, data []byte) (*fileConfig, error) {
	errs := &configErrors{path: name}
	var doc any
	if err := yaml.UnmarshalWithOptions(data, &doc); err != nil {
		var ye yaml.Error
		if errors.As(err, &ye) && ye.GetToken() != nil {
			errs.add(ye.GetToken().Position.Line, "%s", ye.GetMessage())
		} else {
			errs.add(1, "%v", err)
		}
		return nil, errs
	}
	pos := yamlPositions(data)
	doc = jsonValue(doc)
	if doc == nil {
		doc = map[string]any{}
	}
	if err := configSchema().Validate(doc); err != nil {
		var ve *jsonschema.ValidationError
		if !errors.As(err, &ve) {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		for _, leaf := range leafErrors(ve, nil) {
			schemaProblem(errs, pos, leaf)
		}
	}
	b, _ := json.Marshal(doc)
	var raw rawConfig
	if err := json.Unmarshal(b, &raw); err != nil {
		if len(errs.errs) == 0 {
			errs.add(1, "%v", err)
		}
		return nil, errs // the schema errors say what is wrong
	}
	abs, _ := filepath.Abs(dir)
	c := &fileConfig{Path: name, Dir: abs, UnitVersion: raw.UnitVersion, WSPaths: raw.WebsocketPaths, FailOn: raw.FailOn,
		Enable: raw.Enable, Disable: raw.Disable, Exclude: raw.Exclude}
	if raw.NginxVersion != "" {
		v, err := nginx.ParseVersion(raw.NginxVersion)
		if err != nil {
			errs.add(pos.value("/nginx_version"), "nginx_version: %v", err)
		}
		c.NginxVersion = &v
	}
	if raw.UnitVersion != "" {
		if _, err := unit.ParseVersion(raw.UnitVersion); err != nil {
			errs.add(pos.value("/unit_version"), "unit_version: %v", err)
		}
	}
	if len(raw.Endpoints) > 0 {
		valid := true
		for i, ep := range raw.Endpoints {
			if ep.Path == "" {
				valid = false // the schema says so
				continue
			}
			if _, err := spec.DefaultEndpoints().WithEntries(ep); err != nil {
				_, msg, _ := strings.Cut(err.Error(), ": ") // "entry 1: ..."
				errs.add(pos.value(fmt.Sprintf("/endpoints/%d", i)), "endpoints[%d]: %s", i, msg)
				valid = false
			}
		}
		if valid {
			c.Endpoints, _ = spec.DefaultEndpoints().WithEntries(raw.Endpoints...)
		}
	}
	switch h := raw.Heartbeat.(type) {
	case string:
		ms, err := lint.ParseDuration(h)
		if err != nil {
			errs.add(pos.value("/heartbeat"), "heartbeat %q: %v (want an nginx time such as \"25s\")", h, err)
		}
		c.HeartbeatMS, c.HasHeartbeat = ms, true
	case float64:
		c.HeartbeatMS, c.HasHeartbeat = int64(h)*1000, true
	}
	for _, list := range []struct {
		key  string
		keys []string
	}{{"enable", raw.Enable}, {"disable", raw.Disable}} {
		for i, k := range list.keys {
			if _, ok := rules.Registry.Lookup(k); !ok && k != "all" {
				errs.add(pos.value(fmt.Sprintf("/%s/%d", list.key, i)), "%s: %s", list.key, unknownRule(k))
			}
		}
	}
	ids := make([]string, 0, len(raw.Rules))
	for k := range raw.Rules {
		ids = append(ids, k)
	}
	sort.Strings(ids)
	for _, key := range ids {
		rc := raw.Rules[key]
		ptr := "/rules/" + escapePointer(key)
		r, ok := rules.Registry.Lookup(key)
		if !ok {
			errs.add(pos.key(ptr), "rules: %s", unknownRule(key))
			continue
		}
		if rc.Severity != "" {
			s, _ := lint.ParseSeverity(rc.Severity) // the schema allows only valid ones
			if c.Severities == nil {
				c.Severities = map[string]lint.Severity{}
			}
			c.Severities[r.ID] = s
		}
		if rc.Options != nil {
			if err := lint.ValidateRuleOptions(rules.Registry.All(), map[string]map[string]any{r.ID: rc.Options}); err != nil {
				errs.add(pos.key(ptr+"/options"), "rules.%s.options: %v", key, err)
				continue
			}
			if c.RuleOptions == nil {
				c.RuleOptions = map[string]map[string]any{}
			}
			c.RuleOptions[r.ID] = rc.Options
		}
	}
	gs, bad := compileGlobs(raw.Exclude)
	for _, i := range bad {
		errs.add(pos.value(fmt.Sprintf("/exclude/%d", i)), "exclude: invalid glob %q", raw.Exclude[i])
	}
	c.excludeMatcher = gs
	if len(errs.errs) > 0 {
		return nil, errs
	}
	return c, nil
}

// unknownRule says that key names no rule, suggesting the nearest one and
// listing the valid choices.
func unknownRule(key string) string {
	hint := ""
	if s := rules.Registry.Suggest(key); s != "" {
		hint = fmt.Sprintf(" (did you mean %q?)", s)
	}
	ids := make([]string, 0, len(rules.Registry.All()))
	for _, r := range rules.Registry.All() {
		ids = append(ids, r.ID)
	}
	return fmt.Sprintf("unknown rule %q%s; valid rules (IDs or names): %s", key, hint, strings.Join(ids, ", "))
}

var (
	configSchemaOnce sync.Once
	configSchemaVal  *jsonschema.Schema
)

// configSchema compiles schemas/wslint-config.schema.json once.
func configSchema() *jsonschema.Schema {
	configSchemaOnce.Do(func() {
		b, err := schemas.FS.ReadFile("wslint-config.schema.json")
		if err != nil {
			panic(err) // embedded: a test proves it exists
		}
		c := jsonschema.NewCompiler()
		c.Draft = jsonschema.Draft2020
		if err := c.AddResource("wslint-config.schema.json", bytes.NewReader(b)); err != nil {
			panic(err)
		}
		configSchemaVal = c.MustCompile("wslint-config.schema.json")
	})
	return configSchemaVal
}

func leafErrors(e *jsonschema.ValidationError, out []*jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(e.Causes) == 0 {
		return append(out, e)
	}
	for _, c := range e.Causes {
		out = leafErrors(c, out)
	}
	return out
}

// additionalRE is compiled on first use: only an invalid .wslint.yaml needs it.
var additionalRE = lazyre.New(`'([^']*)'`)

// schemaProblem turns one schema violation into a message at a line.
func schemaProblem(errs *configErrors, pos yamlPos, e *jsonschema.ValidationError) {
	ptr := unescapeLocation(e.InstanceLocation)
	kw := e.KeywordLocation[strings.LastIndex(e.KeywordLocation, "/")+1:]
	where := dotted(ptr)
	if where == "" {
		where = "the document"
	}
	switch kw {
	case "additionalProperties":
		for _, m := range additionalRE().FindAllStringSubmatch(e.Message, -1) {
			key := m[1]
			full := strings.TrimPrefix(dotted(ptr)+"."+key, ".")
			msg := fmt.Sprintf("unknown key %q", full)
			if s := nearestKey(key, ptr); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			errs.add(pos.key(ptr+"/"+escapePointer(key)), "%s", msg)
		}
		return
	case "type":
		msg := e.Message
		if strings.HasSuffix(ptr, "_version") {
			msg += "; quote the version: \"1.30.0\""
		}
		errs.add(pos.value(ptr), "%s: %s", where, msg)
		return
	case "pattern":
		want := "a version such as \"1.30.0\""
		if strings.HasPrefix(ptr, "/websocket_paths") {
			want = "a path that starts with /"
		}
		errs.add(pos.value(ptr), "%s: invalid value, want %s", where, want)
		return
	}
	errs.add(pos.value(ptr), "%s: %s", where, e.Message)
}

// nearestKey proposes a known key for a misspelt one at the object ptr.
func nearestKey(key, ptr string) string {
	var known []string
	switch {
	case ptr == "":
		known = []string{"nginx_version", "unit_version", "websocket_paths", "endpoints", "heartbeat", "fail_on", "enable", "disable", "rules", "exclude"}
	case strings.HasPrefix(ptr, "/rules/"):
		known = []string{"severity", "options"}
	case strings.HasPrefix(ptr, "/endpoints/"):
		known = []string{"path", "match", "what", "client_url"}
	}
	best, bestD := "", 3
	for _, k := range known {
		if d := textdist.Distance(key, k, 64); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

// unescapeLocation turns jsonschema v5's instance location (RFC 6901
// tokens, each URL-path-escaped) into a plain JSON pointer.
func unescapeLocation(loc string) string {
	if loc == "" {
		return ""
	}
	toks := strings.Split(strings.TrimPrefix(loc, "/"), "/")
	for i, t := range toks {
		if u, err := url.PathUnescape(t); err == nil {
			toks[i] = u
		}
	}
	return "/" + strings.Join(toks, "/")
}

func escapePointer(tok string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(tok)
}

// dotted renders a pointer as a YAML key path: /rules/WS201/severity →
// rules.WS201.severity, /exclude/2 → exclude[2].
func dotted(ptr string) string {
	if ptr == "" {
		return ""
	}
	var b strings.Builder
	for _, t := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		t = strings.NewReplacer("~1", "/", "~0", "~").Replace(t)
		if _, err := strconv.Atoi(t); err == nil {
			fmt.Fprintf(&b, "[%s]", t)
			continue
		}
		if b.Len() > 0 {
			b.WriteString(".")
		}
		b.WriteString(t)
	}
	return b.String()
}

// jsonValue converts a decoded YAML value into the types encoding/json
// produces (map[string]any, []any, float64, string, bool, nil), which the
// schema validator and the rules' option validators expect.
func jsonValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = jsonValue(e)
		}
		return out
	case map[any]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[fmt.Sprint(k)] = jsonValue(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonValue(e)
		}
		return out
	case int:
		return float64(x)
	case int64:
		return float64(x)
	case uint64:
		return float64(x)
	case float32:
		return float64(x)
	case float64, string, bool, nil:
		return x
	}
	return fmt.Sprint(v)
}

// yamlPos maps JSON pointers to the lines of keys and values.
type yamlPos struct{ keys, values map[string]int }

// key returns the line of the key at ptr (else its value's, else the
// nearest enclosing one's).
func (p yamlPos) key(ptr string) int {
	for {
		if l, ok := p.keys[ptr]; ok {
			return l
		}
		if l, ok := p.values[ptr]; ok {
			return l
		}
		if ptr == "" {
			return 1
		}
		ptr = ptr[:strings.LastIndex(ptr, "/")]
	}
}

// value returns the line of the value at ptr (else its key's).
func (p yamlPos) value(ptr string) int {
	if l, ok := p.values[ptr]; ok {
		return l
	}
	return p.key(ptr)
}

func yamlPositions(data []byte) yamlPos {
	p := yamlPos{keys: map[string]int{}, values: map[string]int{}}
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		return p
	}
	line := func(n ast.Node) int {
		if n == nil || n.GetToken() == nil {
			return 0
		}
		return n.GetToken().Position.Line
	}
	var walk func(n ast.Node, ptr string)
	entry := func(mv *ast.MappingValueNode, ptr string) {
		if mv == nil || mv.Key == nil || mv.Key.GetToken() == nil {
			return
		}
		k := ptr + "/" + escapePointer(mv.Key.GetToken().Value)
		p.keys[k] = line(mv.Key)
		if l := line(mv.Value); l > 0 {
			p.values[k] = l
		}
		walk(mv.Value, k)
	}
	walk = func(n ast.Node, ptr string) {
		switch n := n.(type) {
		case *ast.DocumentNode:
			walk(n.Body, ptr)
		case *ast.MappingNode:
			for _, mv := range n.Values {
				entry(mv, ptr)
			}
		case *ast.MappingValueNode:
			entry(n, ptr)
		case *ast.SequenceNode:
			for i, v := range n.Values {
				k := ptr + "/" + strconv.Itoa(i)
				p.values[k] = line(v)
				walk(v, k)
			}
		case *ast.AnchorNode:
			walk(n.Value, ptr)
		case *ast.TagNode:
			walk(n.Value, ptr)
		}
	}
	for _, d := range f.Docs {
		walk(d, "")
		break // the configuration is the first document
	}
	return p
}

// globSet matches slash-separated paths relative to the configuration's
// directory. A pattern without `/` matches a name at any depth; one with
// `/` is anchored at the directory. `*`, `?` and `[...]` match within a
// segment, `**` any number of segments. A pattern that matches a directory
// excludes everything below it.
type globSet struct{ patterns [][]string }

func compileGlobs(patterns []string) (*globSet, []int) {
	gs := &globSet{}
	var bad []int
	for i, p := range patterns {
		p = strings.TrimPrefix(strings.TrimSuffix(filepath.ToSlash(p), "/"), "./")
		segs := strings.Split(p, "/")
		if !strings.Contains(p, "/") {
			segs = []string{"**", p}
		} else if segs[0] == "" {
			segs = segs[1:] // "/vendor": anchored, as in .gitignore
		}
		ok := true
		for _, s := range segs {
			if _, err := path.Match(s, ""); err != nil {
				ok = false
			}
		}
		if !ok {
			bad = append(bad, i)
			continue
		}
		gs.patterns = append(gs.patterns, segs)
	}
	return gs, bad
}

// match reports whether rel (slash-separated, relative) or one of its
// parent directories matches a pattern.
func (g *globSet) match(rel string) bool {
	if g == nil {
		return false
	}
	segs := strings.Split(rel, "/")
	for _, p := range g.patterns {
		for n := len(segs); n > 0; n-- {
			if matchSegs(p, segs[:n]) {
				return true
			}
		}
	}
	return false
}

func matchSegs(pat, segs []string) bool {
	if len(pat) == 0 {
		return len(segs) == 0
	}
	if pat[0] == "**" {
		for i := 0; i <= len(segs); i++ {
			if matchSegs(pat[1:], segs[i:]) {
				return true
			}
		}
		return false
	}
	if len(segs) == 0 {
		return false
	}
	if ok, _ := path.Match(pat[0], segs[0]); !ok {
		return false
	}
	return matchSegs(pat[1:], segs[1:])
}

// excluded reports whether the configuration excludes the file at p (a
// path as the user named it).
func (c *fileConfig) excluded(p string) bool {
	if c == nil || c.excludeMatcher == nil || len(c.excludeMatcher.patterns) == 0 || p == "-" {
		return false
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return false
	}
	rel, err := filepath.Rel(c.Dir, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return false // outside the configuration's tree
	}
	return c.excludeMatcher.match(filepath.ToSlash(rel))
}
