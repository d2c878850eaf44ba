package prefsjs

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// realPrefs was written by Debian's Thunderbird 153.7.0esr itself (see
// detect/clients/thunderbird/testdata/README.md).
const realPrefs = "../thunderbird/testdata/linux-real/tmp/tbhome/prof/prefs.js"

func TestRealThunderbirdFile(t *testing.T) {
	data, err := os.ReadFile(realPrefs)
	if err != nil {
		t.Fatal(err)
	}
	f := Parse(data)
	if len(f.Problems) != 0 {
		t.Fatalf("problems in a file Thunderbird wrote: %v", f.Problems)
	}
	if got := bytes.Count(data, []byte("user_pref(")); len(f.Prefs) != got {
		t.Errorf("parsed %d prefs, the file has %d statements", len(f.Prefs), got)
	}
	checks := []struct {
		name string
		want Value
	}{
		{"mail.accountmanager.accounts", StringValue("account1,account2,account3,account4")},
		{"mail.server.server1.socketType", IntValue(2)},
		{"mail.server.server2.port", IntValue(995)},
		{"mail.server.server2.name", StringValue(`Anna "casa" Bianchi`)},
		{"mail.identity.id3.fullName", StringValue("Info àèìòù")},
		{"extensions.hasExtensionsInstalled", BoolValue(false)},
		{"browser.termsofuse.prefMigrationCheck", BoolValue(true)},
		{"extensions.webextensions.uuids", StringValue(`{"tbpro-system-add-on@thunderbird.net":"21dbaae9-1f82-4329-9172-51dc3bfed65c","default-theme@mozilla.org":"b58a58f5-780e-4271-9c64-0919364014c4"}`)},
	}
	for _, c := range checks {
		p, ok := f.Get(c.name)
		if !ok {
			t.Errorf("%s missing", c.name)
			continue
		}
		if p.Value != c.want {
			t.Errorf("%s = %#v, want %#v", c.name, p.Value, c.want)
		}
		// The spans point at the literal text in the file.
		if got := string(data[p.ValueSpan.Start:p.ValueSpan.End]); got != c.want.Literal() {
			t.Errorf("%s value span %q, want %q", c.name, got, c.want.Literal())
		}
		if got := string(data[p.Span.Start:p.Span.End]); got != Statement(c.name, c.want) {
			t.Errorf("%s statement span %q", c.name, got)
		}
	}
	if names := f.Names("mail.smtpserver.smtp2."); len(names) != 4 {
		t.Errorf("Names(smtp2) = %v", names)
	}
}

