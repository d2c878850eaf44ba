package gui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/detect/clients/scan"
	"maildoctor.app/maildoctor/detect/compat"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/detect/system"
	"maildoctor.app/maildoctor/internal/safetext"
)

// computerScreen is "This computer": the system and its TLS, then every
// mail program with its compatibility verdict and each account with a
// traffic light and one sentence.
type computerScreen struct {
	u       *UI
	content fyne.CanvasObject
	body    *fyne.Container
	// busy is the animated bar while the computer is examined; it is
	// stopped as soon as the answer arrives (an infinite bar left running
	// off screen keeps redrawing the window for nothing).
	busy *widget.ProgressBarInfinite
	// measured are the programs' handshakes against the checked
	// account's server (measuredRows), by program and server.
	measured map[string]*measurement
}

func newComputerScreen(u *UI) *computerScreen {
	s := &computerScreen{u: u, body: container.NewVBox()}
	s.content = container.NewVScroll(container.NewPadded(s.body))
	return s
}

// load describes the computer off the UI goroutine.
func (s *computerScreen) load() {
	u := s.u
	if u.deps.Computer == nil {
		return
	}
	s.stopBusy()
	s.busy = widget.NewProgressBarInfinite()
	s.body.Objects = []fyne.CanvasObject{s.busy, widget.NewLabel(u.T("gui.computer.loading"))}
	s.body.Refresh()
	u.background(func() {
		c, err := u.deps.Computer(u.ctx)
		if err != nil {
			c = &scan.Report{Findings: []finding.Finding{finding.New(finding.GUIComputerFailed, finding.Warn, "").WithEvidence(err.Error())}}
		}
		u.do(func() {
			u.computer = c
			u.retarget()
			u.computerScreen.render()
			if u.tabs != nil && u.tabs.SelectedIndex() == TabAccount {
				u.suggestEmail()
			}
			// The Fix screen follows: its account as it is now, or the
			// list of accounts to choose from.
			if u.tabs != nil && u.tabs.SelectedIndex() == TabFix {
				u.fix.render()
			}
		})
	})
}

// stopBusy stops the progress bar's animation.
func (s *computerScreen) stopBusy() {
	if s.busy != nil {
		s.busy.Stop()
		s.busy = nil
	}
}

// Refresh examines the computer again (after a fix, or on demand).
func (u *UI) Refresh() { u.computerScreen.load() }

// retarget points the Fix screen at the same account in a new
// description of the computer.
func (u *UI) retarget() {
	t := u.fixFor
	if t == nil || u.computer == nil {
		return
	}
	for i := range u.computer.Clients {
		cl := &u.computer.Clients[i]
		if cl.ID != t.client.ID {
			continue
		}
		for j := range cl.Accounts {
			if a := &cl.Accounts[j]; a.Key == t.account.Key && strings.EqualFold(a.Email, t.account.Email) {
				u.fixFor = &fixTarget{client: cl, account: a}
				return
			}
		}
	}
}

func (s *computerScreen) render() {
	u := s.u
	c := u.computer
	if c == nil {
		return
	}
	s.stopBusy()
	refresh := widget.NewButtonWithIcon(u.T("gui.computer.refresh"), theme.ViewRefreshIcon(), s.load)
	objs := []fyne.CanvasObject{container.NewBorder(nil, nil, nil, refresh, s.summary(c))}
	if c.OS != nil {
		objs = append(objs, bold(u.Tf("gui.computer.os", "os", osLine(c.OS))), wrapped(s.tlsLine(c.OS.TLS)))
		for _, f := range u.localize(c.OS.Findings) {
			objs = append(objs, u.findingCard(f, u.osFindingAction(f)))
		}
	}
	for _, f := range u.localize(c.Findings) {
		objs = append(objs, u.findingCard(f, nil))
	}
	if len(c.Clients) == 0 {
		objs = append(objs, wrapped(u.T("gui.computer.no_clients")))
	}
	for i := range c.Clients {
		objs = append(objs, s.clientCard(&c.Clients[i]))
	}
	objs = append(objs, container.NewHBox(widget.NewButtonWithIcon(u.T("gui.computer.test_account"), theme.MailComposeIcon(), func() { u.Select(TabAccount) })))
	s.body.Objects = objs
	s.body.Refresh()
}

