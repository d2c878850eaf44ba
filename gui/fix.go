package gui

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/fix/advise"
	"maildoctor.app/maildoctor/fix/apply"
	"maildoctor.app/maildoctor/fix/plan"
	"maildoctor.app/maildoctor/internal/safetext"
)

// Fixer makes the safe automatic change of a plan and undoes it
// (fix/apply in the app); Export writes a plan's export (fix/export).
type Fixer interface {
	Apply(p *plan.Plan) (*apply.Result, error)
	Undo(p *plan.Plan) (*apply.UndoResult, error)
	Export(kind string, p *plan.Plan) (data []byte, filename string, err error)
}

// UndoChecker is what a Fixer may also tell before anything is pressed:
// whether there is a change of Mail Doctor's to undo for the plan's
// account, and whether its program is open (the fix and its undo wait
// until it is closed). The app's Fixer has it; without it Undo stays
// enabled and the Fixer's own answer decides.
type UndoChecker interface {
	UndoState(p *plan.Plan) UndoState
}

// UndoState is the answer of UndoChecker.
type UndoState struct {
	// CanUndo: a backup of an earlier automatic change exists.
	CanUndo bool
	// Running: the program is open now.
	Running bool
}

// fixTarget is an account found on this computer.
type fixTarget struct {
	client  *clients.Client
	account *clients.Account
}

// fixScreen shows the plan for one account: the steps for the customer's
// own program with the values to type, the automatic fix where it is safe,
// the exports, and webmail as the way out.
type fixScreen struct {
	u       *UI
	content fyne.CanvasObject
	body    *fyne.Container
	plan    *plan.Plan
	// planFor remembers what the plan was made for, so switching tabs
	// does not make it again.
	planFor string
	// busy is the animated bar while the plan is made; stopped when the
	// plan (or an error) arrives.
	busy *widget.ProgressBarInfinite
	// done is the outcome of the last automatic change or undo, for the
	// account doneFor names: it replaces the "change these settings"
	// banner.
	done    *fixOutcome
	doneFor string
	// undo says whether Undo can be pressed, for the plan shown.
	undo    UndoState
	undoFor string
	// tls12 is what the Fixer says about switching TLS 1.2 on in
	// Windows; tls12Done the outcome of the last press in this window.
	tls12     TLS12State
	tls12Done *tls12Outcome
	// tls12Bar turns while the window waits for Windows' question and
	// the copy of Mail Doctor started as administrator.
	tls12Bar *widget.ProgressBarInfinite
	// scroll is the screen's scroll area; anchors are the plan's
	// sections by id, and want the one a finding's "How to fix it" asked
	// to show (anchors.go).
	scroll  *container.Scroll
	anchors map[string]fyne.CanvasObject
	want    string
}

// fixOutcome is what the last automatic change or undo did.
type fixOutcome struct {
	sev  finding.Severity
	text string
}

func newFixScreen(u *UI) *fixScreen {
	s := &fixScreen{u: u, body: container.NewVBox()}
	s.content = s.newFixScroll()
	s.render()
	return s
}

// openFix shows the plan for an account of a program on this computer.
func (u *UI) openFix(cl *clients.Client, a *clients.Account) {
	u.fixFor = &fixTarget{client: cl, account: a}
	if a.Email != "" {
		u.state.email = a.Email
	}
	u.Select(TabFix)
	u.fix.render()
}

func (s *fixScreen) request() (advise.Request, string) {
	u := s.u
	req := advise.Request{Check: u.report}
	if u.computer != nil {
		req.System = u.computer.OS
	}
	if t := u.fixFor; t != nil {
		req.Client, req.Account, req.Email = t.client, t.account, t.account.Email
		if v, ok := u.computerScreen.verdict(t.client); ok {
			req.Compat, req.CompatActions = v.Verdict, v.Actions
		}
	}
	if req.Email == "" && u.report != nil {
		req.Email = u.report.Email
	}
	if u.report != nil && !strings.EqualFold(u.report.Email, req.Email) {
		req.Check = nil
	}
	key := req.Email
	if req.Client != nil {
		// The account's servers are part of the key: after a fix the
		// refreshed account gets a new plan.
		key += "|" + req.Client.ID + "|" + req.Account.Key + "|" + serversLine(u, req.Account)
	}
	if req.Check != nil {
		key += "|" + req.Check.StartedAt.String()
	}
	return req, key + "|" + u.Lang()
}

