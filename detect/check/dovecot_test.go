package check

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/probe"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/internal/dovecottest"
	"maildoctor.app/maildoctor/internal/testpki"
)

// These tests run the whole check against a real Dovecot (IMAP, POP3,
// submission) started on a loopback address with the standard ports, as
// a customer's mail program would meet it.

const (
	testUser     = "mario.rossi@example.test"
	testPassword = "Corretta-Password-1"
	mailHost     = "mail.example.test"
)

type setup struct {
	ca  *testpki.CA
	srv *dovecottest.Server
}

func startDovecot(t testing.TB, cfg dovecottest.Config, leaf func(t testing.TB, ca *testpki.CA) testpki.Pair) setup {
	t.Helper()
	ca := testpki.NewCA(t, "Mail Doctor Test Root")
	pair := leaf(t, ca)
	cfg.CertPEM, cfg.KeyPEM = pair.CertPEM, pair.KeyPEM
	if cfg.Users == nil {
		cfg.Users = map[string]string{testUser: testPassword}
	}
	return setup{ca: ca, srv: dovecottest.Start(t, cfg)}
}

func goodLeaf(t testing.TB, ca *testpki.CA) testpki.Pair {
	return ca.Leaf(t, testpki.LeafOptions{Names: []string{mailHost}})
}

func (s setup) run(t testing.TB, password *string, host string) *Report {
	t.Helper()
	opt := Options{
		Email:    testUser,
		Password: password,
		Manual:   map[server.Protocol]string{server.IMAP: host, server.POP3: host, server.SMTP: host},
		Resolve:  map[string]string{host: s.srv.Addr},
		Timeout:  5 * time.Second,
		Roots:    s.ca.Pool(),
	}
	rep, err := Run(context.Background(), opt)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return rep
}

func pw(s string) *string { return &s }

func endpoint(t *testing.T, rep *Report, p server.Protocol, sec server.Security) *probe.Result {
	t.Helper()
	for _, r := range rep.Endpoints {
		if r.Protocol == p && r.Security == sec {
			return r
		}
	}
	t.Fatalf("no %s %s endpoint in %v", p, sec, rep.Endpoints)
	return nil
}

func findingIDs(fs []finding.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.ID+"@"+f.Endpoint)
	}
	return out
}

func hasFinding(rep *Report, id string, sev finding.Severity) bool {
	for _, f := range rep.Findings {
		if f.ID == id && f.Severity == sev {
			return true
		}
	}
	return false
}

func TestDovecotAllGood(t *testing.T) {
	s := startDovecot(t, dovecottest.Config{Implicit: true, StartTLS: true, Quota: true}, goodLeaf)
	rep := s.run(t, pw(testPassword), mailHost)
	if rep.Verdict != VerdictOK {
		t.Fatalf("verdict = %s, findings %v", rep.Verdict, findingIDs(rep.Findings))
	}
	if len(rep.Endpoints) != 6 {
		t.Fatalf("%d endpoints, want 6 (3 protocols × TLS/STARTTLS)", len(rep.Endpoints))
	}
	for _, r := range rep.Endpoints {
		if !r.Reachable || r.TLS == nil || r.TLS.Negotiated != "1.3" || !r.TLS.Versions["1.2"] || !r.TLS.Versions["1.3"] {
			t.Errorf("%s: reachable %v tls %+v", r.Addr(), r.Reachable, r.TLS)
		}
		if r.Cert == nil || !r.Cert.Trusted || !r.Cert.HostnameMatch || r.Cert.DaysLeft < 80 {
			t.Errorf("%s: cert %+v", r.Addr(), r.Cert)
		}
	}
	for _, p := range server.Protocols {
		if r := endpoint(t, rep, p, server.TLS); r.Auth != "ok" {
			t.Errorf("%s over TLS: auth %q, want ok", p, r.Auth)
		}
		if r := endpoint(t, rep, p, server.StartTLS); r.Auth != "skipped" {
			t.Errorf("%s over STARTTLS: auth %q, want skipped (one login per protocol)", p, r.Auth)
		}
	}
	imap := endpoint(t, rep, server.IMAP, server.TLS)
	if imap.Account == nil || imap.Account.SentFolder == "" || imap.Account.QuotaLimitKB == 0 {
		t.Errorf("IMAP account = %+v, want a Sent folder and a quota", imap.Account)
	}
	pop := endpoint(t, rep, server.POP3, server.TLS)
	if pop.Account == nil || pop.Account.UIDL == nil || !*pop.Account.UIDL || pop.Account.Messages == nil {
		t.Errorf("POP3 account = %+v, want STAT and UIDL", pop.Account)
	}
	if n := s.srv.FailedLogins(); n != 0 {
		t.Errorf("Dovecot logged %d failed logins, want 0", n)
	}
	assertJSONShape(t, rep)
}

