package audit

import (
	"crypto/tls"
	"os"
	"reflect"
	"strings"
	"testing"

	"maildoctor.app/maildoctor/detect/compat"
	"maildoctor.app/maildoctor/internal/dovecottest"
)

func readString(t testing.TB, log string, opt Options) *Auditor {
	t.Helper()
	a := New(opt)
	if err := a.Read(strings.NewReader(log), "dovecot.log"); err != nil {
		t.Fatalf("Read: %v", err)
	}
	return a
}

func byAddress(a *Auditor) map[string]*Mailbox {
	out := map[string]*Mailbox{}
	for _, m := range a.Mailboxes() {
		out[m.Address] = m
	}
	return out
}

func TestRealDovecotClasses(t *testing.T) {
	log := realLog(t)
	a := readString(t, log, Options{})
	ms := byAddress(a)
	want := map[string][]Class{
		"starttls@example.test":   {ClassStartTLS},
		"legacy10@example.test":   {ClassLegacyTLS},
		"legacy11@example.test":   {ClassLegacyTLS},
		"weak@example.test":       {ClassWeakCipher},
		"fine@example.test":       nil,
		"pop@example.test":        {ClassStartTLS},
		"sub@example.test":        {ClassStartTLS},
		"plain@example.test":      {ClassNoTLS},
		"mixed.case@example.test": nil,
	}
	for addr, issues := range want {
		m := ms[addr]
		if m == nil {
			t.Errorf("%s: not found in the log; mailboxes: %v\n%s", addr, keys(ms), log)
			continue
		}
		if got := m.Issues(); !reflect.DeepEqual(got, issues) {
			t.Errorf("%s: issues %v, want %v (access %+v)", addr, got, issues, m.Access)
		}
	}
	if len(ms) != len(want) {
		t.Errorf("mailboxes %v, want %d", keys(ms), len(want))
	}
	st := a.Stats()
	if st.Logins != 12 || st.LoginsWithoutPort != 0 || st.LoginsWithoutTLSVersion != 0 {
		t.Errorf("stats %+v", st)
	}
	if st.Unknown == 0 || st.Ignored == 0 {
		t.Errorf("the master and mail process lines should count as unknown, disconnections as ignored: %+v", st)
	}
	// Clients from IMAP ID, judged by the knowledge base.
	kb, err := compat.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	rows := Report([]*Mailbox{ms["fine@example.test"], ms["legacy10@example.test"]}, kb, map[string]Translator{"en": fakeTr{}}, "en", Servers{})
	fine := rows[0]
	if len(fine.Clients) != 2 || fine.Clients[0].Family != "thunderbird" || fine.Clients[1].Family != "outlook" {
		t.Errorf("fine's clients: %+v", fine.Clients)
	}
	if fine.Clients[0].Verdict != "works" || !reflect.DeepEqual(fine.Clients[0].Needs, []string{"setting"}) {
		t.Errorf("Thunderbird 115: %+v", fine.Clients[0])
	}
	if rows[1].Clients[0].Name != "Microsoft Outlook" || rows[1].Clients[0].Version != "16.0.17928" {
		t.Errorf("legacy10's client: %+v", rows[1].Clients)
	}
	// IPs only on request.
	if len(ms["fine@example.test"].IPs) != 0 {
		t.Errorf("IPs kept without WithIPs")
	}
	withIPs := byAddress(readString(t, log, Options{WithIPs: true}))
	if ips := withIPs["fine@example.test"].IPs; !reflect.DeepEqual(ips, []string{"127.0.0.1"}) {
		t.Errorf("WithIPs: %v", ips)
	}
}

// TestRealDovecotDefaultFormat: Dovecot's default elements say "TLS" but
// neither the port nor the version: such logins are "unknown", a plain
// login is still found, and the stats say what is missing. With only
// %{lport} added, STARTTLS users are found by their port.
func TestRealDovecotDefaultFormat(t *testing.T) {
	for _, c := range []struct {
		name, elements string
		want           map[string][]Class
	}{
		{"default", "", map[string][]Class{
			"starttls@example.test": {ClassUnknown}, "fine@example.test": {ClassUnknown}, "plain@example.test": {ClassNoTLS}}},
		{"default+lport", `"user=<%u> method=%m rip=%r lip=%l mpid=%e %c session=<%{session}> lport=%{lport}"`, map[string][]Class{
			"starttls@example.test": {ClassStartTLS}, "fine@example.test": {ClassUnknown}, "plain@example.test": {ClassNoTLS}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := startServer(t, dovecottest.Config{Implicit: true, StartTLS: true, AllowPlaintextAuth: true, LoginLogFormatElements: c.elements},
				"starttls@example.test", "fine@example.test", "plain@example.test")
			modern := r.tlsConf(tls.VersionTLS12, tls.VersionTLS13)
			r.imapLogin(t, "starttls@example.test", true, modern, thunderbirdID)
			r.imapLogin(t, "fine@example.test", false, modern, nil)
			r.imapPlainLogin(t, "plain@example.test")
			a := readString(t, r.waitLog(t, "Login: ", 3), Options{})
			ms := byAddress(a)
			for addr, issues := range c.want {
				if ms[addr] == nil {
					t.Fatalf("%s not found", addr)
				}
				if got := ms[addr].Issues(); !reflect.DeepEqual(got, issues) {
					t.Errorf("%s: %v, want %v (%+v)", addr, got, issues, ms[addr].Access)
				}
			}
			st := a.Stats()
			if st.LoginsWithoutTLSVersion != 2 {
				t.Errorf("logins without TLS version: %d, want 2", st.LoginsWithoutTLSVersion)
			}
			wantNoPort := int64(3)
			if c.elements != "" {
				wantNoPort = 0
			}
			if st.LoginsWithoutPort != wantNoPort {
				t.Errorf("logins without port: %d, want %d", st.LoginsWithoutPort, wantNoPort)
			}
		})
	}
}

type fakeTr struct{}

func (fakeTr) T(key string, args map[string]string) string { return key }

func keys(m map[string]*Mailbox) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestWriteRealLog writes the real log to $AUDIT_LOG_OUT, to look at or to
// try the command on (skipped without it).
func TestWriteRealLog(t *testing.T) {
	out := os.Getenv("AUDIT_LOG_OUT")
	if out == "" {
		t.Skip("set AUDIT_LOG_OUT=FILE to write a real Dovecot log")
	}
	if err := os.WriteFile(out, []byte(realLog(t)), 0o600); err != nil {
		t.Fatal(err)
	}
}
