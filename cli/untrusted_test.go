package cli

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"fmt"
	"math/big"
	"net"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"maildoctor.app/maildoctor/fix/report"
	"maildoctor.app/maildoctor/internal/fakemail"
	"maildoctor.app/maildoctor/internal/forgedcode"
	"maildoctor.app/maildoctor/internal/safetext"
)

// markdownActive finds Markdown that a viewer would turn into a link, an
// image, an autolink or HTML: "](", "<" and "`" not escaped by a
// backslash, and URLs a GFM viewer links by itself.
var markdownActive = regexp.MustCompile("(^|[^\\\\])(\\]\\(|<|`\\*)|https?://|www\\.")

// A forged support code whose strings carry escape sequences (window
// title, screen clear, colours, an OSC 8 hyperlink), C1 controls, bidi
// overrides, Markdown links and images and an unknown finding id: the
// agent's terminal gets none of it, and no Markdown a viewer would make
// clickable.
func TestForgedSupportCodeReportIsInert(t *testing.T) {
	code, err := forgedcode.Code()
	if err != nil {
		t.Fatal(err)
	}
	unknown := map[string]string{"en": "Unknown finding", "it": "Rilevamento sconosciuto"}
	for _, lang := range []string{"en", "it"} {
		exit, out, stderr := run(t, "", "report", code, "--lang", lang)
		if exit != ExitProblems || stderr != "" {
			t.Errorf("%s: exit %d, stderr %q", lang, exit, stderr)
		}
		for _, c := range forgedcode.Characters {
			if strings.Contains(out, c) {
				t.Errorf("%s: the output holds %q", lang, c)
			}
		}
		if !safetext.Clean(out) {
			t.Errorf("%s: the output holds control or format characters: %q", lang, out)
		}
		for _, l := range strings.Split(out, "\n") {
			if m := markdownActive.FindString(l); m != "" {
				t.Errorf("%s: active Markdown %q in %q", lang, m, l)
			}
		}
		// The unknown id is named as such, with its text made harmless;
		// no raw translation key shows.
		if !strings.Contains(out, unknown[lang]) || !strings.Contains(out, "evil.finding") {
			t.Errorf("%s: the unknown finding is not shown as one:\n%s", lang, out)
		}
		for _, key := range []string{".title", ".detail", "source.", "security.", "report."} {
			if strings.Contains(out, key) {
				t.Errorf("%s: a raw translation key (%q) in\n%s", lang, key, out)
			}
		}
	}

	// JSON stays JSON with the report's data, but what a terminal would act
	// on is \u-escaped.
	exit, js, stderr := run(t, "", "report", code, "--json", "--lang", "en")
	if exit != ExitProblems || stderr != "" {
		t.Errorf("--json: exit %d, stderr %q", exit, stderr)
	}
	if !safetext.Clean(js) {
		t.Errorf("--json output holds control or format characters: %q", js)
	}
	var back report.Report
	if err := json.Unmarshal([]byte(js), &back); err != nil {
		t.Fatalf("--json is not JSON: %v", err)
	}
	if want := forgedcode.Report().Check.Email; back.Check == nil || back.Check.Email != want {
		t.Errorf("--json changed the data: email %q", back.Check.Email)
	}
}

// Bad input, however hostile, is exit 2 and one clean line on stderr.
func TestHostileBadInputOneCleanLine(t *testing.T) {
	for _, args := range [][]string{
		{"report", "\x1b]0;title\x07garbage\u202e\nsecond line"},
		{"report", report.CodePrefix + "\x1b[2J\u009b"},
		{"\x1b[2Jcheck\u202e"},
		{"check", "mario@exa\u202emple\x1b[2J.test"},
		{"check", "a@example.test", "--imap", "\x1b]0;x\x07:993"},
		{"fix", "--export", "\u202ecard"},
	} {
		exit, stdout, stderr := run(t, "", args...)
		if exit != ExitUsage {
			t.Errorf("%q: exit %d, want %d", args, exit, ExitUsage)
		}
		if strings.Count(stderr, "\n") != 1 || !strings.HasSuffix(stderr, "\n") || !safetext.Clean(stderr) {
			t.Errorf("%q: stderr %q, want one clean line", args, stderr)
		}
		if stdout != "" {
			t.Errorf("%q: stdout %q", args, stdout)
		}
	}
}

