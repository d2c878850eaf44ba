package probe

import (
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"strings"

	"github.com/emersion/go-sasl"

	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/server"
)

// heloName is what the probe calls itself in EHLO; it gives nothing away
// about the customer's machine.
const heloName = "localhost"

type smtpDialect struct{}

func (smtpDialect) plain(conn net.Conn, step func(int64)) (hello, error) {
	c := newSMTPClient(conn)
	defer c.close()
	if err := c.hello(); err != nil {
		return hello{}, err
	}
	defer c.quitNoWait()
	starttls, _ := c.extension("STARTTLS")
	// Dovecot announces a bare "AUTH" when it refuses clear-text logins.
	auth, mechs := c.extension("AUTH")
	return hello{caps: smtpExtensions(c), startTLS: starttls, loginInClear: auth && strings.TrimSpace(mechs) != ""}, nil
}

func (smtpDialect) open(conn net.Conn, cfg *tls.Config, sec server.Security, step func(int64)) (session, error) {
	var c *smtpClient
	if sec == server.StartTLS {
		c = newSMTPClient(conn)
		if err := c.hello(); err != nil {
			return nil, err
		}
		if err := c.startTLS(cfg); err != nil {
			c.close()
			return nil, err
		}
	} else {
		tc, err := implicitTLS(conn, cfg, step)
		if err != nil {
			return nil, err
		}
		c = newSMTPClient(tc)
	}
	step(budgetGreeting)
	// The EHLO over TLS.
	if err := c.hello(); err != nil {
		c.close()
		return nil, err
	}
	return &smtpSession{c: c}, nil
}

func (smtpDialect) upgrade(conn net.Conn, cfg *tls.Config, step func(int64)) error {
	c := newSMTPClient(conn)
	defer c.close()
	if err := c.hello(); err != nil {
		return err
	}
	if err := c.startTLS(cfg); err != nil {
		return err
	}
	c.quitNoWait()
	return nil
}

// smtpClient is the little of SMTP the probe speaks: greeting, EHLO,
// STARTTLS, AUTH and QUIT. It is its own (not go-smtp's) so that a
// refused password ends with QUIT alone: go-smtp answers every refusal
// with a "*" line that servers count as an unknown command.
type smtpClient struct {
	conn    net.Conn
	text    *textproto.Conn
	greeted bool
	ext     map[string]string
}

func newSMTPClient(conn net.Conn) *smtpClient {
	return &smtpClient{conn: conn, text: textproto.NewConn(conn)}
}

// smtpError is a server's reply with a code other than the one expected.
type smtpError struct {
	Code int
	Msg  string
}

func (e *smtpError) Error() string { return fmt.Sprintf("SMTP error %d: %s", e.Code, e.Msg) }

func asSMTPError(err error) error {
	var te *textproto.Error
	if errors.As(err, &te) {
		return &smtpError{Code: te.Code, Msg: te.Msg}
	}
	return err
}

// cmd sends one command and reads its reply, which must have expect's
// code (0: any).
func (c *smtpClient) cmd(expect int, format string, args ...interface{}) (int, string, error) {
	if err := c.text.PrintfLine(format, args...); err != nil {
		return 0, "", err
	}
	code, msg, err := c.text.ReadResponse(expect)
	return code, msg, asSMTPError(err)
}

// hello reads the greeting once, then says EHLO (HELO for a server that
// knows no EHLO) and keeps the extensions.
func (c *smtpClient) hello() error {
	if !c.greeted {
		if _, _, err := c.text.ReadResponse(220); err != nil {
			return asSMTPError(err)
		}
		c.greeted = true
	}
	_, msg, err := c.cmd(250, "EHLO %s", heloName)
	var se *smtpError
	if errors.As(err, &se) && (se.Code == 500 || se.Code == 502) {
		_, _, err = c.cmd(250, "HELO %s", heloName)
		c.ext = map[string]string{}
		return err
	}
	if err != nil {
		return err
	}
	c.ext = map[string]string{}
	lines := strings.Split(msg, "\n")
	for _, l := range lines[1:] {
		kv := strings.SplitN(strings.TrimSpace(l), " ", 2)
		k := strings.ToUpper(kv[0])
		if k == "" {
			continue
		}
		v := ""
		if len(kv) > 1 {
			v = kv[1]
		}
		c.ext[k] = v
	}
	return nil
}

