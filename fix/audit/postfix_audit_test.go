package audit

import (
	"crypto/tls"
	"fmt"
	"net"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"maildoctor.app/maildoctor/internal/postfixtest"
	"maildoctor.app/maildoctor/internal/testpki"
)

// These tests make real submission logins against a real Postfix 3.7
// (internal/postfixtest) and read the log it wrote: nothing in them is a
// hand-written log line.

const postfixPass = "Audit-Postfix-1"

type realPostfix struct {
	srv *postfixtest.Server
	tls *tls.Config
}

// startPostfix starts Postfix with cfg and the test users. The test is
// skipped only when Postfix is not installed (scripts/install-deps.sh
// test installs it); any other reason it cannot start is a failure.
func startPostfix(t testing.TB, cfg postfixtest.Config, users ...string) realPostfix {
	t.Helper()
	if _, err := exec.LookPath("postfix"); err != nil {
		t.Skip("postfix not installed (scripts/install-deps.sh test)")
	}
	if err := postfixtest.Available(); err != nil {
		t.Fatalf("postfix is installed but cannot be started: %v", err)
	}
	ca := testpki.NewCA(t, "Mail Doctor Audit Postfix Root")
	pair := ca.Leaf(t, testpki.LeafOptions{Names: []string{mailHost}})
	cfg.CertPEM, cfg.KeyPEM, cfg.Hostname = pair.CertPEM, pair.KeyPEM, mailHost
	cfg.Users = map[string]string{}
	for _, u := range users {
		cfg.Users[u] = postfixPass
	}
	return realPostfix{srv: postfixtest.Start(t, cfg), tls: &tls.Config{ServerName: mailHost, RootCAs: ca.Pool()}}
}

// submission is one client session: STARTTLS on 587 or implicit TLS on
// 465, TLS up to max (and only suites, for TLS 1.2, when set), AUTH PLAIN,
// then messages messages (MAIL, RCPT and, for the first, DATA: Postfix
// logs the user only with the queue id of a message), then QUIT.
type submission struct {
	user     string
	starttls bool
	max      uint16
	suites   []uint16
	pass     string // default postfixPass
	messages int
}

func (p realPostfix) submit(t testing.TB, s submission) {
	t.Helper()
	conf := p.tls.Clone()
	conf.MinVersion, conf.MaxVersion, conf.CipherSuites = tls.VersionTLS12, s.max, s.suites
	var c *smtp.Client
	var err error
	if s.starttls {
		c, err = smtp.DialStartTLS(net.JoinHostPort(p.srv.Addr, "587"), conf)
	} else {
		c, err = smtp.DialTLS(net.JoinHostPort(p.srv.Addr, "465"), conf)
	}
	if err != nil {
		t.Fatalf("%s: dial: %v", s.user, err)
	}
	defer c.Close()
	pass := s.pass
	if pass == "" {
		pass = postfixPass
	}
	err = c.Auth(sasl.NewPlainClient("", s.user, pass))
	if s.pass != "" {
		if err == nil {
			t.Fatalf("%s: a wrong password was accepted", s.user)
		}
		_ = c.Quit()
		return
	}
	if err != nil {
		t.Fatalf("%s: auth: %v", s.user, err)
	}
	for i := 0; i < s.messages; i++ {
		if err := c.Mail(s.user, nil); err != nil {
			t.Fatalf("%s: MAIL: %v", s.user, err)
		}
		if err := c.Rcpt("someone@elsewhere.test", nil); err != nil {
			t.Fatalf("%s: RCPT: %v", s.user, err)
		}
		if i == 0 {
			w, err := c.Data()
			if err != nil {
				t.Fatalf("%s: DATA: %v", s.user, err)
			}
			fmt.Fprintf(w, "From: %s\r\nTo: someone@elsewhere.test\r\nSubject: audit test\r\n\r\nhello\r\n", s.user)
			if err := w.Close(); err != nil {
				t.Fatalf("%s: end of DATA: %v", s.user, err)
			}
		} else if err := c.Reset(); err != nil {
			t.Fatalf("%s: RSET: %v", s.user, err)
		}
	}
	if err := c.Quit(); err != nil {
		t.Fatalf("%s: QUIT: %v", s.user, err)
	}
}

