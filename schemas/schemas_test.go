package schemas

import (
	"encoding/json"
	"io/fs"
	"strings"
	"testing"
)

func TestUnitConfigEmbedded(t *testing.T) {
	b := UnitConfig()
	if len(b) == 0 {
		t.Fatal("unit-config.schema.json is not embedded")
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("unit-config.schema.json: %v", err)
	}
	if got := doc["$schema"]; got != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("$schema = %v, want draft 2020-12", got)
	}
	// A caller may modify the returned slice without affecting later calls.
	b[0] = 'x'
	if UnitConfig()[0] != '{' {
		t.Error("UnitConfig does not return a copy")
	}
}

func TestAllEmbeddedSchemasAreJSON(t *testing.T) {
	names, err := fs.Glob(FS, "*")
	if err != nil {
		t.Fatal(err)
	}
	if len(names) == 0 {
		t.Fatal("no schema files embedded")
	}
	for _, name := range names {
		if !strings.HasSuffix(name, ".schema.json") {
			t.Errorf("unexpected embedded file %s", name)
			continue
		}
		b, err := FS.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !json.Valid(b) {
			t.Errorf("%s is not valid JSON", name)
		}
	}
}
