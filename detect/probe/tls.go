package probe

import (
	"context"
	"crypto/tls"
	"errors"
	"strings"
	"sync"
	"time"

	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/server"
)

// versionName is how results write a version: "1.0" … "1.3", "unknown".
func versionName(v uint16) string { return server.TLSVersion(v).String() }

// allCipherSuites offers every suite Go implements, the insecure ones too,
// so the probe can talk to an old server and say what it is; the login
// connection never uses this list.
func allCipherSuites() []uint16 {
	var ids []uint16
	for _, s := range tls.CipherSuites() {
		ids = append(ids, s.ID)
	}
	for _, s := range tls.InsecureCipherSuites() {
		ids = append(ids, s.ID)
	}
	return ids
}

// inspectConfig returns a TLS configuration that completes the handshake
// whatever the certificate, and copies the connection state into *state.
// version 0 offers every version. It is only ever used on connections that
// carry no secret.
func inspectConfig(host string, version uint16, state *tls.ConnectionState) *tls.Config {
	cfg := &tls.Config{
		ServerName:   host,
		MinVersion:   tls.VersionTLS10,
		CipherSuites: allCipherSuites(),
		// The certificate is judged separately (judgeCertificate) so that
		// an untrusted one can be described instead of just refused.
		InsecureSkipVerify: true, //nolint:gosec // see above
		VerifyConnection: func(cs tls.ConnectionState) error {
			if state != nil {
				*state = cs
			}
			return nil
		},
	}
	if version != 0 {
		cfg.MinVersion, cfg.MaxVersion = version, version
	}
	return cfg
}

// sweeping is a version sweep under way: one handshake per version, all
// at once, beside the main connection.
type sweeping struct {
	start    time.Time
	cancel   func()
	done     chan struct{}
	accepted map[string]bool
}

// startSweep starts the sweep on the address the probe reached.
func (p *probe) startSweep() *sweeping {
	ctx, cancel := context.WithCancel(p.ctx)
	sw := &sweeping{start: time.Now(), cancel: cancel, done: make(chan struct{}), accepted: map[string]bool{}}
	addr, sec := p.res.Address, p.res.Security
	go func() {
		defer close(sw.done)
		var mu sync.Mutex
		var wg sync.WaitGroup
		for _, v := range server.TLSVersions {
			wg.Add(1)
			go func(v server.TLSVersion) {
				defer wg.Done()
				ok := p.tryVersion(ctx, addr, sec, uint16(v))
				mu.Lock()
				sw.accepted[v.String()] = ok
				mu.Unlock()
			}(v)
		}
		wg.Wait()
	}()
	return sw
}

// discard stops a sweep whose answer is not wanted.
func (sw *sweeping) discard() {
	sw.cancel()
	<-sw.done
}

// finishSweep waits for the sweep and judges the versions.
func (p *probe) finishSweep(sw *sweeping) {
	<-sw.done
	sw.cancel()
	accepted := sw.accepted
	if p.res.TLS == nil {
		p.res.TLS = &TLSInfo{}
	}
	// The version the main handshake agreed is accepted whatever the
	// sweep's own connection to it met (on a loaded machine or a server
	// short of login processes, one sweep connection can fail alone).
	if n := p.res.TLS.Negotiated; n != "" {
		accepted[n] = true
	}
	p.res.TLS.Versions = accepted
	var names []string
	for _, v := range server.TLSVersions {
		if accepted[v.String()] {
			names = append(names, v.String())
		}
	}
	p.record(StepVersions, sw.start, nil, strings.Join(names, " "))
	p.judgeVersions(accepted)
}

// tryVersion reports whether the server agrees TLS version v. Implicit
// TLS needs nothing but the handshake; STARTTLS the protocol's way to it
// and the handshake.
func (p *probe) tryVersion(ctx context.Context, addr string, sec server.Security, v uint16) bool {
	conn, ok := dialQuiet(ctx, addr, p.opt.timeout())
	if !ok {
		return false
	}
	defer conn.Close()
	stop := closeOnCancel(ctx, conn)
	defer stop()
	conn.step(ctx, p.opt.timeout(), budgetHandshake)
	cfg := inspectConfig(p.res.Host, v, nil)
	if sec == server.TLS {
		return tls.Client(conn, cfg).Handshake() == nil
	}
	return p.d.upgrade(conn, cfg, func(budget int64) { conn.step(ctx, p.opt.timeout(), budget) }) == nil
}

// dialQuiet connects to the address the probe reached, without recording
// a step: the sweep's connections are details of one step.
func dialQuiet(ctx context.Context, addr string, timeout time.Duration) (*stepConn, bool) {
	if addr == "" {
		return nil, false
	}
	d := netDialer(timeout)
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, false
	}
	return newStepConn(c), true
}

