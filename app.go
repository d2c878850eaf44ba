package main

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/lang"

	"app.maildoctor/localeenv"

	"maildoctor.app/maildoctor/assets"
	"maildoctor.app/maildoctor/detect/check"
	"maildoctor.app/maildoctor/detect/compat"
	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/detect/system"
	"maildoctor.app/maildoctor/fix/apply"
	"maildoctor.app/maildoctor/fix/plan"
	"maildoctor.app/maildoctor/fix/register"
	"maildoctor.app/maildoctor/gui"
	"maildoctor.app/maildoctor/i18n"
	"maildoctor.app/maildoctor/internal/instance"
)

// version is set at release build time (-ldflags -X main.version=…).
var version = "0.1.0-dev"

// appID names the app for its preferences; it matches FyneApp.toml.
const appID = "app.maildoctor.maildoctor"

// instanceName is the per-user channel of the open window (internal/instance).
const instanceName = "maildoctor"

// runApp opens the window on "This computer", or on "Test my account"
// filled in from a support link.
func runApp(supportLink string) int {
	// One window per user: a second launch (a support link clicked while
	// the app is open) hands its link to the open window and ends.
	inst, err := instance.Listen(instanceName)
	if errors.Is(err, instance.ErrRunning) && instance.Send(instanceName, supportLink) == nil {
		return 0
	}
	if inst != nil {
		defer inst.Close()
	}
	// Fyne's own dialogs use the same translation files.
	if err := lang.AddTranslationsFS(assets.Translations, "translation"); err != nil {
		fyne.LogError("loading translations", err)
	}
	// Fyne has no Italian of its own: the words of its file dialog for an
	// Italian system (the window's own dialogs follow the chosen language).
	if err := lang.AddTranslationsForLocale([]byte(fyneItalian), fyne.Locale("it")); err != nil {
		fyne.LogError("loading translations", err)
	}
	// Read while localeenv still shows Fyne "C" for "C.UTF-8" (which it
	// cannot parse), then give the user's locale back to what we start.
	systemLang := lang.SystemLocale().LanguageString()
	localeenv.Restore()
	cat, err := i18n.Load(assets.Translations, "translation")
	if err != nil {
		fyne.LogError("loading translations", err)
		return 3
	}
	builtin, err := discover.BuiltinProfile()
	if err != nil {
		fyne.LogError("built-in profile", err)
		return 3
	}
	profiles := []*discover.Profile{builtin}
	kb, err := compat.Builtin()
	if err != nil {
		fyne.LogError("compatibility data", err)
		return 3
	}
	a := app.NewWithID(appID)
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	w := a.NewWindow("Mail Doctor")
	host := &hostServices{platform: system.Host(), profiles: profiles}
	ui := gui.New(a, w, gui.Deps{
		Catalog:  cat,
		Check:    check.Run,
		Computer: host.computer,
		Plan:     host.plan,
		Fixer:    host,
		Compat:   kb,
		Simulate: compat.SimulateVerdict,
		Profiles: profiles,
		LoadProfile: func(url string) (*discover.Profile, error) {
			ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
			defer cancel()
			return discover.LoadProfile(ctx, url, nil)
		},
		Lang:    a.Preferences().StringWithFallback("lang", systemLang),
		Version: version,
	})
	host.tr = ui.Translator
	if supportLink != "" {
		ui.OpenLink(supportLink)
	}
	if inst != nil {
		go inst.Serve(func(link string) {
			fyne.Do(func() {
				if link != "" {
					ui.OpenLink(link)
				}
				w.RequestFocus()
			})
		})
	}
	// Links an agent sends open this program from now on; per user, no
	// administrator needed.
	go func() {
		if err := register.Self(); err != nil {
			fyne.LogError("registering maildoctor:// links", err)
		}
	}()
	w.Resize(fyne.NewSize(900, 680))
	w.SetMaster()
	w.ShowAndRun()
	return 0
}

// fyneItalian translates the texts of Fyne's own dialogs (file chooser,
// confirmations) that the window cannot label itself.
const fyneItalian = `{
  "Yes": "Sì", "No": "No", "OK": "OK", "Cancel": "Annulla", "Confirm": "Conferma",
  "Error": "Errore", "Save": "Salva", "Open": "Apri", "File": "file", "Folder": "cartella",
  "Enter filename": "Nome del file", "New Folder": "Nuova cartella", "Create Folder": "Crea la cartella",
  "Show Hidden Files": "Mostra i file nascosti", "file.name": "Nome", "file.parent": "Cartella superiore",
  "Advanced": "Avanzate", "Copy": "Copia", "Cut": "Taglia", "Paste": "Incolla", "Select all": "Seleziona tutto",
  "Undo": "Annulla", "Redo": "Ripeti", "Quit": "Esci"
}`

// UndoState tells the Fix screen, before anything is pressed, whether
// there is a change to undo (a file's copy beside it or a registry key's
// export, as fix/apply names and finds them) and whether the program is
// open.
func (h *hostServices) UndoState(p *plan.Plan) gui.UndoState {
	var st gui.UndoState
	if p == nil || p.Current == nil {
		return st
	}
	if procs := apply.Processes(p.Card); len(procs) > 0 {
		running, ok := system.Running(h.platform, procs...)
		// Unknown (the list cannot be read) is left to the fix itself, which
		// then changes nothing and says why.
		st.Running = running && ok
	}
	backup, err := apply.LatestBackup(p.Card, *p.Current, h.applyOptions())
	st.CanUndo = err == nil && backup != ""
	return st
}
