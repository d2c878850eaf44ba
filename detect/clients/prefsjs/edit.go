package prefsjs

import (
	"fmt"
	"sort"
)

// Edit replaces the bytes of Span with Text. An empty span inserts.
type Edit struct {
	Span Span
	Text string
}

// Statement formats a user_pref line as Thunderbird writes it, without the
// line ending: user_pref("name", value);
func Statement(name string, v Value) string {
	return "user_pref(" + Quote(name) + ", " + v.Literal() + ");"
}

// SetValue is the edit that replaces p's value with v, leaving the name,
// the spacing and everything else in the file untouched.
func SetValue(p Pref, v Value) Edit {
	return Edit{Span: p.ValueSpan, Text: v.Literal()}
}

// Delete is the edit that removes p's statement together with the line
// ending after it, when the statement is alone on its line.
func Delete(data []byte, p Pref) Edit {
	s := p.Span
	lineStart := s.Start
	for lineStart > 0 && (data[lineStart-1] == ' ' || data[lineStart-1] == '\t') {
		lineStart--
	}
	end := s.End
	for end < len(data) && (data[end] == ' ' || data[end] == '\t') {
		end++
	}
	aloneBefore := lineStart == 0 || data[lineStart-1] == '\n'
	switch {
	case aloneBefore && end < len(data) && data[end] == '\r' && end+1 < len(data) && data[end+1] == '\n':
		return Edit{Span: Span{lineStart, end + 2}}
	case aloneBefore && end < len(data) && data[end] == '\n':
		return Edit{Span: Span{lineStart, end + 1}}
	case aloneBefore && end == len(data):
		return Edit{Span: Span{lineStart, end}}
	}
	return Edit{Span: s}
}

// Insert is the edit that adds `user_pref(name, v);` on a line of its own
// where Thunderbird's sorted order puts it: after the last user_pref whose
// name sorts before name, else before the first one, else at the end. It
// uses the file's own line ending. Use SetValue instead when the name is
// already there.
func (f *File) Insert(data []byte, name string, v Value) Edit {
	eol := "\n"
	if len(f.Prefs) > 0 {
		e := f.Prefs[0].Span.End
		for e < len(data) && data[e] != '\n' {
			e++
		}
		if e > 0 && e < len(data) && data[e-1] == '\r' {
			eol = "\r\n"
		}
	}
	line := Statement(name, v) + eol
	after, before := -1, -1
	for i, p := range f.Prefs {
		if p.Func != "user_pref" {
			continue
		}
		if p.Name < name && (after < 0 || p.Name >= f.Prefs[after].Name) {
			after = i
		}
		if before < 0 {
			before = i
		}
	}
	switch {
	case after >= 0:
		pos := f.lineAfter(data, f.Prefs[after].Span.End)
		if pos < len(data) {
			return Edit{Span: Span{pos + 1, pos + 1}, Text: line}
		}
		return Edit{Span: Span{pos, pos}, Text: eol + Statement(name, v) + eol}
	case before >= 0:
		// Just before the statement, after any indentation: the start of
		// its line could be inside a comment that ends on that line.
		pos := f.Prefs[before].Span.Start
		for pos > 0 && (data[pos-1] == ' ' || data[pos-1] == '\t') {
			pos--
		}
		if pos > 0 && data[pos-1] != '\n' {
			return Edit{Span: Span{pos, pos}, Text: eol + line}
		}
		return Edit{Span: Span{pos, pos}, Text: line}
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		line = eol + line
	}
	return Edit{Span: Span{len(data), len(data)}, Text: line}
}

// Apply returns a copy of data with the edits made. Edits must not overlap;
// two insertions at the same place keep their order.
func Apply(data []byte, edits ...Edit) ([]byte, error) {
	sorted := make([]Edit, len(edits))
	copy(sorted, edits)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Span.Start < sorted[j].Span.Start })
	out := make([]byte, 0, len(data)+64)
	pos := 0
	for _, e := range sorted {
		if e.Span.Start < pos || e.Span.End < e.Span.Start || e.Span.End > len(data) {
			return nil, fmt.Errorf("prefsjs: edit %d-%d overlaps another or lies outside the file", e.Span.Start, e.Span.End)
		}
		out = append(out, data[pos:e.Span.Start]...)
		out = append(out, e.Text...)
		pos = e.Span.End
	}
	return append(out, data[pos:]...), nil
}

// lineAfter is the end of the line on which the statement ending at pos
// ends; when another statement or a /* */ comment starts on that line and
// ends on a later one (a ';' after a newline), the end of that one's
// line, so a new line never lands inside a statement or a comment.
func (f *File) lineAfter(data []byte, pos int) int {
	for {
		for pos < len(data) && data[pos] != '\n' {
			pos++
		}
		moved := false
		for _, p := range f.Prefs {
			if p.Span.Start < pos && pos < p.Span.End {
				pos, moved = p.Span.End, true
			}
		}
		for _, c := range f.Comments {
			if c.Start < pos && pos < c.End {
				pos, moved = c.End, true
			}
		}
		if !moved {
			return pos
		}
	}
}
