// Package prefsjs reads Mozilla preference files (Thunderbird's and
// Firefox's prefs.js and user.js) and lets a caller rewrite single values in
// place, keeping every other byte of the file as it was.
//
// The grammar is the one of Mozilla's pref parser
// (mozilla-central modules/libpref/parser/src/lib.rs, which replaced
// prefread.cpp): statements `pref(NAME, VALUE[, ATTR]*);`,
// `user_pref(NAME, VALUE);` and `sticky_pref(NAME, VALUE);` (older files:
// `lockPref`), where NAME is a string and VALUE a string, an integer or
// true/false. Strings take single or double quotes and the escapes \" \' \\
// \n \r \xNN \uNNNN (with surrogate pairs); comments are //, # and /* */.
// Thunderbird writes prefs.js as a comment header followed by one
// `user_pref("name", value);` per line, sorted by name, strings escaped with
// \\, \", \n and \r only (Preferences.cpp, StrEscape / PrefSaveData), and
// reads it back before user.js (MDN "A brief guide to Mozilla preferences").
//
// Parse never fails: a statement it cannot read is skipped and recorded as
// a Problem, so a damaged file still yields every pref that is intact.
package prefsjs

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Kind is the type of a pref value.
type Kind int

// Kinds of values.
const (
	String Kind = iota + 1
	Int
	Bool
)

func (k Kind) String() string {
	switch k {
	case String:
		return "string"
	case Int:
		return "int"
	case Bool:
		return "bool"
	}
	return "invalid"
}

// Value is one pref value.
type Value struct {
	Kind Kind
	Str  string
	Int  int64
	Bool bool
}

// StringValue, IntValue and BoolValue build values.
func StringValue(s string) Value { return Value{Kind: String, Str: s} }

// IntValue builds an integer value.
func IntValue(n int64) Value { return Value{Kind: Int, Int: n} }

// BoolValue builds a boolean value.
func BoolValue(b bool) Value { return Value{Kind: Bool, Bool: b} }

// Literal is v as Thunderbird writes it into prefs.js: a double-quoted
// string escaped like Preferences.cpp's StrEscape, a decimal integer, or
// true/false.
func (v Value) Literal() string {
	switch v.Kind {
	case String:
		return Quote(v.Str)
	case Int:
		return strconv.FormatInt(v.Int, 10)
	case Bool:
		return strconv.FormatBool(v.Bool)
	}
	return `""`
}

func (v Value) String() string {
	if v.Kind == String {
		return v.Str
	}
	return v.Literal()
}