// accountKey names the account the screen is about, for the outcome of
// a change.
func (s *fixScreen) accountKey() string {
	if t := s.u.fixFor; t != nil {
		return t.client.ID + "|" + t.account.Key + "|" + strings.ToLower(t.account.Email)
	}
	return ""
}

func (s *fixScreen) render() {
	u := s.u
	req, key := s.request()
	if req.Email == "" || u.deps.Plan == nil {
		s.show(s.chooser(true)...)
		return
	}
	if key == s.planFor && s.plan != nil {
		s.showPlan(s.plan)
		return
	}
	s.planFor = key
	s.stopBusy()
	s.busy = widget.NewProgressBarInfinite()
	s.show(s.busy, widget.NewLabel(u.T("gui.fix.loading")))
	fixer, _ := u.deps.Fixer.(UndoChecker)
	switcher, _ := u.deps.Fixer.(TLS12Switcher)
	u.background(func() {
		p, err := u.deps.Plan(u.ctx, req)
		if p != nil {
			plan.Localize(p, u.tr)
		}
		var undo UndoState
		if err == nil && fixer != nil && p.Card.Automatic() && p.Current != nil {
			undo = fixer.UndoState(p)
		}
		var tls12 TLS12State
		if err == nil && switcher != nil {
			tls12 = switcher.TLS12State()
		}
		u.do(func() {
			if s.planFor != key || u.fix != s {
				return
			}
			s.stopBusy()
			if err != nil {
				s.show(u.findingCard(u.localize([]finding.Finding{finding.New(finding.GUIPlanFailed, finding.Warn, "", "email", req.Email).WithEvidence(err.Error())})[0], nil))
				return
			}
			s.plan = p
			s.undo, s.undoFor = undo, key
			s.tls12 = tls12
			s.showPlan(p)
		})
	})
}

func (s *fixScreen) stopBusy() {
	if s.busy != nil {
		s.busy.Stop()
		s.busy = nil
	}
}

// chooser lists the accounts found on this computer, those that must
// change first, each with the button that opens its plan. Alone (no
// account chosen yet) it says what to do when none is found.
func (s *fixScreen) chooser(alone bool) []fyne.CanvasObject {
	u := s.u
	var must, rest []fyne.CanvasObject
	if c := u.computer; c != nil {
		for i := range c.Clients {
			cl := &c.Clients[i]
			for j := range cl.Accounts {
				a := &cl.Accounts[j]
				if a.Email == "" || a.Kind != "" {
					continue
				}
				if u.fixFor != nil && u.fixFor.account == a {
					continue
				}
				btn := widget.NewButtonWithIcon(u.T("gui.fix.choose"), theme.NavigateNextIcon(), func() { u.openFix(cl, a) })
				sev := finding.Worst(a.Findings)
				line := container.NewBorder(nil, nil, widget.NewIcon(severityIcon(sev)), btn,
					widget.NewLabel(safetext.Line(a.Email+"  —  "+cl.Name)))
				if needsChange(a) {
					btn.Importance = widget.HighImportance
					must = append(must, line)
				} else {
					rest = append(rest, line)
				}
			}
		}
	}
	list := append(must, rest...)
	testBtn := container.NewHBox(widget.NewButtonWithIcon(u.T("gui.computer.test_account"), theme.MailComposeIcon(), func() { u.Select(TabAccount) }))
	if !alone {
		if len(list) == 0 {
			return nil
		}
		return []fyne.CanvasObject{widget.NewAccordion(widget.NewAccordionItem(u.T("gui.fix.other_accounts"), container.NewVBox(list...)))}
	}
	if len(list) == 0 {
		return []fyne.CanvasObject{wrapped(u.T("gui.fix.empty")), testBtn}
	}
	return []fyne.CanvasObject{bold(u.T("gui.fix.choose_intro")), container.NewVBox(list...), wrapped(u.T("gui.fix.or_test")), testBtn}
}

