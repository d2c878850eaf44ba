package gui

import (
	"encoding/json"
	"errors"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"maildoctor.app/maildoctor/assets"
	"maildoctor.app/maildoctor/detect/check"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/fix/plan"
)

// "Prova il mio account" opens with the address of the computer's account
// that must change (mario, listed after nothing else needs it), focused and
// editable; the password stays empty.
func TestAccountPrefilledFromComputer(t *testing.T) {
	m := newMachine()
	u := newMachineUI(t, m, nil, "it")
	u.Select(TabAccount)
	if got := u.account.email.Text; got != "mario@cliente.it" {
		t.Fatalf("address = %q, want the account that must change", got)
	}
	if u.account.password.Text != "" {
		t.Error("a password was filled in")
	}
	if f := u.win.Canvas().Focused(); f != nil {
		t.Errorf("opened with the mouse, %T is focused (its cursor blinks at rest)", f)
	}
	// Editable, and what the customer types is not overwritten by the
	// next visit to the tab.
	u.account.email.SetText("")
	test.Type(u.account.email, "anna@cliente.it")
	u.Select(TabComputer)
	u.Select(TabAccount)
	if got := u.account.email.Text; got != "anna@cliente.it" {
		t.Errorf("address = %q after typing, want what was typed", got)
	}
}

// An account that must change wins over one listed before it that works.
func TestPrefillPrefersAccountThatMustChange(t *testing.T) {
	m := newMachine()
	u := newMachineUI(t, m, nil, "en")
	tb := &u.computer.Clients[0]
	tb.Accounts[0], tb.Accounts[1] = tb.Accounts[1], tb.Accounts[0]
	if got := detectedEmail(u.computer); got != "mario@cliente.it" {
		t.Errorf("detectedEmail = %q, want mario (the one to change)", got)
	}
	m.switched()
	u.Refresh()
	settle(u)
	if got := detectedEmail(u.computer); got != "mario@cliente.it" {
		t.Errorf("nothing to change: detectedEmail = %q, want the first account", got)
	}
}

// wrongPasswordReport: the IMAP login refused, over a connection that
// works apart from STARTTLS still in use.
func wrongPasswordReport() *check.Report {
	rep := failingReport()
	rep.Findings = []finding.Finding{
		finding.New(finding.AuthFailed, finding.Fail, "imap.cliente.it:993", "user", "mario@cliente.it", "protocol", "IMAP"),
		finding.New("cert.hostname_mismatch", finding.Fail, "imap.cliente.it:993", "host", "imap.cliente.it", "names", "server7.maildoctor.example", "suggested", "server7.maildoctor.example"),
		finding.New("imap.no_sent_folder", finding.Warn, "imap.cliente.it:993"),
	}
	return rep
}

// fixButtonFor is the "How to fix it" button of the finding card titled
// title.
func fixButtonFor(o fyne.CanvasObject, title, button string) *widget.Button {
	var found *widget.Button
	visit(o, func(c fyne.CanvasObject) {
		box, ok := c.(*fyne.Container)
		if found != nil || !ok || len(box.Objects) < 3 {
			return
		}
		if !contains(allText(box.Objects[0]), title) {
			return
		}
		if b := findButton(box, button); b != nil {
			found = b
		}
	})
	return found
}

// "How to fix it" on a refused password opens the Fix screen at the
// password help; on the missing Sent folder, at the Sent section. Seen
// failing before anchors.go: the screen stayed at its top (offset 0).
func TestHowToFixLandsOnItsSection(t *testing.T) {
	fc := &fakeCheck{report: wrongPasswordReport()}
	u, _ := newTestUI(t, fc, "en")
	u.win.Resize(fyne.NewSize(800, 600))
	test.Type(u.account.email, "mario@cliente.it")
	test.Tap(u.account.start)
	settle(u)
	for _, c := range []struct{ title, section string }{
		{"The server refused the password", plan.SecPassword},
		{"No \"Sent\" folder", plan.SecSent},
	} {
		u.Select(TabAccount)
		b := fixButtonFor(u.account.results, c.title, "How to fix it")
		if b == nil {
			t.Fatalf("no \"How to fix it\" under %q: %v", c.title, allText(u.account.results))
		}
		test.Tap(b)
		settle(u)
		sec := u.fix.anchors[c.section]
		if sec == nil {
			t.Fatalf("the plan has no %q section: %v", c.section, allText(u.fix.body))
		}
		top := u.fix.body.Position().Y + sec.Position().Y - u.fix.scroll.Offset.Y
		if u.fix.scroll.Offset.Y <= 0 || top < 0 || top > u.fix.scroll.Size().Height/2 {
			t.Errorf("%s: section at %v of a %v-high view (offset %v), want it at the top",
				c.section, top, u.fix.scroll.Size().Height, u.fix.scroll.Offset.Y)
		}
	}
}

