package unit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/wslint/wslint/lint/textdist"
	"io"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/wslint/wslint/lint/source"
	"github.com/wslint/wslint/schemas"
)

// schemaURL names the embedded schema inside the compiler; nothing is ever
// loaded from it.
const schemaURL = "file:///wslint/schemas/" + schemas.UnitConfigName

var compiled struct {
	once   sync.Once
	schema *jsonschema.Schema
	raw    any // the schema document, for messages and suggestions
	err    error
}

// loadSchema compiles the embedded schema once. No loader can reach the
// network or the file system: every $ref is internal to the document.
func loadSchema() (*jsonschema.Schema, any, error) {
	compiled.once.Do(func() {
		data := schemas.UnitConfig()
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		if err := dec.Decode(&compiled.raw); err != nil {
			compiled.err = fmt.Errorf("decode %s: %w", schemas.UnitConfigName, err)
			return
		}
		c := jsonschema.NewCompiler()
		c.Draft = jsonschema.Draft2020
		c.LoadURL = func(s string) (io.ReadCloser, error) {
			return nil, fmt.Errorf("loading %s is disabled", s)
		}
		if err := c.AddResource(schemaURL, bytes.NewReader(data)); err != nil {
			compiled.err = fmt.Errorf("add %s: %w", schemas.UnitConfigName, err)
			return
		}
		compiled.schema, compiled.err = c.Compile(schemaURL)
	})
	return compiled.schema, compiled.raw, compiled.err
}

// Validate checks c against schemas/unit-config.schema.json and returns one
// readable problem per violation, positioned on the offending key or value
// and sorted by position. Where the schema offers alternatives (oneOf,
// anyOf), only the alternative that the document evidently meant is
// reported.
func Validate(c *Config) []Problem {
	if c == nil || c.Root == nil {
		return nil
	}
	sch, raw, err := loadSchema()
	if err != nil {
		return []Problem{{Span: firstByte(c.Root.Span), Message: fmt.Sprintf("internal error: the Unit schema does not compile: %v", err)}}
	}
	verr := sch.Validate(c.Root.ToAny())
	if verr == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(verr, &ve) {
		return []Problem{{Span: firstByte(c.Root.Span), Message: fmt.Sprintf("internal error: schema validation failed: %v", verr)}}
	}
	r := &reporter{cfg: c, raw: raw}
	r.collect(ve)
	return r.problems()
}

// issue is one violation on its way to becoming a Problem.
type issue struct {
	kind  string         // the failing keyword, or "false", "unknown", "oneOfNone", "oneOfMany"
	inst  []string       // decoded instance tokens
	onKey bool           // the violation is about the last token as a key (propertyNames)
	node  map[string]any // the schema object that holds the keyword
	msg   string         // the library's message
	keys  []string       // oneOfNone, oneOfMany: the alternative keys
	types []string       // type: the expected types
}

type reporter struct {
	cfg    *Config
	raw    any
	issues []issue
}

func (r *reporter) collect(e *jsonschema.ValidationError) {
	if len(e.Causes) == 0 {
		r.leaf(e)
		return
	}
	if kw := lastToken(e.KeywordLocation); (kw == "oneOf" || kw == "anyOf") && e.Message == kw+" failed" {
		r.alternatives(e, kw)
		return
	}
	for _, c := range e.Causes {
		r.collect(c)
	}
}

