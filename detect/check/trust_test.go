package check

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"os"
	"regexp"
	"testing"
	"time"

	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/probe"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/detect/trust"
	"maildoctor.app/maildoctor/internal/dovecottest"
	"maildoctor.app/maildoctor/internal/fakemail"
	"maildoctor.app/maildoctor/internal/testpki"
)

// spoofedDNS answers MX with an attacker's host for every domain, the
// way a resolver on café Wi-Fi can, and knows nothing else.
type spoofedDNS struct{ mx string }

func (d spoofedDNS) LookupSRV(context.Context, string, string, string) (string, []*net.SRV, error) {
	return "", nil, &net.DNSError{Err: "no such host", IsNotFound: true}
}
func (d spoofedDNS) LookupMX(context.Context, string) ([]*net.MX, error) {
	return []*net.MX{{Host: d.mx + ".", Pref: 10}}, nil
}
func (d spoofedDNS) LookupHost(_ context.Context, h string) ([]string, error) {
	return nil, &net.DNSError{Err: "no such host", Name: h, IsNotFound: true}
}

// offline is an HTTP client that reaches nothing, so no autoconfig
// answers.
var offline = &http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) {
	return nil, errors.New("offline")
})}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

const attackerHost = "mx.attacker.test"

// dovecotLogins counts the logins a real Dovecot saw, right or wrong.
func dovecotLogins(t *testing.T, srv *dovecottest.Server) int {
	t.Helper()
	data, err := os.ReadFile(srv.LogPath)
	if err != nil {
		t.Fatal(err)
	}
	return len(regexp.MustCompile(`(?m)Login: user=|auth failed|password mismatch`).FindAll(data, -1))
}

