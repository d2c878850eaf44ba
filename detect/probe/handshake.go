package probe

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"strconv"
	"sync"
	"time"

	ch "maildoctor.app/maildoctor/detect/probe/hello"
	"maildoctor.app/maildoctor/detect/server"
)

// Reasons a simulated client does not connect.
const (
	ReasonNoSharedVersion   = "no_shared_version"
	ReasonNoSharedCipher    = "no_shared_cipher"
	ReasonNoSharedGroup     = "no_shared_group"
	ReasonNoSharedSignature = "no_shared_signature"
	ReasonAlert             = "alert"
	ReasonClosed            = "closed"
	ReasonTimeout           = "timeout"
	// ReasonNotTLS: the server answered, but not with TLS.
	ReasonNotTLS = "not_tls"
	// ReasonBadChoice: the server chose something the client did not
	// offer, which the client would refuse.
	ReasonBadChoice = "bad_server_choice"
	// ReasonUnreachable: the host did not resolve or the port did not
	// accept the connection; no hello was sent.
	ReasonUnreachable = "unreachable"
	// ReasonNoStartTLS: the plain-text STARTTLS/STLS step failed.
	ReasonNoStartTLS = "starttls_failed"
)

// ClientProfile is one client family's hello to simulate.
type ClientProfile struct {
	ID    string
	Hello *ch.Profile
}

// Measured is what a simulated client's hello got from one endpoint.
type Measured struct {
	Endpoint string `json:"endpoint"`
	Profile  string `json:"profile,omitempty"`
	Connects bool   `json:"connects"`
	Version  string `json:"version,omitempty"`
	Cipher   string `json:"cipher,omitempty"`
	Group    string `json:"group,omitempty"`
	// HelloRetry: TLS 1.3 connected after a HelloRetryRequest for Group.
	HelloRetry bool   `json:"hello_retry,omitempty"`
	Reason     string `json:"reason,omitempty"`
	Alert      string `json:"alert,omitempty"`
	Detail     string `json:"detail,omitempty"`
	ElapsedMS  int64  `json:"elapsed_ms"`

	// silentClose: the server closed without sending a byte.
	silentClose bool
}

// simulateParallel bounds how many hellos to one endpoint are in flight.
const simulateParallel = 32

// Simulate sends each profile's ClientHello to ep (implicit TLS, or after
// STARTTLS/STLS as the probe does it) and reports what the server
// answered. Only hellos are exchanged: no credentials, no key is derived.
// Every connection has the probe's per-step timeout and read budget. The
// result has one entry per profile, in order.
//
// Steps, per profile, all profiles concurrently:
//  1. resolve the host once (or take the --resolve address);
//  2. connect over TCP;
//  3. for a STARTTLS endpoint: greeting, capabilities and STARTTLS/STLS
//     through the probe's own dialect, whose ClientHello is replaced by
//     the profile's;
//  4. read the ServerHello (and a TLS 1.2 ServerKeyExchange's group) or
//     the alert;
//  5. on handshake_failure (or a server that closes without an alert, as
//     Dovecot does), the same hello widened to every known suite, group
//     and signature algorithm, then one list at a time, tells which list
//     had nothing in common with the server.
func Simulate(ctx context.Context, ep server.Endpoint, profiles []ClientProfile, opt Options) []Measured {
	out := make([]Measured, len(profiles))
	res := &Result{Endpoint: ep}
	p := &probe{ctx: ctx, opt: opt, res: res}
	d, err := dialectFor(ep.Protocol)
	if err != nil {
		for i, pr := range profiles {
			out[i] = Measured{Endpoint: ep.Addr(), Profile: pr.ID, Reason: ReasonUnreachable, Detail: err.Error()}
		}
		return out
	}
	p.d = d
	addrs, ok := p.resolve()
	if !ok {
		for i, pr := range profiles {
			out[i] = Measured{Endpoint: ep.Addr(), Profile: pr.ID, Reason: ReasonUnreachable, Detail: firstEvidence(res)}
		}
		return out
	}
	sem := make(chan struct{}, simulateParallel)
	var wg sync.WaitGroup
	for i := range profiles {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			start := time.Now()
			m := p.simulateOne(addrs, profiles[i].Hello)
			m.Endpoint, m.Profile = ep.Addr(), profiles[i].ID
			m.ElapsedMS = time.Since(start).Milliseconds()
			out[i] = m
		}(i)
	}
	wg.Wait()
	return out
}

