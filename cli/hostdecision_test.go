package cli

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// Issue 12: the values to copy said imap./smtp. while the automatic
// change kept the name the program had. One decision now: an account on
// mail.maildoctor.example (a name under the address's domain) keeps it in
// the steps, the settings card, the exported file and the automatic
// change alike.
func TestOneServerNameEverywhere(t *testing.T) {
	const own = "mail.maildoctor.example"
	home, prefs, orig := fixHome(t)
	mine := bytes.Replace(orig, []byte(`"mail.server.server1.hostname", "imap.maildoctor.example"`),
		[]byte(`"mail.server.server1.hostname", "`+own+`"`), 1)
	mine = bytes.Replace(mine, []byte(`"mail.smtpserver.smtp1.hostname", "smtp.maildoctor.example"`),
		[]byte(`"mail.smtpserver.smtp1.hostname", "`+own+`"`), 1)
	if bytes.Equal(mine, orig) {
		t.Fatal("the fixture no longer has mario's server names")
	}
	if err := os.WriteFile(prefs, mine, 0o600); err != nil {
		t.Fatal(err)
	}
	deps := fixDepsFor(home)

	code, out, errOut := runFixTest(t, deps, mario, "--lang", "en")
	if code != ExitProblems {
		t.Fatalf("fix: exit %d, %s", code, errOut)
	}
	for _, want := range []string{"Server Name: " + own + "; Port: 993", "Server Name: " + own + "; Port: 465",
		"Server:         " + own} {
		if !strings.Contains(out, want) {
			t.Errorf("the plan lacks %q:\n%s", want, out)
		}
	}
	for _, other := range []string{"Server Name: imap.maildoctor.example", "Server Name: smtp.maildoctor.example", "Server:         imap.maildoctor.example"} {
		if strings.Contains(out, other) {
			t.Errorf("the plan still says %q:\n%s", other, out)
		}
	}

	code, out, errOut = runFixTest(t, deps, "--export", "autoconfig", mario)
	if code != ExitOK || !strings.Contains(out, "<hostname>"+own+"</hostname>") || strings.Contains(out, "<hostname>imap.maildoctor.example</hostname>") {
		t.Errorf("export: exit %d %s\n%s", code, errOut, out)
	}

	if code, out, errOut = runFixTest(t, deps, "--apply", mario); code != ExitOK {
		t.Fatalf("apply: exit %d %s\n%s", code, errOut, out)
	}
	after, err := os.ReadFile(prefs)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"mail.server.server1.hostname", "` + own + `"`, `"mail.server.server1.port", 993`,
		`"mail.smtpserver.smtp1.hostname", "` + own + `"`, `"mail.smtpserver.smtp1.port", 465`} {
		if !bytes.Contains(after, []byte(want)) {
			t.Errorf("prefs.js after the change lacks %s", want)
		}
	}
}
