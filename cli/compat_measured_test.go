package cli

import (
	"crypto/tls"
	"encoding/json"
	"net"
	"strings"
	"testing"
	"time"

	"maildoctor.app/maildoctor/internal/fakemail"
	"maildoctor.app/maildoctor/internal/testpki"
)

// tlsOnlyServer speaks TLS 1.3, and TLS 1.2 with ECDHE-ECDSA-CHACHA20 only
// (groups X25519/P-256): Windows 7 has no TLS 1.2 suite it takes.
func tlsOnlyServer(t *testing.T) string {
	ca := testpki.NewCA(t, "compat CA")
	pair := ca.Leaf(t, testpki.LeafOptions{Names: []string{"imap.example.test"}})
	cfg := &tls.Config{Certificates: []tls.Certificate{pair.TLSCertificate(t)}, MinVersion: tls.VersionTLS12,
		CipherSuites: []uint16{tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305}}
	return fakemail.Loopback(t, func(c net.Conn) {
		_ = c.SetDeadline(time.Now().Add(5 * time.Second))
		_ = tls.Server(c, cfg).Handshake()
	}).String()
}

func TestCompatServerMeasured(t *testing.T) {
	addr := tlsOnlyServer(t)
	host, port, _ := net.SplitHostPort(addr)
	server := "imap.example.test:" + port
	code, out, errOut := run(t, "", "compat", "--os", "Windows 7", "--client", "Outlook 2010", "--server", server, "--resolve", "imap.example.test:"+host, "--json")
	if code != ExitProblems {
		t.Fatalf("exit %d, stderr %s", code, errOut)
	}
	var v struct {
		Measured []measuredJSON `json:"measured"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Measured) < 3 {
		t.Fatalf("measured: %+v", v.Measured)
	}
	for _, m := range v.Measured {
		if m.Connects || m.Endpoint != server {
			t.Errorf("%+v", m)
		}
		if strings.HasSuffix(m.Profile, "tls12") && m.Reason != "no_shared_cipher" {
			t.Errorf("%s: reason %s, want no_shared_cipher", m.Profile, m.Reason)
		}
	}
	_, out, _ = run(t, "", "compat", "--os", "Windows 11", "--client", "Outlook 2016", "--server", server, "--resolve", "imap.example.test:"+host, "--lang", "en")
	if !strings.Contains(out, "connects to "+server+" with TLS 1.3") {
		t.Errorf("text output:\n%s", out)
	}
	code, _, errOut = run(t, "", "compat", "--os", "win10", "--starttls")
	if code != ExitUsage || !strings.Contains(errOut, "--server") {
		t.Errorf("--starttls without --server: exit %d, %s", code, errOut)
	}
}
