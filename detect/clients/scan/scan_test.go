package scan

import (
	"context"
	"io/fs"
	"os"
	"sort"
	"strings"
	"testing"

	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/system"
)

// overlay reads from the first layer that has a file and merges
// directories, so fixtures of several packages make one computer.
type overlay []system.FS

func (o overlay) ReadFile(name string) ([]byte, error) {
	var err error
	for _, l := range o {
		var data []byte
		if data, err = l.ReadFile(name); err == nil {
			return data, nil
		}
	}
	return nil, err
}

func (o overlay) Stat(name string) (fs.FileInfo, error) {
	var err error
	for _, l := range o {
		var st fs.FileInfo
		if st, err = l.Stat(name); err == nil {
			return st, nil
		}
	}
	return nil, err
}

func (o overlay) ReadDir(name string) ([]fs.DirEntry, error) {
	seen := map[string]bool{}
	var out []fs.DirEntry
	var lastErr error
	ok := false
	for _, l := range o {
		entries, err := l.ReadDir(name)
		if err != nil {
			lastErr = err
			continue
		}
		ok = true
		for _, e := range entries {
			if !seen[e.Name()] {
				seen[e.Name()] = true
				out = append(out, e)
			}
		}
	}
	if !ok {
		return nil, lastErr
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out, nil
}

// linuxHome is a Debian 12 computer with Thunderbird (the profile written
// by a real Thunderbird) and the other Linux clients, home /tmp/tbhome for
// Thunderbird and /home/u for the others.
func linuxPlatform() *system.Platform {
	fsys := overlay{
		system.DirFS("testdata/root"), // dpkg status: the system's and the clients' packages
		system.DirFS("../thunderbird/testdata/linux-real"),
		system.DirFS("../linuxmail/testdata/root"),
		system.DirFS("../../system/testdata/debian12"),
	}
	return &system.Platform{
		GOOS: "linux", FS: fsys, Home: "/tmp/tbhome",
		Processes: func() ([]system.Process, error) {
			return []system.Process{{PID: 1, Name: "systemd"}, {PID: 77, Name: "thunderbird"}}, nil
		},
	}
}

func ids(fs []finding.Finding) string {
	var out []string
	for _, f := range fs {
		out = append(out, string(f.Severity)+":"+f.ID+"@"+f.Endpoint)
	}
	return strings.Join(out, ",")
}

func TestLinuxComputer(t *testing.T) {
	rep := Computer(context.Background(), linuxPlatform(), Options{})
	if rep.OS.Name != "Debian GNU/Linux 12 (bookworm)" || rep.OS.TLS.V12 != system.Default {
		t.Errorf("os = %+v", rep.OS)
	}
	if len(rep.Clients) < 1 || rep.Clients[0].ID != clients.Thunderbird {
		t.Fatalf("clients = %+v", rep.Clients)
	}
	tb := rep.Clients[0]
	if tb.Running == nil || !*tb.Running {
		t.Error("thunderbird should be running")
	}
	got := []string{}
	for _, a := range tb.Accounts {
		got = append(got, a.Email+" "+ids(a.Findings))
	}
	want := []string{
		"mario.rossi@maildoctor.example warn:starttls.in_use@imap.maildoctor.example:143,warn:starttls.in_use@smtp.maildoctor.example:587",
		"anna.bianchi@maildoctor.example ",
		"info@altrodominio.example fail:account.plaintext@mail.altrodominio.example:143,warn:starttls.in_use@smtp.maildoctor.example:587",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	f := tb.Accounts[0].Findings[0]
	if f.Args["protocol"] != "IMAP" || f.Args["port"] != "143" || f.Args["tls_port"] != "993" {
		t.Errorf("starttls.in_use args %v", f.Args)
	}
	if rep.Worst() != finding.Fail {
		t.Errorf("worst = %s", rep.Worst())
	}
	if len(rep.Findings) != 0 {
		t.Errorf("detection problems: %+v", rep.Findings)
	}
}

func TestWindowsComputer(t *testing.T) {
	reg := system.NewMemRegistry()
	for _, f := range []string{"outlook2010.reg", "livemail.reg"} {
		data, err := os.ReadFile("../outlook/testdata/" + f)
		if err != nil {
			t.Fatal(err)
		}
		if err := reg.Import(data); err != nil {
			t.Fatal(err)
		}
	}
	reg.Set(system.LocalMachine, `SOFTWARE\Microsoft\Windows NT\CurrentVersion`, "ProductName", system.SZ("Windows 7 Professional"))
	env := map[string]string{"LOCALAPPDATA": `C:\Users\anna\AppData\Local`, "APPDATA": `C:\Users\anna\AppData\Roaming`}
	p := &system.Platform{
		GOOS: "windows", Home: "C:/Users/anna", Registry: reg,
		FS:     overlay{system.DirFS("../outlook/testdata/fs"), system.DirFS("../thunderbird/testdata/windows")},
		Getenv: func(k string) string { return env[k] },
		WindowsVersion: func() (system.WinVersion, error) {
			return system.WinVersion{Major: 6, Minor: 1, Build: 7601, ProductType: 1, CSDVersion: "Service Pack 1"}, nil
		},
	}
	rep := Computer(context.Background(), p, Options{})
	if rep.OS.Name != "Windows 7 Professional" || ids(rep.OS.Findings) != "fail:os.tls12_disabled@" {
		t.Errorf("os %q findings %s", rep.OS.Name, ids(rep.OS.Findings))
	}
	var list []string
	for _, c := range rep.Clients {
		list = append(list, c.ID)
	}
	// Windows Live Mail is the default (Clients\Mail) and comes first.
	if strings.Join(list, ",") != "windows-live-mail,thunderbird,outlook" {
		t.Errorf("clients %v", list)
	}
	if !rep.Clients[0].Default {
		t.Error("default not marked")
	}
}

func TestPanickingReaderIsAFinding(t *testing.T) {
	var problems []finding.Finding
	guard(&problems, "boom", func() { panic("bad fixture") })
	if len(problems) != 1 || problems[0].ID != "detect.failed" || !strings.Contains(problems[0].Evidence, "bad fixture") {
		t.Errorf("problems = %+v", problems)
	}
	// A Platform with nothing at all: no crash, an honest report.
	rep := Computer(context.Background(), &system.Platform{GOOS: "windows", FS: system.DirFS(t.TempDir())}, Options{})
	if rep.OS == nil || rep.OS.Family != "windows" || len(rep.Clients) != 0 {
		t.Errorf("empty windows: %+v", rep)
	}
}

// BenchmarkDetect is detection of a whole computer on Linux from a fixture
// root: Debian 12 with a real Thunderbird profile, Evolution, GNOME Online
// Accounts, KMail, Claws Mail, Geary and NeoMutt (without running it).
func BenchmarkDetect(b *testing.B) {
	p := linuxPlatform()
	for i := 0; i < b.N; i++ {
		rep := Computer(context.Background(), p, Options{})
		if len(rep.Clients) < 5 {
			b.Fatalf("%d clients", len(rep.Clients))
		}
	}
}
