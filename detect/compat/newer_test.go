package compat

import (
	"strings"
	"testing"
)

// Rows beyond the seed table, each with its source in the case name.
func TestNewerRows(t *testing.T) {
	kb := kbT(t)
	cases := []struct {
		source, os, client, floor string
		want                      Outcome
		tls13                     State  // "" = not checked
		actions                   string // action kinds in order, "" = not checked
	}{
		{"MS Schannel table: Windows 11 TLS 1.3", "Windows build 22000", "", "1.3", Works, Default, ""},
		{"MS Schannel table: Windows 10 no TLS 1.3", "Windows 10", "", "1.3", Unsupported, No, "other_client,newer_os,webmail"},
		{"MS Schannel table: Server 2022 TLS 1.3", "Windows Server 2022", "", "1.3", Works, Default, ""},
		{"MS Schannel table: Server 2025", "Windows Server 2025", "", "1.3", Works, Default, ""},
		{"KB4019276: Server 2008 SP2", "Windows Server 2008 SP2", "", "1.2", NeedsAction, No, "update:KB4019276,registry"},
		{"KB4019276: POSReady 2009", "POSReady 2009", "", "1.2", NeedsAction, No, "update:KB4019276,registry"},
		{"KB3140245 + Schrimsher: Outlook 2016 on Windows 7", "Windows 7 SP1", "Outlook 2016", "1.2", NeedsAction, No, "registry,update:KB3140245,registry"},
		{"Schrimsher + martinsblog: Outlook 2010 on Windows 7", "win7", "outlook 2k10", "1.2", NeedsAction, No, "registry,update:KB3140245,registry,client_update"},
		{"SChannel only (no WinHTTP): Windows Live Mail on Windows 7", "Windows 7", "Windows Live Mail", "1.2", NeedsAction, No, "registry"},
		{"martinsblog: Outlook 2010 on Windows 10 needs the Office updates", "Windows 10", "Outlook 2010", "1.2", NeedsAction, No, "client_update"},
		{"freemail.cz vs Microsoft: Outlook 2007", "Windows 10", "Outlook 2007", "1.2", Undetermined, No, "test,client_update,other_client,webmail"},
		{"classic Outlook TLS 1.3 unverified for POP/IMAP", "Windows 11", "Outlook 365", "1.3", Undetermined, Unknown, ""},
		{"joewein.net: Outlook Express speaks only TLS 1.0", "Windows XP SP3", "Outlook Express 6", "1.2", Unsupported, No, "other_client,newer_os,webmail"},
		{"TB 60 notes: Thunderbird 52.9.1 is the way out on XP", "Windows XP", "Thunderbird", "1.2", Works, No, ""},
		{"TB 2024: Thunderbird 115.15 on Windows 7", "Windows 7", "Thunderbird", "1.3", Works, Default, ""},
		{"TB 78.0 notes: TLS 1.0/1.1 off", "Windows 10", "Thunderbird 78", "1.2", Works, Default, ""},
		{"MozillaZine: Thunderbird 24 TLS 1.2 behind a pref", "Windows 10", "Thunderbird 24", "1.2", NeedsAction, No, "setting"},
		{"MozillaZine: Thunderbird 17 has no TLS 1.2", "Windows 10", "Thunderbird 17", "1.2", Unsupported, No, "client_update,webmail"},
		{"caniuse: Thunderbird 60 only a TLS 1.3 draft", "Ubuntu", "Thunderbird 60.9", "1.3", Unsupported, No, "client_update,webmail"},
		{"Mozilla Security blog: Thunderbird 68 final TLS 1.3", "Ubuntu", "Thunderbird 68", "1.3", Works, Default, ""},
		{"openradar 22758677: Apple Mail on El Capitan; Thunderbird 78.14.0 is the way out", "El Capitan", "Apple Mail", "1.2", Unsupported, No, "other_client,newer_os,webmail"},
		{"herrbischoff: Apple Mail on Sierra", "macOS Sierra", "Apple Mail", "1.2", Works, No, ""},
		{"no first-party source: Apple Mail TLS 1.3", "macOS 14", "Apple Mail", "1.3", Undetermined, Unknown, ""},
		{"openradar 22758677: iOS Mail on iOS 9.3", "iPhone iOS 9.3", "Mail iPhone", "1.2", Unsupported, No, "newer_os,webmail"},
		{"herrbischoff: iOS Mail on iOS 10", "iOS 10.3", "iPhone Mail", "1.2", Works, No, ""},
		{"nextcloud/mail#5643: iOS Mail TLS 1.3", "iOS 17", "iOS Mail", "1.3", Works, Default, ""},
		{"Android 10 behavior changes: TLS 1.3", "Android 10", "", "1.3", Works, Default, ""},
		{"thunderbird-android#6751: no TLS 1.3 on Android 9", "Android 9", "K-9 Mail", "1.3", Unsupported, No, "newer_os,webmail"},
		{"thunderbird-android#503: K-9 turns TLS 1.2 on in Android 4.4", "Android 4.4.2", "k9", "1.2", Works, No, ""},
		{"SSLSocket table: K-9 cannot on Android 4.0", "Android 4.0.4", "K-9 Mail", "1.2", Unsupported, No, "newer_os,webmail"},
		{"Android 15 behavior changes", "Android 15", "", "1.3", Works, Default, ""},
		{"Neowin/mjtsai: new Outlook syncs through Microsoft's cloud", "Windows 10 22H2", "new Outlook", "1.2", Works, Unknown, ""},
		{"new Outlook needs Windows 10 1809", "Windows 7", "nuovo Outlook", "1.2", Unsupported, Unknown, "other_client,newer_os,webmail"},
		{"Microsoft Learn: Outlook for iOS is cloud-powered", "iOS 18", "Outlook", "1.2", Works, Unknown, ""},
		{"MC411432: Outlook for iOS needs one of the two newest iOS versions", "iOS 9", "Outlook", "1.2", Unsupported, Unknown, "newer_os,webmail"},
		{"MC333201: Outlook for Android needs Android 8.0", "Android 7.1", "Outlook", "1.2", Unsupported, Unknown, "other_client,newer_os,webmail"},
		{"FairEmail README: Android 5 or later", "Android 4.4", "FairEmail", "1.2", Unsupported, Unknown, ""},
		{"Microsoft: Mail and Calendar retired 2024-12-31", "Windows 10", "Mail and Calendar", "1.2", Unsupported, No, "other_client,webmail"},
		{"OpenSSL/GnuTLS: Evolution on Linux", "Debian", "Evolution", "1.3", Works, Default, ""},
		{"KB4057306: OS X 10.8.4", "Mac OS X 10.8.4", "", "1.2", Unsupported, No, "newer_os,webmail"},
		{"Postbox discontinued: not retired, TLS unknown", "Windows 10", "Postbox", "1.2", Undetermined, Unknown, "test,other_client,webmail"},
	}
	for _, c := range cases {
		t.Run(c.source, func(t *testing.T) {
			v := ask(t, kb, c.os, c.client, c.floor, false)
			if v.Verdict != c.want {
				t.Errorf("verdict = %s, want %s (reasons %v)", v.Verdict, c.want, v.Reasons)
			}
			if c.tls13 != "" && v.TLS["1.3"].State != c.tls13 {
				t.Errorf("TLS 1.3 = %s, want %s", v.TLS["1.3"].State, c.tls13)
			}
			if c.actions != "" && actionKinds(v) != c.actions {
				t.Errorf("actions = %s, want %s", actionKinds(v), c.actions)
			}
		})
	}
}

