package gui

import (
	"errors"
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/detect/trust"
	"maildoctor.app/maildoctor/fix/link"
)

// ProfileLoader fetches a provider profile a support link names
// (discover.LoadProfile in the app: https only, public hosts only, size-
// and time-limited).
type ProfileLoader func(url string) (*discover.Profile, error)

// linkFill is what the last support link put into "Test my account". It
// is remembered so that a server the link filled in is not taken for one
// the user typed (the password goes to typed servers without asking), and
// so that the link's profile can be offered when the user presses Test.
type linkFill struct {
	email string
	// hosts are the servers as the link gave them, per protocol.
	hosts map[server.Protocol]string
	// profile is the https:// address of the link's provider settings:
	// fetched only after the user presses Test and agrees.
	profile string
}

// fromLink reports whether a server field still holds what the link put
// there. A field the user changed is the user's; one changed back to the
// link's very value is still the link's (asking once more is the safe
// side of the doubt).
func (f *linkFill) fromLink(p server.Protocol, value string) bool {
	if f == nil {
		return false
	}
	h := f.hosts[p]
	return h != "" && strings.EqualFold(strings.TrimSpace(value), h)
}

// OpenLink fills "Test my account" from a support link. A link only
// pre-fills: nothing is contacted when it opens. A link that brings a
// server outside the address's domain and the provider's, or a name with
// letters from other alphabets, stops here with Continue / Cancel (Cancel
// puts back what the form held before). Its profile is fetched only when
// the user presses Test and agrees to a dialog naming its address.
func (u *UI) OpenLink(raw string) {
	l, err := link.Parse(raw)
	if err != nil {
		msg := err.Error()
		var le *link.Error
		if errors.As(err, &le) {
			msg = le.Text(u.tr)
		}
		u.inform(u.T("gui.link.title"), msg)
		return
	}
	if l.Lang != "" {
		u.SetLang(l.Lang)
	}
	before := u.state
	u.Prefill(l.Email, l.Servers)
	fill := &linkFill{email: l.Email, hosts: map[server.Protocol]string{}, profile: l.Profile}
	for p, h := range l.Servers {
		fill.hosts[p] = h
	}
	if u.deps.LoadProfile == nil {
		fill.profile = ""
	}
	u.state.link = fill
	u.warnLink(l.Warnings(u.builtIn(), nil), func() { u.undoLink(before) })
}

// builtIn is the profile built into the program, the only one that
// vouches for a host (none in tests that give no profiles).
func (u *UI) builtIn() []*discover.Profile {
	if len(u.deps.Profiles) == 0 {
		return nil
	}
	return u.deps.Profiles[:1]
}

// warnLink shows a link's warnings before anything is sent anywhere, and
// waits for Continue or Cancel; cancel runs on Cancel.
func (u *UI) warnLink(ws []finding.Finding, cancel func()) {
	if len(ws) == 0 {
		return
	}
	var cards []fyne.CanvasObject
	var titles []string
	for _, f := range u.localize(ws) {
		cards = append(cards, u.findingCard(f, nil))
		titles = append(titles, f.Title)
	}
	u.account.setStatus(strings.Join(titles, "\n"))
	cards = append(cards, bold(u.T("gui.link.question")))
	u.ask(u.T("gui.link.title"), cards, func(ok bool) {
		if !ok {
			cancel()
		}
	})
}

// undoLink puts the form back as it was before the link filled it in.
func (u *UI) undoLink(before accountState) {
	u.state.link = before.link
	values := map[server.Protocol]string{server.IMAP: before.imap, server.POP3: before.pop3, server.SMTP: before.smtp}
	u.account.email.SetText(before.email)
	for p, e := range u.account.hosts {
		e.SetText(values[p])
	}
	u.state.email, u.state.imap, u.state.pop3, u.state.smtp = before.email, before.imap, before.pop3, before.smtp
	u.account.setStatus(u.T("gui.link.not_used"))
}

// ask shows a question with Continue and Cancel (Escape and closing the
// dialog are Cancel). Its content scrolls inside a fixed width, so long
// texts wrap instead of making a narrow, endless dialog.
func (u *UI) ask(title string, content []fyne.CanvasObject, answer func(bool)) {
	body := container.NewVScroll(container.NewVBox(content...))
	body.SetMinSize(fyne.NewSize(560, 300))
	d := dialog.NewCustomConfirm(title, u.T("gui.link.continue"), u.T("gui.link.cancel"), body, answer, u.win)
	u.showConfirm(d)
}

// tell shows a message, and details in small print if any, with Close;
// then runs next.
func (u *UI) tell(title, text, details string, next func()) {
	objs := []fyne.CanvasObject{wrapped(text)}
	if details != "" {
		d := wrapped(details)
		d.TextStyle = fyne.TextStyle{Monospace: true}
		objs = append(objs, widget.NewAccordion(widget.NewAccordionItem(u.T("gui.finding.details"), d)))
	}
	body := container.NewVScroll(container.NewVBox(objs...))
	body.SetMinSize(fyne.NewSize(520, 140))
	d := dialog.NewCustom(title, u.T("gui.close"), body, u.win)
	d.SetOnClosed(next)
	u.showDialog(d, nil)
}

// linkedProfileFor returns the address of the link's provider settings
// when they are about this address: a link's profile is for the address
// the link filled in, and not for one the user typed instead.
func (u *UI) linkedProfileFor(email string) string {
	f := u.state.link
	if f == nil || f.profile == "" || u.deps.LoadProfile == nil {
		return ""
	}
	if f.email != "" {
		_, want, err1 := discover.SplitAddress(f.email)
		_, got, err2 := discover.SplitAddress(email)
		if err1 != nil || err2 != nil || want != got {
			return ""
		}
	}
	return f.profile
}