func (s *fixScreen) show(objs ...fyne.CanvasObject) {
	s.body.Objects = objs
	s.body.Refresh()
}

func (s *fixScreen) showPlan(p *plan.Plan) {
	u := s.u
	title := p.ClientName
	if p.Version != "" {
		title += " " + p.Version
	}
	head := banner(statusSeverity(p.Status), u.T("gui.fix.status."+string(p.Status)))
	if s.done != nil && s.doneFor == s.accountKey() {
		head = banner(s.done.sev, s.done.text)
	}
	objs := []fyne.CanvasObject{
		bold(safetext.Line(u.Tf("gui.fix.heading", "email", p.Email) + "  —  " + title)),
		head,
	}
	s.anchors = map[string]fyne.CanvasObject{}
	// On Windows 7 the order of work is the order on screen: TLS 1.2 in
	// Windows first (its card stands for the plan's system section), the
	// restart, then the program's settings.
	tls12 := s.showsTLS12(p)
	actionsTitle := u.T("gui.fix.automatic")
	if tls12 {
		card := s.tls12Card(p)
		s.anchors[plan.SecSystem] = card
		objs = append(objs, card)
		actionsTitle = u.Tf("gui.fix.tls12.then", "client", p.ClientName)
	}
	if actions := s.actions(p, actionsTitle); actions != nil {
		objs = append(objs, actions)
	}
	objs = append(objs, section(u.T("gui.fix.values"), s.settings(p)))
	for _, sec := range p.Sections {
		if tls12 && sec.ID == plan.SecSystem {
			continue
		}
		var steps []fyne.CanvasObject
		for _, st := range sec.Steps {
			text, ok := s.stepText(p, st)
			if !ok {
				continue
			}
			steps = append(steps, wrapped(fmt.Sprintf("%d. %s", len(steps)+1, text)))
		}
		if len(steps) > 0 {
			card := section(sec.Title, container.NewVBox(steps...))
			s.anchors[sec.ID] = card
			objs = append(objs, card)
		}
	}
	if p.Webmail != "" {
		objs = append(objs, section(u.T("gui.fix.webmail_title"), container.NewVBox(
			wrapped(u.T("gui.fix.webmail")),
			container.NewHBox(widget.NewButtonWithIcon(u.T("gui.fix.open_webmail"), theme.ComputerIcon(), func() { u.openURL(p.Webmail) })),
		)))
	}
	if len(p.Exports) > 0 {
		var btns []fyne.CanvasObject
		for _, kind := range p.Exports {
			kind := kind
			btns = append(btns, widget.NewButtonWithIcon(u.T("gui.fix.export."+kind), theme.DocumentSaveIcon(), func() { s.export(kind, p) }))
		}
		objs = append(objs, section(u.T("gui.fix.exports"), container.NewVBox(wrapped(u.T("gui.fix.exports_intro")), container.NewGridWithColumns(2, btns...))))
	}
	objs = append(objs, s.chooser(false)...)
	s.show(objs...)
	s.scrollToWanted()
}

// stepText is a step as the window says it: the automatic change names
// the button on this screen, and command lines are for the terminal only.
func (s *fixScreen) stepText(p *plan.Plan, st plan.Step) (string, bool) {
	switch {
	case st.Key == "fix.automatic":
		if !p.Automatic || s.u.deps.Fixer == nil {
			return "", false
		}
		return s.u.Tf("gui.fix.step_automatic", "client", p.ClientName), true
	case strings.HasPrefix(st.Key, "fix.cli."), strings.Contains(st.Text, "maildoctor "):
		return "", false
	}
	return st.Text, true
}

