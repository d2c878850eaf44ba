package gui

import (
	"context"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"maildoctor.app/maildoctor/assets"
	"maildoctor.app/maildoctor/detect/check"
	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/detect/clients/scan"
	"maildoctor.app/maildoctor/detect/compat"
	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/probe"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/detect/system"
	"maildoctor.app/maildoctor/fix/advise"
	"maildoctor.app/maildoctor/fix/plan"
	"maildoctor.app/maildoctor/fix/report"
	"maildoctor.app/maildoctor/i18n"
)

// fakeCheck records its calls and plays a scripted check.
type fakeCheck struct {
	mu     sync.Mutex
	calls  []check.Options
	report *check.Report
	// block makes the check wait until it is cancelled.
	block bool
}

func (f *fakeCheck) run(ctx context.Context, opt check.Options) (*check.Report, error) {
	f.mu.Lock()
	f.calls = append(f.calls, opt)
	f.mu.Unlock()
	ep := server.Endpoint{Protocol: server.IMAP, Host: "imap.example.it", Port: 993, Security: server.TLS}
	opt.Progress(ep, probe.Step{Name: probe.StepConnect, OK: true})
	opt.Progress(ep, probe.Step{Name: probe.StepTLS, OK: false})
	if f.block {
		<-ctx.Done()
		return &check.Report{Email: opt.Email, Verdict: check.VerdictFail}, nil
	}
	return f.report, nil
}

func (f *fakeCheck) callCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

func failingReport() *check.Report {
	ep := "imap.cliente.it:993"
	return &check.Report{
		Email:   "mario@cliente.it",
		Verdict: check.VerdictFail,
		Discovery: check.Discovery{Source: "manual", Hosts: map[string]string{"imap": "imap.cliente.it", "smtp": "smtp.cliente.it"},
			Webmail: "https://webmail.cliente.it/"},
		Endpoints: []*probe.Result{{Endpoint: server.Endpoint{Protocol: server.IMAP, Host: "imap.cliente.it", Port: 993, Security: server.TLS},
			Cert: &probe.CertInfo{Suggested: "server7.maildoctor.example", Names: []string{"server7.maildoctor.example"}}}},
		Findings: []finding.Finding{
			finding.New("cert.hostname_mismatch", finding.Fail, ep, "host", "imap.cliente.it", "names", "server7.maildoctor.example", "suggested", "server7.maildoctor.example").WithEvidence("x509: certificate is valid for server7.maildoctor.example"),
			finding.New("tls.no_tls13", finding.Info, ep),
		},
	}
}

func newTestUI(t *testing.T, fc *fakeCheck, lang string) (*UI, fyne.Window) {
	t.Helper()
	return startUI(t, Deps{Check: fc.run, Computer: fakeComputer, Plan: fakePlan, Lang: lang})
}

// startUI opens the app on a test window with deps, the translations and
// the compatibility data filled in when not given, and background work
// handed to the test's goroutine (see settle).
func startUI(t *testing.T, deps Deps) (*UI, fyne.Window) {
	t.Helper()
	a := test.NewTempApp(t)
	if deps.Catalog == nil {
		cat, err := i18n.Load(assets.Translations, "translation")
		if err != nil {
			t.Fatal(err)
		}
		deps.Catalog = cat
	}
	if deps.Compat == nil {
		kb, err := compat.Builtin()
		if err != nil {
			t.Fatal(err)
		}
		deps.Compat = kb
	}
	w := test.NewWindow(widget.NewLabel(""))
	w.Resize(fyne.NewSize(900, 700))
	queue := make(chan func(), 4096)
	deps.Do = func(f func()) { queue <- f }
	u := New(a, w, deps)
	queues[u] = queue
	t.Cleanup(func() {
		// The window's close handler ends the UI's context: close only
		// windows a test left open.
		if u.ctx.Err() == nil {
			w.Close()
		}
	})
	settle(u)
	return u, w
}

// queues hold, per UI under test, the functions its background work hands
// to the UI goroutine; settle runs them on the test's goroutine, as the
// real driver runs them on its main loop, so widgets are only ever
// touched from one goroutine.
var queues = map[*UI]chan func(){}

// settle runs queued UI work until no background work is left.
func settle(u *UI) {
	q := queues[u]
	for {
		select {
		case f := <-q:
			f()
			continue
		default:
		}
		if !u.Busy() && len(q) == 0 {
			return
		}
		time.Sleep(time.Millisecond)
	}
}

