package gui

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"

	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/fix/link"
)

// ProfileLoader fetches a provider profile a support link names
// (discover.LoadProfile in the app: https only, size- and time-limited).
type ProfileLoader func(url string) (*discover.Profile, error)

// OpenLink fills "Test my account" from a support link. A link only
// pre-fills: nothing is contacted until the user presses Test, and servers
// outside the address's domain and the provider's are shown with a warning
// first. A linked profile is fetched (the only network use) and then also
// checked.
func (u *UI) OpenLink(raw string) {
	l, err := link.Parse(raw)
	if err != nil {
		msg := err.Error()
		var le *link.Error
		if errors.As(err, &le) {
			msg = le.Text(u.tr)
		}
		dialog.ShowInformation(u.T("gui.link.title"), msg, u.win)
		return
	}
	if l.Lang != "" {
		u.SetLang(l.Lang)
	}
	u.Prefill(l.Email, l.Servers)
	warnings := l.Warnings(u.deps.Profiles, nil)
	if l.Profile == "" || u.deps.LoadProfile == nil {
		u.warnLink(warnings)
		return
	}
	u.background(func() {
		p, err := u.deps.LoadProfile(l.Profile)
		u.do(func() {
			if err != nil {
				warnings = append(warnings, finding.New("link.profile_failed", finding.Warn, "", "url", l.Profile).WithEvidence(err.Error()))
			} else {
				warnings = l.Warnings(u.deps.Profiles, p)
				u.deps.Profiles = append(u.deps.Profiles, p)
			}
			u.warnLink(warnings)
		})
	})
}

// warnLink shows a link's warnings before anything is sent anywhere.
func (u *UI) warnLink(ws []finding.Finding) {
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
	dialog.ShowCustom(u.T("gui.link.title"), u.T("gui.close"), container.NewVBox(cards...), u.win)
}