func firstEvidence(r *Result) string {
	for _, f := range r.Findings {
		if f.Evidence != "" {
			return f.Evidence
		}
	}
	return ""
}

// simulateOne measures one profile, with the follow-up hellos that
// explain a refusal.
func (p *probe) simulateOne(addrs []string, hp *ch.Profile) Measured {
	m, ans := p.exchange(addrs, hp)
	switch {
	case ans != nil && ans.Alert != nil && *ans.Alert == 70: // protocol_version
		m.Reason = ReasonNoSharedVersion
	case ans != nil && ans.Alert != nil && (*ans.Alert == 40 || *ans.Alert == 71),
		// Dovecot and others close the connection without an alert.
		m.Reason == ReasonClosed && m.silentClose && p.ctx.Err() == nil:
		if r := p.explain(addrs, hp); r != "" {
			m.Reason = r
		}
	}
	return m
}

// Widenings of a profile: every known group (with shares for X25519 and
// P-256), every known suite, every known signature algorithm.
func wideGroups(q *ch.Profile) {
	q.Groups = nil
	for _, g := range ch.Groups {
		q.Groups = append(q.Groups, g.ID)
	}
	q.KeyShares = []uint16{0x001d, 0x0017}
	q.ECPointFormats = true
}

func wideSuites(q *ch.Profile) {
	q.CipherSuites = nil
	for _, s := range ch.Suites {
		q.CipherSuites = append(q.CipherSuites, s.ID)
	}
	// ECDHE suites need supported_groups, which a client without any
	// ECDHE suite may not send.
	if len(q.Groups) == 0 {
		q.Groups, q.ECPointFormats = []uint16{0x001d, 0x0017, 0x0018}, true
	}
	if len(q.KeyShares) == 0 {
		q.KeyShares = []uint16{0x001d}
	}
}

func wideSigAlgs(q *ch.Profile) {
	q.SignatureAlgorithms = nil
	for _, s := range ch.SigAlgs {
		q.SignatureAlgorithms = append(q.SignatureAlgorithms, s.ID)
	}
}

// explain offers the profile again with lists widened to everything
// known. A server that refuses even a hello offering everything at every
// version explains nothing. If everything fails at the profile's own versions, the
// versions are the reason; otherwise the one list whose widening
// connects is (suites before groups when only both together help: a
// client without a usable suite is told about its suites). "" when
// nothing explains it.
func (p *probe) explain(addrs []string, hp *ch.Profile) string {
	try := func(widen ...func(*ch.Profile)) bool {
		q := *hp
		for _, w := range widen {
			w(&q)
		}
		m, _ := p.exchange(addrs, &q)
		return m.Connects
	}
	allVersions := func(q *ch.Profile) { q.Versions = []uint16{0x0301, 0x0302, 0x0303, 0x0304} }
	if !try(allVersions, wideGroups, wideSuites, wideSigAlgs) {
		// Nothing connects: the server is broken, not the client.
		return ""
	}
	if !try(wideGroups, wideSuites, wideSigAlgs) {
		return ReasonNoSharedVersion
	}
	switch {
	case try(wideGroups):
		return ReasonNoSharedGroup
	case try(wideSuites):
		return ReasonNoSharedCipher
	case try(wideSigAlgs):
		return ReasonNoSharedSignature
	case try(wideGroups, wideSuites):
		return ReasonNoSharedCipher
	}
	return ""
}