// alternatives reports a failed oneOf or anyOf through the branch the
// document meant: the only branch whose type and required members match. With
// none, the alternatives are listed; with several (oneOf), their keys clash.
func (r *reporter) alternatives(e *jsonschema.ValidationError, kw string) {
	prefix := e.KeywordLocation + "/"
	node := r.schemaNode(parentPointer(fragment(e.AbsoluteKeywordLocation)))
	var branchSchemas []any
	if node != nil {
		branchSchemas, _ = node[kw].([]any)
	}
	type branch struct {
		err        *jsonschema.ValidationError
		schema     map[string]any
		leaves     []*jsonschema.ValidationError
		applicable bool
		typeOnly   bool
	}
	var branches []branch
	for _, c := range e.Causes {
		b := branch{err: c, applicable: true}
		if rest, ok := strings.CutPrefix(c.KeywordLocation, prefix); ok {
			idx := rest
			if i := strings.IndexByte(rest, '/'); i >= 0 {
				idx = rest[:i]
			}
			if n, ok := arrayIndex(idx); ok && n < len(branchSchemas) {
				b.schema = r.deref(branchSchemas[n])
			}
		}
		b.leaves = leaves(c, nil)
		for _, l := range b.leaves {
			if l.InstanceLocation != e.InstanceLocation {
				continue
			}
			switch lastToken(l.KeywordLocation) {
			case "type":
				b.applicable, b.typeOnly = false, true
			case "required":
				b.applicable = false
			}
		}
		branches = append(branches, b)
	}
	var applicable []branch
	for _, b := range branches {
		if b.applicable {
			applicable = append(applicable, b)
		}
	}
	inst := decodePointer(e.InstanceLocation)
	switch {
	case len(applicable) == 1:
		r.collect(applicable[0].err)
	case len(applicable) == 0:
		allType := len(branches) > 0
		var keys, types []string
		for _, b := range branches {
			allType = allType && b.typeOnly
			if b.schema != nil {
				keys = appendNew(keys, stringList(b.schema["required"])...)
			}
			for _, l := range b.leaves {
				if l.InstanceLocation == e.InstanceLocation && lastToken(l.KeywordLocation) == "type" {
					types = appendNew(types, expectedTypes(l.Message)...)
				}
			}
		}
		if allType || len(keys) == 0 {
			r.issues = append(r.issues, issue{kind: "type", inst: inst, types: types, msg: e.Message})
			return
		}
		r.issues = append(r.issues, issue{kind: "oneOfNone", inst: inst, keys: keys, node: node})
	case kw == "oneOf":
		var keys []string
		for _, s := range branchSchemas {
			keys = appendNew(keys, stringList(r.deref(s)["required"])...)
		}
		r.issues = append(r.issues, issue{kind: "oneOfMany", inst: inst, keys: keys, node: node})
	default:
		// Several anyOf branches fit: report the one with the fewest problems.
		best := applicable[0]
		for _, b := range applicable[1:] {
			if len(b.leaves) < len(best.leaves) {
				best = b
			}
		}
		r.collect(best.err)
	}
}

// leaves appends the leaf errors under e.
func leaves(e *jsonschema.ValidationError, out []*jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(e.Causes) == 0 {
		return append(out, e)
	}
	for _, c := range e.Causes {
		out = leaves(c, out)
	}
	return out
}

func (r *reporter) leaf(e *jsonschema.ValidationError) {
	is := issue{inst: decodePointer(e.InstanceLocation), msg: e.Message}
	for _, t := range strings.Split(e.KeywordLocation, "/") {
		if t == "propertyNames" {
			is.onKey = true
		}
	}
	frag := fragment(e.AbsoluteKeywordLocation)
	if b, ok := r.schemaAt(frag).(bool); ok && !b && e.Message == "not allowed" {
		is.kind = "false"
	} else {
		is.kind = lastToken(frag)
		is.node = r.schemaNode(parentPointer(frag))
	}
	switch is.kind {
	case "minLength":
		if is.onKey {
			// The library drops an empty key from the instance location.
			is.inst = append(is.inst, "")
		}
	case "type":
		is.types = expectedTypes(e.Message)
	case "additionalProperties":
		r.unknownKeys(is)
		return
	case "oneOf":
		// "valid against schemas at indexes i and j"
		is.kind = "oneOfMany"
		if is.node != nil {
			for _, s := range sliceOf(is.node["oneOf"]) {
				is.keys = appendNew(is.keys, stringList(r.deref(s)["required"])...)
			}
		}
	}
	r.issues = append(r.issues, is)
}