// needsChange says whether an account must be changed: a warning or a
// failure about it, and not one whose connection someone else manages.
func needsChange(a *clients.Account) bool {
	if a.Kind != "" {
		return false
	}
	sev := finding.Worst(a.Findings)
	return sev == finding.Warn || sev == finding.Fail
}

// summary is the one sentence on top: how many accounts must change.
func (s *computerScreen) summary(c *scan.Report) fyne.CanvasObject {
	u := s.u
	n, total := 0, 0
	for i := range c.Clients {
		for j := range c.Clients[i].Accounts {
			total++
			if a := &c.Clients[i].Accounts[j]; needsChange(a) || s.waitsForTLS12(&c.Clients[i], a) {
				n++
			}
		}
	}
	switch {
	case n == 1:
		return banner(finding.Warn, u.T("gui.computer.summary_one"))
	case n > 1:
		return banner(finding.Warn, u.Tf("gui.computer.summary_many", "count", strconv.Itoa(n)))
	case total > 0:
		return banner(finding.OK, u.T("gui.computer.summary_none"))
	}
	return banner(finding.Info, u.T("gui.computer.summary_no_accounts"))
}

func osLine(i *system.Info) string {
	parts := []string{i.Name}
	if i.Version != "" && !strings.Contains(i.Name, i.Version) {
		parts = append(parts, i.Version)
	}
	if i.Build != "" {
		parts = append(parts, "("+i.Build+")")
	}
	return strings.Join(parts, " ")
}

func (s *computerScreen) tlsLine(t system.TLS) string {
	var parts []string
	for _, v := range system.Versions {
		parts = append(parts, "TLS "+v+": "+s.u.T("detect.tls_state."+string(t.Get(v))))
	}
	return s.u.Tf("detect.tls", "versions", strings.Join(parts, " · "))
}

// clientCard lists a program's verdict and its accounts; a tap on an
// account opens the fix for it.
func (s *computerScreen) clientCard(cl *clients.Client) fyne.CanvasObject {
	u := s.u
	var rows []fyne.CanvasObject
	if v, ok := s.verdict(cl); ok {
		rows = append(rows, s.verdictRow(cl.Name, v))
		rows = append(rows, s.measuredRows(cl, v)...)
	}
	for _, f := range u.localize(cl.Findings) {
		rows = append(rows, u.findingCard(f, nil))
	}
	if len(cl.Accounts) == 0 {
		rows = append(rows, wrapped(u.T("gui.computer.no_accounts")))
	}
	for i := range cl.Accounts {
		rows = append(rows, s.accountRow(cl, &cl.Accounts[i]))
	}
	title := cl.Name
	if cl.Version != "" {
		title += " " + cl.Version
	}
	return section(title, container.NewVBox(rows...))
}

func (s *computerScreen) accountRow(cl *clients.Client, a *clients.Account) fyne.CanvasObject {
	u := s.u
	fs := u.localize(a.Findings)
	finding.Sort(fs)
	sev := finding.Worst(fs)
	email := a.Email
	if email == "" {
		email = u.T("detect.no_email")
	}
	details := []fyne.CanvasObject{bold(safetext.Line(email))}
	blocked := s.waitsForTLS12(cl, a)
	if blocked {
		// Windows' switch comes first: until then the right settings
		// do not connect either (issue 14: IMAP on 993 looked fine).
		details = append(details, wrapped("• "+u.Tf("gui.computer.waits_tls12", "client", cl.Name)))
		sev = finding.Fail
	}
	switch {
	case a.Kind != "":
		details = append(details, wrapped(u.T("detect.kind."+string(a.Kind))))
	case sev == finding.Warn || sev == finding.Fail:
		// Every change the account needs, incoming and outgoing: one
		// line each.
		for _, f := range fs {
			if f.Severity == finding.Warn || f.Severity == finding.Fail {
				details = append(details, wrapped("• "+safetext.Line(f.Title)))
			}
		}
	case !blocked:
		details = append(details, wrapped(u.T("gui.computer.account_ok")))
	}
	if line := serversLine(u, a); line != "" {
		details = append(details, wrapped(safetext.Line(line)))
	}
	if !needsChange(a) && !blocked {
		// Nothing to do: no button that suggests otherwise.
		return container.NewBorder(nil, nil, widget.NewIcon(severityIcon(sev)), nil, container.NewVBox(details...))
	}
	open := widget.NewButtonWithIcon(u.T("gui.computer.fix"), theme.NavigateNextIcon(), func() {
		u.openFix(cl, a)
	})
	open.Importance = widget.HighImportance
	return container.NewBorder(nil, nil, widget.NewIcon(severityIcon(sev)), container.NewVBox(open), container.NewVBox(details...))
}

