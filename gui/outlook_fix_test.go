package gui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2/test"

	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/detect/clients/scan"
	"maildoctor.app/maildoctor/detect/system"
)

// outlookComputer is Windows 7 SP1 (TLS 1.2 already switched on) with
// Outlook 2010 holding m's mario account in its registry profile.
func outlookComputer(m *machine) func(context.Context) (*scan.Report, error) {
	return func(context.Context) (*scan.Report, error) {
		m.mu.Lock()
		defer m.mu.Unlock()
		mario := m.mario
		in, out := *mario.Incoming, *mario.Outgoing
		mario.Incoming, mario.Outgoing = &in, &out
		mario.Profile = ""
		mario.Source = `HKEY_CURRENT_USER\Software\Microsoft\Windows NT\CurrentVersion\Windows Messaging Subsystem\Profiles\Outlook\9375CFF0413111d3B88A00104B2A6676\00000002`
		ol := clients.Client{ID: "outlook", Name: "Microsoft Outlook 2010", Version: "14.0.7268.5000", Accounts: []clients.Account{mario}}
		clients.Assess(&ol, nil)
		return &scan.Report{
			OS: &system.Info{Family: "windows", Name: "Windows 7", Version: "6.1", Build: "7601",
				TLS: system.TLS{V10: system.Default, V11: system.Default, V12: system.Default, V13: system.No}},
			Clients: []clients.Client{ol},
		}, nil
	}
}

// An Outlook account gets "Fix it for me" (fix/apply changes its
// registry key), and Undo follows the Fixer's undo state.
func TestOutlookAccountOffersAutomaticFix(t *testing.T) {
	m := newMachine()
	fx := &fakeFixer{m: m}
	fc := &fakeCheck{report: failingReport()}
	u, _ := startUI(t, Deps{Check: fc.run, Computer: outlookComputer(m), Plan: fakePlan, Fixer: fx, Lang: "it"})

	what := findButton(u.computerScreen.body, "Cosa fare")
	if what == nil {
		t.Fatalf("no \"Cosa fare\" for the Outlook account: %v", allText(u.computerScreen.body))
	}
	test.Tap(what)
	settle(u)
	texts := allText(u.fix.body)
	fix := findButton(u.fix.body, "Correggi per me")
	if fix == nil || fix.Disabled() {
		t.Fatalf("no enabled \"Correggi per me\" for Outlook 2010: %v", texts)
	}
	if !contains(texts, "premi «Correggi per me» qui sopra") {
		t.Errorf("the plan does not point to the button: %v", texts)
	}
	undo := findButton(u.fix.body, "Annulla la modifica")
	if undo == nil || !undo.Disabled() {
		t.Fatal("Undo is enabled with nothing to undo")
	}
	test.Tap(fix)
	confirmTop(t, u, "Correggi per me")
	settle(u)
	if fx.applied != 1 {
		t.Fatalf("applied %d times", fx.applied)
	}
	if undo = findButton(u.fix.body, "Annulla la modifica"); undo == nil || undo.Disabled() {
		t.Fatalf("Undo is not enabled after the fix: %v", allText(u.fix.body))
	}
}
