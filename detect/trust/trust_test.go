package trust

import (
	"testing"

	"maildoctor.app/maildoctor/detect/discover"
)

func builtin(t *testing.T) *discover.Profile {
	t.Helper()
	p, err := discover.BuiltinProfile()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestDecide is the one table of who may be given the password.
func TestDecide(t *testing.T) {
	pol := Policy{
		Provider:  builtin(t),
		Domain:    "Cliente.IT",
		Typed:     []string{"mail.typed.example:993", "[2001:db8::1]:993"},
		Confirmed: []string{"xn--caff-8oa.example"},
	}
	cases := []struct {
		host string
		want Reason
	}{
		{"imap.maildoctor.example", Provider},
		{"IMAP.MailDoctor.Example.", Provider},
		{"smtp.maildoctor.example:465", Provider},
		{"new-cluster.maildoctor.example", Provider}, // under the providerDomain
		{"imap.cliente.it", Domain},
		{"cliente.it", Domain},
		{"mail.typed.example", Typed},
		{"2001:db8::1", Typed},
		{"caffè.example", Confirmed}, // the Unicode form of the confirmed xn-- name
		{"xn--caff-8oa.example", Confirmed},
		// Everything else: links, MX/SRV answers, autoconfig, certificates.
		{"imap.attacker.example", Untrusted},
		{"imap.cliente.it.attacker.example", Untrusted},
		{"evilcliente.it", Untrusted},
		{"maildoctor.example.attacker.example", Untrusted},
		{"xn--clente-qvf.it", Untrusted}, // clіente.it with a Cyrillic і
		{"typed.example", Untrusted},     // the parent of a typed host
		{"sub.mail.typed.example", Untrusted},
		{"127.0.0.1", Untrusted},
		{"", Untrusted},
		{"not a host", Untrusted},
	}
	for _, c := range cases {
		if got := pol.Decide(c.host); got != c.want {
			t.Errorf("Decide(%q) = %q, want %q", c.host, got, c.want)
		}
	}
}

func TestZeroPolicyTrustsNothing(t *testing.T) {
	for _, h := range []string{"imap.maildoctor.example", "localhost", "127.0.0.1"} {
		if (Policy{}).Trusted(h) {
			t.Errorf("the zero Policy trusts %q", h)
		}
	}
}

// A profile that claims every domain (%EMAILDOMAIN%) must not make every
// host the provider's, even if it were the built-in one.
func TestCatchAllProfileOwnsNothingExtra(t *testing.T) {
	p, err := discover.ParseProfile([]byte(`<clientConfig version="1.1"><emailProvider id="x">
<domain>%EMAILDOMAIN%</domain>
<incomingServer type="imap"><hostname>imap.%EMAILDOMAIN%</hostname><port>993</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username></incomingServer>
</emailProvider></clientConfig>`))
	if err != nil {
		t.Fatal(err)
	}
	pol := Policy{Provider: p, Domain: "cliente.it"}
	if pol.Trusted("imap.attacker.example") {
		t.Error("a catch-all profile made a foreign host trusted")
	}
	if got := pol.Decide("imap.cliente.it"); got != Domain {
		t.Errorf("imap.cliente.it: %q, want domain", got)
	}
}

// Owns is rules 1 and 2 only: what a certificate or a plan may point to.
func TestOwns(t *testing.T) {
	pol := Policy{Provider: builtin(t), Domain: "cliente.it", Typed: []string{"mail.typed.example"}, Confirmed: []string{"mail.confirmed.example"}}
	for host, want := range map[string]bool{
		"imap.maildoctor.example": true,
		"imap.cliente.it":         true,
		"mail.typed.example":      false,
		"mail.confirmed.example":  false,
		"imap.attacker.example":   false,
	} {
		if got := pol.Owns(host); got != want {
			t.Errorf("Owns(%q) = %v, want %v", host, got, want)
		}
	}
}