// assertJSONShape checks the field names DESIGN.md promises to scripts.
func assertJSONShape(t *testing.T, rep *Report) {
	t.Helper()
	data, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]interface{}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"email", "discovery", "endpoints", "findings", "verdict"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("JSON has no %q", k)
		}
	}
	if src := doc["discovery"].(map[string]interface{})["source"]; src != "manual" {
		t.Errorf("discovery.source = %v, want manual", src)
	}
	ep := doc["endpoints"].([]interface{})[0].(map[string]interface{})
	for _, k := range []string{"protocol", "host", "port", "security", "reachable", "tls", "cert", "auth", "elapsed_ms"} {
		if _, ok := ep[k]; !ok {
			t.Errorf("endpoint JSON has no %q", k)
		}
	}
	tls := ep["tls"].(map[string]interface{})
	for _, k := range []string{"negotiated", "cipher", "versions"} {
		if _, ok := tls[k]; !ok {
			t.Errorf("tls JSON has no %q", k)
		}
	}
	cert := ep["cert"].(map[string]interface{})
	for _, k := range []string{"subject", "issuer", "names", "not_after", "days_left", "trusted", "hostname_match"} {
		if _, ok := cert[k]; !ok {
			t.Errorf("cert JSON has no %q", k)
		}
	}
	if strings.Contains(string(data), testPassword) {
		t.Error("the report contains the password")
	}
}

func TestDovecotCertificateProblems(t *testing.T) {
	now := time.Now()
	cases := []struct {
		name string
		leaf func(t testing.TB, ca *testpki.CA) testpki.Pair
		host string
		want string
	}{
		{"expired", func(t testing.TB, ca *testpki.CA) testpki.Pair {
			return ca.Leaf(t, testpki.LeafOptions{Names: []string{mailHost}, NotBefore: now.Add(-50 * time.Minute), NotAfter: now.Add(-10 * time.Minute)})
		}, mailHost, "cert.expired"},
		{"another name", func(t testing.TB, ca *testpki.CA) testpki.Pair {
			// The address's domain owns the name, so it may be suggested.
			return ca.Leaf(t, testpki.LeafOptions{Names: []string{"server7.example.test"}})
		}, "mail.customer.test", "cert.hostname_mismatch"},
		{"self-signed", func(t testing.TB, _ *testpki.CA) testpki.Pair {
			return testpki.SelfSigned(t, testpki.LeafOptions{Names: []string{mailHost}})
		}, mailHost, "cert.self_signed"},
	}
	for _, c := range cases {
		c := c
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := startDovecot(t, dovecottest.Config{Implicit: true, StartTLS: true}, c.leaf)
			rep := s.run(t, pw(testPassword), c.host)
			if rep.Verdict != VerdictFail {
				t.Errorf("verdict = %s, want fail", rep.Verdict)
			}
			for _, r := range rep.Endpoints {
				if !finding.Has(r.Findings, c.want) {
					t.Errorf("%s: findings %v, want %s", r.Addr(), findingIDs(r.Findings), c.want)
				}
				if r.Auth != "skipped" || r.Secure() {
					t.Errorf("%s: auth %q secure %v: no password may go to an unverified server", r.Addr(), r.Auth, r.Secure())
				}
			}
			if !hasFinding(rep, "auth.skipped", finding.Info) {
				t.Errorf("no auth.skipped finding: %v", findingIDs(rep.Findings))
			}
			if n := s.srv.FailedLogins() + strings.Count(s.srv.Log(), "Login: user="); n != 0 {
				t.Errorf("Dovecot saw %d login attempts, want none", n)
			}
			if c.want == "cert.hostname_mismatch" {
				r := endpoint(t, rep, server.IMAP, server.TLS)
				if r.Cert.Suggested != "server7.example.test" {
					t.Errorf("suggested host = %q", r.Cert.Suggested)
				}
			}
		})
	}
}

