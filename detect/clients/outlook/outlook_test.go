package outlook

import (
	"os"
	"strings"
	"testing"

	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/detect/system"
)

func loadReg(t *testing.T, files ...string) *system.MemRegistry {
	t.Helper()
	reg := system.NewMemRegistry()
	for _, f := range files {
		data, err := os.ReadFile("testdata/" + f)
		if err != nil {
			t.Fatal(err)
		}
		if err := reg.Import(data); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
	return reg
}

func platform(reg system.Registry) *system.Platform {
	env := map[string]string{
		"LOCALAPPDATA": `C:\Users\anna\AppData\Local`,
		"APPDATA":      `C:\Users\anna\AppData\Roaming`,
		"ProgramFiles": `C:\Program Files`,
	}
	return &system.Platform{
		GOOS: "windows", FS: system.DirFS("testdata/fs"), Home: "C:/Users/anna", Registry: reg,
		Getenv: func(k string) string { return env[k] },
		FileVersion: func(path string) (string, error) {
			if strings.HasSuffix(path, "Office14/OUTLOOK.EXE") {
				return "14.0.7268.5000", nil
			}
			return "", os.ErrNotExist
		},
	}
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

func summary(cs []clients.Client) string {
	var lines []string
	for _, c := range cs {
		lines = append(lines, c.ID+" | "+c.Name+" | "+c.Version+" | "+c.Path)
		for _, a := range c.Accounts {
			lines = append(lines, "  "+a.Profile+" "+a.Key+" "+a.Email+" "+string(a.Kind)+" | "+describe(a.Incoming)+" | "+describe(a.Outgoing))
		}
		for _, f := range c.Findings {
			lines = append(lines, "  ! "+f.ID+" "+f.Args["reason"])
		}
	}
	return strings.Join(lines, "\n")
}

// The registry as Outlook, Windows Live Mail and Outlook Express write it
// (testdata/mkreg.py): REG_BINARY UTF-16LE strings, DWORD ports.
func TestRegistryClients(t *testing.T) {
	cases := []struct {
		name  string
		files []string
		want  string
	}{
		{"outlook 2010", []string{"outlook2010.reg"}, `outlook | Microsoft Outlook 2010 | 14.0.7268.5000 | C:/Program Files/Microsoft Office/Office14/OUTLOOK.EXE
  Casa 00000001 casa@altrodominio.example  | pop3 pop.altrodominio.example:110 none default | smtp smtp.altrodominio.example:25 none default
  Outlook 00000002 mario.rossi@maildoctor.example  | imap imap.maildoctor.example:143 none | smtp smtp.maildoctor.example:587 starttls`},
		{"outlook 2016 click-to-run", []string{"outlook2016.reg"}, `outlook | Microsoft Outlook (Microsoft 365) | 16.0.17126.20132 | C:/Program Files/Microsoft Office/root/Office16/OUTLOOK.EXE
  Outlook 00000003 anna.bianchi@maildoctor.example  | imap imap.maildoctor.example:993 tls | smtp smtp.maildoctor.example:587 auto
  Outlook 00000004  exchange | - | -`},
		{"windows live mail", []string{"livemail.reg"}, `windows-live-mail | Windows Live Mail |  | 
   account{0A1B2C3D-4E5F-6071-8293-A4B5C6D7E8F9}.oeaccount marco@maildoctor.example  | pop3 pop.maildoctor.example:110 none default | smtp smtp.maildoctor.example:25 none default
   account{5B2C6F2A-1D3E-4C8B-9F00-2D8E5A7B1C11}.oeaccount lucia@maildoctor.example  | imap imap.maildoctor.example:993 tls | smtp smtp.maildoctor.example:587 starttls
  ! client.store_broken `},
		{"outlook express", []string{"outlookexpress.reg"}, `outlook-express | Outlook Express |  | 
   00000001 vecchio@maildoctor.example  | pop3 pop.maildoctor.example:110 none | smtp smtp.maildoctor.example:25 starttls`},
		{"nothing", nil, ``},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cs := Detect(platform(loadReg(t, c.files...)))
			if got := summary(cs); got != c.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, c.want)
			}
		})
	}
}

