package gui

import (
	"context"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"maildoctor.app/maildoctor/assets"
	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/detect/clients/scan"
	"maildoctor.app/maildoctor/detect/compat"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/detect/system"
	"maildoctor.app/maildoctor/i18n"
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
	a := test.NewTempApp(t)
	cat, err := i18n.Load(assets.Translations, "translation")
	if err != nil {
		t.Fatal(err)
	}
	w := test.NewWindow(widget.NewLabel(""))
	w.Resize(fyne.NewSize(900, 700))
	kb, err := compat.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	queue := make(chan func(), 4096)
	fc := &fakeCheck{report: failingReport()}
	u := New(a, w, Deps{Catalog: cat, Check: fc.run, Computer: m.computer, Plan: fakePlan, Fixer: fx, Compat: kb, Lang: lang,
		Do: func(f func()) { queue <- f }})
	queues[u] = queue
	t.Cleanup(func() {
		if u.ctx.Err() == nil {
			w.Close()
		}
	})
	settle(u)
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
