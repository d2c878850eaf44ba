package gui

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"maildoctor.app/maildoctor/detect/check"
	"maildoctor.app/maildoctor/detect/clients/scan"
	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/probe"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/detect/trust"
	"maildoctor.app/maildoctor/internal/safetext"
)

// accountState is what the user typed; it outlives a language switch.
// The password is not part of it: it lives only in its entry.
type accountState struct {
	email            string
	imap, pop3, smtp string
	// link is what the last support link filled in (nil: none, or the
	// user cancelled it).
	link *linkFill
	// last is the last check's options without the password and the
	// progress callback, for "trust this server and test".
	last *check.Options
	// suggested is set once the address was filled in from this
	// computer's accounts: a field the customer cleared stays cleared.
	suggested bool
}

// accountScreen is "Test my account": address, password, optional
// servers, live progress per endpoint, then the results.
type accountScreen struct {
	u        *UI
	content  fyne.CanvasObject
	email    *entry
	password *entry
	hosts    map[server.Protocol]*entry
	start    *widget.Button
	stop     *widget.Button
	status   *widget.Label
	progress *fyne.Container
	// rowBox holds one line per endpoint; folded away once results show.
	rowBox  *fyne.Container
	results *fyne.Container
	rows    map[string]*progressRow
	cancel  context.CancelFunc
	// asking is set while a question before the check is open.
	asking bool
}

func newAccountScreen(u *UI) *accountScreen {
	s := &accountScreen{u: u, rows: map[string]*progressRow{}, hosts: map[server.Protocol]*entry{}}
	s.email = u.newEntry()
	s.email.SetPlaceHolder(u.T("gui.account.email_hint"))
	s.email.SetText(u.state.email)
	s.email.OnChanged = func(t string) { u.state.email = t }
	s.email.OnSubmitted = func(string) { s.run() }
	s.password = u.newPasswordEntry()
	s.password.SetPlaceHolder(u.T("gui.account.password_hint"))
	s.password.OnSubmitted = func(string) { s.run() }
	s.start = widget.NewButtonWithIcon(u.T("gui.account.start"), theme.MediaPlayIcon(), s.run)
	s.start.Importance = widget.HighImportance
	s.stop = widget.NewButtonWithIcon(u.T("gui.account.cancel"), theme.CancelIcon(), s.cancelRun)
	s.stop.Disable()
	s.status = wrapped("")
	s.status.Hide()
	s.progress = container.NewVBox()
	s.rowBox = container.NewVBox()
	s.results = container.NewVBox()

	form := widget.NewForm(
		widget.NewFormItem(u.T("gui.account.email"), s.email),
		widget.NewFormItem(u.T("gui.account.password"), s.password),
	)
	advanced := widget.NewAccordion(widget.NewAccordionItem(u.T("gui.account.advanced"), s.advancedForm()))
	top := container.NewVBox(
		wrapped(u.T("gui.account.intro")),
		form,
		advanced,
		container.NewHBox(s.start, s.stop),
		s.status,
	)
	s.content = container.NewVScroll(container.NewPadded(container.NewVBox(top, s.progress, s.results)))
	return s
}

func (s *accountScreen) advancedForm() fyne.CanvasObject {
	u := s.u
	items := []*widget.FormItem{}
	values := map[server.Protocol]*string{server.IMAP: &u.state.imap, server.POP3: &u.state.pop3, server.SMTP: &u.state.smtp}
	for _, p := range server.Protocols {
		p := p
		e := u.newEntry()
		e.SetPlaceHolder(u.T("gui.account.host_hint." + string(p)))
		e.SetText(*values[p])
		e.OnChanged = func(t string) { *values[p] = t }
		e.OnSubmitted = func(string) { s.run() }
		s.hosts[p] = e
		items = append(items, widget.NewFormItem(p.Name(), e))
	}
	return container.NewVBox(wrapped(u.T("gui.account.advanced_intro")), widget.NewForm(items...))
}