func (p *probe) judgeVersions(accepted map[string]bool) {
	var best server.TLSVersion
	for _, v := range server.TLSVersions {
		if accepted[v.String()] {
			best = v
		}
	}
	switch {
	case best == 0:
		if !finding.Has(p.res.Findings, finding.TLSHandshakeFailed) {
			p.res.fail(finding.TLSHandshakeFailed, finding.Fail, nil, "reason", "no TLS version agreed")
		}
	case best < server.TLS12:
		p.res.fail(finding.TLSLegacyOnly, finding.Fail, nil, "version", best.String())
	case best == server.TLS12:
		p.res.fail(finding.TLSNoTLS13, finding.Info, nil)
	}
}

// refusedError is a server's "no" to STARTTLS/STLS.
type refusedError struct{ err error }

func (e *refusedError) Error() string { return "STARTTLS refused: " + e.err.Error() }
func (e *refusedError) Unwrap() error { return e.err }

// looksNotTLS tells a server that answered in something other than TLS
// (plain text, HTTP, garbage) from a TLS server that refused us.
func looksNotTLS(err error, first []byte) bool {
	var rh tls.RecordHeaderError
	if errors.As(err, &rh) {
		return true
	}
	if errors.Is(err, errTooMuchData) {
		return true
	}
	return len(first) > 0 && first[0] != 0x15 && first[0] != 0x16 && !strings.Contains(err.Error(), "tls:")
}

// handshakeReason says in a few words why a handshake failed.
func handshakeReason(err error) string {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "protocol version"):
		return "version"
	case strings.Contains(msg, "handshake failure"), strings.Contains(msg, "no cipher suite"),
		strings.Contains(msg, "insufficient security"):
		return "cipher"
	case strings.Contains(msg, "reset by peer"), strings.Contains(msg, "EOF"), strings.Contains(msg, "broken pipe"):
		return "reset"
	case isTimeout(err):
		return "timeout"
	}
	return "other"
}

// answer names what a server said instead of the expected protocol. The
// value is also the "got" argument of the finding, so it is its text key.
type answer string

const (
	answerNothing   answer = "nothing"
	answerHTTP      answer = "http"
	answerIMAPPlain answer = "imap-plain"
	answerPOP3Plain answer = "pop3-plain"
	answerSMTPPlain answer = "smtp-plain"
	answerTLS       answer = "tls"
	answerGarbage   answer = "garbage"
)

// describeAnswer names what a server said instead of the expected
// protocol, for the finding's text and the probe's decisions.
func describeAnswer(first []byte) answer {
	s := string(first)
	switch {
	case len(first) == 0:
		return answerNothing
	case startsLike(s, "HTTP/"), strings.HasPrefix(s, "<"):
		return answerHTTP
	case startsLike(s, "* OK"), strings.HasPrefix(s, "* PREAUTH"):
		return answerIMAPPlain
	case startsLike(s, "+OK"):
		return answerPOP3Plain
	case startsLike(s, "220"):
		return answerSMTPPlain
	case first[0] == 0x16 || first[0] == 0x15:
		return answerTLS
	}
	return answerGarbage
}

// startsLike: s begins with prefix, or is the beginning of it (a greeting
// cut short by a slow server).
func startsLike(s, prefix string) bool {
	return strings.HasPrefix(s, prefix) || len(s) < len(prefix) && strings.HasPrefix(prefix, s)
}

// plainGreetingFor reports whether first is the plain-text greeting of p:
// a STARTTLS-style port reached with implicit TLS.
func plainGreetingFor(p server.Protocol, first []byte) bool {
	switch describeAnswer(first) {
	case answerIMAPPlain:
		return p == server.IMAP
	case answerPOP3Plain:
		return p == server.POP3
	case answerSMTPPlain:
		return p == server.SMTP
	}
	return false
}

func printable(b []byte, max int) string {
	if len(b) > max {
		b = b[:max]
	}
	out := make([]rune, 0, len(b))
	for _, c := range b {
		if c >= 0x20 && c < 0x7f {
			out = append(out, rune(c))
		} else {
			out = append(out, '.')
		}
	}
	return string(out)
}

func firstLine(b []byte) string {
	s := string(b)
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	return printable([]byte(s), 200)
}

func hasWord(list []string, word string) bool {
	for _, l := range list {
		f := strings.Fields(l)
		if len(f) > 0 && strings.EqualFold(f[0], word) {
			return true
		}
	}
	return false
}

func joinShort(addrs []string) string {
	if len(addrs) > 4 {
		addrs = append(addrs[:4:4], "…")
	}
	return strings.Join(addrs, " ")
}
