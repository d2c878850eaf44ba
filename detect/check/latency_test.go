package check

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/internal/dovecottest"
	"maildoctor.app/maildoctor/internal/latency"
)

// mailPorts are the six standard ports the test Dovecot listens on.
var mailPorts = []int{143, 993, 110, 995, 587, 465}

// runVia runs the check of s through a latency proxy. The early verdict
// must be the report's.
func (s setup) runVia(t testing.TB, p *latency.Proxy, password *string) *Report {
	t.Helper()
	rep, _ := s.runTimed(t, p, password, 10*time.Second)
	return rep
}

// runTimed is runVia with a step timeout, and says when the early
// verdict came, counted from the start of the check.
func (s setup) runTimed(t testing.TB, p *latency.Proxy, password *string, timeout time.Duration) (*Report, time.Duration) {
	t.Helper()
	var early []Verdict
	var verdictAt time.Duration
	start := time.Now()
	rep, err := Run(context.Background(), Options{
		Email:    testUser,
		Password: password,
		Manual:   map[server.Protocol]string{server.IMAP: mailHost, server.POP3: mailHost, server.SMTP: mailHost},
		Resolve:  map[string]string{mailHost: p.Addr},
		Timeout:  timeout,
		Roots:    s.ca.Pool(),
		EarlyVerdict: func(v Verdict) {
			verdictAt = time.Since(start)
			early = append(early, v)
		},
	})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if len(early) != 1 || early[0] != rep.Verdict {
		t.Errorf("early verdicts %q, the report's is %s", early, rep.Verdict)
	}
	return rep, verdictAt
}

// BenchmarkCheckLatency is the full check over a line with a delay: 0, 20
// (a home line to a data centre) and 75 ms (mobile, satellite) each way,
// with and without a password. "rtt" is the wall time in round trips of
// that line: the number that does not shrink with a faster computer;
// "verdict-rtt" is when the account's verdict was known (EarlyVerdict).
// The "oldhellos=silent" cases run through a line that swallows TLS 1.0
// and 1.1 hellos, so every version sweep lasts its 2 s timeout: the
// verdict must not wait for them.
func BenchmarkCheckLatency(b *testing.B) {
	s := startDovecot(b, dovecottest.Config{Implicit: true, StartTLS: true, Quota: true}, goodLeaf)
	type line struct {
		oneWay  time.Duration
		silent  bool
		timeout time.Duration
	}
	lines := []line{{0, false, 10 * time.Second}, {20 * time.Millisecond, false, 10 * time.Second}, {75 * time.Millisecond, false, 10 * time.Second}, {20 * time.Millisecond, true, 2 * time.Second}}
	for _, withPassword := range []bool{true, false} {
		for _, l := range lines {
			name := fmt.Sprintf("password=%v/oneway=%dms", withPassword, l.oneWay.Milliseconds())
			var opts []latency.Option
			if l.silent {
				name += "/oldhellos=silent"
				opts = append(opts, latency.SwallowOldHellos())
			}
			b.Run(name, func(b *testing.B) {
				p := latency.Start(b, s.srv.Addr, mailPorts, l.oneWay, opts...)
				var password *string
				if withPassword {
					password = pw(testPassword)
				}
				b.ResetTimer()
				start := time.Now()
				var verdicts time.Duration
				for i := 0; i < b.N; i++ {
					rep, at := s.runTimed(b, p, password, l.timeout)
					if rep.Verdict != VerdictOK {
						b.Fatalf("verdict %s: %v", rep.Verdict, findingIDs(rep.Findings))
					}
					verdicts += at
				}
				perOp := time.Since(start) / time.Duration(b.N)
				b.StopTimer()
				b.ReportMetric(float64(perOp.Milliseconds()), "ms/check")
				if l.oneWay > 0 {
					b.ReportMetric(float64(perOp)/float64(p.RTT()), "rtt")
					b.ReportMetric(float64(verdicts/time.Duration(b.N))/float64(p.RTT()), "verdict-rtt")
				}
			})
		}
	}
}

// TestSameFindingsOverASlowLine: the check over a line with 20 ms each
// way finds exactly what it finds on loopback, with and without a
// password: speed comes from overlapping steps, never from skipping one.
func TestSameFindingsOverASlowLine(t *testing.T) {
	if testing.Short() {
		t.Skip("a check over a slow line")
	}
	s := startDovecot(t, dovecottest.Config{Implicit: true, StartTLS: true, Quota: true}, goodLeaf)
	fast := latency.Start(t, s.srv.Addr, mailPorts, 0)
	slow := latency.Start(t, s.srv.Addr, mailPorts, 20*time.Millisecond)
	for _, password := range []*string{pw(testPassword), nil} {
		a, b := s.runVia(t, fast, password), s.runVia(t, slow, password)
		if got, want := factsOf(b), factsOf(a); got != want {
			t.Errorf("password %v: over 20 ms\n%s\nwant (0 ms)\n%s", password != nil, got, want)
		}
	}
}

// factsOf is what a report says, without timings.
func factsOf(rep *Report) string {
	var lines []string
	for _, f := range rep.Findings {
		lines = append(lines, fmt.Sprintf("%s %s %s %v", f.ID, f.Severity, f.Endpoint, f.Args))
	}
	for _, r := range rep.Endpoints {
		account, _ := json.Marshal(r.Account)
		lines = append(lines, fmt.Sprintf("%s auth=%s tls=%+v greeting=%q caps=%v mechs=%v account=%s",
			r.Addr(), r.Auth, r.TLS, r.Greeting, r.Capabilities, r.AuthMechanisms, account))
	}
	lines = append(lines, "verdict "+string(rep.Verdict))
	return strings.Join(lines, "\n")
}
