package thunderbird

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/detect/system"
)

type want struct {
	email, in, out string // "proto host:port security [default]"
	inKey, outKey  string
}

func describe(s *clients.Server) string {
	if s == nil {
		return "-"
	}
	d := string(s.Protocol) + " " + s.Addr() + " " + string(s.Security)
	if s.PortDefault {
		d += " default"
	}
	return d
}

func check(t *testing.T, got []clients.Account, wants []want) {
	t.Helper()
	if len(got) != len(wants) {
		for _, a := range got {
			t.Logf("got %s %s / %s", a.Email, describe(a.Incoming), describe(a.Outgoing))
		}
		t.Fatalf("%d accounts, want %d", len(got), len(wants))
	}
	for i, w := range wants {
		a := got[i]
		if a.Email != w.email || describe(a.Incoming) != w.in || describe(a.Outgoing) != w.out {
			t.Errorf("account %d = %s | %s | %s\n want %s | %s | %s", i, a.Email, describe(a.Incoming), describe(a.Outgoing), w.email, w.in, w.out)
		}
		if w.inKey != "" && a.Incoming.Key != w.inKey {
			t.Errorf("account %d incoming key %q, want %q", i, a.Incoming.Key, w.inKey)
		}
		if w.outKey != "" && (a.Outgoing == nil || a.Outgoing.Key != w.outKey) {
			t.Errorf("account %d outgoing key %+v, want %q", i, a.Outgoing, w.outKey)
		}
	}
}

// The profile written by a real Thunderbird 153 (testdata/README.md).
func TestRealThunderbirdProfile(t *testing.T) {
	p := &system.Platform{GOOS: "linux", FS: system.DirFS("testdata/linux-real"), Home: "/tmp/tbhome"}
	cs := Detect(p)
	if len(cs) != 1 {
		t.Fatalf("%d clients, want 1: %+v", len(cs), cs)
	}
	c := cs[0]
	if c.Version != "153.7.0" || c.Path != "/usr/lib/thunderbird" || c.Packaging != "system" {
		t.Errorf("client = %q %q %q", c.Version, c.Path, c.Packaging)
	}
	if len(c.Findings) != 0 {
		t.Errorf("findings on a healthy profile: %+v", c.Findings)
	}
	check(t, c.Accounts, []want{
		{"mario.rossi@maildoctor.example", "imap imap.maildoctor.example:143 starttls default", "smtp smtp.maildoctor.example:587 starttls default", "mail.server.server1", "mail.smtpserver.smtp1"},
		{"anna.bianchi@maildoctor.example", "pop3 pop.maildoctor.example:995 tls", "smtp smtp.maildoctor.example:465 tls", "mail.server.server2", "mail.smtpserver.smtp2"},
		{"info@altrodominio.example", "imap mail.altrodominio.example:143 none", "smtp smtp.maildoctor.example:587 starttls default", "mail.server.server3", "mail.smtpserver.smtp1"},
	})
	a := c.Accounts[1]
	if a.Name != `Anna "casa" Bianchi` || a.Key != "account2" || a.Profile != "/tmp/tbhome/prof" || a.Incoming.User != "anna.bianchi@maildoctor.example" {
		t.Errorf("account 2 details: %+v", a)
	}
	profs, err := Profiles(p.FS, "/tmp/tbhome/.thunderbird")
	if err != nil || len(profs) != 2 || profs[0].Dir != "/tmp/tbhome/.thunderbird/w3ghdrix.second" || profs[1].Dir != "/tmp/tbhome/prof" || !profs[1].Default {
		t.Errorf("profiles = %+v, %v", profs, err)
	}
}

