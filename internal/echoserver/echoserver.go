// Package echoserver runs, for tests, the hostile mail servers of the
// "echoed password" attack: an IMAP server on 993 that answers LOGIN with
// NO and the password it was sent, and a submission server on 465 that
// answers AUTH with 535 and the base64 it was sent, both over implicit
// TLS with a certificate from internal/testpki. They parse what the
// client really sent (quoted strings, literals, SASL payloads) and echo
// that, in the form the test asks for.
package echoserver

import (
	"bufio"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"maildoctor.app/maildoctor/internal/fakemail"
	"maildoctor.app/maildoctor/internal/testpki"
)

// Form is how a server echoes the password in its refusal.
type Form string

// The forms of the IMAP server's echo, in `NO [AUTHENTICATIONFAILED] bad
// password "<echo>"`.
const (
	// Raw is the password as received.
	Raw Form = "raw"
	// IMAPQuoted is the password as an IMAP quoted string's inside:
	// Pa\"ss\\word for Pa"ss\word.
	IMAPQuoted Form = "imap-quoted"
	// PlainBase64 is the base64 of the SASL PLAIN payload "\0user\0pass".
	PlainBase64 Form = "plain-base64"
	// URLEncoded is the password query-escaped.
	URLEncoded Form = "url-encoded"
)

// IMAPForms are the forms the IMAP server can echo.
var IMAPForms = []Form{Raw, IMAPQuoted, PlainBase64, URLEncoded}

// SMTP mechanisms the submission server can offer. Its 535 reply echoes
// the base64 it got: the PLAIN payload, or LOGIN's password.
const (
	MechPlain = "PLAIN"
	MechLogin = "LOGIN"
)

// Config says which servers to start. An empty IMAP form or SMTP
// mechanism leaves that port closed.
type Config struct {
	// Host is the name in the certificate.
	Host string
	// CA signs the certificate; nil makes a new one.
	CA   *testpki.CA
	IMAP Form
	SMTP string
	// Pad puts that many filler bytes before the IMAP server's echo, so
	// that a cap on the error's length cuts inside the password.
	Pad int
}

// Fake is a running pair of servers.
type Fake struct {
	// Addr is the loopback address they listen on (standard ports).
	Addr string
	CA   *testpki.CA
	// logins counts LOGIN and AUTH commands received.
	logins int32
}

// Logins is how many login attempts reached the servers.
func (f *Fake) Logins() int { return int(atomic.LoadInt32(&f.logins)) }

// Start listens on a fresh 127.x.y.z address with ports 993 (IMAP) and
// 465 (submission), as configured; the other mail ports there are closed.
// Binding them needs root, as for the Dovecot tests.
func Start(t testing.TB, cfg Config) *Fake {
	t.Helper()
	f := &Fake{CA: cfg.CA}
	if f.CA == nil {
		f.CA = testpki.NewCA(t, "Mail Doctor Test Root")
	}
	pair := f.CA.Leaf(t, testpki.LeafOptions{Names: []string{cfg.Host}})
	tcfg := &tls.Config{Certificates: []tls.Certificate{pair.TLSCertificate(t)}, MinVersion: tls.VersionTLS12}
	type service struct {
		port  int
		serve func(*bufio.ReadWriter)
	}
	var svcs []service
	if cfg.IMAP != "" {
		svcs = append(svcs, service{993, func(rw *bufio.ReadWriter) { f.imap(rw, cfg.IMAP, strings.Repeat("x", cfg.Pad)) }})
	}
	if cfg.SMTP != "" {
		svcs = append(svcs, service{465, func(rw *bufio.ReadWriter) { f.smtp(rw, cfg.SMTP, cfg.Host) }})
	}
	handlers := map[int]func(net.Conn){}
	for _, s := range svcs {
		serve := s.serve
		handlers[s.port] = func(c net.Conn) {
			tc := tls.Server(c, tcfg)
			_ = tc.SetDeadline(time.Now().Add(30 * time.Second))
			serve(bufio.NewReadWriter(bufio.NewReader(tc), bufio.NewWriter(tc)))
		}
	}
	f.Addr = fakemail.StandardPorts(t, handlers)
	return f
}

func send(rw *bufio.ReadWriter, lines ...string) bool {
	for _, l := range lines {
		if _, err := rw.WriteString(l + "\r\n"); err != nil {
			return false
		}
	}
	return rw.Flush() == nil
}

func readLine(rw *bufio.ReadWriter) (string, error) {
	l, err := rw.ReadString('\n')
	return strings.TrimRight(l, "\r\n"), err
}

// imap speaks just enough IMAP for the probe and the login.
func (f *Fake) imap(rw *bufio.ReadWriter, form Form, pad string) {
	if !send(rw, "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] echo ready") {
		return
	}
	for {
		args, err := readCommand(rw)
		if err != nil || len(args) < 2 {
			return
		}
		tag, cmd := args[0], strings.ToUpper(args[1])
		switch {
		case cmd == "CAPABILITY":
			send(rw, "* CAPABILITY IMAP4rev1 AUTH=PLAIN", tag+" OK done")
		case cmd == "LOGIN" && len(args) == 4:
			atomic.AddInt32(&f.logins, 1)
			send(rw, tag+" NO [AUTHENTICATIONFAILED] "+pad+`bad password "`+echo(form, args[2], args[3])+`"`)
		case cmd == "LOGOUT":
			send(rw, "* BYE bye", tag+" OK done")
			return
		case cmd == "NOOP":
			send(rw, tag+" OK done")
		default:
			send(rw, tag+" BAD not here")
		}
	}
}

