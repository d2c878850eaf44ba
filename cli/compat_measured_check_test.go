package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"maildoctor.app/maildoctor/assets"
	"maildoctor.app/maildoctor/detect/compat"
	"maildoctor.app/maildoctor/i18n"
	"maildoctor.app/maildoctor/internal/dovecottest"
	"maildoctor.app/maildoctor/internal/testpki"
)

// TestCheckSimulate: "check --simulate" against a real Dovecot (TLS 1.2
// and 1.3, OpenSSL's defaults) adds every handshake profile, measured on
// every endpoint that agreed TLS: the TLS 1.3 families connect with 1.3
// everywhere, those without TLS 1.2 have no shared version anywhere —
// which is which comes from the profiles' data. The simulation sends no
// login: Dovecot logs none.
func TestCheckSimulate(t *testing.T) {
	if err := dovecottest.Available(); err != nil {
		t.Skipf("dovecot: %v", err)
	}
	ca := testpki.NewCA(t, "Simulate CLI Root")
	pair := ca.Leaf(t, testpki.LeafOptions{Names: []string{dovecottest.Hostname}})
	srv := dovecottest.Start(t, dovecottest.Config{CertPEM: pair.CertPEM, KeyPEM: pair.KeyPEM, Implicit: true, StartTLS: true,
		Users: map[string]string{"alice@example.test": "Simulate-1"}})
	h := dovecottest.Hostname
	args := []string{"check", "alice@example.test", "--imap", h, "--pop3", h, "--smtp", h, "--resolve", h + ":" + srv.Addr, "--simulate"}
	_, out, errOut := run(t, "", append(args, "--json")...)
	var rep struct {
		Simulated []simulatedProfile `json:"simulated"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s\n%s", err, out, errOut)
	}
	ps, err := compat.Handshakes()
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Simulated) != len(ps) {
		t.Fatalf("%d profiles simulated, want %d", len(rep.Simulated), len(ps))
	}
	for i, s := range rep.Simulated {
		hp := ps[i].Hello()
		if s.Profile != ps[i].ID || len(s.Measured) != 6 {
			t.Errorf("%s: %d endpoints measured, want the 6 of the check", s.Profile, len(s.Measured))
		}
		for _, m := range s.Measured {
			switch {
			case hp.MaxVersion() < 0x0303 && (m.Connects || m.Reason != "no_shared_version"):
				t.Errorf("%s %s: connects=%v reason=%s, want no_shared_version", s.Profile, m.Endpoint, m.Connects, m.Reason)
			case hp.MaxVersion() >= 0x0304 && (!m.Connects || m.Version != "1.3"):
				t.Errorf("%s %s: connects=%v %s reason=%s, want TLS 1.3", s.Profile, m.Endpoint, m.Connects, m.Version, m.Reason)
			}
		}
	}
	_, out, _ = run(t, "", append(args, "--lang", "en")...)
	t.Logf("%s", out)
	if !strings.Contains(out, "own TLS handshake") || !strings.Contains(out, "Thunderbird 140 ESR and later (post-quantum X25519MLKEM768): connects to all 6 (TLS 1.3)") {
		t.Errorf("text output:\n%s", out)
	}
	if strings.Contains(srv.Log(), "Login: ") {
		t.Errorf("Dovecot logged a login:\n%s", srv.Log())
	}
}

// TestSimulatedLine: servers that answer differently are named one by
// one, each with its outcome.
func TestSimulatedLine(t *testing.T) {
	cat, err := i18n.Load(assets.Translations, "translation")
	if err != nil {
		t.Fatal(err)
	}
	tr := cat.For("en")
	ms := []measuredJSON{
		{Endpoint: "imap.example.test:993", Connects: true, Version: "1.2"},
		{Endpoint: "imap.example.test:143", Reason: "no_shared_cipher"},
	}
	got := simulatedLine(ms, tr)
	want := "connects to imap.example.test:993 (TLS 1.2); not to imap.example.test:143: the server accepts no cipher suite this client offers — switching on a TLS version alone will not help"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if got := simulatedLine(nil, tr); got != tr.T("check.simulate.none", nil) {
		t.Errorf("no endpoint: %q", got)
	}
}
