package web

import (
	"bytes"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"

	udiff "github.com/aymanbagabas/go-udiff"
	"github.com/go-chi/chi/v5"
	"github.com/santhosh-tekuri/jsonschema/v5"
	"github.com/wslint/wslint/generate"
	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/nginx/spec"
	"github.com/wslint/wslint/lint/source"
	"github.com/wslint/wslint/lint/unit"
	"github.com/wslint/wslint/rules"
)

// Request schemas, by path below schemas/.
const (
	lintSchema          = "api/lint-request.schema.json"
	fixSchema           = "api/fix-request.schema.json"
	generateNginxSchema = "api/generate-nginx-request.schema.json"
	generateUnitSchema  = "api/generate-unit-request.schema.json"
)

type api struct {
	maxBody int64
	// slots bounds the engine runs in progress (see run); wait is how long
	// a request waits for one.
	slots   chan struct{}
	wait    time.Duration
	schemas map[string]*jsonschema.Schema
	// files are the schema documents served at /api/v1/schemas/.
	files map[string][]byte
	// ruleList and ruleDocs are rendered once: the registry is static.
	ruleList []byte
	ruleDocs map[string][]byte // by lowercase ID
	// defaultRules is the selection of a request without enable or
	// disable: rules.Registry.Select(false, nil, nil).
	defaultRules []*lint.Rule
}

func newAPI(o Options) (*api, error) {
	files, err := schemaFiles()
	if err != nil {
		return nil, err
	}
	sch, err := compileSchemas(files, lintSchema, fixSchema, generateNginxSchema, generateUnitSchema)
	if err != nil {
		return nil, err
	}
	a := &api{maxBody: o.MaxBody, slots: make(chan struct{}, o.Concurrency), wait: o.BacklogTimeout,
		schemas: sch, files: files, ruleDocs: map[string][]byte{}}
	if a.defaultRules, err = rules.Registry.Select(false, nil, nil); err != nil {
		return nil, err
	}
	var docs []lint.RuleDocument
	for _, r := range rules.Registry.All() {
		d := lint.NewRuleDocument(r)
		docs = append(docs, d)
		a.ruleDocs[strings.ToLower(r.ID)] = encode(d)
	}
	a.ruleList = encode(struct {
		Rules []lint.RuleDocument `json:"rules"`
	}{docs})
	return a, nil
}

func encode(v any) []byte {
	b, err := marshalIndent(v)
	if err != nil {
		panic(err) // plain structs of strings and bools: cannot fail
	}
	return b
}

// lintRequest is the body of /lint and /fix (schemas/api/*-request.schema.json).
type lintRequest struct {
	Kind         string          `json:"kind"`
	Config       string          `json:"config"`
	Filename     string          `json:"filename"`
	NginxVersion string          `json:"nginx_version"`
	UnitVersion  string          `json:"unit_version"`
	WSPaths      []string        `json:"ws_paths"`
	Endpoints    []spec.Endpoint `json:"endpoints"`
	Enable       []string        `json:"enable"`
	Disable      []string        `json:"disable"`
	Unsafe       bool            `json:"unsafe"` // fix only: the lint schema rejects it
}

// job is a validated request: what lint.Run and lint.FixInput take.
type job struct {
	rules []*lint.Rule
	in    lint.Input
	opts  *lint.Options
	file  *source.File
}

// noFiles is the loader's file system: nothing a request names is ever
// opened. NoIncludes already keeps the loader from asking; this makes
// sure of it.
var noFiles = nginx.LoadOptions{
	NoIncludes: true,
	ReadFile:   func(string) ([]byte, error) { return nil, fs.ErrPermission },
	Glob:       func(string) ([]string, error) { return nil, fs.ErrPermission },
}