// exchange connects, sends the hello and reads the answer.
func (p *probe) exchange(addrs []string, hp *ch.Profile) (Measured, *ch.Answer) {
	var m Measured
	msg, err := ch.Build(hp, p.res.Host, rand.Reader)
	if err != nil {
		m.Reason, m.Detail = ReasonNotTLS, err.Error()
		return m, nil
	}
	q := &probe{ctx: p.ctx, opt: p.opt, d: p.d, res: &Result{Endpoint: p.res.Endpoint}}
	conn, ok := q.connect(addrs)
	if !ok {
		m.Reason, m.Detail = ReasonUnreachable, firstEvidence(q.res)
		return m, nil
	}
	stop := closeOnCancel(p.ctx, conn)
	defer stop()
	defer conn.Close()
	conn.step(p.ctx, p.opt.timeout(), budgetGreeting)
	hc := &helloConn{Conn: conn, hello: msg, begin: func() { conn.step(p.ctx, p.opt.timeout(), budgetHandshake) }}
	if p.res.Security == server.StartTLS {
		uerr := p.d.upgrade(hc, &tls.Config{ServerName: p.res.Host, InsecureSkipVerify: true}, q.stepper(conn))
		if !hc.sent {
			m.Reason = ReasonNoStartTLS
			if uerr != nil {
				m.Detail = uerr.Error()
				if timedOut(conn, uerr) {
					m.Reason = ReasonTimeout
				}
			}
			return m, nil
		}
	} else {
		hc.send()
	}
	ans, err := hc.ans, hc.err
	if err != nil {
		m.Detail = err.Error()
		switch {
		case timedOut(conn, err):
			m.Reason = ReasonTimeout
		case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || isReset(err):
			m.Reason = ReasonClosed
			m.silentClose = !errors.Is(err, io.ErrUnexpectedEOF)
		default:
			m.Reason = ReasonNotTLS
		}
		return m, nil
	}
	judge(&m, hp, ans)
	return m, ans
}

func isReset(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && !op.Timeout()
}

// judge fills m from a parsed answer: a client refuses a choice it did
// not offer.
func judge(m *Measured, hp *ch.Profile, ans *ch.Answer) {
	if ans.Alert != nil {
		m.Reason, m.Alert = ReasonAlert, ch.AlertName(*ans.Alert)
		return
	}
	m.Version = ch.VersionName(ans.Version)
	m.Cipher = ch.SuiteName(ans.CipherSuite)
	m.HelloRetry = ans.HelloRetry
	switch {
	case ans.Group != 0:
		m.Group = ch.GroupName(ans.Group)
	case ans.DHBits > 0:
		m.Group = "DH-" + strconv.Itoa(ans.DHBits)
	}
	switch {
	case !hp.Offers(ans.Version):
		m.Detail = "the server chose TLS " + m.Version + ", which the client did not offer"
	case !hp.OffersSuite(ans.CipherSuite):
		m.Detail = "the server chose " + m.Cipher + ", which the client did not offer"
	case ans.Group != 0 && len(hp.Groups) > 0 && !hp.OffersGroup(ans.Group):
		m.Detail = "the server chose the group " + m.Group + ", which the client did not offer"
	default:
		m.Connects = true
		return
	}
	m.Reason = ReasonBadChoice
}

// helloConn sends the profile's hello in place of the first TLS record
// written through it (crypto/tls's hello, after the dialect's STARTTLS),
// reads the answer, and then ends crypto/tls's handshake with errHelloDone.
type helloConn struct {
	net.Conn
	hello []byte
	begin func()
	sent  bool
	ans   *ch.Answer
	err   error
}

var errHelloDone = errors.New("simulated hello answered")

func (c *helloConn) send() {
	c.sent = true
	c.begin()
	if _, err := c.Conn.Write(c.hello); err != nil {
		c.err = err
		return
	}
	c.ans, c.err = ch.Read(c.Conn, budgetHandshake)
}

func (c *helloConn) Write(b []byte) (int, error) {
	if c.sent {
		return 0, errHelloDone
	}
	if len(b) > 0 && b[0] == 22 {
		c.send()
		return len(b), nil
	}
	return c.Conn.Write(b)
}

func (c *helloConn) Read(b []byte) (int, error) {
	if c.sent {
		return 0, errHelloDone
	}
	return c.Conn.Read(b)
}
