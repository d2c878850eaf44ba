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

// TestCompatTableServer: the measured table in every format, against a
// server whose TLS 1.2 takes only ECDHE-ECDSA-CHACHA20: the TLS 1.3
// families connect, Windows 7 after the registry change does not, and
// the exit status says so.
func TestCompatTableServer(t *testing.T) {
	addr := tlsOnlyServer(t)
	host, port, _ := net.SplitHostPort(addr)
	server := "imap.example.test:" + port
	base := []string{"compat", "--table", "--server", server, "--resolve", "imap.example.test:" + host, "--lang", "en"}
	code, out, errOut := run(t, "", append(base, "--format", "json")...)
	if code != ExitProblems {
		t.Fatalf("json: exit %d, stderr %s", code, errOut)
	}
	var rows []struct {
		ID       string            `json:"id"`
		Verdict  map[string]string `json:"verdict"`
		Measured []measuredJSON    `json:"measured"`
	}
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("json: %v\n%s", err, out)
	}
	got := map[string]bool{}
	for _, r := range rows {
		if len(r.Measured) == 0 || r.Verdict["1.2"] == "" {
			t.Errorf("row %s: no measured result or no verdict: %+v", r.ID, r)
		}
		for _, m := range r.Measured {
			if m.Endpoint != server {
				t.Errorf("row %s: endpoint %q", r.ID, m.Endpoint)
			}
			got[m.Profile] = m.Connects
		}
	}
	if !got["schannel-win11"] || got["schannel-win7-2015-tls12"] {
		t.Errorf("want Windows 11 connecting and Windows 7 (TLS 1.2 on) not: %v", got)
	}
	for _, format := range []string{"md", "csv", "html"} {
		code, out, errOut := run(t, "", append(base, "--format", format)...)
		if code != ExitProblems || !strings.Contains(out, "Windows 7 SP1 after the TLS 1.1/1.2 registry change") ||
			!strings.Contains(out, "does not connect") || !strings.Contains(out, "connects, TLS 1.3") {
			t.Errorf("%s: exit %d, stderr %s\n%s", format, code, errOut, out)
		}
	}
	if code, _, errOut := run(t, "", "compat", "--table", "--server", "bad host:x"); code != ExitUsage {
		t.Errorf("bad --server: exit %d, %s", code, errOut)
	}
}
