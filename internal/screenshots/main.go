// Command screenshots opens the real Mail Doctor window (GL driver, under
// Xvfb in `make screenshots`) with demonstration data, walks every screen in
// Italian and English and writes one PNG per screen, for the README.
package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

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
	"maildoctor.app/maildoctor/fix/apply"
	"maildoctor.app/maildoctor/fix/plan"
	"maildoctor.app/maildoctor/gui"
	"maildoctor.app/maildoctor/i18n"
)

func main() {
	out := "docs/screenshots"
	if len(os.Args) > 1 {
		out = os.Args[1]
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	cat, err := i18n.Load(assets.Translations, "translation")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	a := app.NewWithID("app.maildoctor.screenshots")
	w := a.NewWindow("Mail Doctor")
	w.Resize(fyne.NewSize(900, 680))
	kb, err := compat.Builtin()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	ui := gui.New(a, w, gui.Deps{Catalog: cat, Check: demoCheck, Computer: demoComputer, Plan: demoPlan, Compat: kb, Lang: "it", Version: "demo"})
	go func() {
		time.Sleep(time.Second)
		ui.WaitIdle()
		fyne.DoAndWait(func() { ui.Prefill("mario.rossi@cliente.it", nil); ui.StartCheck() })
		ui.WaitIdle()
		fyne.DoAndWait(func() { ui.OpenAccountFix("mario.rossi@cliente.it") })
		ui.WaitIdle()
		ui.WaitIdle()
		for _, lang := range []string{"it", "en"} {
			for tab, name := range []string{"computer", "account", "fix", "support"} {
				fyne.DoAndWait(func() { ui.SetLang(lang); ui.Select(tab) })
				time.Sleep(400 * time.Millisecond)
				path := filepath.Join(out, fmt.Sprintf("%s-%d-%s.png", lang, tab+1, name))
				if err := capture(w, path); err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(1)
				}
				fmt.Println(path)
			}
		}
		smallShots(ui, w, out)
		win7Shots(a, w, cat, kb, out)
		fyne.Do(a.Quit)
	}()
	w.ShowAndRun()
}

// smallShots photographs the window at 640×480, the smallest screen the
// app holds (issue 12), in Italian.
func smallShots(ui *gui.UI, w fyne.Window, out string) {
	fyne.DoAndWait(func() { w.Resize(fyne.NewSize(640, 480)); ui.SetLang("it") })
	for i, tab := range []int{gui.TabComputer, gui.TabFix} {
		fyne.DoAndWait(func() { ui.Select(tab) })
		time.Sleep(600 * time.Millisecond)
		path := filepath.Join(out, fmt.Sprintf("it-%d-small-%s.png", i+7, []string{"computer", "fix"}[i]))
		if err := capture(w, path); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Println(path)
	}
	fyne.DoAndWait(func() { w.Resize(fyne.NewSize(900, 680)) })
}

// win7Shots photographs what a Windows 7 customer with Outlook 2010 and
// TLS 1.2 switched off meets: "This computer" with the red note, and the
// Fix screen in the order of work (TLS 1.2, restart, Outlook's settings).
func win7Shots(a fyne.App, first fyne.Window, cat *i18n.Catalog, kb *compat.KB, out string) {
	var w fyne.Window
	var ui *gui.UI
	fyne.DoAndWait(func() {
		first.Hide()
		w = a.NewWindow("Mail Doctor")
		w.Resize(fyne.NewSize(900, 680))
		ui = gui.New(a, w, gui.Deps{Catalog: cat, Check: demoCheck, Computer: win7Computer, Plan: demoPlan, Fixer: win7Fixer{},
			Compat: kb, Lang: "it", Version: "demo"})
		w.Show()
	})
	time.Sleep(time.Second)
	ui.WaitIdle()
	for _, lang := range []string{"it", "en"} {
		for i, name := range []string{"win7-computer", "win7-fix"} {
			fyne.DoAndWait(func() {
				ui.SetLang(lang)
				if i == 0 {
					ui.Select(gui.TabComputer)
				} else {
					ui.OpenAccountFix("mario.rossi@cliente.it")
				}
			})
			ui.WaitIdle()
			time.Sleep(400 * time.Millisecond)
			path := filepath.Join(out, fmt.Sprintf("%s-%d-%s.png", lang, i+5, name))
			if err := capture(w, path); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			fmt.Println(path)
		}
	}
}