func TestParseGrammar(t *testing.T) {
	cases := []struct {
		name, src string
		want      map[string]Value
		problems  int
	}{
		{"single quotes and escapes", `user_pref('a', 'it\'s \"x\" \\ \n\r\x41\u00e8\ud83d\ude00');`,
			map[string]Value{"a": StringValue("it's \"x\" \\ \n\rAè😀")}, 0},
		{"ints", `pref("a", -5); pref("b", +7); user_pref("c", 2147483647);`,
			map[string]Value{"a": IntValue(-5), "b": IntValue(7), "c": IntValue(2147483647)}, 0},
		{"int out of range", `user_pref("a", 2147483648);` + "\n" + `user_pref("b", 1);`,
			map[string]Value{"b": IntValue(1)}, 1},
		{"comments everywhere", "# hash\n/* block\n comment */ user_pref( /* in */ \"a\" , // line\n true ) ;\n",
			map[string]Value{"a": BoolValue(true)}, 0},
		{"attributes", `pref("a", 1, sticky, locked); sticky_pref("b", false); lockPref("c", "x");`,
			map[string]Value{"a": IntValue(1), "b": BoolValue(false), "c": StringValue("x")}, 0},
		{"last one wins", "user_pref(\"a\", 1);\nuser_pref(\"a\", 2);\n", map[string]Value{"a": IntValue(2)}, 0},
		{"garbage line skipped", "user_pref(\"a\", 1);\nthis is not a pref\nuser_pref(\"b\", 2);\n",
			map[string]Value{"a": IntValue(1), "b": IntValue(2)}, 1},
		{"truncated", "user_pref(\"a\", 1);\nuser_pref(\"b\", \"unterminated",
			map[string]Value{"a": IntValue(1)}, 1},
		{"missing semicolon", "user_pref(\"a\", 1)\nuser_pref(\"b\", 2);",
			map[string]Value{"b": IntValue(2)}, 1},
		{"bad escape", `user_pref("a", "\q");` + "\n" + `user_pref("b", "\u0000");` + "\n" + `user_pref("c", "\udc00");`, map[string]Value{}, 3},
		{"unknown function", `foo("a", 1);`, map[string]Value{}, 1},
		{"unterminated comment", "user_pref(\"a\", 1); /* never closed", map[string]Value{"a": IntValue(1)}, 0},
		{"crlf", "user_pref(\"a\", 1);\r\nuser_pref(\"b\", \"x\");\r\n", map[string]Value{"a": IntValue(1), "b": StringValue("x")}, 0},
		{"binary", "\x00\xff\xfe garbage \x01", map[string]Value{}, 1},
		{"empty", "", map[string]Value{}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := Parse([]byte(c.src))
			if f.Len() != len(c.want) {
				t.Errorf("got %d names, want %d: %+v", f.Len(), len(c.want), f.Prefs)
			}
			for k, v := range c.want {
				p, ok := f.Get(k)
				if !ok || p.Value != v {
					t.Errorf("%s = %#v (%v), want %#v", k, p.Value, ok, v)
				}
			}
			if len(f.Problems) != c.problems {
				t.Errorf("problems = %v, want %d", f.Problems, c.problems)
			}
		})
	}
}

func TestTypedGetters(t *testing.T) {
	f := Parse([]byte(`user_pref("s", "x"); user_pref("n", 3); user_pref("ns", " 587 "); user_pref("b", true);`))
	if s, ok := f.Str("s"); !ok || s != "x" {
		t.Errorf("Str = %q %v", s, ok)
	}
	if _, ok := f.Str("n"); ok {
		t.Error("Str of an int")
	}
	if n, ok := f.Int("n"); !ok || n != 3 {
		t.Errorf("Int = %d %v", n, ok)
	}
	if n, ok := f.Int("ns"); !ok || n != 587 {
		t.Errorf("Int of a numeric string = %d %v", n, ok)
	}
	if _, ok := f.Int("s"); ok {
		t.Error("Int of a non-numeric string")
	}
	if b, ok := f.Bool("b"); !ok || !b {
		t.Errorf("Bool = %v %v", b, ok)
	}
	if _, ok := f.Bool("missing"); ok {
		t.Error("Bool of a missing pref")
	}
}

func TestLineNumbers(t *testing.T) {
	f := Parse([]byte("// c\n\n/* x\ny */\nuser_pref(\"a\",\n 1);\nuser_pref(\"b\", 2);"))
	if len(f.Prefs) != 2 || f.Prefs[0].Line != 5 || f.Prefs[1].Line != 7 {
		t.Errorf("lines: %+v", f.Prefs)
	}
	f = Parse([]byte("user_pref(\"a\", 1);\n\nbroken(\n"))
	if len(f.Problems) != 1 || f.Problems[0].Line != 3 {
		t.Errorf("problem line: %+v", f.Problems)
	}
}

