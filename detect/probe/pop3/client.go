package pop3

import (
	"bufio"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"strings"
)

// maxCapaLines bounds a CAPA listing, which real servers keep to a dozen
// lines; it need not be as generous as MaxResponseLines.
const maxCapaLines = 1000

// maxCommandLength is the RFC 2449 limit on a command line including CRLF;
// RFC 5034 uses it to decide whether an AUTH initial response fits.
const maxCommandLength = 255

// Client speaks POP3 on a net.Conn. See the package documentation for the
// limits it enforces.
type Client struct {
	raw      net.Conn // the caller's conn, closed directly by Close
	conn     net.Conn // the transport in use: the TLS conn after StartTLS
	r        *bufio.Reader
	tlsConn  *tls.Conn
	greeting string
	// broken is the error that left the session out of step with the
	// server (a failed read or write, an unparseable reply); every later
	// command fails with it rather than misreading the stream.
	broken error
}

// NewClient reads and checks the server's greeting. A -ERR greeting or one
// that is not POP3 at all is a *ProtocolError.
func NewClient(conn net.Conn) (*Client, error) {
	c := &Client{raw: conn, conn: conn, r: bufio.NewReaderSize(conn, readBufferSize)}
	line, err := c.readLine()
	if err != nil {
		return nil, fmt.Errorf("pop3 greeting: %w", err)
	}
	ok, code, text, err := ParseStatusLine(line)
	if err != nil {
		return nil, fmt.Errorf("pop3 greeting: %w", err)
	}
	if !ok {
		refusal := &Error{Code: code, Text: evidence(text)}
		return nil, fmt.Errorf("pop3 greeting: server refused: %w", &ProtocolError{Got: evidence(line), refusal: refusal})
	}
	c.greeting = text
	return c, nil
}

// Greeting returns the text of the server's +OK greeting as sent (it may
// hold an APOP timestamp), bounded by MaxLineLength but not sanitised.
func (c *Client) Greeting() string {
	return c.greeting
}

