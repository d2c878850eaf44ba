package pop3

import (
	"bytes"
	"net"
	"strings"
	"testing"
	"time"
)

// replayConn plays back a server's whole output and then reports EOF, the
// way a server that said its piece and hung up looks to the client.
type replayConn struct {
	r *bytes.Reader
}

func (c *replayConn) Read(p []byte) (int, error)         { return c.r.Read(p) }
func (c *replayConn) Write(p []byte) (int, error)        { return len(p), nil }
func (c *replayConn) Close() error                       { return nil }
func (c *replayConn) LocalAddr() net.Addr                { return fakeAddr{} }
func (c *replayConn) RemoteAddr() net.Addr               { return fakeAddr{} }
func (c *replayConn) SetDeadline(time.Time) error        { return nil }
func (c *replayConn) SetReadDeadline(time.Time) error    { return nil }
func (c *replayConn) SetWriteDeadline(t time.Time) error { return nil }

type fakeAddr struct{}

func (fakeAddr) Network() string { return "replay" }
func (fakeAddr) String() string  { return "replay" }

// fuzzSession is the probe's usual conversation. It must return, without
// panicking, whatever the server sends.
func fuzzSession(t *testing.T, output []byte) {
	c, err := NewClient(&replayConn{r: bytes.NewReader(output)})
	if err != nil {
		return
	}
	defer c.Close()
	caps, _ := c.Capa()
	HasCapability(caps, "UIDL")
	_ = c.User(testUser)
	if err := c.Pass(testPass); err != nil && strings.Contains(err.Error(), testPass) {
		t.Fatalf("PASS error reveals the password: %v", err)
	}
	if err := c.AuthPlain(testUser, testPass); err != nil && strings.Contains(err.Error(), testPass) {
		t.Fatalf("AUTH error reveals the password: %v", err)
	}
	count, size, err := c.Stat()
	if err == nil && (count < 0 || size < 0) {
		t.Fatalf("Stat() = %d, %d", count, size)
	}
	uids, err := c.Uidl()
	for _, uid := range uids {
		if !validUID(uid) {
			t.Fatalf("Uidl() returned invalid id %q", uid)
		}
	}
	if err == nil && len(uids) > MaxResponseLines {
		t.Fatalf("Uidl() returned %d ids", len(uids))
	}
	_ = c.Quit()
}

func FuzzClient(f *testing.F) {
	session := "+OK ready\r\n" +
		"+OK\r\nTOP\r\nUIDL\r\nSASL PLAIN\r\n..DOT\r\n.\r\n" +
		"+OK\r\n" +
		"+OK logged in\r\n" +
		"+ \r\n+OK authenticated\r\n" +
		"+OK 2 320\r\n" +
		"+OK\r\n1 abc\r\n2 def\r\n.\r\n" +
		"+OK bye\r\n"
	f.Add([]byte(session))
	f.Add([]byte(strings.ReplaceAll(session, "\r\n", "\n")))
	f.Add([]byte("+OK\r\n-ERR unknown\r\n+OK\r\n-ERR [AUTH] bad " + testPass + "\r\n"))
	f.Add([]byte("+OK\r\n+OK\r\n.\r\n+OK\r\n+OK\r\n+OK 1 1\r\n+OK\r\n1 x\r\n2 two words\r\n.\r\n+OK\r\n"))
	f.Add([]byte("HTTP/1.1 400 Bad Request\r\n\r\n"))
	f.Add([]byte("-ERR [SYS/TEMP] busy\r\n"))
	f.Add([]byte("+OK " + strings.Repeat("A", MaxLineLength+1) + "\r\n"))
	for _, tc := range statusLineCases {
		f.Add([]byte(tc.line + "\r\n"))
	}
	for _, tc := range statCases {
		f.Add([]byte("+OK\r\n-ERR\r\n+OK\r\n+OK\r\n+OK\r\n+OK " + tc.text + "\r\n"))
	}
	for _, tc := range uidlCases {
		f.Add([]byte("+OK\r\n-ERR\r\n+OK\r\n+OK\r\n+OK\r\n+OK 1 1\r\n+OK\r\n" + tc.line + "\r\n.\r\n+OK\r\n"))
	}
	f.Fuzz(fuzzSession)
}
