package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// compatAnswer is the part of "compat --json" an agent reads.
type compatAnswer struct {
	Client *struct {
		ID  string `json:"id"`
		Row string `json:"row"`
	} `json:"client"`
	Verdict string `json:"verdict"`
	Summary string `json:"summary"`
	Actions []struct {
		Kind string `json:"kind"`
		Text string `json:"text"`
	} `json:"actions"`
	Reasons []string `json:"reasons"`
}

func (a compatAnswer) clientRow() string {
	if a.Client == nil {
		return ""
	}
	if a.Client.Row != "" {
		return a.Client.Row
	}
	return a.Client.ID
}

// TestCompatAgentQuestions are the questions of issue 13, as a support
// agent types them, in Italian and English, with the verdict and the way
// out expected. Each class failed before the change that fixed it.
func TestCompatAgentQuestions(t *testing.T) {
	cases := []struct {
		class   string
		os      string
		client  string
		lang    string
		verdict string
		row     string   // the program the answer is for
		want    []string // in the summary, the actions or the reasons
		not     []string // in none of them
	}{
		// 1. A system-only question answers for the built-in mail app.
		{"1 builtin", "iphone ios 9", "", "en", "unsupported", "ios-mail-1-9", []string{"iOS 10"}, nil},
		{"1 builtin", "iOS 8.4", "", "it", "unsupported", "ios-mail-1-9", []string{"webmail"}, nil},
		{"1 builtin", "os x 10.11", "", "en", "unsupported", "apple-mail-legacy", nil, nil},
		{"1 builtin", "El Capitan", "", "it", "unsupported", "apple-mail-legacy", nil, nil},
		{"1 builtin", "mac os x 10.9", "", "en", "unsupported", "apple-mail-legacy", nil, nil},
		{"1 builtin", "ios 12", "", "en", "works", "ios-mail-10-12.1", nil, nil},
		{"1 builtin", "macOS Sonoma", "", "en", "works", "apple-mail-10.14.4", nil, nil},
		// "mail", "email", "posta", "l'app Mail" mean the built-in app.
		{"1 generic", "iOS 9", "mail", "en", "unsupported", "ios-mail-1-9", nil, nil},
		{"1 generic", "iphone ios 7", "posta", "it", "unsupported", "ios-mail-1-9", nil, nil},
		{"1 generic", "ios 12", "l'app Mail", "it", "works", "ios-mail-10-12.1", nil, nil},
		{"1 generic", "mac os x 10.9", "app mail", "it", "unsupported", "apple-mail-legacy", nil, nil},
		{"1 generic", "iOS 15", "e-mail", "en", "works", "ios-mail-12.2", nil, nil},
		{"1 generic", "macOS 12", "email app", "en", "works", "apple-mail-10.14.4", nil, nil},
		{"1 generic", "iphone ios 16", "posta elettronica", "it", "works", "ios-mail-12.2", nil, nil},
		{"1 generic", "windows vista", "mail", "en", "unsupported", "windows-mail-vista", nil, nil},
		{"1 nickname", "windows 10", "posta di windows", "it", "unsupported", "windows-mail-app", []string{"Thunderbird"}, nil},

		// 2. A program's own system limits, with a named version too.
		{"2 too new", "windows 7", "thunderbird 128", "en", "unsupported", "thunderbird-78", []string{"115.15"}, nil},
		{"2 too new", "windows xp sp3", "thunderbird 115", "it", "unsupported", "thunderbird-78", []string{"52.9.1"}, nil},
		{"2 too new", "macos high sierra", "thunderbird 140", "en", "unsupported", "thunderbird-78", []string{"115.15"}, nil},
		{"2 fits", "windows 7", "thunderbird 115", "en", "works", "thunderbird-78", nil, nil},
		{"2 last version", "El Capitan", "thunderbird", "en", "works", "thunderbird-78", []string{"78.14.0"}, nil},
		{"2 needs os", "windows 8.1", "nuovo outlook", "it", "unsupported", "outlook-new", nil, nil},

		// 3. Ways out that exist, and "no longer updated".
		{"3 way out", "os x 10.11", "", "en", "unsupported", "apple-mail-legacy", []string{"Thunderbird", "78.14.0"}, nil},
		{"3 way out", "Mavericks", "apple mail", "it", "unsupported", "apple-mail-legacy", []string{"Thunderbird", "78.14.0"}, nil},
		{"3 discontinued", "windows 10", "windows live mail", "en", "works", "windows-live-mail", []string{"no longer updated"}, nil},
		{"3 discontinued", "windows 10", "outlook 2010", "it", "needs_action", "outlook-2010", []string{"non riceve più aggiornamenti"}, nil},
		{"3 discontinued", "windows 10", "outlook 2013", "en", "works", "outlook-2013", []string{"no longer updated"}, nil},
		{"3 discontinued", "macos 12", "postbox", "en", "unknown", "postbox", []string{"no longer updated"}, []string{"has not worked since"}},
		{"3 current", "windows 11", "outlook 365", "en", "works", "outlook-2016", nil, []string{"no longer updated"}},

		// 5. Rows customers ask about; unknown where the sources are
		// silent, with the account check as the way to find out.
		{"5 rows", "android 12", "posta xiaomi", "it", "works", "android-email", nil, nil},
		{"5 rows", "android 4.4", "email huawei", "en", "unsupported", "android-email", []string{"K-9 Mail"}, nil},
		{"5 rows", "android 9", "email", "en", "works", "android-email", nil, nil},
		{"5 rows", "", "outlook sul telefono", "it", "works", "outlook-mobile", nil, nil},
		{"5 rows", "iphone ios 17", "spark", "en", "unknown", "spark", []string{"Mail Doctor's account check"}, nil},
		{"5 rows", "android 13", "aqua mail", "en", "unknown", "aqua-mail", []string{"account check"}, nil},
		{"5 rows", "android 13", "fairemail", "en", "unknown", "fairemail", nil, nil},
		{"5 rows", "android 13", "bluemail", "en", "unknown", "bluemail", nil, nil},
		{"5 rows", "ios 16", "yahoo mail", "en", "unknown", "yahoo-mail", nil, nil},
		{"5 rows", "windows 10", "seamonkey", "en", "works", "seamonkey", nil, nil},
		{"5 rows", "windows 7", "opera mail", "en", "unknown", "opera-mail", []string{"Thunderbird"}, nil},
		{"5 rows", "windows xp", "incredimail", "it", "unknown", "incredimail", []string{"52.9.1"}, nil},
		{"5 rows", "windows 10", "pegasus mail", "en", "unknown", "pegasus-mail", nil, nil},
		{"5 rows", "windows 10", "foxmail", "en", "unknown", "foxmail", nil, nil},
		{"5 rows", "blackberry 10", "", "en", "unknown", "", []string{"account check"}, nil},
		{"5 rows", "chromebook", "", "it", "works", "", nil, nil},

		// 6/2. iPhone models are their last iOS, not an iOS version.
		{"6 model", "iphone 6 mail", "", "en", "works", "ios-mail-12.2", nil, nil},
		{"6 model", "iphone 6", "posta", "it", "works", "ios-mail-12.2", nil, nil},
		{"6 model", "iphone 4s", "l'app Mail", "it", "unsupported", "ios-mail-1-9", []string{"webmail"}, nil},
		{"6 model", "iphone 5", "mail", "en", "works", "ios-mail-10-12.1", nil, nil},
		{"6 model", "iphone 6 ios 10", "mail", "en", "works", "ios-mail-10-12.1", nil, nil},
		{"6 model", "iphone ios 6", "mail", "en", "unsupported", "ios-mail-1-9", nil, nil},
		// Mobile apps' own minimum system, with the way out.
		{"2 mobile", "iphone 8", "outlook sul telefono", "it", "unsupported", "outlook-mobile", []string{"iOS / iPadOS 18", "webmail"}, nil},
		{"2 mobile", "ios 18", "outlook sul telefono", "it", "works", "outlook-mobile", nil, nil},
		{"2 mobile", "android 7", "outlook app", "en", "unsupported", "outlook-mobile", []string{"Android 8.0", "K-9 Mail"}, nil},
		{"2 mobile", "android 4.4", "fair email", "en", "unsupported", "fairemail", []string{"Android 5.0"}, nil},
		{"2 mobile", "android 6", "fairemail", "it", "unknown", "fairemail", []string{"verifica di Mail Doctor"}, []string{"richiede"}},
		// The last Thunderbird for an old system.
		{"6 last ESR", "windows 8.1", "thunderbird", "it", "works", "thunderbird-78", []string{"115.15"}, nil},
		{"6 last ESR", "windows 7", "thunderbird 115", "en", "works", "thunderbird-78", nil, []string{"does not run"}},
		{"6 last ESR", "macos mojave", "thunderbird", "en", "works", "thunderbird-78", []string{"115.15"}, nil},
		{"6 Italian", "windows 11", "posta di windows", "it", "unsupported", "windows-mail-app", []string{"Posta e Calendario"}, []string{"Mail and Calendar"}},
	}
	for _, c := range cases {
		name := c.class + ": " + c.os + " + " + c.client + " (" + c.lang + ")"
		t.Run(name, func(t *testing.T) {
			args := []string{"compat", "--json", "--lang", c.lang}
			if c.os != "" {
				args = append(args, "--os", c.os)
			}
			if c.client != "" {
				args = append(args, "--client", c.client)
			}
			code, stdout, stderr := run(t, "", args...)
			if code == ExitUsage {
				t.Fatalf("exit 2: %s", stderr)
			}
			var a compatAnswer
			if err := json.Unmarshal([]byte(stdout), &a); err != nil {
				t.Fatalf("%v: %s", err, stdout)
			}
			wantCode := ExitProblems
			if c.verdict == "works" {
				wantCode = ExitOK
			}
			if a.Verdict != c.verdict || code != wantCode {
				t.Errorf("verdict %s (exit %d), want %s", a.Verdict, code, c.verdict)
			}
			if a.clientRow() != c.row {
				t.Errorf("answered for %q, want %q", a.clientRow(), c.row)
			}
			text := a.Summary
			for _, x := range a.Actions {
				text += "\n" + x.Text
			}
			text += "\n" + strings.Join(a.Reasons, "\n")
			for _, w := range c.want {
				if !strings.Contains(text, w) {
					t.Errorf("no %q in\n%s", w, text)
				}
			}
			for _, w := range c.not {
				if strings.Contains(text, w) {
					t.Errorf("%q in\n%s", w, text)
				}
			}
		})
	}
}

