package gui

import (
	"os"
	"testing"

	"fyne.io/fyne/v2/lang"
)

// Fyne's own dialog words (file save, Yes/No) follow the window's
// language, not only the system's: before, an Italian window showed
// "Save"/"Cancel"/"(Parent)" (Fyne ships no Italian). LANGUAGE is put back
// afterwards, so a browser or mail program started later keeps the user's.
func TestFyneDialogWordsFollowTheWindow(t *testing.T) {
	t.Setenv("LANG", "en_US.UTF-8")
	t.Setenv("LANGUAGE", "en_GB:en")
	u, _ := newTestUI(t, &fakeCheck{}, "it")
	for en, it := range map[string]string{"Cancel": "Annulla", "Save": "Salva", "Yes": "Sì", "(Parent)": "(Cartella superiore)"} {
		if got := lang.L(en); got != it {
			t.Errorf("Italian window: Fyne says %q for %q, want %q", got, en, it)
		}
	}
	if got := os.Getenv("LANGUAGE"); got != "en_GB:en" {
		t.Errorf("LANGUAGE = %q afterwards, want the user's en_GB:en", got)
	}
	u.SetLang("en")
	if got := lang.L("Cancel"); got != "Cancel" {
		t.Errorf("English window: Fyne says %q for Cancel", got)
	}
	u.SetLang("it")
	if got := lang.L("Cancel"); got != "Annulla" {
		t.Errorf("back to Italian: Fyne says %q for Cancel", got)
	}
}
