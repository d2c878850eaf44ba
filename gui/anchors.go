package gui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/fix/plan"
)

// sectionAnchors sends each finding's "How to fix it" to the part of the
// plan about it: a refused password to the password help, not to the top
// of a page about TLS the customer would read first and wrongly act on.
var sectionAnchors = []struct{ prefix, section string }{
	{finding.AuthFailed, plan.SecPassword},
	{finding.IMAPNoSentFolder, plan.SecSent},
	{finding.POP3NoUIDL, plan.SecDuplicates},
	{finding.CertHostnameMismatch, plan.SecHostname},
	{finding.ImplicitUnavailable, plan.SecNetwork},
	{finding.CertIntercepted, plan.SecNetwork},
	{finding.ClockSkew, plan.SecNetwork},
	{"tcp.", plan.SecNetwork},
	{"tls.", plan.SecSystem},
}

// sectionFor is the plan section that answers a finding; the change of
// settings when nothing more specific does.
func sectionFor(id string) string {
	for _, a := range sectionAnchors {
		if strings.HasPrefix(id, a.prefix) {
			return a.section
		}
	}
	return plan.SecChange
}

// fixFinding opens the Fix screen at the section about the finding.
func (u *UI) fixFinding(id string) {
	u.fix.want = sectionFor(id)
	u.fix.anchors = nil
	u.Select(TabFix)
}

// scrollToWanted brings the section a "How to fix it" asked for to the top
// of the Fix screen, once the plan holding it is shown. A plan without
// that section opens at its top.
func (s *fixScreen) scrollToWanted() {
	if s.want == "" || s.scroll == nil {
		return
	}
	target, ok := s.anchors[s.want]
	s.want = ""
	y := float32(0)
	if ok {
		y = s.body.Position().Y + target.Position().Y
	}
	s.scroll.Refresh()
	// ScrollToOffset does not clamp: past the end the content would
	// slide off the screen.
	if max := s.scroll.Content.MinSize().Height - s.scroll.Size().Height; y > max {
		y = max
	}
	if y < 0 {
		y = 0
	}
	s.scroll.ScrollToOffset(fyne.NewPos(0, y))
}

// newFixScroll is the Fix screen's one scroll area.
func (s *fixScreen) newFixScroll() fyne.CanvasObject {
	s.scroll = container.NewVScroll(container.NewPadded(s.body))
	return s.scroll
}
