package lint

import (
	"strings"

	"github.com/wslint/wslint/lint/lazyre"
	"github.com/wslint/wslint/lint/source"
	"github.com/wslint/wslint/lint/textdist"
)

// Suppression is one `wslint:ignore` or `wslint:ignore-file` comment
// (style.md §9):
//
//	# wslint:ignore WS104,WS201 <reason>       this line, or the next line when it stands alone
//	# wslint:ignore-file WS201 <reason>        the whole file
//
// Rules are named by ID or name, comma-separated. The reason is mandatory:
// a suppression without one, or with an unknown directive word, suppresses
// nothing (WS901 says why). A `#` between spaces ends the reason, so another
// comment may follow on the line. The same text works after `//` or inside
// `/* */`, for NGINX Unit's JSON.
type Suppression struct {
	// Span covers the suppression from its comment marker to the end of
	// its reason (a following ` # comment` is not part of it).
	Span source.Span
	// Comment is the whole comment that holds it.
	Comment source.Span
	// Directive is the word after `wslint:`: "ignore", "ignore-file", or
	// a misspelling ("ingore"), which Known reports as false.
	Directive     string
	DirectiveSpan source.Span
	FileWide      bool
	Rules         []SuppressedRule
	Reason        string
	// OwnLine is set when nothing but blanks precedes the comment on its
	// line; then it covers the next line that is not a comment.
	OwnLine bool

	lines [2]int // lines covered; 0 = none
}

// SuppressedRule is one rule a suppression names.
type SuppressedRule struct {
	Key  string // as written: "WS104" or "inherited-headers-dropped"
	Span source.Span
	// Rule is nil when Key names no rule; Suggest is then the nearest
	// ID or name, if one is close.
	Rule    *Rule
	Suggest string
	// Judged is set once the rule ran over the file (or was run to judge
	// this suppression); Used when it suppressed at least one finding.
	Judged, Used bool
}

// Known reports whether the directive is ignore or ignore-file.
func (s *Suppression) Known() bool { return s.Directive == "ignore" || s.Directive == "ignore-file" }

// Valid reports whether the suppression is applied: a known directive, at
// least one rule, and a reason.
func (s *Suppression) Valid() bool { return s.Known() && len(s.Rules) > 0 && s.Reason != "" }

// Lines returns the lines a line suppression covers (its own line, and the
// next non-comment line when it stands alone); nil for ignore-file.
func (s *Suppression) Lines() []int {
	var out []int
	for _, l := range s.lines {
		if l > 0 {
			out = append(out, l)
		}
	}
	return out
}

// covers reports whether the suppression applies to finding f.
func (s *Suppression) covers(f Finding) bool {
	if f.Span.File == nil || !sameFile(f.Span.File, s.Span.File) {
		return false
	}
	if s.FileWide {
		return true
	}
	line, _ := f.Span.File.Position(f.Span.Start)
	return line == s.lines[0] || line == s.lines[1]
}

func sameFile(a, b *source.File) bool { return a == b || a != nil && b != nil && a.Path == b.Path }

// Delete returns the edit that removes the suppression: the whole line when
// the comment is alone on it and nothing follows the reason, otherwise the
// suppression text (with the blanks before it when code precedes it).
func (s *Suppression) Delete() source.TextEdit {
	f := s.Span.File
	start, end := s.Span.Start, s.Comment.End
	block := strings.HasPrefix(s.Comment.Text(), "/*")
	if rest := strings.TrimSpace(string(f.Data[s.Span.End:s.Comment.End])); rest != "" && !block {
		// keep the comment that follows: "# wslint:ignore X r # note" → "# note"
		end = s.Span.End
		for end < s.Comment.End && (f.Data[end] == ' ' || f.Data[end] == '\t') {
			end++
		}
		return source.TextEdit{File: f, Start: start, End: end}
	}
	lineEnd := f.LineEnd(s.Comment.End - 1)
	if s.OwnLine && strings.TrimSpace(string(f.Data[s.Comment.End:lineEnd])) == "" {
		return source.TextEdit{File: f, Start: f.LineStart(start), End: lineEnd}
	}
	if s.OwnLine { // code follows a block comment: keep the indentation
		for end < lineEnd && (f.Data[end] == ' ' || f.Data[end] == '\t') {
			end++
		}
	} else {
		for start > 0 && (f.Data[start-1] == ' ' || f.Data[start-1] == '\t') {
			start--
		}
	}
	return source.TextEdit{File: f, Start: start, End: end}
}