// unknownKeys turns one additionalProperties failure into an issue per key
// that the schema object does not declare, in document order.
func (r *reporter) unknownKeys(is issue) {
	obj := r.cfg.Find(Pointer(is.inst...))
	if obj == nil || obj.Kind != Object || is.node == nil {
		r.issues = append(r.issues, is)
		return
	}
	props, _ := is.node["properties"].(map[string]any)
	var patterns []*regexp.Regexp
	if pp, ok := is.node["patternProperties"].(map[string]any); ok {
		for p := range pp {
			if re, err := regexp.Compile(p); err == nil {
				patterns = append(patterns, re)
			}
		}
	}
member:
	for _, m := range obj.Members {
		if _, ok := props[m.Key]; ok {
			continue
		}
		for _, re := range patterns {
			if re.MatchString(m.Key) {
				continue member
			}
		}
		r.issues = append(r.issues, issue{kind: "unknown", inst: append(append([]string(nil), is.inst...), m.Key), onKey: true, node: is.node})
	}
}

// problems renders the issues, drops those made moot by a "not allowed" on
// the same value or an ancestor, and removes duplicates.
func (r *reporter) problems() []Problem {
	var banned []string
	for _, is := range r.issues {
		if is.kind == "false" || is.kind == "not" {
			banned = append(banned, Pointer(is.inst...))
		}
	}
	seen := map[string]bool{}
	var out []Problem
	for _, is := range r.issues {
		ptr := Pointer(is.inst...)
		if is.kind != "false" && is.kind != "not" && underAny(ptr, banned) {
			continue
		}
		p := Problem{Span: r.span(is), Message: r.message(is), Pointer: ptr}
		k := fmt.Sprintf("%d:%d:%s", p.Span.Start, p.Span.End, p.Message)
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, p)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Span.Start != out[j].Span.Start {
			return out[i].Span.Start < out[j].Span.Start
		}
		return out[i].Message < out[j].Message
	})
	return out
}

func underAny(ptr string, prefixes []string) bool {
	for _, p := range prefixes {
		if ptr == p || strings.HasPrefix(ptr, p+"/") {
			return true
		}
	}
	return false
}

// span places an issue: on the key for key problems, on the key of an object
// for problems about the whole object, on the value otherwise.
func (r *reporter) span(is issue) source.Span {
	inst := is.inst
	for {
		key, val, ok := r.cfg.Lookup(Pointer(inst...))
		if !ok {
			if len(inst) == 0 {
				return firstByte(r.cfg.Root.Span)
			}
			inst = inst[:len(inst)-1] // fall back to the nearest existing ancestor
			continue
		}
		v := r.cfg.Find(Pointer(inst...))
		whole := v != nil && (v.Kind == Object || v.Kind == Array)
		switch {
		case is.onKey && !key.IsZero() && len(inst) == len(is.inst):
			return key
		case whole && !key.IsZero():
			return key
		case whole:
			return firstByte(val)
		}
		return val
	}
}

func firstByte(s source.Span) source.Span {
	if s.End > s.Start {
		s.End = s.Start + 1
	}
	return s
}