// Capa returns the capability lines as sent, such as "STLS" or
// "SASL PLAIN LOGIN". Servers that predate RFC 2449 answer with an *Error.
func (c *Client) Capa() ([]string, error) {
	if err := c.command("CAPA", "", nil); err != nil {
		return nil, err
	}
	var caps []string
	err := c.readMultiLine(func(line string) error {
		if len(caps) >= maxCapaLines {
			return fmt.Errorf("more than %d capabilities: %w", maxCapaLines, ErrResponseTooLong)
		}
		caps = append(caps, line)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("pop3 CAPA: %w", err)
	}
	return caps, nil
}

// HasCapability reports whether caps lists name, compared case-insensitively
// with the first word of each line, as capability names are (RFC 2449).
func HasCapability(caps []string, name string) bool {
	for _, capa := range caps {
		fields := strings.Fields(capa)
		if len(fields) > 0 && strings.EqualFold(fields[0], name) {
			return true
		}
	}
	return false
}

// StartTLS sends STLS and, on +OK, does the TLS handshake on the same
// connection; all later I/O goes over TLS.
func (c *Client) StartTLS(cfg *tls.Config) error {
	if cfg == nil {
		return errors.New("pop3 STLS: nil tls.Config")
	}
	if c.tlsConn != nil {
		return errors.New("pop3 STLS: connection already uses TLS")
	}
	if err := c.command("STLS", "", nil); err != nil {
		return err
	}
	if n := c.r.Buffered(); n > 0 {
		// Plaintext the server sent after its +OK would be read as if it
		// came over TLS: the STARTTLS command injection of CVE-2011-0411.
		return c.fail(fmt.Errorf("pop3 STLS: server sent %d bytes after +OK before the TLS handshake", n))
	}
	tc := tls.Client(c.conn, cfg)
	if err := tc.Handshake(); err != nil {
		return c.fail(fmt.Errorf("pop3 STLS: TLS handshake: %w", err))
	}
	c.conn, c.tlsConn = tc, tc
	c.r = bufio.NewReaderSize(tc, readBufferSize)
	return nil
}

// TLSConnectionState returns the TLS state once StartTLS has succeeded.
func (c *Client) TLSConnectionState() (tls.ConnectionState, bool) {
	if c.tlsConn == nil {
		return tls.ConnectionState{}, false
	}
	return c.tlsConn.ConnectionState(), true
}

// User sends USER.
func (c *Client) User(user string) error {
	if err := checkArg("user name", user); err != nil {
		return fmt.Errorf("pop3 USER: %w", err)
	}
	return c.command("USER", user, nil)
}

// Pass sends PASS. The password is not kept, and is redacted from the
// server's reply before it can appear in an error.
func (c *Client) Pass(pass string) error {
	if err := checkArg("password", pass); err != nil {
		return fmt.Errorf("pop3 PASS: %w", err)
	}
	return c.command("PASS", pass, []string{pass})
}

// UserPassPipelined sends USER and PASS together and then reads both
// replies (RFC 2449 PIPELINING; only for a server that announces it).
// A refused USER is the error even though PASS went out with it.
func (c *Client) UserPassPipelined(user, pass string) error {
	if err := checkArg("user name", user); err != nil {
		return fmt.Errorf("pop3 USER: %w", err)
	}
	if err := checkArg("password", pass); err != nil {
		return fmt.Errorf("pop3 PASS: %w", err)
	}
	secrets := []string{pass}
	if err := c.write("USER", "USER "+user+"\r\nPASS "+pass, secrets); err != nil {
		return err
	}
	userErr := c.reply("USER", secrets)
	passErr := c.reply("PASS", secrets)
	if userErr != nil {
		return userErr
	}
	return passErr
}

// reply reads one single-line status reply of verb.
func (c *Client) reply(verb string, secrets []string) error {
	line, err := c.readLine()
	if err != nil {
		return fmt.Errorf("pop3 %s: %w", verb, err)
	}
	if _, err := c.checkReply(line, secrets); err != nil {
		return fmt.Errorf("pop3 %s: %w", verb, err)
	}
	return nil
}

// AuthPlain authenticates with SASL PLAIN (RFC 5034, RFC 4616), sending the
// credentials as an initial response when the command line allows it.
func (c *Client) AuthPlain(user, pass string) error {
	if strings.ContainsRune(user, 0) || strings.ContainsRune(pass, 0) {
		return errors.New("pop3 AUTH: user name or password contains NUL, which SASL PLAIN cannot carry")
	}
	blob := base64.StdEncoding.EncodeToString([]byte("\x00" + user + "\x00" + pass))
	secrets := []string{pass, blob}
	args := "PLAIN " + blob
	if len("AUTH "+args+"\r\n") > maxCommandLength {
		args = "PLAIN"
	}
	if err := c.send("AUTH", args, secrets); err != nil {
		return err
	}
	return c.finishAuth(blob, secrets)
}

// finishAuth answers one server challenge with the credentials: that is
// the exchange when no initial response was sent, and it also satisfies
// servers that ignore an initial response.
func (c *Client) finishAuth(blob string, secrets []string) error {
	line, err := c.readLine()
	if err != nil {
		return fmt.Errorf("pop3 AUTH: %w", err)
	}
	if line == "+" || strings.HasPrefix(line, "+ ") {
		if err := c.write("AUTH", blob, secrets); err != nil {
			return err
		}
		if line, err = c.readLine(); err != nil {
			return fmt.Errorf("pop3 AUTH: %w", err)
		}
	}
	_, err = c.checkReply(line, secrets)
	if err != nil {
		return fmt.Errorf("pop3 AUTH: %w", err)
	}
	return nil
}

// Stat returns the number of messages and the size of the maildrop.
func (c *Client) Stat() (count int, size int64, err error) {
	text, err := c.commandText("STAT", "", nil)
	if err != nil {
		return 0, 0, err
	}
	count, size, err = ParseStat(text)
	if err != nil {
		return 0, 0, fmt.Errorf("pop3 STAT: %w", err)
	}
	return count, size, nil
}

// StatUidlPipelined sends STAT and UIDL together (RFC 2449 PIPELINING)
// and reads both answers: Stat's and Uidl's results.
func (c *Client) StatUidlPipelined() (count int, size int64, statErr error, ids []string, uidlErr error) {
	if err := c.write("STAT", "STAT\r\nUIDL", nil); err != nil {
		return 0, 0, err, nil, err
	}
	line, err := c.readLine()
	if err != nil {
		err = fmt.Errorf("pop3 STAT: %w", err)
		return 0, 0, err, nil, err
	}
	if text, err := c.checkReply(line, nil); err != nil {
		statErr = fmt.Errorf("pop3 STAT: %w", err)
	} else if count, size, err = ParseStat(text); err != nil {
		statErr = fmt.Errorf("pop3 STAT: %w", err)
	}
	if c.broken != nil {
		return count, size, statErr, nil, c.broken
	}
	if err := c.reply("UIDL", nil); err != nil {
		return count, size, statErr, nil, err
	}
	var l uidList
	if err := c.readMultiLine(l.add); err != nil {
		return count, size, statErr, nil, fmt.Errorf("pop3 UIDL: %w", err)
	}
	return count, size, statErr, l.strings(), nil
}

// Uidl returns the unique-ids of all messages, in the order listed.
func (c *Client) Uidl() ([]string, error) {
	if err := c.command("UIDL", "", nil); err != nil {
		return nil, err
	}
	var ids uidList
	if err := c.readMultiLine(ids.add); err != nil {
		return nil, fmt.Errorf("pop3 UIDL: %w", err)
	}
	return ids.strings(), nil
}

// Quit ends the session; the caller still closes the connection.
func (c *Client) Quit() error {
	return c.command("QUIT", "", nil)
}

// QuitNoWait sends QUIT without waiting for the answer, which tells
// nothing and would cost a round trip; the caller closes the connection.
func (c *Client) QuitNoWait() error {
	return c.send("QUIT", "", nil)
}

// Close closes the underlying connection at once. It skips the TLS
// close_notify on purpose: that write can block for seconds on a peer that
// stopped reading, and QUIT already ends a POP3 session cleanly.
func (c *Client) Close() error {
	return c.raw.Close()
}

// uidList keeps a listing as one string plus offsets: a huge mailbox then
// costs one allocation instead of one per message, and no id pins the
// (possibly padded) line it came from.
type uidList struct {
	data strings.Builder
	ends []int
}

func (l *uidList) add(line string) error {
	_, uid, err := ParseUidlLine(line)
	if err != nil {
		return err
	}
	l.data.WriteString(uid)
	l.ends = append(l.ends, l.data.Len())
	return nil
}

func (l *uidList) strings() []string {
	all := l.data.String()
	ids := make([]string, len(l.ends))
	start := 0
	for i, end := range l.ends {
		ids[i] = all[start:end]
		start = end
	}
	return ids
}

// checkArg refuses what would end the command line early and let the rest
// be read as a second command. The value itself stays out of the error.
func checkArg(what, s string) error {
	if strings.ContainsAny(s, "\r\n\x00") {
		return fmt.Errorf("%s contains CR, LF or NUL", what)
	}
	if len(s) > MaxLineLength {
		return fmt.Errorf("%s longer than %d bytes", what, MaxLineLength)
	}
	return nil
}

// command sends a command and checks its single-line status reply.
func (c *Client) command(verb, args string, secrets []string) error {
	_, err := c.commandText(verb, args, secrets)
	return err
}

// commandText is command returning the text of the +OK reply.
func (c *Client) commandText(verb, args string, secrets []string) (string, error) {
	if err := c.send(verb, args, secrets); err != nil {
		return "", err
	}
	line, err := c.readLine()
	if err != nil {
		return "", fmt.Errorf("pop3 %s: %w", verb, err)
	}
	text, err := c.checkReply(line, secrets)
	if err != nil {
		return "", fmt.Errorf("pop3 %s: %w", verb, err)
	}
	return text, nil
}

// send writes verb and args as one command line.
func (c *Client) send(verb, args string, secrets []string) error {
	line := verb
	if args != "" {
		line += " " + args
	}
	return c.write(verb, line, secrets)
}

// write sends one line. Errors name only the verb: the line may hold a
// password.
func (c *Client) write(verb, line string, secrets []string) error {
	if c.broken != nil {
		err := fmt.Errorf("pop3 %s: session unusable after an earlier error: %w", verb, c.broken)
		return &redactedError{err: err, text: redact(err.Error(), secrets)}
	}
	if _, err := c.conn.Write([]byte(line + "\r\n")); err != nil {
		return c.fail(fmt.Errorf("pop3 %s: write: %w", verb, err))
	}
	return nil
}

// checkReply turns a status line into its +OK text or an error, with
// secrets removed before anything of the line is kept.
func (c *Client) checkReply(line string, secrets []string) (string, error) {
	ok, code, text, err := ParseStatusLine(line)
	if err != nil {
		return "", c.fail(&ProtocolError{Got: safeEvidence(line, secrets)})
	}
	if !ok {
		return "", &Error{Code: redact(code, secrets), Text: safeEvidence(text, secrets)}
	}
	return text, nil
}

func (c *Client) readLine() (string, error) {
	line, err := readLine(c.r)
	if err != nil {
		return "", c.fail(err)
	}
	return line, nil
}

// readMultiLine hands each dot-unstuffed line of a multi-line response to
// fn until the terminating ".". After fn's first error it keeps reading to
// the terminator, bounded by MaxResponseLines, so the session stays in
// step, and then returns that error.
func (c *Client) readMultiLine(fn func(line string) error) error {
	var firstErr error
	for n := 0; ; n++ {
		line, err := c.readLine()
		if err != nil {
			return err
		}
		if line == "." {
			return firstErr
		}
		if n >= MaxResponseLines {
			return c.fail(ErrResponseTooLong)
		}
		line = strings.TrimPrefix(line, ".")
		if firstErr == nil {
			firstErr = fn(line)
		}
	}
}

// redactedError shows an earlier error again without any secret of the
// command now failing: the server may have sent that text before it was
// given the secret (by luck or by a guess), and it must not reappear next
// to it. Unwrap still reaches the original for errors.Is and errors.As.
type redactedError struct {
	err  error
	text string
}

func (e *redactedError) Error() string { return e.text }
func (e *redactedError) Unwrap() error { return e.err }

// fail records err as the reason the session can no longer be trusted.
func (c *Client) fail(err error) error {
	if c.broken == nil {
		c.broken = err
	}
	return err
}
