package pop3

import (
	"errors"
	"io"
	"net"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const (
	testUser = "alice"
	testPass = "correct horse battery staple"
)

func TestFullSession(t *testing.T) {
	serverTLS, clientTLS := testTLS(t)
	conn := serve(t, func(s *script) {
		s.send("+OK Dovecot ready.\r\n")
		if !s.expect("CAPA") {
			return
		}
		s.send("+OK\r\nCAPA\r\nTOP\r\nUIDL\r\nSTLS\r\nSASL PLAIN\r\n..X-DOT-STUFFED\r\n.\r\n")
		if !s.expect("STLS") {
			return
		}
		s.send("+OK Begin TLS negotiation now.\r\n")
		if !s.startTLS(serverTLS) || !s.expect("CAPA") {
			return
		}
		s.send("+OK\nUSER\nUIDL\n.\n") // bare LF endings are accepted too
		if !s.expect("USER " + testUser) {
			return
		}
		s.send("+OK\r\n")
		if !s.expect("PASS " + testPass) {
			return
		}
		s.send("+OK Logged in.\r\n")
		if !s.expect("STAT") {
			return
		}
		s.send("+OK 3 4500\r\n")
		if !s.expect("UIDL") {
			return
		}
		s.send("+OK\r\n1 000000014c3a3d40\r\n2 000000024c3a3d40\r\n3 whqtswO00WBw418f9t5JxYwZ\r\n.\r\n")
		if !s.expect("QUIT") {
			return
		}
		s.send("+OK Logging out.\r\n")
	})

	c, err := NewClient(conn)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if got := c.Greeting(); got != "Dovecot ready." {
		t.Errorf("Greeting() = %q", got)
	}
	caps, err := c.Capa()
	if err != nil {
		t.Fatal(err)
	}
	wantCaps := []string{"CAPA", "TOP", "UIDL", "STLS", "SASL PLAIN", ".X-DOT-STUFFED"}
	if !reflect.DeepEqual(caps, wantCaps) {
		t.Errorf("Capa() = %q, want %q", caps, wantCaps)
	}
	if !HasCapability(caps, "stls") {
		t.Fatal("STLS not advertised")
	}
	if _, ok := c.TLSConnectionState(); ok {
		t.Error("TLSConnectionState reports TLS before STLS")
	}
	if err := c.StartTLS(clientTLS); err != nil {
		t.Fatal(err)
	}
	state, ok := c.TLSConnectionState()
	if !ok || !state.HandshakeComplete || state.ServerName != testServerName {
		t.Errorf("TLSConnectionState() = complete %v, server %q, ok %v", state.HandshakeComplete, state.ServerName, ok)
	}
	if err := c.StartTLS(clientTLS); err == nil {
		t.Error("second StartTLS succeeded")
	}
	if caps, err = c.Capa(); err != nil || !reflect.DeepEqual(caps, []string{"USER", "UIDL"}) {
		t.Errorf("Capa() after TLS = %q, %v", caps, err)
	}
	if err := c.User(testUser); err != nil {
		t.Fatal(err)
	}
	if err := c.Pass(testPass); err != nil {
		t.Fatal(err)
	}
	count, size, err := c.Stat()
	if err != nil || count != 3 || size != 4500 {
		t.Errorf("Stat() = %d, %d, %v; want 3, 4500, nil", count, size, err)
	}
	uids, err := c.Uidl()
	wantUids := []string{"000000014c3a3d40", "000000024c3a3d40", "whqtswO00WBw418f9t5JxYwZ"}
	if err != nil || !reflect.DeepEqual(uids, wantUids) {
		t.Errorf("Uidl() = %q, %v; want %q", uids, err, wantUids)
	}
	if err := c.Quit(); err != nil {
		t.Fatal(err)
	}
}

func TestAuthFailureCode(t *testing.T) {
	conn := serve(t, func(s *script) {
		s.send("+OK ready\r\n")
		if !s.login() {
			return
		}
		// A careless server echoes the password; it must not reach the
		// error.
		s.send("-ERR [AUTH] Invalid login for " + testPass + "\r\n")
		if s.expect("QUIT") {
			s.send("+OK\r\n")
		}
	})
	c := mustClient(t, conn)
	if err := c.User(testUser); err != nil {
		t.Fatal(err)
	}
	err := c.Pass(testPass)
	var perr *Error
	if !errors.As(err, &perr) || perr.Code != "AUTH" {
		t.Fatalf("Pass() error = %v, want *Error with code AUTH", err)
	}
	assertNoSecret(t, err, testPass)
	if !strings.Contains(perr.Text, "Invalid login") {
		t.Errorf("Text = %q, lost the server's words", perr.Text)
	}
	if err := c.Quit(); err != nil {
		t.Errorf("Quit after a -ERR: %v", err)
	}
}

func TestServerWithoutCapa(t *testing.T) {
	conn := serve(t, func(s *script) {
		s.send("+OK old server\r\n")
		if !s.expect("CAPA") {
			return
		}
		s.send("-ERR unknown command\r\n")
		if !s.login() {
			return
		}
		s.send("+OK\r\n")
		if s.expect("STAT") {
			s.send("+OK 0 0\r\n")
		}
	})
	c := mustClient(t, conn)
	caps, err := c.Capa()
	var perr *Error
	if !errors.As(err, &perr) || perr.Code != "" || perr.Text != "unknown command" || caps != nil {
		t.Fatalf("Capa() = %q, %v; want *Error without code", caps, err)
	}
	if err := c.User(testUser); err != nil {
		t.Fatal(err)
	}
	if err := c.Pass(testPass); err != nil {
		t.Fatal(err)
	}
	if n, size, err := c.Stat(); err != nil || n != 0 || size != 0 {
		t.Errorf("Stat() = %d, %d, %v", n, size, err)
	}
}

// countingConn counts what the client read, to prove limits stop reading.
type countingConn struct {
	net.Conn
	n atomic.Int64
}

func (c *countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.n.Add(int64(n))
	return n, err
}

func TestHugeGreetingLine(t *testing.T) {
	const size = 1 << 20
	conn := &countingConn{Conn: serve(t, func(s *script) {
		s.send("+OK " + strings.Repeat("A", size) + "\r\n")
	})}
	_, err := NewClient(conn)
	if !errors.Is(err, ErrLineTooLong) {
		t.Fatalf("NewClient error = %v, want ErrLineTooLong", err)
	}
	if n := conn.n.Load(); n > MaxLineLength+2*readBufferSize {
		t.Errorf("read %d bytes of a %d-byte line, want at most %d", n, size, MaxLineLength+2*readBufferSize)
	}
}

func TestNonPOP3Greeting(t *testing.T) {
	conn := serve(t, func(s *script) {
		s.send("HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\n\r\n")
	})
	_, err := NewClient(conn)
	var pe *ProtocolError
	if !errors.As(err, &pe) || pe.Got != "HTTP/1.1 400 Bad Request" {
		t.Fatalf("NewClient error = %v, want *ProtocolError with the HTTP status line", err)
	}
	var perr *Error
	if errors.As(err, &perr) {
		t.Errorf("a non-POP3 greeting unwrapped to *Error %v", perr)
	}
}

func TestRefusedGreeting(t *testing.T) {
	conn := serve(t, func(s *script) {
		s.send("-ERR [SYS/TEMP] Too many connections\r\n")
	})
	_, err := NewClient(conn)
	var pe *ProtocolError
	var perr *Error
	if !errors.As(err, &pe) || !errors.As(err, &perr) || perr.Code != "SYS/TEMP" {
		t.Fatalf("NewClient error = %v, want *ProtocolError wrapping *Error SYS/TEMP", err)
	}
}

func TestEndlessUidl(t *testing.T) {
	conn := serve(t, func(s *script) {
		s.send("+OK\r\n")
		if !s.expect("UIDL") {
			return
		}
		s.send("+OK\r\n")
		batch := strings.Repeat("1 a\r\n", 10000)
		for {
			if _, err := s.conn.Write([]byte(batch)); err != nil {
				return // the client hung up, as it should
			}
		}
	})
	c := mustClient(t, conn)
	start := time.Now()
	uids, err := c.Uidl()
	if !errors.Is(err, ErrResponseTooLong) || uids != nil {
		t.Fatalf("Uidl() = %d ids, %v; want ErrResponseTooLong", len(uids), err)
	}
	t.Logf("gave up after %v", time.Since(start))
	if err := c.Quit(); !errors.Is(err, ErrResponseTooLong) {
		t.Errorf("Quit() after a runaway response = %v, want the session marked unusable", err)
	}
}

func TestUidlBadLineKeepsSessionInStep(t *testing.T) {
	conn := serve(t, func(s *script) {
		s.send("+OK\r\n")
		if s.expect("UIDL") {
			s.send("+OK\r\n1 good\r\n2 has space inside\r\n3 fine\r\n.\r\n")
		}
		if s.expect("QUIT") {
			s.send("+OK bye\r\n")
		}
	})
	c := mustClient(t, conn)
	_, err := c.Uidl()
	var pe *ProtocolError
	if !errors.As(err, &pe) || !strings.Contains(pe.Got, "has space") {
		t.Fatalf("Uidl() error = %v, want *ProtocolError naming the bad line", err)
	}
	if err := c.Quit(); err != nil {
		t.Errorf("Quit() = %v; the rest of the listing was not drained", err)
	}
}

func TestSTLSInjectionRefused(t *testing.T) {
	_, clientTLS := testTLS(t)
	conn := serve(t, func(s *script) {
		s.send("+OK\r\n")
		if s.expect("STLS") {
			s.send("+OK go ahead\r\n+OK injected before TLS\r\n")
		}
	})
	c := mustClient(t, conn)
	err := c.StartTLS(clientTLS)
	if err == nil || !strings.Contains(err.Error(), "before the TLS handshake") {
		t.Fatalf("StartTLS() = %v, want refusal of plaintext after +OK", err)
	}
	if _, ok := c.TLSConnectionState(); ok {
		t.Error("TLS reported after a refused STLS")
	}
}

func TestSTLSRefusedByServer(t *testing.T) {
	_, clientTLS := testTLS(t)
	conn := serve(t, func(s *script) {
		s.send("+OK\r\n")
		if s.expect("STLS") {
			s.send("-ERR TLS not available\r\n")
		}
	})
	c := mustClient(t, conn)
	var perr *Error
	if err := c.StartTLS(clientTLS); !errors.As(err, &perr) {
		t.Fatalf("StartTLS() = %v, want *Error", err)
	}
	if err := c.StartTLS(nil); err == nil {
		t.Error("StartTLS(nil) succeeded")
	}
}

func TestAuthPlain(t *testing.T) {
	// base64("\x00alice\x00correct horse battery staple")
	const blob = "AGFsaWNlAGNvcnJlY3QgaG9yc2UgYmF0dGVyeSBzdGFwbGU="
	conn := serve(t, func(s *script) {
		s.send("+OK\r\n")
		if s.expect("AUTH PLAIN " + blob) {
			s.send("+OK Logged in\r\n")
		}
	})
	if err := mustClient(t, conn).AuthPlain(testUser, testPass); err != nil {
		t.Fatal(err)
	}
}

func TestAuthPlainWithoutInitialResponse(t *testing.T) {
	longPass := strings.Repeat("p", 300)
	conn := serve(t, func(s *script) {
		s.send("+OK\r\n")
		if !s.expect("AUTH PLAIN") {
			return
		}
		s.send("+ \r\n")
		line, err := s.r.ReadString('\n')
		if err != nil || len(line) < 300 {
			s.t.Errorf("server: credentials %d bytes, %v", len(line), err)
			return
		}
		s.send("-ERR [AUTH] no: " + strings.TrimSpace(line) + " " + longPass + "\r\n")
	})
	err := mustClient(t, conn).AuthPlain(testUser, longPass)
	var perr *Error
	if !errors.As(err, &perr) || perr.Code != "AUTH" {
		t.Fatalf("AuthPlain() = %v, want *Error AUTH", err)
	}
	assertNoSecret(t, err, longPass)
	assertNoSecret(t, err, "cHBwcHBwcHBw") // any run of the base64 credentials
}

func TestCommandInjectionRefused(t *testing.T) {
	var srv *script
	conn := serve(t, func(s *script) {
		srv = s
		s.send("+OK\r\n")
		if s.expect("QUIT") {
			s.send("+OK\r\n")
		}
	})
	c := mustClient(t, conn)
	if err := c.User("bob\r\nDELE 1"); err == nil {
		t.Error("User with CRLF succeeded")
	}
	err := c.Pass("pw\nDELE 1")
	if err == nil {
		t.Error("Pass with LF succeeded")
	}
	assertNoSecret(t, err, "pw\nDELE")
	if err := c.AuthPlain("a\x00b", "x"); err == nil {
		t.Error("AuthPlain with NUL succeeded")
	}
	if err := c.Quit(); err != nil {
		t.Fatal(err)
	}
	if got := srv.commands(); !reflect.DeepEqual(got, []string{"QUIT"}) {
		t.Errorf("server received %q, want only QUIT", got)
	}
}

// TestPasswordNeverInErrors drives PASS and AUTH against replies that
// echo the secret in every shape a hostile server might choose.
func TestPasswordNeverInErrors(t *testing.T) {
	const blob = "AGFsaWNlAGNvcnJlY3QgaG9yc2UgYmF0dGVyeSBzdGFwbGU="
	replies := []string{
		"-ERR " + testPass,
		"-ERR [" + testPass + "] x",
		"-ERR [AUTH] " + strings.Repeat("x", 190) + testPass,
		"garbage " + testPass,
		"HTTP/1.1 " + testPass + " " + blob,
		"-ERR " + blob,
		"-ERR [" + blob + "]",
		strings.Repeat("z", MaxLineLength+10) + testPass,
	}
	for _, reply := range replies {
		for _, auth := range []bool{false, true} {
			conn := serve(t, func(s *script) {
				s.send("+OK\r\n")
				if _, err := s.r.ReadString('\n'); err != nil {
					return
				}
				s.send(reply + "\r\n")
				// Only a session still in step sends QUIT.
				if _, err := s.r.ReadString('\n'); err == nil {
					s.send("+OK\r\n")
				}
			})
			c := mustClient(t, conn)
			var err error
			if auth {
				err = c.AuthPlain(testUser, testPass)
			} else {
				err = c.Pass(testPass)
			}
			if err == nil {
				t.Fatalf("reply %.40q accepted", reply)
			}
			assertNoSecret(t, err, testPass)
			if auth {
				assertNoSecret(t, err, blob)
			}
			// A later command's error wraps the one that broke the session.
			assertNoSecret(t, c.Quit(), testPass)
		}
	}
}

func TestUnexpectedEOF(t *testing.T) {
	conn := serve(t, func(s *script) {
		s.send("+OK half a line")
		s.conn.Close()
	})
	if _, err := NewClient(conn); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("NewClient() = %v, want io.ErrUnexpectedEOF", err)
	}
}

func TestStatMalformed(t *testing.T) {
	conn := serve(t, func(s *script) {
		s.send("+OK\r\n")
		if s.expect("STAT") {
			s.send("+OK -1 99999999999999999999999\r\n")
		}
		if s.expect("QUIT") {
			s.send("+OK\r\n")
		}
	})
	c := mustClient(t, conn)
	var pe *ProtocolError
	if _, _, err := c.Stat(); !errors.As(err, &pe) {
		t.Fatalf("Stat() error = %v, want *ProtocolError", err)
	}
	if err := c.Quit(); err != nil {
		t.Errorf("Quit() after a malformed STAT = %v", err)
	}
}

func mustClient(t *testing.T, conn net.Conn) *Client {
	t.Helper()
	c, err := NewClient(conn)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func assertNoSecret(t *testing.T, err error, secret string) {
	t.Helper()
	if err != nil && strings.Contains(err.Error(), secret) {
		t.Errorf("error reveals a secret: %v", err)
	}
}
