package gui

import (
	"bytes"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"maildoctor.app/maildoctor/detect/compat"
	"maildoctor.app/maildoctor/fix/report"
)

// supportScreen hands the report to support (copy the support code, save
// the report, an e-mail to the provider) and holds the agent's tools: the
// offline compatibility check and "open a support code".
type supportScreen struct {
	u       *UI
	content fyne.CanvasObject
	body    *fyne.Container
	// server is what the agent typed in "Will it still work?" to measure
	// against; it survives the screen being redrawn.
	server string
}

func newSupportScreen(u *UI) *supportScreen {
	s := &supportScreen{u: u, body: container.NewVBox()}
	s.content = container.NewVScroll(container.NewPadded(s.body))
	s.render()
	return s
}

func (s *supportScreen) render() {
	u := s.u
	copyBtn := widget.NewButtonWithIcon(u.T("gui.support.copy"), theme.ContentCopyIcon(), s.copyCode)
	saveBtn := widget.NewButtonWithIcon(u.T("gui.support.save"), theme.DocumentSaveIcon(), s.saveReport)
	mailBtn := widget.NewButtonWithIcon(u.T("gui.support.mail"), theme.MailSendIcon(), s.mailSupport)
	if u.report == nil && u.computer == nil {
		copyBtn.Disable()
		saveBtn.Disable()
	}
	objs := []fyne.CanvasObject{
		bold(u.T("gui.support.heading")),
		wrapped(u.T("gui.support.intro")),
		container.NewHBox(copyBtn, saveBtn, mailBtn),
		wrapped(u.T("gui.support.private")),
	}
	if contact := s.contact(); contact != "" {
		objs = append(objs, wrapped(contact))
	}
	objs = append(objs, s.handoff()...)
	objs = append(objs, widget.NewSeparator(), bold(u.T("gui.agent.heading")), s.compatTool(), s.codeTool(),
		section(u.T("gui.agent.downloads"), wrapped(u.T("gui.agent.downloads_text"))))
	s.body.Objects = objs
	s.body.Refresh()
}

// contact names the provider's support address and phone, if the profile
// has them.
func (s *supportScreen) contact() string {
	u := s.u
	email, phone := u.deps.SupportEmail, ""
	for _, p := range u.deps.Profiles {
		if p != nil && p.Provider.SupportEmail != "" {
			email, phone = p.Provider.SupportEmail, p.Provider.SupportPhone
		}
	}
	if email == "" && phone == "" {
		return ""
	}
	return u.Tf("gui.support.contact", "email", email, "phone", phone)
}

// build makes the redacted report of what this session found: the last
// check and this computer.
func (s *supportScreen) build() (*report.Report, error) {
	u := s.u
	in := report.Input{App: u.deps.Version, Lang: u.Lang(), Check: u.report, Computer: report.ComputerFrom(u.computer)}
	if pass := u.account.password.Text; pass != "" {
		in.Secrets = []string{pass}
	}
	return report.Build(in)
}

func (s *supportScreen) code() (string, error) {
	rep, err := s.build()
	if err != nil {
		return "", err
	}
	return rep.Code()
}

// copyCode puts the support code on the clipboard: one string the
// customer pastes into a message, from which the agent sees the report.
func (s *supportScreen) copyCode() {
	code, err := s.code()
	if err != nil {
		s.u.showError(err)
		return
	}
	s.u.app.Clipboard().SetContent(code)
	// Shown on the screen, not in a box that closes: the customer may
	// need to read the code or select it again.
	s.u.supportData.shown = true
	s.render()
}

// saveReport writes the report as Markdown, in the customer's language.
func (s *supportScreen) saveReport() {
	u := s.u
	rep, err := s.build()
	if err != nil {
		u.showError(err)
		return
	}
	var b bytes.Buffer
	if err := report.Render(&b, rep, u.tr); err != nil {
		u.showError(err)
		return
	}
	if code, err := rep.Code(); err == nil {
		b.WriteString("\n" + code + "\n")
	}
	u.saveFile("maildoctor-report.md", b.Bytes(), "")
}

// mailSupport opens an e-mail to the provider with the support code; a
// code too long for a mailto: link goes to the clipboard instead.
func (s *supportScreen) mailSupport() {
	u := s.u
	to := ""
	for _, p := range u.deps.Profiles {
		if p != nil && p.Provider.SupportEmail != "" {
			to = p.Provider.SupportEmail
		}
	}
	if to == "" {
		to = u.deps.SupportEmail
	}
	code, err := s.code()
	if err != nil || (u.report == nil && u.computer == nil) {
		code = ""
	}
	subject := u.T("gui.support.subject")
	link, _ := report.Mailto(to, subject, u.T("gui.support.body"), code)
	// The code goes on the clipboard and on the screen either way: a link
	// too long for mailto: leaves it out, and where no mail program
	// opens the customer writes the message by hand.
	if code != "" {
		u.app.Clipboard().SetContent(code)
		u.supportData.shown = true
	}
	err = u.openMail(link)
	u.supportData.mail = &mailFallback{to: to, subject: subject, failed: err != nil}
	s.render()
}

