package check

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"maildoctor.app/maildoctor/assets"
	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/detect/trust"
	"maildoctor.app/maildoctor/fix/export"
	"maildoctor.app/maildoctor/fix/plan"
	"maildoctor.app/maildoctor/i18n"
	"maildoctor.app/maildoctor/internal/dovecottest"
	"maildoctor.app/maildoctor/internal/testpki"
)

// These tests are the certificate attacks of issue 11, each against a
// real Dovecot: a server's certificate must never be what tells the
// customer which host to type, and a certificate with thousands of names
// must not swell the report.

const (
	certProviderHost  = "imap.maildoctor.example" // a host the built-in profile names
	certAttackerHost  = "imap.attacker.example"
	certCustomerEmail = "mario.rossi@cliente.test"
)

func builtinProfile(t testing.TB) *discover.Profile {
	t.Helper()
	p, err := discover.BuiltinProfile()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// runAs checks email with every protocol on host (as a customer who typed
// it), trusting what the app trusts: the built-in profile.
func (s setup) runAs(t testing.TB, email, host string) *Report {
	t.Helper()
	rep, err := Run(context.Background(), Options{
		Email:   email,
		Manual:  map[server.Protocol]string{server.IMAP: host, server.POP3: host, server.SMTP: host},
		Resolve: map[string]string{host: s.srv.Addr},
		Trust:   trust.Policy{Provider: builtinProfile(t), Typed: []string{host}},
		Timeout: 5 * time.Second,
		Roots:   s.ca.Pool(),
	})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return rep
}

// suggestions lists every host the report tells the customer to use
// instead of the one they have.
func suggestions(rep *Report) []string {
	var out []string
	for _, r := range rep.Endpoints {
		if r.Cert != nil && r.Cert.Suggested != "" {
			out = append(out, r.Addr()+" cert: "+r.Cert.Suggested)
		}
		for _, f := range r.Findings {
			if s := f.Args["suggested"]; s != "" {
				out = append(out, r.Addr()+" "+f.ID+": "+s)
			}
		}
	}
	for _, f := range rep.Findings {
		if s := f.Args["suggested"]; s != "" {
			out = append(out, f.Endpoint+" "+f.ID+": "+s)
		}
	}
	return out
}

// planAndExports builds the customer's plan from the report, as the Fix
// screen does, with every export, and returns them as text.
func planAndExports(t *testing.T, rep *Report) (*plan.Plan, map[string]string) {
	t.Helper()
	p, err := plan.Build(plan.Input{Email: rep.Email, Servers: rep.Discovery.Servers, Findings: rep.Findings})
	if err != nil {
		t.Fatalf("plan: %v", err)
	}
	cat, err := i18n.Load(assets.Translations, "translation")
	if err != nil {
		t.Fatal(err)
	}
	tr := cat.For("en")
	plan.Localize(p, tr)
	steps, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	ac, err := export.Autoconfig(p.Settings)
	if err != nil {
		t.Fatalf("autoconfig: %v", err)
	}
	mc, err := export.Mobileconfig(p.Settings, export.MobileconfigOptions{})
	if err != nil {
		t.Fatalf("mobileconfig: %v", err)
	}
	return p, map[string]string{
		"plan":         string(steps),
		"autoconfig":   string(ac),
		"mobileconfig": string(mc),
		"card":         export.Card(p.Settings, tr),
	}
}

// A certificate that does not verify, or that verifies but names a host
// neither the provider nor the address's domain owns, is not advice: the
// report suggests nothing, and the plan and every export keep the
// provider's host.
func TestCertificateNamingAttackerHostIsNoAdvice(t *testing.T) {
	cases := []struct {
		name     string
		leaf     func(t testing.TB, ca *testpki.CA) testpki.Pair
		want     string // the finding that says why the certificate is no good
		verified bool
	}{
		{"self-signed", func(t testing.TB, _ *testpki.CA) testpki.Pair {
			return testpki.SelfSigned(t, testpki.LeafOptions{Names: []string{certAttackerHost}})
		}, "cert.self_signed", false},
		{"untrusted CA", func(t testing.TB, _ *testpki.CA) testpki.Pair {
			return testpki.NewCA(t, "Attacker Root").Leaf(t, testpki.LeafOptions{Names: []string{certAttackerHost, "*.attacker.example"}})
		}, "cert.untrusted", false},
		{"trusted CA, names outside the provider and the domain", func(t testing.TB, ca *testpki.CA) testpki.Pair {
			return ca.Leaf(t, testpki.LeafOptions{Names: []string{certAttackerHost, "*.attacker.example", "mail.cliente.test.attacker.example"}})
		}, "cert.hostname_mismatch", true},
	}
	for _, c := range cases {
		c := c
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := startDovecot(t, dovecottest.Config{Implicit: true, StartTLS: true}, c.leaf)
			rep := s.runAs(t, certCustomerEmail, certProviderHost)
			if !hasFinding(rep, c.want, finding.Fail) || !hasFinding(rep, "cert.hostname_mismatch", finding.Fail) {
				t.Fatalf("findings %v, want %s and cert.hostname_mismatch", findingIDs(rep.Findings), c.want)
			}
			if got := suggestions(rep); len(got) != 0 {
				t.Errorf("the report suggests hosts from the certificate: %v", got)
			}
			for _, f := range rep.Findings {
				if f.ID != "cert.hostname_mismatch" {
					continue
				}
				if got := f.Args["unverified"] != ""; got == c.verified {
					t.Errorf("%s: unverified = %q, want it set only for a certificate that does not verify", f.Endpoint, f.Args["unverified"])
				}
			}
			p, out := planAndExports(t, rep)
			for _, ep := range []*server.Endpoint{p.Settings.IMAP, p.Settings.POP3, p.Settings.SMTP, p.Incoming, p.Outgoing} {
				if ep == nil || ep.Host != certProviderHost {
					t.Errorf("plan server %v, want the provider's %s", ep, certProviderHost)
				}
			}
			if len(p.Settings.Renamed) != 0 {
				t.Errorf("plan renames %v", p.Settings.Renamed)
			}
			for what, text := range out {
				if strings.Contains(text, "attacker") {
					t.Errorf("the %s names the certificate's host:\n%s", what, text)
				}
			}
		})
	}
}