func echo(form Form, user, pass string) string {
	switch form {
	case IMAPQuoted:
		return strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(pass)
	case PlainBase64:
		return base64.StdEncoding.EncodeToString([]byte("\x00" + user + "\x00" + pass))
	case URLEncoded:
		return url.QueryEscape(pass)
	}
	return pass
}

// Forms are the ways a password can come back from these servers and
// others, by name: written out here, apart from detect/secret whose
// Forms they test.
func Forms(user, password string) map[string]string {
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	plain := b64("\x00" + user + "\x00" + password)
	return map[string]string{
		"raw":                   password,
		"imap-quoted":           echo(IMAPQuoted, user, password),
		"sasl-plain-base64":     plain,
		"sasl-plain-base64-raw": strings.TrimRight(plain, "="),
		"sasl-login-base64":     b64(password),
		"query-escaped":         url.QueryEscape(password),
		"path-escaped":          url.PathEscape(password),
		"ascii-escaped":         strings.Trim(strconv.QuoteToASCII(password), `"`),
	}
}

// Leaks names the Forms of the password found in out, as they are or
// JSON-escaped (out may be JSON).
func Leaks(out, user, password string) []string {
	var found []string
	for name, f := range Forms(user, password) {
		js, _ := json.Marshal(f)
		if strings.Contains(out, f) || strings.Contains(out, strings.Trim(string(js), `"`)) {
			found = append(found, name)
		}
	}
	sort.Strings(found)
	return found
}

var literal = regexp.MustCompile(`^~?\{([0-9]{1,6})(\+?)\}$`)

// readCommand reads one IMAP command: its tag, name and arguments as
// atoms, quoted strings and literals (asking for a synchronizing
// literal's bytes with a continuation).
func readCommand(rw *bufio.ReadWriter) ([]string, error) {
	line, err := readLine(rw)
	if err != nil {
		return nil, err
	}
	var args []string
	for i := 0; i < len(line); {
		switch c := line[i]; {
		case c == ' ':
			i++
		case c == '"':
			var b strings.Builder
			j := i + 1
			for ; j < len(line) && line[j] != '"'; j++ {
				if line[j] == '\\' && j+1 < len(line) {
					j++
				}
				b.WriteByte(line[j])
			}
			args = append(args, b.String())
			i = j + 1
		case literal.MatchString(line[i:]):
			m := literal.FindStringSubmatch(line[i:])
			n, _ := strconv.Atoi(m[1])
			if m[2] == "" && !send(rw, "+ go ahead") {
				return nil, fmt.Errorf("write failed")
			}
			buf := make([]byte, n)
			if _, err := io.ReadFull(rw, buf); err != nil {
				return nil, err
			}
			args = append(args, string(buf))
			if line, err = readLine(rw); err != nil {
				return nil, err
			}
			i = 0
		default:
			j := strings.IndexByte(line[i:], ' ')
			if j < 0 {
				j = len(line) - i
			}
			args = append(args, line[i:i+j])
			i += j
		}
	}
	return args, nil
}

// smtp speaks just enough ESMTP for the probe and AUTH, offering one
// mechanism and echoing the base64 it gets in the 535 refusal.
func (f *Fake) smtp(rw *bufio.ReadWriter, mech, host string) {
	if !send(rw, "220 "+host+" ESMTP echo") {
		return
	}
	for {
		line, err := readLine(rw)
		if err != nil {
			return
		}
		fields := strings.Fields(line)
		if len(fields) == 0 {
			send(rw, "500 5.5.2 empty")
			continue
		}
		switch strings.ToUpper(fields[0]) {
		case "EHLO":
			send(rw, "250-"+host, "250-AUTH "+mech, "250 8BITMIME")
		case "HELO", "NOOP", "RSET":
			send(rw, "250 2.0.0 ok")
		case "AUTH":
			atomic.AddInt32(&f.logins, 1)
			if got, ok := smtpAuth(rw, fields[1:]); ok {
				send(rw, "535 5.7.8 Authentication failed: bad credentials "+got)
			}
		case "QUIT":
			send(rw, "221 2.0.0 bye")
			return
		default:
			send(rw, "502 5.5.2 not here")
		}
	}
}

// smtpAuth runs the AUTH exchange and returns the base64 that holds the
// password: PLAIN's payload, LOGIN's second answer.
func smtpAuth(rw *bufio.ReadWriter, args []string) (string, bool) {
	if len(args) == 0 {
		send(rw, "501 5.5.4 mechanism?")
		return "", false
	}
	answer := func(challenge string) (string, bool) {
		if !send(rw, "334 "+challenge) {
			return "", false
		}
		l, err := readLine(rw)
		return l, err == nil
	}
	switch strings.ToUpper(args[0]) {
	case MechPlain:
		if len(args) > 1 {
			return args[1], true
		}
		return answer("")
	case MechLogin:
		if len(args) == 1 {
			if _, ok := answer(base64.StdEncoding.EncodeToString([]byte("Username:"))); !ok {
				return "", false
			}
		}
		return answer(base64.StdEncoding.EncodeToString([]byte("Password:")))
	}
	send(rw, "504 5.5.4 unknown mechanism")
	return "", false
}
