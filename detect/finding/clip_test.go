package finding

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestClip(t *testing.T) {
	cases := []struct {
		s    string
		max  int
		want string
	}{
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"abcdefghijk", 10, "abcdefg…"},
		{"perché sì, così", 9, "perch…"},                 // "é" would not fit whole
		{"日本語のテキスト", 10, "日本…"},                          // 3-byte runes
		{"\xff\xfe\xfd\xfc\xfb\xfa\xf9", 5, "\xff\xfe…"}, // invalid bytes are kept, not walked over
		{"abc", 2, ""},
	}
	for _, c := range cases {
		got := Clip(c.s, c.max)
		if got != c.want {
			t.Errorf("Clip(%q, %d) = %q, want %q", c.s, c.max, got, c.want)
		}
		if len(got) > c.max {
			t.Errorf("Clip(%q, %d) is %d bytes", c.s, c.max, len(got))
		}
	}
}

func TestWithEvidenceIsBounded(t *testing.T) {
	long := strings.Repeat("n00000.sans.example, ", 10000) + "è"
	f := New("cert.hostname_mismatch", Fail, "x:993").WithEvidence(long)
	if len(f.Evidence) > MaxEvidence || !strings.HasSuffix(f.Evidence, Ellipsis) || !utf8.ValidString(f.Evidence) {
		t.Errorf("evidence of %d bytes (%q…)", len(f.Evidence), f.Evidence[:40])
	}
	if g := New("x", Info, "").WithEvidence("short"); g.Evidence != "short" {
		t.Errorf("short evidence changed: %q", g.Evidence)
	}
}

// FuzzClip: whatever the input, the result fits, is a prefix of it (plus
// the ellipsis), and is valid UTF-8 when the input is.
func FuzzClip(f *testing.F) {
	f.Add("perché sì, così", 10)
	f.Add("日本語のテキスト", 7)
	f.Fuzz(func(t *testing.T, s string, max int) {
		if max < 0 || max > 1<<16 {
			return
		}
		got := Clip(s, max)
		if len(got) > max {
			t.Fatalf("Clip(%q, %d) = %q: too long", s, max, got)
		}
		body := strings.TrimSuffix(got, Ellipsis)
		if got != s && !strings.HasPrefix(s, body) {
			t.Fatalf("Clip(%q, %d) = %q: not a prefix", s, max, got)
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("Clip(%q, %d) = %q: invalid UTF-8", s, max, got)
		}
	})
}
