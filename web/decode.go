package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	gojson "github.com/goccy/go-json"
	"github.com/santhosh-tekuri/jsonschema/v5"
	"github.com/wslint/wslint/schemas"
)

// schemaBase is the $id prefix of wslint's schemas: files of schemas.FS are
// schemaBase+name, files of schemas.API are schemaBase+"api/"+name.
const schemaBase = "https://github.com/wslint/wslint/schemas/"

// schemaFiles returns every embedded schema by its path below schemas/
// ("findings.schema.json", "api/lint-request.schema.json").
func schemaFiles() (map[string][]byte, error) {
	out := map[string][]byte{}
	for _, fsys := range []fs.FS{schemas.FS, schemas.API} {
		err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".schema.json") {
				return err
			}
			b, err := fs.ReadFile(fsys, p)
			out[p] = b
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("embedded schemas: %w", err)
		}
	}
	return out, nil
}

// compileSchemas compiles the named request schemas; every embedded schema
// is a resource, so relative $refs between them resolve offline.
func compileSchemas(files map[string][]byte, names ...string) (map[string]*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.LoadURL = func(s string) (io.ReadCloser, error) {
		return nil, fmt.Errorf("schema %s is not embedded (no remote loading)", s)
	}
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		if err := c.AddResource(schemaBase+p, bytes.NewReader(files[p])); err != nil {
			return nil, fmt.Errorf("schema %s: %w", p, err)
		}
	}
	out := map[string]*jsonschema.Schema{}
	for _, n := range names {
		s, err := c.Compile(schemaBase + n)
		if err != nil {
			return nil, fmt.Errorf("schema %s: %w", n, err)
		}
		out[n] = s
	}
	return out, nil
}

// requestError is a 4xx answer to a request body.
type requestError struct {
	status  int
	msg     string
	details []detail
}

func (e *requestError) Error() string { return e.msg }

func badRequest(msg string, details ...detail) *requestError {
	return &requestError{status: http.StatusBadRequest, msg: msg, details: details}
}

// bodyBuffers recycles request-body buffers: the body is only read while
// decodeBody runs (go-json copies every string it decodes).
var bodyBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledBody bounds the buffers kept for reuse, so a few 1 MiB bodies
// do not pin their buffers.
const maxPooledBody = 64 << 10

// decodeBody reads at most max bytes of JSON, validates them against sch
// and decodes them into dst. go-json decodes the body (into `any` for the
// schema, then into dst unless dst is a docReader that reads the `any`)
// as encoding/json would, several times faster
// (TestDecodeLikeEncodingJSON and FuzzDecode compare them); when it fails,
// encoding/json decodes the body again, so every 400 is worded as before.
func decodeBody(w http.ResponseWriter, r *http.Request, max int64, sch *jsonschema.Schema, dst any) *requestError {
	buf := bodyBuffers.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= maxPooledBody {
			bodyBuffers.Put(buf)
		}
	}()
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, max))
	data := buf.Bytes()
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return &requestError{status: http.StatusRequestEntityTooLarge, msg: fmt.Sprintf("request body is larger than %s", size(max))}
		}
		return badRequest("cannot read the request body: " + err.Error())
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return badRequest("empty request body: send a JSON object", detail{Pointer: "", Message: "expected a JSON object"})
	}
	// Numbers decode as float64: exact for every bound the schemas set.
	var doc any
	if gojson.Unmarshal(data, &doc) != nil {
		doc = nil
		if err := json.Unmarshal(data, &doc); err != nil {
			return badRequest("malformed JSON", detail{Pointer: "", Message: syntaxMessage(data, err)})
		}
	}
	if err := sch.Validate(doc); err != nil {
		var ve *jsonschema.ValidationError
		if !errors.As(err, &ve) {
			return badRequest("invalid request: " + err.Error())
		}
		return badRequest("invalid request: the body does not match "+schemaName(sch), schemaDetails(ve)...)
	}
	if d, ok := dst.(docReader); ok {
		if m, ok := doc.(map[string]any); ok && d.fromDoc(m) {
			return nil
		}
		reflect.ValueOf(dst).Elem().SetZero()
	}
	if gojson.Unmarshal(data, dst) != nil {
		reflect.ValueOf(dst).Elem().SetZero()
		if err := json.Unmarshal(data, dst); err != nil {
			// The schema admits only what dst can hold; keep a 400 regardless.
			return badRequest("invalid request: " + err.Error())
		}
	}
	return nil
}

