package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// The keyboard: Ctrl+Tab / Ctrl+PgDn and Ctrl+Shift+Tab / Ctrl+PgUp switch
// tabs from anywhere, Esc cancels the dialog on top and Enter accepts it,
// and a field that gets the focus is scrolled into view. Fyne's dialogs
// answer neither Esc nor Enter, and a focused text field swallows every
// shortcut, so the window routes them itself.

// openDialog is a dialog on screen and what Enter does in it.
type openDialog struct {
	d dialog.Dialog
	// accept is the default button's action; nil: Enter closes it.
	accept func()
}

// keyRouter holds the window's shortcuts and the open dialogs, newest last.
type keyRouter struct {
	shortcuts map[string]func()
	dialogs   []openDialog
}

// bindKeys installs the shortcuts on the window's canvas once: they
// outlive the rebuild of every screen on a language switch.
func (u *UI) bindKeys() {
	u.keys.shortcuts = map[string]func(){}
	next := func() { u.stepTab(1) }
	prev := func() { u.stepTab(-1) }
	for _, s := range []struct {
		key fyne.KeyName
		mod fyne.KeyModifier
		do  func()
	}{
		{fyne.KeyTab, fyne.KeyModifierControl, next},
		{fyne.KeyPageDown, fyne.KeyModifierControl, next},
		{fyne.KeyTab, fyne.KeyModifierControl | fyne.KeyModifierShift, prev},
		{fyne.KeyPageUp, fyne.KeyModifierControl, prev},
	} {
		sc := &desktop.CustomShortcut{KeyName: s.key, Modifier: s.mod}
		do := s.do
		u.keys.shortcuts[sc.ShortcutName()] = do
		u.win.Canvas().AddShortcut(sc, func(fyne.Shortcut) { do() })
	}
	u.win.Canvas().SetOnTypedKey(u.typedKey)
}

// windowShortcut runs a window shortcut typed in a text field.
func (u *UI) windowShortcut(s fyne.Shortcut) bool {
	do, ok := u.keys.shortcuts[s.ShortcutName()]
	if ok {
		do()
	}
	return ok
}

// stepTab selects the next (+1) or previous (-1) tab, wrapping around.
func (u *UI) stepTab(d int) {
	n := len(u.tabs.Items)
	u.Select((u.tabs.SelectedIndex() + d + n) % n)
	if u.tabs.SelectedIndex() == TabAccount {
		u.focusAccount()
	}
}

// typedKey gets the keys no widget has the focus for: with a dialog
// open, Esc cancels it and Enter presses its default button.
func (u *UI) typedKey(ev *fyne.KeyEvent) {
	n := len(u.keys.dialogs)
	if n == 0 {
		return
	}
	top := u.keys.dialogs[n-1]
	switch ev.Name {
	case fyne.KeyEscape:
		top.d.Hide()
	case fyne.KeyReturn, fyne.KeyEnter:
		if top.accept != nil {
			top.accept()
		} else {
			top.d.Hide()
		}
	}
}

// showDialog shows d and lets Esc and Enter answer it while it is on top.
func (u *UI) showDialog(d dialog.Dialog, accept func()) {
	u.keys.dialogs = append(u.keys.dialogs, openDialog{d: d, accept: accept})
	d.SetOnClosed(func() {
		for i := range u.keys.dialogs {
			if u.keys.dialogs[i].d == d {
				u.keys.dialogs = append(u.keys.dialogs[:i], u.keys.dialogs[i+1:]...)
				break
			}
		}
	})
	// Whatever had the focus underneath would take Esc and Enter.
	u.win.Canvas().Unfocus()
	d.Show()
}

// showConfirm shows a confirmation: Enter confirms, Esc cancels.
func (u *UI) showConfirm(d *dialog.ConfirmDialog) { u.showDialog(d, d.Confirm) }

// entry is a text field that leaves the window's shortcuts to the window
// and comes into view when it gets the focus (by Tab, below the fold).
type entry struct {
	widget.Entry
	u *UI
}

func (u *UI) newEntry() *entry {
	e := &entry{u: u}
	e.ExtendBaseWidget(e)
	return e
}

func (u *UI) newPasswordEntry() *entry {
	e := u.newEntry()
	e.Password = true
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	return e
}

func (u *UI) newMultiLineEntry() *entry {
	e := u.newEntry()
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapWord
	return e
}

// TypedShortcut hands the window's shortcuts to the window.
func (e *entry) TypedShortcut(s fyne.Shortcut) {
	if e.u.windowShortcut(s) {
		return
	}
	e.Entry.TypedShortcut(s)
}

// FocusGained scrolls the field into view.
func (e *entry) FocusGained() {
	e.Entry.FocusGained()
	e.u.reveal(e)
}

// reveal scrolls the shown screen so that o is inside the visible area.
func (u *UI) reveal(o fyne.CanvasObject) {
	if u.tabs == nil || u.tabs.Selected() == nil {
		return
	}
	scroll, ok := u.tabs.Selected().Content.(*container.Scroll)
	if !ok {
		return
	}
	d := fyne.CurrentApp().Driver()
	y := d.AbsolutePositionForObject(o).Y - d.AbsolutePositionForObject(scroll).Y
	off := scroll.Offset.Y
	switch view := scroll.Size().Height; {
	case y < 0:
		off += y
	case y+o.Size().Height > view:
		off += y + o.Size().Height - view
	default:
		return
	}
	if off < 0 {
		off = 0
	}
	scroll.ScrollToOffset(fyne.NewPos(scroll.Offset.X, off))
}
