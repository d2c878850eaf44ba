package export

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/fix/plan"
)

// Card writes the settings as a plain-text card the customer can print or
// keep: one block per server with its four values, then the password note
// and webmail. It is short lines of plain text, so the app can also draw
// it as an image.
func Card(s plan.Settings, tr finding.Translator) string {
	labels := []string{tr.T("fix.card.server", nil), tr.T("fix.card.port", nil),
		tr.T("fix.card.security", nil), tr.T("fix.card.user", nil), tr.T("fix.card.auth", nil)}
	width := 0
	for _, l := range labels {
		if n := utf8.RuneCountInString(l); n > width {
			width = n
		}
	}
	row := func(b *strings.Builder, label, value string) {
		b.WriteString("  " + label + ":" + strings.Repeat(" ", width-utf8.RuneCountInString(label)+1) + value + "\n")
	}
	var b strings.Builder
	b.WriteString(tr.T("fix.card.title", map[string]string{"email": s.Email}) + "\n")
	for _, p := range server.Protocols {
		ep := s.For(p)
		if ep == nil {
			continue
		}
		b.WriteString("\n" + tr.T("fix.card."+string(p), nil) + "\n")
		row(&b, labels[0], ep.Host)
		row(&b, labels[1], strconv.Itoa(ep.Port))
		row(&b, labels[2], tr.T("security."+string(ep.Security), nil))
		row(&b, labels[3], s.Username)
		if p == server.SMTP {
			row(&b, labels[4], tr.T("fix.card.auth_value", nil))
		}
	}
	b.WriteString("\n")
	if s.IMAP != nil && s.POP3 != nil {
		b.WriteString(tr.T("fix.card.choose", nil) + "\n")
	}
	b.WriteString(tr.T("fix.card.password", nil) + "\n")
	if s.Webmail != "" {
		b.WriteString(tr.T("fix.card.webmail", nil) + ": " + s.Webmail + "\n")
	}
	return b.String()
}
