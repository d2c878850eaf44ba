package apply

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/detect/system"
	"maildoctor.app/maildoctor/fix/plan"
)

// TestMain keeps the backups folder of tests that do not name one (the
// user's configuration folder) out of the real home.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "maildoctor-apply-config")
	if err != nil {
		panic(err)
	}
	for _, v := range []string{"XDG_CONFIG_HOME", "HOME", "APPDATA"} {
		os.Setenv(v, dir)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// Every backup (a Thunderbird file, an Outlook key, the TLS 1.2 keys, and
// the copies saved before an undo) is in the manifest, and an undo by
// entry puts back exactly that backup: two applies in a row keep both, and
// the older one can be put back by its number.
func TestManifestRecordsAndUndoByEntry(t *testing.T) {
	backups := t.TempDir()
	dir, orig := profile(t, realPrefs)
	a := account(t, dir, "mario.rossi@maildoctor.example")
	opt := Options{Processes: procs(), Now: clock, BackupDir: backups}
	res, err := Plan(makePlan(t, clients.Thunderbird, a), opt)
	if err != nil {
		t.Fatal(err)
	}
	changed, err := os.ReadFile(filepath.Join(dir, "prefs.js"))
	if err != nil {
		t.Fatal(err)
	}

	reg := fixtureRegistry(t, "outlook2010.reg")
	c, oa := outlookAccount(t, reg, "mario.rossi@maildoctor.example")
	ropt := Options{Processes: procs(), Now: clock, Registry: reg, BackupDir: backups}
	ores, err := Plan(outlookPlan(t, c, oa), ropt)
	if err != nil {
		t.Fatal(err)
	}
	tres, err := EnableTLS12(Options{Now: clock, Registry: fixtureRegistry(t, "schannel-tls12-off.reg"), BackupDir: backups})
	if err != nil {
		t.Fatal(err)
	}

	list, err := Backups(opt)
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{
		{ID: 1, Client: clients.Thunderbird, Email: a.Email, Target: res.File, Backup: res.Backup, What: WhatChange, Changes: len(res.Changes)},
		{ID: 2, Client: clients.Outlook, Email: oa.Email, Target: ores.File, Backup: ores.Backup, What: WhatChange, Changes: len(ores.Changes)},
		{ID: 3, Client: ClientWindows, Target: tres.File, Backup: tres.Backup, What: WhatChange, Changes: len(tres.Changes)},
	}
	if len(list) != len(want) {
		t.Fatalf("%d entries, want %d: %+v", len(list), len(want), list)
	}
	for i, w := range want {
		g := list[i]
		if !g.Time.Equal(clock()) || g.Undone != nil {
			t.Errorf("entry %d: time %v undone %v", i, g.Time, g.Undone)
		}
		g.Time = time.Time{}
		if g != w {
			t.Errorf("entry %d:\n got %+v\nwant %+v", i, g, w)
		}
	}

	// Undo the Thunderbird change by its number: the file is back byte
	// for byte, the entry says undone, and the copy from before the undo
	// is a new entry that can itself be put back.
	u, err := UndoEntry(1, opt)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "prefs.js")); !bytes.Equal(got, orig) {
		t.Fatal("prefs.js is not back byte for byte")
	}
	if _, err := UndoEntry(1, opt); !errors.Is(err, ErrUndone) {
		t.Fatalf("second undo of entry 1: %v", err)
	}
	if _, err := UndoEntry(99, opt); !errors.Is(err, ErrNoEntry) {
		t.Fatalf("undo of entry 99: %v", err)
	}
	list, _ = Backups(opt)
	if len(list) != 4 || list[0].Undone == nil || list[0].Backup != u.Restored ||
		list[3].What != WhatBeforeUndo || list[3].Backup != u.Saved || list[3].Email != a.Email {
		t.Fatalf("after the undo: %+v", list)
	}
	if _, err := UndoEntry(4, opt); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "prefs.js")); !bytes.Equal(got, changed) {
		t.Fatal("undoing the undo did not bring the change back")
	}

	// The Outlook key by its number, while Outlook runs: refused.
	ropt.Processes = procs("OUTLOOK.EXE")
	if _, err := UndoEntry(2, ropt); !errors.As(err, new(*RunningError)) {
		t.Fatalf("undo while Outlook runs: %v", err)
	}
	ropt.Processes = procs()
	before := keyDump(t, fixtureRegistry(t, "outlook2010.reg"), system.CurrentUser, "Software")
	if _, err := UndoEntry(2, ropt); err != nil {
		t.Fatal(err)
	}
	if d := diffDumps(before, keyDump(t, reg, system.CurrentUser, "Software")); len(d) != 0 {
		t.Fatalf("Outlook key after undo by entry:\n%s", strings.Join(d, "\n"))
	}
}

