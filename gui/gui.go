// Package gui is Mail Doctor's window: "This computer", "Test my
// account", "Fix" and "Support". It holds screens only: the checks, the
// detection and the fixes come in through Deps, so the tests drive the real
// screens with fakes. Work runs off the UI goroutine and touches widgets
// only through fyne.Do.
package gui

import (
	"context"
	"net/url"
	"sync"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"maildoctor.app/maildoctor/detect/check"
	"maildoctor.app/maildoctor/detect/clients/scan"
	"maildoctor.app/maildoctor/detect/compat"
	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/fix/advise"
	"maildoctor.app/maildoctor/fix/plan"
	"maildoctor.app/maildoctor/i18n"
)

// Checker runs the account check; detect/check.Run in the app.
type Checker func(ctx context.Context, opt check.Options) (*check.Report, error)

// ComputerSource describes this computer, its mail clients and accounts;
// detect/clients/scan in the app.
type ComputerSource func(ctx context.Context) (*scan.Report, error)

// Planner makes the fix plan for a request (fix/advise in the app, which
// adds the provider profiles); it may use the network (discovery, webmail)
// and runs off the UI goroutine.
type Planner func(ctx context.Context, req advise.Request) (*plan.Plan, error)

// Deps is everything the screens need from outside.
type Deps struct {
	Catalog  *i18n.Catalog
	Check    Checker
	Computer ComputerSource
	Plan     Planner
	Fixer    Fixer
	// Compat answers "can this program on this system still connect?";
	// nil hides the verdicts.
	Compat *compat.KB
	// Simulate sends the verdict's client handshakes to a server the
	// agent names (compat.SimulateVerdict); nil hides the server field of
	// "Will it still work?". It runs off the UI goroutine.
	Simulate func(ctx context.Context, v compat.Verdict, server string) ([]compat.MeasuredCell, error)
	Profiles []*discover.Profile
	// Lang is the starting language ("it", "en"); the user can switch.
	Lang string
	// Version is shown in the About box.
	Version string
	// SupportEmail receives "Send to support" when no profile names one.
	SupportEmail string
	// LoadProfile fetches a profile a support link names.
	LoadProfile ProfileLoader
	// OpenURL hands a link to the system (a mailto: to the mail
	// program); nil means the app's. Its error means nothing opened it.
	OpenURL func(*url.URL) error
	// Do runs a function on the UI goroutine; nil means fyne.Do. Tests
	// queue the functions and run them on the test's own goroutine, as the
	// real driver does on its main loop.
	Do func(func())
}

// Tab indexes, in the order the tabs appear.
const (
	TabComputer = iota
	TabAccount
	TabFix
	TabSupport
)

// UI is the whole window content. Its state (what the user typed, the last
// report) survives a language switch, which rebuilds every widget.
type UI struct {
	app  fyne.App
	win  fyne.Window
	deps Deps
	tr   i18n.Translator

	// ctx ends when the window closes, stopping any check in progress.
	ctx    context.Context
	cancel context.CancelFunc

	// bg counts work running off the UI goroutine, so Close and the tests
	// can wait for it.
	bg       sync.WaitGroup
	running  int32
	state    accountState
	report   *check.Report
	computer *scan.Report
	// fixFor is the account the Fix screen is about (nil: the last check).
	fixFor *fixTarget

	tabs           *container.AppTabs
	computerScreen *computerScreen
	account        *accountScreen
	fix            *fixScreen
	support        *supportScreen
	keys           keyRouter
	supportData    supportState
}

// New builds the UI into w and returns it; the window's content is set.
func New(a fyne.App, w fyne.Window, deps Deps) *UI {
	ctx, cancel := context.WithCancel(context.Background())
	u := &UI{app: a, win: w, deps: deps, ctx: ctx, cancel: cancel}
	u.tr = deps.Catalog.For(deps.Lang)
	followLanguage(u.tr.Lang())
	w.SetOnClosed(u.Close)
	u.bindKeys()
	u.build(TabComputer)
	u.computerScreen.load()
	return u
}

