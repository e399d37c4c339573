package rules

import (
	"errors"
	"fmt"
	"regexp/syntax"
	"strconv"
	"strings"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/unit"
)

// UnitInvalidValue reports values Unit's validator rejects that the JSON
// Schema cannot express.
var UnitInvalidValue = &lint.Rule{
	ID:       "WS510",
	Name:     "unit-invalid-value",
	Lang:     lint.Unit,
	Severity: lint.Error,
	Default:  true,
	Check:    checkUnitInvalidValue,
	Doc: lint.Doc{
		Summary: "a Unit value the validator rejects (variable, regex, spare, MIME type)",
		Why: "Unit answers the PUT with 400 and keeps the previous configuration: `Unknown variable \"urii\" in " +
			"the \"share\" value.`, `Invalid regular expression: ...`, `The \"spare\" number must be less than or " +
			"equal to \"max\".` (`max` defaults to 1), or `The \".c\" file extension has been declared for ... MIME " +
			"types at the same time.` A JSON Schema cannot see these, so the schema check alone passes.",
		Bad: "{\n    \"listeners\": {\"*:80\": {\"pass\": \"routes\"}},\n    \"routes\": [\n" +
			"        {\"action\": {\"share\": \"/srv/www$urii\"}}\n    ]\n}\n",
		Good: "{\n    \"listeners\": {\"*:80\": {\"pass\": \"routes\"}},\n    \"routes\": [\n" +
			"        {\"action\": {\"share\": \"/srv/www$uri\"}}\n    ]\n}\n",
		FixSafety: "No fix: the right variable, pattern, process count or MIME type is the author's choice (the " +
			"message suggests the nearest variable name).",
		References: []string{
			"https://unit.nginx.org/configuration/#variables",
			"https://unit.nginx.org/configuration/#condition-matching",
			"https://unit.nginx.org/configuration/#application-processes",
		},
	},
}

func checkUnitInvalidValue(p *lint.Pass) (out []lint.Finding) {
	if !unitDoc(p) {
		return nil
	}
	c := p.Unit
	out = append(out, spareOverMax(p, c)...)
	out = append(out, badRegexes(p, c)...)
	out = append(out, badTemplates(p, c)...)
	out = append(out, duplicateExtensions(p, c)...)
	return out
}

// spareOverMax: processes.spare above max (default 1), nxt_conf_vldt_processes.
func spareOverMax(p *lint.Pass, c *unit.Config) (out []lint.Finding) {
	for _, a := range c.Applications() {
		pr := a.Member("processes")
		if pr == nil || pr.Kind != unit.Object {
			continue
		}
		spare, ok := pr.Int("spare")
		if !ok {
			continue
		}
		limit, set := pr.Int("max")
		if pr.Get("max") != nil && !set {
			continue // not an integer: WS501
		}
		if !set {
			limit = 1
		}
		if spare <= limit {
			continue
		}
		which := fmt.Sprintf("`max` %d", limit)
		if !set {
			which = "the default `max` 1"
		}
		out = append(out, p.Finding(pr.Get("spare").Span, "`processes.spare` %d in application %s exceeds %s; Unit rejects it: "+
			"`The \"spare\" number must be less than or equal to \"max\".`", spare, unit.QuoteKey(a.Name), which))
	}
	return out
}

func badRegexes(p *lint.Pass, c *unit.Config) (out []lint.Finding) {
	for _, nv := range c.MatchPatterns() {
		pat := strings.TrimPrefix(nv.Value.Str, "!")
		expr, ok := strings.CutPrefix(pat, "~")
		if !ok {
			continue
		}
		if why := pcreError(expr); why != "" {
			out = append(out, p.Finding(nv.Value.Span, "`%s` pattern %s is not a valid regular expression: %s; Unit rejects it "+
				"(`Invalid regular expression: ...`)", nv.Name, unit.QuoteKey(nv.Value.Str), why))
		}
	}
	return out
}

