package safetext

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// hostile are the characters an attacker puts in a field to act on the
// terminal that shows it, or to make it read as something else.
var hostile = []struct{ name, in, want string }{
	{"window title (OSC)", "a\x1b]0;pwned\x07b", "a]0;pwnedb"},
	{"clear screen", "\x1b[2Jx", "[2Jx"},
	{"colour", "\x1b[31mred\x1b[0m", "[31mred[0m"},
	{"OSC 8 hyperlink", "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\", "]8;;https://evil.example\\click]8;;\\"},
	{"C1 CSI", "\u009b2Jx", "2Jx"},
	{"C1 NEL", "a\u0085b", "ab"},
	{"DEL and backspace", "ab\x7f\x08c", "abc"},
	{"carriage return", "safe\rEVIL", "safeEVIL"},
	{"bidi override", "moc.\u202elivE", "moc.livE"},
	{"bidi isolates", "\u2066a\u2067b\u2068c\u2069", "abc"},
	{"marks", "\u200ea\u200fb\u061c", "ab"},
	{"zero width", "pay\u200bpal\u200c\u200d\u2060", "paypal"},
	{"byte order mark", "\ufeffhost", "host"},
	{"line separators", "a\u2028b\u2029c", "abc"},
	{"tag characters", "x\U000e0041\U000e007f", "x"},
	{"invalid UTF-8", "a\xffb\xc0\xafc\xed\xa0\x80d", "abcd"},
	{"NUL", "a\x00b", "ab"},
	{"tab and new line stay", "a\tb\nc", "a\tb\nc"},
	{"ordinary text stays", "Però è già così – “ok” © 日本 🙂 \ufffd", "Però è già così – “ok” © 日本 🙂 \ufffd"},
}

func TestString(t *testing.T) {
	for _, c := range hostile {
		if got := String(c.in); got != c.want {
			t.Errorf("%s: String(%q) = %q, want %q", c.name, c.in, got, c.want)
		}
		if Clean(c.in) != (c.in == c.want) {
			t.Errorf("%s: Clean(%q) = %v", c.name, c.in, Clean(c.in))
		}
	}
}

func TestLine(t *testing.T) {
	for in, want := range map[string]string{
		"a\nb":             "a b",
		"a\r\n[ok] forged": "a  [ok] forged",
		"a\tb\u2028c":      "a b c",
		"\x1b[2Jx\xff":     "[2Jx",
	} {
		if got := Line(in); got != want {
			t.Errorf("Line(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTruncate(t *testing.T) {
	for _, c := range []struct {
		in   string
		max  int
		want string
	}{
		{"abc", 3, "abc"}, {"abcd", 3, "ab…"}, {"èèèè", 2, "è…"}, {"", 5, ""},
	} {
		if got := Truncate(c.in, c.max); got != c.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
		}
	}
}

// A writer puts together a character split between writes, and cleans.
func TestWriterSplitWrites(t *testing.T) {
	in := "è\u202e\x1b[2J日本🙂\u009b\n"
	for split := 0; split <= len(in); split++ {
		var b bytes.Buffer
		w := NewWriter(&b)
		for _, part := range []string{in[:split], in[split:]} {
			if n, err := w.Write([]byte(part)); err != nil || n != len(part) {
				t.Fatalf("Write = %d, %v", n, err)
			}
		}
		if want := "è[2J日本🙂\n"; b.String() != want {
			t.Errorf("split at %d: %q, want %q", split, b.String(), want)
		}
	}
}

// JSON keeps its data: what a terminal would act on is written as \u
// escapes, and decodes to the same strings.
func TestJSONWriter(t *testing.T) {
	v := map[string]string{"k\u202e": "\u009b2J \u202e \u2066x\u2069 \U000e0041 \x7f \x1b[2J è"}
	var b bytes.Buffer
	enc := json.NewEncoder(NewJSONWriter(&b))
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	if !Clean(b.String()) {
		t.Errorf("JSON output holds characters a terminal acts on: %q", b.String())
	}
	var back map[string]string
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, b.String())
	}
	for k, val := range v {
		if back[k] != val {
			t.Errorf("%q: decoded %q, want %q", k, back[k], val)
		}
	}
}

func FuzzString(f *testing.F) {
	for _, c := range hostile {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := String(s)
		check := func(what, out string, allowed func(rune) bool) {
			if !utf8.ValidString(out) {
				t.Fatalf("%s(%q) = %q: not valid UTF-8", what, s, out)
			}
			for _, r := range out {
				if allowed(r) {
					continue
				}
				if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == 0x2028 || r == 0x2029 ||
					(r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || (r >= 0x200b && r <= 0x200f) {
					t.Fatalf("%s(%q) = %q: %U survived", what, s, out, r)
				}
			}
			if !Clean(out) {
				t.Fatalf("%s(%q) = %q: not Clean", what, s, out)
			}
		}
		check("String", out, func(r rune) bool { return r == '\t' || r == '\n' })
		if again := String(out); again != out {
			t.Fatalf("String is not idempotent: %q -> %q -> %q", s, out, again)
		}
		line := Line(s)
		check("Line", line, func(rune) bool { return false })
		if strings.ContainsAny(line, "\t\n\r") || Line(line) != line {
			t.Fatalf("Line(%q) = %q", s, line)
		}
		// The writer writes what String returns, however the text is cut.
		var b bytes.Buffer
		w := NewWriter(&b)
		for i := 0; i < len(s); i += 3 {
			end := i + 3
			if end > len(s) {
				end = len(s)
			}
			if _, err := w.Write([]byte(s[i:end])); err != nil {
				t.Fatal(err)
			}
		}
		if b.String() != out {
			t.Fatalf("writer wrote %q, String gives %q", b.String(), out)
		}
		// Escaped JSON of anything is clean and decodes to the same text.
		var j bytes.Buffer
		if err := json.NewEncoder(NewJSONWriter(&j)).Encode(s); err != nil {
			t.Fatal(err)
		}
		if !Clean(j.String()) {
			t.Fatalf("JSON of %q is %q", s, j.String())
		}
		var back string
		if err := json.Unmarshal(j.Bytes(), &back); err != nil || (utf8.ValidString(s) && back != s) {
			t.Fatalf("JSON of %q decodes to %q, %v", s, back, err)
		}
	})
}