// The way out names what really works there: Thunderbird's last version for
// the system, the oldest newer system, the newer Outlook the provider found
// working.
func TestWaysOut(t *testing.T) {
	kb := kbT(t)
	cases := []struct {
		os, client, floor, key, arg, want string
	}{
		{"Windows XP", "Outlook Express", "1.2", "compat.action.other_client", "version", "52.9.1"},
		{"Windows Vista", "", "1.2", "compat.action.other_client", "version", "52.9.1"},
		{"Windows 7", "", "1.3", "compat.action.other_client", "version", "115.15"},
		{"Windows 10", "", "1.3", "compat.action.other_client", "version", ""},
		{"Windows XP", "", "1.2", "compat.action.newer_os", "os", "Windows 10"},
		{"Windows 10", "", "1.3", "compat.action.newer_os", "os", "Windows 11"},
		{"El Capitan", "Apple Mail", "1.2", "compat.action.newer_os", "os", "macOS 10.12 Sierra – 10.14.3 Mojave"},
		{"iOS 4", "", "1.2", "compat.action.newer_os", "os", "iOS 10 – 12.1"}, // Mail on iOS 5–9 speaks only TLS 1.0
		{"iOS 8", "iOS Mail", "1.2", "compat.action.newer_os", "os", "iOS 10 – 12.1"},
		{"Android 4.4", "", "1.2", "compat.action.other_client", "client", "K-9 Mail / Thunderbird for Android"},
		{"Windows 10", "Outlook 2007", "1.2", "compat.action.client_upgrade", "row", "Outlook 2013"},
		{"Windows 10", "Thunderbird 17", "1.2", "compat.action.client_update", "version", ""},
	}
	for _, c := range cases {
		t.Run(c.os+"/"+c.client+"/"+c.key, func(t *testing.T) {
			v := ask(t, kb, c.os, c.client, c.floor, false)
			for _, a := range v.Actions {
				if a.Key == c.key {
					if a.Args[c.arg] != c.want {
						t.Errorf("%s %s = %q, want %q", c.key, c.arg, a.Args[c.arg], c.want)
					}
					return
				}
			}
			t.Errorf("no %s in %s", c.key, actionKinds(v))
		})
	}
}