// Quote writes s as a double-quoted pref string. Like Mozilla's StrEscape it
// escapes only backslash, double quote, LF and CR; other bytes (UTF-8
// included) are written as they are.
func Quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			b.WriteString(`\\`)
		case '"':
			b.WriteString(`\"`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// Span is a byte range [Start, End) of the parsed data.
type Span struct {
	Start, End int
}

// Pref is one statement of the file.
type Pref struct {
	// Func is the statement: "user_pref", "pref", "sticky_pref" or "lockPref".
	Func  string
	Name  string
	Value Value
	// Span covers the whole statement, from the function name to the ';'.
	Span Span
	// NameSpan and ValueSpan cover the literals as written (quotes included),
	// so a caller can replace exactly the value.
	NameSpan, ValueSpan Span
	// Line is the 1-based line the statement starts on.
	Line int
}

// Problem is a statement that could not be read.
type Problem struct {
	Line   int
	Offset int
	Msg    string
}

func (p Problem) Error() string { return fmt.Sprintf("line %d: %s", p.Line, p.Msg) }

// File is a parsed preference file.
type File struct {
	// Prefs are the statements in file order; a name may occur more than
	// once, and the last one wins (as when Mozilla reads the file).
	Prefs []Pref
	// Problems are the statements that were skipped.
	Problems []Problem
	// Comments are the /* */ comments, which may span lines: an edit
	// must not put a new statement inside one.
	Comments []Span
	index    map[string]int // name → index in Prefs of the last occurrence
}

// Get returns the pref that is in effect for name: the last one.
func (f *File) Get(name string) (Pref, bool) {
	i, ok := f.index[name]
	if !ok {
		return Pref{}, false
	}
	return f.Prefs[i], true
}

// Str returns name's value if it is a string.
func (f *File) Str(name string) (string, bool) {
	p, ok := f.Get(name)
	if !ok || p.Value.Kind != String {
		return "", false
	}
	return p.Value.Str, true
}

// Int returns name's value if it is an integer. Mozilla keeps integer prefs
// as 32-bit ints; a string holding a decimal number is accepted too, as some
// add-ons and old importers wrote ports that way.
func (f *File) Int(name string) (int64, bool) {
	p, ok := f.Get(name)
	if !ok {
		return 0, false
	}
	switch p.Value.Kind {
	case Int:
		return p.Value.Int, true
	case String:
		n, err := strconv.ParseInt(strings.TrimSpace(p.Value.Str), 10, 32)
		return n, err == nil
	}
	return 0, false
}

// Bool returns name's value if it is a boolean.
func (f *File) Bool(name string) (bool, bool) {
	p, ok := f.Get(name)
	if !ok || p.Value.Kind != Bool {
		return false, false
	}
	return p.Value.Bool, true
}

// Names returns the names in effect that start with prefix, sorted.
func (f *File) Names(prefix string) []string {
	var out []string
	for name := range f.index {
		if strings.HasPrefix(name, prefix) {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// Len is the number of distinct names.
func (f *File) Len() int { return len(f.index) }

// Parse reads a preference file. It never fails: what it cannot read is in
// File.Problems.
func Parse(data []byte) *File {
	p := parser{src: data, line: 1}
	f := &File{index: map[string]int{}}
	for {
		p.skipSpace()
		if p.pos >= len(p.src) {
			break
		}
		start, line := p.pos, p.line
		pref, err := p.statement()
		if err != nil {
			f.Problems = append(f.Problems, Problem{Line: line, Offset: start, Msg: err.Error()})
			p.recover(start, line)
			continue
		}
		pref.Line = line
		f.index[pref.Name] = len(f.Prefs)
		f.Prefs = append(f.Prefs, pref)
	}
	f.Comments = p.comments
	return f
}

type parser struct {
	src      []byte
	pos      int
	line     int
	comments []Span
}

func (p *parser) advance(n int) {
	for i := 0; i < n && p.pos < len(p.src); i++ {
		if p.src[p.pos] == '\n' {
			p.line++
		}
		p.pos++
	}
}

// skipSpace skips white space and comments.
func (p *parser) skipSpace() {
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			p.advance(1)
		case c == '#' || (c == '/' && p.peek(1) == '/'):
			for p.pos < len(p.src) && p.src[p.pos] != '\n' {
				p.pos++
			}
		case c == '/' && p.peek(1) == '*':
			start := p.pos
			end := strings.Index(string(p.src[p.pos+2:]), "*/")
			if end < 0 {
				p.advance(len(p.src) - p.pos)
			} else {
				p.advance(end + 4)
			}
			p.comments = append(p.comments, Span{start, p.pos})
		default:
			return
		}
	}
}

func (p *parser) peek(off int) byte {
	if p.pos+off < len(p.src) {
		return p.src[p.pos+off]
	}
	return 0
}

// recover goes back to where the failed statement started and skips to
// just after the next ';' or the end of that line, whichever comes first,
// so one bad line does not swallow the following ones.
func (p *parser) recover(start, line int) {
	p.pos, p.line = start, line
	p.advance(1)
	if p.src[start] == ';' {
		return
	}
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if c == '\n' {
			return
		}
		p.advance(1)
		if c == ';' {
			return
		}
	}
}

var funcs = []string{"user_pref", "sticky_pref", "lockPref", "pref"}

func (p *parser) statement() (Pref, error) {
	var pref Pref
	start := p.pos
	word := p.ident()
	known := false
	for _, f := range funcs {
		if word == f {
			known = true
		}
	}
	if !known {
		if word == "" {
			return pref, fmt.Errorf("unexpected %q", p.peekRune())
		}
		return pref, fmt.Errorf("unknown function %q", word)
	}
	pref.Func = word
	if err := p.expect('('); err != nil {
		return pref, err
	}
	p.skipSpace()
	nameStart := p.pos
	if c := p.peek(0); c != '"' && c != '\'' {
		return pref, fmt.Errorf("the pref name must be a string")
	}
	name, err := p.str()
	if err != nil {
		return pref, err
	}
	pref.Name, pref.NameSpan = name, Span{nameStart, p.pos}
	if err := p.expect(','); err != nil {
		return pref, err
	}
	p.skipSpace()
	valStart := p.pos
	v, err := p.value()
	if err != nil {
		return pref, err
	}
	pref.Value, pref.ValueSpan = v, Span{valStart, p.pos}
	// pref() may carry attributes: pref("a", 1, sticky, locked).
	for {
		p.skipSpace()
		if p.peek(0) != ',' {
			break
		}
		p.advance(1)
		p.skipSpace()
		attr := p.ident()
		if attr != "sticky" && attr != "locked" {
			return pref, fmt.Errorf("unknown pref attribute %q", attr)
		}
	}
	if err := p.expect(')'); err != nil {
		return pref, err
	}
	if err := p.expect(';'); err != nil {
		return pref, err
	}
	pref.Span = Span{start, p.pos}
	return pref, nil
}

func (p *parser) peekRune() string {
	if p.pos >= len(p.src) {
		return "end of file"
	}
	r, _ := utf8.DecodeRune(p.src[p.pos:])
	return string(r)
}

func (p *parser) ident() string {
	start := p.pos
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || (p.pos > start && c >= '0' && c <= '9') {
			p.pos++
			continue
		}
		break
	}
	return string(p.src[start:p.pos])
}