// The Sent folder has one name per language, the glossary's: "Posta
// inviata" and "Sent". Every text is checked, not only the screens', since
// steps, findings and the report all name it.
func TestSentFolderGlossary(t *testing.T) {
	glossary := map[string]string{"it": "Posta inviata", "en": "Sent"}
	others := map[string]*regexp.Regexp{
		"it": regexp.MustCompile(`\bInviat[aio]\b|\bSent\b|Elementi inviati`),
		"en": regexp.MustCompile(`(?i:posta inviata|\binviat[aio]\b)|\bSent (Mail|Messages|Items) folder\b`),
	}
	for lang, name := range glossary {
		raw, err := assets.Translations.ReadFile("translation/" + lang + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var texts map[string]string
		if err := json.Unmarshal(raw, &texts); err != nil {
			t.Fatal(err)
		}
		for key, text := range texts {
			if m := others[lang].FindString(text); m != "" {
				t.Errorf("%s %s calls the Sent folder %q, want %q: %s", lang, key, m, name, text)
			}
		}
		if title := texts["imap.no_sent_folder.title"]; !strings.Contains(title, `"`+name+`"`) {
			t.Errorf("%s: the missing-folder finding does not use the glossary name %q: %s", lang, name, title)
		}
	}
}

// At 640×480 every screen fits the window and no button is cut ("→ Co"
// for "Cosa fare"), in both languages, with results on every screen.
func TestSmallWindow640x480(t *testing.T) {
	for _, lang := range []string{"it", "en"} {
		m := newMachine()
		fc := &fakeCheck{report: wrongPasswordReport()}
		u, w := startUI(t, Deps{Check: fc.run, Computer: m.computer, Plan: fakePlan, Fixer: &fakeFixer{m: m}, Lang: lang})
		w.Resize(fyne.NewSize(640, 480))
		u.Select(TabAccount)
		test.Tap(u.account.start)
		settle(u)
		for _, tab := range []int{TabComputer, TabAccount, TabFix, TabSupport} {
			u.Select(tab)
			settle(u)
			w.Resize(fyne.NewSize(640, 480))
			if min := w.Content().MinSize(); min.Width > 640 || min.Height > 480 {
				t.Errorf("%s tab %d needs %v, more than 640×480", lang, tab, min)
			}
			if got := w.Canvas().Size(); got.Width > 640 || got.Height > 480 {
				t.Errorf("%s tab %d: the window grew to %v", lang, tab, got)
			}
			visit(u.tabs.Selected().Content, func(o fyne.CanvasObject) {
				if b, ok := o.(*widget.Button); ok && b.Visible() && b.Size().Width > 0 && b.Size().Width+0.5 < b.MinSize().Width {
					t.Errorf("%s tab %d: button %q cut to %v of %v", lang, tab, b.Text, b.Size().Width, b.MinSize().Width)
				}
			})
		}
	}
}

// pressKey delivers a key as the desktop driver does: to the focused
// widget, else to the window.
func pressKey(w fyne.Window, name fyne.KeyName) {
	if f := w.Canvas().Focused(); f != nil {
		f.TypedKey(&fyne.KeyEvent{Name: name})
	} else if h := w.Canvas().OnTypedKey(); h != nil {
		h(&fyne.KeyEvent{Name: name})
	}
}

// pressShortcut delivers a shortcut as the desktop driver does: a focused
// widget that takes shortcuts gets it, else the window.
func pressShortcut(w fyne.Window, key fyne.KeyName, mod fyne.KeyModifier) {
	sc := &desktop.CustomShortcut{KeyName: key, Modifier: mod}
	if f, ok := w.Canvas().Focused().(fyne.Shortcutable); ok {
		f.TypedShortcut(sc)
		return
	}
	w.Canvas().(fyne.Shortcutable).TypedShortcut(sc)
}

// Ctrl+Tab and Ctrl+Shift+Tab (and Ctrl+PgDn/PgUp) switch tabs, also
// from inside a text field, which takes every shortcut for itself.
func TestCtrlTabSwitchesTabs(t *testing.T) {
	fc := &fakeCheck{report: failingReport()}
	u, w := newTestUI(t, fc, "it")
	pressShortcut(w, fyne.KeyTab, fyne.KeyModifierControl)
	if got := u.tabs.SelectedIndex(); got != TabAccount {
		t.Fatalf("Ctrl+Tab from the first screen: tab %d", got)
	}
	if w.Canvas().Focused() != u.account.email {
		t.Fatalf("the address is not focused: %T", w.Canvas().Focused())
	}
	pressShortcut(w, fyne.KeyTab, fyne.KeyModifierControl)
	if got := u.tabs.SelectedIndex(); got != TabFix {
		t.Errorf("Ctrl+Tab in the address field: tab %d, want Fix", got)
	}
	pressShortcut(w, fyne.KeyTab, fyne.KeyModifierControl|fyne.KeyModifierShift)
	pressShortcut(w, fyne.KeyPageUp, fyne.KeyModifierControl)
	if got := u.tabs.SelectedIndex(); got != TabComputer {
		t.Errorf("Ctrl+Shift+Tab, Ctrl+PgUp: tab %d, want the first", got)
	}
	pressShortcut(w, fyne.KeyPageUp, fyne.KeyModifierControl)
	if got := u.tabs.SelectedIndex(); got != TabSupport {
		t.Errorf("Ctrl+PgUp on the first tab: tab %d, want the last", got)
	}
}

// Esc cancels a dialog and Enter presses its default button, even with
// the cursor in a field underneath when it opened.
func TestEscCancelsEnterConfirms(t *testing.T) {
	m := newMachine()
	fx := &fakeFixer{m: m}
	u := newMachineUI(t, m, fx, "it")
	w := u.win
	test.Tap(findButton(u.computerScreen.body, "Cosa fare"))
	settle(u)
	fixIt := findButton(u.fix.body, "Correggi per me")
	test.Tap(fixIt)
	if w.Canvas().Overlays().Top() == nil {
		t.Fatal("no confirmation")
	}
	pressKey(w, fyne.KeyEscape)
	settle(u)
	if w.Canvas().Overlays().Top() != nil || fx.applied != 0 {
		t.Fatalf("Esc: dialog still open (%v) or applied %d", w.Canvas().Overlays().Top() != nil, fx.applied)
	}
	test.Tap(findButton(u.fix.body, "Correggi per me"))
	pressKey(w, fyne.KeyReturn)
	settle(u)
	if fx.applied != 1 {
		t.Fatalf("Enter did not confirm: applied %d", fx.applied)
	}
	// An information box closes with Enter too.
	u.inform("x", "y")
	pressKey(w, fyne.KeyReturn)
	if w.Canvas().Overlays().Top() != nil {
		t.Error("Enter did not close the information box")
	}
}

// A field reached with Tab below the visible area is scrolled into view.
func TestFocusedFieldScrolledIntoView(t *testing.T) {
	fc := &fakeCheck{report: failingReport()}
	u, w := newTestUI(t, fc, "en")
	w.Resize(fyne.NewSize(640, 480))
	u.Select(TabSupport)
	var code *entry
	visit(u.support.content, func(o fyne.CanvasObject) {
		if e, ok := o.(*entry); ok && e.MultiLine {
			code = e
		}
	})
	scroll := u.support.content.(*container.Scroll)
	d := fyne.CurrentApp().Driver()
	if y := d.AbsolutePositionForObject(code).Y - d.AbsolutePositionForObject(scroll).Y; y < scroll.Size().Height {
		t.Fatalf("the code field is already visible (%v < %v): the test needs it below", y, scroll.Size().Height)
	}
	w.Canvas().Focus(code)
	y := d.AbsolutePositionForObject(code).Y - d.AbsolutePositionForObject(scroll).Y
	if y < 0 || y+code.Size().Height > scroll.Size().Height {
		t.Errorf("the focused field is at %v..%v of a %v-high view", y, y+code.Size().Height, scroll.Size().Height)
	}
}

// selectableText is the text of the selectable labels under o.
func selectableText(o fyne.CanvasObject) []string {
	var out []string
	visit(o, func(c fyne.CanvasObject) {
		if l, ok := c.(*widget.Label); ok && l.Selectable {
			out = append(out, l.Text)
		}
	})
	return out
}

// "Copy the support code" shows the code on the screen, selectable, with
// the confirmation next to it (no box to close); it stays through a
// language switch.
func TestSupportCodeVisibleAndSelectable(t *testing.T) {
	fc := &fakeCheck{report: failingReport()}
	u, w := newTestUI(t, fc, "it")
	test.Type(u.account.email, "mario@cliente.it")
	test.Tap(u.account.start)
	settle(u)
	u.Select(TabSupport)
	test.Tap(findButton(u.support.body, "Copia il codice per l'assistenza"))
	if w.Canvas().Overlays().Top() != nil {
		t.Error("a dialog opened instead of showing the code")
	}
	code := u.app.Clipboard().Content()
	if len(code) < 100 {
		t.Fatalf("clipboard: %q", code)
	}
	if shown := selectableText(u.support.content); !contains(shown, code) {
		t.Errorf("the copied code is not on the screen: %v", shown)
	}
	if !contains(allText(u.support.body), "negli appunti") {
		t.Error("no \"copied\" confirmation")
	}
	u.SetLang("en")
	if shown := selectableText(u.support.content); !contains(shown, "") || len(shown) == 0 {
		t.Error("the code went away on a language switch")
	}
}

// "Write to support" where no mail program opens: the screen says so and
// shows the address and subject to write to, with the code to paste.
func TestMailSupportFallback(t *testing.T) {
	fc := &fakeCheck{report: failingReport()}
	var opened []string
	u, _ := startUI(t, Deps{Check: fc.run, Computer: fakeComputer, Plan: fakePlan, Lang: "it", SupportEmail: "assistenza@cliente.it",
		OpenURL: func(l *url.URL) error {
			opened = append(opened, l.Scheme)
			return errors.New("exec: \"xdg-open\": executable file not found")
		}})
	u.Select(TabSupport)
	test.Tap(findButton(u.support.body, "Scrivi all'assistenza"))
	if len(opened) != 1 || opened[0] != "mailto" {
		t.Fatalf("opened %v, want one mailto:", opened)
	}
	texts := allText(u.support.body)
	for _, want := range []string{"non si è aperto nessun programma di posta", "assistenza@cliente.it", "Rapporto di Mail Doctor"} {
		if !contains(texts, want) {
			t.Errorf("the fallback does not show %q: %v", want, texts)
		}
	}
	if code := u.app.Clipboard().Content(); len(code) < 100 || !contains(selectableText(u.support.content), code) {
		t.Errorf("the code is not on the clipboard and the screen (%d chars)", len(code))
	}
}

// checkedCodeField checks mario's account, then returns the support code
// of that check and the Support tab's code field, the tab open.
func checkedCodeField(t *testing.T, u *UI) (string, *entry) {
	t.Helper()
	test.Type(u.account.email, "mario@cliente.it")
	test.Tap(u.account.start)
	settle(u)
	code, err := u.support.code()
	if err != nil {
		t.Fatal(err)
	}
	u.Select(TabSupport)
	var field *entry
	visit(u.support.content, func(o fyne.CanvasObject) {
		if e, ok := o.(*entry); ok && e.MultiLine {
			field = e
		}
	})
	return code, field
}

// Decoding a pasted code runs off the UI goroutine, and its connections
// table is a table: a header row of cells, then a row per connection.
func TestOpenCodeOffUIThreadWithTable(t *testing.T) {
	fc := &fakeCheck{report: failingReport()}
	u, w := newTestUI(t, fc, "en")
	code, field := checkedCodeField(t, u)
	field.SetText(code)
	test.Tap(findButton(u.support.body, "Show the report"))
	if w.Canvas().Overlays().Top() != nil {
		t.Fatal("the code was decoded on the UI goroutine (the dialog is already there)")
	}
	settle(u)
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no report")
	}
	var grid *fyne.Container
	visit(top, func(o fyne.CanvasObject) {
		if c, ok := o.(*fyne.Container); ok && grid == nil && len(c.Objects) >= 14 {
			if l, ok := c.Objects[0].(*widget.Label); ok && l.Text == "Protocol" {
				grid = c
			}
		}
	})
	if grid == nil {
		t.Fatal("no table with a header row")
	}
	if l := grid.Objects[7].(*widget.Label); l.Text != "IMAP" {
		t.Errorf("first cell of the first row = %q, want IMAP", l.Text)
	}
	for _, o := range grid.Objects {
		if strings.Contains(o.(*widget.Label).Text, "---") {
			t.Errorf("Markdown in a cell: %q", o.(*widget.Label).Text)
		}
	}
	if min := top.MinSize(); min.Width > 640 || min.Height > 480 {
		t.Errorf("the report dialog needs %v, more than 640×480", min)
	}
	// What the agent pasted stays through a language switch.
	pressKey(w, fyne.KeyEscape)
	u.SetLang("it")
	if u.supportData.code != code {
		t.Error("the pasted code was lost on a language switch")
	}
	found := false
	visit(u.support.content, func(o fyne.CanvasObject) {
		if e, ok := o.(*entry); ok && e.MultiLine && e.Text == code {
			found = true
		}
	})
	if !found {
		t.Error("the code field is empty after a language switch")
	}
}

