//go:build windows

package apply

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"golang.org/x/sys/windows"

	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/detect/clients/outlook"
	"maildoctor.app/maildoctor/detect/system"
	"maildoctor.app/maildoctor/fix/plan"
)

// These tests change the real registry of the computer they run on, so
// they run only under Wine (HKCU\Software\Wine exists), in the throwaway
// prefix of fix/apply/testdata/wine.sh. The registry is filled and read
// back with Wine's own reg.exe (`reg import`, `reg export`), so what is
// compared is what Windows tools see, not what Mail Doctor reads.
func underWine(t *testing.T) {
	t.Helper()
	if !system.RegKeyExists(system.Host().Registry, system.CurrentUser, `Software\Wine`) {
		t.Skip("not under Wine: these tests change the real registry")
	}
}

func reg(t *testing.T, args ...string) {
	t.Helper()
	if out, err := exec.Command("reg", args...).CombinedOutput(); err != nil {
		t.Fatalf("reg %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// regExport is `reg export KEY` as text (reg.exe writes UTF-16LE).
func regExport(t *testing.T, key string) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "export.reg")
	reg(t, "export", key, f, "/y")
	data, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte{0xff, 0xfe}) {
		return string(data)
	}
	u := make([]uint16, (len(data)-2)/2)
	for i := range u {
		u[i] = uint16(data[2+2*i]) | uint16(data[3+2*i])<<8
	}
	return string(utf16.Decode(u))
}

// lineDiff compares two exports line by line, each line named with its
// [key] (the same value line may be in two keys).
func lineDiff(a, b string) []string {
	lines := func(s string) []string {
		var out []string
		key := ""
		for _, l := range strings.Split(s, "\r\n") {
			if strings.HasPrefix(l, "[") {
				key = l
			}
			out = append(out, key+" "+l)
		}
		return out
	}
	in := func(ls []string) map[string]bool {
		m := map[string]bool{}
		for _, l := range ls {
			m[l] = true
		}
		return m
	}
	la, lb := lines(a), lines(b)
	ma, mb := in(la), in(lb)
	var out []string
	for _, l := range la {
		if !mb[l] {
			out = append(out, "- "+l)
		}
	}
	for _, l := range lb {
		if !ma[l] {
			out = append(out, "+ "+l)
		}
	}
	return out
}

func hostAccount(t *testing.T, email string) (clients.Client, clients.Account) {
	t.Helper()
	for _, c := range outlook.Detect(system.Host()) {
		for _, a := range c.Accounts {
			if a.Email == email {
				return c, a
			}
		}
	}
	t.Fatalf("no Outlook account for %s", email)
	return clients.Client{}, clients.Account{}
}

// TestHelperProcess is the dummy OUTLOOK.EXE: a copy of this test binary
// that only waits.
func TestHelperProcess(t *testing.T) {
	if os.Getenv("MAILDOCTOR_HELPER_SLEEP") == "" {
		t.Skip("helper")
	}
	time.Sleep(60 * time.Second)
}