// message renders an issue, preferring the schema's own x-messages.
func (r *reporter) message(is issue) string {
	subject := r.subject(is.inst, is.onKey)
	val := r.cfg.Find(Pointer(is.inst...))
	if tmpl := xMessage(is.node, is.kind); tmpl != "" {
		where := r.subject(parentTokens(is.inst), false)
		key := ""
		if len(is.inst) > 0 {
			key = is.inst[len(is.inst)-1]
		}
		value := key
		if !is.onKey {
			value = rawText(val)
		}
		return strings.NewReplacer("{subject}", subject, "{where}", where, "{key}", key,
			"{value}", value, "{got}", describeKind(val)).Replace(tmpl)
	}
	switch is.kind {
	case "unknown":
		key := is.inst[len(is.inst)-1]
		msg := fmt.Sprintf("unknown key %s in %s", quoteKey(key), r.subject(parentTokens(is.inst), false))
		if hint := r.suggest(key, parentTokens(is.inst), is.node); hint != "" {
			msg += "; did you mean " + hint + "?"
		}
		return msg
	case "type":
		return fmt.Sprintf("%s must be %s, not %s", subject, describeTypes(is.types), describeKind(val))
	case "required":
		var missing []string
		for _, k := range stringList(is.node["required"]) {
			if val == nil || val.member(k) == nil {
				missing = append(missing, "`"+k+"`")
			}
		}
		if len(missing) == 0 {
			return fmt.Sprintf("%s is missing a required member: %s", subject, is.msg)
		}
		return fmt.Sprintf("%s is missing %s", subject, joinList(missing, "and"))
	case "oneOfNone":
		return fmt.Sprintf("%s must have one of %s", subject, joinList(codeList(is.keys), "or"))
	case "oneOfMany":
		var present []string
		for _, k := range is.keys {
			if val.member(k) != nil {
				present = append(present, "`"+k+"`")
			}
		}
		msg := fmt.Sprintf("%s must have just one of %s", subject, joinList(codeList(is.keys), "or"))
		if len(present) > 1 {
			msg += ", not both " + joinList(present, "and")
		}
		return msg
	case "enum":
		var opts []string
		for _, o := range sliceOf(is.node["enum"]) {
			opts = append(opts, fmt.Sprintf("`%v`", o))
		}
		return fmt.Sprintf("%s must be %s, not %s", subject, joinList(opts, "or"), describeValue(val))
	case "const":
		return fmt.Sprintf("%s must be `%v`", subject, is.node["const"])
	case "false", "not":
		return subject + " is not allowed here"
	case "pattern":
		return fmt.Sprintf("%s has an invalid value %s", subject, describeValue(val))
	case "minimum":
		return fmt.Sprintf("%s must be at least %v, not %s", subject, is.node["minimum"], rawText(val))
	case "maximum":
		return fmt.Sprintf("%s must be at most %v, not %s", subject, is.node["maximum"], rawText(val))
	case "exclusiveMinimum":
		return fmt.Sprintf("%s must be greater than %v, not %s", subject, is.node["exclusiveMinimum"], rawText(val))
	case "exclusiveMaximum":
		return fmt.Sprintf("%s must be less than %v, not %s", subject, is.node["exclusiveMaximum"], rawText(val))
	case "minLength":
		if fmt.Sprint(is.node["minLength"]) == "1" {
			return subject + " must not be empty"
		}
		return fmt.Sprintf("%s must be at least %v characters long", subject, is.node["minLength"])
	case "minItems":
		if fmt.Sprint(is.node["minItems"]) == "1" {
			return subject + " must not be an empty array"
		}
		return fmt.Sprintf("%s must have at least %v items", subject, is.node["minItems"])
	case "maxProperties":
		return fmt.Sprintf("%s must not have more than %v members", subject, is.node["maxProperties"])
	}
	return fmt.Sprintf("%s is invalid: %s", subject, is.msg)
}

// xMessage returns the schema's message for a failing keyword: x-messages
// by keyword, else x-message for any keyword but type and unknown keys.
func xMessage(node map[string]any, kind string) string {
	if node == nil {
		return ""
	}
	if m, ok := node["x-messages"].(map[string]any); ok {
		if s, ok := m[kind].(string); ok {
			return s
		}
	}
	switch kind {
	case "type", "unknown", "additionalProperties":
		return ""
	}
	s, _ := node["x-message"].(string)
	return s
}

// suggest proposes a known key for an unknown one: a near spelling among the
// object's members, or the same key one level down (settings.websocket is
// settings.http.websocket).
func (r *reporter) suggest(key string, parent []string, node map[string]any) string {
	props, _ := node["properties"].(map[string]any)
	names := make([]string, 0, len(props))
	for n := range props {
		names = append(names, n)
	}
	sort.Strings(names)
	if best := closest(key, names); best != "" {
		return "`" + best + "`"
	}
	for _, n := range names {
		child := r.deref(props[n])
		if cp, ok := child["properties"].(map[string]any); ok {
			if _, ok := cp[key]; ok {
				return "`" + strings.TrimPrefix(r.relPath(parent)+"."+n+"."+key, ".") + "`"
			}
		}
	}
	return ""
}