// compatTool answers "will this program on this system still work?"
// without the customer's machine: the agent types both.
func (s *supportScreen) compatTool() fyne.CanvasObject {
	u := s.u
	st := &u.supportData
	osEntry := u.newEntry()
	osEntry.SetPlaceHolder(u.T("gui.agent.os_hint"))
	osEntry.SetText(st.os)
	osEntry.OnChanged = func(t string) { st.os = t }
	clientEntry := u.newEntry()
	clientEntry.SetPlaceHolder(u.T("gui.agent.client_hint"))
	clientEntry.SetText(st.client)
	clientEntry.OnChanged = func(t string) { st.client = t }
	out := container.NewVBox()
	serverEntry := u.newEntry()
	serverEntry.SetPlaceHolder(u.T("gui.agent.server_hint"))
	serverEntry.SetText(s.server)
	serverEntry.OnChanged = func(t string) { s.server = t }
	ask := func() {
		out.Objects = s.compatAnswer(osEntry.Text, clientEntry.Text)
		out.Refresh()
		s.measure(out, osEntry.Text, clientEntry.Text, serverEntry.Text)
	}
	osEntry.OnSubmitted = func(string) { ask() }
	clientEntry.OnSubmitted = func(string) { ask() }
	serverEntry.OnSubmitted = func(string) { ask() }
	form := widget.NewForm(
		widget.NewFormItem(u.T("gui.agent.os"), osEntry),
		widget.NewFormItem(u.T("gui.agent.client"), clientEntry),
	)
	if u.deps.Simulate != nil {
		form.Append(u.T("gui.agent.server"), serverEntry)
	}
	btn := widget.NewButtonWithIcon(u.T("gui.agent.ask"), theme.SearchIcon(), ask)
	return section(u.T("gui.agent.compat"), container.NewVBox(wrapped(u.T("gui.agent.compat_intro")), form, container.NewHBox(btn), out))
}

func (s *supportScreen) compatAnswer(osText, clientText string) []fyne.CanvasObject {
	v, msg := s.compatVerdict(osText, clientText)
	if msg != nil {
		return msg
	}
	if v == nil {
		return nil
	}
	return []fyne.CanvasObject{s.u.computerScreen.verdictRow("", *v), wrapped(reasonsText(s.u, *v))}
}

// compatVerdict evaluates the agent's system and program; a text to show
// instead when they are not known or cannot be evaluated.
func (s *supportScreen) compatVerdict(osText, clientText string) (*compat.Verdict, []fyne.CanvasObject) {
	u := s.u
	kb := u.deps.Compat
	if kb == nil {
		return nil, nil
	}
	q := compat.Query{ServerMinTLS: "1.2", STARTTLSClosed: true}
	if strings.TrimSpace(osText) != "" {
		os, suggest, err := kb.MatchOS(osText)
		if err != nil {
			return nil, []fyne.CanvasObject{wrapped(u.Tf("gui.agent.unknown", "text", osText, "suggestions", strings.Join(suggest, ", ")))}
		}
		q.OS, q.OSVersion = os.Ref(), os.Version
	}
	if strings.TrimSpace(clientText) != "" {
		cl, suggest, err := kb.MatchClient(clientText)
		if err != nil {
			return nil, []fyne.CanvasObject{wrapped(u.Tf("gui.agent.unknown", "text", clientText, "suggestions", strings.Join(suggest, ", ")))}
		}
		q.Client, q.ClientVersion = cl.Ref(), cl.Version
	}
	v, err := kb.Evaluate(q)
	if err != nil {
		return nil, []fyne.CanvasObject{wrapped(err.Error())}
	}
	return &v, nil
}

// measure adds, when the agent named a server, what the verdict's client
// handshakes get from it (only their hellos are sent), off the UI
// goroutine; closing the window stops it.
func (s *supportScreen) measure(out *fyne.Container, osText, clientText, server string) {
	u := s.u
	server = strings.TrimSpace(server)
	if u.deps.Simulate == nil || server == "" {
		return
	}
	v, msg := s.compatVerdict(osText, clientText)
	if v == nil || msg != nil {
		return
	}
	status := wrapped(u.Tf("gui.agent.measuring", "server", server))
	out.Add(status)
	u.background(func() {
		cells, err := u.deps.Simulate(u.ctx, *v, server)
		u.do(func() {
			out.Remove(status)
			switch {
			case err != nil:
				out.Add(wrapped(u.Tf("gui.agent.measure_failed", "server", server, "error", err.Error())))
			case len(cells) == 0:
				out.Add(wrapped(u.T("compat.measured.none")))
			default:
				out.Add(bold(u.Tf("gui.agent.measured", "server", server)))
				for _, c := range cells {
					out.Add(wrapped(compat.MeasuredText(c, u.tr.T)))
				}
			}
		})
	})
}

func reasonsText(u *UI, v compat.Verdict) string {
	var lines []string
	for _, r := range v.Reasons {
		lines = append(lines, u.tr.T(r.Key, u.deps.Compat.LocalArgs(r.Args, u.Lang())))
	}
	return strings.Join(lines, "\n")
}

// codeTool shows the report behind a support code, as the customer saw it
// (in plain text: the code may be forged).
func (s *supportScreen) codeTool() fyne.CanvasObject {
	u := s.u
	entry := u.newMultiLineEntry()
	entry.SetPlaceHolder(u.T("gui.agent.code_hint"))
	// Not wrapped: a 3,200-character code re-wrapped on every key held
	// the window for a quarter of a second per key (TestTypingIntoCode…).
	entry.Wrapping = fyne.TextWrapOff
	entry.SetMinRowsVisible(3)
	entry.SetText(u.supportData.code)
	entry.OnChanged = func(t string) { u.supportData.code = t }
	open := widget.NewButtonWithIcon(u.T("gui.agent.open_code"), theme.FolderOpenIcon(), func() { s.decodeCode(entry.Text) })
	return section(u.T("gui.agent.code"), container.NewVBox(entry, container.NewHBox(open)))
}

func (u *UI) showAbout() {
	md := u.app.Metadata()
	version := u.deps.Version
	if version == "" {
		version = md.Version
	}
	u.inform(u.T("gui.about"), u.Tf("gui.about.text", "version", version))
}
