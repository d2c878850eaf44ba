// Package fakemail runs small in-process mail servers for tests: the
// minimal or hostile behaviour a real Dovecot or Postfix will not show
// (a server that counts the commands carrying a password, answers a login
// slowly, offers no AUTH). Real protocol behaviour is tested against the
// real servers (internal/dovecottest, internal/postfixtest).
package fakemail

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

// Serve accepts connections on ln until the test ends and runs handle on
// each; every connection is closed when handle returns or the test ends.
func Serve(t testing.TB, ln net.Listener, handle func(net.Conn)) {
	t.Cleanup(func() { ln.Close() })
	go func() {
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
	}()
}

// Loopback serves handle on a fresh port of 127.0.0.1 and returns the
// listener's address.
func Loopback(t testing.TB, handle func(net.Conn)) *net.TCPAddr {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	Serve(t, ln, handle)
	return ln.Addr().(*net.TCPAddr)
}

// StandardPorts serves, on one fresh loopback address (127.92–127.191.x.y),
// each given port with its handler, so that code under test connects to
// the standard mail ports as it would to a real host; it returns the
// address. Binding ports below 1024 needs root, as the Dovecot tests do.
func StandardPorts(t testing.TB, handlers map[int]func(net.Conn)) string {
	t.Helper()
	for try := 0; try < 20; try++ {
		addr := fmt.Sprintf("127.%d.%d.%d", 92+rand.Intn(100), rand.Intn(250)+1, rand.Intn(250)+1)
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
			Serve(t, ln, handlers[p])
		}
		return addr
	}
	t.Fatal("no free loopback address for the standard mail ports (are the tests running as root?)")
	return ""
}

// Counter counts events from several connections at once.
type Counter struct{ n int32 }

// Add counts one.
func (c *Counter) Add() { atomic.AddInt32(&c.n, 1) }

// Count is how many were counted.
func (c *Counter) Count() int { return int(atomic.LoadInt32(&c.n)) }

// lines runs a line-based exchange behind implicit TLS with cfg: the
// greeting, then each line the client sends goes to reply, until reply
// says the session is over or the client goes.
func lines(raw net.Conn, cfg *tls.Config, greeting string, reply func(line string, say func(string)) (done bool)) {
	c := tls.Server(raw, cfg)
	if c.Handshake() != nil {
		return
	}
	w := bufio.NewWriter(c)
	say := func(s string) { _, _ = w.WriteString(s + "\r\n"); _ = w.Flush() }
	say(greeting)
	r := bufio.NewReader(c)
	for {
		line, err := r.ReadString('\n')
		if err != nil || reply(line, say) {
			return
		}
	}
}

// IMAPS is a minimal IMAP server behind implicit TLS: enough for a
// greeting with capabilities, CAPABILITY, LOGIN/AUTHENTICATE and LOGOUT.
// login is called for each command that carries a password and returns
// its tagged reply; every other command is answered OK.
func IMAPS(cfg *tls.Config, login func(tag string) string) func(net.Conn) {
	return func(raw net.Conn) {
		lines(raw, cfg, "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] fake ready", func(line string, say func(string)) bool {
			f := strings.Fields(line)
			if len(f) < 2 {
				return false
			}
			tag := f[0]
			switch strings.ToUpper(f[1]) {
			case "CAPABILITY":
				say("* CAPABILITY IMAP4rev1 AUTH=PLAIN")
			case "LOGIN", "AUTHENTICATE":
				say(login(tag))
				return false
			case "LOGOUT":
				say("* BYE")
				say(tag + " OK bye")
				return true
			}
			say(tag + " OK done")
			return false
		})
	}
}

// SMTP says how SMTPS behaves.
type SMTP struct {
	// Extensions are the EHLO keywords after the greeting line, such as
	// "AUTH PLAIN"; none is a server without AUTH.
	Extensions []string
	// Auth answers an AUTH command (it is called for each).
	Auth func() string
	// Quit, if set, hears each QUIT.
	Quit func()
	// Other answers every other command.
	Other string
}

// SMTPS is a minimal submission server behind implicit TLS.
func SMTPS(cfg *tls.Config, s SMTP) func(net.Conn) {
	return func(raw net.Conn) {
		lines(raw, cfg, "220 fake ESMTP", func(line string, say func(string)) bool {
			switch strings.ToUpper(strings.Fields(line + " x")[0]) {
			case "EHLO":
				ext := append([]string{"fake"}, s.Extensions...)
				for i, e := range ext {
					sep := "-"
					if i == len(ext)-1 {
						sep = " "
					}
					say("250" + sep + e)
				}
			case "AUTH":
				say(s.Auth())
			case "QUIT":
				if s.Quit != nil {
					s.Quit()
				}
				say("221 2.0.0 Bye")
				return true
			default:
				say(s.Other)
			}
			return false
		})
	}
}
