package lint

import (
	"io"

	gojson "github.com/goccy/go-json"
)

// EncodeJSON writes v as encoding/json's Encoder with SetIndent("", "  ")
// and SetEscapeHTML(false) does, byte for byte, but with go-json: about a
// tenth of encoding/json's time for a lint report, which encoding/json
// indents in a second, scanner-driven pass (about a quarter of a
// `--format json` lint of 10k servers, with its 10,000 findings). Every JSON document wslint writes goes
// through it: the CLI's json, sarif, gitlab and rdjson formats and rule
// documents, and the HTTP API's answers. Tests in web and cmd/wslint compare
// it with encoding/json.
func EncodeJSON(w io.Writer, v any) error {
	enc := gojson.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
