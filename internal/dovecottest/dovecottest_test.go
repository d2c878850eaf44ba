package dovecottest

import (
	"bufio"
	"crypto/tls"
	"encoding/base64"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"maildoctor.app/maildoctor/internal/testpki"
)

const (
	alice    = "alice@example.test"
	alicePwd = "s3cret:with colon"
)

type fixture struct {
	ca  *testpki.CA
	cfg Config
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	ca := testpki.NewCA(t, "dovecottest CA")
	leaf := ca.Leaf(t, testpki.LeafOptions{Names: []string{Hostname}})
	return fixture{ca: ca, cfg: Config{
		CertPEM:  leaf.CertPEM,
		KeyPEM:   leaf.KeyPEM,
		Implicit: true,
		StartTLS: true,
		Users:    map[string]string{alice: alicePwd},
	}}
}

func (f fixture) tlsConfig() *tls.Config {
	return &tls.Config{RootCAs: f.ca.Pool(), ServerName: Hostname}
}

// textConn speaks line-based mail protocols for the tests.
type textConn struct {
	t    *testing.T
	s    *Server
	conn net.Conn
	r    *bufio.Reader
}

func dialPlain(t *testing.T, s *Server, port string) *textConn {
	t.Helper()
	c, err := net.DialTimeout("tcp", hostPort(s, port), 5*time.Second)
	if err != nil {
		t.Fatalf("dial %s: %v", port, err)
	}
	return wrap(t, s, c)
}

func dialTLS(t *testing.T, s *Server, port string, cfg *tls.Config) *textConn {
	t.Helper()
	d := &net.Dialer{Timeout: 5 * time.Second}
	c, err := tls.DialWithDialer(d, "tcp", hostPort(s, port), cfg)
	if err != nil {
		t.Fatalf("TLS dial %s: %v", port, err)
	}
	return wrap(t, s, c)
}

func hostPort(s *Server, port string) string {
	return net.JoinHostPort(s.Addr, strconv.Itoa(s.Port(port)))
}

func wrap(t *testing.T, s *Server, c net.Conn) *textConn {
	// Generous: a login after a failure waits out Dovecot's auth penalty.
	_ = c.SetDeadline(time.Now().Add(20 * time.Second))
	t.Cleanup(func() { c.Close() })
	return &textConn{t: t, s: s, conn: c, r: bufio.NewReader(c)}
}

func (c *textConn) line() string {
	c.t.Helper()
	l, err := c.r.ReadString('\n')
	if err != nil {
		c.t.Fatalf("read: %v (partial %q)\n%s", err, l, c.s.Log())
	}
	return strings.TrimRight(l, "\r\n")
}

func (c *textConn) send(cmd string) {
	c.t.Helper()
	if _, err := c.conn.Write([]byte(cmd + "\r\n")); err != nil {
		c.t.Fatalf("write %q: %v", cmd, err)
	}
}

// until reads lines up to and including the first one starting with
// prefix, and returns them all.
func (c *textConn) until(prefix string) []string {
	c.t.Helper()
	var lines []string
	for {
		l := c.line()
		lines = append(lines, l)
		if strings.HasPrefix(l, prefix) {
			return lines
		}
	}
}

func (c *textConn) startTLS(cfg *tls.Config) {
	c.t.Helper()
	tc := tls.Client(c.conn, cfg)
	if err := tc.Handshake(); err != nil {
		c.t.Fatalf("STARTTLS handshake: %v", err)
	}
	c.conn, c.r = tc, bufio.NewReader(tc)
}

func expectPrefix(t *testing.T, got, want string) {
	t.Helper()
	if !strings.HasPrefix(got, want) {
		t.Fatalf("got %q, want prefix %q", got, want)
	}
}

