package gui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/fix/apply"
	"maildoctor.app/maildoctor/fix/plan"
)

// TLS12Switcher is what the app's Fixer may also do on Windows 7 SP1 and
// 8.0: switch on TLS 1.2 in Windows, which needs administrator rights (it
// starts Mail Doctor again through Windows' question, as "maildoctor fix
// --enable-tls12" does), and put the previous settings back.
type TLS12Switcher interface {
	TLS12State() TLS12State
	// SwitchTLS12 switches TLS 1.2 on (undo: puts the saved settings
	// back) and reads the keys again after; lang is the window's language
	// for the copy started as administrator.
	SwitchTLS12(undo bool, lang string) (*apply.TLS12Outcome, error)
}

// TLS12State is the answer of TLS12Switcher.
type TLS12State struct {
	// Applies: this Windows is one where Mail Doctor switches TLS 1.2 on.
	Applies bool
	// CanUndo: an earlier switch by Mail Doctor can be put back.
	CanUndo bool
}

// tls12Outcome is what the last press of the TLS 1.2 card did.
type tls12Outcome struct {
	sev  finding.Severity
	text string
	// noAdmin: Windows' question was answered No, or there are no rights
	// to give: the card shows the ways out.
	noAdmin bool
}

// showsTLS12 says whether the plan starts with the TLS 1.2 card: a
// program that relies on Windows' TLS on a Windows where it is off and
// Mail Doctor can switch it on (or it was just switched in this window).
func (s *fixScreen) showsTLS12(p *plan.Plan) bool {
	if _, ok := s.u.deps.Fixer.(TLS12Switcher); !ok {
		return false
	}
	if s.tls12Done != nil {
		return true
	}
	return s.tls12.Applies && hasSection(p, plan.SecSystem)
}

func hasSection(p *plan.Plan, id string) bool {
	for _, sec := range p.Sections {
		if sec.ID == id {
			return true
		}
	}
	return false
}

// tls12Card is step 1 and 2 for a Windows 7 customer: switch TLS 1.2 on
// (the button, right here), restart; step 3, the program's settings,
// follows on the screen.
func (s *fixScreen) tls12Card(p *plan.Plan) fyne.CanvasObject {
	u := s.u
	system := ""
	if u.computer != nil && u.computer.OS != nil {
		system = u.computer.OS.Name
	}
	var lines []fyne.CanvasObject
	if s.tls12Bar != nil {
		// Windows' question belongs to another process: say what the
		// window is waiting for.
		lines = append(lines, wrapped(u.T("gui.fix.tls12.waiting")), s.tls12Bar)
	} else if out := s.tls12Done; out != nil {
		lines = append(lines, banner(out.sev, out.text))
		if out.noAdmin && p.Webmail != "" {
			lines = append(lines, wrapped(u.T("gui.fix.tls12.meanwhile")),
				container.NewHBox(widget.NewButtonWithIcon(u.T("gui.fix.open_webmail"), theme.ComputerIcon(), func() { u.openURL(p.Webmail) })))
		}
	} else {
		lines = append(lines, wrapped(u.Tf("gui.fix.tls12.intro", "system", system, "client", p.ClientName)))
	}
	on := widget.NewButtonWithIcon(u.T("gui.fix.tls12.button"), theme.ConfirmIcon(), func() {
		u.confirm(u.T("gui.fix.tls12.button"), u.T("gui.fix.tls12.confirm"), u.T("gui.fix.tls12.button"), func() {
			s.switchTLS12(p, false)
		})
	})
	on.Importance = widget.HighImportance
	if !s.tls12.Applies || !hasSection(p, plan.SecSystem) || s.tls12Bar != nil {
		on.Disable()
	}
	row := []fyne.CanvasObject{on}
	if s.tls12.CanUndo {
		undo := widget.NewButtonWithIcon(u.T("gui.fix.tls12.undo"), theme.ContentUndoIcon(), func() { s.switchTLS12(p, true) })
		if s.tls12Bar != nil {
			undo.Disable()
		}
		row = append(row, undo)
	}
	lines = append(lines, container.NewHBox(row...), wrapped(u.T("gui.fix.tls12.restart")))
	return section(u.T("gui.fix.tls12.title"), container.NewVBox(lines...))
}

// switchTLS12 runs the switch off the UI goroutine (the window waits for
// Windows' question and the elevated copy), then shows the outcome in the
// card and examines the computer again.
func (s *fixScreen) switchTLS12(p *plan.Plan, undo bool) {
	u := s.u
	sw := u.deps.Fixer.(TLS12Switcher)
	lang := u.Lang()
	client := p.ClientName
	s.tls12Bar = widget.NewProgressBarInfinite()
	s.showPlan(p)
	u.background(func() {
		out, err := sw.SwitchTLS12(undo, lang)
		u.do(func() {
			s.tls12Bar.Stop()
			s.tls12Bar = nil
			switch {
			case err == nil:
				s.tls12Done = tls12Result(u, out, undo, client)
			case errors.Is(err, apply.ErrElevationCancelled):
				s.tls12Done = &tls12Outcome{sev: finding.Fail, text: u.applyError(err, "Windows"), noAdmin: true}
			default:
				u.inform(u.T("gui.fix.tls12.title"), u.applyError(err, "Windows"))
			}
			s.planFor = ""
			if u.fix != s {
				return
			}
			u.Refresh()
		})
	})
}

func tls12Result(u *UI, out *apply.TLS12Outcome, undo bool, client string) *tls12Outcome {
	switch {
	case undo:
		return &tls12Outcome{sev: finding.Info, text: u.T("gui.fix.tls12.undone")}
	case !out.Elevated && out.Result != nil && len(out.Result.Changes) == 0:
		return &tls12Outcome{sev: finding.OK, text: u.T("gui.fix.tls12.already")}
	}
	return &tls12Outcome{sev: finding.OK, text: u.Tf("gui.fix.tls12.done", "client", client)}
}

// windowsTLSPrograms use Windows' own TLS (SChannel): with TLS 1.2 off
// they cannot connect, whatever their settings (detection.md §2).
var windowsTLSPrograms = map[string]bool{
	clients.Outlook: true, clients.WindowsLive: true, clients.WindowsMail: true,
	clients.OutlookExpress: true, clients.EMClient: true,
}

// osFindingAction is the "How to fix it" of a finding about this
// computer: "TLS 1.2 is switched off" opens the Fix screen at the TLS 1.2
// card, for an account of a program that relies on Windows' TLS (one
// that must change first). nil when there is no such account.
func (u *UI) osFindingAction(f finding.Finding) func() {
	if f.ID != finding.OSTLS12Disabled || u.computer == nil {
		return nil
	}
	if _, ok := u.deps.Fixer.(TLS12Switcher); !ok {
		return nil
	}
	var cl *clients.Client
	var a *clients.Account
	for i := range u.computer.Clients {
		c := &u.computer.Clients[i]
		if !windowsTLSPrograms[c.ID] {
			continue
		}
		for j := range c.Accounts {
			acc := &c.Accounts[j]
			if acc.Email == "" || acc.Kind != "" {
				continue
			}
			if a == nil || needsChange(acc) && !needsChange(a) {
				cl, a = c, acc
			}
		}
	}
	if a == nil {
		return nil
	}
	return func() {
		u.fix.want = plan.SecSystem
		u.openFix(cl, a)
	}
}