// Typing into the support-code field after a long code must not hold the
// window: a 3,200-character code re-wrapped on every key took seconds
// per key (the window froze for about 90 s). Measured here: typing 40
// keys after pasting a real code.
func TestTypingIntoCodeFieldStaysFast(t *testing.T) {
	fc := &fakeCheck{report: failingReport()}
	u, w := newTestUI(t, fc, "en")
	w.Resize(fyne.NewSize(640, 480))
	code, field := checkedCodeField(t, u)
	// A real customer's code with the computer and every endpoint is
	// about 3,200 characters; three of this test's make as many.
	code = strings.Repeat(code, 3)
	field.SetText(code)
	w.Canvas().Focus(field)
	start := time.Now()
	test.Type(field, strings.Repeat("x", 40))
	took := time.Since(start)
	t.Logf("%d-character code, 40 keys typed in %v", len(code), took)
	if took > 2*time.Second {
		t.Errorf("40 keys took %v: the field re-lays out the whole code on every key", took)
	}
}

// Every screen has one scroll area: a scroll inside a scroll traps the
// mouse wheel. (A text field's own scrolling is part of the field.)
func TestOneScrollAreaPerScreen(t *testing.T) {
	fc := &fakeCheck{report: wrongPasswordReport()}
	u, _ := newTestUI(t, fc, "it")
	u.Select(TabAccount)
	test.Tap(u.account.start)
	settle(u)
	test.Tap(findButton(u.support.body, "Copia il codice per l'assistenza"))
	for _, tab := range []int{TabComputer, TabAccount, TabFix, TabSupport} {
		u.Select(tab)
		settle(u)
		n := 0
		var walk func(o fyne.CanvasObject)
		walk = func(o fyne.CanvasObject) {
			switch w := o.(type) {
			case *container.Scroll:
				n++
				walk(w.Content)
			case *entry, *widget.Entry:
			case *fyne.Container:
				for _, c := range w.Objects {
					walk(c)
				}
			case fyne.Widget:
				for _, c := range test.WidgetRenderer(w).Objects() {
					walk(c)
				}
			}
		}
		walk(u.tabs.Selected().Content)
		if n != 1 {
			t.Errorf("tab %d has %d scroll areas, want 1", tab, n)
		}
	}
}

// Leaving "Test my account" takes the focus from its field: hidden, it
// would take the keys typed on the next screen and keep its cursor
// blinking (idle CPU on every other screen: fix 24, support 53 ticks in
// 5 s against 10 for a minimal app, before this).
func TestSwitchingTabUnfocusesHiddenField(t *testing.T) {
	fc := &fakeCheck{report: failingReport()}
	u, w := newTestUI(t, fc, "en")
	for _, tab := range []int{TabFix, TabSupport, TabComputer} {
		u.Select(TabAccount)
		w.Canvas().Focus(u.account.email)
		u.Select(tab)
		if f := w.Canvas().Focused(); f != nil {
			t.Errorf("tab %d: %T still focused on the hidden tab", tab, f)
		}
	}
}