// The program's stack and the system's combine as they really do.
func TestStacksCombine(t *testing.T) {
	kb := kbT(t)
	// Thunderbird brings NSS: Windows 7's switched-off TLS 1.2 does not
	// matter, Outlook on the same system needs the registry.
	tb := ask(t, kb, "Windows 7", "Thunderbird 115", "1.2", false)
	ol := ask(t, kb, "Windows 7", "Outlook 2016", "1.2", false)
	if tb.Verdict != Works || tb.TLS["1.2"].Via != "program" {
		t.Errorf("Thunderbird on Windows 7: %s via %s", tb.Verdict, tb.TLS["1.2"].Via)
	}
	if ol.Verdict != NeedsAction || ol.TLS["1.2"].Via != "system" {
		t.Errorf("Outlook on Windows 7: %s via %s", ol.Verdict, ol.TLS["1.2"].Via)
	}
	// Apple Mail up to 10.11 speaks TLS 1.0 whatever the system offers.
	// A question about the Mac alone is answered for Apple Mail; the
	// system itself (detection's view) works and warns about Mail.
	sys := askSystem(t, kb, "OS X 10.11", "", "1.2")
	alone := ask(t, kb, "OS X 10.11", "", "1.2", false)
	mail := ask(t, kb, "OS X 10.11", "Apple Mail", "1.2", false)
	if sys.Verdict != Works || mail.Verdict != Unsupported || alone.Verdict != Unsupported {
		t.Errorf("El Capitan: system %s, alone %s, Apple Mail %s", sys.Verdict, alone.Verdict, mail.Verdict)
	}
	if !hasReason(sys, "compat.reason.builtin") {
		t.Errorf("El Capitan's system should warn that Apple Mail does worse: %v", sys.Reasons)
	}
	if !hasReason(alone, "compat.reason.builtin_answer") || alone.Client == nil || alone.Client.ID != ClientAppleMail {
		t.Errorf("El Capitan alone should answer for Apple Mail: %+v %v", alone.Client, alone.Reasons)
	}
	// New Outlook: the local system does not decide.
	for _, os := range []string{"Windows 10 1809", "Windows 11"} {
		if v := ask(t, kb, os, "new outlook", "1.2", false); v.TLS["1.2"].State != Cloud || v.Verdict != Works {
			t.Errorf("new Outlook on %s: %s %s", os, v.TLS["1.2"].State, v.Verdict)
		}
	}
	// A program on the system's stack without a system: it depends.
	if v := ask(t, kb, "", "Outlook 2016", "1.2", false); v.Verdict != Undetermined || !hasReason(v, "compat.reason.depends_on_os") {
		t.Errorf("Outlook 2016 alone: %s %v", v.Verdict, v.Reasons)
	}
	// ... unless the program alone already cannot.
	if v := ask(t, kb, "", "Outlook Express", "1.2", false); v.Verdict != Unsupported {
		t.Errorf("Outlook Express alone: %s", v.Verdict)
	}
}

func TestSTARTTLSClosedAddsTheSetting(t *testing.T) {
	kb := kbT(t)
	open := ask(t, kb, "Windows 10", "Thunderbird", "1.2", false)
	closed := ask(t, kb, "Windows 10", "Thunderbird", "1.2", true)
	if hasAction(open, "compat.action.use_implicit") || !hasAction(closed, "compat.action.use_implicit") {
		t.Errorf("use_implicit: open %s, closed %s", actionKinds(open), actionKinds(closed))
	}
	if closed.Verdict != Works {
		t.Errorf("closing STARTTLS does not change what the program can do: %s", closed.Verdict)
	}
	if v := ask(t, kb, "Windows XP", "Outlook Express", "1.2", true); hasAction(v, "compat.action.use_implicit") {
		t.Errorf("an unsupported verdict needs a way out, not a port change: %s", actionKinds(v))
	}
}

