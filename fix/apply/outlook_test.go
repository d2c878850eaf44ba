package apply

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/detect/clients/outlook"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/detect/system"
	"maildoctor.app/maildoctor/fix/plan"
)

const outlookFixtures = "../../detect/clients/outlook/testdata/"

// fixtureRegistry loads a .reg fixture of detect/clients/outlook (the
// same files scripts/test-wine.sh imports into Wine).
func fixtureRegistry(t *testing.T, name string) *MemRegistry {
	t.Helper()
	data, err := os.ReadFile(outlookFixtures + name)
	if err != nil {
		t.Fatal(err)
	}
	m, err := system.ParseReg(data)
	if err != nil {
		t.Fatal(err)
	}
	return &MemRegistry{MemRegistry: m}
}

// outlookAccount detects the account of email as "maildoctor detect" does.
func outlookAccount(t *testing.T, reg system.Registry, email string) (clients.Client, clients.Account) {
	t.Helper()
	for _, c := range outlook.Detect(&system.Platform{Registry: reg, FS: system.DirFS(t.TempDir()), Getenv: func(string) string { return "" }}) {
		for _, a := range c.Accounts {
			if a.Email == email {
				return c, a
			}
		}
	}
	t.Fatalf("no Outlook account for %s", email)
	return clients.Client{}, clients.Account{}
}