// run is the Test button. It reads the form, asks first what must be
// asked — whether to fetch the provider settings a support link names,
// and whether the password may go to servers the link filled in — then
// starts the check. A second Enter while a check runs or a question is
// open does nothing.
func (s *accountScreen) run() {
	u := s.u
	if s.cancel != nil || s.asking {
		return
	}
	email := strings.TrimSpace(s.email.Text)
	if _, _, err := discover.SplitAddress(email); err != nil {
		s.setError(s.addressError(email))
		return
	}
	manual := map[server.Protocol]string{}
	for p, e := range s.hosts {
		if h := strings.TrimSpace(e.Text); h != "" {
			if _, _, err := server.ParseHostPort(h); err != nil {
				s.setError(u.Tf("gui.account.bad_host", "host", safetext.Line(h)))
				return
			}
			manual[p] = h
		}
	}
	opt := check.Options{Email: email, Manual: manual, Profiles: append([]*discover.Profile(nil), u.deps.Profiles...),
		Trust: s.trustPolicy(email, manual)}
	// Servers a link filled in that the trust rule does not cover. Without
	// a password nothing is sent anywhere, so there is nothing to ask.
	var ask []untrustedHost
	seen := map[string]bool{}
	for _, p := range server.Protocols {
		v, ok := manual[p]
		if !ok || !u.state.link.fromLink(p, v) || s.password.Text == "" || opt.Trust.Trusted(v) {
			continue
		}
		h, _, _ := server.ParseHostPort(v)
		if !seen[h] {
			seen[h] = true
			ask = append(ask, untrustedHost{protocol: p.Name(), host: h})
		}
	}
	s.asking = true
	u.askLinkedProfile(email, func(linked *discover.Profile) {
		if linked != nil {
			opt.Profiles = append(opt.Profiles, linked)
		}
		// Cancel here still runs the check, with those servers probed
		// but not given the password: the customer pressed Test to learn
		// what is wrong, and declining to hand the password to a server
		// is not declining the test. The report then says which servers
		// were left out, each with "trust this server and test" should
		// the customer change their mind.
		u.confirmHosts(opt.Trust, ask, false, func(confirmed []string) {
			s.asking = false
			opt.Trust.Confirmed = append(opt.Trust.Confirmed, confirmed...)
			u.account.launch(opt)
		})
	})
}

// launch starts the check opt describes, with the password in the form.
func (s *accountScreen) launch(opt check.Options) {
	u := s.u
	if s.cancel != nil {
		return
	}
	last := opt
	last.Password, last.Progress, last.EarlyVerdict = nil, nil, nil
	u.state.last = &last
	if pass := s.password.Text; pass != "" {
		opt.Password = &pass
	}
	ctx, cancel := context.WithCancel(u.ctx)
	s.cancel = cancel
	opt.Progress = func(ep server.Endpoint, st probe.Step) {
		u.do(func() { s.onStep(ep, st) })
	}
	// The verdict is final before the slowest TLS version checks end:
	// the customer reads it while they finish.
	opt.EarlyVerdict = func(v check.Verdict) {
		u.do(func() {
			if s.cancel != nil && ctx.Err() == nil {
				s.setStatus(u.T("cli.check.verdict."+string(v)) + " " + u.T("gui.account.finishing"))
			}
		})
	}
	s.setRunning(true)
	u.background(func() {
		rep, err := u.deps.Check(ctx, opt)
		if check.IsCancelled(ctx) {
			// A stopped check is not a result: nothing to show or send.
			rep, err = nil, nil
		}
		u.do(func() { s.finish(rep, err) })
	})
}

// addressError says what is wrong with the address, with the likely typo.
func (s *accountScreen) addressError(email string) string {
	u := s.u
	switch {
	case email == "":
		return u.T("gui.account.no_email")
	case strings.Contains(email, ","):
		return u.Tf("gui.account.comma", "email", safetext.Line(email), "fixed", safetext.Line(strings.Replace(email, ",", ".", -1)))
	}
	return u.Tf("gui.account.bad_email", "email", safetext.Line(email))
}

// setError shows an error instead of the last results: a result about
// another address (or a typo of it) must not stay under the error.
func (s *accountScreen) setError(text string) {
	s.clearResults()
	s.setStatus(text)
	s.status.Importance = widget.DangerImportance
	s.status.Refresh()
}