// A spoofed MX answer points every protocol at a host the attacker holds
// a valid certificate for. The check probes it but gives it no password,
// unless the user confirms that exact host.
func TestSpoofedMXGetsNoPassword(t *testing.T) {
	s := startDovecot(t, dovecottest.Config{Implicit: true, StartTLS: true}, func(t testing.TB, ca *testpki.CA) testpki.Pair {
		return ca.Leaf(t, testpki.LeafOptions{Names: []string{attackerHost}})
	})
	run := func(confirmed ...string) *Report {
		rep, err := Run(context.Background(), Options{
			Email:    testUser,
			Password: pw(testPassword),
			Resolver: spoofedDNS{mx: attackerHost},
			HTTP:     offline,
			Resolve:  map[string]string{attackerHost: s.srv.Addr},
			Timeout:  5 * time.Second,
			Roots:    s.ca.Pool(),
			Trust:    trust.Policy{Provider: builtin(t), Confirmed: confirmed},
		})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	rep := run()
	if rep.Discovery.Source != discover.SourceMX {
		t.Fatalf("servers from %q, want the MX", rep.Discovery.Source)
	}
	for _, r := range rep.Endpoints {
		if r.Auth == "ok" || r.Auth == "failed" {
			t.Errorf("%s: a login was made (%s)", r.Addr(), r.Auth)
		}
	}
	if n := dovecotLogins(t, s.srv); n != 0 {
		t.Errorf("Dovecot saw %d logins, want none", n)
	}
	untrusted := map[string]bool{}
	for _, f := range rep.Findings {
		if f.ID == "auth.host_not_trusted" {
			untrusted[f.Args["protocol"]] = f.Args["host"] == attackerHost && f.Args["source"] == "mx"
		}
	}
	for _, p := range []string{"IMAP", "POP3", "SMTP"} {
		if !untrusted[p] {
			t.Errorf("no auth.host_not_trusted naming %s from the MX for %s: %v", attackerHost, p, untrusted)
		}
	}

	// The same check with the host confirmed logs in: the test above can
	// fail.
	rep = run(attackerHost)
	if n := countAuth(rep, "ok"); n != 3 {
		t.Errorf("%d logins ok after confirming the host, want 3: %v", n, findingIDs(rep.Findings))
	}
}

// Servers a support link fills in reach check.Run as Manual servers; not
// typed by the user, they get no password.
func TestLinkHostGetsNoPassword(t *testing.T) {
	s := startDovecot(t, dovecottest.Config{Implicit: true}, func(t testing.TB, ca *testpki.CA) testpki.Pair {
		return ca.Leaf(t, testpki.LeafOptions{Names: []string{"imap.attacker.test"}})
	})
	manual := map[server.Protocol]string{server.IMAP: "imap.attacker.test:993"}
	opt := Options{
		Email: testUser, Password: pw(testPassword), Manual: manual, HTTP: offline,
		Resolver: spoofedDNS{mx: "mail.example.test"},
		Resolve:  map[string]string{"imap.attacker.test": s.srv.Addr},
		Timeout:  5 * time.Second, Roots: s.ca.Pool(),
		Trust: trust.Policy{Provider: builtin(t)},
	}
	rep, err := Run(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	if n := dovecotLogins(t, s.srv); n != 0 {
		t.Errorf("Dovecot saw %d logins from a link's host, want none", n)
	}
	if !finding.Has(rep.Findings, "auth.host_not_trusted") {
		t.Errorf("want auth.host_not_trusted: %v", findingIDs(rep.Findings))
	}
	// Typed by the user, the same host is tested.
	opt.Trust.Typed = []string{"imap.attacker.test:993"}
	if rep, err = Run(context.Background(), opt); err != nil {
		t.Fatal(err)
	}
	if countAuth(rep, "ok") != 1 {
		t.Errorf("typed host: no login: %v", findingIDs(rep.Findings))
	}
}

// A server that speaks only TLS 1.0/1.1 is probed and named, but no
// password travels over those versions.
func TestNoLoginOverTLS11(t *testing.T) {
	ca := testpki.NewCA(t, "Mail Doctor Test Root")
	const host = "imap.example.test"
	cfg := &tls.Config{
		Certificates: []tls.Certificate{ca.Leaf(t, testpki.LeafOptions{Names: []string{host}}).TLSCertificate(t)},
		MinVersion:   tls.VersionTLS10, MaxVersion: tls.VersionTLS11,
	}
	var logins fakemail.Counter
	addr := fakemail.StandardPorts(t, map[int]func(net.Conn){993: fakeIMAPS(cfg, &logins)})
	rep, err := Run(context.Background(), Options{
		Email: testUser, Password: pw(testPassword), HTTP: offline,
		Manual:  map[server.Protocol]string{server.IMAP: host + ":993"},
		Resolve: map[string]string{host: addr}, Timeout: 3 * time.Second, Roots: ca.Pool(),
		Trust: trust.Policy{Typed: []string{host}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if logins.Count() != 0 {
		t.Errorf("%d logins over TLS 1.1, want none", logins.Count())
	}
	if !hasSkip(rep, "old_tls") {
		t.Errorf("want auth.skipped with reason old_tls: %v", findingIDs(rep.Findings))
	}
}

// A submission server that offers no AUTH after TLS never asked for a
// password: none is sent, and the finding is smtp.auth_not_offered, not a
// failed connection.
func TestNoLoginWithoutOfferedAuth(t *testing.T) {
	ca := testpki.NewCA(t, "Mail Doctor Test Root")
	const host = "smtp.example.test"
	cfg := &tls.Config{Certificates: []tls.Certificate{ca.Leaf(t, testpki.LeafOptions{Names: []string{host}}).TLSCertificate(t)}}
	var logins fakemail.Counter
	addr := fakemail.StandardPorts(t, map[int]func(net.Conn){465: fakeSubmissions(cfg, &logins)})
	rep, err := Run(context.Background(), Options{
		Email: testUser, Password: pw(testPassword), HTTP: offline,
		Manual:  map[server.Protocol]string{server.SMTP: host + ":465"},
		Resolve: map[string]string{host: addr}, Timeout: 3 * time.Second, Roots: ca.Pool(),
		Trust: trust.Policy{Typed: []string{host}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if logins.Count() != 0 {
		t.Errorf("%d AUTH commands to a server that offers none, want none", logins.Count())
	}
	for _, id := range []string{"auth.error", "auth.failed"} {
		if finding.Has(rep.Findings, id) {
			t.Errorf("unexpected %s: %v", id, findingIDs(rep.Findings))
		}
	}
	if !finding.Has(rep.Findings, "smtp.auth_not_offered") {
		t.Errorf("want smtp.auth_not_offered: %v", findingIDs(rep.Findings))
	}
}

func builtin(t *testing.T) *discover.Profile {
	t.Helper()
	p, err := discover.BuiltinProfile()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func countAuth(rep *Report, state probe.AuthResult) int {
	n := 0
	for _, r := range rep.Endpoints {
		if r.Auth == state {
			n++
		}
	}
	return n
}

func hasSkip(rep *Report, reason string) bool {
	for _, f := range rep.Findings {
		if f.ID == "auth.skipped" && f.Args["reason"] == reason {
			return true
		}
	}
	return false
}
