package secret

import (
	"encoding/base64"
	"strings"
	"testing"
)

const (
	testUser = "mario.rossi@cliente.example"
	// testPassword differs in every form: quotes and a backslash, a space,
	// + and /, and é.
	testPassword = `Pa"ss\wo rd+/é`
)

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestFormsOfAnEchoedPassword(t *testing.T) {
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	forms := Forms(testPassword, testUser)
	for name, want := range map[string]string{
		"raw":                   testPassword,
		"IMAP quoted":           `Pa\"ss\\wo rd+/é`,
		"IMAP literal":          "{15}\r\n" + testPassword,
		"IMAP literal+":         "{15+}\r\n" + testPassword,
		"JSON":                  `Pa\"ss\\wo rd+/é`,
		"JSON, ASCII only":      `Pa\"ss\\wo rd+/\u00e9`,
		"Go %q, ASCII only":     `Pa\"ss\\wo rd+/\u00e9`,
		"query-escaped":         "Pa%22ss%5Cwo+rd%2B%2F%C3%A9",
		"query-escaped, lower":  "Pa%22ss%5cwo+rd%2b%2f%c3%a9",
		"path-escaped":          "Pa%22ss%5Cwo%20rd+%2F%C3%A9",
		"base64":                b64(testPassword),
		"base64 unpadded":       strings.TrimRight(b64(testPassword), "="),
		"SASL PLAIN":            b64("\x00" + testUser + "\x00" + testPassword),
		"SASL PLAIN with authz": b64(testUser + "\x00" + testUser + "\x00" + testPassword),
		"SASL LOGIN user":       b64(testUser),
		"probe's first bytes":   `Pa"ss\wo rd+/..`,
		"probe's %q":            `Pa\"ss\\wo rd+/..`,
	} {
		if !has(forms, want) {
			t.Errorf("%s form %q missing from %q", name, want, forms)
		}
	}
	if has(forms, testUser) {
		t.Error("the user name is not a secret: the report must keep it")
	}
}

// A password typed with spaces around it is scrubbed as typed and as a
// program that trimmed it would have sent it.
func TestFormsOfTrimmedPassword(t *testing.T) {
	forms := Forms(" segreto+1 ", testUser)
	for _, want := range []string{" segreto+1 ", "segreto+1", "segreto%2B1", base64.StdEncoding.EncodeToString([]byte("segreto+1"))} {
		if !has(forms, want) {
			t.Errorf("form %q missing from %q", want, forms)
		}
	}
	if Forms("", testUser) != nil {
		t.Error("an empty password has no forms")
	}
}

// A one- or two-character password is still replaced as typed, but its
// encodings ("YQ", `\"`, "%2B") are too common to replace everywhere.
func TestShortPasswordKeepsOnlySafeForms(t *testing.T) {
	for _, p := range []string{"a", `"`, "+", "ok", `\`} {
		forms := Forms(p, "")
		if !has(forms, p) {
			t.Errorf("%q: the password itself is not in %q", p, forms)
		}
		for _, f := range forms {
			if f != p && len(f) < MinDerived {
				t.Errorf("%q: form %q is shorter than %d", p, f, MinDerived)
			}
		}
	}
	if has(Forms("a", ""), "YQ") || has(Forms(`"`, ""), `\"`) || has(Forms("+", ""), "%2B") {
		t.Error("a short encoded form is replaced")
	}
}

// A password of only non-ASCII letters, as the probe prints it, is a row
// of dots: too common to replace, and it tells nothing.
func TestNoRowOfDotsForm(t *testing.T) {
	for _, f := range Forms("пароль", "") {
		if strings.Trim(f, ".") == "" {
			t.Errorf("form %q is a row of dots", f)
		}
	}
}

