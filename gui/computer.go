package gui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"maildoctor.app/maildoctor/detect/finding"
)

// Computer is what "This computer" shows: the system, its TLS support and
// every mail client with its accounts, each with findings in the shared
// vocabulary (the screen translates them).
type Computer struct {
	OS       string
	Findings []finding.Finding
	Clients  []Client
}

// Client is one installed mail program.
type Client struct {
	ID, Name, Version string
	Findings          []finding.Finding
	Accounts          []Account
}

// Account is one account of a client, with its settings in one line each.
type Account struct {
	Email              string
	Incoming, Outgoing string
	Findings           []finding.Finding
}

type computerScreen struct {
	u       *UI
	content fyne.CanvasObject
	body    *fyne.Container
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
	s.body.Objects = []fyne.CanvasObject{widget.NewProgressBarInfinite(), widget.NewLabel(u.T("gui.computer.loading"))}
	s.body.Refresh()
	u.background(func() {
		c, err := u.deps.Computer(u.ctx)
		fyne.Do(func() {
			if err != nil {
				u.computer = &Computer{Findings: []finding.Finding{finding.New("gui.computer_failed", finding.Warn, "").WithEvidence(err.Error())}}
			} else {
				u.computer = c
			}
			u.computerScreen.render()
		})
	})
}

func (s *computerScreen) render() {
	u := s.u
	c := u.computer
	if c == nil {
		return
	}
	objs := []fyne.CanvasObject{bold(u.Tf("gui.computer.os", "os", c.OS))}
	for _, f := range u.localize(c.Findings) {
		objs = append(objs, u.findingCard(f, nil))
	}
	if len(c.Clients) == 0 {
		objs = append(objs, wrapped(u.T("gui.computer.no_clients")))
	}
	for _, cl := range c.Clients {
		objs = append(objs, s.clientCard(cl))
	}
	objs = append(objs, container.NewHBox(widget.NewButtonWithIcon(u.T("gui.computer.test_account"), theme.MailComposeIcon(), func() { u.Select(TabAccount) })))
	s.body.Objects = objs
	s.body.Refresh()
}

// clientCard lists a client's accounts, each with its traffic light and
// one sentence; a tap opens the fix for that account.
func (s *computerScreen) clientCard(cl Client) fyne.CanvasObject {
	u := s.u
	var rows []fyne.CanvasObject
	for _, f := range u.localize(cl.Findings) {
		rows = append(rows, u.findingCard(f, nil))
	}
	if len(cl.Accounts) == 0 {
		rows = append(rows, wrapped(u.T("gui.computer.no_accounts")))
	}
	for _, a := range cl.Accounts {
		a := a
		fs := u.localize(a.Findings)
		sev := finding.Worst(fs)
		sentence := u.T("gui.computer.account_ok")
		if len(fs) > 0 && sev != finding.OK {
			finding.Sort(fs)
			sentence = fs[0].Title
		}
		open := widget.NewButtonWithIcon(u.T("gui.computer.fix"), theme.NavigateNextIcon(), func() {
			u.state.email = a.Email
			u.Select(TabFix)
		})
		if sev == finding.OK || sev == finding.Info {
			open.Importance = widget.LowImportance
		}
		line := container.NewBorder(nil, nil, widget.NewIcon(severityIcon(sev)), open,
			container.NewVBox(bold(a.Email), wrapped(sentence), widget.NewLabel(fmt.Sprintf("%s  /  %s", a.Incoming, a.Outgoing))))
		rows = append(rows, line)
	}
	title := cl.Name
	if cl.Version != "" {
		title += " " + cl.Version
	}
	return section(title, container.NewVBox(rows...))
}