func TestEditInPlace(t *testing.T) {
	data, err := os.ReadFile(realPrefs)
	if err != nil {
		t.Fatal(err)
	}
	f := Parse(data)
	sock, _ := f.Get("mail.server.server1.socketType")
	name, _ := f.Get("mail.server.server2.name")
	out, err := Apply(data,
		SetValue(sock, IntValue(3)),
		SetValue(name, StringValue("Anna \\ \"nuova\"\nriga")),
		f.Insert(data, "mail.server.server1.port", IntValue(993)),
	)
	if err != nil {
		t.Fatal(err)
	}
	g := Parse(out)
	if len(g.Problems) != 0 {
		t.Fatalf("problems after editing: %v", g.Problems)
	}
	if v, _ := g.Int("mail.server.server1.socketType"); v != 3 {
		t.Errorf("socketType = %d", v)
	}
	if v, _ := g.Int("mail.server.server1.port"); v != 993 {
		t.Errorf("port = %d", v)
	}
	if v, _ := g.Str("mail.server.server2.name"); v != "Anna \\ \"nuova\"\nriga" {
		t.Errorf("name = %q", v)
	}
	// Sorted where Thunderbird would put it, on its own line.
	want := "user_pref(\"mail.server.server1.nextFilterTime\", 10);\nuser_pref(\"mail.server.server1.port\", 993);\nuser_pref(\"mail.server.server1.socketType\", 3);\n"
	if !strings.Contains(string(out), want) {
		t.Errorf("insertion not in sorted place")
	}
	// Everything else is byte for byte the same.
	if g.Len() != f.Len()+1 {
		t.Errorf("names %d → %d", f.Len(), g.Len())
	}
	rest := strings.Replace(string(out), "user_pref(\"mail.server.server1.port\", 993);\n", "", 1)
	rest = strings.Replace(rest, `"mail.server.server1.socketType", 3`, `"mail.server.server1.socketType", 2`, 1)
	rest = strings.Replace(rest, `"Anna \\ \"nuova\"\nriga"`, `"Anna \"casa\" Bianchi"`, 1)
	if rest != string(data) {
		t.Error("other bytes changed")
	}

	// Delete removes the whole line.
	del, err := Apply(data, Delete(data, sock))
	if err != nil {
		t.Fatal(err)
	}
	if len(del) != len(data)-len(`user_pref("mail.server.server1.socketType", 2);`+"\n") {
		t.Errorf("delete removed %d bytes", len(data)-len(del))
	}
	if _, ok := Parse(del).Get("mail.server.server1.socketType"); ok {
		t.Error("still there after Delete")
	}
}

func TestInsertEdgeCases(t *testing.T) {
	cases := []struct{ src, want string }{
		{"", "user_pref(\"m\", 1);\n"},
		{"// header\n", "// header\nuser_pref(\"m\", 1);\n"},
		{"user_pref(\"z\", 0);\n", "user_pref(\"m\", 1);\nuser_pref(\"z\", 0);\n"},
		{"user_pref(\"a\", 0);", "user_pref(\"a\", 0);\nuser_pref(\"m\", 1);\n"},
		{"user_pref(\"a\", 0);\r\nuser_pref(\"z\", 0);\r\n", "user_pref(\"a\", 0);\r\nuser_pref(\"m\", 1);\r\nuser_pref(\"z\", 0);\r\n"},
	}
	for _, c := range cases {
		data := []byte(c.src)
		out, err := Apply(data, Parse(data).Insert(data, "m", IntValue(1)))
		if err != nil || string(out) != c.want {
			t.Errorf("Insert into %q = %q, %v; want %q", c.src, out, err, c.want)
		}
	}
	if _, err := Apply([]byte("abc"), Edit{Span: Span{0, 2}}, Edit{Span: Span{1, 3}}); err == nil {
		t.Error("overlapping edits accepted")
	}
	if _, err := Apply([]byte("abc"), Edit{Span: Span{2, 9}}); err == nil {
		t.Error("edit past the end accepted")
	}
}

func TestQuoteRoundTrip(t *testing.T) {
	for _, s := range []string{"", "plain", `a"b\c`, "new\nline\r", "àè😀", "tab\there"} {
		f := Parse([]byte(Statement("k", StringValue(s))))
		if v, ok := f.Str("k"); !ok || v != s {
			t.Errorf("round trip of %q = %q %v (%v)", s, v, ok, f.Problems)
		}
	}
}