// The attack on a length cap: a server pads its refusal so that the cut
// (finding.Clip, "…") falls inside the echoed password, and the part kept
// matches no whole form. That part goes too.
func TestEchoCutShortLosesItsTail(t *testing.T) {
	forms := Forms(testPassword, testUser)
	for _, f := range forms {
		for k := MinDerived; k < len(f); k++ {
			in := "NO bad password " + f[:k] + Ellipsis
			// What is left is markers, and fewer than MinDerived bytes
			// after one.
			got := String(in, forms)
			rest := strings.TrimSuffix(strings.TrimPrefix(got, "NO bad password "), Ellipsis)
			if parts := strings.Split(rest, Redacted); len(parts) < 2 || parts[0] != "" || len(strings.Join(parts, "")) >= MinDerived {
				t.Errorf("%q: got %q", in, got)
			}
		}
	}
	// A string that was not cut keeps its ending: the user name is not a
	// password that starts with it, cut short.
	if got := String("mario.rossi", Forms("mario.rossi1", "")); got != "mario.rossi" {
		t.Errorf("an uncut user name became %q", got)
	}
	// Fewer than MinDerived bytes before the cut are too common to tell.
	if got := String("NO Pa"+Ellipsis, forms); got != "NO Pa"+Ellipsis {
		t.Errorf("a two-byte tail became %q", got)
	}
}

type inner struct {
	Text string
	Tags map[string]bool
}

type sample struct {
	Greeting string
	Steps    []inner
	Ptr      *inner
	Again    *inner
	Any      interface{}
	AnyPtr   interface{}
	Args     map[string]string
	Fixed    [2]string
	Self     *sample
	hidden   string
}