func TestDovecotTLS13Only(t *testing.T) {
	s := startDovecot(t, dovecottest.Config{Implicit: true, StartTLS: true, MinTLS: "TLSv1.3"}, goodLeaf)
	rep := s.run(t, nil, mailHost)
	for _, r := range rep.Endpoints {
		v := r.TLS.Versions
		if v["1.0"] || v["1.1"] || v["1.2"] || !v["1.3"] {
			t.Errorf("%s: versions %v, want only 1.3", r.Addr(), v)
		}
		if finding.Has(r.Findings, "tls.no_tls13") || finding.Has(r.Findings, "tls.legacy_only") {
			t.Errorf("%s: findings %v", r.Addr(), findingIDs(r.Findings))
		}
	}
	if !hasFinding(rep, "auth.skipped", finding.Info) || rep.Verdict != VerdictOK {
		t.Errorf("verdict %s findings %v", rep.Verdict, findingIDs(rep.Findings))
	}
}

func TestDovecotTLS12Max(t *testing.T) {
	// Dovecot has no maximum version setting; a TLS 1.2 server is the
	// norm for older hosting, so assert what the sweep says about ours.
	s := startDovecot(t, dovecottest.Config{Implicit: true, MinTLS: "TLSv1.2"}, goodLeaf)
	rep := s.run(t, nil, mailHost)
	r := endpoint(t, rep, server.IMAP, server.TLS)
	if !r.TLS.Versions["1.2"] || r.TLS.Versions["1.1"] || r.TLS.Versions["1.0"] {
		t.Errorf("versions %v, want 1.2 accepted and 1.0/1.1 refused", r.TLS.Versions)
	}
}

func TestDovecotStartTLSOnly(t *testing.T) {
	s := startDovecot(t, dovecottest.Config{StartTLS: true}, goodLeaf)
	rep := s.run(t, pw(testPassword), mailHost)
	for _, p := range server.Protocols {
		tls := endpoint(t, rep, p, server.TLS)
		if !finding.Has(tls.Findings, "tcp.refused") {
			t.Errorf("%s 993-style port: findings %v, want tcp.refused", p, findingIDs(tls.Findings))
		}
		st := endpoint(t, rep, p, server.StartTLS)
		if st.StartTLSOffered == nil || !*st.StartTLSOffered || st.Auth != "ok" {
			t.Errorf("%s STARTTLS: offered %v auth %q, want offered and login ok", p, st.StartTLSOffered, st.Auth)
		}
	}
	for _, p := range []string{"IMAP", "POP3", "SMTP"} {
		found := false
		for _, f := range rep.Findings {
			found = found || f.ID == "implicit.unavailable" && f.Args["protocol"] == p && f.Severity == finding.Fail
		}
		if !found {
			t.Errorf("no implicit.unavailable for %s: %v", p, findingIDs(rep.Findings))
		}
	}
	if rep.Verdict != VerdictFail {
		t.Errorf("verdict = %s, want fail: STARTTLS is going away", rep.Verdict)
	}
}

func TestDovecotImplicitOnly(t *testing.T) {
	s := startDovecot(t, dovecottest.Config{Implicit: true}, goodLeaf)
	rep := s.run(t, pw(testPassword), mailHost)
	if rep.Verdict != VerdictOK {
		t.Errorf("verdict = %s, findings %v: closed STARTTLS ports are the goal, not a problem", rep.Verdict, findingIDs(rep.Findings))
	}
	for _, p := range server.Protocols {
		st := endpoint(t, rep, p, server.StartTLS)
		f := st.Findings
		if !finding.Has(f, "tcp.refused") || finding.Worst(f) != finding.Info {
			t.Errorf("%s STARTTLS: %v (worst %s), want tcp.refused as info", p, findingIDs(f), finding.Worst(f))
		}
		if r := endpoint(t, rep, p, server.TLS); r.Auth != "ok" {
			t.Errorf("%s TLS: auth %q", p, r.Auth)
		}
	}
}

