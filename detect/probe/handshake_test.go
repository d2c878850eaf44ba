package probe

import (
	"bufio"
	"context"
	"crypto/tls"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	ch "maildoctor.app/maildoctor/detect/probe/hello"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/internal/testpki"
)

var simProfiles = []ClientProfile{
	{ID: "modern", Hello: &ch.Profile{
		Versions:            []uint16{0x0303, 0x0304},
		CipherSuites:        []uint16{0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f},
		Groups:              []uint16{0x001d, 0x0017},
		KeyShares:           []uint16{0x001d},
		SignatureAlgorithms: []uint16{0x0403, 0x0804, 0x0401},
		SNI:                 true, EMS: true, RenegotiationInfo: true, ECPointFormats: true,
	}},
	{ID: "tls10", Hello: &ch.Profile{
		Versions: []uint16{0x0301}, CipherSuites: []uint16{0xc013, 0x002f},
		Groups: []uint16{0x0017}, SNI: true, ECPointFormats: true,
	}},
	{ID: "rc4", Hello: &ch.Profile{
		Versions: []uint16{0x0303}, CipherSuites: []uint16{0x0005},
		SignatureAlgorithms: []uint16{0x0401, 0x0403}, SNI: true,
	}},
	{ID: "p521only", Hello: &ch.Profile{
		Versions: []uint16{0x0303}, CipherSuites: []uint16{0xc02b},
		Groups: []uint16{0x0019}, SignatureAlgorithms: []uint16{0x0403}, SNI: true, ECPointFormats: true,
	}},
}

func tlsServerConfig(t *testing.T) *tls.Config {
	ca := testpki.NewCA(t, "sim CA")
	pair := ca.Leaf(t, testpki.LeafOptions{Names: []string{"mail.sim.test"}})
	return &tls.Config{Certificates: []tls.Certificate{pair.TLSCertificate(t)}, MinVersion: tls.VersionTLS12,
		CurvePreferences: []tls.CurveID{tls.X25519, tls.CurveP256}}
}

func simulateAgainst(t *testing.T, host string, port int, sec server.Security, profiles []ClientProfile) []Measured {
	t.Helper()
	ep := server.Endpoint{Protocol: server.IMAP, Host: "mail.sim.test", Port: port, Security: sec}
	opt := Options{Timeout: hostileTimeout, Resolve: map[string]string{"mail.sim.test": host}}
	start := time.Now()
	ms := Simulate(context.Background(), ep, profiles, opt)
	// Each profile may need up to four hellos in a row (the follow-ups of
	// a handshake_failure); a hostile server must not stretch that.
	if el := time.Since(start); el > 5*hostileTimeout {
		t.Errorf("Simulate took %v", el)
	}
	if len(ms) != len(profiles) {
		t.Fatalf("%d results for %d profiles", len(ms), len(profiles))
	}
	return ms
}

func TestSimulateImplicitTLS(t *testing.T) {
	cfg := tlsServerConfig(t)
	host, port := fakeServer(t, func(c net.Conn) {
		s := tls.Server(c, cfg)
		_ = s.SetDeadline(time.Now().Add(5 * time.Second))
		if s.Handshake() == nil {
			_, _ = s.Write([]byte("* OK ready\r\n"))
		}
	})
	ms := simulateAgainst(t, host, port, server.TLS, simProfiles)
	want := map[string]Measured{
		"modern":   {Connects: true, Version: "1.3", Cipher: "TLS_AES_128_GCM_SHA256", Group: "x25519"},
		"tls10":    {Reason: ReasonNoSharedVersion},
		"rc4":      {Reason: ReasonNoSharedCipher},
		"p521only": {Reason: ReasonNoSharedGroup},
	}
	for _, m := range ms {
		w := want[m.Profile]
		if m.Connects != w.Connects || m.Version != w.Version || m.Cipher != w.Cipher || m.Group != w.Group || m.Reason != w.Reason {
			t.Errorf("%s: got %+v, want %+v", m.Profile, m, w)
		}
		if m.Endpoint != "mail.sim.test:"+strconv.Itoa(port) {
			t.Errorf("%s: endpoint %q", m.Profile, m.Endpoint)
		}
	}
}

