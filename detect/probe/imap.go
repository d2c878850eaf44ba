package probe

import (
	"crypto/tls"
	"errors"
	"net"
	"strconv"
	"strings"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/server"
)

type imapDialect struct{}

func (imapDialect) plain(conn net.Conn, step func(int64)) (hello, error) {
	c := imapclient.New(conn, nil)
	defer c.Close()
	if err := c.WaitGreeting(); err != nil {
		return hello{}, err
	}
	step(budgetGreeting)
	caps, err := c.Capability().Wait()
	if err != nil {
		return hello{}, err
	}
	c.Logout()
	return hello{
		caps:         capList(caps),
		startTLS:     caps.Has(imap.CapStartTLS),
		loginInClear: !caps.Has(imap.CapLoginDisabled),
	}, nil
}

func (imapDialect) open(conn net.Conn, cfg *tls.Config, sec server.Security, step func(int64)) (session, error) {
	var c *imapclient.Client
	if sec == server.StartTLS {
		var err error
		c, err = imapclient.NewStartTLS(conn, &imapclient.Options{TLSConfig: cfg})
		if err != nil {
			var ie *imap.Error
			if errors.As(err, &ie) {
				return nil, &refusedError{err}
			}
			return nil, err
		}
	} else {
		tc, err := implicitTLS(conn, cfg, step)
		if err != nil {
			return nil, err
		}
		c = imapclient.New(tc, nil)
		if err := c.WaitGreeting(); err != nil {
			c.Close()
			return nil, err
		}
	}
	step(budgetGreeting)
	// The capabilities the greeting announced (over TLS) serve; a server
	// that announced none, or STARTTLS, is asked.
	caps := c.Caps()
	if caps == nil {
		var err error
		if caps, err = c.Capability().Wait(); err != nil {
			c.Close()
			return nil, err
		}
	}
	return &imapSession{c: c, capSet: caps}, nil
}

func (imapDialect) upgrade(conn net.Conn, cfg *tls.Config, step func(int64)) error {
	c, err := imapclient.NewStartTLS(conn, &imapclient.Options{TLSConfig: cfg})
	if err != nil {
		return err
	}
	// NewStartTLS returns after the handshake: the version is agreed.
	// What the goodbye meets (LOGOUT is not waited for, so the reader may
	// see its tagged reply after Close) does not change that answer.
	c.Logout()
	_ = c.Close()
	return nil
}

type imapSession struct {
	c      *imapclient.Client
	capSet imap.CapSet
}

func (s *imapSession) caps() []string { return capList(s.capSet) }

func (s *imapSession) authMechanisms() []string {
	mechs := s.capSet.AuthMechanisms()
	if !s.capSet.Has(imap.CapLoginDisabled) {
		mechs = append(mechs, "LOGIN-COMMAND")
	}
	return sortedCopy(mechs)
}

func (s *imapSession) login(user, pass string) error {
	err := s.c.Login(user, pass).Wait()
	var ie *imap.Error
	if errors.As(err, &ie) && ie.Type == imap.StatusResponseTypeNo && !temporary(ie.Code) {
		return &authError{err}
	}
	return err
}

// temporary tells a server's own trouble (RFC 5530 codes) from a refused
// password: only the latter is "auth.failed".
func temporary(code imap.ResponseCode) bool {
	switch code {
	case imap.ResponseCodeUnavailable, imap.ResponseCodeServerBug, imap.ResponseCodeInUse, imap.ResponseCodeLimit:
		return true
	}
	return false
}

// inspect lists the folders (is there one marked \Sent?) and reads the
// quota when the server offers it.
func (s *imapSession) inspect(step func(int64)) (*Account, []finding.Finding) {
	acc := &Account{}
	var fs []finding.Finding
	step(budgetSession)
	// Servers announce more after login (Dovecot adds QUOTA, SPECIAL-USE).
	if caps := s.c.Caps(); caps != nil {
		s.capSet = caps
	}
	var opts *imap.ListOptions
	if s.capSet.Has(imap.CapSpecialUse) {
		opts = &imap.ListOptions{ReturnSpecialUse: true}
	}
	// LIST and GETQUOTAROOT go out together: one round trip for both.
	listCmd := s.c.List("", "*", opts)
	var quotaCmd *imapclient.GetQuotaRootCommand
	if s.capSet.Has(imap.CapQuota) {
		quotaCmd = s.c.GetQuotaRoot("INBOX")
	}
	list, err := listCmd.Collect()
	if err == nil {
		acc.Folders = len(list)
		acc.SentFolder = sentFolder(list)
		if acc.SentFolder == "" {
			fs = append(fs, finding.New(finding.IMAPNoSentFolder, finding.Warn, ""))
		}
	}
	if quotaCmd != nil {
		if roots, err := quotaCmd.Wait(); err == nil {
			acc.QuotaUsedKB, acc.QuotaLimitKB = storageQuota(roots)
			if f, ok := quotaFinding(acc); ok {
				fs = append(fs, f)
			}
		}
	}
	return acc, fs
}

// close says LOGOUT without waiting for the server's BYE, which tells
// nothing and would cost a round trip.
func (s *imapSession) close() {
	s.c.Logout()
	s.c.Close()
}

// sentFolder finds the folder marked \Sent (RFC 6154) and, on servers
// without SPECIAL-USE, a folder with a name clients use for sent mail.
func sentFolder(list []*imap.ListData) string {
	for _, l := range list {
		for _, a := range l.Attrs {
			if strings.EqualFold(string(a), string(imap.MailboxAttrSent)) {
				return l.Mailbox
			}
		}
	}
	for _, l := range list {
		name := strings.ToLower(l.Mailbox)
		if i := strings.LastIndexAny(name, "./"); i >= 0 {
			name = name[i+1:]
		}
		switch name {
		case "sent", "sent items", "sent messages", "posta inviata", "inviata", "inviati", "elementi inviati":
			return l.Mailbox
		}
	}
	return ""
}

func storageQuota(roots []imapclient.QuotaData) (used, limit int64) {
	for _, r := range roots {
		if res, ok := r.Resources[imap.QuotaResourceStorage]; ok {
			return res.Usage, res.Limit
		}
	}
	return 0, 0
}

// quotaFinding warns when the mailbox is nearly full: a full mailbox
// refuses new mail, which customers mistake for a connection problem.
func quotaFinding(acc *Account) (finding.Finding, bool) {
	if acc.QuotaLimitKB <= 0 {
		return finding.Finding{}, false
	}
	pct := acc.QuotaUsedKB * 100 / acc.QuotaLimitKB
	if pct < 90 {
		return finding.Finding{}, false
	}
	return finding.New(finding.IMAPQuotaNearlyFull, finding.Warn, "",
		"percent", strconv.FormatInt(pct, 10), "limit_mb", strconv.FormatInt(acc.QuotaLimitKB/1024, 10)), true
}

func capList(set imap.CapSet) []string {
	var out []string
	for c := range set {
		out = append(out, string(c))
	}
	return sortedCopy(out)
}