func TestOutlookUnderWine(t *testing.T) {
	underWine(t)
	for _, tc := range []struct {
		fixture, email, profiles string
		changed                  int
	}{
		{"outlook2010.reg", "mario.rossi@maildoctor.example", `HKEY_CURRENT_USER\Software\Microsoft\Windows NT\CurrentVersion\Windows Messaging Subsystem\Profiles`, 4},
		{"outlook2016.reg", "anna.bianchi@maildoctor.example", `HKEY_CURRENT_USER\Software\Microsoft\Office\16.0\Outlook\Profiles`, 2},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			fixture, err := filepath.Abs(outlookFixtures + tc.fixture)
			if err != nil {
				t.Fatal(err)
			}
			reg(t, "import", fixture)
			before := regExport(t, tc.profiles)
			c, a := hostAccount(t, tc.email)
			p := outlookPlan(t, c, a)
			host := system.Host()
			dir := t.TempDir()
			opt := Options{Processes: host.Processes, Registry: HostRegistry(), BackupDir: dir}

			// A running OUTLOOK.EXE blocks the change.
			self, err := os.Executable()
			if err != nil {
				t.Fatal(err)
			}
			exe := filepath.Join(t.TempDir(), "OUTLOOK.EXE")
			data, err := os.ReadFile(self)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(exe, data, 0o755); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(exe, "-test.run=^TestHelperProcess$")
			cmd.Env = append(os.Environ(), "MAILDOCTOR_HELPER_SLEEP=1")
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			var running *RunningError
			for i := 0; i < 50; i++ {
				_, err = Plan(p, opt)
				if errors.As(err, &running) {
					break
				}
				time.Sleep(100 * time.Millisecond)
			}
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			if !errors.As(err, &running) {
				t.Fatalf("with OUTLOOK.EXE running: %v", err)
			}
			if d := lineDiff(before, regExport(t, tc.profiles)); len(d) != 0 {
				t.Fatalf("changed while Outlook ran:\n%s", strings.Join(d, "\n"))
			}

			res, err := Plan(p, opt)
			if err != nil {
				t.Fatal(err)
			}
			after := regExport(t, tc.profiles)
			d := lineDiff(before, after)
			t.Logf("reg export diff after apply:\n%s", strings.Join(d, "\n"))
			if len(d) != 2*tc.changed || len(res.Changes) != tc.changed {
				t.Fatalf("%d lines differ, %d changes reported, want %d", len(d), len(res.Changes), tc.changed)
			}
			for _, l := range d {
				ok := false
				for _, ch := range res.Changes {
					if strings.Contains(l, `] "`+ch.Key+`"=`) {
						ok = true
					}
				}
				if !ok {
					t.Errorf("a value that was not to change: %s", l)
				}
			}
			_, now := hostAccount(t, tc.email)
			if now.Incoming.Port != 993 || now.Outgoing.Port != 465 || now.Incoming.Security != "tls" || now.Outgoing.Security != "tls" {
				t.Errorf("detected after the change: %+v %+v", now.Incoming, now.Outgoing)
			}
			if _, err := Undo(p.Card, a, opt); err != nil {
				t.Fatal(err)
			}
			if got := regExport(t, tc.profiles); got != before {
				t.Fatalf("reg export after undo differs:\n%s", strings.Join(lineDiff(before, got), "\n"))
			}
			t.Logf("undo: reg export identical to the one before (%d bytes)", len(before))
		})
	}
}

var _ = plan.Outlook2010

