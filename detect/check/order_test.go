package check

import (
	"context"
	"crypto/tls"
	"net"
	"sync"
	"testing"
	"time"

	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/detect/trust"
	"maildoctor.app/maildoctor/internal/fakemail"
	"maildoctor.app/maildoctor/internal/testpki"
)

// timeline records when a fake server answered the first login and when
// the second protocol's password arrived.
type timeline struct {
	mu        sync.Mutex
	firstDone time.Time
	auth      []time.Time
	quits     int
}

// slowIMAPS answers LOGIN after a pause, with ok or NO.
func slowIMAPS(cfg *tls.Config, tl *timeline, ok bool) func(net.Conn) {
	return fakemail.IMAPS(cfg, func(tag string) string {
		time.Sleep(300 * time.Millisecond)
		tl.mu.Lock()
		tl.firstDone = time.Now()
		tl.mu.Unlock()
		if !ok {
			return tag + " NO [AUTHENTICATIONFAILED] Authentication failed."
		}
		return tag + " OK done"
	})
}

// authSMTPS offers AUTH PLAIN and notes when a password arrives and how
// many sessions said QUIT.
func authSMTPS(cfg *tls.Config, tl *timeline) func(net.Conn) {
	return fakemail.SMTPS(cfg, fakemail.SMTP{
		Extensions: []string{"AUTH PLAIN"},
		Auth: func() string {
			tl.mu.Lock()
			tl.auth = append(tl.auth, time.Now())
			tl.mu.Unlock()
			return "235 2.7.0 Authentication successful"
		},
		Quit: func() {
			tl.mu.Lock()
			tl.quits++
			tl.mu.Unlock()
		},
		Other: "502 5.5.2 Error: command not recognized",
	})
}

func runFirstAlone(t *testing.T, firstOK bool) (*Report, *timeline) {
	t.Helper()
	ca := testpki.NewCA(t, "Mail Doctor Test Root")
	const host = "mail.example.test"
	cfg := &tls.Config{Certificates: []tls.Certificate{ca.Leaf(t, testpki.LeafOptions{Names: []string{host}}).TLSCertificate(t)}}
	tl := &timeline{}
	addr := fakemail.StandardPorts(t, map[int]func(net.Conn){993: slowIMAPS(cfg, tl, firstOK), 465: authSMTPS(cfg, tl)})
	rep, err := Run(context.Background(), Options{
		Email: testUser, Password: pw(testPassword), HTTP: offline,
		Manual:  map[server.Protocol]string{server.IMAP: host + ":993", server.SMTP: host + ":465"},
		Resolve: map[string]string{host: addr}, Timeout: 3 * time.Second, Roots: ca.Pool(),
		Trust: trust.Policy{Typed: []string{host}},
	})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // the last QUIT may still be on its way
	tl.mu.Lock()
	defer tl.mu.Unlock()
	return rep, tl
}

// TestFirstLoginRunsAlone: the logins after the first open their
// connections early, but no password leaves before the first login's
// answer is in.
func TestFirstLoginRunsAlone(t *testing.T) {
	rep, tl := runFirstAlone(t, true)
	if len(tl.auth) != 1 {
		t.Fatalf("%d SMTP AUTH, want 1: %v", len(tl.auth), findingIDs(rep.Findings))
	}
	if tl.firstDone.IsZero() || !tl.auth[0].After(tl.firstDone) {
		t.Errorf("SMTP AUTH at %v, IMAP login answered at %v: the first login must run alone", tl.auth[0], tl.firstDone)
	}
	if r := endpoint(t, rep, server.SMTP, server.TLS); r.Auth != "ok" {
		t.Errorf("SMTP auth %q, want ok", r.Auth)
	}
}

// TestNoPasswordAfterRefusalFromAnEarlyConnection: after the first
// login's refusal, the SMTP connection opened early says QUIT with no
// AUTH, and the report says why.
func TestNoPasswordAfterRefusalFromAnEarlyConnection(t *testing.T) {
	rep, tl := runFirstAlone(t, false)
	if len(tl.auth) != 0 {
		t.Fatalf("%d SMTP AUTH after a refused password, want none", len(tl.auth))
	}
	// One QUIT from the probe's connection, one from the early login's.
	if tl.quits < 2 {
		t.Errorf("%d SMTP sessions said QUIT, want 2: the early login connection must end politely", tl.quits)
	}
	if !hasSkip(rep, skipAfterFailure) {
		t.Errorf("want auth.skipped after_failure: %v", findingIDs(rep.Findings))
	}
	if r := endpoint(t, rep, server.SMTP, server.TLS); r.Auth != "skipped" {
		t.Errorf("SMTP auth %q, want skipped", r.Auth)
	}
}
