package lint

import (
	"encoding/binary"

	"github.com/wslint/wslint/lint/source"
)

// findingStore keeps the findings of a windowed lint encoded in one byte
// slice, their texts and files in tables. A large configuration's
// findings are many and alike (every server block's WS301 says the same):
// encoded, they take a tenth of the memory, and the collector, which a
// windowed lint runs often, has no pointer in them to follow.
type findingStore struct {
	buf    []byte
	n      int
	strs   []string
	strID  map[string]uint64
	files  []*source.File
	fileID map[*source.File]uint64
}

func (s *findingStore) str(v string) {
	id, ok := s.strID[v]
	if !ok {
		if s.strID == nil {
			s.strID = map[string]uint64{}
		}
		id = uint64(len(s.strs))
		s.strs = append(s.strs, v)
		s.strID[v] = id
	}
	s.buf = binary.AppendUvarint(s.buf, id)
}

func (s *findingStore) span(f *source.File, start, end int) {
	id := uint64(0) // no file
	if f != nil {
		var ok bool
		if id, ok = s.fileID[f]; !ok {
			if s.fileID == nil {
				s.fileID = map[*source.File]uint64{}
			}
			s.files = append(s.files, f)
			id = uint64(len(s.files))
			s.fileID[f] = id
		}
	}
	s.buf = binary.AppendUvarint(s.buf, id)
	s.buf = binary.AppendUvarint(s.buf, uint64(start))
	s.buf = binary.AppendUvarint(s.buf, uint64(end))
}

func (s *findingStore) num(v int) { s.buf = binary.AppendUvarint(s.buf, uint64(v)) }

// add stores f, its spans mapped by m.
func (s *findingStore) add(f Finding, m func(source.Span) source.Span) {
	s.n++
	s.str(f.RuleID)
	s.str(f.Name)
	s.str(f.Message)
	s.num(int(f.Severity))
	sp := m(f.Span)
	s.span(sp.File, sp.Start, sp.End)
	s.num(len(f.Related))
	for _, r := range f.Related {
		sp := m(r.Span)
		s.span(sp.File, sp.Start, sp.End)
		s.str(r.Message)
	}
	s.num(len(f.Fixes))
	for _, x := range f.Fixes {
		s.str(x.Message)
		s.num(int(x.Applies))
		s.num(len(x.Edits))
		for _, e := range x.Edits {
			sp := m(source.Span{File: e.File, Start: e.Start, End: e.End})
			s.span(sp.File, sp.Start, sp.End)
			s.str(e.New)
		}
	}
}

// all decodes the findings, in the order stored.
func (s *findingStore) all() []Finding {
	out := make([]Finding, 0, s.n)
	b := s.buf
	num := func() int {
		v, n := binary.Uvarint(b)
		b = b[n:]
		return int(v)
	}
	str := func() string { return s.strs[num()] }
	span := func() source.Span {
		var f *source.File
		if id := num(); id > 0 {
			f = s.files[id-1]
		}
		start := num()
		return source.Span{File: f, Start: start, End: num()}
	}
	for len(b) > 0 {
		f := Finding{RuleID: str(), Name: str(), Message: str(), Severity: Severity(num()), Span: span()}
		if n := num(); n > 0 {
			f.Related = make([]Related, n)
			for i := range f.Related {
				f.Related[i] = Related{Span: span(), Message: str()}
			}
		}
		if n := num(); n > 0 {
			f.Fixes = make([]Fix, n)
			for i := range f.Fixes {
				x := Fix{Message: str(), Applies: Applicability(num())}
				x.Edits = make([]source.TextEdit, num())
				for j := range x.Edits {
					sp := span()
					x.Edits[j] = source.TextEdit{File: sp.File, Start: sp.Start, End: sp.End, New: str()}
				}
				f.Fixes[i] = x
			}
		}
		out = append(out, f)
	}
	return out
}
