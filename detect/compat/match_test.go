package compat

import (
	"regexp"
	"strings"
	"testing"
)

func TestMatchOS(t *testing.T) {
	kb := kbT(t)
	cases := []struct{ text, wantID, wantVersion string }{
		// the examples
		{"win7", "windows-7", ""},
		{"Windows 7 SP1", "windows-7", ""},
		{"windows sette", "windows-7", ""},
		{"iPhone iOS 9.3", "ios-5-9", "9.3"},
		{"android 4.4.2", "android-4.1-4.4", "4.4.2"},
		{"Android 8.1", "android-5-9", "8.1"},
		// misspellings
		{"widnows 7", "windows-7", ""},
		{"Windos XP", "windows-xp", ""},
		{"andorid 9", "android-5-9", "9"},
		{"iphnoe 12.1", "ios-10-12.1", "12.1"},
		{"mac os x el capitn", "macos-10.8.5-10.11", "10.11"},
		// Italian and English names, codenames, run-together words
		{"Windows otto", "windows-8", ""},
		{"windows dieci", "windows-10", ""},
		{"finestre? no: windows undici", "windows-11", ""},
		{"Windows Seven Home Premium 64 bit", "windows-7", ""},
		{"winxp", "windows-xp", ""},
		{"WindowsXP SP3", "windows-xp", ""},
		{"telefono Android KitKat", "android-4.1-4.4", "4.4"},
		{"android api 19", "android-4.1-4.4", "4.4"},
		{"Android Lollipop", "android-5-9", "5.0"},
		{"Android P", "android-5-9", "9"},
		{"Android Pie", "android-5-9", "9"},
		{"vista", "windows-vista", ""},
		{"El Capitan", "macos-10.8.5-10.11", "10.11"},
		{"macOS High Sierra", "macos-10.12-10.14.3", "10.13"},
		{"Mac OS X Snow Leopard", "macos-10.0-10.8.4", "10.6"},
		{"macOS Sonoma", "macos-12", "14"},
		{"macosx 10.6.8", "macos-10.0-10.8.4", "10.6.8"},
		{"iPad iPadOS 17.5", "ios-15", "17.5"},
		{"Windows Phone 8.1", "windows-phone-8.1", "8.1"},
		{"windows phone 8.10.14219", "windows-phone-8.1", "8.10.14219"},
		{"WP7.5", "windows-phone-7", "7.5"},
		{"Windows 10 Mobile", "windows-10-mobile", "10"},
		{"Windows Server 2008 R2", "windows-7", ""},
		{"windows server 2008 sp2", "windows-server-2008-sp2", ""},
		{"Windows Server 2012 R2", "windows-8.1", ""},
		{"Windows 2003", "windows-server-2003", ""},
		{"Workspace ONE", "airwatch", ""},
		{"Ubuntu 24.04", "linux", "24.04"},
		{"Windows 10 versione 1909", "windows-10", "18363"},
		// boundaries
		{"android 4.0.4", "android-1-4.0", "4.0.4"},
		{"android 4.1", "android-4.1-4.4", "4.1"},
		{"android 4.4.4", "android-4.1-4.4", "4.4.4"},
		{"android 5.0", "android-5-9", "5.0"},
		{"android 9", "android-5-9", "9"},
		{"android 10", "android-10-14", "10"},
		{"android 16", "android-15", "16"},
		{"iOS 4", "ios-1-4", "4"},
		{"iOS 4.3.5", "ios-1-4", "4.3.5"},
		{"iOS 5", "ios-5-9", "5"},
		{"iOS 5.0.1", "ios-5-9", "5.0.1"},
		{"iOS 12.1", "ios-10-12.1", "12.1"},
		{"iOS 12.2", "ios-12.2-14", "12.2"},
		{"macOS 10.14.3", "macos-10.12-10.14.3", "10.14.3"},
		{"macOS 10.14.4", "macos-10.14.4-11", "10.14.4"},
		{"windows build 19045", "windows-10", "19045"},
		{"windows build 22000", "windows-11", "22000"},
		{"Windows 10 build 22000", "windows-11", "22000"}, // ProductName says 10 on Windows 11
		{"Windows 10.0.19045", "windows-10", "19045"},
		{"windows 10.0.22631", "windows-11", "22631"},
		{"windows build 7601", "windows-7", "7601"},
		{"windows build 14393", "windows-10", "14393"}, // not Server 2016: same build, by name only
		{"windows build 20348", "windows-server-2022", "20348"},
	}
	for _, c := range cases {
		o, sugg, err := kb.MatchOS(c.text)
		if err != nil {
			t.Errorf("MatchOS(%q): %v (closest %v)", c.text, err, sugg)
			continue
		}
		if o.ID != c.wantID || o.Version != c.wantVersion {
			t.Errorf("MatchOS(%q) = %s %q, want %s %q", c.text, o.ID, o.Version, c.wantID, c.wantVersion)
		}
	}
}