// closest returns the unique candidate nearest to s when it is close enough
// (the thresholds Unit's FreeUnit fork uses for its own suggestions).
func closest(s string, candidates []string) string {
	best, second, bestName := 1<<30, 1<<30, ""
	for _, c := range candidates {
		if strings.EqualFold(c, s) {
			return c
		}
		d := textdist.Distance(s, c, 64)
		switch {
		case d < best:
			second, best, bestName = best, d, c
		case d < second:
			second = d
		}
	}
	threshold := max(2, len(s)/3)
	if bestName == "" || best > threshold || best == second || 2*best > min(len(s), len(bestName)) {
		return ""
	}
	return bestName
}

// subject names the value at tokens for a message: "the configuration",
// "application `p`", "`processes` in application `p`",
// "`settings.http.websocket`".
func (r *reporter) subject(tokens []string, onKey bool) string {
	if onKey && len(tokens) > 0 {
		return fmt.Sprintf("key %s in %s", quoteKey(tokens[len(tokens)-1]), r.subject(parentTokens(tokens), false))
	}
	if len(tokens) == 0 {
		return "the configuration"
	}
	desc, n := r.entity(tokens)
	if n == len(tokens) {
		return desc
	}
	rel := quoteKey(r.render(tokens, n))
	if n == 0 {
		return rel
	}
	return rel + " in " + desc
}

// relPath is the dotted path of tokens relative to their entity, for hints.
func (r *reporter) relPath(tokens []string) string {
	_, n := r.entity(tokens)
	return r.render(tokens, n)
}

// entity recognises the named things of a Unit configuration at the start of
// tokens and returns their description and how many tokens they take.
func (r *reporter) entity(t []string) (string, int) {
	routes := r.cfg.Root.Get("routes")
	switch {
	case len(t) >= 4 && t[0] == "applications" && t[2] == "targets":
		return fmt.Sprintf("target %s of application %s", quoteKey(t[3]), quoteKey(t[1])), 4
	case len(t) >= 2 && t[0] == "applications":
		return "application " + quoteKey(t[1]), 2
	case len(t) >= 2 && t[0] == "listeners":
		return "listener " + quoteKey(t[1]), 2
	case len(t) >= 4 && t[0] == "upstreams" && t[2] == "servers":
		return fmt.Sprintf("server %s of upstream %s", quoteKey(t[3]), quoteKey(t[1])), 4
	case len(t) >= 2 && t[0] == "upstreams":
		return "upstream " + quoteKey(t[1]), 2
	case len(t) >= 2 && t[0] == "routes" && routes != nil && routes.Kind == Array:
		return "step " + t[1] + " of `routes`", 2
	case len(t) >= 3 && t[0] == "routes" && routes != nil && routes.Kind == Object:
		return fmt.Sprintf("step %s of route %s", t[2], quoteKey(t[1])), 3
	}
	return "", 0
}

// render writes tokens[from:] as a dotted path, with [i] for array indexes.
func (r *reporter) render(tokens []string, from int) string {
	var b strings.Builder
	v := r.cfg.Root
	for i, t := range tokens {
		isIndex := v != nil && v.Kind == Array
		if i >= from {
			switch {
			case isIndex:
				b.WriteString("[" + t + "]")
			case b.Len() > 0:
				b.WriteString("." + t)
			default:
				b.WriteString(t)
			}
		}
		switch {
		case v == nil:
		case v.Kind == Object:
			v = v.Get(t)
		case v.Kind == Array:
			if n, ok := arrayIndex(t); ok && n < len(v.Items) {
				v = v.Items[n]
			} else {
				v = nil
			}
		default:
			v = nil
		}
	}
	return b.String()
}

// schemaAt returns the schema document node at an RFC 6901 fragment pointer
// whose tokens may also be percent-encoded (as the library writes them).
func (r *reporter) schemaAt(frag string) any {
	n := r.raw
	if frag == "" {
		return n
	}
	for _, t := range decodePointer(frag) {
		switch x := n.(type) {
		case map[string]any:
			n = x[t]
		case []any:
			i, ok := arrayIndex(t)
			if !ok || i >= len(x) {
				return nil
			}
			n = x[i]
		default:
			return nil
		}
	}
	return n
}

func (r *reporter) schemaNode(frag string) map[string]any {
	m, _ := r.schemaAt(frag).(map[string]any)
	return m
}

