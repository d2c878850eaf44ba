package probe

import (
	"crypto/tls"
	"errors"
	"net"
	"strings"

	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/probe/pop3"
	"maildoctor.app/maildoctor/detect/server"
)

type pop3Dialect struct{}

func (pop3Dialect) plain(conn net.Conn, step func(int64)) (hello, error) {
	c, err := pop3.NewClient(conn)
	if err != nil {
		return hello{}, err
	}
	defer c.Close()
	step(budgetGreeting)
	caps, err := c.Capa()
	var pe *pop3.Error
	if errors.As(err, &pe) {
		// A server without CAPA (RFC 2449) tells nothing: assume the worst
		// about clear-text logins and try STLS anyway.
		return hello{startTLS: true, loginInClear: true}, nil
	}
	if err != nil {
		return hello{}, err
	}
	_ = c.Quit()
	return hello{
		caps:     caps,
		startTLS: pop3.HasCapability(caps, "STLS"),
		// Dovecot lists a bare "SASL" when it refuses clear-text logins.
		loginInClear: pop3.HasCapability(caps, "USER") || saslMechanisms(caps) != nil,
	}, nil
}

func (pop3Dialect) open(conn net.Conn, cfg *tls.Config, sec server.Security, step func(int64)) (session, error) {
	var c *pop3.Client
	var err error
	if sec == server.StartTLS {
		if c, err = pop3.NewClient(conn); err != nil {
			return nil, err
		}
		step(budgetHandshake)
		if err := c.StartTLS(cfg); err != nil {
			c.Close()
			var pe *pop3.Error
			if errors.As(err, &pe) {
				return nil, &refusedError{err}
			}
			return nil, err
		}
	} else {
		tc, err := implicitTLS(conn, cfg, step)
		if err != nil {
			return nil, err
		}
		if c, err = pop3.NewClient(tc); err != nil {
			return nil, err
		}
	}
	step(budgetGreeting)
	caps, err := c.Capa()
	var pe *pop3.Error
	if err != nil && !errors.As(err, &pe) {
		c.Close()
		return nil, err
	}
	return &pop3Session{c: c, capList: caps}, nil
}

func (pop3Dialect) upgrade(conn net.Conn, cfg *tls.Config, step func(int64)) error {
	c, err := pop3.NewClient(conn)
	if err != nil {
		return err
	}
	defer c.Close()
	step(budgetHandshake)
	if err := c.StartTLS(cfg); err != nil {
		return err
	}
	return c.QuitNoWait()
}

type pop3Session struct {
	c       *pop3.Client
	capList []string
}

func (s *pop3Session) caps() []string { return s.capList }

func (s *pop3Session) authMechanisms() []string {
	mechs := saslMechanisms(s.capList)
	if pop3.HasCapability(s.capList, "USER") || len(s.capList) == 0 {
		mechs = append(mechs, "USER")
	}
	return sortedCopy(mechs)
}

// login uses USER/PASS, which every POP3 server has, unless the server
// only offers SASL PLAIN.
func (s *pop3Session) login(user, pass string) error {
	var err error
	if len(s.capList) > 0 && !pop3.HasCapability(s.capList, "USER") && hasSASL(s.capList, "PLAIN") {
		err = s.c.AuthPlain(user, pass)
	} else if pop3.HasCapability(s.capList, "PIPELINING") {
		err = s.c.UserPassPipelined(user, pass)
	} else if err = s.c.User(user); err == nil {
		err = s.c.Pass(pass)
	}
	var pe *pop3.Error
	if errors.As(err, &pe) && pe.Code != "SYS/TEMP" && pe.Code != "IN-USE" {
		return &authError{err}
	}
	return err
}

// inspect counts the messages and checks UIDL, without which "leave
// messages on the server" downloads everything again.
func (s *pop3Session) inspect(step func(int64)) (*Account, []finding.Finding) {
	acc := &Account{}
	var fs []finding.Finding
	var err error
	if pop3.HasCapability(s.capList, "PIPELINING") {
		step(budgetSession)
		n, size, statErr, _, uidlErr := s.c.StatUidlPipelined()
		if statErr == nil {
			acc.Messages, acc.SizeBytes = &n, size
		}
		err = uidlErr
	} else {
		step(budgetGreeting)
		if n, size, err := s.c.Stat(); err == nil {
			acc.Messages, acc.SizeBytes = &n, size
		}
		step(budgetSession)
		_, err = s.c.Uidl()
	}
	var pe *pop3.Error
	uidl := err == nil
	if err == nil || errors.As(err, &pe) {
		acc.UIDL = &uidl
	}
	// When CAPA already lacked UIDL, the probe has said so.
	if !uidl && pe != nil && (len(s.capList) == 0 || pop3.HasCapability(s.capList, "UIDL")) {
		fs = append(fs, finding.New(finding.POP3NoUIDL, finding.Warn, ""))
	}
	return acc, fs
}

func (s *pop3Session) close() {
	_ = s.c.QuitNoWait()
	s.c.Close()
}

func hasSASL(caps []string, mech string) bool {
	for _, m := range saslMechanisms(caps) {
		if m == mech {
			return true
		}
	}
	return false
}

// saslMechanisms lists the mechanisms of the CAPA "SASL" line.
func saslMechanisms(caps []string) []string {
	var mechs []string
	for _, l := range caps {
		f := strings.Fields(strings.ToUpper(l))
		if len(f) > 1 && f[0] == "SASL" {
			mechs = append(mechs, f[1:]...)
		}
	}
	return mechs
}
