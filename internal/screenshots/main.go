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
		fyne.Do(a.Quit)
	}()
	w.ShowAndRun()
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