// fakeComputer is a Windows 7 with Outlook 2010 and a Thunderbird whose
// account still uses STARTTLS.
func fakeComputer(context.Context) (*scan.Report, error) {
	return &scan.Report{
		OS: &system.Info{Family: "windows", Name: "Windows 7 Professional", Version: "6.1", Build: "7601", Kernel: "6.1.7601",
			TLS: system.TLS{V10: system.Default, V11: system.Off, V12: system.Off, V13: system.No}},
		Clients: []clients.Client{
			{ID: "thunderbird", Name: "Thunderbird", Version: "115.3", Accounts: []clients.Account{{
				Email: "mario@cliente.it", Key: "account1",
				Incoming: &clients.Server{Protocol: server.IMAP, Host: "imap.cliente.it", Port: 143, Security: server.StartTLS},
				Outgoing: &clients.Server{Protocol: server.SMTP, Host: "smtp.cliente.it", Port: 587, Security: server.StartTLS},
				Findings: []finding.Finding{finding.New("starttls.in_use", finding.Warn, "thunderbird", "protocol", "IMAP", "port", "143", "tls_port", "993")},
			}}},
			{ID: "outlook", Name: "Microsoft Outlook 2010", Version: "14.0.7015"},
		},
	}, nil
}

// fakePlan plans with fix/plan itself from the request, with fixed
// servers instead of discovery.
func fakePlan(_ context.Context, req advise.Request) (*plan.Plan, error) {
	servers := []discover.Server{}
	for _, p := range server.Protocols {
		host := map[server.Protocol]string{server.IMAP: "imap.cliente.it", server.POP3: "pop.cliente.it", server.SMTP: "smtp.cliente.it"}[p]
		servers = append(servers, discover.Server{Endpoint: server.Endpoint{Protocol: p, Host: host, Port: server.DefaultPort(p, server.TLS), Security: server.TLS}})
	}
	in := plan.Input{Email: req.Email, Servers: servers, System: req.System, Client: req.Client, Account: req.Account, Compat: req.Compat,
		Webmail: "https://webmail.cliente.it/"}
	if req.Check != nil {
		in.Findings = req.Check.Findings
	}
	return plan.Build(in)
}

func TestEnterStartsCheckAndShowsProgress(t *testing.T) {
	fc := &fakeCheck{report: failingReport()}
	u, _ := newTestUI(t, fc, "en")
	u.Select(TabAccount)
	// The address is the detected account's: the customer types only
	// the password.
	test.Type(u.account.password, "segreta")
	u.account.password.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	settle(u)
	if fc.callCount() != 1 {
		t.Fatalf("Enter started %d checks, want 1", fc.callCount())
	}
	opt := fc.calls[0]
	if opt.Email != "mario@cliente.it" || opt.Password == nil || *opt.Password != "segreta" {
		t.Errorf("check options: %+v", opt)
	}
	if len(u.account.rows) != 1 {
		t.Errorf("%d progress rows, want 1 (one per endpoint)", len(u.account.rows))
	}
	texts := allText(u.win.Content())
	if !contains(texts, "IMAP  imap.example.it:993  SSL/TLS") || !containsPrefix(texts, "secure connection") {
		t.Errorf("progress rows not shown: %v", texts)
	}
}

func TestBadAddressDoesNotStart(t *testing.T) {
	fc := &fakeCheck{report: failingReport()}
	u, _ := newTestUI(t, fc, "en")
	test.Type(u.account.email, "notanemail")
	u.account.email.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	settle(u)
	if fc.callCount() != 0 {
		t.Fatal("a check started for a bad address")
	}
	if !strings.Contains(u.account.status.Text, "is not an e-mail address") {
		t.Errorf("status = %q", u.account.status.Text)
	}
}

func TestCancelStopsCheck(t *testing.T) {
	fc := &fakeCheck{block: true}
	u, _ := newTestUI(t, fc, "it")
	test.Type(u.account.email, "mario@cliente.it")
	test.Tap(u.account.start)
	if u.account.stop.Disabled() {
		t.Fatal("Cancel is disabled while a check runs")
	}
	test.Tap(u.account.stop)
	settle(u)
	if !u.account.stop.Disabled() || u.account.start.Disabled() {
		t.Error("buttons not back to idle after cancel")
	}
	if u.account.status.Text != "La prova è stata interrotta." {
		t.Errorf("status = %q", u.account.status.Text)
	}
	if u.report != nil {
		t.Error("a cancelled check left a report")
	}
}

func TestClosingWindowEndsCheck(t *testing.T) {
	fc := &fakeCheck{block: true}
	u, w := newTestUI(t, fc, "en")
	test.Type(u.account.email, "mario@cliente.it")
	test.Tap(u.account.start)
	w.Close()
	settle(u) // would hang if the check outlived the window
}