func (a *api) prepare(req *lintRequest) (*job, *requestError) {
	opts := lint.DefaultOptions()
	var details []detail
	if req.NginxVersion != "" {
		v, err := nginx.ParseVersion(req.NginxVersion)
		if err != nil {
			details = append(details, detail{Pointer: "/nginx_version", Message: err.Error()})
		}
		opts.NginxVersion = v
	}
	if req.UnitVersion != "" {
		if _, err := unit.ParseVersion(req.UnitVersion); err != nil {
			details = append(details, detail{Pointer: "/unit_version", Message: err.Error()})
		}
		opts.UnitVersion = req.UnitVersion
	}
	opts.WSPaths = req.WSPaths
	if len(req.Endpoints) > 0 {
		for i, ep := range req.Endpoints {
			if _, err := spec.DefaultEndpoints().WithEntries(ep); err != nil {
				_, msg, _ := strings.Cut(err.Error(), ": ") // "entry 1: ..."
				details = append(details, detail{Pointer: fmt.Sprintf("/endpoints/%d", i), Message: msg})
			}
		}
		if eps, err := spec.DefaultEndpoints().WithEntries(req.Endpoints...); err == nil {
			opts.Endpoints, opts.Endpoint = eps, eps.Match
		}
	}
	var selected []*lint.Rule
	var err error
	if len(req.Enable) > 0 || len(req.Disable) > 0 {
		selected, err = rules.Registry.Select(false, req.Enable, req.Disable)
	} else {
		selected = slices.Clone(a.defaultRules) // a copy: nothing the engine does reaches the next request
	}
	if err != nil {
		details = append(details, detail{Pointer: ruleKeyPointer(req), Message: err.Error()})
	}
	if len(details) > 0 {
		msg := "invalid request: " + details[0].Message
		if i := strings.Index(msg, "; valid rules:"); i >= 0 {
			msg = msg[:i] // the detail keeps the list
		}
		return nil, badRequest(msg, details...)
	}
	kind := kindOf(req.Kind)
	f := source.NewFile(label(req.Filename), []byte(req.Config))
	if f.Path == "" { // no usable name: one after the kind the nameless file reads as
		isUnit := lint.IsUnitFile(f, kind)
		f.Path = "nginx.conf"
		if isUnit {
			f.Path = "unit.json"
		}
	}
	return &job{rules: selected, opts: opts, file: f, in: lint.Input{Files: []*source.File{f}, Kind: kind, Load: noFiles}}, nil
}

// ruleKeyPointer finds the enable or disable entry that names no rule.
func ruleKeyPointer(req *lintRequest) string {
	for _, l := range []struct {
		name string
		keys []string
	}{{"enable", req.Enable}, {"disable", req.Disable}} {
		for i, k := range l.keys {
			if _, err := rules.Registry.Select(false, []string{k}, nil); err != nil {
				return fmt.Sprintf("/%s/%d", l.name, i)
			}
		}
	}
	return ""
}

func kindOf(s string) lint.Kind {
	switch s {
	case "nginx":
		return lint.KindNginx
	case "unit":
		return lint.KindUnit
	}
	return lint.KindAuto
}

// label turns a client's file name into a harmless label: a base name of
// letters, digits, '.', '_' and '-', without leading dots ("" when nothing
// is left). It is never a path: nothing is read or written under it. Like
// the CLI's --stdin-filename, a .json name makes auto-detection read Unit.
func label(name string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
		if b.Len() >= 100 {
			break
		}
	}
	s := strings.TrimLeft(b.String(), ".")
	if strings.Trim(s, "_.") == "" {
		return ""
	}
	return s
}

// setKind tells the page how the configuration was read (the body stays
// exactly the CLI's document).
func setKind(w http.ResponseWriter, j *job) {
	kind := "nginx"
	if lint.IsUnitFile(j.file, j.in.Kind) {
		kind = "unit"
	}
	w.Header().Set("X-Wslint-Kind", kind)
}

func (a *api) decodeLint(w http.ResponseWriter, r *http.Request, schema string) (*job, *lintRequest, bool) {
	var req lintRequest
	if e := decodeBody(w, r, a.maxBody, a.schemas[schema], &req); e != nil {
		writeError(w, e.status, e.msg, e.details...)
		return nil, nil, false
	}
	j, e := a.prepare(&req)
	if e != nil {
		writeError(w, e.status, e.msg, e.details...)
		return nil, nil, false
	}
	j.opts.Done = r.Context().Done() // the engine stops at the deadline (run)
	return j, &req, true
}

