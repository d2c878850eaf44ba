package probe

import (
	"context"
	"crypto/tls"
	"errors"
	"sort"
	"strings"
	"time"

	"maildoctor.app/maildoctor/detect/finding"
)

// Credentials for the one login attempt. They live only in memory.
type Credentials struct {
	User     string
	Password string
	// Proceed, if set, is asked once the login connection is open and
	// secured, before anything secret is sent: false ends the connection
	// with nothing sent, and Login returns ErrNotSent. It lets a login
	// open its connection while another one decides whether the password
	// is right.
	Proceed func() bool
}

// ErrNotSent is a login called off by Credentials.Proceed: no password
// was sent, and the result is untouched.
var ErrNotSent = errors.New("the login was called off before the password was sent")

// ErrNotVerified refuses a login on an endpoint whose TLS or certificate
// did not verify: the password goes nowhere else.
var ErrNotVerified = errors.New("the connection is not verified TLS: no password is sent")

// Login makes the single login attempt on an endpoint Probe found secure,
// then looks at the account (folders, quota, message count). It sets
// res.Auth and appends its findings to res.
//
// The connection is opened anew with a strictly verifying TLS
// configuration, so that the rule "a password only over TLS verified for
// this host" is enforced by crypto/tls itself, not by the probe's own
// judgement of the certificate.
func Login(ctx context.Context, res *Result, cred Credentials, opt Options) error {
	if !res.Secure() || res.Address == "" {
		return ErrNotVerified
	}
	d, err := dialectFor(res.Protocol)
	if err != nil {
		return err
	}
	p := &probe{ctx: ctx, opt: opt, d: d, res: res}
	start := time.Now()
	err = p.login(cred)
	res.ElapsedMS += time.Since(start).Milliseconds()
	return err
}

func (p *probe) login(cred Credentials) error {
	start := time.Now()
	s, sc, err := p.openLogin()
	if sc != nil {
		stop := closeOnCancel(p.ctx, sc)
		defer stop()
		defer sc.Close()
	}
	if s != nil {
		defer s.close()
	}
	if cred.Proceed != nil && !cred.Proceed() {
		return ErrNotSent
	}
	if err != nil {
		p.record(StepLogin, start, err, "")
		p.res.fail(finding.AuthError, finding.Warn, err)
		return err
	}
	sc.step(p.ctx, p.opt.timeout(), budgetGreeting)
	err = s.login(cred.User, cred.Password)
	p.record(StepLogin, start, err, cred.User)
	spaces := strings.TrimSpace(cred.Password) != cred.Password
	var ae *authError
	switch {
	case errors.Is(err, errNoMechanism):
		// Nothing was sent: the server never asked for a password.
		p.res.Auth = AuthSkipped
		if !finding.Has(p.res.Findings, finding.SMTPAuthNotOffered) {
			p.res.fail(finding.SMTPAuthNotOffered, finding.Fail, nil)
		}
		return err
	case err == nil:
		p.res.Auth = AuthOK
		p.res.fail(finding.AuthOK, finding.OK, nil, "user", cred.User)
	case errors.As(err, &ae):
		p.res.Auth = AuthFailed
		p.res.fail(finding.AuthFailed, finding.Fail, err, "user", cred.User, finding.ArgSpaces, finding.Flag(spaces))
		return err
	default:
		p.res.Auth = AuthFailed
		p.res.fail(finding.AuthError, finding.Warn, err)
		return err
	}
	mstart := time.Now()
	acc, fs := s.inspect(p.stepper(sc))
	p.record(StepMailbox, mstart, nil, "")
	p.res.Account = acc
	for _, f := range fs {
		if !finding.Has(p.res.Findings, f.ID) {
			f.Endpoint = p.res.Addr()
			p.res.add(f)
		}
	}
	return nil
}

// openLogin opens the login connection and secures it with a strictly
// verifying TLS configuration.
func (p *probe) openLogin() (session, *stepConn, error) {
	conn, err := netDialer(p.opt.timeout()).DialContext(p.ctx, "tcp", p.res.Address)
	if err != nil {
		return nil, nil, err
	}
	sc := newStepConn(conn)
	stop := closeOnCancel(p.ctx, sc)
	defer stop()
	sc.step(p.ctx, p.opt.timeout(), budgetHandshake)
	// TLS 1.0 and 1.1 are broken enough (RFC 8996) that no password
	// travels over them, even to a server that offers nothing newer.
	cfg := &tls.Config{ServerName: p.res.Host, RootCAs: p.opt.Roots, MinVersion: tls.VersionTLS12}
	s, err := p.d.open(sc, cfg, p.res.Security, p.stepper(sc))
	if err != nil {
		return nil, sc, err
	}
	return s, sc, nil
}

func sortedCopy(in []string) []string {
	out := append([]string(nil), in...)
	sort.Strings(out)
	return out
}
