// Package latency is an in-process TCP proxy that puts a line's delay
// between the code under test and a server on loopback, so that a test or
// a benchmark can count round trips instead of loopback microseconds.
//
// Every chunk read from one side is written to the other side one one-way
// delay later, in order, without limiting bandwidth: pipelined data costs
// one delay, a request that waits for its answer costs a round trip. A new
// connection costs one round trip too, as TCP's handshake does on a real
// line: the upstream connection is opened one round trip after the client
// connected, and nothing the client sent reaches the server earlier than
// that plus the one-way delay.
package latency

import (
	"crypto/rand"
	"fmt"
	"io"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Proxy listens on its own loopback address, one listener per port, and
// forwards each port to the same port of the target address.
type Proxy struct {
	// Addr is the proxy's address (no port), e.g. 127.84.7.9.
	Addr string

	delay  time.Duration
	target string
	lns    []net.Listener
	// swallow, if set, picks client chunks after which the line goes
	// silent towards the server (SwallowOldHellos).
	swallow func([]byte) bool

	mu     sync.Mutex
	conns  map[net.Conn]bool
	closed bool
	wg     sync.WaitGroup
}

// Option changes how a Proxy carries data.
type Option func(*Proxy)

// SwallowOldHellos makes the line drop, silently, a TLS 1.0 or 1.1
// ClientHello and everything the client sends after it on that
// connection: what a middlebox or a server that ignores old hellos does
// (no alert, no reset; the client waits for its timeout). STARTTLS
// connections are caught too, at the hello after the plain-text part.
func SwallowOldHellos() Option {
	return func(p *Proxy) { p.swallow = isOldClientHello }
}

// isOldClientHello reports whether b starts with a TLS handshake record
// holding a ClientHello whose client_version is below TLS 1.2 (0x0303).
// A TLS 1.3 hello says 0x0303 there too, with the real versions in an
// extension, so it passes.
func isOldClientHello(b []byte) bool {
	const (
		recordHandshake = 0x16
		clientHello     = 0x01
	)
	if len(b) < 11 || b[0] != recordHandshake || b[1] != 0x03 || b[5] != clientHello {
		return false
	}
	return b[9] == 0x03 && b[10] < 0x03
}

// Start starts a proxy to target (an address without port) for each of
// ports, delaying every chunk by oneWay in each direction. It is stopped
// when the test ends.
func Start(t testing.TB, target string, ports []int, oneWay time.Duration, opts ...Option) *Proxy {
	t.Helper()
	p, err := New(target, ports, oneWay, opts...)
	if err != nil {
		t.Fatalf("latency proxy: %v", err)
	}
	t.Cleanup(p.Close)
	return p
}

// New is Start without a testing.TB; Close stops it.
func New(target string, ports []int, oneWay time.Duration, opts ...Option) (*Proxy, error) {
	var lastErr error
	for try := 0; try < 50; try++ {
		addr, err := randomLoopback()
		if err != nil {
			return nil, err
		}
		p := &Proxy{Addr: addr, delay: oneWay, target: target, conns: map[net.Conn]bool{}}
		for _, o := range opts {
			o(p)
		}
		if lastErr = p.listen(ports); lastErr == nil {
			return p, nil
		}
		p.Close()
	}
	return nil, fmt.Errorf("no free loopback address: %v", lastErr)
}

func (p *Proxy) listen(ports []int) error {
	for _, port := range ports {
		ln, err := net.Listen("tcp", net.JoinHostPort(p.Addr, strconv.Itoa(port)))
		if err != nil {
			return err
		}
		p.lns = append(p.lns, ln)
	}
	for i, ln := range p.lns {
		p.wg.Add(1)
		go p.accept(ln, ports[i])
	}
	return nil
}

// Delay is the one-way delay.
func (p *Proxy) Delay() time.Duration { return p.delay }

// RTT is the round-trip time the proxy adds.
func (p *Proxy) RTT() time.Duration { return 2 * p.delay }

// Close stops listening and drops every connection.
func (p *Proxy) Close() {
	p.mu.Lock()
	p.closed = true
	for c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	for _, ln := range p.lns {
		ln.Close()
	}
	p.wg.Wait()
}

func (p *Proxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		c.Close()
		return false
	}
	p.conns[c] = true
	return true
}