func TestScrubWalksEveryString(t *testing.T) {
	forms := Forms(testPassword, testUser)
	quoted, plain := `Pa\"ss\\wo rd+/é`, base64.StdEncoding.EncodeToString([]byte("\x00"+testUser+"\x00"+testPassword))
	shared := &inner{Text: "shared " + testPassword}
	s := &sample{
		Greeting: "* OK hello " + testPassword,
		Steps:    []inner{{Text: `NO bad password "` + quoted + `"`, Tags: map[string]bool{plain: true}}},
		Ptr:      shared,
		Again:    shared,
		Any:      inner{Text: "535 " + plain},
		AnyPtr:   &inner{Text: "url Pa%22ss%5Cwo+rd%2B%2F%C3%A9"},
		Args:     map[string]string{"user": testUser, testPassword: "key"},
		Fixed:    [2]string{"{15}\r\n" + testPassword, "ok"},
		hidden:   testPassword,
	}
	s.Self = s
	Scrub(s, forms)
	want := &sample{
		Greeting: "* OK hello " + Redacted,
		Steps:    []inner{{Text: `NO bad password "` + Redacted + `"`, Tags: map[string]bool{Redacted: true}}},
		Any:      inner{Text: "535 " + Redacted},
		AnyPtr:   &inner{Text: "url " + Redacted},
		Args:     map[string]string{"user": testUser, Redacted: "key"},
		Fixed:    [2]string{Redacted, "ok"},
	}
	check := func(name, got, want string) {
		if got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	check("Greeting", s.Greeting, want.Greeting)
	check("Steps[0].Text", s.Steps[0].Text, want.Steps[0].Text)
	if !s.Steps[0].Tags[Redacted] || len(s.Steps[0].Tags) != 1 {
		t.Errorf("map keys not scrubbed: %v", s.Steps[0].Tags)
	}
	// Reached twice, scrubbed once.
	check("Ptr.Text", s.Ptr.Text, "shared "+Redacted)
	check("Any", s.Any.(inner).Text, want.Any.(inner).Text)
	check("AnyPtr", s.AnyPtr.(*inner).Text, want.AnyPtr.(*inner).Text)
	if len(s.Args) != 2 || s.Args["user"] != testUser || s.Args[Redacted] != "key" {
		t.Errorf("Args = %v", s.Args)
	}
	check("Fixed[0]", s.Fixed[0], want.Fixed[0])
	check("Fixed[1]", s.Fixed[1], want.Fixed[1])
	check("hidden (unexported, never output)", s.hidden, testPassword)
}

// A secret that is part of the marker itself is still replaced once, not
// again inside its own replacement.
func TestScrubOnceEvenWhenReachedTwice(t *testing.T) {
	shared := &inner{Text: "red"}
	list := []*inner{shared, shared}
	Scrub(&list, Forms("red", ""))
	if shared.Text != Redacted {
		t.Errorf("Text = %q, want %q", shared.Text, Redacted)
	}
}

func TestScrubNothing(t *testing.T) {
	s := &inner{Text: "hello"}
	Scrub(s, nil)
	Scrub(s, []string{""})
	Scrub(nil, []string{"x"})
	if s.Text != "hello" {
		t.Errorf("Text = %q", s.Text)
	}
	if got := String("a "+testPassword, Forms(testPassword, "")); got != "a "+Redacted {
		t.Errorf("String = %q", got)
	}
}

type box struct {
	Joined string
	List   []string
	Map    map[string]string
	Any    interface{}
	Fixed  [1]string
	Next   *box
}

// For any password and user, after Scrub no form of the password is left
// in any string: between the markers that replaced them, nothing that
// Forms lists survives, whether the forms stood alone, side by side or
// inside other text; nor, in a string cut short, the first half of one.
func FuzzScrubLeavesNoForm(f *testing.F) {
	for _, seed := range [][2]string{
		{testPassword, testUser}, {"a", ""}, {"red", "u"}, {"]]", "["}, {"  ", ""},
		{" segreto ", " mario "}, {"\x00\r\n", "é"}, {"ab", "ab"}, {"%", "%25"}, {"\xff\xfe", "x"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, password, user string) {
		forms := Forms(password, user)
		if password != "" && !has(forms, password) {
			t.Fatalf("the password itself is not among its forms %q", forms)
		}
		for _, s := range forms {
			if len(s) < MinDerived && s != password && s != strings.TrimSpace(password) {
				t.Fatalf("form %q is shorter than %d", s, MinDerived)
			}
		}
		b := &box{
			Joined: "<" + strings.Join(forms, "|") + ">" + strings.Join(forms, ""),
			List:   append([]string(nil), forms...),
			Map:    map[string]string{},
			Any:    inner{Text: "x" + strings.Join(forms, " ") + "y"},
			Next:   &box{Joined: password + user + password},
		}
		for _, s := range forms {
			b.Map[s] = "v " + s
		}
		if len(forms) > 0 {
			b.Fixed[0] = forms[len(forms)-1] + forms[0]
		}
		// Every form cut short half way, as a length cap would cut it.
		var cut box
		for _, s := range forms {
			if k := len(s) / 2; k >= MinDerived {
				cut.List = append(cut.List, "cut: "+s[:k]+Ellipsis)
			}
		}
		Scrub(b, forms)
		Scrub(&cut, forms)
		for _, s := range cut.List {
			rest := strings.ReplaceAll(strings.TrimSuffix(s, Ellipsis), Redacted, "")
			if !strings.HasSuffix(s, Redacted+Ellipsis) || len(rest) > len("cut: ") {
				t.Fatalf("a form cut short keeps its beginning: %q", s)
			}
		}
		var all []string
		all = append(all, b.Joined, b.Any.(inner).Text, b.Fixed[0], b.Next.Joined)
		all = append(all, b.List...)
		for k, v := range b.Map {
			all = append(all, k, v)
		}
		for _, s := range all {
			for _, part := range strings.Split(s, Redacted) {
				for _, form := range forms {
					if strings.Contains(part, form) {
						t.Fatalf("form %q survives in %q (scrubbed: %q)", form, part, s)
					}
				}
			}
		}
	})
}

func TestScrubKeepingOwnWords(t *testing.T) {
	s := &struct{ Verdict, Evidence string }{"fail", "NO fail"}
	ScrubKeeping(s, Forms("fail", ""), []*string{&s.Verdict})
	if s.Verdict != "fail" || s.Evidence != "NO "+Redacted {
		t.Errorf("got %+v", s)
	}
}