func TestRedirects(t *testing.T) {
	kb := kbT(t)
	cases := []struct{ os, client, wantID string }{
		{"Android 12", "Thunderbird", ClientK9},
		{"iOS 16", "Outlook", ClientOutlookMobile},
		{"macOS 13", "Outlook", ClientOutlookMac},
		{"iOS 16", "Apple Mail", ClientIOSMail},
	}
	for _, c := range cases {
		v := ask(t, kb, c.os, c.client, "1.2", false)
		if v.Client == nil || v.Client.ID != c.wantID {
			t.Errorf("%s on %s: client %+v, want %s", c.client, c.os, v.Client, c.wantID)
		}
	}
}

func TestEvaluateBadInput(t *testing.T) {
	kb := kbT(t)
	cases := []struct {
		q    Query
		want string
	}{
		{Query{}, "no system"},
		{Query{OS: "windows"}, "which version"},
		{Query{OS: "windows", OSVersion: "99"}, "not in the knowledge base"},
		{Query{OS: "windows-7", OSVersion: "22000"}, "is not version"},
		{Query{OS: "amiga"}, "unknown system"},
		{Query{Client: "pine"}, "unknown mail program"},
		{Query{OS: "macos-12", Client: ClientOutlookExpress}, "does not run on"},
		{Query{Client: ClientOutlook}, "which version"},
		{Query{Client: ClientAppleMail}, "give the system"},
		{Query{OS: "windows-10", ServerMinTLS: "2.0"}, "server TLS"},
		{Query{OS: "android", OSVersion: "4.x"}, "not a number"},
		{Query{OS: "windows-7", Client: ClientWindowsMail}, "no Windows Mail row"},
	}
	for _, c := range cases {
		_, err := kb.Evaluate(c.q)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Evaluate(%+v) = %v, want an error with %q", c.q, err, c.want)
		}
	}
}

// Detection results are evaluated without free text.
func TestEvaluateDetected(t *testing.T) {
	kb := kbT(t)
	cases := []struct {
		d               DetectedOS
		client, version string
		wantOS, wantCl  string
		want            Outcome
	}{
		{DetectedOS{Family: "windows", Version: "10.0.19045", Build: 19045}, ClientOutlook, "16.0.17928.20114", "windows-10", "outlook-2016", Works},
		{DetectedOS{Family: "windows", Version: "10.0.22000"}, ClientThunderbird, "128.3.1esr", "windows-11", "thunderbird-78", Works},
		{DetectedOS{Family: "windows", Version: "6.1.7601", Build: 7601}, ClientOutlook, "14.0.7268.5000", "windows-7", "outlook-2010", NeedsAction},
		{DetectedOS{Family: "windows", Build: 20348}, "", "", "windows-server-2022", "", Works},
		{DetectedOS{Family: "windows", Build: 2600}, ClientOutlookExpress, "6.0.2900.5512", "windows-xp", "outlook-express", Unsupported},
		{DetectedOS{Family: "darwin", Version: "10.11.6"}, ClientAppleMail, "9.3", "macos-10.8.5-10.11", "apple-mail-legacy", Unsupported},
		{DetectedOS{Family: "darwin", Version: "14.5"}, ClientAppleMail, "16.0", "macos-12", "apple-mail-10.14.4", Works},
		{DetectedOS{Family: "linux", Version: "6.8.0"}, ClientKMail, "5.24", "linux", "kmail", Works},
		{DetectedOS{Family: "windows", Build: 19045}, ClientOutlookNew, "1.2024.1", "windows-10", "outlook-new", Works},
	}
	for _, c := range cases {
		v, err := kb.EvaluateDetected(c.d, c.client, c.version, "1.2", false)
		if err != nil {
			t.Errorf("%+v %s: %v", c.d, c.client, err)
			continue
		}
		gotCl := ""
		if v.Client != nil {
			gotCl = v.Client.Row
		}
		if v.OS.ID != c.wantOS || gotCl != c.wantCl || v.Verdict != c.want {
			t.Errorf("%+v %s %s: %s/%s %s, want %s/%s %s", c.d, c.client, c.version, v.OS.ID, gotCl, v.Verdict, c.wantOS, c.wantCl, c.want)
		}
	}
	for _, d := range []DetectedOS{{Family: "beos"}, {Family: "windows", Version: "10"}} {
		if _, err := kb.QueryFor(d, "", ""); err == nil {
			t.Errorf("QueryFor(%+v) accepted", d)
		}
	}
	if _, err := kb.QueryFor(DetectedOS{Family: "linux"}, "pine", ""); err == nil {
		t.Errorf("QueryFor accepted an unknown client id")
	}
}
