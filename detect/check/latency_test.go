package check

import (
	"context"
	"fmt"
	"testing"
	"time"

	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/internal/dovecottest"
	"maildoctor.app/maildoctor/internal/latency"
)

// mailPorts are the six standard ports the test Dovecot listens on.
var mailPorts = []int{143, 993, 110, 995, 587, 465}

// runVia runs the check of s through a latency proxy.
func (s setup) runVia(t testing.TB, p *latency.Proxy, password *string) *Report {
	t.Helper()
	rep, err := Run(context.Background(), Options{
		Email:    testUser,
		Password: password,
		Manual:   map[server.Protocol]string{server.IMAP: mailHost, server.POP3: mailHost, server.SMTP: mailHost},
		Resolve:  map[string]string{mailHost: p.Addr},
		Timeout:  10 * time.Second,
		Roots:    s.ca.Pool(),
	})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return rep
}

// BenchmarkCheckLatency is the full check over a line with a delay: 0, 20
// (a home line to a data centre) and 75 ms (mobile, satellite) each way,
// with and without a password. "rtt" is the wall time in round trips of
// that line: the number that does not shrink with a faster computer.
func BenchmarkCheckLatency(b *testing.B) {
	s := startDovecot(b, dovecottest.Config{Implicit: true, StartTLS: true, Quota: true}, goodLeaf)
	for _, withPassword := range []bool{true, false} {
		for _, d := range []time.Duration{0, 20 * time.Millisecond, 75 * time.Millisecond} {
			name := fmt.Sprintf("password=%v/oneway=%dms", withPassword, d.Milliseconds())
			b.Run(name, func(b *testing.B) {
				p := latency.Start(b, s.srv.Addr, mailPorts, d)
				var password *string
				if withPassword {
					password = pw(testPassword)
				}
				b.ResetTimer()
				start := time.Now()
				for i := 0; i < b.N; i++ {
					rep := s.runVia(b, p, password)
					if rep.Verdict != VerdictOK {
						b.Fatalf("verdict %s: %v", rep.Verdict, findingIDs(rep.Findings))
					}
				}
				perOp := time.Since(start) / time.Duration(b.N)
				b.StopTimer()
				b.ReportMetric(float64(perOp.Milliseconds()), "ms/check")
				if d > 0 {
					b.ReportMetric(float64(perOp)/float64(p.RTT()), "rtt")
				}
			})
		}
	}
}