// clearResults takes the last check's results off the screen.
func (s *accountScreen) clearResults() {
	s.progress.Objects = nil
	s.progress.Refresh()
	s.results.Objects = nil
	s.results.Refresh()
}

// setStatus shows a sentence under the buttons, or nothing.
func (s *accountScreen) setStatus(text string) {
	s.status.Importance = widget.MediumImportance
	s.status.SetText(text)
	if text == "" {
		s.status.Hide()
	} else {
		s.status.Show()
	}
}

func (s *accountScreen) cancelRun() {
	if s.cancel != nil {
		s.cancel()
		s.setStatus(s.u.T("gui.account.cancelling"))
	}
}

func (s *accountScreen) setRunning(on bool) {
	if on {
		s.start.Disable()
		s.stop.Enable()
		s.setStatus(s.u.T("gui.account.running"))
		s.rows = map[string]*progressRow{}
		s.rowBox = container.NewVBox()
		s.progress.Objects = []fyne.CanvasObject{bold(s.u.T("gui.account.progress")), s.rowBox}
		s.progress.Refresh()
		s.results.Objects = nil
		s.results.Refresh()
		return
	}
	s.start.Enable()
	s.stop.Disable()
}

// progressRow is one endpoint's live line.
type progressRow struct {
	icon  *widget.Icon
	state *widget.Label
}

func (s *accountScreen) onStep(ep server.Endpoint, st probe.Step) {
	key := ep.Addr() + string(ep.Security)
	row, ok := s.rows[key]
	if !ok {
		row = &progressRow{icon: widget.NewIcon(theme.ViewRefreshIcon()), state: widget.NewLabel("")}
		name := fmt.Sprintf("%s  %s  %s", ep.Protocol.Name(), ep.Addr(), s.u.T("security."+string(ep.Security)))
		s.rows[key] = row
		s.rowBox.Add(container.NewBorder(nil, nil, row.icon, nil, container.NewGridWithColumns(2, widget.NewLabel(name), row.state)))
	}
	text := s.u.T("gui.step." + st.Name)
	if st.OK {
		row.icon.SetResource(theme.NewSuccessThemedResource(theme.ConfirmIcon()))
	} else {
		row.icon.SetResource(theme.NewErrorThemedResource(theme.ErrorIcon()))
		text += " — " + s.u.T("gui.step.failed")
	}
	row.state.SetText(text)
}

func (s *accountScreen) finish(rep *check.Report, err error) {
	s.cancel = nil
	s.setRunning(false)
	u := s.u
	switch {
	case err != nil:
		s.setError(u.Tf("gui.account.error", "error", safetext.Line(err.Error())))
		return
	case rep == nil:
		s.setStatus(u.T("gui.account.cancelled"))
		return
	}
	u.report = rep
	s.setStatus("")
	s.foldProgress()
	s.renderReport()
	// This computer measures the programs holding this address against
	// its server (measuredRows).
	u.computerScreen.render()
}

// foldProgress tucks the per-endpoint lines under "details" so the
// results come first.
func (s *accountScreen) foldProgress() {
	if len(s.rowBox.Objects) == 0 {
		return
	}
	s.progress.Objects = []fyne.CanvasObject{widget.NewAccordion(widget.NewAccordionItem(s.u.T("gui.account.steps"), s.rowBox))}
	s.progress.Refresh()
}

