package lint

import (
	"strings"
	"testing"

	"github.com/wslint/wslint/lint/source"
	"github.com/wslint/wslint/lint/unit"
)

func unitRule(id string, check func(p *Pass) []Finding) *Rule {
	return &Rule{ID: id, Name: "test-" + strings.ToLower(id), Lang: Unit, Severity: Error, Default: true, Check: check}
}

func TestRunUnitPanicAndMeta(t *testing.T) {
	f := source.NewFile("a.json", []byte(`{"listeners": {}}`))
	crash := unitRule("WS598", func(p *Pass) []Finding { panic("boom") })
	meta := &Rule{ID: "WS997", Name: "meta", Lang: Meta, Severity: Error, Check: func(p *Pass) []Finding {
		if p.Nginx == nil || p.Unit == nil {
			t.Errorf("meta pass: Nginx %v, Unit %v", p.Nginx, p.Unit)
		}
		return nil
	}}
	ngx := &Rule{ID: "WS097", Name: "nginx-only", Lang: Nginx, Severity: Error, Check: func(p *Pass) []Finding {
		t.Errorf("an nginx rule ran on Unit")
		return nil
	}}
	fs := RunUnit([]*Rule{crash, meta, ngx}, unit.Load(f), nil)
	if len(fs) != 1 || fs[0].RuleID != InternalErrorID || !strings.Contains(fs[0].Message, "WS598") {
		t.Fatalf("findings %+v", fs)
	}
}

func TestIsUnitFile(t *testing.T) {
	tests := []struct {
		path, data string
		kind       Kind
		want       bool
	}{
		{"a.conf", `{"listeners": {}}`, KindAuto, true},
		{"unit", "// c\n{\"applications\": {}}", KindAuto, true},
		{"x.json", `{"foo": 1}`, KindAuto, true},
		{"x.json", "/* c */ {\"listeners\": {\"*:80\": {}\n", KindAuto, true},
		{"x.JSON", `[1, 2]`, KindAuto, true},
		{"x.json", "server { listen 80; }", KindAuto, false},
		{"nginx.conf", "events {}\nhttp {}\n", KindAuto, false},
		{"nginx.conf", "events {}", KindUnit, true},
		{"a.json", `{"listeners": {}}`, KindNginx, false},
	}
	for _, tc := range tests {
		if got := IsUnitFile(source.NewFile(tc.path, []byte(tc.data)), tc.kind); got != tc.want {
			t.Errorf("IsUnitFile(%s, %q, %d) = %v", tc.path, tc.data, tc.kind, got)
		}
	}
}

// fixRule returns a rule whose finding carries the edits make returns.
func fixRule(id string, make func(c *unit.Config) []source.TextEdit) *Rule {
	return unitRule(id, func(p *Pass) []Finding {
		if !p.Unit.SyntaxOK() {
			return nil
		}
		edits := make(p.Unit)
		if edits == nil {
			return nil
		}
		return []Finding{p.Finding(p.Unit.Root.Span, "x").WithFix(Safe, "fix", edits...)}
	})
}