// A docReader fills itself from the decoded body, sparing decodeBody a
// second decoding of it. fromDoc reports false, leaving the value half
// filled, for anything it does not hold as encoding/json would: an
// unknown key, a value of another type, null.
type docReader interface{ fromDoc(map[string]any) bool }

// fromDoc reads every field but endpoints, whose objects it leaves to the
// decoder. A key given twice is read as its last value, as decoders do and
// as the schema saw it, where encoding/json also rejects the body when an
// earlier value has the wrong type (checkFromDoc). The strings are go-json's
// copies, not views of the pooled body buffer (TestDecodedStringsAreCopies).
func (req *lintRequest) fromDoc(doc map[string]any) bool {
	for k, v := range doc {
		var ok bool
		switch k {
		case "kind":
			req.Kind, ok = v.(string)
		case "config":
			req.Config, ok = v.(string)
		case "filename":
			req.Filename, ok = v.(string)
		case "nginx_version":
			req.NginxVersion, ok = v.(string)
		case "unit_version":
			req.UnitVersion, ok = v.(string)
		case "ws_paths":
			req.WSPaths, ok = stringList(v)
		case "enable":
			req.Enable, ok = stringList(v)
		case "disable":
			req.Disable, ok = stringList(v)
		case "unsafe":
			req.Unsafe, ok = v.(bool)
		}
		if !ok {
			return false
		}
	}
	return true
}

// stringList reads a JSON array of strings as encoding/json decodes it into
// a []string: an empty array is an empty slice, not nil.
func stringList(v any) ([]string, bool) {
	a, ok := v.([]any)
	if !ok {
		return nil, false
	}
	out := make([]string, len(a))
	for i, e := range a {
		if out[i], ok = e.(string); !ok {
			return nil, false
		}
	}
	return out, true
}

func schemaName(sch *jsonschema.Schema) string {
	return strings.TrimSuffix(strings.TrimPrefix(sch.Location, schemaBase), "#")
}

// schemaDetails flattens a validation error to its leaves, with pointers
// into the request body (v5 percent-escapes each token; RFC 6901 does not).
func schemaDetails(ve *jsonschema.ValidationError) []detail {
	var out []detail
	seen := map[detail]bool{}
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		ptr := pointer(e.InstanceLocation)
		var ds []detail
		if strings.HasSuffix(e.KeywordLocation, "/additionalProperties") {
			for _, name := range quotedNames(e.Message) {
				ds = append(ds, detail{Pointer: ptr + "/" + escapeToken(name), Message: fmt.Sprintf("unknown field %q", name)})
			}
		}
		if len(ds) == 0 {
			ds = []detail{{Pointer: ptr, Message: e.Message}}
		}
		for _, d := range ds {
			if !seen[d] {
				seen[d] = true
				out = append(out, d)
			}
		}
	}
	walk(ve)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Pointer < out[j].Pointer })
	if len(out) > 20 {
		out = out[:20]
	}
	return out
}

func pointer(loc string) string {
	if loc == "" {
		return ""
	}
	toks := strings.Split(loc, "/")
	for i, t := range toks {
		if u, err := url.PathUnescape(t); err == nil {
			toks[i] = u
		}
	}
	return strings.Join(toks, "/")
}

func escapeToken(t string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(t)
}

var quotedRE = regexp.MustCompile(`'((?:[^'\\]|\\.)*)'`)

// quotedNames reads the property names of jsonschema v5's
// "additionalProperties 'a', 'b' not allowed", sorted.
func quotedNames(msg string) []string {
	var out []string
	for _, m := range quotedRE.FindAllStringSubmatch(msg, -1) {
		q := strings.ReplaceAll(m[1], `\'`, "'")
		name, err := strconv.Unquote(`"` + strings.ReplaceAll(q, `"`, `\"`) + `"`)
		if err != nil {
			name = q
		}
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

func syntaxMessage(data []byte, err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off := int(se.Offset) - 1 // Offset is after the offending byte
		return fmt.Sprintf("%s: %v", lineCol(data, off), err)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("%s: %v", lineCol(data, int(te.Offset)), err)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Sprintf("%s: unexpected end of JSON input", lineCol(data, len(data)))
	}
	return err.Error()
}

// lineCol renders a byte offset as "line L, column C" (1-based, byte columns).
func lineCol(data []byte, off int) string {
	off = max(0, min(off, len(data)))
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	col := off - bytes.LastIndexByte(data[:off], '\n')
	return fmt.Sprintf("line %d, column %d", line, col)
}

func size(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	if n >= 1<<10 && n%(1<<10) == 0 {
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