// lint answers exactly the document of `wslint lint --format json`.
func (a *api) lint(w http.ResponseWriter, r *http.Request) {
	j, _, ok := a.decodeLint(w, r, lintSchema)
	if !ok {
		return
	}
	var report *lint.Report
	if !a.run(w, r, func() {
		res := lint.Run(j.rules, j.in, j.opts)
		report = lint.NewReport(res.Findings, len(res.Files))
	}) {
		return
	}
	setKind(w, j)
	writeJSON(w, http.StatusOK, report)
}

// run runs the engine (fn) in a slot and reports whether it finished in
// time. It runs on the request's goroutine: handing it to another one (a
// wake-up each way) cost the service about 7% of its throughput under
// `make bench-api` (0.02 of the echo's, ten interleaved pairs). At the deadline
// the engine stops at its next step (lint.Options.Done, which decodeLint
// sets to the request's context): run returns false, the Timeout middleware
// answers 504, and the slot is free again. A request that finds every slot
// taken for a.wait gets 429. A panic in fn reaches the Recoverer, and the
// slot is still given back.
func (a *api) run(w http.ResponseWriter, r *http.Request, fn func()) bool {
	ctx := r.Context()
	select {
	case a.slots <- struct{}{}:
	default:
		t := time.NewTimer(a.wait)
		defer t.Stop()
		select {
		case a.slots <- struct{}{}:
		case <-t.C:
			w.Header().Set("Retry-After", "1")
			writeError(w, http.StatusTooManyRequests, "the server is at capacity: retry in a moment")
			return false
		case <-ctx.Done():
			return false
		}
	}
	defer func() { <-a.slots }()
	fn()
	return ctx.Err() == nil
}

// fixResponse is schemas/api/fix-response.schema.json.
type fixResponse struct {
	Fixed    string               `json:"fixed"`
	Diff     string               `json:"diff"`
	Findings []lint.ReportFinding `json:"findings"`
}

// fix applies the fixes as `wslint fix` does: safe ones, unsafe ones too
// when asked; a configuration that does not parse is left as it is.
func (a *api) fix(w http.ResponseWriter, r *http.Request) {
	j, req, ok := a.decodeLint(w, r, fixSchema)
	if !ok {
		return
	}
	level := lint.Safe
	if req.Unsafe {
		level = lint.Unsafe
	}
	resp := fixResponse{Fixed: req.Config}
	if !a.run(w, r, func() {
		if !parses(j) {
			res := lint.Run(j.rules, j.in, j.opts)
			resp.Findings = lint.NewReport(res.Findings, len(res.Files)).Findings
			return
		}
		res := lint.FixInput(j.rules, j.in, j.opts, level)
		if b, changed := res.Changed[j.file.Path]; changed && !bytes.Equal(b, j.file.Data) {
			resp.Fixed = string(b)
			resp.Diff = udiff.Unified("a/"+j.file.Path, "b/"+j.file.Path, req.Config, resp.Fixed)
		}
		resp.Findings = lint.NewReport(res.Remaining, len(res.Files)).Findings
	}) {
		return
	}
	setKind(w, j)
	writeJSON(w, http.StatusOK, resp)
}

// parses reports whether the configuration, read as lint.Run reads it, has
// no syntax error: the CLI's `fix` refuses such input, and so does this.
func parses(j *job) bool {
	if lint.IsUnitFile(j.file, j.in.Kind) {
		c := unit.Load(j.file)
		return c.SyntaxOK() || len(c.Problems) == 0
	}
	for _, p := range nginx.Load(j.in.Files, j.in.Load).Problems {
		if p.Kind == nginx.ProblemSyntax {
			return false
		}
	}
	return true
}

// generateNginxRequest is schemas/api/generate-nginx-request.schema.json.
type generateNginxRequest struct {
	Listen       []string `json:"listen"`
	ServerName   string   `json:"server_name"`
	Upstreams    []string `json:"upstreams"`
	WSPaths      []string `json:"ws_paths"`
	TLSCert      string   `json:"tls_cert"`
	TLSKey       string   `json:"tls_key"`
	Keepalive    int      `json:"keepalive"`
	ReadTimeout  string   `json:"read_timeout"`
	NginxVersion string   `json:"nginx_version"`
	Full         bool     `json:"full"`
	Preset       string   `json:"preset"`
}

type generateResponse struct {
	Config string `json:"config"`
}

