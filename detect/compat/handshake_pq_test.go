//go:build go1.24

// Go 1.24's crypto/tls is a real post-quantum TLS 1.3 server; the legacy
// Go 1.19 build, which has none, leaves this file out. go.mod's "go 1.19"
// line would switch ML-KEM off (GODEBUG tlsmlkem=0), hence the directive.

//go:debug tlsmlkem=1

package compat

import (
	"context"
	"crypto/tls"
	"net"
	"strconv"
	"testing"
	"time"

	"maildoctor.app/maildoctor/detect/probe"
	"maildoctor.app/maildoctor/detect/probe/hello"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/internal/fakemail"
	"maildoctor.app/maildoctor/internal/testpki"
)

// TestHandshakePostQuantumServer: a server that agrees keys only with
// X25519MLKEM768. A profile that lists the group (without a share) gets a
// HelloRetryRequest naming it and reads as connecting with it; a TLS 1.3
// profile without it has no shared group; the others no shared version.
// Which profile is which comes from the data.
func TestHandshakePostQuantumServer(t *testing.T) {
	ca := testpki.NewCA(t, "pq CA")
	pair := ca.Leaf(t, testpki.LeafOptions{Names: []string{"mail.example.test"}})
	cfg := &tls.Config{Certificates: []tls.Certificate{pair.TLSCertificate(t)}, MinVersion: tls.VersionTLS13,
		CurvePreferences: []tls.CurveID{tls.X25519MLKEM768}}
	addr := fakemail.Loopback(t, func(c net.Conn) {
		_ = c.SetDeadline(time.Now().Add(5 * time.Second))
		_ = tls.Server(c, cfg).Handshake()
	})
	ep := server.Endpoint{Protocol: server.IMAP, Host: "mail.example.test", Port: addr.Port, Security: server.TLS}
	opt := probe.Options{Timeout: 5 * time.Second, Resolve: map[string]string{"mail.example.test": addr.IP.String()}}
	profiles := dovecotProfiles(t)
	ms := probe.Simulate(context.Background(), ep, profiles, opt)
	const pq = 0x11ec
	sawPQ := false
	for i, m := range ms {
		h := profiles[i].Hello
		switch {
		case h.MaxVersion() < 0x0304:
			if m.Connects || m.Reason != probe.ReasonNoSharedVersion {
				t.Errorf("%s: connects=%v reason=%s (%s), want no_shared_version", m.Profile, m.Connects, m.Reason, m.Detail)
			}
		case h.OffersGroup(pq):
			sawPQ = true
			if !m.Connects || !m.HelloRetry || m.Group != hello.GroupName(pq) {
				t.Errorf("%s: connects=%v retry=%v group=%s reason=%s (%s), want X25519MLKEM768 after a retry",
					m.Profile, m.Connects, m.HelloRetry, m.Group, m.Reason, m.Detail)
			}
			tr := func(key string, args map[string]string) string { return key + " " + args["group"] }
			if got := MeasuredText(MeasuredCell{Measured: m}, tr); got != "compat.measured.cell.connects_retry X25519MLKEM768" {
				t.Errorf("%s: the table says %q", m.Profile, got)
			}
		default:
			if m.Connects || m.Reason != probe.ReasonNoSharedGroup {
				t.Errorf("%s: connects=%v reason=%s %s (%s), want no_shared_group", m.Profile, m.Connects, m.Reason, m.Alert, m.Detail)
			}
		}
	}
	if !sawPQ {
		t.Error("no profile lists X25519MLKEM768")
	}
	t.Logf("%s: %d profiles", net.JoinHostPort(addr.IP.String(), strconv.Itoa(addr.Port)), len(ms))
}
