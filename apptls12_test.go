package main

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/detect/system"
	"maildoctor.app/maildoctor/fix/advise"
	"maildoctor.app/maildoctor/fix/apply"
	"maildoctor.app/maildoctor/fix/plan"
)

// fixtureRegistry is a writable registry holding one of the .reg files
// the Outlook detector's tests read (Outlook 2010 as regedit exports it).
func fixtureRegistry(t *testing.T, name string) *apply.MemRegistry {
	t.Helper()
	data, err := os.ReadFile("detect/clients/outlook/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	mem, err := system.ParseReg(data)
	if err != nil {
		t.Fatal(err)
	}
	return &apply.MemRegistry{MemRegistry: mem}
}

// dump is every value under a hive as text.
func dump(reg system.Registry, root system.Root) string {
	var b strings.Builder
	var walk func(path string)
	walk = func(path string) {
		names, _ := reg.ValueNames(root, path)
		for _, n := range names {
			v, _ := reg.Value(root, path, n)
			b.WriteString(path + " " + system.FormatReg(n, v) + "\n")
		}
		subs, _ := reg.SubKeys(root, path)
		for _, s := range subs {
			if path != "" {
				s = path + `\` + s
			}
			walk(s)
		}
	}
	walk("")
	return b.String()
}

// The app's own services, on a Windows 7 whose registry is a writable
// fake: the Outlook 2010 account is found, fixed, and the app's Undo puts
// the key back from the registry backup alone, exactly; Undo waits while
// OUTLOOK.EXE runs; both the change and the copy from before the undo are
// in the manifest.
func TestAppUndoOutlookFromRegistryBackup(t *testing.T) {
	reg := fixtureRegistry(t, "outlook2010.reg")
	orig := dump(reg, system.CurrentUser)
	var running []string
	builtin, err := discover.BuiltinProfile()
	if err != nil {
		t.Fatal(err)
	}
	h := &hostServices{
		platform: &system.Platform{GOOS: "windows", Registry: reg, FS: system.DirFS(t.TempDir()), Home: t.TempDir(),
			Getenv: func(string) string { return "" },
			WindowsVersion: func() (system.WinVersion, error) {
				return system.WinVersion{Major: 6, Minor: 1, Build: 7601}, nil
			},
			Processes: func() ([]system.Process, error) {
				ps := []system.Process{{PID: 4, Name: "explorer.exe"}}
				for i, n := range running {
					ps = append(ps, system.Process{PID: 100 + i, Name: n})
				}
				return ps, nil
			}},
		profiles: []*discover.Profile{builtin}, registry: reg, backupDir: t.TempDir(),
	}
	rep, err := h.computer(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var req advise.Request
	for i := range rep.Clients {
		for j := range rep.Clients[i].Accounts {
			if a := &rep.Clients[i].Accounts[j]; a.Email == "mario.rossi@maildoctor.example" {
				req = advise.Request{Email: a.Email, System: rep.OS, Client: &rep.Clients[i], Account: a}
			}
		}
	}
	if req.Account == nil {
		t.Fatalf("the Outlook account was not found: %+v", rep.Clients)
	}
	p, err := h.plan(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if p.Card != plan.Outlook2010 || p.Status != plan.StatusChange {
		t.Fatalf("plan: card %s status %s", p.Card, p.Status)
	}
	if st := h.UndoState(p); st.CanUndo || st.Running {
		t.Fatalf("before the fix: %+v", st)
	}
	res, err := h.Apply(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Changes) == 0 || dump(reg, system.CurrentUser) == orig {
		t.Fatalf("nothing changed: %+v", res)
	}
	running = []string{"OUTLOOK.EXE"}
	if st := h.UndoState(p); !st.CanUndo || !st.Running {
		t.Fatalf("after the fix, Outlook open: %+v", st)
	}
	if _, err := h.Undo(p); !errors.As(err, new(*apply.RunningError)) {
		t.Fatalf("undo while Outlook runs: %v", err)
	}
	running = nil
	if _, err := h.Undo(p); err != nil {
		t.Fatal(err)
	}
	if got := dump(reg, system.CurrentUser); got != orig {
		t.Fatalf("the key is not back exactly:\n%s\nwant\n%s", got, orig)
	}
	if st := h.UndoState(p); st.CanUndo {
		t.Fatalf("after the undo: %+v", st)
	}
	list, err := apply.Backups(h.applyOptions())
	if err != nil || len(list) != 2 || list[0].Undone == nil || list[1].What != apply.WhatBeforeUndo || list[0].Client != "outlook" {
		t.Fatalf("manifest %+v %v", list, err)
	}
}

// The app's "Switch on TLS 1.2" on Windows 7 with TLS 1.2 off: the
// state says it applies; a No at Windows' question changes nothing; a Yes
// (the elevated half run with the rights) switches it on and the undo
// puts back exactly what was there.
func TestAppSwitchTLS12(t *testing.T) {
	reg := fixtureRegistry(t, "schannel-tls12-off.reg")
	orig := dump(reg, system.LocalMachine)
	answer := "no"
	var started [][]string
	h := &hostServices{
		platform: &system.Platform{GOOS: "windows", Registry: reg,
			WindowsVersion: func() (system.WinVersion, error) {
				return system.WinVersion{Major: 6, Minor: 1, Build: 7601}, nil
			}},
		registry: reg, backupDir: t.TempDir(),
	}
	h.elevation = apply.Elevation{
		IsElevated: func() bool { return false },
		Run: func(args []string) (int, error) {
			started = append(started, args)
			if answer == "no" {
				return 0, apply.ErrElevationCancelled
			}
			opt := h.applyOptions()
			var err error
			if args[2] == "--undo" {
				_, err = apply.UndoTLS12(opt)
			} else {
				_, err = apply.EnableTLS12(opt)
			}
			if err != nil {
				return 1, nil
			}
			return 0, nil
		},
	}
	if st := h.TLS12State(); !st.Applies || st.CanUndo {
		t.Fatalf("state %+v", st)
	}
	if _, err := h.SwitchTLS12(false, "it"); !errors.Is(err, apply.ErrElevationCancelled) || dump(reg, system.LocalMachine) != orig {
		t.Fatalf("No: %v", err)
	}
	answer = "yes"
	out, err := h.SwitchTLS12(false, "it")
	if err != nil || !out.Elevated {
		t.Fatalf("Yes: %+v %v", out, err)
	}
	if st := h.TLS12State(); !st.CanUndo {
		t.Fatalf("state after the switch %+v", st)
	}
	if _, err := h.SwitchTLS12(true, "it"); err != nil {
		t.Fatal(err)
	}
	if dump(reg, system.LocalMachine) != orig {
		t.Fatal("the undo did not put the keys back exactly")
	}
	if len(started) != 3 || strings.Join(started[2], " ") != "fix --enable-tls12 --undo --backups "+h.backupDir+" --lang it" {
		t.Fatalf("started %q", started)
	}
}
