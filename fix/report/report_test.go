package report

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"maildoctor.app/maildoctor/assets"
	"maildoctor.app/maildoctor/detect/check"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/probe"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/i18n"
	"maildoctor.app/maildoctor/internal/dovecottest"
	"maildoctor.app/maildoctor/internal/testpki"
)

const (
	testUser     = "mario.rossi@example.test"
	testPassword = "Corretta-Password-1"
)

func translators(t testing.TB) map[string]i18n.Translator {
	t.Helper()
	cat, err := i18n.Load(assets.Translations, "translation")
	if err != nil {
		t.Fatal(err)
	}
	return map[string]i18n.Translator{"en": cat.For("en"), "it": cat.For("it")}
}

// dovecotCheck runs the real account check against a real Dovecot that
// offers only STARTTLS, so the report holds failures, warnings, a login
// and arguments of every kind.
func dovecotCheck(t testing.TB) *check.Report {
	t.Helper()
	ca := testpki.NewCA(t, "Mail Doctor Test Root")
	pair := ca.Leaf(t, testpki.LeafOptions{Names: []string{dovecottest.Hostname}})
	srv := dovecottest.Start(t, dovecottest.Config{StartTLS: true, CertPEM: pair.CertPEM, KeyPEM: pair.KeyPEM,
		Users: map[string]string{testUser: testPassword}})
	host := dovecottest.Hostname
	pw := testPassword
	rep, err := check.Run(context.Background(), check.Options{
		Email:    testUser,
		Password: &pw,
		Manual:   map[server.Protocol]string{server.IMAP: host + ":143", server.POP3: host + ":110", server.SMTP: host + ":587"},
		Resolve:  map[string]string{host: srv.Addr},
		Timeout:  5 * time.Second,
		Roots:    ca.Pool(),
	})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func sampleComputer() *Computer {
	return &Computer{
		OS: OS{Family: "windows", Name: "Windows 7", Version: "6.1", Build: "7601",
			TLS: map[string]string{"1.0": "default", "1.1": "off", "1.2": "off", "1.3": "no"}},
		Clients: []Client{{
			ID: "outlook", Name: "Outlook", Version: "2010",
			Accounts: []Account{{Email: testUser,
				Incoming: &Server{Protocol: "imap", Host: "mail.example.test", Port: 143, Security: "starttls"},
				Outgoing: &Server{Protocol: "smtp", Host: "mail.example.test", Port: 587, Security: "starttls"}}},
			Findings: []finding.Finding{finding.New("starttls.in_use", finding.Warn, "outlook",
				"protocol", "IMAP", "port", "143", "tls_port", "993")},
		}},
	}
}

// The whole way an agent sees a customer's check: check → report → code →
// decode → the same findings, rendered the same, in either language.
func TestRoundTripDovecot(t *testing.T) {
	checked := dovecotCheck(t)
	if len(checked.Findings) < 3 || checked.Verdict == check.VerdictOK {
		t.Fatalf("the STARTTLS-only server gave verdict %s with %d findings; the test needs problems", checked.Verdict, len(checked.Findings))
	}
	rep, err := Build(Input{App: "1.2.3", Lang: "it", Check: checked, Computer: sampleComputer(),
		Timings: []Timing{{"check", checked.ElapsedMS}}, Secrets: []string{testPassword}})
	if err != nil {
		t.Fatal(err)
	}
	code, err := rep.Code()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d findings, %d endpoints: support code of %d characters", len(checked.Findings), len(checked.Endpoints), len(code))
	back, err := Decode(code)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, rep) {
		t.Fatalf("decoded report differs:\n%+v\nwant\n%+v", back, rep)
	}
	for lang, tr := range translators(t) {
		var sent, got bytes.Buffer
		if err := Render(&sent, rep, tr); err != nil {
			t.Fatal(err)
		}
		if err := Render(&got, back, tr); err != nil {
			t.Fatal(err)
		}
		if sent.String() != got.String() {
			t.Errorf("%s: decoded report renders differently", lang)
		}
		// The customer's own screen (the command line, the app) localizes
		// the check's findings; the agent must read the same sentences.
		seen := append([]finding.Finding(nil), checked.Findings...)
		finding.Localize(seen, tr)
		for _, f := range seen {
			if !strings.Contains(got.String(), esc(f.Title)) {
				t.Errorf("%s: the report lacks %s %q", lang, f.ID, f.Title)
			}
			if f.Severity != finding.OK && !strings.Contains(got.String(), esc(f.Detail)) {
				t.Errorf("%s: the report lacks the detail of %s", lang, f.ID)
			}
		}
		for _, want := range []string{testUser, "Windows 7", "Outlook 2010", "1.2.3"} {
			if !strings.Contains(got.String(), want) {
				t.Errorf("%s: the report lacks %q", lang, want)
			}
		}
		if strings.Contains(got.String(), testPassword) {
			t.Errorf("%s: the rendered report holds the password", lang)
		}
		if strings.Contains(got.String(), "report.") || strings.Contains(got.String(), "security.") {
			t.Errorf("%s: an untranslated key in\n%s", lang, got.String())
		}
	}
	for _, out := range []string{code, mustJSON(t, rep)} {
		if strings.Contains(out, testPassword) {
			t.Error("the report or its code holds the password")
		}
	}
}