func TestDefaultMailClient(t *testing.T) {
	if got := DefaultMailClient(loadReg(t, "outlook2016.reg")); got != clients.Outlook {
		t.Errorf("UserChoice Outlook.URL.mailto.15 → %q", got)
	}
	if got := DefaultMailClient(loadReg(t, "livemail.reg")); got != clients.WindowsLive {
		t.Errorf("Clients\\Mail Windows Live Mail → %q", got)
	}
	reg := system.NewMemRegistry()
	reg.Set(system.CurrentUser, `Software\Microsoft\Windows\Shell\Associations\UrlAssociations\mailto\UserChoiceLatest\ProgId`, "ProgId", system.SZ("Thunderbird.Url.mailto"))
	reg.Set(system.CurrentUser, `Software\Microsoft\Windows\Shell\Associations\UrlAssociations\mailto\UserChoice`, "ProgId", system.SZ("Outlook.URL.mailto.15"))
	if got := DefaultMailClient(reg); got != clients.Thunderbird {
		t.Errorf("UserChoiceLatest should win: %q", got)
	}
	if got := DefaultMailClient(system.NewMemRegistry()); got != "" {
		t.Errorf("empty registry → %q", got)
	}
}

func TestVersionOnlyClients(t *testing.T) {
	reg := system.NewMemRegistry()
	un := `SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\`
	reg.Set(system.LocalMachine, un+`{eM}`, "DisplayName", system.SZ("eM Client"))
	reg.Set(system.LocalMachine, un+`{eM}`, "DisplayVersion", system.SZ("9.2.2157.0"))
	reg.Set(system.LocalMachine, `SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall\Mailbird`, "DisplayName", system.SZ("Mailbird"))
	reg.Set(system.CurrentUser, `Software\Microsoft\Windows\CurrentVersion\Uninstall\TheBat`, "DisplayName", system.SZ("The Bat! Professional v10.4 (64-bit)"))
	reg.Set(system.CurrentUser, `Software\Microsoft\Windows\CurrentVersion\Uninstall\TheBat`, "DisplayVersion", system.SZ("10.4.0.3"))
	pk := `Software\Classes\Local Settings\Software\Microsoft\Windows\CurrentVersion\AppModel\Repository\Packages\`
	reg.CreateKey(system.CurrentUser, pk+`Microsoft.OutlookForWindows_1.2024.1023.300_x64__8wekyb3d8bbwe`)
	reg.CreateKey(system.CurrentUser, pk+`microsoft.windowscommunicationsapps_16005.14326.21904.0_x64__8wekyb3d8bbwe`)
	got := summary(Detect(platform(reg)))
	want := `new-outlook | Outlook (new) | 1.2024.1023.300 | 
  ! client.store_unreadable cloud
windows-mail-app | Windows Mail and Calendar | 16005.14326.21904.0 | 
  ! client.store_unreadable proprietary
em-client | eM Client | 9.2.2157.0 | 
  ! client.store_unreadable proprietary
mailbird | Mailbird |  | 
  ! client.store_unreadable proprietary
the-bat | The Bat! |  | 
  ! client.store_unreadable proprietary`
	if strings.Contains(got, "the-bat | The Bat! | 10.4.0.3") {
		want = strings.Replace(want, "the-bat | The Bat! |  | ", "the-bat | The Bat! | 10.4.0.3 | ", 1)
	}
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestParseOEAccountBroken(t *testing.T) {
	for _, data := range [][]byte{
		nil, []byte("garbage"), []byte("<other/>"), []byte("\xff\xfe\x00"),
		[]byte(`<MessageAccount><IMAP_Server type="SZ">imap.x.example</IMAP_Server><IMAP_Port type="DWORD">zz</IMAP_Port>`),
	} {
		a, err := ParseOEAccount(data)
		if err == nil && a.Incoming != nil && a.Incoming.Port != 143 {
			t.Errorf("%q → %+v", data, a.Incoming)
		}
	}
	// Truncated after some values: those are kept.
	a, err := ParseOEAccount([]byte(`<?xml version="1.0"?><MessageAccount><POP3_Server type="SZ">pop.x.example</POP3_Server><SMTP_Ser`))
	if err != nil || a.Incoming == nil || a.Incoming.Host != "pop.x.example" {
		t.Errorf("truncated: %+v %v", a, err)
	}
}