// win7Computer is Windows 7 SP1 with TLS 1.1/1.2 off and Outlook 2010
// whose account still uses STARTTLS.
func win7Computer(context.Context) (*scan.Report, error) {
	info := &system.Info{Family: "windows", Name: "Windows 7 Professional", Version: "6.1", Build: "7601", Kernel: "6.1.7601",
		TLS: system.TLS{V10: system.Default, V11: system.Off, V12: system.Off, V13: system.No}}
	info.Findings = []finding.Finding{finding.New(finding.OSTLS12Disabled, finding.Fail, "", "os", info.Name, "family", "windows")}
	ol := clients.Client{ID: "outlook", Name: "Microsoft Outlook 2010", Version: "14.0.7268.5000", Accounts: []clients.Account{{
		Email: "mario.rossi@cliente.it", Key: "00000002",
		Source:   `HKEY_CURRENT_USER\Software\Microsoft\Windows NT\CurrentVersion\Windows Messaging Subsystem\Profiles\Outlook\9375CFF0413111d3B88A00104B2A6676\00000002`,
		Incoming: &clients.Server{Protocol: server.IMAP, Host: "mail.cliente.it", Port: 993, Security: server.TLS},
		Outgoing: &clients.Server{Protocol: server.SMTP, Host: "mail.cliente.it", Port: 587, Security: server.StartTLS},
	}}}
	clients.Assess(&ol, nil)
	return &scan.Report{OS: info, Clients: []clients.Client{ol}}, nil
}

// win7Fixer shows the automatic fix and the TLS 1.2 switch; the
// screenshots press nothing.
type win7Fixer struct{}

func (win7Fixer) Apply(*plan.Plan) (*apply.Result, error)    { return nil, apply.ErrNotAutomatic }
func (win7Fixer) Undo(*plan.Plan) (*apply.UndoResult, error) { return nil, apply.ErrNoBackup }
func (win7Fixer) UndoState(*plan.Plan) gui.UndoState         { return gui.UndoState{} }
func (win7Fixer) TLS12State() gui.TLS12State                 { return gui.TLS12State{Applies: true} }
func (win7Fixer) Export(string, *plan.Plan) ([]byte, string, error) {
	return nil, "", apply.ErrNotAutomatic
}
func (win7Fixer) SwitchTLS12(bool, string) (*apply.TLS12Outcome, error) {
	return nil, apply.ErrElevationCancelled
}

// capture photographs the window as the X server shows it (ImageMagick's
// import): the GL canvas itself cannot be read back reliably under Xvfb.
func capture(w fyne.Window, path string) error {
	var size fyne.Size
	fyne.DoAndWait(func() { size = w.Canvas().Size().Max(w.Content().MinSize()) })
	geometry := fmt.Sprintf("%dx%d+0+0", int(size.Width), int(size.Height))
	out, err := exec.Command("import", "-window", "root", "-crop", geometry, "+repage", path).CombinedOutput()
	if err != nil {
		return fmt.Errorf("import %s: %v: %s", path, err, out)
	}
	return nil
}

