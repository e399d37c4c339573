package schemas

import (
	"encoding/json"
	"io/fs"
	"testing"
)

func TestAPISchemasEmbedded(t *testing.T) {
	names, err := fs.Glob(API, "api/*.schema.json")
	if err != nil || len(names) < 8 {
		t.Fatalf("API schemas: %v %v", names, err)
	}
	for _, name := range names {
		b, _ := API.ReadFile(name)
		var doc struct {
			Schema string `json:"$schema"`
			ID     string `json:"$id"`
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if doc.Schema != "https://json-schema.org/draft/2020-12/schema" {
			t.Errorf("%s: $schema %q, want draft 2020-12", name, doc.Schema)
		}
		if want := "https://github.com/wslint/wslint/schemas/" + name; doc.ID != want {
			t.Errorf("%s: $id %q, want %q", name, doc.ID, want)
		}
	}
}
