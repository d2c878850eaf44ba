package check

import (
	"context"
	"strings"
	"testing"
	"time"

	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/internal/postfixtest"
	"maildoctor.app/maildoctor/internal/testpki"
)

// Postfix is what most providers run for submission; its log counts the
// commands of every connection, so it shows exactly what the check said.
func startPostfix(t *testing.T) (*postfixtest.Server, *testpki.CA) {
	t.Helper()
	ca := testpki.NewCA(t, "Mail Doctor Test Root")
	pair := goodLeaf(t, ca)
	return postfixtest.Start(t, postfixtest.Config{CertPEM: pair.CertPEM, KeyPEM: pair.KeyPEM, Users: map[string]string{testUser: testPassword}}), ca
}

func runPostfix(t *testing.T, srv *postfixtest.Server, ca *testpki.CA, password string) *Report {
	t.Helper()
	rep, err := Run(context.Background(), Options{
		Email: testUser, Password: pw(password), HTTP: offline,
		Manual:  map[server.Protocol]string{server.SMTP: mailHost},
		Resolve: map[string]string{mailHost: srv.Addr}, Timeout: 5 * time.Second, Roots: ca.Pool(),
	})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// postfixSessions waits for Postfix to log n disconnects, one of them of
// the login, and returns them.
func postfixSessions(t *testing.T, srv *postfixtest.Server, n int) []string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		d := srv.Disconnects()
		if len(d) >= n && strings.Contains(strings.Join(d, "\n"), "auth=") {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	// Late sessions (the sweep's) may still be closing.
	time.Sleep(200 * time.Millisecond)
	return srv.Disconnects()
}

// TestPostfixSubmission: against a real Postfix on 465 and 587, the check
// logs in once on 465, says QUIT on every connection that spoke SMTP, and
// never sends a command Postfix does not know.
func TestPostfixSubmission(t *testing.T) {
	srv, ca := startPostfix(t)
	rep := runPostfix(t, srv, ca, testPassword)
	if r := endpoint(t, rep, server.SMTP, server.TLS); r.Auth != "ok" {
		t.Fatalf("465: auth %q, findings %v\n%s", r.Auth, findingIDs(rep.Findings), srv.Log())
	}
	if r := endpoint(t, rep, server.SMTP, server.StartTLS); r.Auth != "skipped" || r.TLS == nil || r.Greeting == "" || !strings.HasPrefix(r.Greeting, "220") {
		t.Errorf("587: auth %q tls %+v greeting %q", r.Auth, r.TLS, r.Greeting)
	}
	if r := endpoint(t, rep, server.SMTP, server.TLS); !strings.HasPrefix(r.Greeting, "220 ") {
		t.Errorf("465 greeting %q, want Postfix's 220 line", r.Greeting)
	}
	checkSessions(t, srv, 1, "auth=1")
}

// TestPostfixRefusedPassword: a refused password is one AUTH, then QUIT:
// no stray "*" line (Postfix would log it as unknown=0/1).
func TestPostfixRefusedPassword(t *testing.T) {
	srv, ca := startPostfix(t)
	rep := runPostfix(t, srv, ca, "wrong-password")
	if r := endpoint(t, rep, server.SMTP, server.TLS); r.Auth != "failed" {
		t.Fatalf("465: auth %q, findings %v", r.Auth, findingIDs(rep.Findings))
	}
	checkSessions(t, srv, 1, "auth=0/1")
}

func checkSessions(t *testing.T, srv *postfixtest.Server, wantAuth int, authCount string) {
	t.Helper()
	// The probe of 465 and 587, the plain-text look at 587, the login,
	// and the version sweep's connections.
	sessions := postfixSessions(t, srv, 4)
	auths := 0
	for _, s := range sessions {
		if strings.Contains(s, "unknown=") {
			t.Errorf("Postfix saw an unknown command: %s", s)
		}
		if strings.Contains(s, "auth=") {
			auths++
			if !strings.Contains(s, authCount) || !strings.Contains(s, "quit=1") {
				t.Errorf("login session %q, want %s and quit=1", s, authCount)
			}
		}
		if strings.Contains(s, "ehlo=") && !strings.Contains(s, "quit=1") {
			t.Errorf("session %q spoke SMTP and did not say QUIT", s)
		}
	}
	if auths != wantAuth {
		t.Errorf("%d sessions with AUTH, want %d:\n%s", auths, wantAuth, strings.Join(sessions, "\n"))
	}
}