// Close stops everything in progress; the window calls it when it closes.
func (u *UI) Close() { u.cancel() }

// WaitIdle waits until no background work is left (tests, shutdown).
func (u *UI) WaitIdle() { u.bg.Wait() }

// background runs f off the UI goroutine; f reports back with u.do.
func (u *UI) background(f func()) {
	u.bg.Add(1)
	atomic.AddInt32(&u.running, 1)
	go func() {
		defer u.bg.Done()
		defer atomic.AddInt32(&u.running, -1)
		f()
	}()
}

// Busy reports whether background work is still running.
func (u *UI) Busy() bool { return atomic.LoadInt32(&u.running) > 0 }

// do hands f to the UI goroutine: widgets are touched nowhere else.
func (u *UI) do(f func()) {
	if u.deps.Do != nil {
		u.deps.Do(f)
		return
	}
	fyne.Do(f)
}

// T translates for the current language.
func (u *UI) T(key string) string { return u.tr.T(key, nil) }

// Tf translates with arguments given as key, value pairs.
func (u *UI) Tf(key string, kv ...string) string {
	return u.tr.T(key, finding.Args(kv...))
}

// Translator is the current language's, for services that render text.
func (u *UI) Translator() i18n.Translator { return u.tr }

// Lang is the language shown.
func (u *UI) Lang() string { return u.tr.Lang() }

// SetLang switches the language and rebuilds every screen in place.
func (u *UI) SetLang(lang string) {
	if lang == u.tr.Lang() {
		return
	}
	u.tr = u.deps.Catalog.For(lang)
	followLanguage(u.tr.Lang())
	u.app.Preferences().SetString("lang", u.tr.Lang())
	sel := TabComputer
	if u.tabs != nil {
		sel = u.tabs.SelectedIndex()
	}
	u.build(sel)
	u.computerScreen.render()
	u.account.renderReport()
}

// Select shows a tab.
func (u *UI) Select(tab int) { u.tabs.SelectIndex(tab) }

func (u *UI) build(selected int) {
	u.computerScreen = newComputerScreen(u)
	u.account = newAccountScreen(u)
	u.fix = newFixScreen(u)
	u.support = newSupportScreen(u)
	u.tabs = container.NewAppTabs(
		container.NewTabItem(u.T("gui.tab.computer"), u.computerScreen.content),
		container.NewTabItem(u.T("gui.tab.account"), u.account.content),
		container.NewTabItem(u.T("gui.tab.fix"), u.fix.content),
		container.NewTabItem(u.T("gui.tab.support"), u.support.content),
	)
	u.tabs.SelectIndex(selected)
	u.tabs.OnSelected = func(*container.TabItem) {
		// A field left focused on a hidden tab would take the keys typed
		// and keep its cursor blinking, redrawing the window at rest.
		u.win.Canvas().Unfocus()
		switch u.tabs.SelectedIndex() {
		case TabAccount:
			u.suggestEmail()
		case TabFix:
			u.fix.render()
		case TabSupport:
			u.support.render()
		}
	}
	u.win.SetTitle(u.T("gui.title"))
	u.win.SetContent(container.NewBorder(u.header(), nil, nil, nil, u.tabs))
}

// header carries the language switch and the About button.
func (u *UI) header() fyne.CanvasObject {
	names := []string{"Italiano", "English"}
	codes := map[string]string{"Italiano": "it", "English": "en"}
	sel := widget.NewSelect(names, nil)
	if u.Lang() == "it" {
		sel.SetSelected("Italiano")
	} else {
		sel.SetSelected("English")
	}
	sel.OnChanged = func(s string) { u.SetLang(codes[s]) }
	about := widget.NewButton(u.T("gui.about"), u.showAbout)
	title := widget.NewLabelWithStyle(u.T("gui.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return container.NewBorder(nil, nil, title, container.NewHBox(sel, about))
}