// askLinkedProfile offers the link's provider settings for this check:
// a dialog names their address; only after Continue are they fetched,
// checked with link.UseProfile, and handed to next for this one check.
// Cancel, a failed fetch or refused settings hand nil: the check then
// finds the servers the usual way (a message says why first).
func (u *UI) askLinkedProfile(email string, next func(*discover.Profile)) {
	src := u.linkedProfileFor(email)
	if src == "" {
		next(nil)
		return
	}
	host := src
	if pu, err := url.Parse(src); err == nil {
		host = pu.Hostname()
	}
	ascii, uni := link.HostForms(host)
	where := wrapped(src)
	where.TextStyle = fyne.TextStyle{Monospace: true}
	var builtIn *discover.Profile
	if b := u.builtIn(); len(b) > 0 {
		builtIn = b[0]
	}
	pol := trust.Policy{Provider: builtIn}
	if _, d, err := discover.SplitAddress(email); err == nil {
		pol.Domain = d
	}
	content := []fyne.CanvasObject{
		wrapped(u.T("gui.profile.intro")),
		where,
		wrapped(u.Tf("gui.profile.host", "host", ascii, "host_unicode", uni)),
		wrapped(u.owner(pol, ascii)),
		wrapped(u.T("gui.profile.use")),
		bold(u.T("gui.profile.question")),
	}
	u.ask(u.T("gui.profile.title"), content, func(ok bool) {
		if !ok {
			next(nil)
			return
		}
		u.account.setStatus(u.T("gui.profile.loading"))
		load := u.deps.LoadProfile
		u.background(func() {
			p, err := load(src)
			u.do(func() {
				u.account.setStatus("")
				if err != nil {
					// A network or server error: said plainly, with the
					// technical reason under it for support.
					u.tell(u.T("gui.profile.title"), u.Tf("gui.profile.not_used", "reason", u.T("gui.profile.failed")), err.Error(),
						func() { next(nil) })
					return
				}
				if p, err = link.UseProfile(p, email, builtIn); err != nil {
					reason := err.Error()
					var le *link.Error
					if errors.As(err, &le) {
						reason = le.Text(u.tr)
					}
					u.tell(u.T("gui.profile.title"), u.Tf("gui.profile.not_used", "reason", reason), "", func() { next(nil) })
					return
				}
				next(p)
			})
		})
	})
}

// untrustedHost is a server that would be given the password only if the
// user confirms it.
type untrustedHost struct {
	protocol string
	host     string
}

// confirmHosts asks whether the password may go to hosts the trust rule
// does not cover, naming each in both its forms and saying who runs it
// as far as Mail Doctor knows. It hands next the hosts confirmed: all of
// them after Continue, none after Cancel. oneShot is the wording for
// "trust this server and test" (Cancel then runs nothing).
func (u *UI) confirmHosts(pol trust.Policy, hosts []untrustedHost, oneShot bool, next func(confirmed []string)) {
	if len(hosts) == 0 {
		next(nil)
		return
	}
	intro, question := "gui.trust.intro", "gui.trust.question"
	if oneShot {
		intro, question = "gui.trust.intro_one", "gui.trust.question_one"
	}
	content := []fyne.CanvasObject{wrapped(u.T(intro))}
	var list []string
	for _, h := range hosts {
		ascii, uni := link.HostForms(h.host)
		list = append(list, h.host)
		content = append(content, bold(u.Tf("gui.trust.host", "protocol", h.protocol, "host_unicode", uni)))
		if ascii != uni {
			// A look-alike shows only in the xn-- form.
			content = append(content, wrapped(u.Tf("gui.trust.ascii", "host", ascii)))
		}
		content = append(content, wrapped(u.owner(pol, ascii)))
	}
	content = append(content, bold(u.T(question)))
	u.ask(u.T("gui.trust.title"), content, func(ok bool) {
		if ok {
			next(list)
			return
		}
		next(nil)
	})
}

// owner says who runs a host, as far as the trust rule knows.
func (u *UI) owner(pol trust.Policy, host string) string {
	provider := u.T("gui.trust.your_provider")
	if pol.Provider != nil {
		provider = pol.Provider.Name()
	}
	switch pol.Decide(host) {
	case trust.Provider:
		return u.Tf("gui.trust.owner_provider", "provider", provider)
	case trust.Domain:
		return u.Tf("gui.trust.owner_domain", "domain", discover.UnicodeHost(pol.Domain))
	}
	return u.Tf("gui.trust.owner_unknown", "provider", provider, "domain", discover.UnicodeHost(pol.Domain))
}

// hostAction is the result card's "trust this server and test" for a
// server the check did not give the password to.
func (u *UI) hostAction(f finding.Finding) fyne.CanvasObject {
	host := f.Args["host"]
	last := u.state.last
	if host == "" || last == nil || u.report == nil || !strings.EqualFold(last.Email, u.report.Email) {
		return nil
	}
	return container.NewHBox(widget.NewButton(u.T("gui.account.trust_host"), func() {
		if u.account.cancel != nil {
			return
		}
		if u.account.password.Text == "" {
			u.account.setStatus(u.T("gui.account.password_first"))
			return
		}
		// The re-run is the same check again — same address, servers and
		// (if the customer agreed to them) the link's provider settings —
		// with this one server confirmed.
		opt := *u.state.last
		u.confirmHosts(opt.Trust, []untrustedHost{{protocol: f.Args["protocol"], host: host}}, true, func(confirmed []string) {
			if len(confirmed) == 0 {
				return
			}
			opt.Trust.Confirmed = append(append([]string(nil), opt.Trust.Confirmed...), confirmed...)
			u.account.launch(opt)
		})
	}))
}
