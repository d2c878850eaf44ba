package pop3

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// testTimeout keeps a broken test from hanging: the client under test
// relies on deadlines its caller sets, and here the test is the caller.
const testTimeout = 20 * time.Second

// script is the server side of a net.Pipe, driven step by step by a test.
type script struct {
	t    *testing.T
	conn net.Conn
	r    *bufio.Reader

	mu  sync.Mutex
	got []string // command lines received, in order
}

// serve runs fn as the server and returns the client's end of the pipe.
// The pipe is closed and fn awaited when the test ends.
func serve(t *testing.T, fn func(s *script)) net.Conn {
	t.Helper()
	clientConn, serverConn := net.Pipe()
	deadline := time.Now().Add(testTimeout)
	_ = clientConn.SetDeadline(deadline)
	_ = serverConn.SetDeadline(deadline)
	s := &script{t: t, conn: serverConn, r: bufio.NewReader(serverConn)}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(s)
	}()
	t.Cleanup(func() {
		clientConn.Close()
		serverConn.Close()
		<-done
	})
	return clientConn
}

// send writes raw bytes; errors are ignored because some tests make the
// client hang up on purpose, and the client side reports what matters.
func (s *script) send(data string) {
	_, _ = s.conn.Write([]byte(data))
}

// expect reads one command line and checks it is want.
func (s *script) expect(want string) bool {
	line, err := s.r.ReadString('\n')
	if err != nil {
		s.t.Errorf("server: reading command, want %q: %v", want, err)
		return false
	}
	line = strings.TrimSuffix(line, "\r\n")
	s.mu.Lock()
	s.got = append(s.got, line)
	s.mu.Unlock()
	if line != want {
		s.t.Errorf("server: got command %q, want %q", line, want)
		return false
	}
	return true
}

// login accepts USER and expects PASS, leaving the reply to PASS to the
// test.
func (s *script) login() bool {
	if !s.expect("USER " + testUser) {
		return false
	}
	s.send("+OK\r\n")
	return s.expect("PASS " + testPass)
}

// commands returns what the server has received so far.
func (s *script) commands() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.got...)
}

// startTLS switches the server side to TLS, as after a +OK to STLS.
func (s *script) startTLS(cfg *tls.Config) bool {
	tc := tls.Server(s.conn, cfg)
	if err := tc.Handshake(); err != nil {
		s.t.Errorf("server: TLS handshake: %v", err)
		return false
	}
	s.conn, s.r = tc, bufio.NewReader(tc)
	return true
}

const testServerName = "pop.example.test"

// testTLS returns matching server and client configurations around a
// self-signed ECDSA certificate made for this test run.
func testTLS(t *testing.T) (server, client *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: testServerName},
		DNSNames:              []string{testServerName},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:                  true,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	server = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	client = &tls.Config{RootCAs: pool, ServerName: testServerName}
	return server, client
}
