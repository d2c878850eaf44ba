package prefsjs

import (
	"os"
	"testing"
	"unicode/utf8"
)

// FuzzParse: any input parses without panicking, spans lie inside the input
// and in order, and rewriting a value then parsing again gives that value.
func FuzzParse(f *testing.F) {
	if data, err := os.ReadFile(realPrefs); err == nil {
		f.Add(data)
	}
	f.Add([]byte(`user_pref("a", 'x\u00e8\ud83d\ude00'); pref("b", -1, locked); /* c */ # d` + "\n"))
	f.Add([]byte("user_pref(\"a\", \"unterminated"))
	f.Add([]byte("\xff\xfe\x00garbage"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file := Parse(data)
		last := -1
		for _, p := range file.Prefs {
			for _, s := range []Span{p.Span, p.NameSpan, p.ValueSpan} {
				if s.Start < 0 || s.End > len(data) || s.Start > s.End {
					t.Fatalf("span %+v outside %d bytes", s, len(data))
				}
			}
			if p.Span.Start < last {
				t.Fatalf("statements out of order")
			}
			last = p.Span.End
		}
		if len(file.Prefs) == 0 {
			return
		}
		p := file.Prefs[len(file.Prefs)-1]
		if !utf8.ValidString(p.Name) {
			return
		}
		want := StringValue("sostituito \"\\\n")
		out, err := Apply(data, SetValue(p, want))
		if err != nil {
			t.Fatal(err)
		}
		got, ok := Parse(out).Get(p.Name)
		if !ok || got.Value != want {
			t.Fatalf("after SetValue %q = %#v %v", p.Name, got.Value, ok)
		}
	})
}
