package probe

import (
	"crypto/tls"
	"errors"
	"net"
	"strings"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/server"
)

// heloName is what the probe calls itself in EHLO; it gives nothing away
// about the customer's machine.
const heloName = "localhost"

type smtpDialect struct{}

func (smtpDialect) plain(conn net.Conn, step func(int64)) (hello, error) {
	c := smtp.NewClient(conn)
	defer c.Close()
	if err := c.Hello(heloName); err != nil {
		return hello{}, err
	}
	starttls, _ := c.Extension("STARTTLS")
	// Dovecot announces a bare "AUTH" when it refuses clear-text logins.
	auth, mechs := c.Extension("AUTH")
	return hello{caps: smtpExtensions(c), startTLS: starttls, loginInClear: auth && strings.TrimSpace(mechs) != ""}, nil
}

func (smtpDialect) open(conn net.Conn, cfg *tls.Config, sec server.Security, step func(int64)) (session, error) {
	var c *smtp.Client
	if sec == server.StartTLS {
		var err error
		c, err = smtp.NewClientStartTLS(conn, cfg)
		if err != nil {
			var se *smtp.SMTPError
			if errors.As(err, &se) || strings.Contains(err.Error(), "doesn't support STARTTLS") {
				return nil, &refusedError{err}
			}
			return nil, err
		}
	} else {
		tc, err := implicitTLS(conn, cfg, step)
		if err != nil {
			return nil, err
		}
		c = smtp.NewClient(tc)
	}
	step(budgetGreeting)
	// The TLS handshake of STARTTLS and the EHLO over TLS happen here.
	if err := c.Hello(heloName); err != nil {
		c.Close()
		return nil, err
	}
	return &smtpSession{c: c}, nil
}

type smtpSession struct{ c *smtp.Client }

// errNoMechanism is a login not attempted because the server offers no
// mechanism the probe speaks.
var errNoMechanism = errors.New("the server offers no login mechanism over TLS: no password was sent")

func (s *smtpSession) caps() []string { return smtpExtensions(s.c) }

func (s *smtpSession) authMechanisms() []string {
	_, params := s.c.Extension("AUTH")
	return sortedCopy(strings.Fields(strings.ToUpper(params)))
}

// login uses AUTH PLAIN, or LOGIN for servers that only offer that, and
// nothing for a server that offers neither over TLS: it never asked for a
// password. Nothing is ever sent: no MAIL, no RCPT, no DATA.
func (s *smtpSession) login(user, pass string) error {
	var client sasl.Client
	switch {
	case s.c.SupportsAuth("PLAIN"):
		client = sasl.NewPlainClient("", user, pass)
	case s.c.SupportsAuth("LOGIN"):
		client = sasl.NewLoginClient(user, pass)
	default:
		return errNoMechanism
	}
	err := s.c.Auth(client)
	var se *smtp.SMTPError
	if errors.As(err, &se) && (se.Code == 535 || se.Code == 534 || se.Code == 530) {
		return &authError{err}
	}
	return err
}

func (s *smtpSession) inspect(func(int64)) (*Account, []finding.Finding) { return nil, nil }

func (s *smtpSession) close() {
	_ = s.c.Quit()
	s.c.Close()
}

// smtpExtensions lists the EHLO keywords go-smtp knows about. go-smtp
// keeps them private, so the common ones are asked for by name.
func smtpExtensions(c *smtp.Client) []string {
	var out []string
	for _, ext := range []string{"STARTTLS", "AUTH", "SIZE", "8BITMIME", "PIPELINING", "ENHANCEDSTATUSCODES", "SMTPUTF8", "CHUNKING", "DSN", "REQUIRETLS"} {
		if ok, params := c.Extension(ext); ok {
			out = append(out, strings.TrimSpace(ext+" "+params))
		}
	}
	return out
}