// Without returns the edit that removes the named rules (indexes into
// Rules) from the list, keeping the others and the reason.
func (s *Suppression) Without(drop ...int) source.TextEdit {
	gone := map[int]bool{}
	for _, i := range drop {
		gone[i] = true
	}
	sep := ","
	if len(s.Rules) > 1 {
		sep = string(s.Span.File.Data[s.Rules[0].Span.End:s.Rules[1].Span.Start])
	}
	var keep []string
	for i, r := range s.Rules {
		if !gone[i] {
			keep = append(keep, r.Key)
		}
	}
	first, last := s.Rules[0].Span, s.Rules[len(s.Rules)-1].Span
	return source.TextEdit{File: first.File, Start: first.Start, End: last.End, New: strings.Join(keep, sep)}
}

// The suppression patterns are compiled on first use: most files have no
// `wslint:` comment, and a program start should not pay for them.
var (
	directiveRE = lazyre.New(`^(#|//|/\*)[ \t]*wslint:[ \t]*([A-Za-z][A-Za-z0-9_=-]*)`)
	innerRE     = lazyre.New(`[ \t]#([ \t]|$)`)
)

// ParseSuppressions reads the suppressions among a file's comments (each
// span covers one comment with its marker: `#...`, `//...` or `/*...*/`).
// lookup resolves rule IDs and names; suggest proposes a near name for an
// unknown one (it may be nil).
func ParseSuppressions(f *source.File, comments []source.Span, lookup func(string) (*Rule, bool), suggest func(string) string) []*Suppression {
	starts := map[int]bool{}
	for _, c := range comments {
		starts[c.Start] = true
	}
	var out []*Suppression
	for _, c := range comments {
		text := c.Text()
		if !strings.Contains(text, "wslint:") {
			continue // what directiveRE needs: most comments have not
		}
		m := directiveRE().FindStringSubmatchIndex(text)
		if m == nil {
			continue
		}
		word := text[m[4]:m[5]]
		if word == "websocket" || !nearIgnore(word) {
			continue // `# wslint: websocket` and other directives
		}
		s := &Suppression{Comment: c, Directive: word, DirectiveSpan: sub(c, m[4], m[5])}
		s.FileWide = word == "ignore-file"
		body := text
		if strings.HasPrefix(text, "/*") {
			body = strings.TrimSuffix(text, "*/")
		}
		end := len(body)
		if loc := innerRE().FindStringIndex(body[m[5]:]); loc != nil {
			end = m[5] + loc[0]
		}
		body = body[:end]
		s.parseBody(c, body, m[5])
		s.Span = sub(c, 0, len(strings.TrimRight(body, " \t")))
		for i := range s.Rules {
			r := &s.Rules[i]
			if lookup != nil {
				r.Rule, _ = lookup(r.Key)
			}
			if r.Rule == nil && suggest != nil {
				r.Suggest = suggest(r.Key)
			}
		}
		ls := f.LineStart(c.Start)
		s.OwnLine = strings.TrimSpace(string(f.Data[ls:c.Start])) == ""
		if !s.FileWide {
			s.lines[0], _ = f.Position(c.Start)
			if s.OwnLine {
				s.lines[1] = nextCodeLine(f, c.End, starts)
			}
		}
		out = append(out, s)
	}
	return out
}

// parseBody reads "WS104,WS201 reason" starting at offset at of text.
func (s *Suppression) parseBody(c source.Span, text string, at int) {
	i := at
	skip := func() {
		for i < len(text) && (text[i] == ' ' || text[i] == '\t') {
			i++
		}
	}
	skip()
	for i < len(text) {
		j := i
		for j < len(text) && text[j] != ' ' && text[j] != '\t' && text[j] != ',' {
			j++
		}
		if j == i {
			break
		}
		s.Rules = append(s.Rules, SuppressedRule{Key: text[i:j], Span: sub(c, i, j)})
		i = j
		if i < len(text) && text[i] == ',' {
			i++
			skip()
			continue
		}
		break
	}
	s.Reason = strings.TrimSpace(text[i:])
}

func sub(c source.Span, from, to int) source.Span {
	return source.Span{File: c.File, Start: c.Start + from, End: c.Start + to}
}

// nextCodeLine returns the first line after offset off that does not start
// with a comment (0 at the end of the file).
func nextCodeLine(f *source.File, off int, commentStarts map[int]bool) int {
	line, _ := f.Position(off)
	for l := line + 1; l <= f.LineCount(); l++ {
		s := f.Offset(l, 1)
		for s < len(f.Data) && (f.Data[s] == ' ' || f.Data[s] == '\t') {
			s++
		}
		if !commentStarts[s] {
			return l
		}
	}
	return 0
}

// nearIgnore reports whether a directive word is, or is meant to be,
// ignore or ignore-file: exact, or a misspelling close enough to report.
func nearIgnore(word string) bool {
	w := strings.ToLower(word)
	if strings.HasPrefix(w, "ign") || strings.HasPrefix(w, "disable") || strings.HasPrefix(w, "nolint") {
		return true
	}
	return textdist.Distance(w, "ignore", 2) <= 2 || textdist.Distance(w, "ignore-file", 2) <= 2
}

