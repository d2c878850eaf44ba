package gui

import (
	"io/fs"
	"os"
	"path"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"maildoctor.app/maildoctor/assets"
)

// fyneStrings loads Fyne's own strings in the languages Fyne lacks
// (Italian) once per process: Fyne keeps them in a package-level bundle.
var fyneStrings sync.Once

// followLanguage makes Fyne's own dialogs (file save, Yes/No, the text
// field menu) use code, the window's language. Fyne picks its language from
// the system each time translations are added; on Linux and BSD it reads
// LANGUAGE, so LANGUAGE is set for that moment only and put back (programs
// started later, a browser or a mail program, keep the user's own). On
// Windows and macOS Fyne asks the system, so its dialogs follow the
// system's language there.
func followLanguage(code string) {
	fyneStrings.Do(func() {
		entries, err := fs.ReadDir(assets.Fyne, "fyne")
		if err != nil {
			fyne.LogError("Fyne translations", err)
			return
		}
		for _, e := range entries {
			data, err := fs.ReadFile(assets.Fyne, path.Join("fyne", e.Name()))
			if err == nil {
				err = lang.AddTranslationsForLocale(data, fyne.Locale(strings.TrimSuffix(e.Name(), ".json")))
			}
			if err != nil {
				fyne.LogError("Fyne translations "+e.Name(), err)
			}
		}
	})
	old, had := os.LookupEnv("LANGUAGE")
	if os.Setenv("LANGUAGE", code) != nil {
		return
	}
	// Adding a bundle again is how Fyne's localizer is made to look at
	// the language again; the English one is Fyne's own fallback.
	_ = lang.AddTranslationsForLocale([]byte(`{}`), fyne.Locale("en"))
	if had {
		_ = os.Setenv("LANGUAGE", old)
	} else {
		_ = os.Unsetenv("LANGUAGE")
	}
}
