package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strings"

	udiff "github.com/aymanbagabas/go-udiff"
	"github.com/go-chi/chi/v5"
	"github.com/santhosh-tekuri/jsonschema/v5"
	"github.com/wslint/wslint/generate"
	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
	"github.com/wslint/wslint/rules"
)

// Request schemas, by path below schemas/.
const (
	lintSchema          = "api/lint-request.schema.json"
	fixSchema           = "api/fix-request.schema.json"
	generateNginxSchema = "api/generate-nginx-request.schema.json"
)

type api struct {
	maxBody int64
	schemas map[string]*jsonschema.Schema
	// files are the schema documents served at /api/v1/schemas/.
	files map[string][]byte
	// ruleList and ruleDocs are rendered once: the registry is static.
	ruleList []byte
	ruleDocs map[string][]byte // by lowercase ID
}

func newAPI(o Options) (*api, error) {
	files, err := schemaFiles()
	if err != nil {
		return nil, err
	}
	sch, err := compileSchemas(files, lintSchema, fixSchema, generateNginxSchema)
	if err != nil {
		return nil, err
	}
	a := &api{maxBody: o.MaxBody, schemas: sch, files: files, ruleDocs: map[string][]byte{}}
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
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		panic(err) // plain structs of strings and bools: cannot fail
	}
	return buf.Bytes()
}

// lintRequest is the body of /lint and /fix (schemas/api/*-request.schema.json).
type lintRequest struct {
	Kind         string   `json:"kind"`
	Config       string   `json:"config"`
	Filename     string   `json:"filename"`
	NginxVersion string   `json:"nginx_version"`
	UnitVersion  string   `json:"unit_version"`
	WSPaths      []string `json:"ws_paths"`
	Enable       []string `json:"enable"`
	Disable      []string `json:"disable"`
	Unsafe       bool     `json:"unsafe"` // fix only: the lint schema rejects it
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
	opts.UnitVersion = req.UnitVersion
	opts.WSPaths = req.WSPaths
	selected, err := rules.Registry.Select(false, req.Enable, req.Disable)
	if err != nil {
		details = append(details, detail{Pointer: ruleKeyPointer(req), Message: err.Error()})
	}
	if len(details) > 0 {
		return nil, badRequest("invalid request: "+details[0].Message, details...)
	}
	kind := kindOf(req.Kind)
	f := source.NewFile(label(req.Filename, kind), []byte(req.Config))
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
// letters, digits, '.', '_' and '-', without leading dots. It is never a
// path: nothing is read or written under it.
func label(name string, kind lint.Kind) string {
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
		if kind == lint.KindUnit {
			return "unit.json"
		}
		return "nginx.conf"
	}
	return s
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
	return j, &req, true
}

// lint answers exactly the document of `wslint lint --format json`.
func (a *api) lint(w http.ResponseWriter, r *http.Request) {
	j, _, ok := a.decodeLint(w, r, lintSchema)
	if !ok {
		return
	}
	res := lint.Run(j.rules, j.in, j.opts)
	if r.Context().Err() != nil {
		return // Timeout answers 504
	}
	writeJSON(w, http.StatusOK, lint.NewReport(res.Findings, len(res.Files)))
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
	if j.in.Kind != lint.KindUnit && !parses(j) {
		res := lint.Run(j.rules, j.in, j.opts)
		resp.Findings = lint.NewReport(res.Findings, len(res.Files)).Findings
	} else {
		res := lint.FixInput(j.rules, j.in, j.opts, level)
		if b, changed := res.Changed[j.file.Path]; changed && !bytes.Equal(b, j.file.Data) {
			resp.Fixed = string(b)
			resp.Diff = udiff.Unified("a/"+j.file.Path, "b/"+j.file.Path, req.Config, resp.Fixed)
		}
		resp.Findings = lint.NewReport(res.Remaining, len(res.Files)).Findings
	}
	if r.Context().Err() != nil {
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

// parses reports whether the nginx configuration has no syntax error (the
// CLI's `fix` refuses such input too).
func parses(j *job) bool {
	if j.in.Kind == lint.KindAuto && looksLikeUnit(j.file) {
		return true
	}
	for _, p := range nginx.Load(j.in.Files, j.in.Load).Problems {
		if p.Kind == nginx.ProblemSyntax {
			return false
		}
	}
	return true
}

// looksLikeUnit reports whether auto-detection reads f as NGINX Unit JSON.
func looksLikeUnit(f *source.File) bool {
	return false
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
	if err != nil {
		writeError(w, http.StatusBadRequest, "invalid generator options: "+err.Error(), detail{Pointer: "", Message: err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, generateResponse{Config: conf})
}

func (a *api) generateUnit(w http.ResponseWriter, r *http.Request) {
	writeError(w, http.StatusNotImplemented, "the NGINX Unit generator is not available in this build")
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
func (a *api) schema(w http.ResponseWriter, r *http.Request) { a.serveSchema(w, chi.URLParam(r, "name")) }

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
