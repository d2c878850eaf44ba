package check

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"math/rand"
	"net"
	"strings"
	"sync/atomic"
	"testing"
)

// fakeServers listens on the given standard ports of one fresh loopback
// address and runs each port's handler on every connection to it; it
// returns the address.
func fakeServers(t *testing.T, handlers map[int]func(net.Conn)) string {
	t.Helper()
	for try := 0; try < 20; try++ {
		addr := fmt.Sprintf("127.92.%d.%d", rand.Intn(250)+1, rand.Intn(250)+1)
		lns := map[int]net.Listener{}
		for p := range handlers {
			ln, err := net.Listen("tcp", net.JoinHostPort(addr, fmt.Sprint(p)))
			if err != nil {
				break
			}
			lns[p] = ln
		}
		if len(lns) < len(handlers) {
			for _, ln := range lns {
				ln.Close()
			}
			continue
		}
		for p, ln := range lns {
			ln, handle := ln, handlers[p]
			t.Cleanup(func() { ln.Close() })
			go serve(t, ln, handle)
		}
		return addr
	}
	t.Fatal("no free loopback address for the standard mail ports (are the tests running as root?)")
	return ""
}

func serve(t *testing.T, ln net.Listener, handle func(net.Conn)) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		t.Cleanup(func() { c.Close() })
		go func() {
			defer c.Close()
			handle(c)
		}()
	}
}

// loginCounter counts the commands that would carry a password (IMAP
// LOGIN/AUTHENTICATE, SMTP AUTH), whatever the server answers.
type loginCounter struct{ n int32 }

func (l *loginCounter) add()       { atomic.AddInt32(&l.n, 1) }
func (l *loginCounter) count() int { return int(atomic.LoadInt32(&l.n)) }

// fakeIMAPS is a minimal IMAP server behind implicit TLS with cfg: enough
// for the probe's greeting, CAPABILITY and LOGIN, and it counts logins.
func fakeIMAPS(cfg *tls.Config, logins *loginCounter) func(net.Conn) {
	return func(raw net.Conn) {
		c := tls.Server(raw, cfg)
		if c.Handshake() != nil {
			return
		}
		w := bufio.NewWriter(c)
		say := func(s string) { _, _ = w.WriteString(s + "\r\n"); _ = w.Flush() }
		say("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] fake ready")
		r := bufio.NewReader(c)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			f := strings.Fields(line)
			if len(f) < 2 {
				continue
			}
			tag, cmd := f[0], strings.ToUpper(f[1])
			switch cmd {
			case "CAPABILITY":
				say("* CAPABILITY IMAP4rev1 AUTH=PLAIN")
			case "LOGIN", "AUTHENTICATE":
				logins.add()
			case "LOGOUT":
				say("* BYE")
				say(tag + " OK bye")
				return
			}
			say(tag + " OK done")
		}
	}
}

// fakeSubmissions is an SMTP server behind implicit TLS that offers no
// AUTH at all (Postfix with SASL switched off) and counts AUTH commands.
func fakeSubmissions(cfg *tls.Config, logins *loginCounter) func(net.Conn) {
	return func(raw net.Conn) {
		c := tls.Server(raw, cfg)
		if c.Handshake() != nil {
			return
		}
		w := bufio.NewWriter(c)
		say := func(s string) { _, _ = w.WriteString(s + "\r\n"); _ = w.Flush() }
		say("220 fake ESMTP")
		r := bufio.NewReader(c)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			switch cmd := strings.ToUpper(strings.Fields(line + " x")[0]); cmd {
			case "EHLO":
				say("250-fake")
				say("250-PIPELINING")
				say("250 8BITMIME")
			case "AUTH":
				logins.add()
				say("503 5.5.1 Error: authentication not enabled")
			case "QUIT":
				say("221 2.0.0 Bye")
				return
			default:
				say("250 2.0.0 Ok")
			}
		}
	}
}
