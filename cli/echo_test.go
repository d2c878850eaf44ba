package cli

import (
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	"maildoctor.app/maildoctor/fix/report"
	"maildoctor.app/maildoctor/internal/echoserver"
	"maildoctor.app/maildoctor/internal/testpki"
)

// ownRootsEnv marks the process that runs the echo test alone, with the
// test CA as its system roots.
const ownRootsEnv = "MAILDOCTOR_TEST_ECHO_ROOTS"

// The attack: a mail server under the customer's own domain, with a valid
// certificate, refuses the login and echoes the password in its error
// (raw, IMAP-quoted, as the base64 SASL payload, URL-encoded). Nothing
// "maildoctor check" prints may hold it: not the human output, not
// --json, not the support code the customer sends, not what "report
// CODE" shows the agent.
func TestEchoedPasswordIsNotInCheckOutput(t *testing.T) {
	if os.Getenv(ownRootsEnv) == "" {
		// The command line trusts the system roots, which a process reads
		// once (maybe already, in another test): run this test alone in a
		// new process whose roots are the test CA, through SSL_CERT_FILE.
		name := "TestEchoedPasswordIsNotInCheckOutput"
		cmd := exec.Command(os.Args[0], "-test.run=^"+name+"$", "-test.v")
		cmd.Env = append(os.Environ(), ownRootsEnv+"=1")
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "--- PASS: "+name) {
			t.Fatalf("%v\n%s", err, out)
		}
		return
	}
	const (
		user     = "mario.rossi@cliente.example"
		host     = "mail.cliente.example"
		password = `Pa"ss\wo rd+/é`
	)
	ca := testpki.NewCA(t, "Mail Doctor Test Root")
	t.Setenv("SSL_CERT_FILE", testpki.WriteFile(t, t.TempDir(), "ca.pem", ca.CertPEM))
	type tc struct {
		name string
		imap echoserver.Form
		smtp string
	}
	var cases []tc
	for _, f := range echoserver.IMAPForms {
		cases = append(cases, tc{"IMAP refusal echoes " + string(f), f, ""})
	}
	cases = append(cases, tc{"SMTP 535 echoes AUTH PLAIN", "", echoserver.MechPlain}, tc{"SMTP 535 echoes AUTH LOGIN", "", echoserver.MechLogin})
	for _, c := range cases {
		c := c
		t.Run(c.name, func(t *testing.T) {
			fake := echoserver.Start(t, echoserver.Config{Host: host, CA: ca, IMAP: c.imap, SMTP: c.smtp})
			args := []string{"check", user, "--password-stdin", "--imap", host + ":993", "--pop3", host + ":995",
				"--smtp", host + ":465", "--resolve", host + ":" + fake.Addr, "--timeout", "5s", "--lang", "en", "--code"}
			leak := func(what, out string) {
				t.Helper()
				if l := echoserver.Leaks(out, user, password); len(l) > 0 {
					t.Errorf("%s holds the password as %v:\n%s", what, l, out)
				}
			}
			codeOf := func(what, code string) {
				t.Helper()
				rep, err := report.Decode(code)
				if err != nil {
					t.Fatalf("%s: %v", what, err)
				}
				data, _ := json.Marshal(rep)
				leak(what+", decoded", string(data))
				_, shown, _ := run(t, "", "report", code, "--lang", "en")
				leak(what+", as report CODE shows it", shown)
			}

			exit, out, stderr := run(t, password+"\n", args...)
			if exit != ExitProblems || stderr != "" {
				t.Fatalf("check: exit %d, stderr %q\n%s", exit, stderr, out)
			}
			leak("the human output", out)
			lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
			codeOf("the support code", lines[len(lines)-1])

			exit, js, stderr := run(t, password+"\n", append(args, "--json")...)
			if exit != ExitProblems || stderr != "" {
				t.Fatalf("check --json: exit %d, stderr %q", exit, stderr)
			}
			leak("--json", js)
			if !strings.Contains(js, report.Redacted) {
				t.Errorf("--json has no trace of the refusal that echoed the password:\n%s", js)
			}
			var parsed struct {
				SupportCode string `json:"support_code"`
			}
			if err := json.Unmarshal([]byte(js), &parsed); err != nil {
				t.Fatal(err)
			}
			codeOf("the --json support code", parsed.SupportCode)
			if fake.Logins() != 2 {
				t.Errorf("%d logins reached the server, want one per check", fake.Logins())
			}
		})
	}
}