// waitDisconnects waits until Postfix has logged n "disconnect from"
// lines (its processes log through postlogd, asynchronously).
func (p realPostfix) waitDisconnects(t testing.TB, n int) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		log := p.srv.Log()
		if strings.Count(log, " disconnect from ") >= n {
			return log
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d disconnect lines, want %d:\n%s", strings.Count(log, " disconnect from "), n, log)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

var postfixSessions = []submission{
	{user: "sub12@example.test", starttls: true, max: tls.VersionTLS12, messages: 1},
	{user: "sub13@example.test", starttls: true, max: tls.VersionTLS13, messages: 1},
	{user: "fine13@example.test", max: tls.VersionTLS13, messages: 2},
	{user: "fine12@example.test", max: tls.VersionTLS12, messages: 1},
	{user: "weak@example.test", max: tls.VersionTLS12, suites: []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA}, messages: 1},
	// Logs in and sends nothing: Postfix never names the user.
	{user: "idle@example.test", max: tls.VersionTLS13},
	// A wrong password: Postfix names the user in a warning, which is
	// no login.
	{user: "wrong@example.test", max: tls.VersionTLS13, pass: "not-the-password"},
}

// realPostfixLog starts Postfix with cfg, makes the sessions above and
// returns its log.
func realPostfixLog(t testing.TB, cfg postfixtest.Config) string {
	var users []string
	for _, s := range postfixSessions {
		users = append(users, s.user)
	}
	p := startPostfix(t, cfg, users...)
	for _, s := range postfixSessions {
		p.submit(t, s)
	}
	// postfixtest's readiness check connects to 587 and 465 once each.
	return p.waitDisconnects(t, 2+len(postfixSessions))
}

// postfixWant is what the audit must find for one mailbox.
type postfixWant struct {
	class    Class
	logins   int
	port     int
	security Security
	tls      string
	cipher   string
}

