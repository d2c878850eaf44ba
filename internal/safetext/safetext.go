// Package safetext makes text from outside (servers, certificates, support
// codes, profiles, mail programs' files) safe to show: in a terminal, where
// control characters are commands (clear the screen, set the window title,
// colours, a hyperlink), and anywhere, where bidi and invisible format
// characters make text read differently from what it is.
//
// Every line Mail Doctor prints goes through String (the command line wraps
// its streams in NewWriter); a field laid out on one line goes through
// Line. JSON keeps its data: NewJSONWriter writes the same characters as
// \u escapes, which no terminal acts on.
package safetext

import (
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Removed reports whether r is taken out of text to be shown: the C0
// controls but tab and new line, DEL, the C1 controls (U+0080–U+009F, which
// some terminals obey like ESC sequences), the line and paragraph
// separators (U+2028, U+2029) and every format character (Unicode
// category Cf: bidi embeddings, overrides and isolates U+202A–U+202E and
// U+2066–U+2069, the marks U+200E, U+200F and U+061C, zero-width
// characters U+200B–U+200D and U+2060, the byte order mark U+FEFF, the
// soft hyphen, tag characters, …). utf8.RuneError stands for invalid UTF-8
// and is removed too; a real U+FFFD is kept.
func Removed(r rune) bool {
	switch {
	case r == '\t' || r == '\n':
		return false
	case r < 0x20, r == 0x7f:
		return true
	case r >= 0x80 && r <= 0x9f:
		return true
	case r == 0x2028 || r == 0x2029:
		return true
	case r > unicode.MaxRune || (r >= 0xd800 && r <= 0xdfff):
		return true
	}
	return unicode.Is(unicode.Cf, r)
}

// String returns s without invalid UTF-8 and without the characters
// Removed names. Tabs and new lines stay. String(String(s)) == String(s).
func String(s string) string {
	if clean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !(r == utf8.RuneError && n == 1) && !Removed(r) {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// Line is String for one field on one line: tabs, new lines and carriage
// returns become spaces, so the field cannot start a line of its own that
// looks like Mail Doctor's.
func Line(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
		case r == '\t' || r == '\n' || r == '\r' || r == 0x85 || r == 0x2028 || r == 0x2029:
			b.WriteByte(' ')
		case !Removed(r):
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// Clean reports whether s is valid UTF-8 with nothing String would remove.
func Clean(s string) bool { return clean(s) }

func clean(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n == 1) || Removed(r) {
			return false
		}
		i += n
	}
	return true
}

// Truncate cuts s to at most max characters, ending it with "…" when
// something was cut. For raw values shown in a sentence (an unknown id).
func Truncate(s string, max int) string {
	if max < 1 || utf8.RuneCountInString(s) <= max {
		return s
	}
	n := 0
	for i := range s {
		if n == max-1 {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

// NewWriter returns a writer that writes to w what it is given, passed
// through String. A character split between two writes is put together
// again; an incomplete one at the very end is never written.
func NewWriter(w io.Writer) io.Writer {
	return &writer{w: w, conv: appendText}
}

// NewJSONWriter returns a writer for JSON text (as encoding/json writes
// it): every character String would remove is written as its \u escape
// instead, so the JSON holds the same data and a terminal showing it sees
// no control or bidi character. Outside strings, JSON holds only ASCII
// spaces, new lines and punctuation, which stay as they are. Invalid UTF-8
// (which encoding/json never writes) is dropped.
func NewJSONWriter(w io.Writer) io.Writer {
	return &writer{w: w, conv: appendJSON}
}

type writer struct {
	w    io.Writer
	conv func(dst []byte, r rune, raw []byte) []byte
	// carry is the start of a character the last write cut off.
	carry [utf8.UTFMax]byte
	n     int
}

func (x *writer) Write(p []byte) (int, error) {
	buf := p
	if x.n > 0 {
		buf = append(append(make([]byte, 0, x.n+len(p)), x.carry[:x.n]...), p...)
		x.n = 0
	}
	cut := incompleteTail(buf)
	x.n = copy(x.carry[:], buf[len(buf)-cut:])
	buf = buf[:len(buf)-cut]
	out := make([]byte, 0, len(buf))
	for i := 0; i < len(buf); {
		r, n := utf8.DecodeRune(buf[i:])
		if !(r == utf8.RuneError && n == 1) {
			out = x.conv(out, r, buf[i:i+n])
		}
		i += n
	}
	if len(out) > 0 {
		if _, err := x.w.Write(out); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// incompleteTail is how many bytes at the end of b start a character that
// the next write may complete.
func incompleteTail(b []byte) int {
	for k := 1; k < utf8.UTFMax && k <= len(b); k++ {
		c := b[len(b)-k]
		if c < utf8.RuneSelf {
			return 0
		}
		if utf8.RuneStart(c) {
			if !utf8.FullRune(b[len(b)-k:]) {
				return k
			}
			return 0
		}
	}
	return 0
}

func appendText(dst []byte, r rune, raw []byte) []byte {
	if Removed(r) {
		return dst
	}
	return append(dst, raw...)
}

const hexDigits = "0123456789abcdef"

func appendJSON(dst []byte, r rune, raw []byte) []byte {
	if !Removed(r) {
		return append(dst, raw...)
	}
	if r > 0xffff {
		r -= 0x10000
		dst = appendU(dst, 0xd800+(r>>10))
		return appendU(dst, 0xdc00+(r&0x3ff))
	}
	return appendU(dst, r)
}

func appendU(dst []byte, r rune) []byte {
	return append(dst, '\\', 'u', hexDigits[r>>12&0xf], hexDigits[r>>8&0xf], hexDigits[r>>4&0xf], hexDigits[r&0xf])
}
