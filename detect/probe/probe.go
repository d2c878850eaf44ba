// Package probe tests one mail server endpoint the way a mail client would:
// DNS, TCP, TLS (and which TLS versions the server accepts), the
// certificate, the protocol greeting and capabilities, and — in Login — one
// login over verified TLS followed by a look at the account.
//
// Every outcome is a finding from the shared vocabulary. A Result is filled
// step by step and returned even when a step fails, so the report always
// says how far the connection got.
//
// Steps of Probe:
//  1. resolve the host (or take the --resolve address);
//  2. connect over TCP (refused and silent are told apart);
//  3. for a STARTTLS endpoint: read the plain-text greeting and capabilities;
//  4. secure the connection (implicit TLS, or STARTTLS) without trusting the
//     certificate yet, and read the capabilities offered over TLS;
//  5. judge the certificate against the system roots, the host name and the
//     clock;
//  6. sweep TLS 1.0–1.3, one handshake per version, concurrently.
package probe

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strconv"
	"sync"
	"time"

	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/server"
)

// DefaultTimeout bounds each step when Options.Timeout is zero.
const DefaultTimeout = 10 * time.Second

// Resolver looks up host addresses; *net.Resolver satisfies it.
type Resolver interface {
	LookupHost(ctx context.Context, host string) ([]string, error)
}

// Options control a probe. The zero value probes with the system's roots,
// resolver and clock.
type Options struct {
	// Timeout bounds every single step (lookup, connect, handshake, each
	// protocol exchange).
	Timeout time.Duration
	// Roots verifies certificates; nil means the system's trust store (on
	// Windows and macOS the platform verifier, which also sees roots that
	// antivirus programs install).
	Roots *x509.CertPool
	// Resolve maps a host name to the address to connect to, like curl's
	// --resolve; TLS still verifies the host name.
	Resolve  map[string]string
	Resolver Resolver
	Now      func() time.Time
	// Progress, if set, is told about each step as it ends.
	Progress func(server.Endpoint, Step)
	// Owns reports whether a host belongs to the provider or to the
	// address's domain (detect/trust rules 1-2). A certificate that does
	// not cover the host in use suggests another of its names only if it
	// verified and Owns accepts that name; nil suggests nothing.
	Owns func(host string) bool
}

func (o Options) timeout() time.Duration {
	if o.Timeout > 0 {
		return o.Timeout
	}
	return DefaultTimeout
}