// waitsForTLS12: the program uses Windows' own TLS, which has TLS 1.2
// switched off, so the account cannot connect whatever its settings.
func (s *computerScreen) waitsForTLS12(cl *clients.Client, a *clients.Account) bool {
	c := s.u.computer
	if a.Kind != "" || c == nil || c.OS == nil || !finding.Has(c.OS.Findings, finding.OSTLS12Disabled) {
		return false
	}
	v, ok := s.verdict(cl)
	if !ok {
		return false
	}
	for _, sup := range v.TLS {
		if sup.Via == compat.ViaSystem {
			return true
		}
	}
	return false
}

func serversLine(u *UI, a *clients.Account) string {
	var parts []string
	for _, srv := range []*clients.Server{a.Incoming, a.Outgoing} {
		if srv != nil && srv.Host != "" {
			parts = append(parts, srv.Protocol.Name()+" "+srv.Addr()+" "+u.T("security."+string(srv.Security)))
		}
	}
	return strings.Join(parts, "  /  ")
}

// verdict asks the knowledge base whether this program on this system
// can reach a server that requires TLS 1.2 and has closed STARTTLS.
func (s *computerScreen) verdict(cl *clients.Client) (compat.Verdict, bool) {
	u := s.u
	if u.computer == nil {
		return compat.Verdict{}, false
	}
	return u.deps.Compat.ForProgram(u.computer.OS, cl.ID, cl.Version)
}

// verdictRow says in one sentence whether the program can still connect,
// with the actions folded under it. With the program's name (This
// computer) a program that works says what it is: it can use TLS 1.2.
func (s *computerScreen) verdictRow(name string, v compat.Verdict) fyne.CanvasObject {
	u := s.u
	sev := map[compat.Outcome]finding.Severity{compat.Works: finding.OK, compat.NeedsAction: finding.Warn, compat.Unsupported: finding.Fail}[v.Verdict]
	text := u.T("compat.verdict." + string(v.Verdict))
	if v.Verdict == compat.Works && name != "" {
		text = u.Tf("gui.computer.program_works", "client", name, "versions", tlsVersions(v))
	}
	head := container.NewBorder(nil, nil, widget.NewIcon(severityIcon(sev)), nil, bold(text))
	if len(v.Actions) == 0 || v.Verdict == compat.Works {
		return head
	}
	var acts []fyne.CanvasObject
	for _, a := range v.Actions {
		acts = append(acts, wrapped("• "+u.tr.T(a.Key, u.deps.Compat.LocalArgs(a.Args, u.Lang()))))
	}
	return container.NewVBox(head, widget.NewAccordion(widget.NewAccordionItem(u.T("gui.computer.actions"), container.NewVBox(acts...))))
}

// tlsVersions lists the TLS versions 1.2 and up the program can use here
// ("TLS 1.2 e 1.3").
func tlsVersions(v compat.Verdict) string {
	var on []string
	for _, ver := range []string{server.TLS12.String(), server.TLS13.String()} {
		if sup, ok := v.TLS[ver]; ok && (sup.State == compat.Default || sup.State == compat.Cloud) {
			on = append(on, ver)
		}
	}
	if len(on) == 0 {
		return "TLS 1.2"
	}
	return "TLS " + strings.Join(on, " / ")
}
