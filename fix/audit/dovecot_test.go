package audit

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"maildoctor.app/maildoctor/internal/dovecottest"
	"maildoctor.app/maildoctor/internal/testpki"
)

// These tests make real logins against a real Dovecot 2.3 and read the log
// it wrote: nothing in them is a hand-written log line.

const mailHost = dovecottest.Hostname

// richElements is the login_log_format_elements recommended in
// docs/audit.md: Dovecot's default plus the local port and the TLS details.
const richElements = `"user=<%u> method=%m rip=%r lip=%l lport=%{lport} mpid=%e %c %k session=<%{session}>"`

type realServer struct {
	srv  *dovecottest.Server
	tls  *tls.Config
	pass string
}

func startServer(t testing.TB, cfg dovecottest.Config, users ...string) realServer {
	t.Helper()
	if err := dovecottest.Available(); err != nil {
		t.Skipf("dovecot: %v", err)
	}
	ca := testpki.NewCA(t, "Mail Doctor Audit Test Root")
	pair := ca.Leaf(t, testpki.LeafOptions{Names: []string{mailHost}})
	cfg.CertPEM, cfg.KeyPEM = pair.CertPEM, pair.KeyPEM
	const pass = "Audit-Password-1"
	cfg.Users = map[string]string{}
	for _, u := range users {
		cfg.Users[u] = pass
	}
	s := dovecottest.Start(t, cfg)
	return realServer{srv: s, tls: &tls.Config{ServerName: mailHost, RootCAs: ca.Pool()}, pass: pass}
}

func (r realServer) addr(port int) string {
	return net.JoinHostPort(r.srv.Addr, fmt.Sprint(port))
}

// tlsConf returns the client TLS configuration limited to [min, max].
func (r realServer) tlsConf(min, max uint16) *tls.Config {
	c := r.tls.Clone()
	c.MinVersion, c.MaxVersion = min, max
	return c
}

// thunderbirdID and outlookID are the IMAP ID that Thunderbird 115 and
// Outlook send (Outlook sends only its name and version).
var (
	thunderbirdID = &imap.IDData{Name: "Thunderbird", Version: "115.15.0"}
	outlookID     = &imap.IDData{Name: "Microsoft Outlook", Version: "16.0.17928"}
)

// imapLogin logs user in over IMAP: STARTTLS on 143 or implicit TLS on
// 993, sending id (if any) before LOGIN as real clients do.
func (r realServer) imapLogin(t testing.TB, user string, starttls bool, conf *tls.Config, id *imap.IDData) {
	t.Helper()
	opts := &imapclient.Options{TLSConfig: conf}
	var c *imapclient.Client
	var err error
	if starttls {
		c, err = imapclient.DialStartTLS(r.addr(143), opts)
	} else {
		c, err = imapclient.DialTLS(r.addr(993), opts)
	}
	if err != nil {
		t.Fatalf("imap dial: %v", err)
	}
	defer c.Close()
	if id != nil {
		if _, err := c.ID(id).Wait(); err != nil {
			t.Fatalf("imap ID: %v", err)
		}
	}
	if err := c.Login(user, r.pass).Wait(); err != nil {
		t.Fatalf("imap login %s: %v", user, err)
	}
	if err := c.Logout().Wait(); err != nil {
		t.Fatalf("imap logout: %v", err)
	}
}