// TestRealPostfix: the audit finds each mailbox's class and its TLS in
// the log of a real Postfix, with the services named as Debian's
// master.cf suggests, with Postfix's default (every service logs as
// postfix/smtpd: the disconnect line's starttls= count tells STARTTLS
// from implicit TLS), and without smtpd_tls_loglevel (no TLS line:
// STARTTLS is still found, implicit TLS is unknown).
func TestRealPostfix(t *testing.T) {
	const (
		gcm12 = "ECDHE-ECDSA-AES128-GCM-SHA256"
		cbc12 = "ECDHE-ECDSA-AES128-SHA"
		aes13 = "TLS_AES_128_GCM_SHA256"
	)
	for _, c := range []struct {
		name string
		cfg  postfixtest.Config
		want map[string]postfixWant
		// logins without the port or the TLS version in Stats
		noPort, noVersion int64
	}{
		{"named services", postfixtest.Config{TLSLogLevel: 1, SyslogNames: true}, map[string]postfixWant{
			"sub12@example.test":  {ClassStartTLS, 1, 587, StartTLS, "1.2", gcm12},
			"sub13@example.test":  {ClassStartTLS, 1, 587, StartTLS, "1.3", aes13},
			"fine13@example.test": {ClassOK, 2, 465, Implicit, "1.3", aes13},
			"fine12@example.test": {ClassOK, 1, 465, Implicit, "1.2", gcm12},
			"weak@example.test":   {ClassWeakCipher, 1, 465, Implicit, "1.2", cbc12},
		}, 0, 0},
		{"unnamed services", postfixtest.Config{TLSLogLevel: 1}, map[string]postfixWant{
			"sub12@example.test":  {ClassStartTLS, 1, 0, StartTLS, "1.2", gcm12},
			"sub13@example.test":  {ClassStartTLS, 1, 0, StartTLS, "1.3", aes13},
			"fine13@example.test": {ClassOK, 2, 0, Implicit, "1.3", aes13},
			"fine12@example.test": {ClassOK, 1, 0, Implicit, "1.2", gcm12},
			"weak@example.test":   {ClassWeakCipher, 1, 0, Implicit, "1.2", cbc12},
		}, 0, 0},
		{"no TLS logging", postfixtest.Config{}, map[string]postfixWant{
			"sub12@example.test":  {ClassStartTLS, 1, 0, StartTLS, "", ""},
			"sub13@example.test":  {ClassStartTLS, 1, 0, StartTLS, "", ""},
			"fine13@example.test": {ClassUnknown, 2, 0, Unknown, "", ""},
			"fine12@example.test": {ClassUnknown, 1, 0, Unknown, "", ""},
			"weak@example.test":   {ClassUnknown, 1, 0, Unknown, "", ""},
		}, 4, 6},
	} {
		t.Run(c.name, func(t *testing.T) {
			log := realPostfixLog(t, c.cfg)
			a := readString(t, log, Options{WithIPs: true})
			ms := byAddress(a)
			for addr, w := range c.want {
				m := ms[addr]
				if m == nil {
					t.Errorf("%s: not found; mailboxes %v", addr, keys(ms))
					continue
				}
				if m.Class() != w.class || m.Logins != w.logins {
					t.Errorf("%s: class %s with %d logins, want %s with %d (%+v)", addr, m.Class(), m.Logins, w.class, w.logins, m.Access)
				}
				if len(m.Access) != 1 {
					t.Errorf("%s: access %+v", addr, m.Access)
					continue
				}
				x := m.Access[0]
				if x.Proto != "smtp" || x.Port != w.port || x.Security != w.security || x.TLS != w.tls || x.Cipher != w.cipher {
					t.Errorf("%s: access %+v, want port %d, %q, TLS %q %q", addr, x, w.port, w.security, w.tls, w.cipher)
				}
				if !reflect.DeepEqual(m.IPs, []string{"127.0.0.1"}) || m.Last.IsZero() {
					t.Errorf("%s: IPs %v, last seen %v", addr, m.IPs, m.Last)
				}
			}
			if len(ms) != len(c.want) {
				t.Errorf("mailboxes %v, want %d (idle@ sent nothing, wrong@ failed)", keys(ms), len(c.want))
			}
			st := a.Stats()
			if st.Logins != 6 || st.LoginsWithoutPort != c.noPort || st.LoginsWithoutTLSVersion != c.noVersion || st.Unknown == 0 || len(st.Warnings) != 0 {
				t.Errorf("stats %+v, want 6 logins, %d without port, %d without TLS version", st, c.noPort, c.noVersion)
			}
			if !strings.Contains(log, "sasl_username=wrong@example.test") {
				t.Errorf("the failed login is not in the log as expected:\n%s", log)
			}
			if t.Failed() {
				t.Logf("log:\n%s", log)
			}
		})
	}
}

// TestWriteRealPostfixLog writes a real Postfix log (services named,
// smtpd_tls_loglevel = 1) to $AUDIT_POSTFIX_LOG_OUT, the source of the
// fixture postfixLog (skipped without it).
func TestWriteRealPostfixLog(t *testing.T) {
	out := os.Getenv("AUDIT_POSTFIX_LOG_OUT")
	if out == "" {
		t.Skip("set AUDIT_POSTFIX_LOG_OUT=FILE to write a real Postfix log")
	}
	log := realPostfixLog(t, postfixtest.Config{TLSLogLevel: 1, SyslogNames: true})
	if err := os.WriteFile(out, []byte(log), 0o600); err != nil {
		t.Fatal(err)
	}
}
