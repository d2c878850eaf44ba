package gui

import (
	"context"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"maildoctor.app/maildoctor/detect/check"
	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/detect/clients/scan"
	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/probe"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/detect/system"
	"maildoctor.app/maildoctor/fix/apply"
	"maildoctor.app/maildoctor/fix/plan"
)

// machine is a computer whose Thunderbird accounts the tests change, as
// the automatic fix changes prefs.js: mario still uses STARTTLS for IMAP
// (143) and SMTP (587), anna already uses SSL/TLS.
type machine struct {
	mu    sync.Mutex
	scans int
	mario clients.Account
}

func newMachine() *machine {
	return &machine{mario: clients.Account{
		Email: "mario@cliente.it", Key: "account1", Profile: "/home/mario/.thunderbird/x.default",
		Incoming: &clients.Server{Protocol: server.IMAP, Host: "imap.cliente.it", Port: 143, Security: server.StartTLS},
		Outgoing: &clients.Server{Protocol: server.SMTP, Host: "smtp.cliente.it", Port: 587, Security: server.StartTLS},
	}}
}

func (m *machine) computer(context.Context) (*scan.Report, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.scans++
	mario := m.mario
	in, out := *mario.Incoming, *mario.Outgoing
	mario.Incoming, mario.Outgoing = &in, &out
	anna := clients.Account{Email: "anna@cliente.it", Key: "account2",
		Incoming: &clients.Server{Protocol: server.IMAP, Host: "imap.cliente.it", Port: 993, Security: server.TLS},
		Outgoing: &clients.Server{Protocol: server.SMTP, Host: "smtp.cliente.it", Port: 465, Security: server.TLS},
	}
	tb := clients.Client{ID: "thunderbird", Name: "Thunderbird", Version: "115.3", Accounts: []clients.Account{mario, anna}}
	clients.Assess(&tb, nil)
	return &scan.Report{
		OS: &system.Info{Family: "linux", Name: "Debian GNU/Linux 12", Version: "12",
			TLS: system.TLS{V10: system.Off, V11: system.Off, V12: system.Default, V13: system.Default}},
		Clients: []clients.Client{tb},
	}, nil
}

// switched is what the automatic fix leaves: both servers on SSL/TLS.
func (m *machine) switched() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.mario.Incoming = &clients.Server{Protocol: server.IMAP, Host: "imap.cliente.it", Port: 993, Security: server.TLS}
	m.mario.Outgoing = &clients.Server{Protocol: server.SMTP, Host: "smtp.cliente.it", Port: 465, Security: server.TLS}
}

func newMachineUI(t *testing.T, m *machine, fx Fixer, lang string) *UI {
	t.Helper()
	fc := &fakeCheck{report: failingReport()}
	u, _ := startUI(t, Deps{Check: fc.run, Computer: m.computer, Plan: fakePlan, Fixer: fx, Lang: lang})
	return u
}

// "Questo computer" opens with one sentence that says what to do, lists
// both changes of the account that must change, and offers no action for
// the account that works.
func TestComputerSummaryAndEveryChange(t *testing.T) {
	m := newMachine()
	u := newMachineUI(t, m, nil, "it")
	texts := allText(u.computerScreen.body)
	for _, want := range []string{
		"1 account da sistemare",
		"Passa IMAP da STARTTLS (porta 143) a SSL/TLS (porta 993)",
		"Passa SMTP da STARTTLS (porta 587) a SSL/TLS (porta 465)",
		"anna@cliente.it",
		"Funziona: usa già le connessioni sicure",
	} {
		if !contains(texts, want) {
			t.Errorf("This computer does not show %q: %v", want, texts)
		}
	}
	if n := countButtons(u.computerScreen.body, "Cosa fare"); n != 1 {
		t.Errorf("%d \"Cosa fare\" buttons, want 1 (only the account that must change)", n)
	}
	if contains(texts, "Risultato: funziona") {
		t.Errorf("a program line reads like a verdict on the accounts: %v", texts)
	}
}

// The screen refreshes on demand: a change made meanwhile shows.
func TestComputerRefreshOnDemand(t *testing.T) {
	m := newMachine()
	u := newMachineUI(t, m, nil, "en")
	m.switched()
	test.Tap(findButton(u.computerScreen.body, "Refresh"))
	settle(u)
	if m.scans != 2 {
		t.Fatalf("%d scans, want 2", m.scans)
	}
	texts := allText(u.computerScreen.body)
	if !contains(texts, "Nothing to change") || contains(texts, "143") {
		t.Errorf("after the refresh: %v", texts)
	}
	if countButtons(u.computerScreen.body, "What to do") != 0 {
		t.Error("a \"What to do\" button is left on accounts that work")
	}
	if u.computerScreen.busy != nil {
		t.Error("the progress bar is still there after the answer")
	}
}