func statusSeverity(st plan.Status) finding.Severity {
	switch st {
	case plan.StatusOK:
		return finding.OK
	case plan.StatusCheck:
		return finding.Info
	case plan.StatusChange:
		return finding.Warn
	}
	return finding.Fail
}

// actions offers "Fix it for me" (and its undo) where the change is safe.
// Fix is enabled only while there is something to change, Undo only while
// there is a change to undo; both say so when the program is open.
func (s *fixScreen) actions(p *plan.Plan, title string) fyne.CanvasObject {
	u := s.u
	if !p.Card.Automatic() || p.Current == nil || u.deps.Fixer == nil {
		return nil
	}
	apply := widget.NewButtonWithIcon(u.T("gui.fix.apply"), theme.ConfirmIcon(), func() {
		u.confirm(u.T("gui.fix.apply"), u.Tf("gui.fix.apply_confirm", "client", p.ClientName), u.T("gui.fix.apply"), func() {
			s.run(p.ClientName, func() (*fixOutcome, error) {
				res, err := u.deps.Fixer.Apply(p)
				if err != nil {
					return nil, err
				}
				if len(res.Changes) == 0 {
					return &fixOutcome{sev: finding.OK, text: u.Tf("gui.fix.already", "client", p.ClientName)}, nil
				}
				return &fixOutcome{sev: finding.OK, text: u.Tf("gui.fix.applied", "client", p.ClientName, "file", res.File,
					"backup", res.Backup, "count", strconv.Itoa(len(res.Changes)), "changes", changesText(u, p))}, nil
			})
		})
	})
	apply.Importance = widget.HighImportance
	undo := widget.NewButtonWithIcon(u.T("gui.fix.undo"), theme.ContentUndoIcon(), func() {
		s.run(p.ClientName, func() (*fixOutcome, error) {
			res, err := u.deps.Fixer.Undo(p)
			if err != nil {
				return nil, err
			}
			return &fixOutcome{sev: finding.Info, text: u.Tf("gui.fix.undone", "client", p.ClientName, "file", res.File, "saved", res.Saved)}, nil
		})
	})
	intro := u.Tf("gui.fix.automatic_intro", "client", p.ClientName)
	if !p.Automatic {
		apply.Disable()
		if p.Status == plan.StatusOK {
			intro = u.Tf("gui.fix.nothing_to_apply", "client", p.ClientName)
		}
	}
	_, checks := u.deps.Fixer.(UndoChecker)
	st := s.undo
	if checks && !st.CanUndo {
		undo.Disable()
	}
	lines := []fyne.CanvasObject{wrapped(intro)}
	if checks && st.Running {
		apply.Disable()
		undo.Disable()
		lines = append(lines, wrapped(u.Tf("gui.fix.close_first", "client", p.ClientName)),
			container.NewHBox(widget.NewButtonWithIcon(u.T("gui.fix.check_again"), theme.ViewRefreshIcon(), func() { s.recheck() })))
	}
	lines = append(lines, container.NewHBox(apply, undo))
	return section(title, container.NewVBox(lines...))
}

// recheck asks again whether the program is open and a change can be
// undone (the customer has just closed it).
func (s *fixScreen) recheck() {
	s.planFor = ""
	s.render()
}

// changesText lists what the automatic change sets ("IMAP: porta 993,
// SSL/TLS").
func changesText(u *UI, p *plan.Plan) string {
	var parts []string
	for _, ep := range []*server.Endpoint{p.Incoming, p.Outgoing} {
		if ep != nil {
			parts = append(parts, ep.Protocol.Name()+" "+ep.Host+":"+strconv.Itoa(ep.Port)+" "+u.T("security.tls"))
		}
	}
	return strings.Join(parts, ", ")
}

