package lint

import (
	"bytes"
	"testing"

	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
)

// A fix round that applies a FixFirst rule's fix (a rename) applies no
// other: the other rule's fix, planned on the text before the rename,
// would add the line the rename restores a second time.
func TestFixFirstRoundAlone(t *testing.T) {
	fix := func(p *Pass, start, end int, text string) []Finding {
		f := p.Nginx.Files[0]
		return []Finding{{RuleID: p.Rule.ID, Severity: Error, Span: source.Span{File: f, Start: start, End: end},
			Fixes: []Fix{{Applies: Safe, Edits: []source.TextEdit{{File: f, Start: start, End: end, New: text}}}}}}
	}
	rename := &Rule{ID: "WS801", Name: "test-rename", Lang: Nginx, Severity: Error, FixFirst: true, Check: func(p *Pass) []Finding {
		if i := bytes.Index(p.Nginx.Files[0].Data, []byte("Xa")); i >= 0 {
			return fix(p, i, i+2, "xa")
		}
		return nil
	}}
	add := &Rule{ID: "WS802", Name: "test-add", Lang: Nginx, Severity: Error, Check: func(p *Pass) []Finding {
		if data := p.Nginx.Files[0].Data; !bytes.Contains(data, []byte("xa")) {
			return fix(p, len(data), len(data), "xa 2;\n")
		}
		return nil
	}}
	in := []*source.File{source.NewFile("a.conf", []byte("Xa 1;\n"))}
	res := FixNginx([]*Rule{rename, add}, in, nginx.LoadOptions{NoIncludes: true}, &Options{NginxVersion: nginx.DefaultVersion}, Safe)
	if got := string(res.Changed["a.conf"]); got != "xa 1;\n" {
		t.Errorf("fixed to %q, want %q (the rename alone)", got, "xa 1;\n")
	}
	rename.FixFirst = false // the test's premise: planned together, both apply
	res = FixNginx([]*Rule{rename, add}, in, nginx.LoadOptions{NoIncludes: true}, &Options{NginxVersion: nginx.DefaultVersion}, Safe)
	if got := string(res.Changed["a.conf"]); got != "xa 1;\nxa 2;\n" {
		t.Errorf("without FixFirst: fixed to %q, want both fixes", got)
	}
}
