package check

import (
	"context"
	"io"
	"net"
	"testing"
	"time"

	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/internal/fakemail"
)

// silentServers listens on every standard mail port of a fresh loopback
// address and never says a word: a firewall that accepts and drops.
func silentServers(t *testing.T) string {
	t.Helper()
	handlers := map[int]func(net.Conn){}
	for _, p := range []int{993, 143, 995, 110, 465, 587} {
		handlers[p] = func(c net.Conn) { _, _ = io.Copy(io.Discard, c) }
	}
	return fakemail.StandardPorts(t, handlers)
}

// A check where every port is silent ends within one timeout plus a
// second: all endpoints run at once and nothing waits in sequence.
func TestAllPortsSilent(t *testing.T) {
	addr := silentServers(t)
	const timeout = 2 * time.Second
	start := time.Now()
	rep, err := Run(context.Background(), Options{
		Email:    testUser,
		Password: pw(testPassword),
		Manual:   map[server.Protocol]string{server.IMAP: "silent.example.test", server.POP3: "silent.example.test", server.SMTP: "silent.example.test"},
		Resolve:  map[string]string{"silent.example.test": addr},
		Timeout:  timeout,
	})
	if err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el > timeout+time.Second {
		t.Errorf("check took %v, want under %v", el, timeout+time.Second)
	}
	if len(rep.Endpoints) != 6 {
		t.Fatalf("%d endpoints, want 6", len(rep.Endpoints))
	}
	for _, r := range rep.Endpoints {
		if !finding.Has(r.Findings, "protocol.no_answer") || r.Auth != "skipped" {
			t.Errorf("%s: %v auth %s", r.Addr(), findingIDs(r.Findings), r.Auth)
		}
	}
	if rep.Verdict != VerdictFail {
		t.Errorf("verdict %s", rep.Verdict)
	}
}

func TestCancelEndsCheck(t *testing.T) {
	addr := silentServers(t)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	start := time.Now()
	rep, err := Run(ctx, Options{
		Email:   testUser,
		Manual:  map[server.Protocol]string{server.IMAP: "silent.example.test", server.POP3: "silent.example.test", server.SMTP: "silent.example.test"},
		Resolve: map[string]string{"silent.example.test": addr},
		Timeout: 30 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("cancelled check took %v", el)
	}
	if !finding.Has(rep.Findings, "check.cancelled") {
		t.Errorf("findings %v, want check.cancelled", findingIDs(rep.Findings))
	}
}

// The whole check has a deadline on top of each step's timeout: a
// network that swallows everything cannot hold it longer.
func TestDeadlineBoundsCheck(t *testing.T) {
	addr := silentServers(t)
	start := time.Now()
	rep, err := Run(context.Background(), Options{
		Email:    testUser,
		Manual:   map[server.Protocol]string{server.IMAP: "silent.example.test", server.POP3: "silent.example.test", server.SMTP: "silent.example.test"},
		Resolve:  map[string]string{"silent.example.test": addr},
		Timeout:  30 * time.Second,
		Deadline: time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el > 8*time.Second { // the step timeout is 30 s
		t.Errorf("check took %v with a 1 s deadline", el)
	}
	if !finding.Has(rep.Findings, "check.deadline") {
		t.Errorf("want check.deadline: %v", findingIDs(rep.Findings))
	}
}