// countButtons counts the buttons with that text under o.
func countButtons(o fyne.CanvasObject, text string) int {
	n := 0
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *widget.Button:
			if w.Text == text {
				n++
			}
		case *widget.Card:
			walk(w.Content)
		case *widget.Accordion:
			for _, it := range w.Items {
				walk(it.Detail)
			}
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
		}
	}
	walk(o)
	return n
}

// fakeFixer changes the machine as fix/apply changes prefs.js: Apply
// switches mario's servers (the second time there is nothing left to
// change), Undo puts them back; running says Thunderbird is open.
type fakeFixer struct {
	m       *machine
	mu      sync.Mutex
	backups int
	running bool
	applied int
}

func (f *fakeFixer) Apply(p *plan.Plan) (*apply.Result, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.running {
		return nil, &apply.RunningError{Client: "thunderbird"}
	}
	f.applied++
	if p.Current.Incoming.Security == server.TLS && p.Current.Outgoing.Security == server.TLS {
		return &apply.Result{Client: "thunderbird", File: "/home/mario/.thunderbird/x.default/prefs.js"}, nil
	}
	f.m.switched()
	f.backups++
	return &apply.Result{Client: "thunderbird", File: "/home/mario/.thunderbird/x.default/prefs.js",
		Backup:  "/home/mario/.thunderbird/x.default/prefs.js.maildoctor-20250101-120000.bak",
		Changes: []apply.Change{{Key: "mail.server.server1.port", From: "143", To: "993"}, {Key: "mail.smtpserver.smtp1.port", From: "587", To: "465"}}}, nil
}

func (f *fakeFixer) Undo(p *plan.Plan) (*apply.UndoResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.running {
		return nil, &apply.RunningError{Client: "thunderbird"}
	}
	if f.backups == 0 {
		return nil, apply.ErrNoBackup
	}
	f.backups--
	f.m.mu.Lock()
	f.m.mario = newMachine().mario
	f.m.mu.Unlock()
	return &apply.UndoResult{Client: "thunderbird", File: "prefs.js", Saved: "prefs.js.maildoctor-20250101-120100.before-undo"}, nil
}

func (f *fakeFixer) Export(string, *plan.Plan) ([]byte, string, error) { return nil, "", nil }

func (f *fakeFixer) UndoState(*plan.Plan) UndoState {
	f.mu.Lock()
	defer f.mu.Unlock()
	return UndoState{CanUndo: f.backups > 0, Running: f.running}
}

// confirmTop presses the confirming button of the dialog on top.
func confirmTop(t *testing.T, u *UI, label string) {
	t.Helper()
	ov := u.win.Canvas().Overlays().Top()
	if ov == nil {
		t.Fatal("no dialog open")
	}
	b := findButtonDeep(ov, label)
	if b == nil {
		t.Fatalf("the dialog has no %q button", label)
	}
	test.Tap(b)
}

// findButtonDeep finds a button anywhere under o, through widgets'
// renderers (a dialog's buttons are inside its own widget).
func findButtonDeep(o fyne.CanvasObject, text string) *widget.Button {
	if b, ok := o.(*widget.Button); ok && b.Text == text {
		return b
	}
	var kids []fyne.CanvasObject
	switch w := o.(type) {
	case *fyne.Container:
		kids = w.Objects
	case fyne.Widget:
		kids = test.WidgetRenderer(w).Objects()
	}
	for _, k := range kids {
		if b := findButtonDeep(k, text); b != nil {
			return b
		}
	}
	return nil
}

// The Fix screen, opened directly, starts from the computer's accounts.
func TestFixStartsFromComputerAccounts(t *testing.T) {
	m := newMachine()
	u := newMachineUI(t, m, &fakeFixer{m: m}, "it")
	u.Select(TabFix)
	settle(u)
	texts := allText(u.fix.body)
	if !contains(texts, "Scegli l’account da sistemare") || !contains(texts, "mario@cliente.it  —  Thunderbird") {
		t.Fatalf("Fix does not offer the computer's accounts: %v", texts)
	}
	test.Tap(findButton(u.fix.body, "Cosa fare"))
	settle(u)
	if u.fix.busy != nil {
		t.Error("the plan's progress bar still runs after the plan arrived (idle CPU)")
	}
	texts = allText(u.fix.body)
	if !contains(texts, "Correggi per me") || !contains(texts, "premi «Correggi per me» qui sopra") {
		t.Errorf("the plan does not offer the automatic fix by the button's name: %v", texts)
	}
	for _, s := range texts {
		if strings.Contains(s, "maildoctor fix") || strings.Contains(s, "Cambia per me") {
			t.Errorf("a customer sees %q", s)
		}
	}
	// Only the account's own protocols; POP3 is folded away.
	if !contains(texts, "Altre impostazioni") {
		t.Errorf("POP3 values are not folded for an IMAP account: %v", texts)
	}
}