// pcreError returns why expr is not a valid PCRE, or "". Go's RE2 parser
// rejects much that PCRE accepts (lookaround, backreferences, possessive
// quantifiers, verbs), so only the errors that PCRE shares are reported.
func pcreError(expr string) string {
	_, err := syntax.Parse(expr, syntax.Perl)
	var se *syntax.Error
	if err == nil || !errors.As(err, &se) {
		return ""
	}
	switch se.Code {
	case syntax.ErrMissingParen:
		return "a `(` is not closed"
	case syntax.ErrUnexpectedParen:
		return "a `)` closes nothing"
	case syntax.ErrMissingBracket:
		return "a `[` character class is not closed"
	case syntax.ErrTrailingBackslash:
		return "it ends with a lone `\\`"
	case syntax.ErrMissingRepeatArgument:
		if expr != "" && strings.IndexByte("*+?", expr[0]) >= 0 {
			return fmt.Sprintf("it starts with the quantifier `%c`, which repeats nothing (a glob `*` is `.*` in a regex)", expr[0])
		}
	case syntax.ErrInvalidRepeatOp:
		if strings.HasSuffix(se.Expr, "*") {
			return fmt.Sprintf("`%s` repeats a quantifier", se.Expr)
		}
	case syntax.ErrInvalidRepeatSize:
		if lo, hi, ok := repeatBounds(se.Expr); ok && lo > hi {
			return fmt.Sprintf("the bounds of `%s` are out of order", se.Expr)
		}
	case syntax.ErrInvalidCharRange:
		if r := se.Expr; len(r) == 3 && r[1] == '-' && r[0] > r[2] {
			return fmt.Sprintf("the range `%s` is out of order", r)
		}
	}
	return ""
}

func repeatBounds(s string) (lo, hi int, ok bool) {
	s = strings.TrimSuffix(strings.TrimPrefix(s, "{"), "}")
	a, b, found := strings.Cut(s, ",")
	if !found || b == "" {
		return 0, 0, false
	}
	lo, err1 := strconv.Atoi(a)
	hi, err2 := strconv.Atoi(b)
	return lo, hi, err1 == nil && err2 == nil
}

func badTemplates(p *lint.Pass, c *unit.Config) (out []lint.Finding) {
	for _, nv := range c.TemplateStrings() {
		s, off := nv.Value.Str, 0
		if nv.Name == "if" && strings.HasPrefix(s, "!") {
			s, off = s[1:], 1
		}
		for _, tp := range unit.CheckTemplate(s) {
			span := subSpan(nv.Value, off+tp.Start, off+tp.End)
			if tp.Name == "" {
				out = append(out, p.Finding(span, "`$` in `%s` %s starts no variable (a name of letters and `_`, or `${name}`; `$dollar` is a literal `$`); "+
					"Unit rejects it: `%s in the \"%s\" value.`", nv.Name, unit.QuoteKey(nv.Value.Str), tp.Unit, nv.Name))
				continue
			}
			msg := fmt.Sprintf("unknown variable `$%s` in `%s`", tp.Name, nv.Name)
			if sug := unit.Closest(tp.Name, unit.VariableNames()); sug != "" {
				msg += fmt.Sprintf(" (did you mean `$%s`?)", sug)
			}
			out = append(out, p.Finding(span, "%s; Unit rejects it: `%s in the \"%s\" value.`", msg, tp.Unit, nv.Name))
		}
	}
	return out
}

// duplicateExtensions: one file extension under two MIME types
// (nxt_conf_vldt_mtypes_extension; extensions compare case-insensitively).
func duplicateExtensions(p *lint.Pass, c *unit.Config) (out []lint.Finding) {
	mt := c.Root.Get("settings").Get("http").Get("static").Get("mime_types")
	if mt == nil || mt.Kind != unit.Object {
		return nil
	}
	first := map[string]string{}
	for _, m := range mt.Members {
		for _, v := range m.Value.Strings() {
			if v.Str == "" {
				continue // WS501
			}
			k := strings.ToLower(v.Str)
			if prev, ok := first[k]; ok {
				out = append(out, p.Finding(v.Span, "extension %s is declared for MIME types %s and %s; Unit rejects it: "+
					"`The %q file extension has been declared for %q and %q MIME types at the same time.`",
					unit.QuoteKey(v.Str), unit.QuoteKey(prev), unit.QuoteKey(m.Key), v.Str, prev, m.Key))
				continue
			}
			first[k] = m.Key
		}
	}
	return out
}