// renderReport shows the last report: verdict, then the findings grouped by
// server, each as verdict → why → what to do → details.
func (s *accountScreen) renderReport() {
	u := s.u
	rep := u.report
	if rep == nil {
		return
	}
	fs := u.localize(append(append([]finding.Finding(nil), rep.Findings...), s.closingFindings(rep)...))
	finding.Sort(fs)
	sev := finding.Worst(fs)
	if sev == finding.Info {
		sev = finding.OK
	}
	verdict := u.T("gui.verdict." + string(rep.Verdict))
	if startTLSOnly(rep) {
		// Every login worked over STARTTLS and the secure ports do not
		// answer at all: it works today, and it is the provider's to fix.
		sev, verdict = finding.Warn, u.T("gui.verdict.starttls_only")
	}
	head := verdict
	if lead := leadFinding(fs); lead != nil && sev != finding.OK {
		// The verdict leads with the most important finding.
		head = safetext.Line(lead.Title) + "\n" + verdict
	}
	objs := []fyne.CanvasObject{banner(sev, head)}
	for _, group := range groupByEndpoint(fs) {
		head := group.endpoint
		if head == "" {
			head = u.T("gui.account.general")
		}
		var cards []fyne.CanvasObject
		for _, f := range group.findings {
			id := f.ID
			cards = append(cards, u.findingCard(f, func() { u.fixFinding(id) }))
			if f.ID == finding.AuthHostNotTrusted {
				if a := u.hostAction(f); a != nil {
					cards = append(cards, a)
				}
			}
		}
		objs = append(objs, section(head, container.NewVBox(cards...)))
	}
	objs = append(objs, container.NewHBox(
		widget.NewButtonWithIcon(u.T("gui.account.to_fix"), theme.NavigateNextIcon(), func() { u.Select(TabFix) }),
		widget.NewButtonWithIcon(u.T("gui.account.to_support"), theme.MailSendIcon(), func() { u.Select(TabSupport) }),
	))
	s.results.Objects = objs
	s.results.Refresh()
}

// importance orders findings of the same severity for the headline:
// what stops the mail first, the account's settings next, the rest after.
var importance = []string{finding.AuthFailed, "dns.", "tcp.", "protocol.", "tls.", "cert.", "clock.", "implicit.", finding.GUIStartTLSClosing, "starttls.", "plain.", "auth."}

func rankOf(id string) int {
	for i, p := range importance {
		if strings.HasPrefix(id, p) {
			return i
		}
	}
	return len(importance)
}

// leadFinding is the most important warning or failure, nil when none.
func leadFinding(fs []finding.Finding) *finding.Finding {
	var best *finding.Finding
	for i := range fs {
		f := &fs[i]
		if f.Severity != finding.Warn && f.Severity != finding.Fail {
			continue
		}
		if best == nil || f.Severity.Rank() > best.Severity.Rank() ||
			f.Severity.Rank() == best.Severity.Rank() && rankOf(f.ID) < rankOf(best.ID) {
			best = f
		}
	}
	return best
}

// endpointWorks: TLS was agreed with a certificate that verified.
func endpointWorks(r *probe.Result) bool {
	return r.TLS != nil && r.TLS.Negotiated != "" && r.Cert != nil && r.Cert.Trusted && r.Cert.HostnameMatch
}

// startTLSOnly: no SSL/TLS port works, every STARTTLS one does, every
// login tried worked, and the only failures are the secure ports not
// answering.
func startTLSOnly(rep *check.Report) bool {
	st, logins := 0, 0
	for _, r := range rep.Endpoints {
		switch {
		case r.Security == server.TLS && endpointWorks(r):
			return false
		case r.Security == server.StartTLS:
			if !endpointWorks(r) || r.Auth == "failed" {
				return false
			}
			st++
			if r.Auth == "ok" {
				logins++
			}
		}
	}
	if st == 0 || logins == 0 {
		return false
	}
	for _, f := range rep.Findings {
		if f.Severity == finding.Fail && f.ID != finding.ImplicitUnavailable && !strings.HasPrefix(f.ID, "tcp.") {
			return false
		}
	}
	return true
}

// closingFindings say, for each STARTTLS port that works today, that the
// provider closes it on the date its profile announces.
func (s *accountScreen) closingFindings(rep *check.Report) []finding.Finding {
	u := s.u
	_, domain, err := discover.SplitAddress(rep.Email)
	if err != nil {
		return nil
	}
	var when time.Time
	found := false
	for _, p := range u.deps.Profiles {
		if p != nil && p.Covers(domain) {
			when, found = p.Provider.StartTLSEndDate()
		}
	}
	if !found {
		return nil
	}
	date := when.Format("02/01/2006")
	if u.Lang() == "en" {
		date = when.Format("2 January 2006")
	}
	var out []finding.Finding
	for _, r := range rep.Endpoints {
		if r.Security != server.StartTLS || !endpointWorks(r) {
			continue
		}
		out = append(out, finding.New(finding.GUIStartTLSClosing, finding.Warn, r.Addr(),
			"protocol", r.Protocol.Name(), "port", strconv.Itoa(r.Port), "date", date,
			"tls_port", strconv.Itoa(server.DefaultPort(r.Protocol, server.TLS))))
	}
	return out
}

