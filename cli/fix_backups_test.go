package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"maildoctor.app/maildoctor/fix/apply"
)

// TestMain keeps the backups folder of the fix tests that name none (the
// user's configuration folder on Linux) out of the real home. On Windows
// (under Wine) %APPDATA% stays: detection reads it, and those tests name
// their backups folder.
func TestMain(m *testing.M) {
	if runtime.GOOS != "windows" {
		dir, err := os.MkdirTemp("", "maildoctor-cli-config")
		if err != nil {
			panic(err)
		}
		os.Setenv("XDG_CONFIG_HOME", dir)
		code := m.Run()
		os.RemoveAll(dir)
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// "fix --undo --list" shows every backup from the manifest, plain and
// translated or as JSON; "--undo --entry N" puts back that one, byte for
// byte, with nothing but the backup; a number not in the list is exit 2.
func TestFixUndoListAndEntry(t *testing.T) {
	home, prefs, orig := fixHome(t)
	deps := fixDepsFor(home)
	deps.backupDir = t.TempDir()

	code, out, errOut := runFixTest(t, deps, "--undo", "--list", "--lang", "en")
	if code != ExitOK || !strings.Contains(out, "not saved any backup") {
		t.Fatalf("empty list: exit %d\n%s%s", code, out, errOut)
	}
	if code, _, errOut = runFixTest(t, deps, "--apply", mario); code != ExitOK {
		t.Fatalf("apply: exit %d %s", code, errOut)
	}
	changed, _ := os.ReadFile(prefs)
	if code, _, errOut = runFixTest(t, deps, "--apply", "luca.verdi@maildoctor.example"); code != ExitOK {
		t.Fatalf("apply claws: exit %d %s", code, errOut)
	}

	code, out, errOut = runFixTest(t, deps, "--undo", "--list", "--lang", "it")
	if code != ExitOK {
		t.Fatalf("list: exit %d %s", code, errOut)
	}
	t.Logf("list:\n%s", out)
	for _, want := range []string{
		"1. ", "Thunderbird (" + mario + "): " + prefs + " com'era prima della modifica (4 impostazioni)",
		"2. ", "Claws Mail (luca.verdi@maildoctor.example)", "salvata in " + prefs + ".maildoctor-20261122-090000.bak",
		"fix --undo --entry NUMERO",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the list lacks %q", want)
		}
	}

	code, out, _ = runFixTest(t, deps, "--undo", "--entry", "1", "--lang", "en")
	if code != ExitOK || !strings.Contains(out, "restored from") {
		t.Fatalf("undo entry 1: exit %d\n%s", code, out)
	}
	if now, _ := os.ReadFile(prefs); !bytes.Equal(now, orig) {
		t.Fatal("--undo --entry 1 did not put prefs.js back byte for byte")
	}
	code, out, _ = runFixTest(t, deps, "--undo", "--list", "--json")
	var list struct {
		Backups []apply.Entry `json:"backups"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil || code != ExitOK || len(list.Backups) != 3 {
		t.Fatalf("list JSON: exit %d %v\n%s", code, err, out)
	}
	if b := list.Backups; b[0].Undone == nil || b[1].Undone != nil || b[2].What != apply.WhatBeforeUndo || b[2].Target != prefs {
		t.Fatalf("after the undo: %+v", b)
	}
	// The undo itself can be undone: the copy from before it, by number.
	if code, _, errOut = runFixTest(t, deps, "--undo", "--entry", "3"); code != ExitOK {
		t.Fatalf("undo entry 3: exit %d %s", code, errOut)
	}
	if now, _ := os.ReadFile(prefs); !bytes.Equal(now, changed) {
		t.Fatal("undoing the undo did not bring the change back")
	}
	if code, _, errOut = runFixTest(t, deps, "--undo", "--entry", "1", "--lang", "en"); code != ExitProblems || !strings.Contains(errOut, "already been put back") {
		t.Errorf("entry 1 again: exit %d %q", code, errOut)
	}
	if code, _, errOut = runFixTest(t, deps, "--undo", "--entry", "42", "--lang", "en"); code != ExitUsage || !strings.Contains(errOut, "no backup with that number") {
		t.Errorf("entry 42: exit %d %q", code, errOut)
	}
	for _, args := range [][]string{{"--list"}, {"--undo", "--list", mario}, {"--entry", "1"}, {"--undo", "--list", "--entry", "1"}, {"--undo", "--entry", "-1"}, {"--enable-tls12", "--undo", "--list"}} {
		if code, _, _ := runFixTest(t, deps, args...); code != ExitUsage {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
	}
}

// While another Mail Doctor holds the lock (the app, here its lock file),
// the command line changes nothing: one translated line, exit 1.
func TestFixBusyWhileAnotherChanges(t *testing.T) {
	home, prefs, orig := fixHome(t)
	deps := fixDepsFor(home)
	deps.backupDir = t.TempDir()
	if err := os.WriteFile(filepath.Join(deps.backupDir, "maildoctor.lock"), []byte("4242\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"--apply", mario}, {"--undo", mario}} {
		code, _, errOut := runFixTest(t, deps, append(args, "--lang", "it")...)
		if code != ExitProblems || !strings.Contains(errOut, "Un altro Mail Doctor") || !strings.Contains(errOut, "4242") || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%q: exit %d %q", args, code, errOut)
		}
	}
	if now, _ := os.ReadFile(prefs); !bytes.Equal(now, orig) {
		t.Fatal("prefs.js changed while another Mail Doctor held the lock")
	}
}

// A backup of HKEY_LOCAL_MACHINE (the TLS 1.2 switch) undone by number
// without the rights asks Windows for them, as --enable-tls12 does.
func TestFixUndoEntryElevates(t *testing.T) {
	deps, reg := tls12Deps(t, win7SP1)
	orig := tls12State(reg)
	if code, _, errOut := runFixTest(t, deps, "--enable-tls12"); code != ExitOK {
		t.Fatalf("enable: exit %d %s", code, errOut)
	}
	deps.elevated = func() bool { return false }
	var got []string
	deps.runElevated = func(args []string) (int, error) {
		got = args
		child := deps
		child.elevated = func() bool { return true }
		child.backupDir = t.TempDir() // another administrator's own folder
		code, _, _ := runFixTest(t, child, args[1:]...)
		return code, nil
	}
	code, out, errOut := runFixTest(t, deps, "--undo", "--entry", "1", "--lang", "en")
	if code != ExitOK || tls12State(reg) != orig || !strings.Contains(out, "back as they were") {
		t.Fatalf("undo entry: exit %d\n%s%s", code, out, errOut)
	}
	if strings.Join(got, " ") != "fix --undo --entry 1 --backups "+deps.backupDir+" --lang en" {
		t.Fatalf("started %q", got)
	}
}
