package compat

import (
	"bytes"
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"maildoctor.app/maildoctor/detect/probe"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/internal/dovecottest"
)

// sserver is an `openssl s_server -www` configured like a scenario: a
// second TLS server (the same OpenSSL library, but no Dovecot in front)
// for the scenarios Dovecot cannot express (a maximum version) and for
// testssl.sh's HTTPS-only client profiles (Internet Explorer/Edge on
// SChannel, Safari on Secure Transport, Firefox on NSS).
type sserver struct {
	Addr string // 127.0.0.1:port
}

// sserverArgs turns the scenario into s_server's options.
func (s scenario) sserverArgs(dir string) []string {
	var args []string
	min, max := tlsVersions[s.minTLS], uint16(0x0304)
	if s.maxTLS != "" {
		max = tlsVersions[s.maxTLS]
	}
	for _, v := range []struct {
		flag string
		v    uint16
	}{{"-no_tls1", 0x0301}, {"-no_tls1_1", 0x0302}, {"-no_tls1_2", 0x0303}, {"-no_tls1_3", 0x0304}} {
		if v.v < min || v.v > max {
			args = append(args, v.flag)
		}
	}
	if s.cipherList != "" {
		args = append(args, "-cipher", s.cipherList)
	}
	if s.cipherSuites != "" {
		args = append(args, "-ciphersuites", s.cipherSuites)
	}
	if s.curveList != "" {
		args = append(args, "-groups", s.curveList)
	}
	if s.dh {
		args = append(args, "-dhparam", filepath.Join(dir, "dh.pem"))
	}
	return args
}

// startSServer runs the twin until the test ends. s_server serves one
// connection at a time, which the simulator's concurrent hellos queue for.
func (s scenario) startSServer(t testing.TB, certPEM, keyPEM []byte) *sserver {
	t.Helper()
	bin, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl is not installed")
	}
	dir := t.TempDir()
	for name, data := range map[string][]byte{"cert.pem": certPEM, "key.pem": keyPEM, "dh.pem": []byte(ffdhe2048PEM)} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for attempt := 0; attempt < 3; attempt++ {
		port := freePort(t)
		addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
		args := append([]string{"s_server", "-www", "-quiet", "-accept", addr,
			"-cert", filepath.Join(dir, "cert.pem"), "-key", filepath.Join(dir, "key.pem")}, s.sserverArgs(dir)...)
		cmd := exec.Command(bin, args...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatalf("openssl s_server: %v", err)
		}
		exited := make(chan struct{})
		go func() { _ = cmd.Wait(); close(exited) }()
		if waitListening(addr, exited) {
			t.Cleanup(func() {
				_ = cmd.Process.Kill()
				<-exited
			})
			return &sserver{Addr: addr}
		}
		_ = cmd.Process.Kill()
		<-exited
		t.Logf("openssl %v: %s", args, stderr.String())
	}
	t.Fatal("openssl s_server did not start")
	return nil
}

func freePort(t testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// waitListening polls until addr accepts or the process exits.
func waitListening(addr string, exited <-chan struct{}) bool {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return false
		default:
		}
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			c.Close()
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}

// endpoint is the twin as the simulator addresses it: implicit TLS, the
// Dovecot host name for SNI, resolved to the twin.
func (s *sserver) endpoint(t testing.TB) (server.Endpoint, probe.Options) {
	host, port, err := net.SplitHostPort(s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := strconv.Atoi(port)
	ep := server.Endpoint{Protocol: server.IMAP, Host: dovecottest.Hostname, Port: p, Security: server.TLS}
	return ep, probe.Options{Timeout: 5 * time.Second, Resolve: map[string]string{dovecottest.Hostname: host}}
}

// TestHandshakeScenariosSServer: every scenario, on the s_server twin,
// gives each profile what its data says; the legacy TLS 1.0/1.1 scenario
// is here only, as Dovecot 2.3 cannot cap the version.
func TestHandshakeScenariosSServer(t *testing.T) {
	certPEM, keyPEM := rsaPair(t)
	profiles := dovecotProfiles(t)
	byID := helloByID(profiles)
	for _, sc := range scenarios {
		sc := sc
		t.Run(sc.name, func(t *testing.T) {
			srv := sc.startSServer(t, certPEM, keyPEM)
			ep, opt := srv.endpoint(t)
			ms := probe.Simulate(context.Background(), ep, profiles, opt)
			sc.assertExpected(t, ep, ms, byID)
			if sc.maxTLS == "" {
				return
			}
			// The legacy scenario must split the profiles: some connect,
			// some are refused for their versions (which, is the data's).
			var connects, noVersion int
			for _, m := range ms {
				if m.Connects {
					connects++
				}
				if m.Reason == probe.ReasonNoSharedVersion {
					noVersion++
				}
			}
			if connects == 0 || noVersion == 0 {
				t.Errorf("legacy scenario: %d profiles connect and %d have no shared version; want both", connects, noVersion)
			}
		})
	}
}

// TestSimulateVerdictSServer: the app's "Will it still work?" with a
// server measures the verdict's own profiles (Windows 7 + Outlook 2010:
// the Windows 7 SChannel hellos) against a real server, here one with
// only ECDHE-RSA AES-GCM suites, which Windows 7 does not have.
func TestSimulateVerdictSServer(t *testing.T) {
	certPEM, keyPEM := rsaPair(t)
	srv := scenarios[1].startSServer(t, certPEM, keyPEM)
	kb, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	v, err := kb.Evaluate(Query{OS: "windows-7", Client: "outlook", ClientVersion: "2010", ServerMinTLS: "1.2"})
	if err != nil {
		t.Fatal(err)
	}
	cells, err := SimulateVerdict(context.Background(), v, srv.Addr)
	if err != nil {
		t.Fatal(err)
	}
	all, _ := Handshakes()
	want := HandshakesFor(all, v)
	if len(cells) == 0 || len(cells) != len(want) {
		t.Fatalf("%d cells for %d profiles", len(cells), len(want))
	}
	for i, c := range cells {
		exp := scenarios[1].expect(want[i].Hello())
		if c.Name != want[i].Name || c.Connects != exp.Connects || c.Reason != exp.Reason {
			t.Errorf("%s: connects=%v reason=%s, want connects=%v reason=%s", c.Name, c.Connects, c.Reason, exp.Connects, exp.Reason)
		}
	}
	if _, err := SimulateVerdict(context.Background(), v, "bad host:x"); err == nil {
		t.Error("a bad server was accepted")
	}
}
