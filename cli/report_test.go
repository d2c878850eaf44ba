package cli

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"maildoctor.app/maildoctor/detect/check"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/fix/report"
	"maildoctor.app/maildoctor/internal/dovecottest"
	"maildoctor.app/maildoctor/internal/testpki"
)

func sampleReportCode(t *testing.T) string {
	t.Helper()
	rep, err := report.Build(report.Input{App: "1.0.0", Lang: "it", Now: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC),
		Check: &check.Report{Email: "anna@example.test", Verdict: check.VerdictFail, Findings: []finding.Finding{
			finding.New("tcp.timeout", finding.Fail, "mail.example.test:993", "port", "993"),
		}}})
	if err != nil {
		t.Fatal(err)
	}
	code, err := rep.Code()
	if err != nil {
		t.Fatal(err)
	}
	return code
}

func TestReportBadInput(t *testing.T) {
	code := sampleReportCode(t)
	body := code[len(report.CodePrefix):]
	flipped := []byte(code)
	flipped[len(code)/2] ^= 'A' ^ 'B'
	cases := []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"missing code", "", []string{"report"}, "missing the support code"},
		{"garbage", "", []string{"report", "hello"}, "not a Mail Doctor support code"},
		{"truncated", "", []string{"report", code[:len(code)-5]}, "incomplete"},
		{"wrong version", "", []string{"report", "MD2-" + body}, "version 2"},
		{"bad checksum", "", []string{"report", string(flipped)}, "damaged"},
		{"oversized", "", []string{"report", report.CodePrefix + strings.Repeat("A", report.MaxCodeLen)}, "longer than"},
		{"oversized stdin", strings.Repeat("A", 3*report.MaxCodeLen), []string{"report", "-"}, "longer than"},
		{"bad lang", "", []string{"report", code, "--lang", "de"}, "--lang"},
		{"unknown flag", "", []string{"report", code, "--html"}, "--html"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			exit, stdout, stderr := run(t, c.stdin, c.args...)
			if exit != ExitUsage {
				t.Errorf("exit = %d, want %d (stderr %q)", exit, ExitUsage, stderr)
			}
			if strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "maildoctor report: ") || !strings.Contains(stderr, c.want) {
				t.Errorf("stderr = %q, want one line about %q", stderr, c.want)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
		})
	}
}

func TestReportShowsCode(t *testing.T) {
	code := sampleReportCode(t)
	wrapped := []string{"report", code[:40], code[40:100], code[100:], "--lang", "en"}
	exit, out, stderr := run(t, "", wrapped...)
	if exit != ExitProblems || stderr != "" {
		t.Fatalf("exit %d, stderr %q", exit, stderr)
	}
	for _, want := range []string{"anna@example.test", "No answer on port 993", "1.0.0", "(X)"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	_, outIT, _ := run(t, "", "report", code, "--lang", "it")
	if outIT == out || !strings.Contains(outIT, "anna@example.test") {
		t.Errorf("Italian output:\n%s", outIT)
	}
	_, fromStdin, _ := run(t, code+"\n", "report", "-", "--lang", "en")
	if fromStdin != out {
		t.Errorf("stdin output differs:\n%s", fromStdin)
	}
	_, js, _ := run(t, "", "report", "--json", code, "--lang", "en")
	var rep report.Report
	if err := json.Unmarshal([]byte(js), &rep); err != nil {
		t.Fatalf("--json output is not one JSON report: %v\n%s", err, js)
	}
	if rep.Check == nil || len(rep.Check.Findings) != 1 || rep.Check.Findings[0].Title != "No answer on port 993" {
		t.Errorf("--json report = %+v", rep.Check)
	}
}

// check --code against a real Dovecot, then report CODE: the agent reads
// the findings the customer's check printed, and the password is nowhere.
func TestCheckCodeRoundTrip(t *testing.T) {
	const user, password = "mario.rossi@example.test", "Corretta-Password-1"
	ca := testpki.NewCA(t, "Mail Doctor Test Root")
	pair := ca.Leaf(t, testpki.LeafOptions{Names: []string{dovecottest.Hostname}})
	srv := dovecottest.Start(t, dovecottest.Config{Implicit: true, StartTLS: true, CertPEM: pair.CertPEM, KeyPEM: pair.KeyPEM,
		Users: map[string]string{user: password}})
	host := dovecottest.Hostname
	args := []string{"check", user, "--imap", host, "--pop3", host, "--smtp", host,
		"--resolve", host + ":" + srv.Addr, "--timeout", "5s", "--password-stdin", "--code", "--lang", "en"}

	exit, out, stderr := run(t, password+"\n", args...)
	if exit != ExitProblems || stderr != "" {
		t.Fatalf("check: exit %d, stderr %q", exit, stderr)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	code := lines[len(lines)-1]
	if !strings.HasPrefix(code, report.CodePrefix) {
		t.Fatalf("last line %q is not a support code", code)
	}
	exit, shown, stderr := run(t, "", "report", code, "--lang", "en")
	if exit != ExitProblems || stderr != "" {
		t.Fatalf("report: exit %d, stderr %q", exit, stderr)
	}
	// Every finding line the customer saw is in the agent's report.
	var seen int
	inFindings := false
	for _, l := range lines {
		switch {
		case l == "What was found":
			inFindings = true
		case l == "":
			inFindings = false
		case inFindings && strings.HasPrefix(l, "  ["):
			seen++
			if title := strings.TrimSpace(l[6:]); !strings.Contains(shown, title) {
				t.Errorf("the agent's report lacks %q", title)
			}
		case inFindings:
			if text := strings.Trim(strings.TrimSpace(l), "()"); !strings.Contains(shown, text) {
				t.Errorf("the agent's report lacks %q", text)
			}
		}
	}
	if seen == 0 || !strings.Contains(out, "certificate is not trusted") {
		t.Fatalf("the check found nothing to compare:\n%s", out)
	}

	_, js, _ := run(t, password+"\n", append(args, "--json")...)
	var parsed struct {
		Findings    []finding.Finding `json:"findings"`
		SupportCode string            `json:"support_code"`
	}
	if err := json.Unmarshal([]byte(js), &parsed); err != nil {
		t.Fatalf("check --json --code is not one JSON object: %v", err)
	}
	decoded, err := report.Decode(parsed.SupportCode)
	if err != nil {
		t.Fatal(err)
	}
	if len(decoded.Check.Findings) != len(parsed.Findings) {
		t.Errorf("code has %d findings, the JSON %d", len(decoded.Check.Findings), len(parsed.Findings))
	}
	for _, s := range []string{out, shown, js, code} {
		if strings.Contains(s, password) {
			t.Error("the password is in the output or the code")
		}
	}
}
