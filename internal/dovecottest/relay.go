package dovecottest

import (
	"bufio"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"
)

// relayStub is the SMTP server Dovecot's submission service relays to.
// Dovecot connects to its relay right after a successful AUTH; without one
// listening, the client's next command, even QUIT, gets "421 Failed to
// connect to relay server". The stub lets sessions go on normally but
// refuses every message, so a test can never send mail anywhere.
type relayStub struct {
	ln    net.Listener
	mu    sync.Mutex
	conns map[net.Conn]struct{}
	wg    sync.WaitGroup
}

func startRelayStub() (*relayStub, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen for submission relay stub: %w", err)
	}
	r := &relayStub{ln: ln, conns: make(map[net.Conn]struct{})}
	r.wg.Add(1)
	go r.accept()
	return r, nil
}

func (r *relayStub) port() int {
	return r.ln.Addr().(*net.TCPAddr).Port
}

func (r *relayStub) accept() {
	defer r.wg.Done()
	for {
		c, err := r.ln.Accept()
		if err != nil {
			return // closed by Stop
		}
		if !r.track(c) {
			c.Close()
			return
		}
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			defer r.untrack(c)
			serveRelay(c)
		}()
	}
}

// track registers c unless the stub is closing, so close can end every
// session and then wait for its goroutine.
func (r *relayStub) track(c net.Conn) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.conns == nil {
		return false
	}
	r.conns[c] = struct{}{}
	return true
}

func (r *relayStub) untrack(c net.Conn) {
	r.mu.Lock()
	delete(r.conns, c)
	r.mu.Unlock()
	c.Close()
}

func (r *relayStub) close() {
	r.ln.Close()
	r.mu.Lock()
	for c := range r.conns {
		c.Close()
	}
	r.conns = nil
	r.mu.Unlock()
	r.wg.Wait()
}

func serveRelay(c net.Conn) {
	_ = c.SetDeadline(time.Now().Add(10 * time.Minute))
	w := bufio.NewWriter(c)
	reply := func(lines ...string) bool {
		for _, l := range lines {
			w.WriteString(l + "\r\n")
		}
		return w.Flush() == nil
	}
	if !reply("220 relay.invalid ESMTP dovecottest relay stub") {
		return
	}
	r := bufio.NewReader(c)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		verb := strings.ToUpper(strings.Fields(line + " x")[0])
		var ok bool
		switch verb {
		case "EHLO":
			ok = reply("250-relay.invalid", "250-8BITMIME", "250 ENHANCEDSTATUSCODES")
		case "HELO", "NOOP", "RSET":
			ok = reply("250 2.0.0 OK")
		case "MAIL", "RCPT", "DATA", "BDAT":
			ok = reply("554 5.7.1 dovecottest relay stub accepts no mail")
		case "QUIT":
			reply("221 2.0.0 Bye")
			return
		default:
			ok = reply("502 5.5.2 Command not implemented")
		}
		if !ok {
			return
		}
	}
}