func (p *parser) expect(c byte) error {
	p.skipSpace()
	if p.peek(0) != c || p.pos >= len(p.src) {
		return fmt.Errorf("expected %q, found %q", c, p.peekRune())
	}
	p.advance(1)
	return nil
}

func (p *parser) value() (Value, error) {
	switch c := p.peek(0); {
	case c == '"' || c == '\'':
		s, err := p.str()
		return StringValue(s), err
	case c == '-' || c == '+' || c >= '0' && c <= '9':
		return p.integer()
	}
	switch w := p.ident(); w {
	case "true":
		return BoolValue(true), nil
	case "false":
		return BoolValue(false), nil
	case "":
		return Value{}, fmt.Errorf("expected a value, found %q", p.peekRune())
	default:
		return Value{}, fmt.Errorf("unexpected %q", w)
	}
}

// integer reads a decimal integer; like Mozilla, values outside 32 bits
// are an error.
func (p *parser) integer() (Value, error) {
	start := p.pos
	if c := p.peek(0); c == '-' || c == '+' {
		p.pos++
	}
	digits := p.pos
	for p.pos < len(p.src) && p.src[p.pos] >= '0' && p.src[p.pos] <= '9' {
		p.pos++
	}
	if p.pos == digits {
		return Value{}, fmt.Errorf("expected digits")
	}
	n, err := strconv.ParseInt(strings.TrimPrefix(string(p.src[start:p.pos]), "+"), 10, 32)
	if err != nil {
		return Value{}, fmt.Errorf("integer %s out of range", p.src[start:p.pos])
	}
	return IntValue(n), nil
}

// str reads a quoted string with Mozilla's escapes.
func (p *parser) str() (string, error) {
	quote := p.src[p.pos]
	p.advance(1)
	var b strings.Builder
	for {
		if p.pos >= len(p.src) {
			return "", fmt.Errorf("unterminated string")
		}
		c := p.src[p.pos]
		switch {
		case c == quote:
			p.advance(1)
			return b.String(), nil
		case c == '\\':
			if err := p.escape(&b); err != nil {
				return "", err
			}
		default:
			p.advance(1)
			b.WriteByte(c)
		}
	}
}

func (p *parser) escape(b *strings.Builder) error {
	p.advance(1)
	if p.pos >= len(p.src) {
		return fmt.Errorf("unterminated string")
	}
	c := p.src[p.pos]
	p.advance(1)
	switch c {
	case '"', '\'', '\\':
		b.WriteByte(c)
	case 'n':
		b.WriteByte('\n')
	case 'r':
		b.WriteByte('\r')
	case 'x':
		n, err := p.hex(2)
		if err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf(`\x00 is not allowed`)
		}
		b.WriteRune(rune(n))
	case 'u':
		n, err := p.hex(4)
		if err != nil {
			return err
		}
		r := rune(n)
		if utf16.IsSurrogate(r) {
			// A high surrogate must be followed by \uDC00-\uDFFF.
			if r >= 0xDC00 || p.peek(0) != '\\' || p.peek(1) != 'u' {
				return fmt.Errorf("lone surrogate \\u%04X", n)
			}
			p.advance(2)
			lo, err := p.hex(4)
			if err != nil {
				return err
			}
			r = utf16.DecodeRune(r, rune(lo))
			if r == utf8.RuneError {
				return fmt.Errorf("bad surrogate pair")
			}
		}
		if r == 0 {
			return fmt.Errorf(`\u0000 is not allowed`)
		}
		b.WriteRune(r)
	default:
		return fmt.Errorf("unknown escape \\%c", c)
	}
	return nil
}

func (p *parser) hex(n int) (int, error) {
	if p.pos+n > len(p.src) {
		return 0, fmt.Errorf("short escape")
	}
	v, err := strconv.ParseUint(string(p.src[p.pos:p.pos+n]), 16, 32)
	if err != nil {
		return 0, fmt.Errorf("bad escape %q", p.src[p.pos:p.pos+n])
	}
	p.advance(n)
	return int(v), nil
}