func (c *smtpClient) extension(name string) (bool, string) {
	v, ok := c.ext[strings.ToUpper(name)]
	return ok, v
}

// startTLS upgrades the connection; a server that does not offer it or
// says no is a *refusedError.
func (c *smtpClient) startTLS(cfg *tls.Config) error {
	if ok, _ := c.extension("STARTTLS"); !ok {
		return &refusedError{errors.New("the server doesn't support STARTTLS")}
	}
	if _, _, err := c.cmd(220, "STARTTLS"); err != nil {
		var se *smtpError
		if errors.As(err, &se) {
			return &refusedError{err}
		}
		return err
	}
	tc := tls.Client(c.conn, cfg)
	if err := tc.Handshake(); err != nil {
		return err
	}
	c.conn, c.text = tc, textproto.NewConn(tc)
	c.ext = nil
	return nil
}

func (c *smtpClient) supportsAuth(mech string) bool {
	ok, params := c.extension("AUTH")
	if !ok {
		return false
	}
	for _, m := range strings.Fields(params) {
		if strings.EqualFold(m, mech) {
			return true
		}
	}
	return false
}

// auth runs one SASL exchange. A final reply other than 235 ends it as it
// is: "*" cancels only an exchange the client itself cannot continue.
func (c *smtpClient) auth(a sasl.Client) error {
	mech, resp, err := a.Start()
	if err != nil {
		return err
	}
	line := "AUTH " + mech
	if len(resp) > 0 {
		line += " " + base64.StdEncoding.EncodeToString(resp)
	} else if resp != nil {
		line += " ="
	}
	code, msg, err := c.cmd(0, "%s", line)
	for err == nil {
		switch code {
		case 235:
			return nil
		case 334:
			challenge, derr := base64.StdEncoding.DecodeString(msg)
			if derr == nil {
				resp, derr = a.Next(challenge)
			}
			if derr != nil {
				_, _, _ = c.cmd(0, "*")
				return derr
			}
			code, msg, err = c.cmd(0, "%s", base64.StdEncoding.EncodeToString(resp))
		default:
			return &smtpError{Code: code, Msg: msg}
		}
	}
	return err
}

// quitNoWait says goodbye without waiting for the answer, which tells
// nothing and would cost a round trip.
func (c *smtpClient) quitNoWait() {
	_ = c.text.PrintfLine("QUIT")
}

func (c *smtpClient) close() { c.conn.Close() }

type smtpSession struct{ c *smtpClient }

// errNoMechanism is a login not attempted because the server offers no
// mechanism the probe speaks.
var errNoMechanism = errors.New("the server offers no login mechanism over TLS: no password was sent")

func (s *smtpSession) caps() []string { return smtpExtensions(s.c) }

func (s *smtpSession) authMechanisms() []string {
	_, params := s.c.extension("AUTH")
	return sortedCopy(strings.Fields(strings.ToUpper(params)))
}

// login uses AUTH PLAIN, or LOGIN for servers that only offer that, and
// nothing for a server that offers neither over TLS: it never asked for a
// password. Nothing is ever sent: no MAIL, no RCPT, no DATA.
func (s *smtpSession) login(user, pass string) error {
	var client sasl.Client
	switch {
	case s.c.supportsAuth("PLAIN"):
		client = sasl.NewPlainClient("", user, pass)
	case s.c.supportsAuth("LOGIN"):
		client = sasl.NewLoginClient(user, pass)
	default:
		return errNoMechanism
	}
	err := s.c.auth(client)
	var se *smtpError
	if errors.As(err, &se) && (se.Code == 535 || se.Code == 534 || se.Code == 530) {
		return &authError{err}
	}
	return err
}

func (s *smtpSession) inspect(func(int64)) (*Account, []finding.Finding) { return nil, nil }

func (s *smtpSession) close() {
	s.c.quitNoWait()
	s.c.close()
}

// smtpExtensions lists the common EHLO keywords the server announced,
// as "KEYWORD params", in a fixed order.
func smtpExtensions(c *smtpClient) []string {
	var out []string
	for _, ext := range []string{"STARTTLS", "AUTH", "SIZE", "8BITMIME", "PIPELINING", "ENHANCEDSTATUSCODES", "SMTPUTF8", "CHUNKING", "DSN", "REQUIRETLS"} {
		if ok, params := c.extension(ext); ok {
			out = append(out, strings.TrimSpace(ext+" "+params))
		}
	}
	return out
}