// The case the suggestion exists for (seed 001, shared hosting): the
// customer's own host is served with the provider's certificate, which
// verifies and names a server the built-in profile owns.
func TestCertificateNamingProviderServerIsAdvice(t *testing.T) {
	const own, shared = "mail.cliente.test", "server7.maildoctor.example"
	s := startDovecot(t, dovecottest.Config{Implicit: true, StartTLS: true}, func(t testing.TB, ca *testpki.CA) testpki.Pair {
		return ca.Leaf(t, testpki.LeafOptions{Names: []string{"www.hosting-shop.example", shared}})
	})
	rep := s.runAs(t, certCustomerEmail, own)
	for _, r := range rep.Endpoints {
		if r.Cert == nil || r.Cert.Suggested != shared {
			t.Errorf("%s: cert %+v, want %s suggested", r.Addr(), r.Cert, shared)
		}
	}
	p, out := planAndExports(t, rep)
	if p.Settings.IMAP == nil || p.Settings.IMAP.Host != shared || p.Settings.Renamed[own] != shared {
		t.Errorf("plan IMAP %v renamed %v, want %s", p.Settings.IMAP, p.Settings.Renamed, shared)
	}
	if !strings.Contains(out["autoconfig"], "<hostname>"+shared+"</hostname>") {
		t.Errorf("autoconfig does not use %s:\n%s", shared, out["autoconfig"])
	}
}

// A certificate with 10,000 names: the names kept, the finding, its
// evidence, the text a card shows and the whole JSON report stay small.
func TestTenThousandSANCertificateStaysBounded(t *testing.T) {
	const total = 10000
	names := make([]string, total)
	for i := range names {
		names[i] = fmt.Sprintf("n%05d.sans.example", i)
	}
	s := startDovecot(t, dovecottest.Config{Implicit: true}, func(t testing.TB, ca *testpki.CA) testpki.Pair {
		return ca.Leaf(t, testpki.LeafOptions{Names: names, CommonName: "sans.example"})
	})
	rep := s.run(t, nil, mailHost)
	cat, err := i18n.Load(assets.Translations, "translation")
	if err != nil {
		t.Fatal(err)
	}
	finding.Localize(rep.Findings, cat.For("en"))
	mismatch := 0
	for _, f := range rep.Findings {
		data, err := json.Marshal(f)
		if err != nil {
			t.Fatal(err)
		}
		if len(data) > 4096 {
			t.Errorf("%s@%s is %d bytes of JSON, want at most 4096", f.ID, f.Endpoint, len(data))
		}
		if len(f.Evidence) > 1024 {
			t.Errorf("%s@%s evidence is %d bytes, want at most 1024", f.ID, f.Endpoint, len(f.Evidence))
		}
		if n := len(f.Title) + len(f.Detail); n > 2048 {
			t.Errorf("%s@%s card text is %d bytes, want at most 2048", f.ID, f.Endpoint, n)
		}
		if f.ID == "cert.hostname_mismatch" {
			mismatch++
			if !strings.Contains(f.Detail, "more") {
				t.Errorf("the detail does not say that more names were left out: %s", f.Detail)
			}
		}
	}
	if mismatch == 0 {
		t.Fatalf("no cert.hostname_mismatch: %v", findingIDs(rep.Findings))
	}
	for _, r := range rep.Endpoints {
		if r.Cert == nil {
			continue
		}
		if len(r.Cert.Names) > 50 || len(r.Cert.Names)+r.Cert.MoreNames != total {
			t.Errorf("%s: %d names kept and %d more, want at most 50 and %d in all", r.Addr(), len(r.Cert.Names), r.Cert.MoreNames, total)
		}
	}
	data, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) > 32<<10 {
		t.Errorf("the JSON report is %d bytes, want at most 32 KiB", len(data))
	}
	t.Logf("JSON report: %d bytes", len(data))
}