// pop3Login logs user in over POP3: STLS on 110 or implicit TLS on 995.
func (r realServer) pop3Login(t testing.TB, user string, starttls bool, conf *tls.Config) {
	t.Helper()
	var conn net.Conn
	var err error
	if starttls {
		conn, err = net.DialTimeout("tcp", r.addr(110), 5*time.Second)
	} else {
		conn, err = tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", r.addr(995), conf)
	}
	if err != nil {
		t.Fatalf("pop3 dial: %v", err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	br := bufio.NewReader(conn)
	cmd := func(line string) string {
		if line != "" {
			fmt.Fprintf(conn, "%s\r\n", line)
		}
		reply, err := br.ReadString('\n')
		if err != nil || !strings.HasPrefix(reply, "+OK") {
			t.Fatalf("pop3 %q: %q %v", strings.Fields(line + " x")[0], reply, err)
		}
		return reply
	}
	cmd("")
	if starttls {
		cmd("STLS")
		tc := tls.Client(conn, conf)
		if err := tc.Handshake(); err != nil {
			t.Fatalf("pop3 STLS handshake: %v", err)
		}
		conn = tc
		br = bufio.NewReader(conn)
	}
	cmd("USER " + user)
	cmd("PASS " + r.pass)
	cmd("QUIT")
}

// submissionLogin logs user in over submission: STARTTLS on 587 or
// implicit TLS on 465.
func (r realServer) submissionLogin(t testing.TB, user string, starttls bool, conf *tls.Config) {
	t.Helper()
	var c *smtp.Client
	var err error
	if starttls {
		c, err = smtp.DialStartTLS(r.addr(587), conf)
	} else {
		c, err = smtp.DialTLS(r.addr(465), conf)
	}
	if err != nil {
		t.Fatalf("submission dial: %v", err)
	}
	defer c.Close()
	if err := c.Auth(sasl.NewPlainClient("", user, r.pass)); err != nil {
		t.Fatalf("submission auth %s: %v", user, err)
	}
	_ = c.Quit()
}

// waitLog waits until the log holds n lines containing want: Dovecot's
// processes write asynchronously.
func (r realServer) waitLog(t testing.TB, want string, n int) string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		log := r.srv.Log()
		if strings.Count(log, want) >= n || time.Now().After(deadline) {
			return log
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// realLog makes one mailbox of each class log in to a real Dovecot that
// logs the richer elements and IMAP ID, and returns Dovecot's log.
func realLog(t testing.TB) string {
	r := startServer(t, dovecottest.Config{Implicit: true, StartTLS: true, MinTLS: "TLSv1", AllowPlaintextAuth: true,
		LoginLogFormatElements: richElements, IMAPIDLog: "*"},
		"starttls@example.test", "legacy10@example.test", "legacy11@example.test", "weak@example.test",
		"fine@example.test", "pop@example.test", "sub@example.test", "plain@example.test", "Mixed.Case@example.test")
	modern := r.tlsConf(tls.VersionTLS12, tls.VersionTLS13)
	r.imapLogin(t, "starttls@example.test", true, modern, thunderbirdID)
	r.imapLogin(t, "legacy10@example.test", false, r.tlsConf(tls.VersionTLS10, tls.VersionTLS10), outlookID)
	r.pop3Login(t, "legacy11@example.test", false, r.tlsConf(tls.VersionTLS11, tls.VersionTLS11))
	weak := r.tlsConf(tls.VersionTLS12, tls.VersionTLS12)
	weak.CipherSuites = []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA}
	r.imapLogin(t, "weak@example.test", false, weak, outlookID)
	r.imapLogin(t, "fine@example.test", false, r.tlsConf(tls.VersionTLS13, tls.VersionTLS13), thunderbirdID)
	r.imapLogin(t, "fine@example.test", false, r.tlsConf(tls.VersionTLS12, tls.VersionTLS12), outlookID)
	r.submissionLogin(t, "fine@example.test", false, modern)
	r.pop3Login(t, "fine@example.test", false, modern)
	r.pop3Login(t, "pop@example.test", true, modern)
	r.submissionLogin(t, "sub@example.test", true, modern)
	r.imapPlainLogin(t, "plain@example.test")
	r.imapLogin(t, "Mixed.Case@example.test", false, modern, nil)
	return r.waitLog(t, "Login: ", 12)
}

// imapPlainLogin logs in on 143 without STARTTLS (the server allows it).
func (r realServer) imapPlainLogin(t testing.TB, user string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", r.addr(143), 5*time.Second)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	c := imapclient.New(conn, nil)
	defer c.Close()
	if err := c.Login(user, r.pass).Wait(); err != nil {
		t.Fatalf("plain login: %v", err)
	}
	_ = c.Logout().Wait()
}
