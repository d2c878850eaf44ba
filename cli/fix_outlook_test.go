package cli

import (
	"net/http"
	"os"
	"strings"
	"testing"

	"maildoctor.app/maildoctor/detect/system"
	"maildoctor.app/maildoctor/fix/apply"
)

// "fix --apply" then "fix --undo" on Outlook 2010's registry (the
// detect/clients/outlook fixture in a writable fake): the account moves
// to 993/465 SSL/TLS, and the undo, with no network, gives every value
// back.
func TestFixOutlookApplyUndo(t *testing.T) {
	reg := fixtureRegistry(t, "outlook2010.reg")
	const key = `Software\Microsoft\Windows NT\CurrentVersion\Windows Messaging Subsystem\Profiles\Outlook\9375CFF0413111d3B88A00104B2A6676\00000002`
	dump := func() string {
		var b strings.Builder
		names, _ := reg.ValueNames(system.CurrentUser, key)
		for _, n := range names {
			v, _ := reg.Value(system.CurrentUser, key, n)
			b.WriteString(system.FormatReg(n, v) + "\n")
		}
		return b.String()
	}
	orig := dump()
	home := t.TempDir()
	deps := fixDepsFor(home)
	base := deps.platform
	deps.platform = func() *system.Platform {
		p := base()
		p.GOOS, p.Registry = "windows", reg
		return p
	}
	deps.backupDir = t.TempDir()
	const addr = "mario.rossi@maildoctor.example"

	code, out, errOut := runFixTest(t, withRunning(deps, "OUTLOOK.EXE"), "--apply", addr)
	if code != ExitProblems || dump() != orig {
		t.Fatalf("with Outlook open: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = runFixTest(t, deps, "--apply", addr)
	if code != ExitOK || !strings.Contains(out, "IMAP Port: 143 -> 993") || !strings.Contains(out, "SMTP Port: 587 -> 465") {
		t.Fatalf("apply: exit %d\n%s%s", code, out, errOut)
	}
	t.Logf("apply:\n%s", out)
	if !strings.Contains(out, "registry key") && !strings.Contains(out, "chiave di registro") {
		t.Errorf("the backup of a registry key is called a file:\n%s", out)
	}
	deps.resolver = failResolver{t}
	deps.discoverHTTP = &http.Client{Transport: failNetwork{t}}
	deps.http = failNetwork{t}
	code, out, errOut = runFixTest(t, deps, "--undo", addr)
	if code != ExitOK || dump() != orig {
		t.Fatalf("undo: exit %d\n%s%s\n%s", code, out, errOut, dump())
	}
	t.Logf("undo:\n%s", out)
	if !strings.Contains(out, "registry key") && !strings.Contains(out, "chiave di registro") {
		t.Errorf("the undo of a registry key calls it a file:\n%s", out)
	}
}

func withRunning(d fixDeps, names ...string) fixDeps {
	base := d.platform
	d.platform = func() *system.Platform {
		p := base()
		p.Processes = func() ([]system.Process, error) {
			var ps []system.Process
			for i, n := range names {
				ps = append(ps, system.Process{PID: 10 + i, Name: n})
			}
			return ps, nil
		}
		return p
	}
	return d
}

// fixtureRegistry is a writable registry holding one of the .reg files
// the Outlook detector's tests read.
func fixtureRegistry(t *testing.T, name string) *apply.MemRegistry {
	t.Helper()
	data, err := os.ReadFile("../detect/clients/outlook/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	mem, err := system.ParseReg(data)
	if err != nil {
		t.Fatal(err)
	}
	return &apply.MemRegistry{MemRegistry: mem}
}

// `fix` for Outlook 2010 on Windows 7 gives the answer `compat` gives for
// that pair: Windows' TLS 1.2 switch and also every Office 2010 update
// (before, only `compat` asked for the updates).
func TestFixPlanSaysWhatCompatSays(t *testing.T) {
	reg := fixtureRegistry(t, "outlook2010.reg")
	const cv = `SOFTWARE\Microsoft\Windows NT\CurrentVersion`
	reg.Set(system.LocalMachine, cv, "CurrentVersion", system.SZ("6.1"))
	reg.Set(system.LocalMachine, cv, "CurrentBuildNumber", system.SZ("7601"))
	deps := fixDepsFor(t.TempDir())
	base := deps.platform
	deps.platform = func() *system.Platform {
		p := base()
		p.GOOS, p.Registry, p.WindowsVersion = "windows", reg, nil
		return p
	}
	deps.backupDir = t.TempDir()
	code, out, errOut := runFixTest(t, deps, "--lang", "en", "mario.rossi@maildoctor.example")
	if code == ExitUsage {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{"Windows 7", "TLS 1.2", "Install all the updates for Office 2010"} {
		if !strings.Contains(out, want) {
			t.Errorf("the plan does not say %q:\n%s", want, out)
		}
	}
}
