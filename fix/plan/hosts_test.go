package plan

import (
	"bytes"
	"strings"
	"testing"

	"maildoctor.app/maildoctor/assets"
	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/server"
)

// One server name per account protocol: the steps, the values to copy
// (Settings, which the card and the exports are made from), and what the
// automatic change is allowed to keep all say the same.
func TestHostDecision(t *testing.T) {
	mail := func(p server.Protocol, port int, sec server.Security) *server.Endpoint {
		return ep(p, "mail.maildoctor.example", port, sec)
	}
	old := func(p server.Protocol, port int, sec server.Security) *server.Endpoint {
		return ep(p, "mail.oldprovider.example", port, sec)
	}
	mismatch := []finding.Finding{finding.New(finding.CertHostnameMismatch, finding.Fail, "imap.maildoctor.example:993",
		"host", "imap.maildoctor.example", "suggested", "mail.hosting.maildoctor.example")}
	cases := []struct {
		name       string
		acc        *testAccount
		findings   []finding.Finding
		imap, smtp string
		step       string // a hostname step's key, or ""
		automatic  bool
		status     Status
	}{
		{"the customer's own name for the provider's server stays",
			account("thunderbird", "128.3.1", mail(server.IMAP, 143, server.StartTLS), mail(server.SMTP, 587, server.StartTLS)), nil,
			"mail.maildoctor.example", "mail.maildoctor.example", "", true, StatusChange},
		{"right ports on the customer's name: nothing to do",
			account("thunderbird", "128.3.1", mail(server.IMAP, 993, server.TLS), mail(server.SMTP, 465, server.TLS)), nil,
			"mail.maildoctor.example", "mail.maildoctor.example", "", false, StatusOK},
		{"a name the provider does not answer for becomes the provider's, by hand in Thunderbird",
			account("thunderbird", "128.3.1", old(server.IMAP, 993, server.TLS), mail(server.SMTP, 465, server.TLS)), nil,
			"imap.maildoctor.example", "mail.maildoctor.example", "fix.hostname.provider", false, StatusChange},
		{"Outlook's automatic change sets the name too",
			account("outlook", "14.0.7268.5000", old(server.IMAP, 143, server.StartTLS), old(server.SMTP, 587, server.StartTLS)), nil,
			"imap.maildoctor.example", "smtp.maildoctor.example", "fix.hostname.provider", true, StatusChange},
		{"a name the certificate does not cover is renamed, with the reason",
			account("thunderbird", "128.3.1", imapTLS, smtpTLS), mismatch,
			"mail.hosting.maildoctor.example", "smtp.maildoctor.example", "fix.hostname.rename", false, StatusChange},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := Build(input(c.acc, Input{Servers: servers(t), Findings: c.findings}))
			if err != nil {
				t.Fatal(err)
			}
			Localize(p, catalog(t).For("en"))
			if p.Incoming.Host != c.imap || p.Outgoing.Host != c.smtp {
				t.Errorf("plan servers %s / %s, want %s / %s", p.Incoming.Host, p.Outgoing.Host, c.imap, c.smtp)
			}
			if p.Settings.IMAP != p.Incoming && *p.Settings.IMAP != *p.Incoming || p.Settings.SMTP.Host != c.smtp {
				t.Errorf("values to copy %v / %v differ from the plan's %v / %v", p.Settings.IMAP, p.Settings.SMTP, p.Incoming, p.Outgoing)
			}
			if p.Automatic != c.automatic || p.Status != c.status {
				t.Errorf("automatic %v status %s, want %v %s", p.Automatic, p.Status, c.automatic, c.status)
			}
			var keys, texts []string
			for _, s := range p.Sections {
				for _, st := range s.Steps {
					keys, texts = append(keys, st.Key), append(texts, st.Text)
				}
			}
			all := strings.Join(texts, "\n")
			if c.step != "" && !strings.Contains(strings.Join(keys, " "), c.step) {
				t.Errorf("no %s step:\n%s", c.step, all)
			}
			if c.step == "" && strings.Contains(strings.Join(keys, " "), "fix.hostname.") {
				t.Errorf("a hostname step where the name stays:\n%s", all)
			}
			if p.Status == StatusChange && !strings.Contains(all, c.imap) {
				t.Errorf("the steps do not name %s:\n%s", c.imap, all)
			}
			for _, other := range []string{"imap.maildoctor.example", "mail.maildoctor.example"} {
				if other != c.imap && other != c.smtp && strings.Contains(all, "Server Name: "+other) {
					t.Errorf("a step sets %s:\n%s", other, all)
				}
			}
		})
	}
}

// The built-in profile given in Input is the one the decision trusts (a
// plan does not parse its own copy when the caller has it).
func TestHostDecisionUsesInputBuiltin(t *testing.T) {
	const other = "imap.other-provider.example"
	prof, err := discover.ParseProfile(bytes.ReplaceAll(assets.DefaultProfile, []byte("imap.maildoctor.example"), []byte(other)))
	if err != nil {
		t.Fatal(err)
	}
	acc := account("thunderbird", "128.3.1", ep(server.IMAP, other, 143, server.StartTLS), smtpStartTLS)
	for _, c := range []struct {
		builtin *discover.Profile
		want    string
	}{{prof, other}, {nil, "imap.maildoctor.example"}} {
		p, err := Build(input(acc, Input{Servers: servers(t), Builtin: c.builtin}))
		if err != nil {
			t.Fatal(err)
		}
		if p.Incoming.Host != c.want {
			t.Errorf("builtin given %v: IMAP host %s, want %s", c.builtin != nil, p.Incoming.Host, c.want)
		}
	}
}
