package export

import (
	"context"
	"strings"
	"testing"

	"maildoctor.app/maildoctor/assets"
	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/fix/plan"
	"maildoctor.app/maildoctor/i18n"
)

// Every export is made from a plan, and a plan's hosts come only from the
// provider profile, the address's domain or the user: a forged report
// (or a server showing an attacker's certificate) whose
// cert.hostname_mismatch suggests the attacker's host changes no export.
func TestExportsIgnoreForgedCertificateSuggestion(t *testing.T) {
	const attacker = "imap.attacker.example"
	prof, err := discover.ParseProfile(assets.DefaultProfile)
	if err != nil {
		t.Fatal(err)
	}
	res, err := discover.Find(context.Background(), email, discover.Options{Profiles: []*discover.Profile{prof}})
	if err != nil {
		t.Fatal(err)
	}
	var fs []finding.Finding
	for _, s := range res.Servers {
		fs = append(fs, finding.New("cert.hostname_mismatch", finding.Fail, s.Addr(),
			"host", s.Host, "names", attacker, "suggested", attacker))
	}
	p, err := plan.Build(plan.Input{Email: email, Servers: res.Servers, Findings: fs, Webmail: prof.Webmail, Provider: prof.DisplayName})
	if err != nil {
		t.Fatal(err)
	}
	cat, err := i18n.Load(assets.Translations, "translation")
	if err != nil {
		t.Fatal(err)
	}
	ac, err := Autoconfig(p.Settings)
	if err != nil {
		t.Fatal(err)
	}
	mc, err := Mobileconfig(p.Settings, MobileconfigOptions{})
	if err != nil {
		t.Fatal(err)
	}
	pop, err := Mobileconfig(p.Settings, MobileconfigOptions{Incoming: "pop3"})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{
		"autoconfig":        string(ac),
		"mobileconfig":      string(mc),
		"mobileconfig pop3": string(pop),
		"card":              Card(p.Settings, cat.For("it")),
		"reg":               string(Reg()),
	}
	for what, text := range out {
		if strings.Contains(text, "attacker") {
			t.Errorf("the %s names the certificate's host:\n%s", what, text)
		}
	}
	for _, host := range []string{"imap.maildoctor.example", "smtp.maildoctor.example"} {
		for _, what := range []string{"autoconfig", "mobileconfig", "card"} {
			if !strings.Contains(out[what], host) {
				t.Errorf("the %s lacks the provider's %s:\n%s", what, host, out[what])
			}
		}
	}
}
