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
	opt := Options{Now: clock, Registry: reg, BackupDir: t.TempDir()}
	_, err := EnableTLS12(opt)
	var we *WriteError
	if !errors.As(err, &we) {
		t.Fatalf("err %v", err)
	}
	if b, err := LatestTLS12Backup(opt); err != nil || b != "" {
		t.Fatalf("a backup of a switch that failed is left to undo: %q %v", b, err)
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

// SwitchTLS12 without the rights starts the elevated copy with the
// arguments of the command line and reads the keys again after it; a No
// at Windows' question changes nothing; a copy that says it succeeded but
// left the keys off is caught.
func TestSwitchTLS12Elevation(t *testing.T) {
	no := func() bool { return false }
	for _, tc := range []struct {
		name    string
		undo    bool
		child   func(reg *MemRegistry, opt Options) (int, error)
		wantErr func(error) bool
		want    []string
	}{
		{"yes", false, func(reg *MemRegistry, opt Options) (int, error) {
			_, err := EnableTLS12(opt)
			return 0, err
		}, nil, []string{"fix", "--enable-tls12", "--lang", "it"}},
		{"no at the question", false, func(*MemRegistry, Options) (int, error) { return 0, ErrElevationCancelled },
			func(err error) bool { return errors.Is(err, ErrElevationCancelled) }, []string{"fix", "--enable-tls12", "--lang", "it"}},
		{"child lies", false, func(*MemRegistry, Options) (int, error) { return 0, nil },
			func(err error) bool { return errors.As(err, new(*WriteError)) }, []string{"fix", "--enable-tls12", "--lang", "it"}},
		{"child fails", false, func(*MemRegistry, Options) (int, error) { return 1, nil },
			func(err error) bool { var e *ElevatedError; return errors.As(err, &e) && e.Code == 1 }, []string{"fix", "--enable-tls12", "--lang", "it"}},
		{"undo, nothing to undo", true, func(*MemRegistry, Options) (int, error) { return 2, nil },
			func(err error) bool { return errors.Is(err, ErrNoBackup) }, []string{"fix", "--enable-tls12", "--undo", "--lang", "it"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reg := fixtureRegistry(t, "schannel-tls12-off.reg")
			before := keyDump(t, reg, system.LocalMachine, "")
			opt := Options{Now: clock, Registry: reg, BackupDir: t.TempDir()}
			var got []string
			out, err := SwitchTLS12(opt, Elevation{IsElevated: no, Run: func(args []string) (int, error) {
				got = args
				return tc.child(reg, opt)
			}}, tc.undo, "it")
			tc.want = append(tc.want[:len(tc.want)-2:len(tc.want)-2], "--backups", opt.BackupDir, "--lang", "it")
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("elevated copy started with %q, want %q", got, tc.want)
			}
			if tc.wantErr != nil {
				if !tc.wantErr(err) {
					t.Fatalf("err %v", err)
				}
				if d := diffDumps(before, keyDump(t, reg, system.LocalMachine, "")); len(d) != 0 {
					t.Fatalf("changed: %v", d)
				}
				return
			}
			if err != nil || !out.Elevated || out.Result == nil || len(out.Result.Changes) != 0 {
				t.Fatalf("outcome %+v %v", out, err)
			}
		})
	}
	// Already on: no question is asked at all.
	reg := fixtureRegistry(t, "schannel-tls12-off.reg")
	if _, err := EnableTLS12(Options{Registry: reg, BackupDir: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	asked := false
	out, err := SwitchTLS12(Options{Registry: reg, BackupDir: t.TempDir()}, Elevation{IsElevated: no, Run: func([]string) (int, error) {
		asked = true
		return 0, nil
	}}, false, "")
	if err != nil || asked || out.Elevated || len(out.Result.Changes) != 0 {
		t.Fatalf("already on: %+v %v asked=%v", out, err, asked)
	}
}
