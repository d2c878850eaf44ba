package main

import (
	"maildoctor.app/maildoctor/fix/apply"
	"maildoctor.app/maildoctor/gui"
)

// TLS12State tells the Fix screen whether this Windows is one where
// Mail Doctor switches TLS 1.2 on (7 SP1, 8.0), and whether an earlier
// switch can be put back.
func (h *hostServices) TLS12State() gui.TLS12State {
	var st gui.TLS12State
	if h.platform.GOOS != "windows" || h.platform.WindowsVersion == nil {
		return st
	}
	if v, err := h.platform.WindowsVersion(); err == nil {
		st.Applies = apply.TLS12Applies(v) == nil
	}
	b, err := apply.LatestTLS12Backup(h.applyOptions())
	st.CanUndo = err == nil && b != ""
	return st
}

// SwitchTLS12 is the Fix screen's "Switch on TLS 1.2" and its undo: the
// window starts "maildoctor fix --enable-tls12" as administrator, exactly
// as the command line does, and reads the keys again after it.
func (h *hostServices) SwitchTLS12(undo bool, lang string) (*apply.TLS12Outcome, error) {
	return apply.SwitchTLS12(h.applyOptions(), h.elevation, undo, lang)
}