func (a *api) generateNginx(w http.ResponseWriter, r *http.Request) {
	var req generateNginxRequest
	if e := decodeBody(w, r, a.maxBody, a.schemas[generateNginxSchema], &req); e != nil {
		writeError(w, e.status, e.msg, e.details...)
		return
	}
	conf, err := generate.Nginx(generate.NginxSpec{
		Listen: req.Listen, ServerName: req.ServerName, Upstreams: req.Upstreams, WSPaths: req.WSPaths,
		TLSCert: req.TLSCert, TLSKey: req.TLSKey, Keepalive: req.Keepalive, ReadTimeout: req.ReadTimeout,
		NginxVersion: req.NginxVersion, Full: req.Full, Preset: req.Preset,
	})
	a.generated(w, conf, err)
}

// generateUnitRequest is schemas/api/generate-unit-request.schema.json.
type generateUnitRequest struct {
	Preset        string   `json:"preset"`
	Name          string   `json:"name"`
	AppType       string   `json:"app_type"`
	Protocol      string   `json:"protocol"`
	Module        string   `json:"module"`
	Callable      string   `json:"callable"`
	Path          string   `json:"path"`
	Home          string   `json:"home"`
	Executable    string   `json:"executable"`
	Listen        []string `json:"listen"`
	WSPaths       []string `json:"ws_paths"`
	Static        string   `json:"static"`
	Processes     int      `json:"processes"`
	WSReadTimeout int      `json:"ws_read_timeout"`
	WSKeepalive   int      `json:"ws_keepalive"`
}

func (a *api) generateUnit(w http.ResponseWriter, r *http.Request) {
	var req generateUnitRequest
	if e := decodeBody(w, r, a.maxBody, a.schemas[generateUnitSchema], &req); e != nil {
		writeError(w, e.status, e.msg, e.details...)
		return
	}
	conf, err := generate.Unit(generate.UnitSpec{
		Preset: req.Preset, Name: req.Name, AppType: req.AppType, Protocol: req.Protocol, Module: req.Module,
		Callable: req.Callable, Path: req.Path, Home: req.Home, Executable: req.Executable, Listen: req.Listen,
		WSPaths: req.WSPaths, Static: req.Static, Processes: req.Processes,
		WSReadTimeout: req.WSReadTimeout, WSKeepalive: req.WSKeepalive,
	})
	a.generated(w, conf, err)
}

// flagRE finds the CLI flag a generator's message starts with.
var flagRE = regexp.MustCompile(`^--([a-z][a-z0-9-]*)`)

// generated answers a generator's output, or its error as a 400 whose
// detail points at the field when the message names its flag.
func (a *api) generated(w http.ResponseWriter, conf string, err error) {
	if err != nil {
		ptr := ""
		if m := flagRE.FindStringSubmatch(err.Error()); m != nil {
			ptr = "/" + strings.ReplaceAll(m[1], "-", "_")
		}
		writeError(w, http.StatusBadRequest, "invalid generator options: "+err.Error(), detail{Pointer: ptr, Message: err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, generateResponse{Config: conf})
}

func (a *api) rules(w http.ResponseWriter, r *http.Request) {
	writeRaw(w, "application/json", a.ruleList)
}

func (a *api) rule(w http.ResponseWriter, r *http.Request) {
	key := chi.URLParam(r, "id")
	rule, ok := rules.Registry.Lookup(key)
	if !ok {
		writeError(w, http.StatusNotFound, fmt.Sprintf("unknown rule %q: GET /api/v1/rules lists them", key))
		return
	}
	writeRaw(w, "application/json", a.ruleDocs[strings.ToLower(rule.ID)])
}

// schema and apiSchema serve the embedded JSON Schemas the OpenAPI
// document refers to: a lookup in a map built at start-up, never a path.
func (a *api) schema(w http.ResponseWriter, r *http.Request) {
	a.serveSchema(w, chi.URLParam(r, "name"))
}

func (a *api) apiSchema(w http.ResponseWriter, r *http.Request) {
	a.serveSchema(w, "api/"+chi.URLParam(r, "name"))
}

func (a *api) serveSchema(w http.ResponseWriter, name string) {
	b, ok := a.files[name]
	if !ok {
		writeError(w, http.StatusNotFound, fmt.Sprintf("no schema %q", name))
		return
	}
	writeRaw(w, "application/schema+json", b)
}
