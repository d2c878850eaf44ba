package probe

import (
	"bufio"
	"context"
	"crypto/tls"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/internal/testpki"
)

// smtpRecorder is a submission server behind implicit TLS that refuses
// every password and records each connection's command lines.
type smtpRecorder struct {
	mu    sync.Mutex
	conns [][]string
}

func (s *smtpRecorder) serve(cfg *tls.Config) func(net.Conn) {
	return func(raw net.Conn) {
		c := tls.Server(raw, cfg)
		if c.Handshake() != nil {
			return
		}
		s.mu.Lock()
		s.conns = append(s.conns, nil)
		i := len(s.conns) - 1
		s.mu.Unlock()
		w := bufio.NewWriter(c)
		say := func(l string) { _, _ = w.WriteString(l + "\r\n"); _ = w.Flush() }
		say("220 fake.example.test ESMTP ready")
		r := bufio.NewReader(c)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			line = strings.TrimRight(line, "\r\n")
			s.mu.Lock()
			s.conns[i] = append(s.conns[i], line)
			s.mu.Unlock()
			verb := strings.ToUpper(strings.Fields(line + " x")[0])
			switch verb {
			case "EHLO":
				say("250-fake.example.test")
				say("250-PIPELINING")
				say("250 AUTH PLAIN LOGIN")
			case "AUTH":
				say("535 5.7.8 Error: authentication failed")
			case "QUIT":
				say("221 2.0.0 Bye")
				return
			default:
				say("502 5.5.2 Error: command not recognized")
			}
		}
	}
}

func (s *smtpRecorder) withAuth() [][]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out [][]string
	for _, c := range s.conns {
		for _, l := range c {
			if strings.HasPrefix(strings.ToUpper(l), "AUTH") {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

func fakeSubmission(t *testing.T) (*smtpRecorder, Options, server.Endpoint) {
	t.Helper()
	ca := testpki.NewCA(t, "Test Root")
	pair := ca.Leaf(t, testpki.LeafOptions{Names: []string{"mail.example.test"}})
	cfg := &tls.Config{Certificates: []tls.Certificate{pair.TLSCertificate(t)}}
	rec := &smtpRecorder{}
	host, port := fakeServer(t, rec.serve(cfg))
	opt := Options{Timeout: 3 * time.Second, Roots: ca.Pool(), Resolve: map[string]string{"mail.example.test": host}}
	ep := server.Endpoint{Protocol: server.SMTP, Host: "mail.example.test", Port: port, Security: server.TLS}
	return rec, opt, ep
}

// TestImplicitTLSGreetingIsTheServers: the greeting of an implicit-TLS
// endpoint is what the server said inside TLS, not the bytes of the
// handshake.
func TestImplicitTLSGreetingIsTheServers(t *testing.T) {
	_, opt, ep := fakeSubmission(t)
	r := Probe(context.Background(), ep, opt)
	if r.Greeting != "220 fake.example.test ESMTP ready" {
		t.Errorf("greeting = %q, want the server's 220 line", r.Greeting)
	}
}

// TestRefusedSMTPPasswordEndsWithQuit: after a 535 the client says QUIT
// and nothing else: no "*" (which only cancels an exchange still waiting
// for a 334) that the server would count as an unknown command.
func TestRefusedSMTPPasswordEndsWithQuit(t *testing.T) {
	rec, opt, ep := fakeSubmission(t)
	r := Probe(context.Background(), ep, opt)
	if !r.Secure() {
		t.Fatalf("probe not secure: %v", ids(r.Findings))
	}
	if err := Login(context.Background(), r, Credentials{User: "u@example.test", Password: "wrong"}, opt); err == nil {
		t.Fatal("login succeeded")
	}
	if r.Auth != "failed" {
		t.Errorf("auth = %q, want failed", r.Auth)
	}
	// The server may still be reading the last line.
	time.Sleep(100 * time.Millisecond)
	conns := rec.withAuth()
	if len(conns) != 1 {
		t.Fatalf("%d connections with AUTH, want 1", len(conns))
	}
	var verbs []string
	for _, l := range conns[0] {
		verbs = append(verbs, strings.Fields(l + " x")[0])
	}
	if got := strings.Join(verbs, " "); got != "EHLO AUTH QUIT" {
		t.Errorf("commands = %s, want EHLO AUTH QUIT", got)
	}
}