// The journey: "Cosa fare" → Fix it for me → a green done with what
// changed and where the backup is → the computer shows the account as it
// is now → a second fix says already done → Undo.
func TestAutomaticFixDoneAndUndo(t *testing.T) {
	m := newMachine()
	fx := &fakeFixer{m: m}
	u := newMachineUI(t, m, fx, "it")
	test.Tap(findButton(u.computerScreen.body, "Cosa fare"))
	settle(u)
	undo := findButton(u.fix.body, "Annulla la modifica")
	if undo == nil || !undo.Disabled() {
		t.Fatal("Undo is enabled with nothing to undo")
	}
	test.Tap(findButton(u.fix.body, "Correggi per me"))
	confirmTop(t, u, "Correggi per me")
	settle(u)
	if fx.applied != 1 {
		t.Fatalf("applied %d times", fx.applied)
	}
	texts := allText(u.fix.body)
	if !contains(texts, "Fatto: Thunderbird ora usa SSL/TLS") || !contains(texts, "prefs.js.maildoctor-20250101-120000.bak") {
		t.Errorf("no done state with the backup: %v", texts)
	}
	if contains(texts, "Cambia queste impostazioni") {
		t.Errorf("the \"change these settings\" banner stayed after the fix: %v", texts)
	}
	if comp := allText(u.computerScreen.body); contains(comp, "143") || !contains(comp, "Non c’è niente da cambiare") {
		t.Errorf("This computer was not refreshed after the fix: %v", comp)
	}
	if b := findButton(u.fix.body, "Correggi per me"); b == nil || !b.Disabled() {
		t.Error("Fix it for me is still enabled with nothing left to change")
	}
	if !contains(texts, "usa già le impostazioni giuste") {
		t.Errorf("no \"already done\" after the fix: %v", texts)
	}
	undo = findButton(u.fix.body, "Annulla la modifica")
	if undo == nil || undo.Disabled() {
		t.Fatal("Undo is not enabled after a fix")
	}
	test.Tap(undo)
	settle(u)
	if !contains(allText(u.fix.body), "tornate com'erano") {
		t.Errorf("no undone state: %v", allText(u.fix.body))
	}
	if !contains(allText(u.computerScreen.body), "143") {
		t.Error("This computer was not refreshed after the undo")
	}
}

// Apply and Undo wait until the program is closed, and say so.
func TestFixWaitsForProgramClosed(t *testing.T) {
	m := newMachine()
	fx := &fakeFixer{m: m, running: true, backups: 1}
	u := newMachineUI(t, m, fx, "en")
	test.Tap(findButton(u.computerScreen.body, "What to do"))
	settle(u)
	texts := allText(u.fix.body)
	if !contains(texts, "Thunderbird is open") {
		t.Errorf("no \"close it first\": %v", texts)
	}
	for _, name := range []string{"Fix it for me", "Undo"} {
		if b := findButton(u.fix.body, name); b == nil || !b.Disabled() {
			t.Errorf("%q is enabled while Thunderbird is open", name)
		}
	}
	fx.mu.Lock()
	fx.running = false
	fx.mu.Unlock()
	test.Tap(findButton(u.fix.body, "Check again"))
	settle(u)
	for _, name := range []string{"Fix it for me", "Undo"} {
		if b := findButton(u.fix.body, name); b == nil || b.Disabled() {
			t.Errorf("%q is still disabled once Thunderbird is closed", name)
		}
	}
}

// An error replaces the last results, shows as an error, and a comma
// typed for a dot gets its hint.
func TestErrorReplacesStaleResults(t *testing.T) {
	fc := &fakeCheck{report: failingReport()}
	u, _ := newTestUI(t, fc, "it")
	test.Type(u.account.email, "mario@cliente.it")
	test.Tap(u.account.start)
	settle(u)
	if len(u.account.results.Objects) == 0 {
		t.Fatal("no results from the first check")
	}
	u.account.email.SetText("mario@cliente,it")
	test.Tap(u.account.start)
	settle(u)
	if fc.callCount() != 1 {
		t.Fatal("a check started for a bad address")
	}
	if len(u.account.results.Objects) != 0 || len(u.account.progress.Objects) != 0 {
		t.Errorf("the last results stayed under the error: %v", allText(u.account.results))
	}
	if !strings.Contains(u.account.status.Text, "virgola al posto del punto") || !strings.Contains(u.account.status.Text, "mario@cliente.it") {
		t.Errorf("no comma hint: %q", u.account.status.Text)
	}
	if u.account.status.Importance != widget.DangerImportance {
		t.Error("the error is not shown as an error")
	}
	u.account.email.SetText("")
	test.Tap(u.account.start)
	if !strings.Contains(u.account.status.Text, "Scrivi il tuo indirizzo") {
		t.Errorf("empty address: %q", u.account.status.Text)
	}
	u.account.email.SetText("mario@cliente.it")
	test.Tap(u.account.start)
	settle(u)
	if u.account.status.Importance == widget.DangerImportance || u.account.status.Visible() {
		t.Error("the error stayed after a good check")
	}
}

