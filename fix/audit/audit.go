// Package audit reads the mail servers' own logs — Dovecot 2.3 login lines
// (IMAP, POP3, submission) and Postfix smtpd lines — and finds, before the
// provider closes STARTTLS and TLS 1.0/1.1, the mailboxes that will break:
// still on STARTTLS (143/110/587), still on TLS 1.0/1.1, still on a weak
// cipher, or logging in without TLS at all. For each it keeps the clients
// seen (from IMAP ID) and what the compatibility knowledge base says they
// need, and a support link that opens Mail Doctor for that address.
//
// Reading is one streaming pass with memory bounded by the number of
// mailboxes (one entry each, with a few capped lists), not by the number of
// lines. Unknown lines are skipped and counted; a binary or truncated file
// is a warning with its line number, never fatal. docs/audit.md says which
// Dovecot settings make the log say enough.
package audit

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"
)

// Limits that keep memory proportional to the mailboxes.
const (
	maxAccess    = 16    // distinct (protocol, port, TLS, cipher) per mailbox
	maxClients   = 8     // distinct IMAP ID clients per mailbox
	maxIPs       = 8     // remote addresses per mailbox (--with-ips)
	maxPending   = 16384 // Dovecot sessions with an ID and no login yet; Postfix connections
	maxPfLogins  = 8     // logins of one Postfix connection waiting for its disconnect line
	maxLine      = 64 << 10
	maxWarnings  = 100
	maxFieldSize = 256 // a user name, client name or cipher longer than this is cut
)

// Options tune an Auditor.
type Options struct {
	// WithIPs keeps the clients' addresses (at most 8 per mailbox).
	WithIPs bool
}

// Access is one way a mailbox was reached.
type Access struct {
	Proto    string
	Port     int
	Security Security
	TLS      string
	Cipher   string
	Logins   int
	Last     time.Time
}

// Client is a program that announced itself with IMAP ID.
type Client struct {
	Name, Version string
}

// Mailbox is everything kept about one address.
type Mailbox struct {
	Address     string
	Logins      int
	First, Last time.Time
	Access      []Access
	// MoreAccess counts logins whose way in did not fit in Access.
	MoreAccess int
	Clients    []Client
	// NoID counts IMAP logins without an IMAP ID.
	NoID int
	IPs  []string
}

// Stats describes the reading.
type Stats struct {
	Files, Lines, Logins, IDs, Unknown, Ignored int64
	// LoginsWithoutPort and LoginsWithoutTLSVersion count logins whose
	// line did not say the local port or the TLS version: the log format
	// lacks %{lport} or %k (docs/audit.md).
	LoginsWithoutPort, LoginsWithoutTLSVersion int64
	Warnings                                   []string
	// MoreWarnings counts the warnings past the first 100.
	MoreWarnings int
}

// Auditor collects logins from logs.
type Auditor struct {
	opt       Options
	mailboxes map[string]*Mailbox
	// pendingID maps a Dovecot session to the client its ID named.
	pendingID map[string]Client
	// postfix maps an smtpd process id to its current connection.
	postfix map[string]*pfConn
	// postfixTLSLogged: a Postfix "TLS connection established" line was
	// seen, so smtpd_tls_loglevel is on and a connection without one had
	// no TLS.
	postfixTLSLogged bool
	stats            Stats
	ev               Event
	lower            []byte
}

// New returns an empty Auditor.
func New(opt Options) *Auditor {
	return &Auditor{
		opt:       opt,
		mailboxes: map[string]*Mailbox{},
		pendingID: map[string]Client{},
		postfix:   map[string]*pfConn{},
	}
}

// pfConn is one open Postfix smtpd connection: its TLS, and its logins
// until the "disconnect from" line, whose command counts say whether TLS
// came from STARTTLS or from the first byte (smtpd_tls_wrappermode).
type pfConn struct {
	port    int // from the service name; 0 unknown
	tls     bool
	version string
	cipher  string
	logins  []pfLogin
}

type pfLogin struct {
	user, ip string
	time     time.Time
}

// Stats returns what the reading saw so far. It first settles the Postfix
// connections still open (see Mailboxes).
func (a *Auditor) Stats() Stats {
	a.settleAll()
	return a.stats
}

// Mailboxes returns the mailboxes seen, sorted by address. Postfix logins
// wait for their connection's "disconnect from" line; those of
// connections still open at this point are judged without it (by the
// service name) and the connections forgotten.
func (a *Auditor) Mailboxes() []*Mailbox {
	a.settleAll()
	out := make([]*Mailbox, 0, len(a.mailboxes))
	for _, m := range a.mailboxes {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Address < out[j].Address })
	return out
}