// fakeIMAPStartTLS greets, answers CAPABILITY and STARTTLS, then speaks TLS.
func fakeIMAPStartTLS(cfg *tls.Config) func(net.Conn) {
	return func(c net.Conn) {
		_ = c.SetDeadline(time.Now().Add(5 * time.Second))
		_, _ = c.Write([]byte("* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready\r\n"))
		r := bufio.NewReader(c)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			f := strings.Fields(line)
			if len(f) < 2 {
				return
			}
			switch strings.ToUpper(f[1]) {
			case "CAPABILITY":
				_, _ = c.Write([]byte("* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED\r\n" + f[0] + " OK done\r\n"))
			case "STARTTLS":
				_, _ = c.Write([]byte(f[0] + " OK begin TLS\r\n"))
				_ = tls.Server(c, cfg).Handshake()
				return
			default:
				_, _ = c.Write([]byte(f[0] + " BAD what\r\n"))
			}
		}
	}
}

func TestSimulateAfterSTARTTLS(t *testing.T) {
	host, port := fakeServer(t, fakeIMAPStartTLS(tlsServerConfig(t)))
	ms := simulateAgainst(t, host, port, server.StartTLS, simProfiles[:2])
	if m := ms[0]; !m.Connects || m.Version != "1.3" || m.Group != "x25519" {
		t.Errorf("modern after STARTTLS: %+v", m)
	}
	if m := ms[1]; m.Connects || m.Reason != ReasonNoSharedVersion {
		t.Errorf("tls10 after STARTTLS: %+v", m)
	}
}

func TestSimulateHostileServers(t *testing.T) {
	httpHost, httpPort := httpServer(t)
	cases := []struct {
		name   string
		behave func(net.Conn)
		sec    server.Security
		reason string
	}{
		{"silent", silent, server.TLS, ReasonTimeout},
		{"garbage", garbage, server.TLS, ReasonNotTLS},
		{"closes", func(net.Conn) {}, server.TLS, ReasonClosed},
		{"truncated hello", func(c net.Conn) {
			_, _ = c.Write([]byte("\x16\x03\x03\x00\x40\x02\x00\x00\x3c\x03\x03"))
		}, server.TLS, ReasonClosed},
		{"truncated then silent", func(c net.Conn) {
			_, _ = c.Write([]byte("\x16\x03\x03\x00\x40\x02\x00\x00\x3c\x03\x03"))
			silent(c)
		}, server.TLS, ReasonTimeout},
		{"endless records", func(c net.Conn) {
			rec := append([]byte{22, 3, 3, 0x40, 0, 2, 0x0f, 0xff, 0xff}, make([]byte, 0x4000-4)...)
			for i := 0; i < 100; i++ {
				if _, err := c.Write(rec); err != nil {
					return
				}
			}
		}, server.TLS, ReasonNotTLS},
		{"one byte per second", slowly("\x16\x03\x03\x00\x40\x02\x00\x00"), server.TLS, ReasonTimeout},
		{"no STARTTLS", func(c net.Conn) {
			_, _ = c.Write([]byte("* OK [CAPABILITY IMAP4rev1] ready\r\n"))
			r := bufio.NewReader(c)
			for {
				line, err := r.ReadString('\n')
				if err != nil {
					return
				}
				_, _ = c.Write([]byte(strings.Fields(line + " x")[0] + " BAD unknown command\r\n"))
			}
		}, server.StartTLS, ReasonNoStartTLS},
		{"silent plain text", silent, server.StartTLS, ReasonTimeout},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			host, port := fakeServer(t, tc.behave)
			ms := simulateAgainst(t, host, port, tc.sec, simProfiles[:1])
			if ms[0].Connects || ms[0].Reason != tc.reason {
				t.Errorf("got %+v, want reason %s", ms[0], tc.reason)
			}
		})
	}
	t.Run("http", func(t *testing.T) {
		ms := simulateAgainst(t, httpHost, httpPort, server.TLS, simProfiles[:1])
		if ms[0].Connects || (ms[0].Reason != ReasonNotTLS && ms[0].Reason != ReasonClosed) {
			t.Errorf("got %+v", ms[0])
		}
	})
	t.Run("refused", func(t *testing.T) {
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		port := ln.Addr().(*net.TCPAddr).Port
		ln.Close()
		ms := simulateAgainst(t, "127.0.0.1", port, server.TLS, simProfiles[:2])
		for _, m := range ms {
			if m.Connects || m.Reason != ReasonUnreachable {
				t.Errorf("got %+v", m)
			}
		}
	})
}
