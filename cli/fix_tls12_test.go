package cli

import (
	"reflect"
	"strings"
	"testing"

	"maildoctor.app/maildoctor/detect/system"
	"maildoctor.app/maildoctor/fix/apply"
)

const schannelKey = `SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Client`

// tls12Deps is a Windows of version v whose registry is the fixture
// with TLS 1.2 switched off, in a writable fake.
func tls12Deps(t *testing.T, v system.WinVersion) (fixDeps, *apply.MemRegistry) {
	t.Helper()
	reg := fixtureRegistry(t, "schannel-tls12-off.reg")
	deps := fixDepsFor(t.TempDir())
	base := deps.platform
	deps.platform = func() *system.Platform {
		p := base()
		p.GOOS, p.Registry = "windows", reg
		p.WindowsVersion = func() (system.WinVersion, error) { return v, nil }
		return p
	}
	deps.backupDir = t.TempDir()
	deps.elevated = func() bool { return true }
	deps.runElevated = func([]string) (int, error) {
		t.Fatal("started again as administrator although it is one")
		return 0, nil
	}
	return deps, reg
}

func tls12State(reg system.Registry) string {
	var b strings.Builder
	names, _ := reg.ValueNames(system.LocalMachine, schannelKey)
	for _, n := range names {
		v, _ := reg.Value(system.LocalMachine, schannelKey, n)
		b.WriteString(system.FormatReg(n, v) + "\n")
	}
	return b.String()
}

var win7SP1 = system.WinVersion{Major: 6, Minor: 1, Build: 7601}