// Suggest returns the rule ID or name nearest to an unknown key ("WS1O4",
// "upgrade-header-missing"), or "" when none is close.
func (r *Registry) Suggest(key string) string {
	k := strings.ToLower(key)
	best, bestD := "", 3
	for _, rule := range r.rules {
		for _, cand := range []string{rule.ID, rule.Name} {
			limit := 2
			if cand == rule.ID {
				limit = 1
			}
			if d := textdist.Distance(k, strings.ToLower(cand), limit); d <= limit && d < bestD {
				best, bestD = cand, d
			}
		}
	}
	return best
}

// suppressions is the suppression state of one run, shared by the passes of
// the Meta rules.
type suppressions struct {
	list []*Suppression
	// judge runs a rule that did not run, so that suppressions naming it
	// can be judged; nil findings when it cannot run on this language.
	judge  func(r *Rule) []Finding
	judged bool
}

// newSuppressions parses the comments of every file. Names resolve in the
// registry the rules belong to, else among the rules themselves.
func newSuppressions(rules []*Rule, comments map[*source.File][]source.Span, files []*source.File) *suppressions {
	var reg *Registry
	for _, r := range rules {
		if r.registry != nil {
			reg = r.registry
			break
		}
	}
	lookup := func(key string) (*Rule, bool) {
		if reg != nil {
			return reg.Lookup(key)
		}
		for _, r := range rules {
			if strings.EqualFold(r.ID, key) || r.Name == strings.ToLower(key) {
				return r, true
			}
		}
		return nil, false
	}
	var suggest func(string) string
	if reg != nil {
		suggest = reg.Suggest
	}
	s := &suppressions{}
	for _, f := range files {
		s.list = append(s.list, ParseSuppressions(f, comments[f], lookup, suggest)...)
	}
	return s
}

// filter drops the findings that valid suppressions cover and marks the
// suppressions used. ran reports whether a rule ran over the files.
func (s *suppressions) filter(findings []Finding, ran func(*Rule) bool) []Finding {
	for _, sp := range s.list {
		for i := range sp.Rules {
			if r := sp.Rules[i].Rule; r != nil && ran(r) {
				sp.Rules[i].Judged = true
			}
		}
	}
	if len(s.list) == 0 {
		return findings
	}
	out := findings[:0:0]
	for _, f := range findings {
		if !s.mark(f) {
			out = append(out, f)
		}
	}
	return out
}

// mark marks every valid suppression covering f and reports whether any did.
func (s *suppressions) mark(f Finding) bool {
	hit := false
	for _, sp := range s.list {
		if !sp.Valid() || !sp.covers(f) {
			continue
		}
		for i := range sp.Rules {
			if r := sp.Rules[i].Rule; r != nil && r.Lang != Meta && r.ID == f.RuleID {
				sp.Rules[i].Used = true
				hit = true
			}
		}
	}
	return hit
}

// settle judges the named rules that did not run, by running them once.
func (s *suppressions) settle() {
	if s.judged {
		return
	}
	s.judged = true
	done := map[string]bool{}
	for _, sp := range s.list {
		if !sp.Valid() {
			continue
		}
		for i := range sp.Rules {
			r := sp.Rules[i].Rule
			if r == nil || r.Lang == Meta || sp.Rules[i].Judged || done[r.ID] {
				continue
			}
			done[r.ID] = true
			var fs []Finding
			if s.judge != nil {
				fs = s.judge(r)
			}
			for _, other := range s.list {
				for j := range other.Rules {
					if o := other.Rules[j].Rule; o != nil && o.ID == r.ID {
						other.Rules[j].Judged = true
					}
				}
			}
			for _, f := range fs {
				if f.RuleID == r.ID {
					s.mark(f)
				}
			}
		}
	}
}

// Suppressions returns the run's suppression comments with each named
// rule's Used flag settled, running the named rules that are not enabled so
// that the verdict does not depend on which rules run (WS901, WS902). The
// result is meaningful in Meta rules, which run after the others.
func (p *Pass) Suppressions() []*Suppression {
	if p.sup == nil {
		return nil
	}
	p.sup.settle()
	return p.sup.list
}

// suppressionFixes separates the planned fixes of Meta rules (WS902 deletes
// the suppression comment it reports) from the others, which must never
// touch a comment.
func suppressionFixes(plan []Finding, rules []*Rule) (own, rest []Finding) {
	meta := map[string]bool{}
	for _, r := range rules {
		if r.Lang == Meta {
			meta[r.ID] = true
		}
	}
	for _, f := range plan {
		if meta[f.RuleID] && f.RuleID != InternalErrorID {
			own = append(own, f)
		} else {
			rest = append(rest, f)
		}
	}
	return own, rest
}
