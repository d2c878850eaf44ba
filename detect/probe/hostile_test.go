package probe

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/internal/fakemail"
)

// hostileTimeout is short so the suite stays quick; every case must end
// within it plus a small margin.
const hostileTimeout = 1500 * time.Millisecond

// fakeServer accepts connections on loopback and runs behave on each.
func fakeServer(t *testing.T, behave func(net.Conn)) (host string, port int) {
	t.Helper()
	a := fakemail.Loopback(t, behave)
	return a.IP.String(), a.Port
}

func silent(c net.Conn) {
	buf := make([]byte, 1024)
	for {
		if _, err := c.Read(buf); err != nil {
			return
		}
	}
}

func garbage(c net.Conn) {
	_, _ = c.Write([]byte("\x00\x01\x02garbage\xff\xfe that is neither TLS nor mail\r\n"))
	silent(c)
}

func slowly(text string) func(net.Conn) {
	return func(c net.Conn) {
		for i := 0; i < len(text); i++ {
			if _, err := c.Write([]byte{text[i]}); err != nil {
				return
			}
			time.Sleep(time.Second)
		}
		silent(c)
	}
}

func hugeLine(prefix string) func(net.Conn) {
	return func(c net.Conn) {
		line := prefix + strings.Repeat("A", 1<<20) + "\r\n"
		_, _ = c.Write([]byte(line))
		silent(c)
	}
}

func httpServer(t *testing.T) (string, int) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("<html>hello</html>"))
	}))
	t.Cleanup(srv.Close)
	h, p, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	n, _ := strconv.Atoi(p)
	return h, n
}

func TestHostileServers(t *testing.T) {
	type tc struct {
		name   string
		proto  server.Protocol
		sec    server.Security
		behave func(net.Conn)
		want   string
	}
	var cases []tc
	for _, p := range server.Protocols {
		greeting := map[server.Protocol]string{server.IMAP: "* OK ", server.POP3: "+OK ", server.SMTP: "220 "}[p]
		cases = append(cases,
			tc{"silent implicit", p, server.TLS, silent, "protocol.no_answer"},
			tc{"silent starttls", p, server.StartTLS, silent, "protocol.no_answer"},
			tc{"garbage implicit", p, server.TLS, garbage, "protocol.unexpected"},
			tc{"garbage starttls", p, server.StartTLS, garbage, "protocol.unexpected"},
			tc{"one byte per second", p, server.StartTLS, slowly(greeting + "ready\r\n"), "protocol.too_slow"},
			tc{"one byte per second implicit", p, server.TLS, slowly("\x16\x03\x01\x00\x50"), "protocol.too_slow"},
			tc{"1 MB greeting line", p, server.StartTLS, hugeLine(greeting), "protocol.unexpected"},
		)
	}
	for _, c := range cases {
		c := c
		t.Run(string(c.proto)+" "+c.name, func(t *testing.T) {
			t.Parallel()
			host, port := fakeServer(t, c.behave)
			r := probeWithin(t, server.Endpoint{Protocol: c.proto, Host: host, Port: port, Security: c.sec})
			if !finding.Has(r.Findings, c.want) {
				t.Errorf("findings = %v, want %s", ids(r.Findings), c.want)
			}
			if r.Secure() {
				t.Error("a hostile server must never count as secure")
			}
		})
	}
}

func TestHTTPServerOnMailPort(t *testing.T) {
	host, port := httpServer(t)
	r := probeWithin(t, server.Endpoint{Protocol: server.IMAP, Host: host, Port: port, Security: server.TLS})
	f := findingByID(r.Findings, "protocol.unexpected")
	if f == nil || f.Args["got"] != "http" {
		t.Fatalf("findings = %v, want protocol.unexpected with got=http", r.Findings)
	}
}

func TestRefusedPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	r := probeWithin(t, server.Endpoint{Protocol: server.SMTP, Host: "127.0.0.1", Port: port, Security: server.TLS})
	if !finding.Has(r.Findings, "tcp.refused") || r.Reachable {
		t.Fatalf("findings = %v, want tcp.refused", ids(r.Findings))
	}
}

func TestUnknownHost(t *testing.T) {
	r := probeWithin(t, server.Endpoint{Protocol: server.IMAP, Host: "nothing.invalid", Port: 993, Security: server.TLS})
	if !finding.Has(r.Findings, "dns.not_found") && !finding.Has(r.Findings, "dns.failed") {
		t.Fatalf("findings = %v, want dns.not_found", ids(r.Findings))
	}
}

func TestCancelStopsAtOnce(t *testing.T) {
	host, port := fakeServer(t, silent)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	r := Probe(ctx, server.Endpoint{Protocol: server.IMAP, Host: host, Port: port, Security: server.TLS}, Options{Timeout: 10 * time.Second})
	if el := time.Since(start); el > 2*time.Second {
		t.Fatalf("cancelled probe took %v", el)
	}
	if !finding.Has(r.Findings, "check.cancelled") {
		t.Errorf("findings = %v, want check.cancelled", ids(r.Findings))
	}
}

// probeWithin runs a probe and fails if it outlives its step timeout by
// more than the few steps a probe may take in sequence.
func probeWithin(t *testing.T, ep server.Endpoint) *Result {
	t.Helper()
	start := time.Now()
	r := Probe(context.Background(), ep, Options{Timeout: hostileTimeout})
	if el := time.Since(start); el > 3*hostileTimeout+time.Second {
		t.Fatalf("probe of %s took %v", ep, el)
	}
	if r == nil {
		t.Fatal("Probe returned nil")
	}
	return r
}

func ids(fs []finding.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.ID)
	}
	return out
}

func findingByID(fs []finding.Finding, id string) *finding.Finding {
	for i := range fs {
		if fs[i].ID == id {
			return &fs[i]
		}
	}
	return nil
}