// As administrator: the switch writes the keys (after a dry run that
// writes nothing), a second run has nothing to do, and the undo needs
// only the backup.
func TestFixEnableTLS12(t *testing.T) {
	deps, reg := tls12Deps(t, win7SP1)
	orig := tls12State(reg)
	code, out, errOut := runFixTest(t, deps, "--enable-tls12", "--dry-run")
	if code != ExitOK || !strings.Contains(out, `TLS 1.2\Client DisabledByDefault: 1 -> 0`) || tls12State(reg) != orig {
		t.Fatalf("dry run: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = runFixTest(t, deps, "--enable-tls12", "--lang", "en")
	if code != ExitOK || !strings.Contains(out, "Restart the computer") || tls12State(reg) == orig {
		t.Fatalf("enable: exit %d\n%s%s", code, out, errOut)
	}
	t.Logf("enable:\n%s", out)
	if v, ok := system.RegUint(reg, system.LocalMachine, schannelKey, "DisabledByDefault"); !ok || v != 0 {
		t.Fatalf("DisabledByDefault %d %v", v, ok)
	}
	code, out, errOut = runFixTest(t, deps, "--enable-tls12", "--lang", "en")
	if code != ExitOK || !strings.Contains(out, "already") {
		t.Fatalf("again: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = runFixTest(t, deps, "--enable-tls12", "--undo", "--lang", "it")
	if code != ExitOK || tls12State(reg) != orig || !strings.Contains(out, "com'erano") {
		t.Fatalf("undo: exit %d\n%s%s\n%s", code, out, errOut, tls12State(reg))
	}
	code, _, errOut = runFixTest(t, deps, "--enable-tls12", "--undo", "--lang", "en")
	if code != ExitUsage || !strings.Contains(errOut, "no earlier switch") {
		t.Fatalf("second undo: exit %d %s", code, errOut)
	}
}

// Without administrator rights Mail Doctor starts itself again through
// UAC with the same command (the fake runs it with the rights), waits,
// and reads back the result; a "No" to Windows' question changes nothing.
func TestFixEnableTLS12Elevates(t *testing.T) {
	deps, reg := tls12Deps(t, win7SP1)
	orig := tls12State(reg)
	deps.elevated = func() bool { return false }
	var got [][]string
	deps.runElevated = func(args []string) (int, error) {
		got = append(got, args)
		if args[0] != "fix" {
			t.Fatalf("args %q", args)
		}
		// The administrator may be another user, with a backups folder
		// of their own: the one given on the command line is used.
		child := deps
		child.elevated = func() bool { return true }
		child.backupDir = t.TempDir()
		code, out, errOut := runFixTest(t, child, args[1:]...)
		t.Logf("elevated: exit %d\n%s%s", code, out, errOut)
		return code, nil
	}
	code, out, errOut := runFixTest(t, deps, "--enable-tls12", "--lang", "en")
	if code != ExitOK || !strings.Contains(out, "Answer Yes") || !strings.Contains(out, "Done: TLS 1.2 is switched on") {
		t.Fatalf("enable: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, _ = runFixTest(t, deps, "--undo", "--list", "--lang", "en"); code != ExitOK || !strings.Contains(out, "1. 2026-11-22") || !strings.Contains(out, "Windows (TLS 1.2)") {
		t.Fatalf("this user's list lacks the switch made as administrator: exit %d\n%s", code, out)
	}
	code, out, errOut = runFixTest(t, deps, "--enable-tls12", "--undo", "--lang", "en")
	if code != ExitOK || tls12State(reg) != orig {
		t.Fatalf("undo: exit %d\n%s%s", code, out, errOut)
	}
	dir := deps.backupDir
	want := [][]string{{"fix", "--enable-tls12", "--backups", dir, "--lang", "en"}, {"fix", "--enable-tls12", "--undo", "--backups", dir, "--lang", "en"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("started %q, want %q", got, want)
	}

	deps.runElevated = func([]string) (int, error) { return 0, apply.ErrElevationCancelled }
	code, _, errOut = runFixTest(t, deps, "--enable-tls12", "--lang", "en")
	if code != ExitProblems || !strings.Contains(errOut, "ask whoever looks after this computer") || tls12State(reg) != orig {
		t.Fatalf("cancelled: exit %d %s", code, errOut)
	}
	deps.runElevated = func([]string) (int, error) { return 0, nil } // "succeeds" but writes nothing
	code, _, errOut = runFixTest(t, deps, "--enable-tls12", "--lang", "en")
	if code != ExitProblems || !strings.Contains(errOut, "could not be switched on") {
		t.Fatalf("nothing written: exit %d %s", code, errOut)
	}
}

// Refused where it does not apply (exit 1, one translated line, no
// question to the user), and outside Windows (exit 2).
func TestFixEnableTLS12Refused(t *testing.T) {
	for _, tc := range []struct {
		v    system.WinVersion
		want string
	}{
		{system.WinVersion{Major: 6, Minor: 3, Build: 9600}, "already on"},
		{system.WinVersion{Major: 6, Minor: 1, Build: 7600}, "Service Pack 1"},
		{system.WinVersion{Major: 6, Minor: 0, Build: 6002}, "XP, Vista"},
		{system.WinVersion{Major: 5, Minor: 1, Build: 2600}, "XP, Vista"},
	} {
		deps, reg := tls12Deps(t, tc.v)
		orig := tls12State(reg)
		deps.elevated = func() bool { return false }
		code, out, errOut := runFixTest(t, deps, "--enable-tls12", "--lang", "en")
		if code != ExitProblems || !strings.Contains(errOut, tc.want) || strings.Count(errOut, "\n") != 1 || tls12State(reg) != orig {
			t.Errorf("%+v: exit %d\n%s%s", tc.v, code, out, errOut)
		}
	}
	deps := fixDepsFor(t.TempDir())
	code, _, errOut := runFixTest(t, deps, "--enable-tls12", "--lang", "en")
	if code != ExitUsage || !strings.Contains(errOut, "only for Windows") {
		t.Fatalf("linux: exit %d %s", code, errOut)
	}
	for _, args := range [][]string{{"--enable-tls12", mario}, {"--enable-tls12", "--apply", mario}, {"--enable-tls12", "--undo", "--dry-run"}} {
		if code, _, _ := runFixTest(t, deps, args...); code != ExitUsage {
			t.Errorf("%q: exit %d", args, code)
		}
	}
}