func (a *Auditor) warn(format string, args ...interface{}) {
	if len(a.stats.Warnings) >= maxWarnings {
		a.stats.MoreWarnings++
		return
	}
	a.stats.Warnings = append(a.stats.Warnings, fmt.Sprintf(format, args...))
}

// ErrNotLog is returned by Read for input that is not a log at all (a
// compressed file that is not gzip, an empty gzip stream).
var ErrNotLog = errors.New("not a log")

// Read reads one log (plain or gzip-compressed, told by its first bytes)
// named name in warnings. Only an input that cannot be read at all is an
// error; a binary line, an over-long line or a cut-off end is a warning.
func (a *Auditor) Read(r io.Reader, name string) error {
	a.stats.Files++
	br := bufio.NewReaderSize(r, 256<<10)
	if head, _ := br.Peek(2); len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return fmt.Errorf("%s: %w: gzip: %v", name, ErrNotLog, err)
		}
		defer zr.Close()
		br = bufio.NewReaderSize(zr, 256<<10)
	}
	return a.readLines(br, name)
}

func (a *Auditor) readLines(br *bufio.Reader, name string) error {
	var n int64
	binaryWarned := false
	for {
		line, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull || (err == nil && len(line) > maxLine) {
			n++
			a.stats.Lines++
			a.stats.Unknown++
			a.warn("%s:%d: line longer than %d bytes skipped", name, n, maxLine)
			for err == bufio.ErrBufferFull {
				_, err = br.ReadSlice('\n')
			}
			if err != nil && err != io.EOF {
				a.warn("%s:%d: read error: %v", name, n, err)
				return nil
			}
			if err == io.EOF {
				return nil
			}
			continue
		}
		if len(line) > 0 {
			n++
			a.stats.Lines++
			if err == io.EOF {
				a.warn("%s:%d: the last line has no end (file cut off or still being written)", name, n)
			}
			if a.Line(line) == KindUnknown && !binaryWarned && binary(line) {
				a.warn("%s:%d: binary data, not text; such lines are skipped", name, n)
				binaryWarned = true
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) {
				a.warn("%s:%d: the compressed file is cut off after this line", name, n)
			} else {
				a.warn("%s:%d: read error after this line: %v", name, n, err)
			}
			return nil
		}
	}
}

// binary says whether a line holds control bytes no text log has.
func binary(line []byte) bool {
	for _, c := range line {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != 0x1b {
			return true
		}
	}
	return false
}

// Line takes one log line (with or without its newline) and says what it
// was. It does not count it in Stats.Lines.
func (a *Auditor) Line(line []byte) Kind {
	ev := &a.ev
	kind := ParseLine(trimEOL(line), ev)
	switch kind {
	case KindLogin:
		a.stats.Logins++
		if ev.Proto == "smtp" {
			a.postfixLogin(ev)
		} else {
			a.login(ev)
		}
	case KindID:
		a.stats.IDs++
		if len(ev.Session) > 0 && len(ev.ClientName) > 0 {
			if len(a.pendingID) >= maxPending {
				a.pendingID = map[string]Client{}
			}
			a.pendingID[string(ev.Session)] = Client{Name: clip(ev.ClientName), Version: clip(ev.ClientVersion)}
		}
	case KindPostfixConnect, KindPostfixDisconnect:
		a.stats.Ignored++
		if c, ok := a.postfix[string(ev.Session)]; ok {
			a.settle(c, kind == KindPostfixDisconnect && len(ev.Commands) > 0, startTLSDone(ev.Commands))
			delete(a.postfix, string(ev.Session))
		}
	case KindPostfixTLS:
		a.stats.Ignored++
		a.postfixTLSLogged = true
		c := a.pfConn(ev)
		c.tls, c.version, c.cipher = true, ev.TLS, clip(ev.Cipher)
	case KindIgnored:
		a.stats.Ignored++
	default:
		a.stats.Unknown++
	}
	return kind
}

func trimEOL(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
	}
	if n := len(b); n > 0 && b[n-1] == '\r' {
		b = b[:n-1]
	}
	return b
}

func clip(b []byte) string {
	if len(b) > maxFieldSize {
		b = b[:maxFieldSize]
	}
	return string(b)
}

// lowerUser returns the user name lowercased, without allocating when it
// already is.
func (a *Auditor) lowerUser(u []byte) []byte {
	if len(u) > maxFieldSize {
		u = u[:maxFieldSize]
	}
	for _, c := range u {
		if c >= 'A' && c <= 'Z' {
			a.lower = append(a.lower[:0], u...)
			for i, c := range a.lower {
				if c >= 'A' && c <= 'Z' {
					a.lower[i] = c + 'a' - 'A'
				}
			}
			return a.lower
		}
	}
	return u
}

