package latency

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"strconv"
	"testing"
	"time"

	"maildoctor.app/maildoctor/internal/fakemail"
	"maildoctor.app/maildoctor/internal/testpki"
)

// echo is a line server that greets first, like a mail server.
func echo(t *testing.T) (addr string, port int) {
	t.Helper()
	a := fakemail.Loopback(t, func(c net.Conn) {
		_, _ = c.Write([]byte("hello\n"))
		r := bufio.NewReader(c)
		for {
			l, err := r.ReadString('\n')
			if err != nil {
				return
			}
			_, _ = c.Write([]byte(l))
		}
	})
	return "127.0.0.1", a.Port
}

// TestRoundTrips: a connection and its greeting cost 1.5 round trips
// (SYN/SYN-ACK, then the greeting's one way), each question-answer one
// more, and pipelined questions one in all.
func TestRoundTrips(t *testing.T) {
	target, port := echo(t)
	const d = 30 * time.Millisecond
	p := Start(t, target, []int{port}, d)
	start := time.Now()
	c, err := net.Dial("tcp", net.JoinHostPort(p.Addr, strconv.Itoa(port)))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r := bufio.NewReader(c)
	if l, err := r.ReadString('\n'); err != nil || l != "hello\n" {
		t.Fatalf("greeting %q %v", l, err)
	}
	within(t, "greeting", time.Since(start), 3*d)
	start = time.Now()
	_, _ = c.Write([]byte("a\n"))
	if l, _ := r.ReadString('\n'); l != "a\n" {
		t.Fatalf("echo %q", l)
	}
	within(t, "one exchange", time.Since(start), 2*d)
	start = time.Now()
	_, _ = c.Write([]byte("b\nc\nd\n"))
	for _, want := range []string{"b\n", "c\n", "d\n"} {
		if l, _ := r.ReadString('\n'); l != want {
			t.Fatalf("echo %q, want %q", l, want)
		}
	}
	within(t, "three pipelined", time.Since(start), 2*d)
}

func within(t *testing.T, what string, got, want time.Duration) {
	t.Helper()
	if got < want || got > want+want/2+10*time.Millisecond {
		t.Errorf("%s took %v, want about %v", what, got, want)
	}
}

// TestNothingListening: the client's connection ends without data.
func TestNothingListening(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	p := Start(t, "127.0.0.1", []int{port}, 5*time.Millisecond)
	c, err := net.Dial("tcp", net.JoinHostPort(p.Addr, strconv.Itoa(port)))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(2 * time.Second))
	if n, err := c.Read(make([]byte, 10)); err == nil {
		t.Fatalf("read %d bytes, want the connection closed", n)
	}
}

// tlsServer is a TLS server on loopback that accepts TLS 1.0 to 1.3.
func tlsServer(t *testing.T) (addr string, port int, roots *x509.CertPool) {
	t.Helper()
	ca := testpki.NewCA(t, "Latency Test Root")
	cfg := &tls.Config{
		Certificates: []tls.Certificate{ca.Leaf(t, testpki.LeafOptions{Names: []string{"mail.example.test"}}).TLSCertificate(t)},
		MinVersion:   tls.VersionTLS10,
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_ = c.(*tls.Conn).Handshake()
				_, _ = c.Read(make([]byte, 1))
			}()
		}
	}()
	return "127.0.0.1", ln.Addr().(*net.TCPAddr).Port, ca.Pool()
}

// handshake tries one TLS version against addr within wait.
func handshake(addr string, roots *x509.CertPool, v uint16, wait time.Duration) error {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(wait))
	cfg := &tls.Config{ServerName: "mail.example.test", RootCAs: roots, MinVersion: v, MaxVersion: v}
	return tls.Client(c, cfg).Handshake()
}

// TestSwallowOldHellos: through the proxy a TLS 1.0 or 1.1 hello gets
// no answer at all (the client times out; no alert, no reset), while the
// same server agrees them directly, and TLS 1.2 and 1.3 pass.
func TestSwallowOldHellos(t *testing.T) {
	target, port, roots := tlsServer(t)
	p := Start(t, target, []int{port}, 0, SwallowOldHellos())
	direct := net.JoinHostPort(target, strconv.Itoa(port))
	proxied := net.JoinHostPort(p.Addr, strconv.Itoa(port))
	for _, v := range []uint16{tls.VersionTLS10, tls.VersionTLS11} {
		if err := handshake(direct, roots, v, 2*time.Second); err != nil {
			t.Fatalf("version %x directly: %v", v, err)
		}
		err := handshake(proxied, roots, v, 300*time.Millisecond)
		var ne net.Error
		if !errors.As(err, &ne) || !ne.Timeout() {
			t.Errorf("version %x through the proxy: %v, want a timeout", v, err)
		}
	}
	for _, v := range []uint16{tls.VersionTLS12, tls.VersionTLS13} {
		if err := handshake(proxied, roots, v, 2*time.Second); err != nil {
			t.Errorf("version %x through the proxy: %v", v, err)
		}
	}
}