// TestTLS12UnderWine: the switch in a win7 prefix, with TLS 1.2 switched
// off by the schannel-tls12-off.reg fixture: detect reads TLS 1.2 on
// afterwards, and undo gives back an identical `reg export` of the
// SChannel Protocols key and removes the WinHTTP value it added.
func TestTLS12UnderWine(t *testing.T) {
	underWine(t)
	const protocols = `HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols`
	fixture, err := filepath.Abs(outlookFixtures + "schannel-tls12-off.reg")
	if err != nil {
		t.Fatal(err)
	}
	reg(t, "import", fixture)
	before := regExport(t, protocols)
	hasWinHTTP := system.RegKeyExists(system.Host().Registry, system.LocalMachine, `SOFTWARE\Microsoft\Windows\CurrentVersion\Internet Settings\WinHttp`)
	if got := system.Detect(system.Host()).TLS.Get("1.2"); got != system.Off {
		t.Fatalf("TLS 1.2 %s before the switch", got)
	}
	opt := Options{Registry: HostRegistry(), BackupDir: t.TempDir()}
	res, err := EnableTLS12(opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("changes %+v", res.Changes)
	if got := system.Detect(system.Host()).TLS.Get("1.2"); got != system.Default {
		t.Fatalf("TLS 1.2 %s after the switch", got)
	}
	afterSwitch := regExport(t, protocols)
	t.Logf("reg export diff after the switch:\n%s", strings.Join(lineDiff(before, afterSwitch), "\n"))
	if d := lineDiff(before, afterSwitch); len(d) != 2 || !strings.Contains(d[0], `TLS 1.2\Client] "DisabledByDefault"=dword:00000001`) {
		t.Fatalf("want only TLS 1.2 DisabledByDefault 1 -> 0 in Protocols, got %q", d)
	}
	if _, err := UndoTLS12(opt); err != nil {
		t.Fatal(err)
	}
	if got := regExport(t, protocols); got != before {
		t.Fatalf("after undo:\n%s", strings.Join(lineDiff(before, got), "\n"))
	}
	if got := system.Detect(system.Host()).TLS.Get("1.2"); got != system.Off {
		t.Fatalf("TLS 1.2 %s after undo", got)
	}
	if _, ok := system.RegUint(system.Host().Registry, system.LocalMachine, `SOFTWARE\Microsoft\Windows\CurrentVersion\Internet Settings\WinHttp`, "DefaultSecureProtocols"); ok {
		t.Fatal("DefaultSecureProtocols still there after undo")
	}
	if now := system.RegKeyExists(system.Host().Registry, system.LocalMachine, `SOFTWARE\Microsoft\Windows\CurrentVersion\Internet Settings\WinHttp`); now != hasWinHTTP {
		t.Fatalf("WinHttp key exists %v, was %v", now, hasWinHTTP)
	}
	t.Logf("undo: reg export of Protocols identical (%d bytes)", len(before))
}

// setKeyDACL gives a key of HKEY_CURRENT_USER a new access list in SDDL
// ("D:P(A;;KR;;;WD)": everyone may read, nobody may write).
func setKeyDACL(t *testing.T, path, sddl string) {
	t.Helper()
	sd, err := windows.SecurityDescriptorFromString(sddl)
	if err != nil {
		t.Fatal(err)
	}
	dacl, _, err := sd.DACL()
	if err != nil {
		t.Fatal(err)
	}
	if err := windows.SetNamedSecurityInfo(`CURRENT_USER\`+path, windows.SE_REGISTRY_KEY,
		windows.DACL_SECURITY_INFORMATION|windows.PROTECTED_DACL_SECURITY_INFORMATION, nil, nil, dacl, nil); err != nil {
		t.Fatalf("setting the permissions of %s: %v", path, err)
	}
}

// TestOutlookReadOnlyKeyUnderWine: an account key whose permissions allow
// reading only (as a locked-down office PC may have) gets no change: a
// clear error that says the key is as it was, `reg export` identical, and
// no backup left to "undo".
func TestOutlookReadOnlyKeyUnderWine(t *testing.T) {
	underWine(t)
	const profiles = `HKEY_CURRENT_USER\Software\Microsoft\Windows NT\CurrentVersion\Windows Messaging Subsystem\Profiles`
	fixture, err := filepath.Abs(outlookFixtures + "outlook2010.reg")
	if err != nil {
		t.Fatal(err)
	}
	reg(t, "import", fixture)
	c, a := hostAccount(t, "mario.rossi@maildoctor.example")
	path := strings.TrimPrefix(a.Source, `HKEY_CURRENT_USER\`)
	setKeyDACL(t, path, "D:P(A;;KR;;;WD)")
	defer setKeyDACL(t, path, "D:P(A;;KA;;;WD)")
	// The write is refused by Windows itself, not by a fake.
	if err := HostRegistry().SetValue(system.CurrentUser, path, "IMAP Port", system.DWORD(993)); err == nil {
		t.Fatal("Wine let a read-only key be written: the test would prove nothing")
	}
	before := regExport(t, profiles)
	opt := Options{Processes: system.Host().Processes, Registry: HostRegistry(), BackupDir: t.TempDir()}
	p := outlookPlan(t, c, a)
	_, err = Plan(p, opt)
	var we *WriteError
	if !errors.As(err, &we) || !strings.Contains(err.Error(), "the key is as it was") {
		t.Fatalf("apply on a read-only key: %v", err)
	}
	t.Logf("error: %v", err)
	if got := regExport(t, profiles); got != before {
		t.Fatalf("the read-only key changed:\n%s", strings.Join(lineDiff(before, got), "\n"))
	}
	if b, err := LatestBackup(p.Card, a, opt); err != nil || b != "" {
		t.Fatalf("a backup is left to undo: %q %v", b, err)
	}
}

// TestManifestUnderWine: an Outlook change and its undo by entry on the
// real registry, with the manifest and the lock in a Windows folder.
func TestManifestUnderWine(t *testing.T) {
	underWine(t)
	const profiles = `HKEY_CURRENT_USER\Software\Microsoft\Office\16.0\Outlook\Profiles`
	fixture, err := filepath.Abs(outlookFixtures + "outlook2016.reg")
	if err != nil {
		t.Fatal(err)
	}
	reg(t, "import", fixture)
	before := regExport(t, profiles)
	c, a := hostAccount(t, "anna.bianchi@maildoctor.example")
	opt := Options{Processes: system.Host().Processes, Registry: HostRegistry(), BackupDir: t.TempDir()}
	if _, err := Plan(outlookPlan(t, c, a), opt); err != nil {
		t.Fatal(err)
	}
	list, err := Backups(opt)
	if err != nil || len(list) != 1 || list[0].Target != a.Source {
		t.Fatalf("manifest %+v %v", list, err)
	}
	unlock, err := lock(opt)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := UndoEntry(1, opt); !errors.As(err, new(*BusyError)) {
		t.Fatalf("undo while locked: %v", err)
	}
	unlock()
	if _, err := UndoEntry(1, opt); err != nil {
		t.Fatal(err)
	}
	if got := regExport(t, profiles); got != before {
		t.Fatalf("after undo by entry:\n%s", strings.Join(lineDiff(before, got), "\n"))
	}
}

// startDummy starts a copy of this test binary named name that only
// waits: a process the process list shows under that image name.
func startDummy(t *testing.T, name string) (stop func()) {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(exe, data, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), "MAILDOCTOR_HELPER_SLEEP=1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}
}

// TestLiveMailUnderWine: Windows Live Mail's store as the detector finds
// it on Windows ("Store Root" in the registry, .oeaccount files under
// it): refused while a wlmail.exe runs, then applied, read back by the
// detector, and undone byte for byte.
func TestLiveMailUnderWine(t *testing.T) {
	underWine(t)
	const sub = `imap.maildoctor.example (1)`
	const name = `account{5B2C6F2A-1D3E-4C8B-9F00-2D8E5A7B1C11}.oeaccount`
	data, err := os.ReadFile(filepath.Join(outlookFixtures, "fs/C/Users/anna/AppData/Local/Microsoft/Windows Live Mail", sub, name))
	if err != nil {
		t.Fatal(err)
	}
	store := t.TempDir()
	if err := os.MkdirAll(filepath.Join(store, sub), 0o700); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(store, sub, name)
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	reg(t, "add", `HKCU\Software\Microsoft\Windows Live Mail`, "/v", "Store Root", "/t", "REG_EXPAND_SZ", "/d", store, "/f")
	defer reg(t, "delete", `HKCU\Software\Microsoft\Windows Live Mail`, "/f")
	find := func() (clients.Client, clients.Account) {
		for _, c := range outlook.Detect(system.Host()) {
			for _, a := range c.Accounts {
				if c.ID == clients.WindowsLive && a.Email == "lucia@maildoctor.example" {
					return c, a
				}
			}
		}
		t.Fatal("Windows Live Mail's account was not detected")
		return clients.Client{}, clients.Account{}
	}
	c, a := find()
	p, err := plan.Build(plan.Input{Email: a.Email, Servers: servers(t, a.Email), Client: &c, Account: &a})
	if err != nil {
		t.Fatal(err)
	}
	opt := Options{Processes: system.Host().Processes, BackupDir: t.TempDir()}
	stop := startDummy(t, "wlmail.exe")
	var running *RunningError
	for i := 0; i < 50; i++ {
		if _, err = Plan(p, opt); errors.As(err, &running) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	stop()
	if !errors.As(err, &running) {
		t.Fatalf("with wlmail.exe running: %v", err)
	}
	if got, _ := os.ReadFile(file); !bytes.Equal(got, data) {
		t.Fatal("the file changed while wlmail.exe ran")
	}
	res, err := Plan(p, opt)
	if err != nil {
		t.Fatal(err)
	}
	_, now := find()
	if now.Outgoing.Port != 465 || now.Outgoing.Security != "tls" || now.Incoming.Port != 993 || now.Incoming.Security != "tls" {
		t.Fatalf("detected after the change: %+v %+v (changes %+v)", now.Incoming, now.Outgoing, res.Changes)
	}
	if _, err := Undo(p.Card, a, opt); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(file); !bytes.Equal(got, data) {
		t.Fatal("undo is not byte for byte")
	}
	t.Logf("%d changes %+v, undone byte for byte", len(res.Changes), res.Changes)
}
