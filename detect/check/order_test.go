package check

import (
	"bufio"
	"context"
	"crypto/tls"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/detect/trust"
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
	return func(raw net.Conn) {
		c := tls.Server(raw, cfg)
		if c.Handshake() != nil {
			return
		}
		w := bufio.NewWriter(c)
		say := func(s string) { _, _ = w.WriteString(s + "\r\n"); _ = w.Flush() }
		say("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] fake ready")
		r := bufio.NewReader(c)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			f := strings.Fields(line)
			if len(f) < 2 {
				continue
			}
			tag, cmd := f[0], strings.ToUpper(f[1])
			switch cmd {
			case "CAPABILITY":
				say("* CAPABILITY IMAP4rev1 AUTH=PLAIN")
			case "LOGIN", "AUTHENTICATE":
				time.Sleep(300 * time.Millisecond)
				tl.mu.Lock()
				tl.firstDone = time.Now()
				tl.mu.Unlock()
				if !ok {
					say(tag + " NO [AUTHENTICATIONFAILED] Authentication failed.")
					continue
				}
			case "LOGOUT":
				say("* BYE")
				say(tag + " OK bye")
				return
			}
			say(tag + " OK done")
		}
	}
}

// authSMTPS offers AUTH PLAIN and notes when a password arrives and how
// many sessions said QUIT.
func authSMTPS(cfg *tls.Config, tl *timeline) func(net.Conn) {
	return func(raw net.Conn) {
		c := tls.Server(raw, cfg)
		if c.Handshake() != nil {
			return
		}
		w := bufio.NewWriter(c)
		say := func(s string) { _, _ = w.WriteString(s + "\r\n"); _ = w.Flush() }
		say("220 fake ESMTP")
		r := bufio.NewReader(c)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			switch strings.ToUpper(strings.Fields(line + " x")[0]) {
			case "EHLO":
				say("250-fake")
				say("250 AUTH PLAIN")
			case "AUTH":
				tl.mu.Lock()
				tl.auth = append(tl.auth, time.Now())
				tl.mu.Unlock()
				say("235 2.7.0 Authentication successful")
			case "QUIT":
				tl.mu.Lock()
				tl.quits++
				tl.mu.Unlock()
				say("221 2.0.0 Bye")
				return
			default:
				say("502 5.5.2 Error: command not recognized")
			}
		}
	}
}

func runFirstAlone(t *testing.T, firstOK bool) (*Report, *timeline) {
	t.Helper()
	ca := testpki.NewCA(t, "Mail Doctor Test Root")
	const host = "mail.example.test"
	cfg := &tls.Config{Certificates: []tls.Certificate{ca.Leaf(t, testpki.LeafOptions{Names: []string{host}}).TLSCertificate(t)}}
	tl := &timeline{}
	addr := fakeServers(t, map[int]func(net.Conn){993: slowIMAPS(cfg, tl, firstOK), 465: authSMTPS(cfg, tl)})
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
