package main

import (
	"context"
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/lang"
	"time"

	"maildoctor.app/maildoctor/assets"
	"maildoctor.app/maildoctor/detect/check"
	"maildoctor.app/maildoctor/detect/compat"
	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/detect/system"
	"maildoctor.app/maildoctor/fix/register"
	"maildoctor.app/maildoctor/gui"
	"maildoctor.app/maildoctor/i18n"
)

// version is set at release build time (-ldflags -X main.version=…).
var version = "0.1.0-dev"

// appID names the app for its preferences; it matches FyneApp.toml.
const appID = "app.maildoctor.maildoctor"

// runApp opens the window on "This computer", or on "Test my account"
// filled in from a support link.
func runApp(supportLink string) int {
	// Fyne's own dialogs use the same translation files.
	if err := lang.AddTranslationsFS(assets.Translations, "translation"); err != nil {
		fyne.LogError("loading translations", err)
	}
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
		Profiles: profiles,
		LoadProfile: func(url string) (*discover.Profile, error) {
			ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
			defer cancel()
			return discover.LoadProfile(ctx, url, nil)
		},
		Lang:    a.Preferences().StringWithFallback("lang", lang.SystemLocale().LanguageString()),
		Version: version,
	})
	host.tr = ui.Translator
	if supportLink != "" {
		ui.OpenLink(supportLink)
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