func outlookPlan(t *testing.T, c clients.Client, a clients.Account) *plan.Plan {
	t.Helper()
	p, err := plan.Build(plan.Input{Email: a.Email, Servers: servers(t, a.Email), Client: &c, Account: &a})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// keyDump is every value of every key under a root, as text.
func keyDump(t *testing.T, reg system.Registry, root system.Root, path string) map[string]string {
	t.Helper()
	out := map[string]string{}
	var walk func(p string)
	walk = func(p string) {
		k, err := snapshotKey(reg, root, p)
		if err != nil {
			t.Fatal(err)
		}
		for n, v := range k.Values {
			out[p+"|"+strings.ToLower(n)] = formatExact(n, v)
		}
		subs, _ := reg.SubKeys(root, p)
		for _, s := range subs {
			walk(p + `\` + s)
		}
	}
	walk(path)
	return out
}

func diffDumps(a, b map[string]string) []string {
	var out []string
	for k, v := range a {
		if b[k] != v {
			out = append(out, k+": "+v+" -> "+b[k])
		}
	}
	for k, v := range b {
		if _, ok := a[k]; !ok {
			out = append(out, k+": (none) -> "+v)
		}
	}
	return out
}

func TestOutlookApplyAndUndo(t *testing.T) {
	for _, tc := range []struct {
		fixture, email string
		card           plan.Card
		in             server.Protocol
		wantChanged    int
		setup          func(*MemRegistry)
	}{
		{"outlook2010.reg", "mario.rossi@maildoctor.example", plan.Outlook2010, server.IMAP, 4, nil},
		{"outlook2016.reg", "anna.bianchi@maildoctor.example", plan.Outlook2016, server.IMAP, 2, nil},
		{"outlook2010.reg", "casa@maildoctor.example", plan.Outlook2010, server.POP3, 6, func(m *MemRegistry) {
			// The fixture's POP3 account, moved to the provider of the
			// built-in profile (no SMTP Port: Outlook's default 25).
			const k = `Software\Microsoft\Windows NT\CurrentVersion\Windows Messaging Subsystem\Profiles\Casa\9375CFF0413111d3B88A00104B2A6676\00000001`
			m.Set(system.CurrentUser, k, "SMTP Email Address", system.Binary16("casa@maildoctor.example"))
		}},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			reg := fixtureRegistry(t, tc.fixture)
			if tc.setup != nil {
				tc.setup(reg)
			}
			const root = `Software\Microsoft`
			orig := keyDump(t, reg, system.CurrentUser, root)
			c, a := outlookAccount(t, reg, tc.email)
			p := outlookPlan(t, c, a)
			if p.Card != tc.card {
				t.Fatalf("card %s, want %s", p.Card, tc.card)
			}
			if !Handles(p.Card) {
				t.Fatal("Handles = false")
			}
			opt := Options{Processes: procs("explorer.exe"), Now: clock, Registry: reg, BackupDir: t.TempDir()}
			res, err := Plan(p, opt)
			if p.Status != plan.StatusChange {
				if !errors.Is(err, ErrNotAutomatic) {
					t.Fatalf("status %s: %v", p.Status, err)
				}
				t.Skipf("status %s: nothing to change", p.Status)
			}
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("changes %+v backup %s", res.Changes, res.Backup)
			if res.File != a.Source || res.Backup == "" {
				t.Fatalf("result %+v", res)
			}
			_, after := outlookAccount(t, reg, tc.email)
			if after.Incoming.Port != server.DefaultPort(tc.in, server.TLS) || after.Incoming.Protocol != tc.in || after.Incoming.Security != server.TLS ||
				after.Outgoing.Port != 465 || after.Outgoing.Security != server.TLS {
				t.Fatalf("after the change: in %+v out %+v", after.Incoming, after.Outgoing)
			}
			d := diffDumps(orig, keyDump(t, reg, system.CurrentUser, root))
			if len(d) != len(res.Changes) || len(d) != tc.wantChanged {
				t.Fatalf("%d values changed, %d reported, want %d:\n%s", len(d), len(res.Changes), tc.wantChanged, strings.Join(d, "\n"))
			}
			// A second apply has nothing to do.
			if res2, err := Plan(outlookPlan(t, c, after), opt); err == nil && len(res2.Changes) != 0 {
				t.Fatalf("second apply: %+v", res2.Changes)
			}
			if b, err := LatestBackup(p.Card, a, opt); err != nil || b != res.Backup {
				t.Fatalf("LatestBackup %q %v, want %q", b, err, res.Backup)
			}
			// Undo needs the account and the backup only.
			u, err := Undo(p.Card, a, opt)
			if err != nil {
				t.Fatal(err)
			}
			if d := diffDumps(orig, keyDump(t, reg, system.CurrentUser, root)); len(d) != 0 {
				t.Fatalf("after undo:\n%s", strings.Join(d, "\n"))
			}
			if !strings.HasSuffix(u.Restored, ".undone") || u.Saved == "" {
				t.Fatalf("undo result %+v", u)
			}
			if _, err := Undo(p.Card, a, opt); !errors.Is(err, ErrNoBackup) {
				t.Fatalf("second undo: %v", err)
			}
			if b, err := LatestBackup(p.Card, a, opt); err != nil || b != "" {
				t.Fatalf("LatestBackup after the undo %q %v", b, err)
			}
		})
	}
}

func TestOutlookRefusesWhileRunning(t *testing.T) {
	reg := fixtureRegistry(t, "outlook2010.reg")
	orig := keyDump(t, reg, system.CurrentUser, `Software`)
	c, a := outlookAccount(t, reg, "mario.rossi@maildoctor.example")
	p := outlookPlan(t, c, a)
	dir := t.TempDir()
	for _, pr := range []func() ([]system.Process, error){procs("OUTLOOK.EXE"), nil} {
		_, err := Plan(p, Options{Processes: pr, Now: clock, Registry: reg, BackupDir: dir})
		var running *RunningError
		if !errors.As(err, &running) && !errors.Is(err, ErrUnknownRunning) {
			t.Fatalf("err %v", err)
		}
	}
	if d := diffDumps(orig, keyDump(t, reg, system.CurrentUser, `Software`)); len(d) != 0 {
		t.Fatal(d)
	}
	if names, _ := filepath.Glob(filepath.Join(dir, "*")); len(names) != 0 {
		t.Fatalf("backups written: %v", names)
	}
}

// A write refused half way (a read-only key) puts back what was written.
func TestOutlookWriteFailureRestores(t *testing.T) {
	reg := fixtureRegistry(t, "outlook2010.reg")
	orig := keyDump(t, reg, system.CurrentUser, `Software`)
	c, a := outlookAccount(t, reg, "mario.rossi@maildoctor.example")
	p := outlookPlan(t, c, a)
	n := 0
	reg.Fail = func(op string, _ system.Root, _, name string) error {
		if op == "set" {
			n++
			if n == 3 {
				return errors.New("Access is denied.")
			}
		}
		return nil
	}
	opt := Options{Processes: procs(), Now: clock, Registry: reg, BackupDir: t.TempDir()}
	_, err := Plan(p, opt)
	var we *WriteError
	if !errors.As(err, &we) {
		t.Fatalf("err %v", err)
	}
	if d := diffDumps(orig, keyDump(t, reg, system.CurrentUser, `Software`)); len(d) != 0 {
		t.Fatalf("key changed: %v", d)
	}
	// Nothing changed, so there is nothing to undo: the app must not
	// offer Undo for a change that did not happen.
	if b, err := LatestBackup(p.Card, a, opt); err != nil || b != "" {
		t.Fatalf("a backup of a change that failed is left to undo: %q %v", b, err)
	}
	if list, err := Backups(opt); err != nil || len(list) != 0 {
		t.Fatalf("manifest after a failed change: %+v %v", list, err)
	}
}

// A key that is not an Outlook account key is never changed.
func TestOutlookKeyCheck(t *testing.T) {
	for _, src := range []string{"", `HKEY_CURRENT_USER\Software\Other\9375CFF0413111d3B88A00104B2A6676\1`,
		`HKEY_LOCAL_MACHINE\Software\Microsoft\Office\16.0\Outlook\Profiles\P\9375CFF0413111d3B88A00104B2A6676\1`,
		`HKEY_CURRENT_USER\Software\Microsoft\Office\16.0\Outlook\Profiles\P\9375CFF0413111d3B88A00104B2A6676\`} {
		if _, _, err := outlookKey(clients.Account{Source: src}); !errors.Is(err, ErrNotAutomatic) {
			t.Errorf("%q: %v", src, err)
		}
	}
}

// The backup format gives every value back exactly, odd strings too.
func TestRegBackupRoundTrip(t *testing.T) {
	k := regKey{Root: system.CurrentUser, Path: `Software\X\"q"\y`, Values: map[string]system.Value{
		"a":         system.SZ(`C:\path "x"`),
		"no-nul":    {Type: system.RegSZ, Data: []byte{'a', 0}},
		"nul-in":    {Type: system.RegSZ, Data: system.EncodeString("a\x00b")},
		"lines":     system.SZ("a\r\nb"),
		"bin":       system.Binary16("imap.example"),
		"empty":     {Type: system.RegBinary, Data: []byte{}},
		"d":         system.DWORD(0xffffffff),
		"q":         {Type: system.RegQWORD, Data: []byte{1, 2, 3, 4, 5, 6, 7, 8}},
		"":          system.SZ("default"),
		`we"ird\`:   system.DWORD(1),
		"multi":     {Type: system.RegMultiSZ, Data: system.EncodeString("a\x00b\x00")},
		"expand":    {Type: system.RegExpandSZ, Data: system.EncodeString("%APPDATA%")},
		"Mixed Cap": system.DWORD(2),
	}}
	gone := regKey{Root: system.LocalMachine, Path: `SYSTEM\T`, Absent: true, Values: map[string]system.Value{}}
	back, err := parseRegBackup(formatRegBackup("x\ny", []regKey{k, gone}))
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != 2 || !back[1].Absent || back[1].full() != gone.full() {
		t.Fatalf("%+v", back)
	}
	if err := sameValues(k, back[0]); err != nil {
		t.Fatal(err)
	}
}