func TestWindowsProfiles(t *testing.T) {
	reg := system.NewMemRegistry()
	reg.Set(system.LocalMachine, `SOFTWARE\Mozilla\Mozilla Thunderbird`, "CurrentVersion", system.SZ("115.3.1 (x64 en-US)"))
	reg.Set(system.LocalMachine, `SOFTWARE\Mozilla\Mozilla Thunderbird\115.3.1 (x64 en-US)\Main`, "PathToExe", system.SZ(`C:\Program Files\Mozilla Thunderbird\thunderbird.exe`))
	p := &system.Platform{GOOS: "windows", FS: system.DirFS("testdata/windows"), Home: "C:/Users/anna", Registry: reg,
		Getenv: func(k string) string {
			if k == "APPDATA" {
				return `C:\Users\anna\AppData\Roaming`
			}
			return ""
		}}
	cs := Detect(p)
	if len(cs) != 1 {
		t.Fatalf("%d clients", len(cs))
	}
	c := cs[0]
	if c.Version != "115.3.1" || c.Path != "C:/Program Files/Mozilla Thunderbird/thunderbird.exe" {
		t.Errorf("version %q path %q", c.Version, c.Path)
	}
	check(t, c.Accounts, []want{
		// Profiles in profiles.ini order: Profile1 (old) comes first in the file.
		{"vecchio@maildoctor.example", "imap mail.maildoctor.example:993 tls default", "smtp smtp.maildoctor.example:25 none", "", ""},
		{"giulia@maildoctor.example", "imap imap.maildoctor.example:993 tls default", "smtp smtp.maildoctor.example:465 tls default", "", "mail.smtpserver.smtp2"},
		{"paolo@maildoctor.example", "pop3 pop.maildoctor.example:110 starttls default", "smtp smtp.maildoctor.example:587 auto default", "", "mail.smtpserver.smtp1"},
	})
	if u := c.Accounts[2].Incoming.User; u != "paolo@maildoctor.example" {
		t.Errorf("realuserName not used: %q", u)
	}
	profs, _ := Profiles(p.FS, "C:/Users/anna/AppData/Roaming/Thunderbird")
	if len(profs) != 2 || profs[1].Default != true || profs[0].Default {
		t.Errorf("install default not marked: %+v", profs)
	}

	// No registry entry: the version comes from compatibility.ini.
	p.Registry = system.NewMemRegistry()
	if cs := Detect(p); len(cs) != 1 || cs[0].Version != "115.3.1" || cs[0].Path != "" {
		t.Errorf("without registry: %+v", cs)
	}
}

func TestOtherPackagings(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		t.Helper()
		full := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	prefs := "user_pref(\"mail.accountmanager.accounts\", \"account1\");\nuser_pref(\"mail.account.account1.server\", \"server1\");\n" +
		"user_pref(\"mail.server.server1.hostname\", \"imap.example.org\");\nuser_pref(\"mail.server.server1.type\", \"imap\");\n"
	ini := "[Profile0]\nName=default\nIsRelative=1\nPath=abc.default\nDefault=1\n"
	write("snap/thunderbird/current/meta/snap.yaml", "name: thunderbird\nversion: 128.5.0esr-1\nsummary: x\n")
	write("home/u/snap/thunderbird/common/.thunderbird/profiles.ini", ini)
	write("home/u/snap/thunderbird/common/.thunderbird/abc.default/prefs.js", prefs)
	write("var/lib/flatpak/app/org.mozilla.Thunderbird/current/active/files/lib/thunderbird/application.ini", "[App]\nVersion=140.2.0\n")
	write("home/u/.var/app/org.mozilla.Thunderbird/.thunderbird/profiles.ini", ini)
	write("home/u/.var/app/org.mozilla.Thunderbird/.thunderbird/abc.default/prefs.js", prefs)
	write("Users/u/Library/Thunderbird/profiles.ini", ini)
	write("Users/u/Library/Thunderbird/abc.default/prefs.js", prefs)
	write("Applications/Thunderbird.app/Contents/Info.plist", `<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><dict><key>CFBundleIdentifier</key><string>org.mozilla.thunderbird</string>
<key>CFBundleShortVersionString</key><string>128.3.1</string></dict></plist>`)

	cs := Detect(&system.Platform{GOOS: "linux", FS: system.DirFS(dir), Home: "/home/u"})
	var got []string
	for _, c := range cs {
		got = append(got, c.Packaging+" "+c.Version+" "+describe(c.Accounts[0].Incoming))
	}
	want := "snap 128.5.0esr-1 imap imap.example.org:143 none default|flatpak 140.2.0 imap imap.example.org:143 none default"
	if strings.Join(got, "|") != want {
		t.Errorf("linux packagings:\n got %s\nwant %s", strings.Join(got, "|"), want)
	}
	mac := Detect(&system.Platform{GOOS: "darwin", FS: system.DirFS(dir), Home: "/Users/u"})
	if len(mac) != 1 || mac[0].Version != "128.3.1" || mac[0].Path != "/Applications/Thunderbird.app" || len(mac[0].Accounts) != 1 {
		t.Errorf("macOS: %+v", mac)
	}
	if cs := Detect(&system.Platform{GOOS: "linux", FS: system.DirFS(dir), Home: "/nobody"}); len(cs) != 2 {
		t.Errorf("installs without profiles should still be listed: %d", len(cs))
	}
}