// A second Mail Doctor that wants to change settings while the first one
// holds the lock changes nothing and says so; a lock left by one that died
// long ago does not block for ever.
func TestLockSerialises(t *testing.T) {
	backups := t.TempDir()
	opt := Options{Processes: procs(), Now: clock, BackupDir: backups}
	unlock, err := lock(opt)
	if err != nil {
		t.Fatal(err)
	}
	dir, orig := profile(t, realPrefs)
	a := account(t, dir, "mario.rossi@maildoctor.example")
	_, err = Plan(makePlan(t, clients.Thunderbird, a), opt)
	var busy *BusyError
	if !errors.As(err, &busy) || busy.PID != os.Getpid() {
		t.Fatalf("apply while locked: %v", err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "prefs.js")); !bytes.Equal(got, orig) {
		t.Fatal("prefs.js changed while another Mail Doctor held the lock")
	}
	if _, err := Undo(plan.Thunderbird, a, opt); !errors.As(err, &busy) {
		t.Fatalf("undo while locked: %v", err)
	}
	if _, err := EnableTLS12(Options{Registry: NewMemRegistry(), BackupDir: backups}); !errors.As(err, &busy) {
		t.Fatalf("TLS 1.2 while locked: %v", err)
	}
	if key, args, ok := Message(err, ""); !ok || key != "apply.error.busy" || args["pid"] == "" {
		t.Fatalf("Message: %q %v %v", key, args, ok)
	}
	// A dry run reads only.
	dry := opt
	dry.DryRun = true
	if _, err := Plan(makePlan(t, clients.Thunderbird, a), dry); err != nil {
		t.Fatalf("dry run while locked: %v", err)
	}
	unlock()
	if _, err := os.Stat(filepath.Join(backups, lockName)); !os.IsNotExist(err) {
		t.Fatalf("the lock is still there: %v", err)
	}

	// A stale lock (its writer died) is taken over.
	name := filepath.Join(backups, lockName)
	if err := os.WriteFile(name, []byte("99999\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(name, old, old); err != nil {
		t.Fatal(err)
	}
	if _, err := Plan(makePlan(t, clients.Thunderbird, a), opt); err != nil {
		t.Fatalf("apply after a stale lock: %v", err)
	}
}

// Every refusal has a translation key, for the app and the command line.
func TestMessageKeys(t *testing.T) {
	for _, tc := range []struct {
		err  error
		key  string
		args map[string]string
	}{
		{&RunningError{Client: "outlook"}, "apply.error.running", map[string]string{"client": "outlook"}},
		{ErrUnknownRunning, "apply.error.unknown_running", nil},
		{&WriteError{File: "/p/prefs.js", Err: errors.New("disk full")}, "apply.error.write", map[string]string{"file": "/p/prefs.js", "reason": "disk full"}},
		{&WriteError{File: `HKEY_CURRENT_USER\Software\x`, Err: errors.New("denied")}, "apply.error.write_key", map[string]string{"reason": "denied"}},
		{&WriteError{File: `HKEY_LOCAL_MACHINE\SYSTEM\x`, Err: errors.New("denied")}, "fix.tls12.failed", map[string]string{"reason": "denied"}},
		{ErrNotAutomatic, "apply.error.not_automatic", nil},
		{ErrDamaged, "apply.error.damaged", nil},
		{ErrOverridden, "apply.error.overridden", nil},
		{ErrNoBackup, "apply.error.no_backup", nil},
		{ErrNoEntry, "apply.error.no_entry", nil},
		{ErrUndone, "apply.error.undone", nil},
		{ErrElevationCancelled, "apply.error.no_admin", nil},
		{&ElevatedError{Code: 3}, "apply.error.elevated", map[string]string{"code": "3"}},
		{&TLS12NotApplicable{Code: "sp1"}, "fix.tls12.not_applicable.sp1", nil},
	} {
		key, args, ok := Message(tc.err, "")
		if !ok || key != tc.key {
			t.Errorf("%v: %q %v", tc.err, key, ok)
		}
		for k, v := range tc.args {
			if args[k] != v {
				t.Errorf("%v: %s=%q, want %q", tc.err, k, args[k], v)
			}
		}
	}
	if _, _, ok := Message(errors.New("boom"), ""); ok {
		t.Error("an internal error got a message")
	}
	if _, args, _ := Message(&RunningError{Client: "outlook"}, "Microsoft Outlook 2010"); args["client"] != "Microsoft Outlook 2010" {
		t.Errorf("client name not used: %v", args)
	}
}

// A manifest that cannot be read (cut short by a power cut, edited by
// hand) is kept aside and a new one starts: the change still happens,
// and the undo by name still finds the older backups.
func TestDamagedManifestKeptAside(t *testing.T) {
	backups := t.TempDir()
	name := filepath.Join(backups, manifestName)
	if err := os.WriteFile(name, []byte(`{"version":1,"entries":[{"id":1,`), 0o600); err != nil {
		t.Fatal(err)
	}
	dir, _ := profile(t, realPrefs)
	a := account(t, dir, "mario.rossi@maildoctor.example")
	opt := Options{Processes: procs(), Now: clock, BackupDir: backups}
	if _, err := Backups(opt); err == nil {
		t.Fatal("a damaged manifest reads without error")
	}
	if _, err := Plan(makePlan(t, clients.Thunderbird, a), opt); err != nil {
		t.Fatalf("apply with a damaged manifest: %v", err)
	}
	list, err := Backups(opt)
	if err != nil || len(list) != 1 || list[0].ID != 1 {
		t.Fatalf("new manifest %+v %v", list, err)
	}
	if _, err := os.Stat(name + ".damaged-20261122-183005"); err != nil {
		t.Fatalf("the damaged manifest was not kept aside: %v", err)
	}
}