// hostileHome is fixHome with a mail program's settings an attacker
// wrote (a shared computer, a settings file sent "to fix your mail"): the
// address and the server name carry escape sequences, a C1 control, a
// bidi override and a new line that would forge a line of the report.
func hostileHome(t *testing.T) string {
	t.Helper()
	home, prefs, orig := fixHome(t)
	data := strings.NewReplacer(
		`"mail.identity.id3.useremail", "info@altrodominio.example"`,
		`"mail.identity.id3.useremail", "info\x1b]0;pwned\x07@altro`+"\u202e"+`dominio.example"`,
		`"mail.server.server3.hostname", "mail.altrodominio.example"`,
		`"mail.server.server3.hostname", "mail.altro`+"\x1b[2J\u009b"+`dominio.example\n[ok] all good"`,
		`"mail.server.server1.hostname", "imap.maildoctor.example"`,
		`"mail.server.server1.hostname", "imap.maildoctor`+"\x1b[31m\u2066"+`.example\n[ok] all good"`,
	).Replace(string(orig))
	if data == string(orig) {
		t.Fatal("the fixture changed: nothing replaced")
	}
	if err := os.WriteFile(prefs, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return home
}

// assertInert fails when out holds a character a terminal acts on, or a
// line forged by a new line inside a field.
func assertInert(t *testing.T, what, out string) {
	t.Helper()
	for _, c := range []string{"\x1b", "\x07", "\u009b", "\u202e", "\u2066"} {
		if strings.Contains(out, c) {
			t.Errorf("%s holds %q", what, c)
		}
	}
	if !safetext.Clean(out) {
		t.Errorf("%s holds control or format characters: %q", what, out)
	}
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "[ok] all good") {
			t.Errorf("%s: a line forged by a field: %q", what, l)
		}
	}
}

// A mail program's hostile settings reach "detect" and "fix" as text
// only: no escape sequence, C1 control or bidi character gets to the
// terminal, a field cannot start a line of its own, and --json keeps the
// data with those characters \u-escaped.
func TestHostileMailSettingsDetectAndFix(t *testing.T) {
	home := hostileHome(t)
	deps := fixDepsFor(home)
	withPlatform(t, deps.platform)

	_, out, stderr := run(t, "", "detect", "--lang", "en")
	assertInert(t, "detect", out+stderr)
	if !strings.Contains(out, "info]0;pwned@altrodominio.example") {
		t.Errorf("detect does not show the account as text:\n%s", out)
	}
	_, js, _ := run(t, "", "detect", "--json")
	assertInert(t, "detect --json", js)
	if !strings.Contains(js, `info\u001b]0;pwned\u0007@altro\u202edominio.example`) {
		t.Errorf("detect --json lost the data:\n%s", js)
	}

	for _, args := range [][]string{{mario}, {"--apply", "--dry-run", mario}, {mario, "--json"}} {
		var o, e strings.Builder
		env := terminalEnv(Env{Stdout: &o, Stderr: &e, Getenv: func(string) string { return "" }})
		exitCode(runFixWith(context.Background(), append(args, "--lang", "en"), env, deps), "fix", env.Stderr)
		t.Logf("fix %q:\n%s%s", args, o.String(), e.String())
		assertInert(t, fmt.Sprintf("fix %q", args), o.String()+e.String())
	}
}

// hostileTLSServer serves TLS with pair's certificate and answers every
// connection with an IMAP greeting that carries an escape sequence.
func hostileTLSServer(t *testing.T, cert tls.Certificate) string {
	t.Helper()
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}})
	if err != nil {
		t.Fatal(err)
	}
	fakemail.Serve(t, ln, func(c net.Conn) {
		_ = c.SetDeadline(time.Now().Add(5 * time.Second))
		_, _ = c.Write([]byte("* OK [CAPABILITY IMAP4rev1] \x1b]0;pwned\x07\u202eready\r\n"))
		buf := make([]byte, 4096)
		for {
			n, err := c.Read(buf)
			if err != nil {
				return
			}
			if cmd := strings.Fields(string(buf[:n])); len(cmd) > 1 {
				_, _ = c.Write([]byte("* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n* BYE \x1b[2J\r\n" + cmd[0] + " OK \x1b[31mdone\u009b\r\n"))
			}
		}
	})
	return ln.Addr().String()
}

// hostileCert is a certificate for host issued by a CA (not trusted by
// anyone) whose name is issuer.
func hostileCert(t *testing.T, issuer, host string) tls.Certificate {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: issuer, Organization: []string{issuer}},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, caKey.Public(), caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		t.Fatal(err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	leaf := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: host}, DNSNames: []string{host},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, leaf, ca, key.Public(), caKey)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der, caDER}, PrivateKey: key}
}

// A server whose certificate names an issuer full of escape sequences, a
// bidi override and a new line, and whose replies carry more: "check"
// prints the finding as one clean line of text.
func TestCheckHostileCertificateIssuer(t *testing.T) {
	const host = "imap.hostile.test"
	addr := hostileTLSServer(t, hostileCert(t, "Evil\x1b]0;pwned\x07 CA\u202e\x1b[2J\u009b\n[ok] all good", host))
	_, port, _ := net.SplitHostPort(addr)
	args := []string{"check", "a@hostile.test", "--imap", host + ":" + port, "--pop3", host + ":" + port, "--smtp", host + ":" + port,
		"--resolve", host + ":127.0.0.1", "--timeout", "2s", "--lang", "en"}
	_, out, stderr := run(t, "", args...)
	assertInert(t, "check", out+stderr)
	if !strings.Contains(out, "Evil]0;pwned CA") {
		t.Errorf("check does not name the issuer as text:\n%s", out)
	}
	_, js, _ := run(t, "", append(args, "--json")...)
	assertInert(t, "check --json", js)
	if !strings.Contains(js, `Evil\u001b]0;pwned\u0007 CA\u202e`) {
		t.Errorf("check --json lost the issuer:\n%s", js)
	}
}