// pfConn returns the open connection of ev's process, new if none.
func (a *Auditor) pfConn(ev *Event) *pfConn {
	if c, ok := a.postfix[string(ev.Session)]; ok {
		return c
	}
	if len(a.postfix) >= maxPending {
		a.settleAll()
	}
	c := &pfConn{port: ev.Port}
	a.postfix[string(ev.Session)] = c
	return c
}

// postfixLogin keeps a Postfix login until its connection ends.
func (a *Auditor) postfixLogin(ev *Event) {
	c := a.pfConn(ev)
	if len(c.logins) >= maxPfLogins {
		a.settle(c, false, false)
	}
	l := pfLogin{user: clip(ev.User), time: ev.Time}
	if a.opt.WithIPs {
		l.ip = clip(ev.RemoteIP)
	}
	c.logins = append(c.logins, l)
}

// settleAll settles every open Postfix connection and forgets them.
func (a *Auditor) settleAll() {
	for k, c := range a.postfix {
		a.settle(c, false, false)
		delete(a.postfix, k)
	}
}

// settle records the logins of a Postfix connection. ended says its
// disconnect line with command counts was seen, starttls that they hold a
// STARTTLS. Without the counts the service name decides (587 and 25
// STARTTLS, 465 implicit, unnamed unknown).
func (a *Auditor) settle(c *pfConn, ended, starttls bool) {
	if len(c.logins) == 0 {
		return
	}
	var sec Security
	switch {
	case ended && starttls:
		sec = StartTLS
	case c.tls && ended:
		// TLS and no STARTTLS command: TLS from the first byte.
		sec = Implicit
	case c.tls || c.port == 465:
		// A 465 service without TLS logging still had TLS.
		sec = securityOf("smtp", c.port)
	case a.postfixTLSLogged:
		sec = NoTLS
	default:
		// smtpd_tls_loglevel is 0: no TLS line for any connection.
		sec = Unknown
	}
	var ev Event
	for _, l := range c.logins {
		ev = Event{Time: l.time, User: []byte(l.user), Proto: "smtp", Port: c.port, Security: sec,
			TLS: c.version, Cipher: []byte(c.cipher), RemoteIP: []byte(l.ip)}
		a.login(&ev)
	}
	c.logins = c.logins[:0]
}

func (a *Auditor) login(ev *Event) {
	user := a.lowerUser(ev.User)
	m, ok := a.mailboxes[string(user)]
	if !ok {
		m = &Mailbox{Address: string(user)}
		a.mailboxes[m.Address] = m
	}
	m.Logins++
	if !ev.Time.IsZero() {
		if m.First.IsZero() || ev.Time.Before(m.First) {
			m.First = ev.Time
		}
		if ev.Time.After(m.Last) {
			m.Last = ev.Time
		}
	}
	if ev.Port == 0 && ev.Security != StartTLS && ev.Security != Implicit {
		// (A Postfix login on an unnamed service whose disconnect line
		// told STARTTLS from implicit TLS needs no port.)
		a.stats.LoginsWithoutPort++
	}
	if ev.TLS == "" && ev.Security != NoTLS {
		a.stats.LoginsWithoutTLSVersion++
	}
	a.addAccess(m, ev)
	if ev.Proto == "imap" {
		if c, ok := a.pendingID[string(ev.Session)]; ok && len(ev.Session) > 0 {
			delete(a.pendingID, string(ev.Session))
			addClient(m, c)
		} else {
			m.NoID++
		}
	}
	if a.opt.WithIPs && len(ev.RemoteIP) > 0 {
		found := false
		for _, ip := range m.IPs {
			if ip == string(ev.RemoteIP) {
				found = true
				break
			}
		}
		if !found && len(m.IPs) < maxIPs {
			m.IPs = append(m.IPs, clip(ev.RemoteIP))
		}
	}
}

func (a *Auditor) addAccess(m *Mailbox, ev *Event) {
	for i := range m.Access {
		x := &m.Access[i]
		if x.Proto == ev.Proto && x.Port == ev.Port && x.Security == ev.Security && x.TLS == ev.TLS && x.Cipher == string(ev.Cipher) {
			x.Logins++
			if ev.Time.After(x.Last) {
				x.Last = ev.Time
			}
			return
		}
	}
	if len(m.Access) >= maxAccess {
		m.MoreAccess++
		return
	}
	m.Access = append(m.Access, Access{Proto: ev.Proto, Port: ev.Port, Security: ev.Security, TLS: ev.TLS,
		Cipher: clip(ev.Cipher), Logins: 1, Last: ev.Time})
}

func addClient(m *Mailbox, c Client) {
	for _, x := range m.Clients {
		if x == c {
			return
		}
	}
	if len(m.Clients) < maxClients {
		m.Clients = append(m.Clients, c)
	}
}
