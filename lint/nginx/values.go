package nginx

import "strings"

// UnknownPart stands, in a Possible's Text, for a part nginx decides at run
// time from something wslint does not model (a built-in variable, a regex
// capture).
const UnknownPart = "\x00"

// maxPossible bounds how many values PossibleValues enumerates.
const maxPossible = 64

// Possible is one value an expression can take at run time.
type Possible struct {
	Text string
	// From holds the `set` lines and map entries (default included) whose
	// values went into Text, in order of use.
	From []*Directive
}

// PossibleValues returns the values expr (text with $variables) can take in
// location l, whatever the request: a variable assigned by `set` takes each
// value the rewrite phases can leave in it (the server's `set` lines, then
// the location's own; rewrite directives are not inherited by nested
// locations; a `set` inside `if` is conditional); a map variable takes each
// of its values (no `default`: also ""); `$uri`, `$request_uri` and
// `$document_uri` start with "/"; any other variable is UnknownPart. The
// result is capped at 64 values.
func (c *Config) PossibleValues(l *Location, expr string) []Possible {
	return c.possible(l, expr, 0)
}

func (c *Config) possible(l *Location, expr string, depth int) []Possible {
	out := []Possible{{}}
	for i := 0; i < len(expr); {
		if expr[i] != '$' {
			j := strings.IndexByte(expr[i:], '$')
			if j < 0 {
				j = len(expr) - i
			}
			for k := range out {
				out[k].Text += expr[i : i+j]
			}
			i += j
			continue
		}
		name, n := VariableAt(expr, i)
		if n == 0 {
			for k := range out {
				out[k].Text += "$"
			}
			i++
			continue
		}
		i += n
		vals := c.varValues(l, strings.ToLower(name), depth)
		var next []Possible
		for _, a := range out {
			for _, b := range vals {
				if len(next) == maxPossible {
					break
				}
				from := append(append([]*Directive(nil), a.From...), b.From...)
				next = append(next, Possible{Text: a.Text + b.Text, From: from})
			}
		}
		out = next
	}
	return out
}

func (c *Config) varValues(l *Location, name string, depth int) []Possible {
	unknown := []Possible{{Text: UnknownPart}}
	if depth >= maxEvalDepth {
		return unknown
	}
	if sets, always := setLines(l, name); len(sets) > 0 {
		var out []Possible
		for _, d := range sets {
			for _, v := range c.possible(l, d.Arg(1), depth+1) {
				out = append(out, Possible{Text: v.Text, From: append([]*Directive{d}, v.From...)})
			}
		}
		if !always {
			out = append(out, Possible{}) // not set on every path: empty
		}
		return out
	}
	if m := c.Map(name); m != nil {
		var out []Possible
		entries := m.Entries
		if m.Default != nil {
			entries = append(append([]MapEntry(nil), entries...), *m.Default)
		}
		for _, e := range entries {
			for _, v := range c.possible(l, e.Value, depth+1) {
				out = append(out, Possible{Text: v.Text, From: append([]*Directive{e.D}, v.From...)})
			}
		}
		if m.Default == nil {
			out = append(out, Possible{})
		}
		return out
	}
	switch name {
	case "uri", "request_uri", "document_uri":
		return []Possible{{Text: "/" + UnknownPart}}
	}
	return unknown
}

// setLines returns the `set $name` lines whose value can reach the content
// phase of location l, and whether the variable is set on every path. The
// server's rewrite phase runs first, then the location's; an unconditional
// `set` discards the values before it, one inside `if` adds to them.
func setLines(l *Location, name string) (lines []*Directive, always bool) {
	walk := func(block *Directive) {
		for _, d := range block.Children() {
			switch {
			case d.Name == "set" && len(d.Args) == 2 && strings.EqualFold(d.Arg(0), "$"+name):
				lines, always = []*Directive{d}, true
			case d.Name == "if" && d.IsBlock:
				for _, s := range d.Find("set") {
					if len(s.Args) == 2 && strings.EqualFold(s.Arg(0), "$"+name) {
						lines = append(lines, s)
					}
				}
			}
		}
	}
	walk(l.Server.Block)
	walk(l.Block)
	return lines, always
}
