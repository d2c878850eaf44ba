package probe

import (
	"crypto/tls"
	"fmt"
	"net"

	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/server"
)

// hello is what a server says about itself before TLS.
type hello struct {
	caps     []string
	startTLS bool
	// loginInClear: the server would take a password before TLS.
	loginInClear bool
}

// session is a protocol conversation over TLS.
type session interface {
	caps() []string
	authMechanisms() []string
	// login makes the one login attempt; a wrong password is *authError.
	login(user, pass string) error
	// inspect looks at the account after a login.
	inspect(step func(budget int64)) (*Account, []finding.Finding)
	close()
}

// dialect is one mail protocol. step starts a new step (deadline and read
// budget) on the connection; implementations call it between exchanges.
type dialect interface {
	// plain reads the greeting and capabilities on a plain-text
	// connection, and says whether STARTTLS is offered.
	plain(conn net.Conn, step func(budget int64)) (hello, error)
	// open secures conn (implicit TLS or STARTTLS, as sec says) with cfg and
	// reads the capabilities offered over TLS.
	open(conn net.Conn, cfg *tls.Config, sec server.Security, step func(budget int64)) (session, error)
	// upgrade does STARTTLS on conn up to the end of the TLS handshake
	// and no further: whether a TLS version is agreed.
	upgrade(conn net.Conn, cfg *tls.Config, step func(budget int64)) error
}

func dialectFor(p server.Protocol) (dialect, error) {
	switch p {
	case server.IMAP:
		return imapDialect{}, nil
	case server.POP3:
		return pop3Dialect{}, nil
	case server.SMTP:
		return smtpDialect{}, nil
	}
	return nil, fmt.Errorf("unknown protocol %q", p)
}

// implicitTLS does the handshake that starts an implicit-TLS connection.
// On a stepConn, the first bytes read inside TLS are kept as the clear
// text the server greeted with (stepConn.clearRead).
func implicitTLS(conn net.Conn, cfg *tls.Config, step func(int64)) (net.Conn, error) {
	tc := tls.Client(conn, cfg)
	if err := tc.Handshake(); err != nil {
		return nil, err
	}
	step(budgetGreeting)
	if sc, ok := conn.(*stepConn); ok {
		return &clearConn{Conn: tc, sc: sc}, nil
	}
	return tc, nil
}

// authError is a server's "wrong user name or password".
type authError struct{ err error }

func (e *authError) Error() string { return e.err.Error() }
func (e *authError) Unwrap() error { return e.err }

// Account is what a login showed about the mailbox.
type Account struct {
	Folders      int    `json:"folders,omitempty"`
	SentFolder   string `json:"sent_folder,omitempty"`
	QuotaUsedKB  int64  `json:"quota_used_kb,omitempty"`
	QuotaLimitKB int64  `json:"quota_limit_kb,omitempty"`
	Messages     *int   `json:"messages,omitempty"`
	SizeBytes    int64  `json:"size_bytes,omitempty"`
	UIDL         *bool  `json:"uidl,omitempty"`
}
