package gui

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2/test"

	"maildoctor.app/maildoctor/detect/clients/scan"
	"maildoctor.app/maildoctor/detect/system"
	"maildoctor.app/maildoctor/fix/apply"
)

// win7 is a Windows 7 SP1 whose SChannel keys are a registry the test
// (and fix/apply, for real) changes, with Outlook 2010 holding mario's
// account: the customer the TLS 1.2 card is for.
type win7 struct {
	m   *machine
	reg *apply.MemRegistry
	dir string

	mu sync.Mutex
	// answer is what Windows' question (UAC) gets: "yes" runs the
	// elevated half with the rights, "no" is the user's No.
	answer  string
	started [][]string
	// gate, when set, holds the elevated copy until it is closed (the
	// customer still reading Windows' question).
	gate chan struct{}
}

func newWin7(t *testing.T) *win7 {
	t.Helper()
	data, err := os.ReadFile("../detect/clients/outlook/testdata/schannel-tls12-off.reg")
	if err != nil {
		t.Fatal(err)
	}
	mem, err := system.ParseReg(data)
	if err != nil {
		t.Fatal(err)
	}
	return &win7{m: newMachine(), reg: &apply.MemRegistry{MemRegistry: mem}, dir: t.TempDir(), answer: "yes"}
}

var win7SP1 = system.WinVersion{Major: 6, Minor: 1, Build: 7601}

// computer detects the system from the registry as the app does, so the
// screen follows what the switch wrote.
func (w *win7) computer(ctx context.Context) (*scan.Report, error) {
	rep, _ := outlookComputer(w.m)(ctx)
	rep.OS = system.Detect(&system.Platform{GOOS: "windows", Registry: w.reg,
		WindowsVersion: func() (system.WinVersion, error) { return win7SP1, nil }})
	return rep, nil
}

func (w *win7) opt() apply.Options { return apply.Options{Registry: w.reg, BackupDir: w.dir} }

// The Fixer: the Outlook fix as fakeFixer does it, TLS 1.2 by fix/apply
// itself on the test's registry, with only Windows' question faked.
type win7Fixer struct {
	fakeFixer
	w *win7
}

func (f *win7Fixer) TLS12State() TLS12State {
	b, err := apply.LatestTLS12Backup(f.w.opt())
	return TLS12State{Applies: apply.TLS12Applies(win7SP1) == nil, CanUndo: err == nil && b != ""}
}

func (f *win7Fixer) SwitchTLS12(undo bool, lang string) (*apply.TLS12Outcome, error) {
	w := f.w
	return apply.SwitchTLS12(w.opt(), apply.Elevation{
		IsElevated: func() bool { return false },
		Run: func(args []string) (int, error) {
			if w.gate != nil {
				<-w.gate
			}
			w.mu.Lock()
			defer w.mu.Unlock()
			w.started = append(w.started, args)
			if w.answer == "no" {
				return 0, apply.ErrElevationCancelled
			}
			var err error
			if undo {
				_, err = apply.UndoTLS12(w.opt())
			} else {
				_, err = apply.EnableTLS12(w.opt())
			}
			if err != nil {
				return 1, nil
			}
			return 0, nil
		},
	}, undo, lang)
}

func tls12On(w *win7) bool {
	return system.Detect(&system.Platform{GOOS: "windows", Registry: w.reg,
		WindowsVersion: func() (system.WinVersion, error) { return win7SP1, nil }}).TLS.V12 == system.Default
}

func indexOf(list []string, prefix string) int {
	for i, s := range list {
		if strings.HasPrefix(s, prefix) {
			return i
		}
	}
	return -1
}

