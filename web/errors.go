package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/go-chi/chi/v5/middleware"
	"github.com/wslint/wslint/lint"
)

// apiError is the body of every error response (schemas/api/error.schema.json).
type apiError struct {
	Error   string   `json:"error"`
	Details []detail `json:"details,omitempty"`
}

// detail names the offending part of a request body.
type detail struct {
	Pointer string `json:"pointer"` // RFC 6901, into the request body
	Message string `json:"message"`
}

func writeError(w http.ResponseWriter, status int, msg string, details ...detail) {
	writeJSON(w, status, apiError{Error: msg, Details: details})
}

// writeJSON encodes v as `wslint lint --format json` does (two-space
// indent, no HTML escaping, a final newline), so the lint answer is the
// CLI's byte for byte (cmd/wslint/serve_test.go compares them). Served as
// application/json with nosniff, the unescaped `<` cannot become markup.
func writeJSON(w http.ResponseWriter, status int, v any) {
	buf := outBuffers.Get().(*bytes.Buffer)
	buf.Reset()
	if err := encodeJSON(buf, v); err != nil {
		// Only a bug can get here: every value encoded is a plain struct.
		status = http.StatusInternalServerError
		buf.Reset()
		fmt.Fprintf(buf, "{\n  \"error\": %q\n}\n", "internal error: encode response: "+err.Error())
	}
	w.Header().Set("Content-Type", "application/json")
	// The length, known here, spares net/http chunking answers over 2 KB.
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	w.Write(buf.Bytes()) // copied or sent before Write returns: buf can be reused
	if buf.Cap() <= maxPooledBody {
		outBuffers.Put(buf)
	}
}

// outBuffers recycles the encoded answers of writeJSON.
var outBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// encodeJSON is lint.EncodeJSON (TestEncodeLikeEncodingJSON compares it
// with encoding/json).
func encodeJSON(buf *bytes.Buffer, v any) error { return lint.EncodeJSON(buf, v) }

// marshalIndent is encodeJSON into a new slice (documents rendered once,
// and the middleware's error answers).
func marshalIndent(v any) ([]byte, error) {
	var buf bytes.Buffer
	err := encodeJSON(&buf, v)
	return buf.Bytes(), err
}

func writeRaw(w http.ResponseWriter, contentType string, b []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Write(b)
}

// jsonErrors turns the bare error responses of middleware (chi's Throttle
// 429, AllowContentType 415, Timeout 504, Recoverer 500, the file server's
// 404) into the API's JSON error document. Responses that already are JSON
// pass untouched; a status written after the response started (Timeout
// after a late handler) is dropped.
func jsonErrors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(&errorWriter{ResponseWriter: w, r: r}, r)
	})
}

type errorWriter struct {
	http.ResponseWriter
	r        *http.Request
	wrote    bool
	replaced bool
}

func (w *errorWriter) WriteHeader(code int) {
	if w.wrote {
		return
	}
	w.wrote = true
	ct := w.Header().Get("Content-Type")
	if code < 400 || strings.HasPrefix(ct, "application/json") {
		w.ResponseWriter.WriteHeader(code)
		return
	}
	w.replaced = true
	h := w.Header()
	h.Del("Content-Length")
	h.Set("Content-Type", "application/json")
	b, _ := marshalIndent(apiError{Error: statusMessage(code, w.ResponseWriter, w.r)})
	w.ResponseWriter.WriteHeader(code)
	w.ResponseWriter.Write(b)
}

func (w *errorWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	if w.replaced {
		return len(b), nil
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *errorWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func statusMessage(code int, w http.ResponseWriter, r *http.Request) string {
	switch code {
	case http.StatusNotFound:
		return "no such page: " + r.URL.Path
	case http.StatusMethodNotAllowed:
		msg := "method " + r.Method + " is not allowed here"
		if allow := w.Header().Values("Allow"); len(allow) > 0 {
			msg += " (allowed: " + strings.Join(allow, ", ") + ")"
		}
		return msg
	case http.StatusUnsupportedMediaType:
		return "unsupported content type " + quoteOrNone(r.Header.Get("Content-Type")) + ": send a JSON body with Content-Type: application/json"
	case http.StatusTooManyRequests:
		return "the server is at capacity: retry in a moment"
	case http.StatusGatewayTimeout:
		return "the request took too long and was abandoned"
	case http.StatusInternalServerError:
		return "internal error (a bug in wslint: please report it with request ID " + middleware.GetReqID(r.Context()) + ")"
	}
	return strings.ToLower(http.StatusText(code))
}

func quoteOrNone(s string) string {
	if s == "" {
		return "(none)"
	}
	if len(s) > 100 {
		s = s[:100] + "…"
	}
	return fmt.Sprintf("%q", s)
}
