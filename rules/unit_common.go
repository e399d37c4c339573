package rules

import (
	"fmt"

	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/source"
	"github.com/wslint/wslint/lint/unit"
)

// Helpers shared by the NGINX Unit rules (WS5xx).

// unitDoc reports whether the pass has a Unit document that parsed (rules
// other than WS500 judge nothing they cannot read).
func unitDoc(p *lint.Pass) bool { return p.Unit != nil && p.Unit.SyntaxOK() }

// passRef is one `pass` (or legacy listener `application`) value.
type passRef struct {
	Value *unit.Value
	// Where names its owner for messages: "listener `*:80`", "step 0 of
	// `routes`".
	Where string
	// Legacy is set for a listener's deprecated `application` member.
	Legacy bool
}

// passRefs returns every `pass` of the document: listeners' and actions'
// (fallback actions included), in document order.
func passRefs(c *unit.Config) []passRef {
	var out []passRef
	for _, l := range c.Listeners() {
		where := "listener " + unit.QuoteKey(l.Name)
		if v := l.Value.Get("pass"); v != nil && v.Kind == unit.String {
			out = append(out, passRef{Value: v, Where: where})
		}
		if v := l.Value.Get("application"); v != nil && v.Kind == unit.String {
			out = append(out, passRef{Value: v, Where: where, Legacy: true})
		}
	}
	for _, s := range c.Steps() {
		for _, a := range unit.Actions(s.Action()) {
			if v := a.Get("pass"); v != nil && v.Kind == unit.String {
				out = append(out, passRef{Value: v, Where: s.String()})
			}
		}
	}
	return out
}

// routeApp returns the application a WebSocket route hands requests to, and
// the value that names it (a `pass`, or a listener's `application`).
func routeApp(c *unit.Config, r unit.WSRoute) (*unit.App, *unit.Value) {
	if v := r.Action.Get("pass"); v != nil && v.Kind == unit.String {
		if t, ok := unit.ParsePass(v.Str); ok && t.Kind == unit.PassApplication {
			return c.Application(t.Name), v
		}
		return nil, nil
	}
	if r.Listener != nil {
		if v := r.Action.Get("application"); v != nil && v.Kind == unit.String {
			return c.Application(v.Str), v
		}
	}
	return nil, nil
}

// asgiCandidates returns the Python applications that run (or may run)
// ASGI: `protocol` "asgi", or left to detection.
func asgiCandidates(c *unit.Config) []unit.App {
	var out []unit.App
	for _, a := range c.Applications() {
		if a.Lang != "python" {
			continue
		}
		switch pr := a.Member("protocol"); {
		case pr == nil:
			out = append(out, a)
		case pr.Kind == unit.String && pr.Str == "asgi":
			out = append(out, a)
		}
	}
	return out
}

// rawEqual reports whether a string value is written without escapes, so
// offsets into its decoded text are offsets into the file (after the quote).
func rawEqual(v *unit.Value) bool {
	return v.Kind == unit.String && v.Span.End-v.Span.Start == len(v.Str)+2
}

// subSpan returns the span of bytes [from, to) of a string value's decoded
// text, or the whole value when it is written with escapes.
func subSpan(v *unit.Value, from, to int) source.Span {
	if !rawEqual(v) {
		return v.Span
	}
	return source.Span{File: v.Span.File, Start: v.Span.Start + 1 + from, End: v.Span.Start + 1 + to}
}

// firstByte narrows a span to its first byte (an object's `{`).
func firstByte(s source.Span) source.Span {
	if s.End > s.Start {
		s.End = s.Start + 1
	}
	return s
}

// withSeverity returns f with another severity.
func withSeverity(f lint.Finding, s lint.Severity) lint.Finding {
	f.Severity = s
	return f
}

func quoted(s string) string { return fmt.Sprintf("%q", s) }
