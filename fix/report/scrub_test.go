package report

import (
	"encoding/base64"
	"strings"
	"testing"

	"maildoctor.app/maildoctor/detect/check"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/probe"
	"maildoctor.app/maildoctor/detect/server"
)

// The support code of a check whose server echoed the password, quoted or
// encoded, holds none of it (the scrub once missed the IMAP-quoted form).
func TestSupportCodeOfAnEchoedPassword(t *testing.T) {
	const password = `Pa"ss\wo rd+/é`
	echoes := []string{
		`Pa\"ss\\wo rd+/é`,
		base64.StdEncoding.EncodeToString([]byte("\x00" + testUser + "\x00" + password)),
		"Pa%22ss%5Cwo+rd%2B%2F%C3%A9",
	}
	var fs []finding.Finding
	for _, e := range echoes {
		fs = append(fs, finding.New("auth.failed", finding.Fail, "mail.example.test:993").WithEvidence(`NO bad password "`+e+`"`))
	}
	in := &check.Report{Email: testUser, Findings: fs, Verdict: check.VerdictFail}
	rep, err := Build(Input{Check: in, Secrets: []string{password}})
	if err != nil {
		t.Fatal(err)
	}
	code, err := rep.Code()
	if err != nil {
		t.Fatal(err)
	}
	back, err := Decode(code)
	if err != nil {
		t.Fatal(err)
	}
	raw := mustJSON(t, back)
	for _, e := range echoes {
		if strings.Contains(raw, e) || strings.Contains(raw, strings.Trim(mustJSON(t, e), `"`)) {
			t.Errorf("the code holds %q:\n%s", e, raw)
		}
	}
	if n := strings.Count(raw, Redacted); n != len(echoes) {
		t.Errorf("%d redactions, want %d:\n%s", n, len(echoes), raw)
	}
}

// A password that is one of the report's own words leaves the verdict,
// the findings' ids and severities as they were.
func TestSupportCodeOfAPasswordThatIsAVerdict(t *testing.T) {
	in := &check.Report{
		Email:     testUser,
		Endpoints: []*probe.Result{{Endpoint: server.Endpoint{Protocol: server.IMAP, Host: "mail.example.test", Port: 993, Security: server.TLS}, Auth: "failed"}},
		Findings:  []finding.Finding{finding.New("auth.failed", finding.Fail, "mail.example.test:993").WithEvidence("NO fail")},
		Verdict:   check.VerdictFail,
	}
	comp := sampleComputer()
	comp.Clients[0].Findings = []finding.Finding{finding.New("client.outdated", finding.Fail, "x")}
	rep, err := Build(Input{Check: in, Computer: comp, Secrets: []string{"fail"}})
	if err != nil {
		t.Fatal(err)
	}
	c := rep.Check
	if c.Verdict != check.VerdictFail || c.Findings[0].ID != "auth.failed" || c.Findings[0].Severity != finding.Fail ||
		rep.Computer.Clients[0].Findings[0].Severity != finding.Fail || c.Endpoints[0].Auth != "failed" {
		t.Errorf("own words changed: %s", mustJSON(t, rep))
	}
	if c.Findings[0].Evidence != "NO "+Redacted {
		t.Errorf("evidence %q", c.Findings[0].Evidence)
	}
}