// startTLSOnlyReport: a server with STARTTLS only, where every login
// worked, no Sent folder, and a provider that closes STARTTLS on a date.
func startTLSOnlyReport() *check.Report {
	good := func(p server.Protocol, port int, sec server.Security, auth probe.AuthResult) *probe.Result {
		r := &probe.Result{Endpoint: server.Endpoint{Protocol: p, Host: "mail.cliente.it", Port: port, Security: sec}, Reachable: true, Auth: auth}
		if sec == server.StartTLS {
			r.TLS = &probe.TLSInfo{Negotiated: "1.3"}
			r.Cert = &probe.CertInfo{Trusted: true, HostnameMatch: true}
		}
		return r
	}
	return &check.Report{
		Email: "mario@cliente.it", Verdict: check.VerdictFail,
		Endpoints: []*probe.Result{
			good(server.IMAP, 993, server.TLS, "skipped"), good(server.IMAP, 143, server.StartTLS, "ok"),
			good(server.SMTP, 465, server.TLS, "skipped"), good(server.SMTP, 587, server.StartTLS, "ok"),
		},
		Findings: []finding.Finding{
			finding.New("tcp.refused", finding.Fail, "mail.cliente.it:993", "host", "mail.cliente.it", "port", "993"),
			finding.New("implicit.unavailable", finding.Fail, "mail.cliente.it:993", "protocol", "IMAP", "port", "993", "starttls_port", "143"),
			finding.New("tcp.refused", finding.Fail, "mail.cliente.it:465", "host", "mail.cliente.it", "port", "465"),
			finding.New("implicit.unavailable", finding.Fail, "mail.cliente.it:465", "protocol", "SMTP", "port", "465", "starttls_port", "587"),
			finding.New("imap.no_sent_folder", finding.Warn, "mail.cliente.it:143"),
			finding.New("endpoint.ok", finding.OK, "mail.cliente.it:143", "protocol", "IMAP", "port", "143", "version", "1.3"),
		},
	}
}

// A server with STARTTLS only where every login worked is not a red
// failure; the headline is the most important finding, not the Sent
// folder; a STARTTLS port that works today says when it closes.
func TestVerdictStartTLSOnlyAndClosingDate(t *testing.T) {
	fc := &fakeCheck{report: startTLSOnlyReport()}
	u, _ := newTestUI(t, fc, "it")
	u.deps.Profiles = []*discover.Profile{{Domains: []string{"cliente.it"}, Provider: discover.ProviderInfo{StartTLSEnds: "2026-12-31"}}}
	test.Type(u.account.email, "mario@cliente.it")
	test.Tap(u.account.start)
	settle(u)
	texts := allText(u.account.results)
	if len(texts) == 0 {
		t.Fatal("no results")
	}
	head := texts[0]
	if !strings.Contains(head, "Funziona oggi, con STARTTLS") || !strings.Contains(head, "avvisa il tuo provider") {
		t.Errorf("headline = %q, want \"works today … tell your provider\"", head)
	}
	if strings.Contains(head, "Posta inviata") {
		t.Errorf("the headline leads with the Sent folder: %q", head)
	}
	if !contains(texts, "IMAP sulla porta 143 funziona oggi, ma chiude il 31/12/2026") ||
		!contains(texts, "SMTP sulla porta 587 funziona oggi, ma chiude il 31/12/2026") {
		t.Errorf("the closing date is not said: %v", texts)
	}
	if contains(texts, "è stato concordato") {
		t.Errorf("\"agreed\" wording: %v", texts)
	}
}

// A failing check leads with its worst finding.
func TestVerdictLeadsWithWorstFinding(t *testing.T) {
	fc := &fakeCheck{report: failingReport()}
	u, _ := newTestUI(t, fc, "en")
	test.Type(u.account.email, "mario@cliente.it")
	test.Tap(u.account.start)
	settle(u)
	if head := allText(u.account.results)[0]; !strings.HasPrefix(head, "The certificate is not for imap.cliente.it") {
		t.Errorf("headline = %q", head)
	}
}
