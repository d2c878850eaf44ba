package probe

import (
	"context"
	"crypto/tls"
	"net"
	"testing"
	"time"

	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/internal/fakemail"
	"maildoctor.app/maildoctor/internal/latency"
	"maildoctor.app/maildoctor/internal/testpki"
)

// TestEarlyBeforeASilentSweep: behind a line that swallows TLS 1.0 and
// 1.1 hellos, Running.Early hands over a verified copy while the sweep
// still waits for its timeout; a login made on it is in the final
// Result after the versions, and the copy never sees the sweep's work.
func TestEarlyBeforeASilentSweep(t *testing.T) {
	ca := testpki.NewCA(t, "Mail Doctor Test Root")
	const host = "mail.example.test"
	cfg := &tls.Config{Certificates: []tls.Certificate{ca.Leaf(t, testpki.LeafOptions{Names: []string{host}}).TLSCertificate(t)}}
	logins := &fakemail.Counter{}
	addr := fakemail.StandardPorts(t, map[int]func(net.Conn){993: fakemail.IMAPS(cfg, func(tag string) string {
		logins.Add()
		return tag + " OK done"
	})})
	line := latency.Start(t, addr, []int{993}, 0, latency.SwallowOldHellos())
	opt := Options{Timeout: 3 * time.Second, Roots: ca.Pool(), Resolve: map[string]string{host: line.Addr}}
	run := Start(context.Background(), server.Endpoint{Protocol: server.IMAP, Host: host, Port: 993, Security: server.TLS}, opt)

	early := run.Early()
	if !early.Sweeping() || !early.Secure() || run.Done() {
		t.Fatalf("early: sweeping %v secure %v, probe done %v: want a verified copy while the sweep runs", early.Sweeping(), early.Secure(), run.Done())
	}
	if err := Login(context.Background(), early, Credentials{User: "mario", Password: "segreta"}, opt); err != nil {
		t.Fatalf("login on the early copy: %v", err)
	}
	if run.Done() {
		t.Fatal("the sweep ended before the login: the test proves nothing")
	}
	res := run.Wait()
	if logins.Count() != 1 || res.Auth != AuthOK || !finding.Has(res.Findings, finding.AuthOK) {
		t.Errorf("%d logins, auth %q, findings %v", logins.Count(), res.Auth, ids(res.Findings))
	}
	var names []string
	for _, st := range res.Steps {
		names = append(names, st.Name)
	}
	if n := len(names); n < 3 || names[n-3] != StepVersions || names[n-2] != StepLogin || names[n-1] != StepMailbox {
		t.Errorf("steps %v: want the versions, then the login's", names)
	}
	if v := res.TLS.Versions; v["1.0"] || v["1.1"] || !v["1.2"] || !v["1.3"] {
		t.Errorf("versions %v", v)
	}
	if len(early.TLS.Versions) != 1 || finding.Has(early.Findings, finding.EndpointOK) {
		t.Errorf("the early copy changed with the probe: versions %v findings %v", early.TLS.Versions, ids(early.Findings))
	}
}
