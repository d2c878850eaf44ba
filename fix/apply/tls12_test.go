package apply

import (
	"errors"
	"strings"
	"testing"

	"maildoctor.app/maildoctor/detect/system"
)

func TestTLS12EnableAndUndo(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(*MemRegistry)
	}{
		{"tls12-off", func(m *MemRegistry) {
			*m = *fixtureRegistry(t, "schannel-tls12-off.reg")
			m.Set(system.LocalMachine, `SOFTWARE\Microsoft\Windows\CurrentVersion\Internet Settings\WinHttp`, "Other", system.SZ("kept"))
			m.Set(system.LocalMachine, `SOFTWARE\Wow6432Node\Microsoft`, "x", system.DWORD(1))
		}},
		{"nothing there", func(m *MemRegistry) {
			m.Set(system.LocalMachine, `SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL`, "EventLogging", system.DWORD(1))
			m.Set(system.LocalMachine, `SOFTWARE\Microsoft\Windows\CurrentVersion`, "ProgramFilesDir", system.SZ(`C:\Program Files`))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reg := NewMemRegistry()
			tc.setup(reg)
			before := map[system.Root]map[string]string{}
			for _, r := range []system.Root{system.LocalMachine} {
				before[r] = keyDump(t, reg, r, "")
			}
			opt := Options{Now: clock, Registry: reg, BackupDir: t.TempDir()}
			res, err := EnableTLS12(opt)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%d changes, backup %s", len(res.Changes), res.Backup)
			v := system.WinVersion{Major: 6, Minor: 1, Build: 7601}
			info := system.Detect(&system.Platform{GOOS: "windows", Registry: reg, WindowsVersion: func() (system.WinVersion, error) { return v, nil }})
			if got := info.TLS.Get("1.2"); got != system.Default {
				t.Fatalf("TLS 1.2 %s after the switch", got)
			}
			if res2, err := EnableTLS12(opt); err != nil || len(res2.Changes) != 0 {
				t.Fatalf("second run: %+v %v", res2, err)
			}
			if _, err := UndoTLS12(opt); err != nil {
				t.Fatal(err)
			}
			if d := diffDumps(before[system.LocalMachine], keyDump(t, reg, system.LocalMachine, "")); len(d) != 0 {
				t.Fatalf("after undo:\n%s", strings.Join(d, "\n"))
			}
			for _, k := range tls12Keys(reg) {
				if tc.name == "nothing there" && system.RegKeyExists(reg, system.LocalMachine, k.path) {
					t.Errorf("%s still exists", k.path)
				}
			}
			if _, err := UndoTLS12(opt); !errors.Is(err, ErrNoBackup) {
				t.Fatalf("second undo: %v", err)
			}
		})
	}
}

func TestTLS12WriteRefused(t *testing.T) {
	reg := fixtureRegistry(t, "schannel-tls12-off.reg")
	before := keyDump(t, reg, system.LocalMachine, "")
	n := 0
	reg.Fail = func(op string, _ system.Root, path, _ string) error {
		if op == "set" {
			if n++; n == 3 {
				return errors.New("Access is denied.")
			}
		}
		return nil
	}
	_, err := EnableTLS12(Options{Now: clock, Registry: reg, BackupDir: t.TempDir()})
	var we *WriteError
	if !errors.As(err, &we) {
		t.Fatalf("err %v", err)
	}
	if d := diffDumps(before, keyDump(t, reg, system.LocalMachine, "")); len(d) != 0 {
		t.Fatalf("changed: %v", d)
	}
}

func TestTLS12Applies(t *testing.T) {
	for _, tc := range []struct {
		v  system.WinVersion
		ok bool
	}{
		{system.WinVersion{Major: 5, Minor: 1, Build: 2600}, false},
		{system.WinVersion{Major: 6, Minor: 0, Build: 6002}, false},
		{system.WinVersion{Major: 6, Minor: 1, Build: 7600}, false},
		{system.WinVersion{Major: 6, Minor: 1, Build: 7601}, true},
		{system.WinVersion{Major: 6, Minor: 2, Build: 9200}, true},
		{system.WinVersion{Major: 6, Minor: 3, Build: 9600}, false},
		{system.WinVersion{Major: 10, Build: 19045}, false},
	} {
		if err := TLS12Applies(tc.v); (err == nil) != tc.ok {
			t.Errorf("%+v: %v", tc.v, err)
		}
	}
}