func TestMatchClient(t *testing.T) {
	kb := kbT(t)
	cases := []struct{ text, wantID, wantRow string }{
		{"outlook 2k10", ClientOutlook, "outlook-2010"},
		{"Outlook 2010", ClientOutlook, "outlook-2010"},
		{"Microsoft Outlook 2013", ClientOutlook, "outlook-2013"},
		{"outlok 2016", ClientOutlook, "outlook-2016"},
		{"Office 365", ClientOutlook, "outlook-2016"},
		{"microsoft 365", ClientOutlook, "outlook-2016"},
		{"outlook 14.0.7268.5000", ClientOutlook, "outlook-2010"},
		{"Outlook XP", ClientOutlook, "outlook-2003"},
		{"Outlook Express 6", ClientOutlookExpress, "outlook-express"},
		{"outlookexpress", ClientOutlookExpress, "outlook-express"},
		{"nuovo Outlook", ClientOutlookNew, "outlook-new"},
		{"the new Outlook", ClientOutlookNew, "outlook-new"},
		{"Outlook", ClientOutlook, ""},
		{"Windows Live Mail 2012", ClientWindowsLiveMail, "windows-live-mail"},
		{"posta di windows live", ClientWindowsLiveMail, "windows-live-mail"},
		{"Posta e Calendario", ClientWindowsMail, ""},
		{"Thunderbird 78", ClientThunderbird, "thunderbird-78"},
		{"tunderbird 52.9.1", ClientThunderbird, "thunderbird-31-59"},
		{"Mozilla Thunderbird", ClientThunderbird, ""},
		{"Thunderbird for Android", ClientK9, "k9"},
		{"k9", ClientK9, "k9"},
		{"K-9 Mail 5.600", ClientK9, "k9"},
		{"Apple Mail", ClientAppleMail, ""},
		{"Mail.app 10.11", ClientAppleMail, "apple-mail-legacy"},
		{"mail di iPhone", ClientIOSMail, ""},
		{"gmail", ClientGmail, "gmail"},
		{"Samsung Email", ClientSamsungEmail, "samsung-email"},
		{"eM Client 9", ClientEMClient, "em-client"},
		{"emclient", ClientEMClient, "em-client"},
		{"Evolution", ClientEvolution, "evolution"},
		{"kmail", ClientKMail, "kmail"},
		{"Claws Mail", ClientClawsMail, "claws-mail"},
		{"geary", ClientGeary, "geary"},
		{"The Bat!", ClientTheBat, "the-bat"},
		{"Outlook for iPhone", ClientOutlookMobile, "outlook-mobile"},
	}
	for _, c := range cases {
		cl, sugg, err := kb.MatchClient(c.text)
		if err != nil {
			t.Errorf("MatchClient(%q): %v (closest %v)", c.text, err, sugg)
			continue
		}
		if cl.ID != c.wantID || cl.Row != c.wantRow {
			t.Errorf("MatchClient(%q) = %s/%s, want %s/%s", c.text, cl.ID, cl.Row, c.wantID, c.wantRow)
		}
	}
}

