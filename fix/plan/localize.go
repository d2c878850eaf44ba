package plan

import (
	"unicode"
	"unicode/utf8"

	"maildoctor.app/maildoctor/detect/finding"
)

// Localize fills in the program's name, the section titles and every
// step's text. Every title and step may name the program as {{.client}}
// and the address as {{.email}}.
func Localize(p *Plan, tr finding.Translator) {
	p.ClientName = tr.T(p.Card.NameKey(), nil)
	common := map[string]string{"client": p.ClientName, "email": p.Email}
	for i := range p.Sections {
		sec := &p.Sections[i]
		sec.Title = capitalize(tr.T("fix.section."+sec.ID, common))
		for j := range sec.Steps {
			st := &sec.Steps[j]
			args := map[string]string{"client": p.ClientName, "email": p.Email}
			for k, v := range st.Args {
				args[k] = v
			}
			st.Text = capitalize(tr.T(st.Key, args))
		}
	}
}

// Keys lists every translation key a plan can use, so tests can prove
// that each exists in every language.
func Keys() []string {
	keys := []string{
		"fix.ok", "fix.automatic",
		"fix.unsupported.client", "fix.unsupported.system", "fix.unsupported.compat",
		"fix.unsupported.way_out_client", "fix.unsupported.way_out_system",
		"fix.before.password", "fix.before.duplicates", "fix.before.sent",
		"fix.hostname.rename", "fix.hostname.provider",
		"fix.password.failed", "fix.password.spaces",
		"fix.sent.no_folder",
		"fix.duplicates.spot", "fix.duplicates.no_uidl",
		"fix.system.tls12", "fix.system.update", "fix.system.reg",
		"fix.network.blocked", "fix.network.antivirus", "fix.network.clock",
		"fix.webmail.open", "fix.webmail.unknown",
	}
	for _, id := range []string{SecUnsupported, SecOK, SecBefore, SecHostname, SecChange, SecPassword,
		SecSent, SecDuplicates, SecSystem, SecNetwork, SecWebmail} {
		keys = append(keys, "fix.section."+id)
	}
	for c := range cards {
		keys = append(keys, c.NameKey())
	}
	for _, c := range StepCards {
		for _, part := range ClientParts {
			keys = append(keys, "fix.client."+string(c)+"."+part)
		}
	}
	return keys
}

// ClientParts are the step texts every card in StepCards has.
var ClientParts = []string{"open", "incoming", "outgoing", "smtp_auth", "save", "password", "sent"}

// capitalize starts a text with a capital letter: a step may begin with
// the program's name, which reads "the new Outlook" or "il tuo programma
// di posta" inside a sentence.
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || unicode.IsUpper(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
