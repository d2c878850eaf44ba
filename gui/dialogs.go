package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
)

// The window's own dialogs. Fyne's ready-made ones (ShowConfirm,
// ShowInformation, ShowError) label their buttons in the system's language
// through Fyne's translations, which have no Italian and do not follow the
// language chosen in the window: these say Sì/No, OK and Annulla in the
// window's language.

// confirm asks a question; yes runs on the confirming button (named ok).
// Escape, closing and the other button cancel.
func (u *UI) confirm(title, text, ok string, yes func()) {
	body := wrapped(text)
	d := dialog.NewCustomConfirm(title, ok, u.T("gui.dialog.cancel"), dialogBody(body), func(b bool) {
		if b {
			yes()
		}
	}, u.win)
	u.showConfirm(d)
}

// inform shows a message with OK.
func (u *UI) inform(title, text string) {
	u.showDialog(dialog.NewCustom(title, u.T("gui.dialog.ok"), dialogBody(wrapped(text)), u.win), nil)
}

// showError says that something failed, with the error's words.
func (u *UI) showError(err error) {
	u.inform(u.T("gui.dialog.error"), err.Error())
}

// saveFile asks where to save data, with the window's words on the
// dialog's title and buttons, and says where it went and what to do with
// it next (next is a translation key taking {{.path}}; "" for just where).
func (u *UI) saveFile(name string, data []byte, next string) {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		u.writeSaved(w, data, next)
	}, u.win)
	d.SetFileName(name)
	d.SetTitleText(u.T("gui.dialog.save_title"))
	d.SetConfirmText(u.T("gui.dialog.save"))
	d.SetDismissText(u.T("gui.dialog.cancel"))
	u.showDialog(d, nil)
}

// writeSaved writes what the save dialog chose and says where it went.
func (u *UI) writeSaved(w fyne.URIWriteCloser, data []byte, next string) {
	_, err := w.Write(data)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		u.showError(err)
		return
	}
	if next == "" {
		next = "gui.dialog.saved"
	}
	u.inform(u.T("gui.dialog.saved_title"), u.Tf(next, "path", w.URI().Path()))
}

// dialogBody gives a wrapping text a width, so it wraps into lines
// instead of one narrow column; a long one scrolls.
func dialogBody(o fyne.CanvasObject) fyne.CanvasObject {
	body := container.NewVScroll(o)
	body.SetMinSize(fyne.NewSize(480, 120))
	return body
}
