package check

import (
	"context"
	"crypto/tls"
	"net"
	"sync"
	"testing"
	"time"

	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/probe"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/internal/dovecottest"
	"maildoctor.app/maildoctor/internal/fakemail"
	"maildoctor.app/maildoctor/internal/latency"
	"maildoctor.app/maildoctor/internal/testpki"
)

// events records a check's progress in the order it was reported.
type events struct {
	mu   sync.Mutex
	list []string
}

func (e *events) add(s string) {
	e.mu.Lock()
	e.list = append(e.list, s)
	e.mu.Unlock()
}

// index is the position of the first event want, or -1.
func (e *events) index(want string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	for i, s := range e.list {
		if s == want {
			return i
		}
	}
	return -1
}

// firstOf is the position of the first event that ends with suffix, or -1.
func (e *events) firstOf(suffix string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	for i, s := range e.list {
		if len(s) >= len(suffix) && s[len(s)-len(suffix):] == suffix {
			return i
		}
	}
	return -1
}

// TestLoginDoesNotWaitForASilentSweep: a line that swallows TLS 1.0 and
// 1.1 hellos without a word (a middlebox, or a server that ignores old
// hellos) holds every version sweep until its timeout. The logins must
// not wait for that: each starts once its endpoint's handshake and
// certificate are verified, so every login is reported before any sweep
// ends, and the report holds the same facts as over a plain line.
func TestLoginDoesNotWaitForASilentSweep(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for a sweep's timeout")
	}
	s := startDovecot(t, dovecottest.Config{Implicit: true, StartTLS: true, Quota: true}, goodLeaf)
	plain := latency.Start(t, s.srv.Addr, mailPorts, 0)
	want := factsOf(s.runVia(t, plain, pw(testPassword)))

	silent := latency.Start(t, s.srv.Addr, mailPorts, 0, latency.SwallowOldHellos())
	ev := &events{}
	const timeout = 5 * time.Second
	rep, err := Run(context.Background(), Options{
		Email:    testUser,
		Password: pw(testPassword),
		Manual:   map[server.Protocol]string{server.IMAP: mailHost, server.POP3: mailHost, server.SMTP: mailHost},
		Resolve:  map[string]string{mailHost: silent.Addr},
		Timeout:  timeout,
		Roots:    s.ca.Pool(),
		Progress: func(ep server.Endpoint, st probe.Step) {
			ev.add(ep.Addr() + " " + string(ep.Security) + " " + st.Name)
		},
		EarlyVerdict: func(v Verdict) { ev.add("verdict " + string(v)) },
	})
	if err != nil {
		t.Fatal(err)
	}
	sweepEnd := ev.firstOf(" " + probe.StepVersions)
	if sweepEnd < 0 {
		t.Fatalf("no sweep ended: %v", ev.list)
	}
	for _, port := range []string{"993", "995", "465"} {
		login := ev.index(mailHost + ":" + port + " tls " + probe.StepLogin)
		if login < 0 || login > sweepEnd {
			t.Errorf("login on %s reported at event %d, the first sweep ended at event %d: the login waited for the sweep", port, login, sweepEnd)
		}
	}
	// The account's verdict does not wait for the sweeps either, and it
	// is the report's.
	if v := ev.index("verdict " + string(rep.Verdict)); v < 0 || v > sweepEnd {
		t.Errorf("verdict %s reported at event %d, the first sweep ended at event %d", rep.Verdict, v, sweepEnd)
	}
	if t.Failed() {
		t.Logf("events: %q", ev.list)
	}
	if got := factsOf(rep); got != want {
		t.Errorf("with silent old hellos\n%s\nwant (plain line)\n%s", got, want)
	}
}

// TestEarlyVerdictWaitsForADecidingSweep: on a server whose best TLS is
// 1.1 only the sweep can tell (tls.legacy_only, a failure), so the early
// verdict waits for it and is the report's.
func TestEarlyVerdictWaitsForADecidingSweep(t *testing.T) {
	ca := testpki.NewCA(t, "Mail Doctor Test Root")
	const host = "old.example.test"
	cfg := &tls.Config{
		Certificates: []tls.Certificate{ca.Leaf(t, testpki.LeafOptions{Names: []string{host}}).TLSCertificate(t)},
		MinVersion:   tls.VersionTLS10,
		MaxVersion:   tls.VersionTLS11,
	}
	logins := &fakemail.Counter{}
	addr := fakemail.StandardPorts(t, map[int]func(net.Conn){993: fakeIMAPS(cfg, logins)})
	var early []Verdict
	rep, err := Run(context.Background(), Options{
		Email: testUser, HTTP: offline,
		Manual:       map[server.Protocol]string{server.IMAP: host + ":993"},
		Resolve:      map[string]string{host: addr},
		Timeout:      3 * time.Second,
		Roots:        ca.Pool(),
		EarlyVerdict: func(v Verdict) { early = append(early, v) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if !finding.Has(rep.Findings, finding.TLSLegacyOnly) || rep.Verdict != VerdictFail {
		t.Fatalf("verdict %s, findings %v: want tls.legacy_only and fail", rep.Verdict, findingIDs(rep.Findings))
	}
	if len(early) != 1 || early[0] != rep.Verdict {
		t.Errorf("early verdicts %q, the report's is %s", early, rep.Verdict)
	}
}
