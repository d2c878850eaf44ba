package gui

import (
	"encoding/json"
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// supportScreen hands the report to support: copy, save, or an e-mail
// already addressed to the provider.
type supportScreen struct {
	u       *UI
	content fyne.CanvasObject
	body    *fyne.Container
}

func newSupportScreen(u *UI) *supportScreen {
	s := &supportScreen{u: u, body: container.NewVBox()}
	s.content = container.NewVScroll(container.NewPadded(s.body))
	s.render()
	return s
}

func (s *supportScreen) render() {
	u := s.u
	copyBtn := widget.NewButtonWithIcon(u.T("gui.support.copy"), theme.ContentCopyIcon(), s.copyReport)
	saveBtn := widget.NewButtonWithIcon(u.T("gui.support.save"), theme.DocumentSaveIcon(), s.saveReport)
	mailBtn := widget.NewButtonWithIcon(u.T("gui.support.mail"), theme.MailSendIcon(), s.mailSupport)
	if u.report == nil {
		copyBtn.Disable()
		saveBtn.Disable()
	}
	s.body.Objects = []fyne.CanvasObject{
		bold(u.T("gui.support.heading")),
		wrapped(u.T("gui.support.intro")),
		container.NewHBox(copyBtn, saveBtn, mailBtn),
		wrapped(u.T("gui.support.private")),
	}
	s.body.Refresh()
}

// reportText is the redacted report: the check report holds no password.
func (s *supportScreen) reportText() string {
	data, err := json.MarshalIndent(s.u.report, "", "  ")
	if err != nil {
		return ""
	}
	return string(data)
}

func (s *supportScreen) copyReport() {
	if s.u.report == nil {
		return
	}
	s.u.app.Clipboard().SetContent(s.reportText())
}

func (s *supportScreen) saveReport() {
	if s.u.report == nil {
		return
	}
	text := s.reportText()
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		defer w.Close()
		if _, err := w.Write([]byte(text)); err != nil {
			dialog.ShowError(err, s.u.win)
		}
	}, s.u.win)
	d.SetFileName("maildoctor-report.json")
	d.Show()
}

func (s *supportScreen) mailSupport() {
	u := s.u
	u.openURL(mailto(u.deps.SupportEmail, u.T("gui.support.subject"), u.T("gui.support.body")))
}

// mailto builds a mailto: link; spaces are %20, since mail programs show
// a form-encoded "+" literally.
func mailto(to, subject, body string) string {
	esc := func(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }
	return "mailto:" + url.PathEscape(to) + "?subject=" + esc(subject) + "&body=" + esc(body)
}

func (u *UI) showAbout() {
	md := u.app.Metadata()
	version := u.deps.Version
	if version == "" {
		version = md.Version
	}
	dialog.ShowInformation(u.T("gui.about"), u.Tf("gui.about.text", "version", version), u.win)
}
