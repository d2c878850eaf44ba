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