// A Windows 7 customer with Outlook 2010 and TLS 1.2 off meets the work in
// its order: step 1 the TLS 1.2 button, step 2 the restart, step 3 the
// Outlook settings. A No at Windows' question changes nothing and shows
// the ways out; a Yes switches TLS 1.2 on through the elevated copy (the
// same arguments as the command line), the keys are read again, and the
// previous settings can be put back.
func TestWindows7TLS12Card(t *testing.T) {
	w := newWin7(t)
	fx := &win7Fixer{fakeFixer: fakeFixer{m: w.m}, w: w}
	orig := keys(w)
	u, _ := startUI(t, Deps{Check: (&fakeCheck{report: failingReport()}).run, Computer: w.computer, Plan: fakePlan, Fixer: fx, Lang: "it", Compat: nil})
	what := findButton(u.computerScreen.body, "Cosa fare")
	if what == nil {
		t.Fatalf("no \"Cosa fare\": %v", allText(u.computerScreen.body))
	}
	test.Tap(what)
	settle(u)

	texts := allText(u.fix.body)
	step1, step2, step3 := indexOf(texts, "Passo 1: attiva TLS 1.2"), indexOf(texts, "Passo 2: riavvia"), indexOf(texts, "Passo 3: cambia le impostazioni di Outlook 2010")
	if step1 < 0 || step2 < step1 || step3 < step2 {
		t.Fatalf("steps out of order (%d, %d, %d): %v", step1, step2, step3, texts)
	}
	if !containsPrefix(texts, "In Windows 7") {
		t.Errorf("the card does not name the system: %v", texts)
	}
	on := findButton(u.fix.body, "Attiva TLS 1.2")
	if on == nil || on.Disabled() {
		t.Fatalf("no enabled \"Attiva TLS 1.2\": %v", texts)
	}
	if findButton(u.fix.body, "Rimetti le impostazioni TLS di prima") != nil {
		t.Error("an undo of TLS 1.2 with nothing to undo")
	}

	// No at Windows' question.
	w.answer = "no"
	test.Tap(on)
	confirmTop(t, u, "Attiva TLS 1.2")
	settle(u)
	texts = allText(u.fix.body)
	if !containsPrefix(texts, "Non è stato cambiato niente: per attivare TLS 1.2 servono i diritti di amministratore") ||
		!strings.Contains(strings.Join(texts, "\n"), "chiedi a chi si occupa di questo computer") ||
		!strings.Contains(strings.Join(texts, "\n"), "Thunderbird 115 ESR") || findButton(u.fix.body, "Apri la webmail") == nil {
		t.Fatalf("after No, the ways out are not shown: %v", texts)
	}
	if keys(w) != orig {
		t.Fatal("the registry changed after No")
	}

	// Yes, after a while: meanwhile the window says what it waits for.
	w.answer = "yes"
	w.gate = make(chan struct{})
	test.Tap(findButton(u.fix.body, "Attiva TLS 1.2"))
	confirmTop(t, u, "Attiva TLS 1.2")
	if texts := allText(u.fix.body); !containsPrefix(texts, "In attesa di Windows: rispondi alla sua domanda") {
		t.Errorf("the window does not say it waits for Windows: %v", texts)
	}
	if b := findButton(u.fix.body, "Attiva TLS 1.2"); b == nil || !b.Disabled() {
		t.Error("the button can be pressed again while Windows asks")
	}
	close(w.gate)
	settle(u)
	if !tls12On(w) {
		t.Fatal("TLS 1.2 is not on after Yes")
	}
	texts = allText(u.fix.body)
	if !containsPrefix(texts, "Ora TLS 1.2 è attivo. Passo 2: riavvia subito il computer") {
		t.Fatalf("no outcome after Yes: %v", texts)
	}
	if got := u.computer.OS.TLS.V12; got != system.Default {
		t.Errorf("the computer was not examined again: TLS 1.2 %s", got)
	}
	want := "fix --enable-tls12 --backups " + w.dir + " --lang it"
	if len(w.started) != 2 || strings.Join(w.started[1], " ") != want {
		t.Errorf("elevated copies started %q, want the second %q", w.started, want)
	}
	undo := findButton(u.fix.body, "Rimetti le impostazioni TLS di prima")
	if undo == nil {
		t.Fatalf("no undo after the switch: %v", texts)
	}
	test.Tap(undo)
	settle(u)
	if keys(w) != orig {
		t.Fatal("the undo did not put the keys back exactly")
	}
	if !containsPrefix(allText(u.fix.body), "Le impostazioni TLS di Windows sono tornate com'erano") {
		t.Errorf("no outcome after the undo: %v", allText(u.fix.body))
	}
}

