package lint

import (
	"strings"
	"testing"
)

func TestValidIDAndName(t *testing.T) {
	for id, want := range map[string]bool{"WS001": true, "WS999": true, "WS01": false, "WS0001": false, "ws001": false, "WSabc": false, "XS001": false, "WS00١": false} {
		if got := validID(id); got != want {
			t.Errorf("validID(%q) = %v, want %v", id, got, want)
		}
	}
	for name, want := range map[string]bool{
		"syntax-error": true, "h2c": true, "a-b-c-d-e-f": true, "a-b-c-d-e-f-g": false,
		"": false, "-a": false, "a-": false, "a--b": false, "Syntax-error": false, "a_b": false, "a b": false, "é": false,
	} {
		if got := validName(name); got != want {
			t.Errorf("validName(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestRegistryProblems(t *testing.T) {
	ok := &Rule{ID: "WS990", Name: "fine-rule", Severity: Warning, Check: func(*Pass) []Finding { return nil },
		Doc: Doc{Summary: "A summary", Why: "w", Bad: "b", Good: "g", References: []string{"r"}}}
	if _, err := NewRegistry(ok); err != nil {
		t.Fatalf("valid rule refused: %v", err)
	}
	bad := &Rule{ID: "WS99", Name: "Bad_Name", Severity: Warning, Doc: Doc{Summary: "Ends with a period."}}
	_, err := NewRegistry(bad)
	if err == nil {
		t.Fatal("invalid rule accepted")
	}
	for _, want := range []string{"ID must match", "kebab-case", "Doc.Why is empty", "without final period", "References is empty", "Check is nil"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	dup := *ok
	dup.ID = "WS991"
	func() {
		defer func() {
			if recover() == nil {
				t.Error("MustRegistry accepted a name given twice")
			}
		}()
		MustRegistry(ok, &dup)
	}()
}