func TestFixUnitGuarantees(t *testing.T) {
	doc := "{\n    // keep me\n    \"listeners\": {}\n}\n"
	f := source.NewFile("a.json", []byte(doc))
	breaks := fixRule("WS597", func(c *unit.Config) []source.TextEdit {
		return []source.TextEdit{{File: c.File, Start: 0, End: 1, New: "["}}
	})
	res := FixUnit([]*Rule{breaks}, []*source.File{f}, nil, Safe)
	if len(res.Changed) != 0 || !hasInternal(res.Remaining, "would break the JSON") || len(res.Applied) != 0 {
		t.Errorf("breaking fix: changed %v, applied %v, remaining %v", res.Changed, res.Applied, res.Remaining)
	}
	comment := fixRule("WS596", func(c *unit.Config) []source.TextEdit {
		s := c.Comments[0]
		return []source.TextEdit{{File: c.File, Start: s.Start, End: s.End, New: "// gone"}}
	})
	res = FixUnit([]*Rule{comment}, []*source.File{f}, nil, Safe)
	if len(res.Changed) != 0 || !hasInternal(res.Remaining, "edits a comment") {
		t.Errorf("comment fix: changed %v, remaining %v", res.Changed, res.Remaining)
	}
	dup := fixRule("WS595", func(c *unit.Config) []source.TextEdit {
		edits, _ := InsertMember(c.Root, "listeners", "{}")
		return edits
	})
	res = FixUnit([]*Rule{dup}, []*source.File{f}, nil, Safe)
	if len(res.Changed) != 0 || !hasInternal(res.Remaining, "would break the JSON") {
		t.Errorf("duplicate-key fix: changed %v, remaining %v", res.Changed, res.Remaining)
	}
	n := 0
	forever := fixRule("WS594", func(c *unit.Config) []source.TextEdit {
		n++
		edits, _ := InsertMember(c.Root, "k"+strings.Repeat("x", n), "1")
		return edits
	})
	res = FixUnit([]*Rule{forever}, []*source.File{f}, nil, Safe)
	if !hasInternal(res.Remaining, "did not converge after 10 rounds") || len(res.Applied) != MaxFixRounds {
		t.Errorf("non-converging: applied %d, remaining %v", len(res.Applied), res.Remaining)
	}
	if got := string(res.Changed["a.json"]); !strings.Contains(got, "// keep me") {
		t.Errorf("comment lost:\n%s", got)
	}
}

func hasInternal(fs []Finding, text string) bool {
	for _, f := range fs {
		if f.RuleID == InternalErrorID && strings.Contains(f.Message, text) {
			return true
		}
	}
	return false
}

func TestInsertMember(t *testing.T) {
	tests := []struct{ in, ptr, want string }{
		{`{"a": {}}`, "/a", `{"a": {"k": 1}}`},
		{`{"a": {"b": 2}}`, "/a", `{"a": {"b": 2, "k": 1}}`},
		{`{"a": {"b": 2,}}`, "/a", `{"a": {"b": 2, "k": 1,}}`},
		{"{\n  \"b\": 2\n}", "", "{\n  \"b\": 2,\n  \"k\": 1\n}"},
		{"{\n  \"b\": 2 // two\n}", "", "{\n  \"b\": 2, // two\n  \"k\": 1\n}"},
		{"{\n  \"b\": 2, /* two */\n}", "", "{\n  \"b\": 2, /* two */\n  \"k\": 1,\n}"},
		{"{\n  \"b\": {\n    \"c\": 3\n  }\n}", "", "{\n  \"b\": {\n    \"c\": 3\n  },\n  \"k\": 1\n}"},
		{"{\n  \"b\": 2}", "", "{\n  \"b\": 2, \"k\": 1}"},
		{"{\r\n\t\"b\": 2\r\n}", "", "{\r\n\t\"b\": 2,\r\n\t\"k\": 1\r\n}"},
		{"{\n  \"b\": 2\n}", "/b", ""},
	}
	for _, tc := range tests {
		f := source.NewFile("x.json", []byte(tc.in))
		c := unit.Load(f)
		edits, ok := InsertMember(c.Find(tc.ptr), "k", "1")
		if tc.want == "" {
			if ok {
				t.Errorf("InsertMember(%q at %q) = %v, want refusal", tc.in, tc.ptr, edits)
			}
			continue
		}
		if !ok {
			t.Errorf("InsertMember(%q at %q) refused", tc.in, tc.ptr)
			continue
		}
		if got := string(source.ApplyEdits(f.Data, edits)); got != tc.want {
			t.Errorf("InsertMember(%q at %q) =\n%s\nwant\n%s", tc.in, tc.ptr, got, tc.want)
		}
	}
}

func TestJSONString(t *testing.T) {
	for in, want := range map[string]string{"a": `"a"`, "a\"b": `"a\"b"`, "é\n": `"é\n"`, "\x01": `"\u0001"`} {
		if got := JSONString(in); got != want {
			t.Errorf("JSONString(%q) = %s, want %s", in, got, want)
		}
	}
}