// keys is the HKLM part of the registry as text.
func keys(w *win7) string {
	var b strings.Builder
	var walk func(path string)
	walk = func(path string) {
		names, _ := w.reg.ValueNames(system.LocalMachine, path)
		for _, n := range names {
			v, _ := w.reg.Value(system.LocalMachine, path, n)
			b.WriteString(path + " " + system.FormatReg(n, v) + "\n")
		}
		subs, _ := w.reg.SubKeys(system.LocalMachine, path)
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

// Apply errors read the same in the app as on the command line: one
// translation key each (apply.Message).
func TestApplyErrorWords(t *testing.T) {
	u, _ := startUI(t, Deps{Lang: "en"})
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&apply.RunningError{Client: "outlook"}, "Microsoft Outlook 2010 is open. Close it completely"},
		{&apply.WriteError{File: `HKEY_CURRENT_USER\Software\x`, Err: errors.New("Access is denied.")}, "The change could not be saved (Access is denied.). The registry key HKEY_CURRENT_USER\\Software\\x was left exactly as it was."},
		{&apply.BusyError{PID: 77}, "Another Mail Doctor (the app or the command line, process 77)"},
		{apply.ErrElevationCancelled, "Nothing was changed: switching TLS 1.2 on needs administrator rights."},
		{errors.New("boom"), "Nothing was changed: boom"},
	} {
		if got := u.applyError(tc.err, "Microsoft Outlook 2010"); !strings.HasPrefix(got, tc.want) {
			t.Errorf("%v: %q, want %q…", tc.err, got, tc.want)
		}
	}
}

// On "This computer" the red "TLS 1.2 is switched off" note has its own
// "How to fix it", which opens the Fix screen of the Outlook account at
// the TLS 1.2 card (step 1).
func TestTLS12NoteLeadsToTheSwitch(t *testing.T) {
	w := newWin7(t)
	fx := &win7Fixer{fakeFixer: fakeFixer{m: w.m}, w: w}
	u, _ := startUI(t, Deps{Check: (&fakeCheck{report: failingReport()}).run, Computer: w.computer, Plan: fakePlan, Fixer: fx, Lang: "en"})
	texts := allText(u.computerScreen.body)
	if !containsPrefix(texts, "TLS 1.2 is switched off on this computer") {
		t.Fatalf("no TLS 1.2 note: %v", texts)
	}
	how := findButton(u.computerScreen.body, "How to fix it")
	if how == nil {
		t.Fatalf("the TLS 1.2 note has no \"How to fix it\": %v", texts)
	}
	test.Tap(how)
	settle(u)
	if u.tabs.SelectedIndex() != TabFix || u.fixFor == nil || u.fixFor.client.ID != "outlook" {
		t.Fatalf("not on the Outlook account's Fix screen (tab %d)", u.tabs.SelectedIndex())
	}
	if b := findButton(u.fix.body, "Switch on TLS 1.2"); b == nil || b.Disabled() {
		t.Fatalf("no \"Switch on TLS 1.2\" there: %v", allText(u.fix.body))
	}
}

// With TLS 1.2 off, an Outlook 2010 account says it cannot connect until
// Windows' switch, even where its settings are already right (IMAP on
// 993): before, the card listed only the SMTP port change.
func TestSChannelAccountWaitsForTLS12(t *testing.T) {
	w := newWin7(t)
	fx := &win7Fixer{fakeFixer: fakeFixer{m: w.m}, w: w}
	u, _ := startUI(t, Deps{Check: (&fakeCheck{report: failingReport()}).run, Computer: w.computer, Plan: fakePlan, Fixer: fx, Lang: "en"})
	texts := allText(u.computerScreen.body)
	found := false
	for _, s := range texts {
		if strings.Contains(s, "cannot connect until TLS 1.2 is switched on in Windows") {
			found = true
		}
	}
	if !found {
		t.Errorf("the Outlook account does not say it waits for TLS 1.2: %v", texts)
	}
	// Once TLS 1.2 is on, the line goes (the screen refreshes after the
	// switch).
	if _, err := apply.EnableTLS12(w.opt()); err != nil {
		t.Fatal(err)
	}
	u.computerScreen.load()
	settle(u)
	for _, s := range allText(u.computerScreen.body) {
		if strings.Contains(s, "cannot connect until TLS 1.2") {
			t.Errorf("still waiting for TLS 1.2 after the switch: %q", s)
		}
	}
}