// run makes a change off the UI goroutine; its outcome replaces the
// banner, and the computer is examined again so every screen shows the
// account as it is now.
func (s *fixScreen) run(client string, f func() (*fixOutcome, error)) {
	u := s.u
	key := s.accountKey()
	u.background(func() {
		out, err := f()
		u.do(func() {
			if err != nil {
				u.inform(u.T("gui.fix.automatic"), u.applyError(err, client))
				s.recheck()
				return
			}
			s.done, s.doneFor = out, key
			s.planFor = ""
			if u.fix != s {
				return
			}
			u.Refresh()
		})
	})
}

// applyError says in the user's language why nothing was changed, in
// the same words as the command line (apply.Message).
func (u *UI) applyError(err error, client string) string {
	if key, args, ok := apply.Message(err, client); ok {
		return u.tr.T(key, args)
	}
	return u.Tf("gui.fix.error.other", "error", err.Error())
}

// settings are the values to copy: the account's own protocols first
// (its incoming one and SMTP), the others folded under "other settings".
func (s *fixScreen) settings(p *plan.Plan) fyne.CanvasObject {
	u := s.u
	st := p.Settings
	rows := func(eps ...*server.Endpoint) []string {
		var pairs []string
		for _, ep := range eps {
			if ep == nil {
				continue
			}
			pairs = append(pairs,
				u.T("gui.fix.protocol."+string(ep.Protocol)), ep.Host,
				u.T("gui.fix.port"), strconv.Itoa(ep.Port)+"  "+u.T("security.tls"))
		}
		return pairs
	}
	all := []*server.Endpoint{st.IMAP, st.POP3, st.SMTP}
	if p.Current == nil || p.Current.Incoming == nil || p.Incoming == nil {
		return u.copyRows(append(rows(all...), u.T("gui.fix.user"), st.Username)...)
	}
	mine := map[*server.Endpoint]bool{p.Incoming: true, st.SMTP: true}
	var own, other []*server.Endpoint
	for _, ep := range all {
		if ep == nil {
			continue
		}
		if mine[ep] {
			own = append(own, ep)
		} else {
			other = append(other, ep)
		}
	}
	box := container.NewVBox(u.copyRows(append(rows(own...), u.T("gui.fix.user"), st.Username)...))
	if len(other) > 0 {
		box.Add(widget.NewAccordion(widget.NewAccordionItem(u.T("gui.fix.other_settings"), u.copyRows(rows(other...)...))))
	}
	return box
}

func (s *fixScreen) export(kind string, p *plan.Plan) {
	u := s.u
	data, name, err := u.deps.Fixer.Export(kind, p)
	if err != nil {
		u.showError(err)
		return
	}
	// A .reg file does nothing until it is opened: say how (issue 14).
	next := ""
	if kind == "reg" {
		next = "gui.fix.saved_reg"
	}
	u.saveFile(name, data, next)
}

func (u *UI) openURL(raw string) {
	if !strings.HasPrefix(raw, "https://") && !strings.HasPrefix(raw, "mailto:") {
		return
	}
	if parsed, err := url.Parse(raw); err == nil {
		if err := u.app.OpenURL(parsed); err != nil {
			fyne.LogError("opening "+raw, err)
		}
	}
}

// OpenAccountFix shows the plan for the account with that address as a
// program on this computer holds it (the first one found), or the plan for
// the address alone.
func (u *UI) OpenAccountFix(email string) {
	if c := u.computer; c != nil {
		for i := range c.Clients {
			for j := range c.Clients[i].Accounts {
				if strings.EqualFold(c.Clients[i].Accounts[j].Email, email) {
					u.openFix(&c.Clients[i], &c.Clients[i].Accounts[j])
					return
				}
			}
		}
	}
	u.fixFor = nil
	u.state.email = email
	u.Select(TabFix)
}
