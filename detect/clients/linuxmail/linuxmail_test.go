package linuxmail

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/detect/system"
)

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

func summary(cs []clients.Client) string {
	var lines []string
	for _, c := range cs {
		lines = append(lines, c.ID+" "+c.Version+" "+c.Path)
		for _, a := range c.Accounts {
			lines = append(lines, "  "+a.Email+" "+string(a.Kind)+" | "+describe(a.Incoming)+" | "+describe(a.Outgoing))
		}
		for _, f := range c.Findings {
			lines = append(lines, "  ! "+f.ID)
		}
	}
	return strings.Join(lines, "\n")
}

// muttRun answers `neomutt -Q …` as NeoMutt 20220429 does.
func muttRun(ctx context.Context, name string, args ...string) ([]byte, error) {
	if !strings.HasSuffix(name, "neomutt") {
		return nil, errors.New("not installed")
	}
	return []byte(`folder="imap://sara@imap.maildoctor.example/"
spoolfile="+INBOX"
smtp_url="smtp://sara@smtp.maildoctor.example:587/"
ssl_starttls=yes
ssl_force_tls=no
from="Sara <sara@maildoctor.example>"
imap_user=""
pop_user=""
`), nil
}

func TestLinuxClients(t *testing.T) {
	p := &system.Platform{GOOS: "linux", FS: system.DirFS("testdata/root"), Home: "/home/u", Run: muttRun}
	got := summary(Detect(context.Background(), p))
	want := `evolution 3.46.4 /usr/bin/evolution
  mario.rossi@maildoctor.example  | imap imap.maildoctor.example:143 starttls | smtp smtp.maildoctor.example:465 tls
kmail 22.12.3 /usr/bin/kmail
  paolo@maildoctor.example  | imap imap.maildoctor.example:143 starttls | smtp smtp.maildoctor.example:587 starttls
geary 43.0 /usr/bin/geary
  giulia@maildoctor.example  | imap imap.maildoctor.example:993 tls | smtp smtp.maildoctor.example:587 starttls default
  giulia.neri@gmail.example oauth-cloud | - | -
gnome-online-accounts  
  anna@maildoctor.example  | imap imap.maildoctor.example:143 starttls default | smtp smtp.maildoctor.example:465 tls
  anna.bianchi@gmail.example oauth-cloud | - | -
claws-mail 4.1.1 /usr/bin/claws-mail
  luca@maildoctor.example  | imap imap.maildoctor.example:993 tls default | smtp smtp.maildoctor.example:587 starttls
  luca@altrodominio.example  | pop3 pop.altrodominio.example:110 none default | smtp smtp.altrodominio.example:25 none default
neomutt 20220429 /usr/bin/neomutt
  sara@maildoctor.example  | imap imap.maildoctor.example:143 auto default | smtp smtp.maildoctor.example:587 auto`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	// Without Run (programs are not started), mutt is listed without accounts.
	p.Run = nil
	if got := summary(Detect(context.Background(), p)); !strings.HasSuffix(got, "neomutt 20220429 /usr/bin/neomutt") {
		t.Errorf("without Run: %s", got[strings.LastIndex(got, "\n")+1:])
	}
	// Nothing installed, nothing configured.
	if cs := Detect(context.Background(), &system.Platform{GOOS: "linux", FS: system.DirFS(t.TempDir()), Home: "/home/u"}); len(cs) != 0 {
		t.Errorf("empty: %s", summary(cs))
	}
}

func TestBrokenConfigFiles(t *testing.T) {
	dir := t.TempDir()
	put := func(name string, data []byte) {
		full := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(full), 0o755)
		os.WriteFile(full, data, 0o644)
	}
	garbage := []byte("\x00\x01\x02\xff binary")
	put("home/u/.claws-mail/accountrc", garbage)
	put("home/u/.config/goa-1.0/accounts.conf", garbage)
	put("home/u/.config/evolution/sources/x.source", garbage)
	put("home/u/.config/geary/account_01/geary.ini", garbage)
	// Truncated: the account section stops after the host.
	put("home/u/.config/akonadi_imap_resource_0rc", []byte("[network]\nImapServer=imap.maildoctor.example\nSafe"))
	put("usr/bin/evolution", nil)
	put("usr/bin/geary", nil)
	put("usr/bin/kmail", nil)
	p := &system.Platform{GOOS: "linux", FS: system.DirFS(dir), Home: "/home/u"}
	got := summary(Detect(context.Background(), p))
	want := `evolution  /usr/bin/evolution
  ! client.store_broken
kmail  /usr/bin/kmail
    | imap imap.maildoctor.example:143 none default | -
geary  /usr/bin/geary
  ! client.store_broken
gnome-online-accounts  
  ! client.store_broken
claws-mail  
  ! client.store_broken`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestMuttMapping(t *testing.T) {
	cases := []struct {
		q       string
		in, out string
	}{
		{`folder="imaps://imap.x.example/"` + "\n" + `smtp_url="smtps://u@smtp.x.example"`, "imap imap.x.example:993 tls default", "smtp smtp.x.example:465 tls default"},
		{"folder=\"imap://imap.x.example:143\"\nssl_starttls=yes\nssl_force_tls=yes", "imap imap.x.example:143 starttls", "-"},
		{"folder=\"pop://pop.x.example\"\nssl_starttls=no\nsmtp_url=\"smtp://smtp.x.example\"", "pop3 pop.x.example:110 none default", "smtp smtp.x.example:25 none default"},
		{"folder=\"~/Mail\"\nspoolfile=\"/var/mail/u\"", "-", "-"},
	}
	for _, c := range cases {
		a, _ := MuttAccount(ParseMuttQuery(c.q))
		if describe(a.Incoming) != c.in || describe(a.Outgoing) != c.out {
			t.Errorf("%q → %s | %s", c.q, describe(a.Incoming), describe(a.Outgoing))
		}
	}
}

func TestClawsOnWindows(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "C/Users/u/AppData/Roaming/Claws-mail"), 0o755)
	data, _ := os.ReadFile("testdata/root/home/u/.claws-mail/accountrc")
	os.WriteFile(filepath.Join(dir, "C/Users/u/AppData/Roaming/Claws-mail/accountrc"), data, 0o644)
	p := &system.Platform{GOOS: "windows", FS: system.DirFS(dir), Home: "C:/Users/u",
		Getenv: func(k string) string {
			if k == "APPDATA" {
				return `C:\Users\u\AppData\Roaming`
			}
			return ""
		}}
	cs := Detect(context.Background(), p)
	if len(cs) != 1 || len(cs[0].Accounts) != 2 {
		t.Errorf("claws on windows: %s", summary(cs))
	}
}
