package apply

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/detect/clients/outlook"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/fix/plan"
)

const wlmFixtures = outlookFixtures + "fs/C/Users/anna/AppData/Local/Microsoft/Windows Live Mail/"

// oeVariants are a fixture in every encoding WLM and Vista's Windows Mail
// write (UTF-16LE with BOM, as WLM 2012 does), and the others the reader
// accepts.
func oeVariants(t *testing.T, fixture string) map[string][]byte {
	t.Helper()
	data, err := os.ReadFile(wlmFixtures + fixture)
	if err != nil {
		t.Fatal(err)
	}
	text, _, err := oeDecode(data)
	if err != nil {
		t.Fatal(err)
	}
	u := utf16.Encode([]rune(text))
	be := []byte{0xfe, 0xff}
	for _, c := range u {
		be = append(be, byte(c>>8), byte(c))
	}
	lf := strings.ReplaceAll(text, "\r\n", "\n")
	return map[string][]byte{
		"utf16le":         oeEncode(text, oeUTF16LE),
		"utf16be":         be,
		"utf8":            []byte(text),
		"utf8bom":         oeEncode(text, oeUTF8BOM),
		"utf8lf":          []byte(lf),
		"utf16le-oneline": oeEncode(strings.ReplaceAll(text, "\r\n", ""), oeUTF16LE),
	}
}

func TestLiveMailApplyAndUndo(t *testing.T) {
	for _, fx := range []struct {
		file, email string
		proto       server.Protocol
	}{
		{"imap.maildoctor.example (1)/account{5B2C6F2A-1D3E-4C8B-9F00-2D8E5A7B1C11}.oeaccount", "lucia@maildoctor.example", server.IMAP},
		{"Local Folders/account{0A1B2C3D-4E5F-6071-8293-A4B5C6D7E8F9}.oeaccount", "marco@maildoctor.example", server.POP3},
	} {
		for name, data := range oeVariants(t, fx.file) {
			t.Run(fx.email+"/"+name, func(t *testing.T) {
				dir := t.TempDir()
				file := filepath.Join(dir, "account{X}.oeaccount")
				if err := os.WriteFile(file, data, 0o600); err != nil {
					t.Fatal(err)
				}
				a, err := outlook.ParseOEAccount(data)
				if err != nil {
					t.Fatal(err)
				}
				a.Source = file
				c := clients.Client{ID: clients.WindowsLive, Name: "Windows Live Mail"}
				p, err := plan.Build(plan.Input{Email: a.Email, Servers: servers(t, a.Email), Client: &c, Account: &a})
				if err != nil {
					t.Fatal(err)
				}
				if p.Card != plan.WindowsLiveMail || p.Status != plan.StatusChange {
					t.Fatalf("card %s status %s", p.Card, p.Status)
				}
				if _, err := Plan(p, Options{Processes: procs("wlmail.exe"), Now: clock}); err == nil {
					t.Fatal("changed while wlmail.exe runs")
				}
				res, err := Plan(p, opts())
				if err != nil {
					t.Fatal(err)
				}
				got, _ := os.ReadFile(file)
				back, err := outlook.ParseOEAccount(got)
				if err != nil {
					t.Fatal(err)
				}
				if back.Incoming.Protocol != fx.proto || back.Incoming.Port != server.DefaultPort(fx.proto, server.TLS) ||
					back.Incoming.Security != server.TLS || back.Outgoing.Port != 465 || back.Outgoing.Security != server.TLS {
					t.Fatalf("after: %+v %+v (changes %+v)", back.Incoming, back.Outgoing, res.Changes)
				}
				if back.Email != a.Email || back.Incoming.Host != a.Incoming.Host || back.Incoming.User != a.Incoming.User {
					t.Fatalf("other settings moved: %+v", back)
				}
				if !bytes.HasPrefix(got, data[:2]) {
					t.Fatalf("encoding lost: % x", got[:4])
				}
				u, err := Undo(p.Card, a, opts())
				if err != nil {
					t.Fatal(err)
				}
				undone, _ := os.ReadFile(file)
				if !bytes.Equal(undone, data) {
					t.Fatal("undo is not byte for byte")
				}
				t.Logf("%d changes %+v; undo from %s", len(res.Changes), res.Changes, filepath.Base(u.Restored))
			})
		}
	}
}

func TestLiveMailRefusesOtherFiles(t *testing.T) {
	for _, src := range []string{"", "C:/x/prefs.js"} {
		if _, err := SettingsFile(plan.WindowsLiveMail, clients.Account{Email: "a@b.example", Source: src}); err == nil {
			t.Errorf("%q accepted", src)
		}
	}
	e := &oeEditor{account: clients.Account{Email: "a@b.example", Incoming: &clients.Server{Protocol: server.IMAP}},
		target: target{incoming: &server.Endpoint{Protocol: server.IMAP, Port: 993, Security: server.TLS}}}
	for _, bad := range []string{
		`<MessageAccount><SMTP_Email_Address type="SZ">a@b.example</SMTP_Email_Address><IMAP_Port type="DWORD">1</IMAP_Port><IMAP_Port type="DWORD">2</IMAP_Port></MessageAccount>`,
		`<MessageAccount><SMTP_Email_Address type="SZ">other@b.example</SMTP_Email_Address></MessageAccount>`,
		`<Other/>`,
	} {
		if _, _, err := e.edit([]byte(bad)); err == nil {
			t.Errorf("edited %q", bad)
		}
	}
}

// FuzzOEEdit: whatever file the reader accepts, an edit that succeeds
// leaves a file the reader still accepts, with the new values, and the
// verify step agrees.
func FuzzOEEdit(f *testing.F) {
	for _, v := range oeVariants(&testing.T{}, "imap.maildoctor.example (1)/account{5B2C6F2A-1D3E-4C8B-9F00-2D8E5A7B1C11}.oeaccount") {
		f.Add(v)
	}
	f.Add([]byte(`<MessageAccount><IMAP_Server type="SZ">h</IMAP_Server><SMTP_Email_Address type="SZ">a@b</SMTP_Email_Address></MessageAccount>`))
	f.Add([]byte("<MessageAccount>\n<IMAP_Server type=\"SZ\">h</IMAP_Server>\n<SMTP_Email_Address type=\"SZ\">a@b</SMTP_Email_Address><!-- </IMAP_Port> --></MessageAccount>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := outlook.ParseOEAccount(data)
		if err != nil || a.Incoming == nil || a.Email == "" {
			return
		}
		tg := target{incoming: &server.Endpoint{Protocol: a.Incoming.Protocol, Host: a.Incoming.Host, Port: server.DefaultPort(a.Incoming.Protocol, server.TLS), Security: server.TLS}}
		e := &oeEditor{account: a, target: tg}
		out, changes, err := e.edit(data)
		if err != nil || len(changes) == 0 {
			return
		}
		if err := e.verify(data, out, changes); err != nil {
			// Refused by verify: nothing would be written. Only a
			// reader-visible change is a bug.
			return
		}
		b, err := outlook.ParseOEAccount(out)
		if err != nil || b.Incoming == nil || b.Incoming.Port != tg.incoming.Port || b.Incoming.Security != server.TLS {
			t.Fatalf("verified but reads %+v, %v", b.Incoming, err)
		}
	})
}