// demoCheck returns, after a moment, what a check finds for a customer
// still on STARTTLS whose mail host is not in the certificate.
func demoCheck(ctx context.Context, opt check.Options) (*check.Report, error) {
	host := "mail.cliente.it"
	var eps []*probe.Result
	for _, p := range server.Protocols {
		for _, sec := range []server.Security{server.TLS, server.StartTLS} {
			ep := server.Endpoint{Protocol: p, Host: host, Port: server.DefaultPort(p, sec), Security: sec}
			for _, st := range []string{probe.StepDNS, probe.StepConnect, probe.StepTLS, probe.StepCert} {
				opt.Progress(ep, probe.Step{Name: st, OK: st != probe.StepCert})
			}
			eps = append(eps, &probe.Result{Endpoint: ep, Reachable: true, Auth: "skipped",
				Cert: &probe.CertInfo{Names: []string{"server7.maildoctor.example"}, Suggested: "server7.maildoctor.example"}})
		}
	}
	imap := host + ":993"
	return &check.Report{
		Email:     opt.Email,
		Verdict:   check.VerdictFail,
		Endpoints: eps,
		Discovery: check.Discovery{Source: "mx", Domain: "cliente.it", Webmail: "https://webmail.cliente.it/",
			Hosts: map[string]string{"imap": host, "pop3": host, "smtp": host}},
		Findings: []finding.Finding{
			finding.New(finding.CertHostnameMismatch, finding.Fail, imap, "host", host, "names", "server7.maildoctor.example", "suggested", "server7.maildoctor.example").
				WithEvidence("x509: certificate is valid for server7.maildoctor.example, not mail.cliente.it"),
			finding.New(finding.AuthSkipped, finding.Info, imap, "reason", "not_verified", "protocol", "IMAP"),
			finding.New(finding.TLSNoTLS13, finding.Info, host+":465"),
		},
	}, nil
}

func demoComputer(context.Context) (*scan.Report, error) {
	imap := func(host string, port int, sec server.Security) *clients.Server {
		return &clients.Server{Protocol: server.IMAP, Host: host, Port: port, Security: sec}
	}
	smtp := func(host string, port int, sec server.Security) *clients.Server {
		return &clients.Server{Protocol: server.SMTP, Host: host, Port: port, Security: sec}
	}
	rep := &scan.Report{
		OS: &system.Info{Family: "windows", Name: "Windows 10 Pro", Version: "22H2", Build: "19045.5247", Kernel: "10.0.19045",
			TLS: system.TLS{V10: system.Off, V11: system.Off, V12: system.Default, V13: system.No}},
		Clients: []clients.Client{
			{ID: "thunderbird", Name: "Thunderbird", Version: "115.12", Accounts: []clients.Account{
				{Email: "mario.rossi@cliente.it", Key: "account1", Incoming: imap("mail.cliente.it", 143, server.StartTLS), Outgoing: smtp("mail.cliente.it", 587, server.StartTLS),
					Findings: []finding.Finding{finding.New(finding.StartTLSInUse, finding.Warn, "thunderbird", "protocol", "IMAP", "port", "143", "tls_port", "993")}},
				{Email: "negozio@cliente.it", Key: "account2", Incoming: imap("mail.cliente.it", 993, server.TLS), Outgoing: smtp("mail.cliente.it", 465, server.TLS)},
			}},
			{ID: "outlook", Name: "Microsoft Outlook 2010", Version: "14.0.7015"},
		},
	}
	// The findings a real scan gives: one per server that must change.
	for i := range rep.Clients {
		clients.Assess(&rep.Clients[i], nil)
	}
	return rep, nil
}

// demoPlan plans with fix/plan itself, with the demonstration servers
// instead of discovery.
func demoPlan(_ context.Context, req advise.Request) (*plan.Plan, error) {
	var servers []discover.Server
	for _, p := range server.Protocols {
		servers = append(servers, discover.Server{Endpoint: server.Endpoint{Protocol: p, Host: "mail.cliente.it", Port: server.DefaultPort(p, server.TLS), Security: server.TLS}})
	}
	in := plan.Input{Email: req.Email, Servers: servers, System: req.System, Client: req.Client, Account: req.Account, Compat: req.Compat,
		Webmail: "https://webmail.cliente.it/"}
	if req.Check != nil {
		in.Findings = req.Check.Findings
	}
	return plan.Build(in)
}
