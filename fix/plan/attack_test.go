package plan

import (
	"encoding/json"
	"strings"
	"testing"

	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/server"
)

// A report or support code is data from outside: a forged one (or a check
// of a server with an attacker's certificate) may carry a
// cert.hostname_mismatch whose "suggested" host is the attacker's. The
// plan renames a server only to a host the built-in provider profile or
// the address's own domain owns, so its steps, the values to copy and the
// exports keep the provider's host.
func TestForgedCertificateSuggestionDoesNotMoveThePlan(t *testing.T) {
	cases := []struct{ name, email, suggested string }{
		{"attacker's host", email, "imap.attacker.example"},
		{"look-alike under the attacker's domain", email, "imap.maildoctor.example.attacker.example"},
		{"homograph of the provider's host", email, "imap.maildосtor.example"}, // Cyrillic о and с
		{"provider's host as a suffix of the label", email, "evilmaildoctor.example"},
		{"IP literal", email, "203.0.113.7"},
		{"not a host name", email, "imap.maildoctor.example/../evil"},
		{"another customer's domain", "mario@cliente.test", "mail.other-customer.test"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs := []finding.Finding{
				finding.New("cert.hostname_mismatch", finding.Fail, "imap.maildoctor.example:993",
					"host", "imap.maildoctor.example", "names", c.suggested, "suggested", c.suggested),
				finding.New("cert.hostname_mismatch", finding.Fail, "smtp.maildoctor.example:465",
					"host", "smtp.maildoctor.example", "names", c.suggested, "suggested", c.suggested),
			}
			in := input(account("thunderbird", "128", imapStartTLS, smtpStartTLS), Input{Servers: servers(t), Findings: fs})
			in.Email = c.email
			in.Account.Email = c.email
			p, err := Build(in)
			if err != nil {
				t.Fatal(err)
			}
			if p.Settings.IMAP == nil || p.Settings.IMAP.Host != "imap.maildoctor.example" ||
				p.Settings.SMTP == nil || p.Settings.SMTP.Host != "smtp.maildoctor.example" ||
				p.Incoming == nil || p.Incoming.Host != "imap.maildoctor.example" ||
				p.Outgoing == nil || p.Outgoing.Host != "smtp.maildoctor.example" {
				t.Errorf("servers moved: settings %+v, incoming %v, outgoing %v", p.Settings, p.Incoming, p.Outgoing)
			}
			if len(p.Settings.Renamed) != 0 {
				t.Errorf("Renamed = %v", p.Settings.Renamed)
			}
			Localize(p, catalog(t).For("en"))
			data, err := json.Marshal(p)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(data), c.suggested) {
				t.Errorf("the plan names %q:\n%s", c.suggested, data)
			}
			if got := SettingsFor(c.email, servers(t), fs); got.IMAP.Host != "imap.maildoctor.example" || len(got.Renamed) != 0 {
				t.Errorf("SettingsFor: IMAP %v, Renamed %v", got.IMAP, got.Renamed)
			}
		})
	}
}

// The renames a plan does make: to a server the provider profile names or
// that lies under its domain, or under the address's own domain; the host
// is written in its ASCII, lower-case form.
func TestCertificateSuggestionOwnedByProviderOrDomain(t *testing.T) {
	const customer = "mario@cliente.test"
	own := []discover.Server{
		{Endpoint: server.Endpoint{Protocol: server.IMAP, Host: "mail.cliente.test", Port: 993, Security: server.TLS}, Source: discover.SourceManual},
		{Endpoint: server.Endpoint{Protocol: server.SMTP, Host: "mail.cliente.test", Port: 465, Security: server.TLS}, Source: discover.SourceManual},
	}
	cases := []struct{ suggested, want string }{
		{"Server7.MailDoctor.Example", "server7.maildoctor.example"}, // under the provider's domain
		{"imap.maildoctor.example", "imap.maildoctor.example"},       // a host the profile names
		{"secure.cliente.test", "secure.cliente.test"},               // under the address's domain
	}
	for _, c := range cases {
		fs := []finding.Finding{finding.New("cert.hostname_mismatch", finding.Fail, "mail.cliente.test:993",
			"host", "mail.cliente.test", "suggested", c.suggested)}
		p, err := Build(Input{Email: customer, Servers: own, Findings: fs})
		if err != nil {
			t.Fatal(err)
		}
		if p.Settings.IMAP.Host != c.want || p.Settings.Renamed["mail.cliente.test"] != c.want {
			t.Errorf("%s: IMAP %v, Renamed %v, want %s", c.suggested, p.Settings.IMAP, p.Settings.Renamed, c.want)
		}
		if p.Settings.SMTP.Host != "mail.cliente.test" {
			t.Errorf("%s: SMTP renamed too: %v", c.suggested, p.Settings.SMTP)
		}
	}
}

// A spoofed MX or SRV answer, an autoconfig file or a linked profile can
// name any host: the plan never tells the customer to type one that the
// built-in profile or the address's domain does not own, unless the user
// gave it.
func TestSpoofedDiscoveryDoesNotEnterThePlan(t *testing.T) {
	srv := func(p server.Protocol, host string, port int, src discover.Source) discover.Server {
		return discover.Server{Endpoint: server.Endpoint{Protocol: p, Host: host, Port: port, Security: server.TLS}, Source: src}
	}
	for _, src := range []discover.Source{discover.SourceMX, discover.SourceSRV, discover.SourceAutoconfig, discover.SourceProfile} {
		s := SettingsFor("mario@cliente.test", []discover.Server{
			srv(server.IMAP, "mx.attacker.example", 993, src),
			srv(server.SMTP, "mail.cliente.test", 465, src),
		}, nil)
		if s.IMAP != nil {
			t.Errorf("%s: the plan names %s", src, s.IMAP.Host)
		}
		if s.SMTP == nil || s.SMTP.Host != "mail.cliente.test" {
			t.Errorf("%s: the domain's own host is dropped: %+v", src, s.SMTP)
		}
	}
	s := SettingsFor("mario@cliente.test", []discover.Server{srv(server.IMAP, "imap.typed.example", 993, discover.SourceManual)}, nil)
	if s.IMAP == nil || s.IMAP.Host != "imap.typed.example" {
		t.Errorf("a host the user gave is dropped: %+v", s.IMAP)
	}
}
