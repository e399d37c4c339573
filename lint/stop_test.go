package lint

import (
	"slices"
	"testing"

	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
)

// Options.Done ends a run at its next step: the rules after the one during
// which the caller gave up do not run, in Run and in the fix loops of both
// languages, and a run without Done runs every rule.
func TestDoneStopsTheRun(t *testing.T) {
	var ran []string
	var done chan struct{}
	rule := func(id string, lang Lang, stop bool) *Rule {
		return &Rule{ID: id, Name: "test-" + id, Lang: lang, Severity: Error, Default: true, Check: func(p *Pass) []Finding {
			ran = append(ran, id)
			if stop && !isClosed(done) {
				close(done)
			}
			// A fixable finding, so that fix would go on to another round.
			var f *source.File
			text := " "
			if lang == Nginx {
				f, text = p.Nginx.Files[0], "# x\n"
			} else {
				f = p.Unit.File
			}
			return []Finding{{RuleID: id, Severity: Error, Span: source.Span{File: f},
				Fixes: []Fix{{Applies: Safe, Edits: []source.TextEdit{{File: f, New: text}}}}}}
		}}
	}
	rules := []*Rule{rule("WS801", Nginx, true), rule("WS802", Nginx, false), rule("WS591", Unit, true), rule("WS592", Unit, false),
		{ID: "WS903", Name: "test-meta", Lang: Meta, Severity: Info, Check: func(p *Pass) []Finding { ran = append(ran, "WS903"); return nil }}}
	ngx := func() Input {
		return Input{Files: []*source.File{source.NewFile("a.conf", []byte("events {}\n"))}, Kind: KindNginx, Load: nginx.LoadOptions{NoIncludes: true}}
	}
	uni := func() Input {
		return Input{Files: []*source.File{source.NewFile("a.json", []byte(`{"listeners": {}}`))}, Kind: KindUnit}
	}
	for _, tc := range []struct {
		name string
		run  func(*Options) (changed int)
		want []string
	}{
		{"lint nginx", func(o *Options) int { Run(rules, ngx(), o); return 0 }, []string{"WS801"}},
		{"lint unit", func(o *Options) int { Run(rules, uni(), o); return 0 }, []string{"WS591"}},
		{"fix nginx", func(o *Options) int { return len(FixInput(rules, ngx(), o, Safe).Changed) }, []string{"WS801"}},
		{"fix unit", func(o *Options) int { return len(FixInput(rules, uni(), o, Safe).Changed) }, []string{"WS591"}},
	} {
		ran, done = nil, make(chan struct{})
		changed := tc.run(&Options{NginxVersion: nginx.DefaultVersion, Done: done})
		if !slices.Equal(ran, tc.want) {
			t.Errorf("%s, the caller giving up during the first rule: rules run %v, want %v", tc.name, ran, tc.want)
		}
		if changed != 0 { // the fix loop stops before applying the round's plan
			t.Errorf("%s, the caller giving up during the first rule: %d files changed, want none", tc.name, changed)
		}
		ran, done = nil, make(chan struct{})
		tc.run(&Options{NginxVersion: nginx.DefaultVersion}) // closes done, which nothing watches
		if len(ran) < 3 {
			t.Errorf("%s without Done: rules run %v, want every rule of the language and the meta rule", tc.name, ran)
		}
	}
}

func isClosed(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}