func TestFailingResultShowsFix(t *testing.T) {
	fc := &fakeCheck{report: failingReport()}
	u, _ := newTestUI(t, fc, "en")
	test.Type(u.account.email, "mario@cliente.it")
	test.Tap(u.account.start)
	settle(u)
	texts := allText(u.account.results)
	if !contains(texts, "The certificate is not for imap.cliente.it") {
		t.Fatalf("result does not show the finding: %v", texts)
	}
	fixButton := findButton(u.account.results, "How to fix it")
	if fixButton == nil {
		t.Fatal("no \"How to fix it\" button on a failing finding")
	}
	test.Tap(fixButton)
	if u.tabs.SelectedIndex() != TabFix {
		t.Fatalf("tab %d selected, want Fix", u.tabs.SelectedIndex())
	}
	settle(u)
	fixTexts := allText(u.fix.body)
	if !contains(fixTexts, "server7.maildoctor.example") || !contains(fixTexts, "993") || !contains(fixTexts, "SSL/TLS") {
		t.Errorf("Fix screen does not give the values: %v", fixTexts)
	}
	if findButton(u.fix.body, "Open webmail") == nil {
		t.Error("no webmail button")
	}
}

var (
	keyLike  = regexp.MustCompile(`^[a-z0-9_]+(\.[a-z0-9_]+)+$`)
	testHost = regexp.MustCompile(`\.(it)$`)
)

// Every screen, in both languages: no raw key (T returns the key when a
// text is missing), no English left in Italian.
func TestEveryScreenTranslated(t *testing.T) {
	fc := &fakeCheck{report: failingReport()}
	u, _ := newTestUI(t, fc, "en")
	test.Type(u.account.email, "mario@cliente.it")
	test.Tap(u.account.start)
	settle(u)
	seen := map[string][]string{}
	for _, lang := range []string{"en", "it"} {
		u.SetLang(lang)
		for tab := TabComputer; tab <= TabSupport; tab++ {
			u.Select(tab)
			texts := allText(u.win.Content())
			for _, s := range texts {
				if keyLike.MatchString(s) && !testHost.MatchString(s) || strings.Contains(s, "<no value>") {
					t.Errorf("%s tab %d: untranslated %q", lang, tab, s)
				}
			}
			seen[lang] = append(seen[lang], texts...)
		}
	}
	en := map[string]bool{}
	for _, s := range seen["en"] {
		en[s] = true
	}
	// Texts that are the same in both languages on purpose.
	same := map[string]bool{"Mail Doctor": true, "Password": true, "Server": true, "Italiano": true, "English": true,
		"Account": true, "SSL/TLS": true, "IMAP": true, "POP3": true, "SMTP": true, "STARTTLS": true, "": true}
	for _, s := range seen["it"] {
		if en[s] && !same[s] && !looksTechnical(s) {
			t.Errorf("Italian screen shows the English text %q", s)
		}
	}
	if u.tabs.Items[0].Text != "Questo computer" {
		t.Errorf("tab title = %q after switching to Italian", u.tabs.Items[0].Text)
	}
}

// looksTechnical: host names, addresses, ports and versions are not
// translated.
func looksTechnical(s string) bool {
	return !strings.ContainsAny(s, " ") || strings.Contains(s, "@") || strings.Contains(s, ":") || strings.HasPrefix(s, "Thunderbird") || strings.HasPrefix(s, "Windows") || strings.HasPrefix(s, "Microsoft")
}

func TestComputerScreenShowsAccounts(t *testing.T) {
	u, _ := newTestUI(t, &fakeCheck{}, "it")
	texts := allText(u.computerScreen.body)
	for _, want := range []string{"Sistema: Windows 7 Professional", "mario@cliente.it", "Passa IMAP da STARTTLS (porta 143) a SSL/TLS (porta 993)"} {
		if !contains(texts, want) {
			t.Errorf("This computer does not show %q: %v", want, texts)
		}
	}
	test.Tap(findButton(u.computerScreen.body, "Cosa fare"))
	if u.tabs.SelectedIndex() != TabFix {
		t.Error("the account's button does not open Fix")
	}
	settle(u)
	fixTexts := allText(u.fix.body)
	if !contains(fixTexts, "imap.cliente.it") || !contains(fixTexts, "Thunderbird") {
		t.Errorf("Fix does not show Thunderbird's plan for the account: %v", fixTexts)
	}
}

// allText lists every text shown under o (labels, buttons, tabs, cards,
// entries' placeholders are not text the user reads as content).
func allText(o fyne.CanvasObject) []string {
	var out []string
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *widget.Label:
			out = append(out, w.Text)
		case *widget.Button:
			out = append(out, w.Text)
		case *widget.Card:
			out = append(out, w.Title)
			walk(w.Content)
		case *widget.Accordion:
			for _, it := range w.Items {
				out = append(out, it.Title)
				walk(it.Detail)
			}
		case *widget.Form:
			for _, it := range w.Items {
				out = append(out, it.Text)
				walk(it.Widget)
			}
		case *widget.Select:
			out = append(out, w.Selected)
		case *container.AppTabs:
			for _, it := range w.Items {
				out = append(out, it.Text)
			}
			if w.Selected() != nil {
				walk(w.Selected().Content)
			}
		case *container.Scroll:
			walk(w.Content)
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
		}
	}
	walk(o)
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if strings.Contains(x, s) {
			return true
		}
	}
	return false
}