func quoted(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

func TestAvailable(t *testing.T) {
	if err := Available(); err != nil {
		t.Fatalf("Available: %v", err)
	}
}

func TestImplicitAndStartTLSGreetings(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	s := Start(t, f.cfg)

	expectPrefix(t, dialTLS(t, s, "imaps", f.tlsConfig()).line(), "* OK")
	expectPrefix(t, dialTLS(t, s, "pop3s", f.tlsConfig()).line(), "+OK")
	expectPrefix(t, dialTLS(t, s, "submissions", f.tlsConfig()).line(), "220 ")

	imap := dialPlain(t, s, "imap")
	expectPrefix(t, imap.line(), "* OK")
	imap.send("a CAPABILITY")
	caps := strings.Join(imap.until("a "), "\n")
	for _, want := range []string{"STARTTLS", "LOGINDISABLED"} {
		if !strings.Contains(caps, want) {
			t.Errorf("IMAP CAPABILITY lacks %s:\n%s", want, caps)
		}
	}
	imap.send("b STARTTLS")
	expectPrefix(t, imap.until("b ")[0], "b OK")
	imap.startTLS(f.tlsConfig())
	imap.send("c LOGIN " + quoted(alice) + " " + quoted(alicePwd))
	expectPrefix(t, last(imap.until("c ")), "c OK")

	pop := dialPlain(t, s, "pop3")
	expectPrefix(t, pop.line(), "+OK")
	pop.send("CAPA")
	if capa := strings.Join(pop.until("."), "\n"); !strings.Contains(capa, "STLS") {
		t.Errorf("POP3 CAPA lacks STLS:\n%s", capa)
	}

	sub := dialPlain(t, s, "submission")
	expectPrefix(t, sub.line(), "220 ")
	sub.send("EHLO client.example.test")
	if ehlo := strings.Join(sub.until("250 "), "\n"); !strings.Contains(ehlo, "STARTTLS") {
		t.Errorf("EHLO lacks STARTTLS:\n%s", ehlo)
	}
}

func last(lines []string) string { return lines[len(lines)-1] }

func TestFailedLoginIsCounted(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	s := Start(t, f.cfg)
	c := dialTLS(t, s, "imaps", f.tlsConfig())
	c.line()
	c.send("a LOGIN " + quoted(alice) + " wrong")
	expectPrefix(t, last(c.until("a ")), "a NO")
	if n := s.FailedLogins(); n != 1 {
		t.Fatalf("FailedLogins = %d after one wrong password, want 1\n%s", n, s.Log())
	}
	c.send("b LOGIN " + quoted(alice) + " " + quoted(alicePwd))
	expectPrefix(t, last(c.until("b ")), "b OK")
	if n := s.FailedLogins(); n != 1 {
		t.Fatalf("FailedLogins = %d after a good login, want still 1", n)
	}
}

func TestUnknownUserIsCounted(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	s := Start(t, f.cfg)
	c := dialTLS(t, s, "imaps", f.tlsConfig())
	c.line()
	c.send("a LOGIN nobody@example.test x")
	expectPrefix(t, last(c.until("a ")), "a NO")
	if n := s.FailedLogins(); n != 1 {
		t.Fatalf("FailedLogins = %d, want 1\n%s", n, s.Log())
	}
}

func TestMinTLS13RefusesTLS12Client(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.cfg.MinTLS = "TLSv1.3"
	f.cfg.StartTLS = false
	s := Start(t, f.cfg)

	old := f.tlsConfig()
	old.MaxVersion = tls.VersionTLS12
	if c, err := tls.Dial("tcp", hostPort(s, "imaps"), old); err == nil {
		c.Close()
		t.Fatal("TLS 1.2-only client completed a handshake with MinTLS TLSv1.3")
	}
	c := dialTLS(t, s, "imaps", f.tlsConfig())
	if v := c.conn.(*tls.Conn).ConnectionState().Version; v != tls.VersionTLS13 {
		t.Errorf("negotiated version %x, want TLS 1.3", v)
	}
}

func TestDefaultMinTLSRefusesTLS11Client(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.cfg.StartTLS = false
	s := Start(t, f.cfg)
	old := f.tlsConfig()
	old.MinVersion, old.MaxVersion = tls.VersionTLS11, tls.VersionTLS11
	if c, err := tls.Dial("tcp", hostPort(s, "imaps"), old); err == nil {
		c.Close()
		t.Fatal("TLS 1.1 client completed a handshake with the default MinTLS (TLSv1.2)")
	}
}

func TestMinTLS10AcceptsTLS10Client(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.cfg.MinTLS = "TLSv1"
	f.cfg.StartTLS = false
	s := Start(t, f.cfg)
	old := f.tlsConfig()
	old.MinVersion, old.MaxVersion = tls.VersionTLS10, tls.VersionTLS10
	c := dialTLS(t, s, "imaps", old)
	expectPrefix(t, c.line(), "* OK")
}

func TestListenersFollowConfig(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.cfg.StartTLS = false
	implicit := Start(t, f.cfg)
	f.cfg.StartTLS, f.cfg.Implicit = true, false
	starttls := Start(t, f.cfg)
	if implicit.Addr == starttls.Addr {
		t.Fatalf("two servers share address %s", implicit.Addr)
	}
	cases := []struct {
		s    *Server
		open []string
		shut []string
	}{
		{implicit, []string{"imaps", "pop3s", "submissions"}, []string{"imap", "pop3", "submission"}},
		{starttls, []string{"imap", "pop3", "submission"}, []string{"imaps", "pop3s", "submissions"}},
	}
	for _, tc := range cases {
		for _, p := range tc.open {
			c, err := net.DialTimeout("tcp", hostPort(tc.s, p), time.Second)
			if err != nil {
				t.Errorf("%s on %s: %v", p, tc.s.Addr, err)
				continue
			}
			c.Close()
		}
		for _, p := range tc.shut {
			if c, err := net.DialTimeout("tcp", hostPort(tc.s, p), time.Second); err == nil {
				c.Close()
				t.Errorf("%s on %s accepted a connection but is not configured", p, tc.s.Addr)
			}
		}
	}
}

func TestTwoServersAreIsolated(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	a := Start(t, f.cfg)
	b := Start(t, f.cfg)
	if a.Addr == b.Addr || a.LogPath == b.LogPath {
		t.Fatalf("servers share Addr or LogPath: %s %s", a.Addr, a.LogPath)
	}
	c := dialTLS(t, a, "imaps", f.tlsConfig())
	c.line()
	c.send("a LOGIN " + quoted(alice) + " wrong")
	c.until("a ")
	expectPrefix(t, dialTLS(t, b, "imaps", f.tlsConfig()).line(), "* OK")
	if a.FailedLogins() != 1 || b.FailedLogins() != 0 {
		t.Fatalf("FailedLogins a=%d b=%d, want 1 and 0", a.FailedLogins(), b.FailedLogins())
	}
}

func TestStopReleasesEverything(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	s := Start(t, f.cfg)
	base := s.rootDir
	s.Stop()
	s.Stop() // idempotent
	if c, err := net.DialTimeout("tcp", hostPort(s, "imaps"), time.Second); err == nil {
		c.Close()
		t.Fatal("imaps still accepts connections after Stop")
	}
	if _, err := os.Stat(base); !os.IsNotExist(err) {
		t.Fatalf("base_dir %s still exists after Stop: %v", base, err)
	}
	if !portsFree(s.Addr) {
		t.Fatal("ports still bound after Stop")
	}
}

func login(t *testing.T, f fixture, s *Server) *textConn {
	t.Helper()
	c := dialTLS(t, s, "imaps", f.tlsConfig())
	c.line()
	c.send("a LOGIN " + quoted(alice) + " " + quoted(alicePwd))
	if l := last(c.until("a ")); !strings.HasPrefix(l, "a OK") {
		t.Fatalf("login: %q\n%s", l, s.Log())
	}
	return c
}

func TestQuotaAndSpecialUse(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.cfg.Quota = true
	c := login(t, f, Start(t, f.cfg))
	c.send("q GETQUOTAROOT INBOX")
	lines := c.until("q ")
	expectPrefix(t, last(lines), "q OK")
	if !strings.Contains(strings.Join(lines, "\n"), "STORAGE 0 102400") {
		t.Errorf("GETQUOTAROOT:\n%s", strings.Join(lines, "\n"))
	}
	c.send(`l LIST (SPECIAL-USE) "" "*"`)
	list := strings.Join(c.until("l "), "\n")
	for _, want := range []string{`\Sent`, `\Drafts`, `\Trash`, `\Junk`} {
		if !strings.Contains(list, want) {
			t.Errorf("special-use LIST lacks %s:\n%s", want, list)
		}
	}
}

func TestNoSentFolderNoQuota(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.cfg.NoSentFolder = true
	c := login(t, f, Start(t, f.cfg))
	c.send(`l LIST "" "*" RETURN (SPECIAL-USE)`)
	list := strings.Join(c.until("l "), "\n")
	if strings.Contains(list, `\Sent`) || !strings.Contains(list, `\Drafts`) {
		t.Errorf("LIST with NoSentFolder:\n%s", list)
	}
	c.send("q GETQUOTAROOT INBOX")
	expectPrefix(t, last(c.until("q ")), "q BAD")
}

func TestAllowPlaintextAuth(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.cfg.AllowPlaintextAuth = true
	f.cfg.Implicit = false
	s := Start(t, f.cfg)
	c := dialPlain(t, s, "imap")
	if g := c.line(); strings.Contains(g, "LOGINDISABLED") {
		t.Fatalf("greeting advertises LOGINDISABLED: %q", g)
	}
	c.send("a LOGIN " + quoted(alice) + " " + quoted(alicePwd))
	expectPrefix(t, last(c.until("a ")), "a OK")
}

func TestPOP3AndSubmissionAuth(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	s := Start(t, f.cfg)

	pop := dialTLS(t, s, "pop3s", f.tlsConfig())
	pop.line()
	pop.send("USER " + alice)
	expectPrefix(t, pop.line(), "+OK")
	pop.send("PASS " + alicePwd)
	expectPrefix(t, pop.line(), "+OK")
	pop.send("UIDL")
	expectPrefix(t, pop.line(), "+OK")
	pop.until(".")

	sub := dialTLS(t, s, "submissions", f.tlsConfig())
	sub.line()
	sub.send("EHLO client.example.test")
	ehlo := strings.Join(sub.until("250 "), "\n")
	if !strings.Contains(ehlo, "AUTH PLAIN LOGIN") {
		t.Errorf("EHLO over TLS lacks AUTH PLAIN LOGIN:\n%s", ehlo)
	}
	sub.send("AUTH PLAIN " + base64.StdEncoding.EncodeToString([]byte("\x00"+alice+"\x00"+alicePwd)))
	expectPrefix(t, sub.line(), "235 ")
	// After AUTH Dovecot talks to its relay; the session must go on.
	sub.send("MAIL FROM:<" + alice + ">")
	expectPrefix(t, sub.line(), "554 ")
	sub.send("QUIT")
	expectPrefix(t, sub.line(), "221 ")
}

func TestOddTestNameStillStarts(t *testing.T) {
	t.Parallel()
	t.Run("100% odd name", func(t *testing.T) {
		f := newFixture(t)
		f.cfg.StartTLS = false
		s := Start(t, f.cfg)
		if strings.ContainsAny(s.LogPath, "% ") {
			t.Errorf("LogPath %q holds characters Dovecot would mangle", s.LogPath)
		}
		login(t, f, s)
	})
}

func TestIsFailedLogin(t *testing.T) {
	for line, want := range map[string]bool{
		"2026-01-02 03:04:05 auth: Info: passwd-file(a@b,127.0.0.1,<x>): Password mismatch": true,
		"2026-01-02 03:04:05 auth: Info: passwd-file(a@b,127.0.0.1,<x>): unknown user":      true,
		"2026-01-02 03:04:05 imap-login: Info: Disconnected (auth failed, 1 attempts)":      false,
		"": false,
	} {
		if got := isFailedLogin(line); got != want {
			t.Errorf("isFailedLogin(%q) = %v, want %v", line, got, want)
		}
	}
}