func TestDovecotWrongPasswordOneAttempt(t *testing.T) {
	s := startDovecot(t, dovecottest.Config{Implicit: true, StartTLS: true}, goodLeaf)
	rep := s.run(t, pw(" wrong-password"), mailHost)
	if rep.Verdict != VerdictFail {
		t.Errorf("verdict = %s", rep.Verdict)
	}
	if r := endpoint(t, rep, server.IMAP, server.TLS); r.Auth != "failed" {
		t.Errorf("IMAP auth = %q, want failed", r.Auth)
	}
	var failed *finding.Finding
	for i, f := range rep.Findings {
		if f.ID == "auth.failed" {
			failed = &rep.Findings[i]
		}
	}
	if failed == nil || failed.Args["spaces"] != "yes" {
		t.Errorf("auth.failed = %+v, want it to mention the leading space", failed)
	}
	if !hasFinding(rep, "auth.password_spaces", finding.Warn) {
		t.Error("no warning about the space in the password")
	}
	for _, p := range []server.Protocol{server.POP3, server.SMTP} {
		for _, sec := range []server.Security{server.TLS, server.StartTLS} {
			if r := endpoint(t, rep, p, sec); r.Auth != "skipped" {
				t.Errorf("%s %s: auth %q, want skipped after the first failure", p, sec, r.Auth)
			}
		}
	}
	// Dovecot's auth process may log the failure a moment after replying.
	deadline := time.Now().Add(3 * time.Second)
	for s.srv.FailedLogins() == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if n := s.srv.FailedLogins(); n != 1 {
		t.Errorf("Dovecot logged %d failed logins, want exactly 1\n%s", n, s.srv.Log())
	}
}

func TestDovecotServerSideFindings(t *testing.T) {
	s := startDovecot(t, dovecottest.Config{Implicit: true, StartTLS: true, AllowPlaintextAuth: true, NoSentFolder: true}, goodLeaf)
	rep := s.run(t, pw(testPassword), mailHost)
	for _, p := range server.Protocols {
		st := endpoint(t, rep, p, server.StartTLS)
		if !finding.Has(st.Findings, "plain.login_allowed") {
			t.Errorf("%s: %v, want plain.login_allowed", p, findingIDs(st.Findings))
		}
	}
	if !finding.Has(endpoint(t, rep, server.IMAP, server.TLS).Findings, "imap.no_sent_folder") {
		t.Errorf("want imap.no_sent_folder: %v", findingIDs(rep.Findings))
	}
}

func TestDovecotManualStartTLSInUse(t *testing.T) {
	s := startDovecot(t, dovecottest.Config{Implicit: true, StartTLS: true}, goodLeaf)
	rep, err := Run(context.Background(), Options{
		Email:   testUser,
		Manual:  map[server.Protocol]string{server.IMAP: mailHost + ":143", server.POP3: mailHost + ":995", server.SMTP: mailHost + ":587"},
		Resolve: map[string]string{mailHost: s.srv.Addr},
		Timeout: 5 * time.Second,
		Roots:   s.ca.Pool(),
	})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, f := range rep.Findings {
		if f.ID == "starttls.in_use" {
			got[f.Args["protocol"]] = true
		}
	}
	if !got["IMAP"] || !got["SMTP"] || got["POP3"] {
		t.Errorf("starttls.in_use for %v, want IMAP and SMTP (given on 143/587) only", got)
	}
}

// BenchmarkFullCheck is the whole check a customer runs: discovery from
// the command line, 6 endpoints each with the TLS version sweep, the
// certificate, and the logins with the look at the mailbox.
func BenchmarkFullCheck(b *testing.B) {
	s := startDovecot(b, dovecottest.Config{Implicit: true, StartTLS: true, Quota: true}, goodLeaf)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rep := s.run(b, pw(testPassword), mailHost)
		if rep.Verdict != VerdictOK {
			b.Fatalf("verdict %s: %v", rep.Verdict, findingIDs(rep.Findings))
		}
	}
}
