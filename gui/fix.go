package gui

import (
	"net/url"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"maildoctor.app/maildoctor/detect/server"
)

// fixScreen shows what to change: the right settings with copy buttons,
// and webmail as the way out when the mail program cannot be fixed now.
type fixScreen struct {
	u       *UI
	content fyne.CanvasObject
	body    *fyne.Container
}

func newFixScreen(u *UI) *fixScreen {
	s := &fixScreen{u: u, body: container.NewVBox()}
	s.content = container.NewVScroll(container.NewPadded(s.body))
	s.render()
	return s
}

func (s *fixScreen) render() {
	u := s.u
	rep := u.report
	if rep == nil {
		s.body.Objects = []fyne.CanvasObject{
			wrapped(u.T("gui.fix.empty")),
			container.NewHBox(widget.NewButtonWithIcon(u.T("gui.computer.test_account"), theme.MailComposeIcon(), func() { u.Select(TabAccount) })),
		}
		s.body.Refresh()
		return
	}
	objs := []fyne.CanvasObject{bold(u.Tf("gui.fix.heading", "email", rep.Email)), wrapped(u.T("gui.fix.intro"))}
	for _, p := range server.Protocols {
		host := rep.Discovery.Hosts[string(p)]
		if host == "" {
			continue
		}
		port := server.DefaultPort(p, server.TLS)
		for _, r := range rep.Endpoints {
			if r.Protocol == p && r.Security == server.TLS && r.Cert != nil && r.Cert.Suggested != "" {
				host = r.Cert.Suggested
			}
		}
		card := u.copyRows(
			u.T("gui.fix.server"), host,
			u.T("gui.fix.port"), strconv.Itoa(port),
			u.T("gui.fix.security"), u.T("security.tls"),
			u.T("gui.fix.user"), rep.Email,
		)
		objs = append(objs, section(u.T("gui.fix.protocol."+string(p)), card))
	}
	objs = append(objs, section(u.T("gui.fix.after_title"), wrapped(u.T("gui.fix.after"))))
	if web := rep.Discovery.Webmail; web != "" {
		objs = append(objs, section(u.T("gui.fix.webmail_title"), container.NewVBox(
			wrapped(u.T("gui.fix.webmail")),
			container.NewHBox(widget.NewButtonWithIcon(u.T("gui.fix.open_webmail"), theme.ComputerIcon(), func() { u.openURL(web) })),
		)))
	}
	s.body.Objects = objs
	s.body.Refresh()
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
