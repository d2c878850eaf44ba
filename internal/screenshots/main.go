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
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/probe"
	"maildoctor.app/maildoctor/detect/server"
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
	ui := gui.New(a, w, gui.Deps{Catalog: cat, Check: demoCheck, Computer: demoComputer, Lang: "it", Version: "demo"})
	go func() {
		time.Sleep(time.Second)
		ui.WaitIdle()
		fyne.DoAndWait(func() { ui.Prefill("mario.rossi@cliente.it", nil); ui.StartCheck() })
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
				Cert: &probe.CertInfo{Names: []string{"server7.hostingitalia.it"}, Suggested: "server7.hostingitalia.it"}})
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
			finding.New("cert.hostname_mismatch", finding.Fail, imap, "host", host, "names", "server7.hostingitalia.it", "suggested", "server7.hostingitalia.it").
				WithEvidence("x509: certificate is valid for server7.hostingitalia.it, not mail.cliente.it"),
			finding.New("auth.skipped", finding.Info, imap, "reason", "not_verified", "protocol", "IMAP"),
			finding.New("tls.no_tls13", finding.Info, host+":465"),
		},
	}, nil
}

func demoComputer(context.Context) (*gui.Computer, error) {
	return &gui.Computer{
		OS: "Windows 10 Pro 22H2 (19045)",
		Clients: []gui.Client{
			{ID: "thunderbird", Name: "Thunderbird", Version: "115.12",
				Accounts: []gui.Account{
					{Email: "mario.rossi@cliente.it", Incoming: "IMAP mail.cliente.it:143 STARTTLS", Outgoing: "SMTP mail.cliente.it:587 STARTTLS",
						Findings: []finding.Finding{finding.New("starttls.in_use", finding.Warn, "thunderbird", "protocol", "IMAP", "port", "143", "tls_port", "993")}},
					{Email: "negozio@cliente.it", Incoming: "IMAP mail.cliente.it:993 SSL/TLS", Outgoing: "SMTP mail.cliente.it:465 SSL/TLS"},
				}},
		},
	}, nil
}