func (o Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

func (o Options) resolver() Resolver {
	if o.Resolver != nil {
		return o.Resolver
	}
	return net.DefaultResolver
}

// Step is one finished step of a probe, for live progress and the
// technical details of a report.
type Step struct {
	Name      string `json:"name"`
	OK        bool   `json:"ok"`
	Detail    string `json:"detail,omitempty"`
	ElapsedMS int64  `json:"elapsed_ms"`
}

// Step names.
const (
	StepDNS       = "dns"
	StepConnect   = "connect"
	StepGreeting  = "greeting"
	StepTLS       = "tls"
	StepCert      = "certificate"
	StepVersions  = "versions"
	StepLogin     = "login"
	StepMailbox   = "mailbox"
	StepPlainText = "plaintext"
)

// AuthResult is how a login went.
type AuthResult string

// AuthResults.
const (
	// AuthOK: the server accepted the user name and password.
	AuthOK AuthResult = "ok"
	// AuthFailed: the server refused them, or the login broke off.
	AuthFailed AuthResult = "failed"
	// AuthSkipped: no password was sent (none given, no mechanism offered,
	// or the endpoint was not safe to log in to).
	AuthSkipped AuthResult = "skipped"
)

// TLSInfo describes the TLS a server speaks.
type TLSInfo struct {
	Negotiated string          `json:"negotiated"`
	Cipher     string          `json:"cipher"`
	Versions   map[string]bool `json:"versions"`
}

// Result is everything learnt about one endpoint.
type Result struct {
	server.Endpoint
	Address   string    `json:"address,omitempty"`
	Reachable bool      `json:"reachable"`
	TLS       *TLSInfo  `json:"tls,omitempty"`
	Cert      *CertInfo `json:"cert,omitempty"`
	Greeting  string    `json:"greeting,omitempty"`
	// PlainCapabilities are offered before STARTTLS, Capabilities over TLS.
	PlainCapabilities []string `json:"plain_capabilities,omitempty"`
	Capabilities      []string `json:"capabilities,omitempty"`
	StartTLSOffered   *bool    `json:"starttls_offered,omitempty"`
	AuthMechanisms    []string `json:"auth_mechanisms,omitempty"`
	// Auth is how the login went; the account check fills it in.
	Auth      AuthResult        `json:"auth"`
	Account   *Account          `json:"account,omitempty"`
	ElapsedMS int64             `json:"elapsed_ms"`
	Steps     []Step            `json:"steps"`
	Findings  []finding.Finding `json:"-"`

	// verified is true when the certificate verified for the host: the
	// condition for ever sending a password to this endpoint.
	verified bool
	// sweeping marks a copy made when the handshake was judged, while the
	// version sweep still ran (Running.Early); baseSteps and
	// baseFindings are how many steps and findings it had then, so what
	// a Login adds to it can be folded into the final Result.
	sweeping     bool
	baseSteps    int
	baseFindings int
}

// Sweeping reports whether r is a copy made while the endpoint's TLS
// version sweep was still running (Running.Early): everything but the
// versions is known, and the sweep adds only the versions step and the
// findings about versions (tls.no_tls13, tls.legacy_only).
func (r *Result) Sweeping() bool { return r.sweeping }

// early is a copy of r that shares nothing a running probe still writes.
func (r *Result) early() *Result {
	c := *r
	c.Steps = append([]Step(nil), r.Steps...)
	c.Findings = append([]finding.Finding(nil), r.Findings...)
	c.Capabilities = append([]string(nil), r.Capabilities...)
	c.AuthMechanisms = append([]string(nil), r.AuthMechanisms...)
	if r.TLS != nil {
		t := *r.TLS
		t.Versions = map[string]bool{}
		for k, v := range r.TLS.Versions {
			t.Versions[k] = v
		}
		c.TLS = &t
	}
	c.sweeping, c.baseSteps, c.baseFindings = true, len(r.Steps), len(r.Findings)
	return &c
}

// fold takes into r, the probe's final Result, what a Login added to
// early, the copy made at the handshake: the login's steps, findings,
// time and outcome.
func (r *Result) fold(early *Result) {
	if early == nil || early == r {
		return
	}
	r.Auth, r.Account = early.Auth, early.Account
	r.Steps = append(r.Steps, early.Steps[early.baseSteps:]...)
	r.Findings = append(r.Findings, early.Findings[early.baseFindings:]...)
	// The copy was made before the probe's own time was set.
	r.ElapsedMS += early.ElapsedMS
}

// Secure reports whether the endpoint's TLS and certificate verified, so a
// password may be sent to it.
func (r *Result) Secure() bool { return r.verified }

func (r *Result) add(f finding.Finding) { r.Findings = append(r.Findings, f) }

func (r *Result) fail(id string, sev finding.Severity, err error, kv ...string) {
	f := finding.New(id, sev, r.Addr(), kv...)
	if err != nil {
		f = f.WithEvidence(err.Error())
	}
	r.add(f)
}

// probe carries one endpoint's probing state.
type probe struct {
	ctx context.Context
	opt Options
	d   dialect
	res *Result
	// plainPort is set when an unusual port answered an implicit-TLS
	// handshake with the protocol's plain-text greeting.
	plainPort bool
	// judged, if set, hears once the handshake and certificate are
	// judged, while the version sweep may still run.
	judged func(*Result)
}

func (p *probe) record(name string, start time.Time, err error, detail string) {
	s := Step{Name: name, OK: err == nil, Detail: detail, ElapsedMS: time.Since(start).Milliseconds()}
	if err != nil && detail == "" {
		s.Detail = err.Error()
	}
	p.res.Steps = append(p.res.Steps, s)
	if p.opt.Progress != nil {
		p.opt.Progress(p.res.Endpoint, s)
	}
}

// Probe tests ep without logging in. It never returns nil.
func Probe(ctx context.Context, ep server.Endpoint, opt Options) *Result {
	return probeEndpoint(ctx, ep, opt, nil)
}

// Running is a probe under way (Start).
type Running struct {
	early     chan struct{}
	earlyOnce sync.Once
	earlyRes  *Result
	done      chan struct{}
	res       *Result
	foldOnce  sync.Once
}

// Start begins to probe ep and returns at once. Early gives the result as
// soon as the handshake and certificate are judged, Wait the whole of it.
func Start(ctx context.Context, ep server.Endpoint, opt Options) *Running {
	r := &Running{early: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(r.done)
		r.res = probeEndpoint(ctx, ep, opt, r.setEarly)
		r.setEarly(r.res)
	}()
	return r
}

func (r *Running) setEarly(res *Result) {
	r.earlyOnce.Do(func() {
		r.earlyRes = res
		close(r.early)
	})
}

// Early waits until the endpoint's handshake and certificate are judged
// (or the probe ended before that) and returns what is known then: a copy
// that Sweeping marks while the version sweep still runs, else the final
// Result. Secure on it is final, and a Login may be made on it at once;
// Wait folds that login into the final Result.
func (r *Running) Early() *Result {
	<-r.early
	return r.earlyRes
}

// Done reports whether the probe, version sweep included, has ended.
func (r *Running) Done() bool {
	select {
	case <-r.done:
		return true
	default:
		return false
	}
}

// Wait waits for the whole probe and returns its Result, with any Login
// made on Early folded in. Call it only once such a Login has returned.
func (r *Running) Wait() *Result {
	<-r.done
	r.foldOnce.Do(func() {
		if e := r.Early(); e != r.res {
			r.res.fold(e)
		}
	})
	return r.res
}

// probeEndpoint is Probe, telling judged (if set) about a copy of the
// result once only the version sweep is left.
func probeEndpoint(ctx context.Context, ep server.Endpoint, opt Options, judged func(*Result)) *Result {
	start := time.Now()
	res := &Result{Endpoint: ep, Auth: AuthSkipped}
	d, err := dialectFor(ep.Protocol)
	if err != nil {
		res.fail(finding.ProtocolUnexpected, finding.Fail, err)
		return res
	}
	p := &probe{ctx: ctx, opt: opt, d: d, res: res, judged: judged}
	p.run()
	res.ElapsedMS = time.Since(start).Milliseconds()
	if len(res.Findings) == 0 || finding.Worst(res.Findings) == finding.OK {
		res.add(finding.New(finding.EndpointOK, finding.OK, ep.Addr(),
			"protocol", ep.Protocol.Name(), "port", strconv.Itoa(ep.Port), "version", negotiated(res)))
	}
	return res
}

func negotiated(r *Result) string {
	if r.TLS == nil {
		return ""
	}
	return r.TLS.Negotiated
}

func (p *probe) run() {
	addrs, ok := p.resolve()
	if !ok {
		return
	}
	conn, ok := p.connect(addrs)
	if !ok {
		return
	}
	// The version sweep runs beside the main handshake; its answer is
	// used only if the main handshake says the server speaks TLS.
	sw := p.startSweep()
	var state tls.ConnectionState
	if p.res.Security == server.StartTLS {
		// The plain-text look and the STARTTLS connection run side by
		// side; the second counts only if the first found STARTTLS.
		q := p.speculate(addrs)
		if !p.plainText(conn) {
			q.discard()
			sw.discard()
			return
		}
		if state, ok = p.adopt(q); !ok && !q.connected {
			sw.discard()
			return
		}
	} else {
		state, ok = p.secure(conn)
	}
	if p.plainPort {
		sw.discard()
		// A port the user typed speaks plain text: test it the way a client
		// set to STARTTLS would.
		p.res.Security, p.plainPort = server.StartTLS, false
		p.res.Steps, p.res.Greeting = nil, ""
		p.run()
		return
	}
	if !ok && !p.worthSweeping() {
		sw.discard()
		return
	}
	if ok {
		p.judgeCertificate(state)
		// From here on only the sweep runs: a login need not wait for a
		// line that swallows old hellos until the sweep's timeout.
		if p.judged != nil {
			p.judged(p.res.early())
		}
	}
	p.finishSweep(sw)
}

// speculation is a STARTTLS endpoint's secured connection, made beside
// its plain-text look into a Result of its own: its steps and findings
// join the endpoint's only if the plain-text look found STARTTLS.
type speculation struct {
	q         *probe
	cancel    func()
	done      chan struct{}
	connected bool
	state     tls.ConnectionState
	ok        bool
}

func (p *probe) speculate(addrs []string) *speculation {
	ctx, cancel := context.WithCancel(p.ctx)
	opt := p.opt
	opt.Progress = nil
	q := &probe{ctx: ctx, opt: opt, d: p.d, res: &Result{Endpoint: p.res.Endpoint}}
	sp := &speculation{q: q, cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(sp.done)
		conn, ok := q.connect(addrs)
		if !ok {
			return
		}
		sp.connected = true
		sp.state, sp.ok = q.secure(conn)
	}()
	return sp
}

func (sp *speculation) discard() {
	sp.cancel()
	<-sp.done
}

// adopt waits for the speculation and takes its steps (telling Progress
// about them now) and findings into the endpoint's Result.
func (p *probe) adopt(sp *speculation) (tls.ConnectionState, bool) {
	<-sp.done
	defer sp.cancel()
	q := sp.q.res
	for _, st := range q.Steps {
		p.res.Steps = append(p.res.Steps, st)
		if p.opt.Progress != nil {
			p.opt.Progress(p.res.Endpoint, st)
		}
	}
	p.res.Findings = append(p.res.Findings, q.Findings...)
	if q.Address != "" {
		p.res.Address, p.res.Reachable = q.Address, q.Reachable
	}
	if p.res.Greeting == "" {
		p.res.Greeting = q.Greeting
	}
	if q.TLS != nil {
		p.res.TLS = q.TLS
	}
	if q.Capabilities != nil {
		p.res.Capabilities = q.Capabilities
	}
	if q.AuthMechanisms != nil {
		p.res.AuthMechanisms = q.AuthMechanisms
	}
	return sp.state, sp.ok
}

// resolve returns the addresses to connect to.
func (p *probe) resolve() ([]string, bool) {
	start := time.Now()
	if a, ok := p.opt.Resolve[p.res.Host]; ok {
		p.record(StepDNS, start, nil, "--resolve "+a)
		return []string{a}, true
	}
	if ip := net.ParseIP(p.res.Host); ip != nil {
		p.record(StepDNS, start, nil, "")
		return []string{p.res.Host}, true
	}
	ctx, cancel := context.WithTimeout(p.ctx, p.opt.timeout())
	defer cancel()
	addrs, err := p.opt.resolver().LookupHost(ctx, p.res.Host)
	p.record(StepDNS, start, err, joinShort(addrs))
	if err != nil {
		var dnsErr *net.DNSError
		if errors.As(err, &dnsErr) && (dnsErr.IsTimeout || dnsErr.IsTemporary) && !dnsErr.IsNotFound {
			p.res.fail(finding.DNSFailed, finding.Fail, err, "host", p.res.Host)
		} else {
			p.res.fail(finding.DNSNotFound, finding.Fail, err, "host", p.res.Host)
		}
		return nil, false
	}
	return addrs, true
}

// maxAddrs is how many of a host's addresses are tried: a client tries a
// few, and a hostile DNS answer may list hundreds.
const maxAddrs = 4

// connect dials the addresses in order, as a client would, and tells a
// refused port from a silent one.
func (p *probe) connect(addrs []string) (*stepConn, bool) {
	start := time.Now()
	// The step's timeout is shared by every address, not given to each:
	// a name with twenty silent addresses must not wait twenty timeouts.
	deadline := start.Add(p.opt.timeout())
	if len(addrs) > maxAddrs {
		addrs = addrs[:maxAddrs]
	}
	var lastErr error
	for i, a := range addrs {
		addr := net.JoinHostPort(a, strconv.Itoa(p.res.Port))
		d := net.Dialer{Deadline: deadline, Timeout: time.Until(deadline) / time.Duration(len(addrs)-i)}
		c, err := d.DialContext(p.ctx, "tcp", addr)
		if err == nil {
			p.record(StepConnect, start, nil, addr)
			p.res.Address, p.res.Reachable = addr, true
			return newStepConn(c), true
		}
		lastErr = err
	}
	p.record(StepConnect, start, lastErr, "")
	switch kind := classifyNet(lastErr); kind {
	case kindRefused:
		p.res.fail(finding.TCPRefused, finding.Fail, lastErr, "port", strconv.Itoa(p.res.Port))
	case kindCancelled:
		p.res.fail(finding.CheckCancelled, finding.Info, lastErr)
	default:
		p.res.fail(finding.TCPTimeout, finding.Fail, lastErr, "port", strconv.Itoa(p.res.Port))
	}
	return nil, false
}

// plainText reads a STARTTLS endpoint's plain-text greeting and
// capabilities: does it offer STARTTLS, and would it take a password in
// the clear?
func (p *probe) plainText(conn *stepConn) bool {
	start := time.Now()
	stop := closeOnCancel(p.ctx, conn)
	defer stop()
	defer conn.Close()
	conn.step(p.ctx, p.opt.timeout(), budgetGreeting)
	h, err := p.d.plain(conn, p.stepper(conn))
	p.res.Greeting = firstLine(conn.firstRead())
	p.record(StepPlainText, start, err, p.res.Greeting)
	if err != nil {
		p.protocolFailure(conn, err)
		return false
	}
	p.res.PlainCapabilities = h.caps
	offered := h.startTLS
	p.res.StartTLSOffered = &offered
	if h.loginInClear {
		p.res.fail(finding.PlainLoginAllowed, finding.Warn, nil, "protocol", p.res.Protocol.Name())
	}
	if !offered {
		p.res.fail(finding.StartTLSNotOffered, finding.Fail, nil, "protocol", p.res.Protocol.Name())
		return false
	}
	return true
}

func (p *probe) stepper(conn *stepConn) func(budget int64) {
	return func(budget int64) { conn.step(p.ctx, p.opt.timeout(), budget) }
}

// secure sets up TLS (implicit or STARTTLS) without trusting the
// certificate yet, so that everything about a bad certificate can be
// reported; nothing secret is sent on this connection.
func (p *probe) secure(conn *stepConn) (tls.ConnectionState, bool) {
	start := time.Now()
	stop := closeOnCancel(p.ctx, conn)
	defer stop()
	defer conn.Close()
	var state tls.ConnectionState
	cfg := inspectConfig(p.res.Host, 0, &state)
	conn.step(p.ctx, p.opt.timeout(), budgetHandshake)
	s, err := p.d.open(conn, cfg, p.res.Security, p.stepper(conn))
	if p.res.Greeting == "" {
		p.res.Greeting = greetingOf(conn)
	}
	if err != nil {
		p.record(StepTLS, start, err, "")
		p.tlsFailure(conn, err, state)
		return state, false
	}
	defer s.close()
	p.record(StepTLS, start, nil, versionName(state.Version)+" "+tls.CipherSuiteName(state.CipherSuite))
	p.res.TLS = &TLSInfo{
		Negotiated: versionName(state.Version),
		Cipher:     tls.CipherSuiteName(state.CipherSuite),
		Versions:   map[string]bool{versionName(state.Version): true},
	}
	p.res.Capabilities = s.caps()
	p.res.AuthMechanisms = s.authMechanisms()
	if p.res.Protocol == server.SMTP && len(p.res.AuthMechanisms) == 0 {
		p.res.fail(finding.SMTPAuthNotOffered, finding.Fail, nil)
	}
	if p.res.Protocol == server.POP3 && len(s.caps()) > 0 && !hasWord(s.caps(), "UIDL") {
		p.res.fail(finding.POP3NoUIDL, finding.Warn, nil)
	}
	return state, true
}

// greetingOf is the first line an implicit-TLS server sent: inside TLS
// once the handshake is done, and never the handshake's own bytes (what a
// server that does not speak TLS sent instead is kept: it explains).
func greetingOf(conn *stepConn) string {
	if clear := conn.clearRead(); len(clear) > 0 {
		return firstLine(clear)
	}
	if first := conn.firstRead(); len(first) > 0 && describeAnswer(first) != answerTLS {
		return firstLine(first)
	}
	return ""
}

// tlsFailure turns a failed secure step into the finding that explains it.
func (p *probe) tlsFailure(conn *stepConn, err error, state tls.ConnectionState) {
	var starttlsRefused *refusedError
	_, standard := server.SecurityForPort(p.res.Protocol, p.res.Port)
	switch {
	case p.ctx.Err() != nil:
		p.res.fail(finding.CheckCancelled, finding.Info, err)
	case p.res.Security == server.TLS && !standard && plainGreetingFor(p.res.Protocol, conn.firstRead()):
		p.plainPort = true
	case errors.As(err, &starttlsRefused):
		p.res.fail(finding.StartTLSNotOffered, finding.Fail, err, "protocol", p.res.Protocol.Name())
	case timedOut(conn, err) && len(conn.firstRead()) == 0:
		p.res.fail(finding.ProtocolNoAnswer, finding.Fail, err, "port", strconv.Itoa(p.res.Port))
	case timedOut(conn, err) && describeAnswer(conn.firstRead()) == answerTLS:
		p.res.fail(finding.ProtocolTooSlow, finding.Fail, err, "port", strconv.Itoa(p.res.Port))
	case looksNotTLS(err, conn.firstRead()):
		p.protocolFailure(conn, err)
	default:
		p.res.fail(finding.TLSHandshakeFailed, finding.Fail, err, "reason", handshakeReason(err))
	}
}

// worthSweeping says whether the server speaks TLS at all: after a failed
// handshake the sweep tells which versions it would have accepted.
func (p *probe) worthSweeping() bool {
	return finding.Has(p.res.Findings, finding.TLSHandshakeFailed)
}

// protocolFailure reports a server that answered, but not as expected.
func (p *probe) protocolFailure(conn *stepConn, err error) {
	first := conn.firstRead()
	if timedOut(conn, err) && len(first) == 0 && p.ctx.Err() == nil {
		p.res.fail(finding.ProtocolNoAnswer, finding.Fail, err, "port", strconv.Itoa(p.res.Port))
		return
	}
	if p.ctx.Err() != nil {
		p.res.fail(finding.CheckCancelled, finding.Info, err)
		return
	}
	if timedOut(conn, err) && describeAnswer(first) != answerGarbage && describeAnswer(first) != answerHTTP {
		p.res.fail(finding.ProtocolTooSlow, finding.Fail, err, "port", strconv.Itoa(p.res.Port))
		return
	}
	f := finding.New(finding.ProtocolUnexpected, finding.Fail, p.res.Addr(),
		"protocol", p.res.Protocol.Name(), "port", strconv.Itoa(p.res.Port), "got", string(describeAnswer(first)))
	p.res.add(f.WithEvidence(fmt.Sprintf("%v; first bytes: %q", err, printable(first, 80))))
}

func (p *probe) judgeCertificate(state tls.ConnectionState) {
	start := time.Now()
	info, fs := judgeCertificate(p.res.Host, state.PeerCertificates, p.opt.Roots, p.opt.now(), p.res.Addr(), p.opt.Owns)
	p.res.Cert = info
	p.res.Findings = append(p.res.Findings, fs...)
	p.res.verified = info != nil && info.Trusted && info.HostnameMatch && info.valid
	var err error
	if !p.res.verified {
		err = errors.New("certificate not accepted")
	}
	p.record(StepCert, start, err, "")
}
