package gui

import (
	"errors"
	"net/url"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"maildoctor.app/maildoctor/fix/report"
)

// supportState is what the Support screen shows and the agent typed; it
// outlives the rebuild of every widget on a language switch.
type supportState struct {
	os, client, code string
	// shown: the support code was copied, so it is shown too (the
	// customer may have to read it out or paste it by hand).
	shown bool
	// mail is the fallback after "write to support", nil before.
	mail *mailFallback
}

// mailFallback is what the customer needs to write to support by hand
// when no mail program opened a message.
type mailFallback struct {
	to, subject string
	// failed: the system had no program to open the message with.
	failed bool
}

// handoff shows, once asked for, the support code itself (selectable,
// with the "copied" confirmation), and after "write to support" the
// address and subject to write to by hand.
func (s *supportScreen) handoff() []fyne.CanvasObject {
	u := s.u
	st := &u.supportData
	var objs []fyne.CanvasObject
	if m := st.mail; m != nil {
		var lines []fyne.CanvasObject
		if m.failed {
			lines = append(lines, bold(u.T("gui.support.mail_failed")))
		}
		lines = append(lines, wrapped(u.T("gui.support.mail_fallback")),
			u.copyRows(u.T("gui.support.to"), m.to, u.T("gui.support.subject_label"), m.subject))
		objs = append(objs, section(u.T("gui.support.mail"), container.NewVBox(lines...)))
	}
	if st.shown {
		code, err := s.code()
		if err != nil {
			return objs
		}
		// A label, not a field: the code can be selected and copied but
		// not changed by a stray key.
		l := widget.NewLabelWithStyle(code, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
		l.Wrapping = fyne.TextWrapBreak
		l.Selectable = true
		done := wrapped(u.T("gui.support.copied"))
		done.Importance = widget.SuccessImportance
		objs = append(objs, section(u.T("gui.support.code_title"), container.NewVBox(done, l)))
	}
	return objs
}

// openMail hands a mailto: link to the system; the error says that no
// program took it.
func (u *UI) openMail(link string) error {
	parsed, err := url.Parse(link)
	if err != nil {
		return err
	}
	open := u.app.OpenURL
	if u.deps.OpenURL != nil {
		open = u.deps.OpenURL
	}
	if err := open(parsed); err != nil {
		fyne.LogError("opening a message to support", err)
		return err
	}
	return nil
}

// decodeCode decodes a support code off the UI goroutine (a long or
// forged code must not hold the window), then shows its report.
func (s *supportScreen) decodeCode(code string) {
	u := s.u
	tr := u.tr
	u.background(func() {
		rep, err := report.Decode(code)
		var doc *report.Doc
		msg := ""
		if err != nil {
			msg = err.Error()
			var ce *report.CodeError
			if errors.As(err, &ce) {
				msg = ce.Text(tr)
			}
		} else {
			doc = report.Layout(rep, tr)
		}
		u.do(func() {
			if doc == nil {
				u.inform(u.T("gui.agent.code"), msg)
				return
			}
			// The code may be forged: its report is shown as plain text
			// (reportView), never as Markdown. Small enough for a
			// 640×480 screen; the report scrolls.
			scroll := container.NewVScroll(u.reportView(doc))
			scroll.SetMinSize(fyne.NewSize(560, 300))
			u.showDialog(dialog.NewCustom(u.T("gui.agent.code"), u.T("gui.close"), scroll, u.win), nil)
		})
	})
}

// reportTable shows a report's table as a table: a header row, then one
// row per connection, in columns. Cells wrap instead of widening the
// dialog.
func reportTable(header []string, rows [][]string) fyne.CanvasObject {
	n := len(header)
	if n == 0 {
		return container.NewVBox()
	}
	var cells []fyne.CanvasObject
	for _, h := range header {
		l := bold(h)
		l.Wrapping = fyne.TextWrapBreak
		cells = append(cells, l)
	}
	for _, r := range rows {
		if len(r) != n {
			continue
		}
		for _, c := range r {
			l := widget.NewLabel(c)
			l.Wrapping = fyne.TextWrapBreak
			cells = append(cells, l)
		}
	}
	return container.New(layout.NewGridLayoutWithColumns(n), cells...)
}