func containsPrefix(list []string, p string) bool {
	for _, x := range list {
		if strings.HasPrefix(x, p) {
			return true
		}
	}
	return false
}

func findButton(o fyne.CanvasObject, text string) *widget.Button {
	var found *widget.Button
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if found != nil {
			return
		}
		switch w := o.(type) {
		case *widget.Button:
			if w.Text == text {
				found = w
			}
		case *widget.Card:
			walk(w.Content)
		case *widget.Accordion:
			for _, it := range w.Items {
				walk(it.Detail)
			}
		case *container.Scroll:
			walk(w.Content)
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
		}
	}
	walk(o)
	return found
}

func TestSupportCodeRoundTrip(t *testing.T) {
	fc := &fakeCheck{report: failingReport()}
	u, _ := newTestUI(t, fc, "en")
	test.Type(u.account.email, "mario@cliente.it")
	test.Type(u.account.password, "Segreta-123")
	test.Tap(u.account.start)
	settle(u)
	u.Select(TabSupport)
	test.Tap(findButton(u.support.body, "Copy the support code"))
	code := u.app.Clipboard().Content()
	if !strings.HasPrefix(code, "MD1-") {
		t.Fatalf("clipboard = %q, want a support code", code)
	}
	if strings.Contains(code, "Segreta-123") {
		t.Fatal("the code holds the password")
	}
	rep, err := report.Decode(code)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Check == nil || rep.Check.Email != "mario@cliente.it" || !finding.Has(rep.Check.Findings, "cert.hostname_mismatch") {
		t.Errorf("decoded report = %+v", rep.Check)
	}
	if rep.Computer == nil || rep.Computer.OS.Name != "Windows 7 Professional" {
		t.Errorf("decoded computer = %+v", rep.Computer)
	}
}

func TestAgentCompatTool(t *testing.T) {
	u, _ := newTestUI(t, &fakeCheck{}, "it")
	answer := allText(container.NewVBox(u.support.compatAnswer("windows sette", "outlook 2k10")...))
	if !containsPrefix(answer, "Risultato:") {
		t.Errorf("no verdict for Outlook 2010 on Windows 7: %v", answer)
	}
	// Names in the customer's language: the data's English names are
	// translated in the answer ("classic, for Windows" was left in).
	for _, line := range answer {
		if strings.Contains(line, "classic, for Windows") {
			t.Errorf("English name in the Italian answer: %q", line)
		}
	}
	unknown := allText(container.NewVBox(u.support.compatAnswer("windoze 99", "")...))
	if !contains(unknown, "non è conosciuto") {
		t.Errorf("unknown system: %v", unknown)
	}
}

func TestOpenLinkPrefillsAndWarns(t *testing.T) {
	fc := &fakeCheck{report: failingReport()}
	u, _ := newTestUI(t, fc, "en")
	u.OpenLink("maildoctor://open?email=mario%40cliente.it&imap=mail.elsewhere.example%3A993")
	if u.account.email.Text != "mario@cliente.it" || u.account.hosts[server.IMAP].Text != "mail.elsewhere.example:993" {
		t.Errorf("not pre-filled: %q %q", u.account.email.Text, u.account.hosts[server.IMAP].Text)
	}
	if !strings.Contains(u.account.status.Text, "mail.elsewhere.example") {
		t.Errorf("no warning about the foreign host: %q", u.account.status.Text)
	}
	if fc.callCount() != 0 {
		t.Error("a link started a check by itself")
	}
	u.OpenLink("maildoctor://open?email=mario%40cliente.it&password=x")
	if u.account.password.Text != "" {
		t.Error("a link filled in a password")
	}
}

// Tab moves from the address to the password, and Enter there starts the
// test: the form works without a mouse.
func TestKeyboardOrder(t *testing.T) {
	fc := &fakeCheck{report: failingReport()}
	u, w := newTestUI(t, fc, "en")
	pressShortcut(w, fyne.KeyTab, fyne.KeyModifierControl)
	if w.Canvas().Focused() != u.account.email {
		t.Fatalf("Ctrl+Tab opens the tab with %T focused, want the address", w.Canvas().Focused())
	}
	u.account.email.SetText("")
	test.Type(u.account.email, "mario@cliente.it")
	w.Canvas().FocusNext()
	if w.Canvas().Focused() != u.account.password {
		t.Fatalf("after the address, Tab goes to %T, want the password", w.Canvas().Focused())
	}
	test.Type(u.account.password, "segreta")
	u.account.password.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	settle(u)
	if fc.callCount() != 1 {
		t.Errorf("Enter in the password field started %d checks", fc.callCount())
	}
}
