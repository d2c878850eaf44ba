package export

import (
	"bytes"
	"strings"
	"testing"

	"maildoctor.app/maildoctor/assets"
	"maildoctor.app/maildoctor/fix/plan"
	"maildoctor.app/maildoctor/i18n"
)

// For is the one dispatch of the app and the command line: each kind
// gives the file its own function makes, with a name and a note that
// exist in both languages.
func TestFor(t *testing.T) {
	cat, err := i18n.Load(assets.Translations, "translation")
	if err != nil {
		t.Fatal(err)
	}
	tr := cat.For("it")
	s := settings(t)
	p := &plan.Plan{Email: email, Settings: s, Incoming: s.IMAP, Outgoing: s.SMTP}
	ac, _ := Autoconfig(s)
	for _, c := range []struct {
		kind, name, note string
		want             []byte
	}{
		{plan.ExportAutoconfig, "config-v1.1.xml", "fix.export.autoconfig_note", ac},
		{plan.ExportReg, "maildoctor-tls12.reg", "fix.export.reg_note", Reg()},
		{plan.ExportCard, "mail-settings.txt", "", []byte(Card(s, tr))},
		{plan.ExportMobileconfig, "mail.mobileconfig", "fix.export.mobileconfig_note", nil},
	} {
		f, err := For(c.kind, p, tr)
		if err != nil {
			t.Fatalf("%s: %v", c.kind, err)
		}
		if f.Name != c.name || f.NoteKey != c.note || len(f.Data) == 0 || c.want != nil && !bytes.Equal(f.Data, c.want) {
			t.Errorf("%s: name %q note %q, %d bytes; want %q %q", c.kind, f.Name, f.NoteKey, len(f.Data), c.name, c.note)
		}
		for _, lang := range cat.Languages() {
			if c.note != "" && !cat.Has(lang, c.note) {
				t.Errorf("%s: no %s text for %s", c.kind, lang, c.note)
			}
		}
	}
	if f, err := For(plan.ExportReg, nil, tr); err != nil || !bytes.Equal(f.Data, Reg()) {
		t.Errorf("the registry file needs no plan: %v", err)
	}
	if _, err := For("vcard", p, tr); err == nil || !strings.Contains(err.Error(), "vcard") {
		t.Errorf("unknown kind: %v", err)
	}
	if _, err := For(plan.ExportCard, nil, tr); err == nil {
		t.Error("a card without a plan")
	}
}

// The Apple profile sets up the incoming protocol of the plan: a POP3
// account gets a POP3 profile, and settings with only POP3 still get one
// (the app's own dispatch asked for IMAP and failed there).
func TestForMobileconfigFollowsThePlan(t *testing.T) {
	s := settings(t)
	popOnly := s
	popOnly.IMAP = nil
	for _, c := range []struct {
		name string
		p    *plan.Plan
		want string
	}{
		{"IMAP plan", &plan.Plan{Email: email, Settings: s, Incoming: s.IMAP}, "EmailTypeIMAP"},
		{"POP3 account", &plan.Plan{Email: email, Settings: s, Incoming: s.POP3}, "EmailTypePOP"},
		{"POP3 only", &plan.Plan{Email: email, Settings: popOnly}, "EmailTypePOP"},
	} {
		f, err := For(plan.ExportMobileconfig, c.p, nil)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !bytes.Contains(f.Data, []byte("<string>"+c.want+"</string>")) {
			t.Errorf("%s: the profile is not %s:\n%s", c.name, c.want, f.Data)
		}
	}
	none := s
	none.IMAP, none.POP3 = nil, nil
	if _, err := For(plan.ExportMobileconfig, &plan.Plan{Email: email, Settings: none}, nil); err == nil {
		t.Error("a profile without incoming servers")
	}
}