func mustJSON(t testing.TB, v interface{}) string {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// leakyCheck is a check report in which a (hypothetical) server echoed the
// password into every kind of field a report has.
func leakyCheck(secret string) *check.Report {
	f := finding.New("auth.failed", finding.Fail, "mail.example.test:993", "user", testUser, "echo", secret, "k"+secret, "v").
		WithEvidence("NO [AUTHENTICATIONFAILED] bad password " + secret)
	f.Title, f.Detail = "title "+secret, "detail "+secret
	return &check.Report{
		Email:     testUser,
		Discovery: check.Discovery{Source: "manual", Hosts: map[string]string{"imap": "mail.example.test"}},
		Endpoints: []*probe.Result{{
			Endpoint:     server.Endpoint{Protocol: server.IMAP, Host: "mail.example.test", Port: 993, Security: server.TLS},
			Greeting:     "* OK hello " + secret,
			Capabilities: []string{"IMAP4rev1", secret},
			TLS:          &probe.TLSInfo{Negotiated: "1.3", Versions: map[string]bool{"1.3": true, secret: true}},
			Steps:        []probe.Step{{Name: "login", Detail: "refused: " + secret}},
			Auth:         "failed",
		}},
		Findings: []finding.Finding{f},
		Verdict:  check.VerdictFail,
	}
}

// No password leaves the machine in a report, even one a server echoed
// back: the rendered Markdown, the JSON and the decoded code are searched
// for it (and for its trimmed form).
func TestNoPasswordInReport(t *testing.T) {
	for _, secret := range []string{"Corretta-Password-1", " spazio finale ", `q"uo\te`, "ok"} {
		rep, err := Build(Input{Check: leakyCheck(secret), Computer: sampleComputer(), Secrets: []string{secret}})
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
		var md, js bytes.Buffer
		tr := translators(t)["en"]
		if err := Render(&md, back, tr); err != nil {
			t.Fatal(err)
		}
		if err := WriteJSON(&js, back, tr); err != nil {
			t.Fatal(err)
		}
		raw := mustJSON(t, back)
		if back.Check.Endpoints[0].Greeting != "* OK hello "+Redacted {
			t.Errorf("secret %q: greeting %q", secret, back.Check.Endpoints[0].Greeting)
		}
		if len(secret) < 6 {
			continue // too short not to occur in the report's own words ("ok")
		}
		for _, out := range []string{md.String(), js.String(), raw, code} {
			for _, s := range []string{secret, strings.TrimSpace(secret), mustJSON(t, secret)} {
				if strings.Contains(out, strings.Trim(s, `"`)) {
					t.Errorf("secret %q found in\n%s", s, out)
				}
			}
		}
		if back.Email() != testUser {
			t.Errorf("secret %q: report lost its shape: %s", secret, raw)
		}
	}
}

func TestBuildLeavesInputAlone(t *testing.T) {
	in := leakyCheck("segreto")
	before := mustJSON(t, in)
	rep, err := Build(Input{Check: in, Secrets: []string{"segreto"}})
	if err != nil {
		t.Fatal(err)
	}
	if mustJSON(t, in) != before {
		t.Error("Build changed its input")
	}
	if rep.Check.Findings[0].Title != "" || rep.Check.Findings[0].Detail != "" {
		t.Error("the report keeps texts instead of rendering them from ids")
	}
	if rep.Format != Format || rep.CreatedAt.IsZero() || rep.Computer != nil {
		t.Errorf("report = %+v", rep)
	}
}

// An agent reads the customer's report in the agent's language.
func TestRenderInAgentLanguage(t *testing.T) {
	rep, err := Build(Input{Lang: "it", Computer: sampleComputer(), Now: time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	trs := translators(t)
	var en, it bytes.Buffer
	if err := Render(&en, rep, trs["en"]); err != nil {
		t.Fatal(err)
	}
	if err := Render(&it, rep, trs["it"]); err != nil {
		t.Fatal(err)
	}
	wantEN := trs["en"].T("starttls.in_use.title", rep.Computer.Clients[0].Findings[0].Args)
	wantIT := trs["it"].T("starttls.in_use.title", rep.Computer.Clients[0].Findings[0].Args)
	if wantEN == wantIT || !strings.Contains(en.String(), wantEN) || !strings.Contains(it.String(), wantIT) {
		t.Errorf("English:\n%s\nItalian:\n%s", en.String(), it.String())
	}
	if !strings.Contains(en.String(), "2026-11-02 09:30 UTC") {
		t.Errorf("no creation time in\n%s", en.String())
	}
}

// Text from servers cannot turn into links, images or HTML where the
// Markdown is shown rendered.
func TestRenderEscapes(t *testing.T) {
	c := leakyCheck("x")
	c.Findings[0] = finding.New("cert.untrusted", finding.Fail, "mail.example.test:993",
		"issuer", "<img src=x onerror=alert(1)> [click](https://evil.example)").WithEvidence("a|b\n# heading")
	rep, err := Build(Input{Check: c})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := Render(&b, rep, translators(t)["en"]); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, bad := range []string{"<", ">", "[", "]", "|"} {
		for i := strings.Index(out, bad); i >= 0; i = nextIndex(out, bad, i) {
			if i == 0 || out[i-1] != '\\' {
				if bad != "|" || !strings.HasPrefix(out[strings.LastIndex(out[:i], "\n")+1:], "|") {
					t.Errorf("unescaped %q at %q", bad, out[max0(i-20):i+1])
				}
			}
		}
	}
	if strings.Contains(out, "\n# heading") {
		t.Errorf("a new line from evidence in\n%s", out)
	}
}

func TestMailto(t *testing.T) {
	link, ok := Mailto("support@maildoctor.example", "Mail Doctor: report", "Hello,\nhere it is:", "MD1-ABC")
	want := "mailto:support@maildoctor.example?body=Hello%2C%0D%0Ahere%20it%20is%3A%0D%0A%0D%0AMD1-ABC%0D%0A&subject=Mail%20Doctor%3A%20report"
	if !ok || link != want {
		t.Errorf("Mailto() = %q, %v\nwant %q", link, ok, want)
	}
	long, ok := Mailto("support@maildoctor.example", "s", "b", "MD1-"+strings.Repeat("A", MaxMailtoLen))
	if ok || strings.Contains(long, "MD1-") || len(long) > MaxMailtoLen {
		t.Errorf("Mailto() with a long code = %q, %v; want the body alone", long, ok)
	}
}

func TestBuildVersion(t *testing.T) {
	if v := BuildVersion(); v == "" {
		t.Error("BuildVersion() is empty")
	}
}

func BenchmarkCode(b *testing.B) {
	rep, err := Build(Input{Check: leakyCheck("x"), Computer: sampleComputer()})
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		code, err := rep.Code()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Decode(code); err != nil {
			b.Fatal(err)
		}
	}
}

func nextIndex(s, sub string, after int) int {
	i := strings.Index(s[after+1:], sub)
	if i < 0 {
		return -1
	}
	return after + 1 + i
}

func max0(i int) int {
	if i < 0 {
		return 0
	}
	return i
}