// Broken files give a finding, never a crash, and keep what can be read.
func TestBrokenFiles(t *testing.T) {
	real, err := os.ReadFile("testdata/linux-real/tmp/tbhome/prof/prefs.js")
	if err != nil {
		t.Fatal(err)
	}
	cut := bytes.Index(real, []byte(`user_pref("mail.server.server2.port"`)) + 20
	cases := []struct {
		name     string
		prefs    []byte
		accounts int
		broken   bool
	}{
		{"truncated mid-statement", real[:cut], 1, true},
		{"binary garbage", bytes.Repeat([]byte{0, 0xff, 0x13, 'u', 0x80}, 4000), 0, true},
		{"empty", nil, 0, false},
		{"huge", append(bytes.Repeat([]byte("// padding padding padding\n"), system.MaxFileSize/27+10), real...), 0, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			root := filepath.Join(dir, "home/u/.thunderbird")
			if err := os.MkdirAll(filepath.Join(root, "p.default"), 0o755); err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(root, "profiles.ini"), []byte("[Profile0]\nName=x\nIsRelative=1\nPath=p.default\n"), 0o644)
			os.WriteFile(filepath.Join(root, "p.default/prefs.js"), c.prefs, 0o644)
			cs := Detect(&system.Platform{GOOS: "linux", FS: system.DirFS(dir), Home: "/home/u"})
			if len(cs) != 1 {
				t.Fatalf("%d clients", len(cs))
			}
			if got := len(cs[0].Accounts); got != c.accounts {
				t.Errorf("%d accounts, want %d", got, c.accounts)
			}
			broken := len(cs[0].Findings) == 1 && cs[0].Findings[0].ID == finding.ClientStoreBroken
			if broken != c.broken {
				t.Errorf("findings = %+v, want broken=%v", cs[0].Findings, c.broken)
			}
		})
	}
	// A damaged profiles.ini.
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "home/u/.thunderbird"), 0o755)
	os.WriteFile(filepath.Join(dir, "home/u/.thunderbird/profiles.ini"), []byte("\x00\x01garbage"), 0o644)
	cs := Detect(&system.Platform{GOOS: "linux", FS: system.DirFS(dir), Home: "/home/u"})
	if len(cs) != 1 || len(cs[0].Findings) != 1 || cs[0].Findings[0].ID != finding.ClientStoreBroken {
		t.Errorf("damaged profiles.ini: %+v", cs)
	}
}

func TestSecurityMapping(t *testing.T) {
	cases := []struct {
		st      int64
		ok, sec bool
		want    server.Security
	}{
		{0, true, false, server.None}, {1, true, false, server.Auto}, {2, true, false, server.StartTLS},
		{3, true, false, server.TLS}, {0, false, false, server.None}, {0, false, true, server.TLS}, {9, true, false, server.None},
	}
	for _, c := range cases {
		if got := security(c.st, c.ok, c.sec); got != c.want {
			t.Errorf("security(%d,%v,%v) = %s, want %s", c.st, c.ok, c.sec, got, c.want)
		}
	}
}
