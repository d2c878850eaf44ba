package probe

import (
	"context"
	"errors"
	"net"
	"sync"
	"time"
)

// errTooMuchData ends a step whose server keeps talking past any sane reply
// size (an endless greeting line, a stream of garbage).
var errTooMuchData = errors.New("the server sent far more data than a mail server would")

// Read budgets per step. A greeting with capabilities fits in a few hundred
// bytes; a TLS handshake with a long chain in tens of kilobytes; a folder
// list of a large mailbox in a few megabytes.
const (
	budgetGreeting  = 64 << 10
	budgetHandshake = 256 << 10
	budgetSession   = 8 << 20
)

// stepConn is the connection every protocol library is given. It ignores
// the libraries' own deadlines (go-imap waits 30 s, go-smtp 5 minutes) so
// that every step ends within the timeout the user chose, and it caps how
// much a server may send in a step so a hostile one cannot fill memory.
type stepConn struct {
	net.Conn

	mu       sync.Mutex
	budget   int64
	first    []byte
	clear    []byte
	deadline time.Time
}

const firstBytes = 256

func newStepConn(c net.Conn) *stepConn {
	return &stepConn{Conn: c, budget: budgetGreeting}
}

func (c *stepConn) Read(p []byte) (int, error) {
	c.mu.Lock()
	budget := c.budget
	c.mu.Unlock()
	if budget <= 0 {
		return 0, errTooMuchData
	}
	if int64(len(p)) > budget {
		p = p[:budget]
	}
	n, err := c.Conn.Read(p)
	c.mu.Lock()
	c.budget -= int64(n)
	if room := firstBytes - len(c.first); room > 0 && n > 0 {
		if n < room {
			room = n
		}
		c.first = append(c.first, p[:room]...)
	}
	c.mu.Unlock()
	return n, err
}

// The libraries' deadlines are ignored on purpose: see stepConn.
func (c *stepConn) SetDeadline(time.Time) error      { return nil }
func (c *stepConn) SetReadDeadline(time.Time) error  { return nil }
func (c *stepConn) SetWriteDeadline(time.Time) error { return nil }

// step starts a new step with its own deadline and read budget; the deadline
// never reaches past ctx's.
func (c *stepConn) step(ctx context.Context, timeout time.Duration, budget int64) {
	d := time.Now().Add(timeout)
	if dl, ok := ctx.Deadline(); ok && dl.Before(d) {
		d = dl
	}
	_ = c.Conn.SetDeadline(d)
	c.mu.Lock()
	c.budget, c.deadline = budget, d
	c.mu.Unlock()
}

// expired reports whether the current step ran out of time. Libraries
// often wrap a timeout in an error that no longer says so, so the step's
// own clock is the reliable witness.
func (c *stepConn) expired() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return !c.deadline.IsZero() && !time.Now().Before(c.deadline)
}

// clearConn is the clear-text side of an implicit-TLS stepConn: it keeps
// the first bytes the server sent inside TLS, its greeting.
type clearConn struct {
	net.Conn
	sc *stepConn
}

func (c *clearConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.sc.mu.Lock()
		if room := firstBytes - len(c.sc.clear); room > 0 {
			if n < room {
				room = n
			}
			c.sc.clear = append(c.sc.clear, p[:room]...)
		}
		c.sc.mu.Unlock()
	}
	return n, err
}

// clearRead returns the first bytes the server sent inside implicit TLS.
func (c *stepConn) clearRead() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]byte(nil), c.clear...)
}

// firstRead returns the first bytes the server sent, for evidence.
func (c *stepConn) firstRead() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]byte(nil), c.first...)
}

// closeOnCancel closes conn when ctx ends, so a cancelled check never waits
// for a slow server; the returned func stops the watch.
func closeOnCancel(ctx context.Context, conn net.Conn) (stop func()) {
	done := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			conn.Close()
		case <-done:
		}
	}()
	var once sync.Once
	return func() { once.Do(func() { close(done) }) }
}