// Unknown names fail with the closest known names.
func TestMatchUnknown(t *testing.T) {
	kb := kbT(t)
	cases := []struct {
		kind, text, wantErr, wantSuggestion string
	}{
		{KindOS, "", "no system", ""},
		{KindOS, "   ", "no system", ""},
		{KindOS, "symbian s60", "unknown system", ""},
		{KindOS, "outlook 2010", "unknown system", ""},
		{KindOS, "windows", "which version of Windows", "Windows"},
		{KindOS, "windows 99", "which version of Windows", "Windows"},
		{KindOS, "android 0.9", "not in the knowledge base", "Android"},
		{KindOS, "iOS 0.5", "not in the knowledge base", "iOS"},
		{KindOS, "macos", "which version of macOS", "mac"},
		{KindOS, "windoes vistta", "", "Windows Vista"},
		{KindClient, "pine", "unknown mail program", ""},
		{KindClient, "outlook 8", "not in the knowledge base", "Outlook"},
		{KindClient, "thunderbird 0.9", "not in the knowledge base", "Thunderbird"},
	}
	for _, c := range cases {
		var err error
		var sugg []string
		if c.kind == KindOS {
			_, sugg, err = kb.MatchOS(c.text)
		} else {
			_, sugg, err = kb.MatchClient(c.text)
		}
		if c.wantErr == "" {
			// a misspelling bad enough to fail must at least suggest the
			// right name; one that succeeds is fine too
			if err == nil {
				continue
			}
		} else if err == nil || !strings.Contains(err.Error(), c.wantErr) {
			t.Errorf("%s %q: err = %v, want %q", c.kind, c.text, err, c.wantErr)
		}
		if len(sugg) == 0 || len(sugg) > 3 {
			t.Errorf("%s %q: suggestions %v, want 1–3", c.kind, c.text, sugg)
			continue
		}
		if c.wantSuggestion != "" && !strings.Contains(strings.Join(sugg, "|"), c.wantSuggestion) {
			t.Errorf("%s %q: suggestions %v, want one with %q", c.kind, c.text, sugg, c.wantSuggestion)
		}
	}
}

func TestSuggestionsAreClose(t *testing.T) {
	kb := kbT(t)
	_, sugg, err := kb.MatchClient("thunderbrid mobil app thing 2")
	if err == nil {
		return
	}
	if len(sugg) == 0 {
		t.Fatalf("no suggestions for %v", err)
	}
	_, sugg, _ = kb.MatchOS("Symbian Belle")
	for _, s := range sugg {
		if s == "" {
			t.Errorf("empty suggestion in %v", sugg)
		}
	}
}

func TestTokenize(t *testing.T) {
	cases := []struct{ in, want string }{
		{"win7", "win 7"},
		{"Windows 7 SP1 64-bit", "windows 7 sp1"},
		{"windows sette", "windows 7"},
		{"outlook 2k10", "outlook 2010"},
		{"iOS9.3", "ios 9.3"},
		{"server2008r2", "server 2008 r2"},
		{"Windows 10 22H2 (build 19045)", "windows 10 22h2 19045"},
		{"Mail.app", "mail app"},
		{"Windows® 7 Édition Familiale", "windows 7 familiale"},
		{"k-9", "k 9"},
		{"8.1.", "8.1"},
	}
	for _, c := range cases {
		if got := strings.Join(tokenize(c.in), " "); got != c.want {
			t.Errorf("tokenize(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "", 3}, {"android", "andorid", 1}, {"windows", "widnows", 1},
		{"kitten", "sitting", 3}, {"outlook", "outlok", 1}, {"è", "e", 1},
	}
	for _, c := range cases {
		if got := editDistance(c.a, c.b); got != c.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

// tokenPattern is the reference for pieces: the scanner must cut exactly
// as this regular expression does.
var tokenPattern = regexp.MustCompile(`2k\d\d|sp\d+|\d\dh\d|r2|\d+(?:\.\d+)*|[a-z]+`)

func FuzzPiecesMatchRegexp(f *testing.F) {
	for _, s := range []string{"win7", "ios9.3", "windows7sp1", "2k10", "22h2", "server2008r2", "8.1.", "8..1", "sp", "r", "2k1", "10.0.19045.3803", "..", "spsp2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		field := strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' {
				return r
			}
			return -1
		}, strings.ToLower(s))
		want := strings.Join(tokenPattern.FindAllString(field, -1), " ")
		if got := strings.Join(pieces(field), " "); got != want {
			t.Fatalf("pieces(%q) = %q, want %q", field, got, want)
		}
	})
}