type findingGroup struct {
	endpoint string
	findings []finding.Finding
}

// groupByEndpoint keeps the report's order (worst first) inside each
// group, and orders the groups by their worst finding.
func groupByEndpoint(fs []finding.Finding) []findingGroup {
	idx := map[string]int{}
	var groups []findingGroup
	for _, f := range fs {
		i, ok := idx[f.Endpoint]
		if !ok {
			i = len(groups)
			idx[f.Endpoint] = i
			groups = append(groups, findingGroup{endpoint: f.Endpoint})
		}
		groups[i].findings = append(groups[i].findings, f)
	}
	sort.SliceStable(groups, func(a, b int) bool {
		return finding.Worst(groups[a].findings).Rank() > finding.Worst(groups[b].findings).Rank()
	})
	return groups
}

// Prefill puts an address and servers into "Test my account" (from a
// support link) and shows it; nothing is contacted until the user starts.
func (u *UI) Prefill(email string, hosts map[server.Protocol]string) {
	u.state.email = email
	u.account.email.SetText(email)
	for p, h := range hosts {
		if e, ok := u.account.hosts[p]; ok {
			e.SetText(h)
		}
	}
	u.Select(TabAccount)
}

// StartCheck starts the check of what "Test my account" holds, as the
// Test button does.
func (u *UI) StartCheck() { u.account.run() }

// trustPolicy is who may be given the password in this check: the
// built-in profile (always Profiles[0]), the address's domain, and the
// servers the user typed. A server a support link filled in is not typed
// by the user unless they changed that field: it gets the password only
// once confirmed (run asks).
func (s *accountScreen) trustPolicy(email string, manual map[server.Protocol]string) trust.Policy {
	pol := trust.Policy{}
	if len(s.u.deps.Profiles) > 0 {
		pol.Provider = s.u.deps.Profiles[0]
	}
	if _, d, err := discover.SplitAddress(email); err == nil {
		pol.Domain = d
	}
	for _, p := range server.Protocols {
		if v, ok := manual[p]; ok && !s.u.state.link.fromLink(p, v) {
			pol.Typed = append(pol.Typed, v)
		}
	}
	return pol
}

// suggestEmail fills an empty address with the computer's account that
// most needs the test, once: the customer came to test their own
// account, and a detected one saves typing it. Only the address: a
// password is never read from the computer.
func (u *UI) suggestEmail() {
	if u.state.suggested || u.state.email != "" || u.computer == nil {
		return
	}
	e := detectedEmail(u.computer)
	if e == "" {
		return
	}
	u.state.suggested = true
	u.account.email.SetText(e)
	u.account.email.CursorColumn = len([]rune(e))
}

// detectedEmail is the first account that must change, else the first
// account with an address.
func detectedEmail(c *scan.Report) string {
	first := ""
	for i := range c.Clients {
		for j := range c.Clients[i].Accounts {
			a := &c.Clients[i].Accounts[j]
			if a.Email == "" || a.Kind != "" {
				continue
			}
			if needsChange(a) {
				return a.Email
			}
			if first == "" {
				first = a.Email
			}
		}
	}
	return first
}

// focusAccount puts the cursor in the address when "Test my account"
// is reached by keyboard, so the customer can type (or press Enter) at
// once. Opened with the mouse it is left unfocused: the mouse comes next,
// and a focused field's blinking cursor redraws the window at rest (98
// CPU ticks in 15 s against 23 for a minimal Fyne app).
func (u *UI) focusAccount() {
	if c := u.win.Canvas(); c != nil {
		c.Focus(u.account.email)
	}
}