// TestCompatBuiltinNeedsSystem: "mail" alone is bad input that says what
// is missing, on one line; so is a system without a built-in mail app.
func TestCompatBuiltinNeedsSystem(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--client", "mail"}, "--os"},
		{[]string{"--client", "posta", "--lang", "it"}, "--os"},
		{[]string{"--os", "windows 7", "--client", "email"}, "Windows 7"},
	} {
		code, stdout, stderr := run(t, "", append([]string{"compat"}, c.args...)...)
		if code != ExitUsage || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q (want %q)", c.args, code, stdout, stderr, c.want)
		}
	}
}

// TestCompatWindows7Steps (issue 13, class 4): for mail the SChannel keys
// are the step; KB3140245 and DefaultSecureProtocols are only for
// Outlook's Exchange/Autodiscover traffic, and say so, in both languages;
// a program that does not use WinHTTP does not get them at all.
func TestCompatWindows7Steps(t *testing.T) {
	for _, c := range []struct {
		client, lang string
		want         []string // in this order
		not          []string
	}{
		{"outlook 2010", "en", []string{"SCHANNEL", "mail (POP, IMAP, SMTP) needs", "Only for Outlook's Exchange", "not for POP, IMAP or SMTP", "KB3140245", "does not make mail use TLS 1.2", "Only for Outlook's Exchange", "DefaultSecureProtocols"}, nil},
		{"outlook 2k10", "it", []string{"SCHANNEL", "serve alla posta", "Solo per gli account Exchange", "non per POP, IMAP o SMTP", "KB3140245", "Solo per gli account Exchange", "DefaultSecureProtocols"}, nil},
		{"windows live mail", "en", []string{"SCHANNEL"}, []string{"KB3140245", "DefaultSecureProtocols"}},
	} {
		_, stdout, stderr := run(t, "", "compat", "--os", "windows 7 sp1", "--client", c.client, "--lang", c.lang)
		// The steps only: the sources may name the update.
		for _, h := range []string{"\nSources\n", "\nFonti\n"} {
			if i := strings.Index(stdout, h); i >= 0 {
				stdout = stdout[:i]
			}
		}
		at := 0
		for _, w := range c.want {
			i := strings.Index(stdout[at:], w)
			if i < 0 {
				t.Errorf("%s (%s): no %q after byte %d in\n%s%s", c.client, c.lang, w, at, stdout, stderr)
				break
			}
			at += i + len(w)
		}
		for _, w := range c.not {
			if strings.Contains(stdout, w) {
				t.Errorf("%s: %q in\n%s", c.client, w, stdout)
			}
		}
	}
	_, stdout, _ := run(t, "", "compat", "--os", "windows 7", "--client", "outlook 2013", "--json")
	var a struct {
		Actions []struct{ KB, Scope string }
	}
	if err := json.Unmarshal([]byte(stdout), &a); err != nil {
		t.Fatal(err)
	}
	for _, x := range a.Actions {
		if x.KB == "KB3140245" && x.Scope != "winhttp" {
			t.Errorf("KB3140245 scope %q, want winhttp", x.Scope)
		}
	}
}
