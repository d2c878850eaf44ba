package gui

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/fix/advise"
	"maildoctor.app/maildoctor/fix/apply"
	"maildoctor.app/maildoctor/fix/plan"
)

// Fixer makes the safe automatic change of a plan and undoes it
// (fix/apply in the app); Export writes a plan's export (fix/export).
type Fixer interface {
	Apply(p *plan.Plan) (*apply.Result, error)
	Undo(p *plan.Plan) (*apply.UndoResult, error)
	Export(kind string, p *plan.Plan) (data []byte, filename string, err error)
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
}

func newFixScreen(u *UI) *fixScreen {
	s := &fixScreen{u: u, body: container.NewVBox()}
	s.content = container.NewVScroll(container.NewPadded(s.body))
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
			req.Compat = string(v.Verdict)
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
		key += "|" + req.Client.ID + "|" + req.Account.Key
	}
	if req.Check != nil {
		key += "|" + req.Check.StartedAt.String()
	}
	return req, key + "|" + u.Lang()
}

func (s *fixScreen) render() {
	u := s.u
	req, key := s.request()
	if req.Email == "" || u.deps.Plan == nil {
		s.show(wrapped(u.T("gui.fix.empty")),
			container.NewHBox(widget.NewButtonWithIcon(u.T("gui.computer.test_account"), theme.MailComposeIcon(), func() { u.Select(TabAccount) })))
		return
	}
	if key == s.planFor && s.plan != nil {
		s.showPlan(s.plan)
		return
	}
	s.planFor = key
	s.show(widget.NewProgressBarInfinite(), widget.NewLabel(u.T("gui.fix.loading")))
	u.background(func() {
		p, err := u.deps.Plan(u.ctx, req)
		if p != nil {
			plan.Localize(p, u.tr)
		}
		u.do(func() {
			if s.planFor != key || u.fix != s {
				return
			}
			if err != nil {
				s.show(u.findingCard(u.localize([]finding.Finding{finding.New("gui.plan_failed", finding.Warn, "", "email", req.Email).WithEvidence(err.Error())})[0], nil))
				return
			}
			s.plan = p
			s.showPlan(p)
		})
	})
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
	objs := []fyne.CanvasObject{
		bold(u.Tf("gui.fix.heading", "email", p.Email) + "  —  " + title),
		banner(statusSeverity(p.Status), u.T("gui.fix.status."+string(p.Status))),
	}
	if actions := s.actions(p); actions != nil {
		objs = append(objs, actions)
	}
	objs = append(objs, section(u.T("gui.fix.values"), s.settings(p.Settings)))
	for _, sec := range p.Sections {
		var steps []fyne.CanvasObject
		for i, st := range sec.Steps {
			steps = append(steps, wrapped(fmt.Sprintf("%d. %s", i+1, st.Text)))
		}
		objs = append(objs, section(sec.Title, container.NewVBox(steps...)))
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
	s.show(objs...)
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
func (s *fixScreen) actions(p *plan.Plan) fyne.CanvasObject {
	u := s.u
	if !p.Automatic || u.deps.Fixer == nil {
		return nil
	}
	apply := widget.NewButtonWithIcon(u.T("gui.fix.apply"), theme.ConfirmIcon(), func() {
		dialog.ShowConfirm(u.T("gui.fix.apply"), u.Tf("gui.fix.apply_confirm", "client", p.ClientName), func(ok bool) {
			if ok {
				s.run(func() (string, error) {
					res, err := u.deps.Fixer.Apply(p)
					if err != nil {
						return "", err
					}
					return u.Tf("gui.fix.applied", "client", p.ClientName, "file", res.File, "backup", res.Backup, "count", strconv.Itoa(len(res.Changes))), nil
				})
			}
		}, u.win)
	})
	apply.Importance = widget.HighImportance
	undo := widget.NewButtonWithIcon(u.T("gui.fix.undo"), theme.ContentUndoIcon(), func() {
		s.run(func() (string, error) {
			res, err := u.deps.Fixer.Undo(p)
			if err != nil {
				return "", err
			}
			return u.Tf("gui.fix.undone", "client", p.ClientName, "file", res.File, "saved", res.Saved), nil
		})
	})
	return section(u.T("gui.fix.automatic"), container.NewVBox(wrapped(u.Tf("gui.fix.automatic_intro", "client", p.ClientName)), container.NewHBox(apply, undo)))
}

// run does a change off the UI goroutine and says how it went.
func (s *fixScreen) run(f func() (string, error)) {
	u := s.u
	u.background(func() {
		msg, err := f()
		u.do(func() {
			if err != nil {
				dialog.ShowInformation(u.T("gui.fix.automatic"), u.applyError(err), u.win)
				return
			}
			dialog.ShowInformation(u.T("gui.fix.automatic"), msg, u.win)
		})
	})
}

// applyError says in the user's language why nothing was changed.
func (u *UI) applyError(err error) string {
	var running *apply.RunningError
	var write *apply.WriteError
	switch {
	case errors.As(err, &running):
		return u.Tf("gui.fix.error.running", "client", running.Client)
	case errors.As(err, &write):
		return u.Tf("gui.fix.error.write", "file", write.File)
	case errors.Is(err, apply.ErrNotAutomatic):
		return u.T("gui.fix.error.not_automatic")
	case errors.Is(err, apply.ErrUnknownRunning):
		return u.T("gui.fix.error.unknown_running")
	case errors.Is(err, apply.ErrDamaged):
		return u.T("gui.fix.error.damaged")
	case errors.Is(err, apply.ErrOverridden):
		return u.T("gui.fix.error.overridden")
	case errors.Is(err, apply.ErrNoBackup):
		return u.T("gui.fix.error.no_backup")
	}
	return u.Tf("gui.fix.error.other", "error", err.Error())
}

func (s *fixScreen) settings(st plan.Settings) fyne.CanvasObject {
	u := s.u
	var pairs []string
	for _, ep := range []*server.Endpoint{st.IMAP, st.POP3, st.SMTP} {
		if ep == nil {
			continue
		}
		pairs = append(pairs,
			u.T("gui.fix.protocol."+string(ep.Protocol)), ep.Host,
			u.T("gui.fix.port"), strconv.Itoa(ep.Port)+"  "+u.T("security.tls"))
	}
	pairs = append(pairs, u.T("gui.fix.user"), st.Username)
	return u.copyRows(pairs...)
}

func (s *fixScreen) export(kind string, p *plan.Plan) {
	u := s.u
	data, name, err := u.deps.Fixer.Export(kind, p)
	if err != nil {
		dialog.ShowError(err, u.win)
		return
	}
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		defer w.Close()
		if _, err := w.Write(data); err != nil {
			dialog.ShowError(err, u.win)
		}
	}, u.win)
	d.SetFileName(name)
	d.Show()
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
