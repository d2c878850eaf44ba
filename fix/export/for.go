package export

import (
	"fmt"

	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/fix/plan"
)

// File is one export as the app saves it and the command line writes it.
type File struct {
	Data []byte
	// Name is the file name to offer when saving ("config-v1.1.xml").
	Name string
	// NoteKey is the translation key of what to know about the file (how
	// to install it), or "" when it needs none.
	NoteKey string
}

// Kinds are the exports For makes, in the order they are offered.
var Kinds = []string{plan.ExportAutoconfig, plan.ExportMobileconfig, plan.ExportReg, plan.ExportCard}

// For makes the export kind (plan.ExportAutoconfig, …) of p's settings,
// with tr for the settings card: one place for the app and the command
// line, so both give the same file. The registry file needs no plan (p
// may be nil); the Apple profile sets up the incoming protocol the plan
// chose (IMAP unless the account uses POP3).
func For(kind string, p *plan.Plan, tr finding.Translator) (File, error) {
	if kind == plan.ExportReg {
		return File{Data: Reg(), Name: "maildoctor-tls12.reg", NoteKey: "fix.export.reg_note"}, nil
	}
	if p == nil {
		return File{}, fmt.Errorf("export %s: no plan", kind)
	}
	switch kind {
	case plan.ExportAutoconfig:
		data, err := Autoconfig(p.Settings)
		return File{Data: data, Name: "config-v1.1.xml", NoteKey: "fix.export.autoconfig_note"}, err
	case plan.ExportMobileconfig:
		data, err := Mobileconfig(p.Settings, MobileconfigOptions{Incoming: incoming(p)})
		return File{Data: data, Name: "mail.mobileconfig", NoteKey: "fix.export.mobileconfig_note"}, err
	case plan.ExportCard:
		return File{Data: []byte(Card(p.Settings, tr)), Name: "mail-settings.txt"}, nil
	}
	return File{}, fmt.Errorf("unknown export %q (one of %v)", kind, Kinds)
}

// incoming is the protocol the plan's steps set up, else whichever of
// IMAP and POP3 the settings have.
func incoming(p *plan.Plan) server.Protocol {
	if p.Incoming != nil && p.Incoming.Protocol != server.SMTP {
		return p.Incoming.Protocol
	}
	if p.Settings.IMAP == nil && p.Settings.POP3 != nil {
		return server.POP3
	}
	return server.IMAP
}