func (p *Proxy) untrack(c net.Conn) {
	p.mu.Lock()
	delete(p.conns, c)
	p.mu.Unlock()
	c.Close()
}

func (p *Proxy) accept(ln net.Listener, port int) {
	defer p.wg.Done()
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		if !p.track(c) {
			continue
		}
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.serve(c, port)
		}()
	}
}

// serve carries one connection. The upstream is dialled one round trip
// after accept (the client's SYN, the server's SYN-ACK); what the client
// sends meanwhile waits, then travels one more delay.
func (p *Proxy) serve(client net.Conn, port int) {
	defer p.untrack(client)
	accepted := time.Now()
	// Read the client's side from the start, so its chunks are stamped
	// with the time they were sent.
	up := newPipe(p.delay, accepted.Add(2*p.delay))
	up.swallow = p.swallow
	go up.read(client)
	sleepUntil(accepted.Add(2 * p.delay))
	server, err := net.DialTimeout("tcp", net.JoinHostPort(p.target, strconv.Itoa(port)), 5*time.Second)
	if err != nil {
		// Nothing listens: the client sees its connection reset.
		if tc, ok := client.(*net.TCPConn); ok {
			_ = tc.SetLinger(0)
		}
		close(up.done)
		return
	}
	if !p.track(server) {
		close(up.done)
		return
	}
	defer p.untrack(server)
	down := newPipe(p.delay, time.Time{})
	go down.read(server)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); up.write(server) }()
	go func() { defer wg.Done(); down.write(client) }()
	wg.Wait()
}

// chunk is data read at one moment, due at the other side later; nil data
// with eof set is the end of the stream.
type chunk struct {
	data []byte
	due  time.Time
	eof  bool
}

// pipe is one direction of a connection.
type pipe struct {
	delay    time.Duration
	notEarly time.Time
	ch       chan chunk
	done     chan struct{}
	// swallow, if set, says which chunk starts the silence: it and all
	// data after it are dropped; the end of the stream still passes.
	swallow func([]byte) bool
}

func newPipe(delay time.Duration, notEarly time.Time) *pipe {
	return &pipe{delay: delay, notEarly: notEarly, ch: make(chan chunk, 1024), done: make(chan struct{})}
}

func (p *pipe) read(from net.Conn) {
	defer close(p.ch)
	buf := make([]byte, 64<<10)
	silent := false
	for {
		n, err := from.Read(buf)
		now := time.Now()
		if now.Before(p.notEarly) {
			now = p.notEarly
		}
		if n > 0 && !silent && p.swallow != nil {
			silent = p.swallow(buf[:n])
		}
		if n > 0 && !silent {
			select {
			case p.ch <- chunk{data: append([]byte(nil), buf[:n]...), due: now.Add(p.delay)}:
			case <-p.done:
				return
			}
		}
		if err != nil {
			select {
			case p.ch <- chunk{due: now.Add(p.delay), eof: err == io.EOF}:
			case <-p.done:
			}
			return
		}
	}
}

// write delivers the chunks when they are due. The end of the stream is
// passed on as a half-close after EOF, as a reset otherwise.
func (p *pipe) write(to net.Conn) {
	defer close(p.done)
	for c := range p.ch {
		sleepUntil(c.due)
		if c.data == nil {
			if c.eof {
				if tc, ok := to.(*net.TCPConn); ok {
					_ = tc.CloseWrite()
					continue
				}
			}
			to.Close()
			return
		}
		if _, err := to.Write(c.data); err != nil {
			to.Close()
			return
		}
	}
}

func sleepUntil(t time.Time) {
	if d := time.Until(t); d > 0 {
		time.Sleep(d)
	}
}

// randomLoopback picks 127.84.x.y: apart from dovecottest's 127.83/16.
func randomLoopback() (string, error) {
	var b [2]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return fmt.Sprintf("127.84.%d.%d", b[0], int(b[1])%254+1), nil
}