// deref follows local $refs ("#/$defs/x") of a schema node.
func (r *reporter) deref(n any) map[string]any {
	for i := 0; i < 16; i++ {
		m, ok := n.(map[string]any)
		if !ok {
			return nil
		}
		ref, ok := m["$ref"].(string)
		if !ok || !strings.HasPrefix(ref, "#") {
			return m
		}
		n = r.schemaAt(ref[1:])
	}
	return nil
}

// fragment returns the pointer after '#' of an absolute keyword location.
func fragment(loc string) string {
	if i := strings.IndexByte(loc, '#'); i >= 0 {
		return loc[i+1:]
	}
	return ""
}

func lastToken(ptr string) string {
	return ptr[strings.LastIndexByte(ptr, '/')+1:]
}

func parentPointer(ptr string) string {
	if i := strings.LastIndexByte(ptr, '/'); i >= 0 {
		return ptr[:i]
	}
	return ""
}

func parentTokens(t []string) []string {
	if len(t) == 0 {
		return nil
	}
	return t[:len(t)-1]
}

// decodePointer splits a pointer as the library writes it (each RFC 6901
// token also percent-encoded) into decoded tokens.
func decodePointer(ptr string) []string {
	if ptr == "" {
		return nil
	}
	parts := strings.Split(strings.TrimPrefix(ptr, "/"), "/")
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		if u, err := url.PathUnescape(p); err == nil {
			p = u
		}
		if t, ok := unescapeToken(p); ok {
			p = t
		}
		out = append(out, p)
	}
	return out
}

// expectedTypes parses "expected integer or object, but got string".
func expectedTypes(msg string) []string {
	msg = strings.TrimPrefix(msg, "expected ")
	if i := strings.Index(msg, ", but got"); i >= 0 {
		msg = msg[:i]
	}
	return strings.Split(msg, " or ")
}

var typeWords = map[string]string{
	"integer": "an integer", "number": "a number", "string": "a string", "boolean": "a boolean",
	"object": "an object", "array": "an array", "null": "null",
}

func describeTypes(types []string) string {
	var words []string
	for _, t := range types {
		if w, ok := typeWords[t]; ok {
			words = append(words, w)
		} else {
			words = append(words, t)
		}
	}
	return joinList(words, "or")
}

// describeKind names the type of v as Unit's messages do.
func describeKind(v *Value) string {
	if v == nil {
		return "nothing"
	}
	switch v.Kind {
	case Number:
		if v.IsInt {
			return "an integer"
		}
		return "a fractional number"
	case String:
		return "a string"
	case Bool:
		return "a boolean"
	case Null:
		return "null"
	case Object:
		return "an object"
	case Array:
		return "an array"
	}
	return "nothing"
}

// describeValue shows a scalar value, or the type of a container.
func describeValue(v *Value) string {
	if v == nil || v.Kind == Object || v.Kind == Array {
		return describeKind(v)
	}
	if v.Kind == String {
		return quoteKey(v.Str)
	}
	return rawText(v)
}

// rawText is the value's text for a message: a string without quotes
// (shortened), a number's literal, true, false or null.
func rawText(v *Value) string {
	if v == nil {
		return ""
	}
	switch v.Kind {
	case String:
		s := v.Str
		if len(s) > 60 {
			s = s[:57] + "..."
		}
		return s
	case Number:
		return v.Num
	case Bool:
		if v.Bool {
			return "true"
		}
		return "false"
	case Null:
		return "null"
	}
	return describeKind(v)
}

func codeList(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = "`" + k + "`"
	}
	return out
}

// joinList joins "a", "b", "c" as "a, b or c".
func joinList(items []string, conj string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " " + conj + " " + items[len(items)-1]
}

func stringList(v any) []string {
	var out []string
	for _, x := range sliceOf(v) {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func sliceOf(v any) []any {
	s, _ := v.([]any)
	return s
}

func appendNew(list []string, items ...string) []string {
	for _, it := range items {
		found := false
		for _, x := range list {
			if x == it {
				found = true
				break
			}
		}
		if !found {
			list = append(list, it)
		}
	}
	return list
}
