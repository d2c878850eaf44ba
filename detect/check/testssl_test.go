package check

import (
	"bytes"
	"context"
	"net"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"testing"
	"time"

	"maildoctor.app/maildoctor/internal/dovecottest"
	"maildoctor.app/maildoctor/internal/latency"
)

// TestCompareTestssl is the README's comparison with testssl.sh, on a line
// with 20 ms each way: `testssl.sh -p` (protocols only) on one
// implicit-TLS port of the test Dovecot, and the full check (six
// endpoints, TLS sweep, certificates, three logins) through the same
// proxy in the same run. It needs Debian's testssl.sh and takes about
// 15 s, so it runs only with MAILDOCTOR_TESTSSL=1 (`make compare-testssl`),
// never in `make test`.
func TestCompareTestssl(t *testing.T) {
	if os.Getenv("MAILDOCTOR_TESTSSL") != "1" {
		t.Skip("MAILDOCTOR_TESTSSL=1 runs the comparison with testssl.sh (make compare-testssl)")
	}
	bin := ""
	for _, name := range []string{"testssl.sh", "testssl"} {
		if p, err := exec.LookPath(name); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		t.Fatal("testssl.sh is missing: scripts/install-deps.sh testssl")
	}
	s := startDovecot(t, dovecottest.Config{Implicit: true, StartTLS: true, Quota: true}, goodLeaf)
	const oneWay = 20 * time.Millisecond
	p := latency.Start(t, s.srv.Addr, mailPorts, oneWay)

	// The check first and last, around testssl.sh, so that both see the
	// same machine; the median of three.
	var checks []time.Duration
	runCheck := func() {
		start := time.Now()
		rep := s.runVia(t, p, pw(testPassword))
		checks = append(checks, time.Since(start))
		if rep.Verdict != VerdictOK {
			t.Fatalf("check verdict %s: %v", rep.Verdict, findingIDs(rep.Findings))
		}
	}
	runCheck()

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-p", "--quiet", "--color", "0", "--warnings", "off", "--nodns", "none",
		net.JoinHostPort(p.Addr, "993"))
	start := time.Now()
	out, err := cmd.CombinedOutput()
	testssl := time.Since(start)
	if err != nil {
		t.Fatalf("%s: %v\n%s", bin, err, out)
	}
	// testssl.sh must have reached the server and agree with the check:
	// TLS 1.2 and 1.3 offered, 1.0 and 1.1 not.
	for _, want := range []string{`TLS 1\.2 +offered`, `TLS 1\.3 +offered`, `TLS 1 +not offered`, `TLS 1\.1 +not offered`} {
		if !regexp.MustCompile(want).Match(out) {
			t.Errorf("testssl.sh output has no %q:\n%s", want, bytes.TrimSpace(out))
		}
	}

	runCheck()
	runCheck()
	sort.Slice(checks, func(i, j int) bool { return checks[i] < checks[j] })
	median := checks[1]
	ratio := float64(testssl) / float64(median)
	rtt := p.RTT()
	t.Logf("line: %v one-way (%v round trip)", oneWay, rtt)
	t.Logf("testssl.sh -p, port 993: %.2f s = %.0f round trips", testssl.Seconds(), float64(testssl)/float64(rtt))
	t.Logf("full check with password: %d ms = %.1f round trips (runs: %v)", median.Milliseconds(), float64(median)/float64(rtt), checks)
	t.Logf("ratio: %.0f×", ratio)
	if ratio < 20 {
		t.Errorf("the full check is only %.1f× faster than testssl.sh -p on one port; it must stay over 20×", ratio)
	}
}
