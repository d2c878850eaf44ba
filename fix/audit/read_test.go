package audit

import (
	"bytes"
	"compress/gzip"
	"reflect"
	"strings"
	"testing"

	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/fix/link"
)

func gz(t testing.TB, s string) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestGzipTransparentAndTruncated(t *testing.T) {
	log := realLog(t)
	plain := readString(t, log, Options{})
	packed := gz(t, log)
	a := New(Options{})
	if err := a.Read(bytes.NewReader(packed), "dovecot.log.gz"); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a.Mailboxes(), plain.Mailboxes()) || a.Stats().Lines != plain.Stats().Lines {
		t.Errorf("gzip read differs from plain")
	}
	if len(a.Stats().Warnings) != 0 {
		t.Errorf("warnings on a whole file: %v", a.Stats().Warnings)
	}
	cut := New(Options{})
	if err := cut.Read(bytes.NewReader(packed[:len(packed)*2/3]), "cut.gz"); err != nil {
		t.Fatal(err)
	}
	w := cut.Stats().Warnings
	if len(w) != 1 || !strings.HasPrefix(w[0], "cut.gz:") || !strings.Contains(w[0], "cut off") {
		t.Errorf("cut gzip warnings: %v", w)
	}
	bad := New(Options{})
	if err := bad.Read(bytes.NewReader([]byte{0x1f, 0x8b, 0, 0}), "bad.gz"); err == nil {
		t.Errorf("a broken gzip header is not an error")
	}
}

func TestBinaryLongAndCutLines(t *testing.T) {
	log := realLog(t)
	lines := strings.SplitAfter(log, "\n")
	var in strings.Builder
	in.WriteString(lines[0])
	in.WriteString("\x00\x01\x02garbage\xff\xfe\n")                      // line 2
	in.WriteString(strings.Repeat("x", maxLine+10) + "\n")               // line 3
	in.WriteString(strings.Join(lines[1:], "") + "imap-login: Info: Lo") // cut off
	a := readString(t, in.String(), Options{})
	w := a.Stats().Warnings
	want := []string{"dovecot.log:2: binary", "dovecot.log:3: line longer", "last line has no end"}
	if len(w) != len(want) {
		t.Fatalf("warnings %q", w)
	}
	for i := range want {
		if !strings.Contains(w[i], want[i]) {
			t.Errorf("warning %d: %q, want %q", i, w[i], want[i])
		}
	}
	if got, plain := len(a.Mailboxes()), len(readString(t, log, Options{}).Mailboxes()); got != plain {
		t.Errorf("mailboxes %d, want %d", got, plain)
	}
}

// postfixLog: Postfix lines in the form of a real Postfix 3.7 log
// (TestWriteRealPostfixLog writes one: services named as Debian's
// master.cf suggests, smtpd_tls_loglevel = 1), edited: documentation
// addresses and host names, and cases the real Postfix of the tests does
// not make — TLS 1.0 (OpenSSL 3 needs @SECLEVEL=0 for it, which the
// Dovecot tests set and the Postfix ones do not), an AUTH without TLS
// (smtpd_tls_auth_only = no), the older service name smtps. The failed
// login's warning names the user and is no login.
const postfixLog = `Nov 29 10:00:01 mx postfix/submission/smtpd[2001]: connect from pc1.example.net[192.0.2.10]
Nov 29 10:00:01 mx postfix/submission/smtpd[2001]: Anonymous TLS connection established from pc1.example.net[192.0.2.10]: TLSv1 with cipher ECDHE-RSA-AES256-SHA (256/256 bits)
Nov 29 10:00:02 mx postfix/smtps/smtpd[2002]: connect from pc2.example.net[192.0.2.11]
Nov 29 10:00:02 mx postfix/smtps/smtpd[2002]: Anonymous TLS connection established from pc2.example.net[192.0.2.11]: TLSv1.3 with cipher TLS_AES_128_GCM_SHA256 (128/128 bits) key-exchange X25519 server-signature ECDSA (prime256v1) server-digest SHA256
Nov 29 10:00:02 mx postfix/submission/smtpd[2001]: EBE0E98C4F1: client=pc1.example.net[192.0.2.10], sasl_method=LOGIN, sasl_username=Old.Outlook@example.it
Nov 29 10:00:03 mx postfix/smtps/smtpd[2002]: 09A4798C4F1: client=pc2.example.net[192.0.2.11], sasl_method=PLAIN, sasl_username=new@example.it
Nov 29 10:00:03 mx postfix/submission/smtpd[2001]: disconnect from pc1.example.net[192.0.2.10] ehlo=2 starttls=1 auth=1 mail=1 rcpt=1 data=1 quit=1 commands=8
Nov 29 10:00:03 mx postfix/smtps/smtpd[2002]: disconnect from pc2.example.net[192.0.2.11] ehlo=1 auth=1 mail=1 rcpt=1 data=1 quit=1 commands=6
Nov 29 10:00:04 mx postfix/submission/smtpd[2001]: connect from pc3.example.net[192.0.2.12]
Nov 29 10:00:04 mx postfix/submission/smtpd[2001]: Anonymous TLS connection established from pc3.example.net[192.0.2.12]: TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)
Nov 29 10:00:05 mx postfix/submission/smtpd[2001]: 1807A98C1D4: client=pc3.example.net[192.0.2.12], sasl_method=PLAIN, sasl_username=starttls@example.it
Nov 29 10:00:05 mx postfix/submission/smtpd[2001]: disconnect from pc3.example.net[192.0.2.12] ehlo=2 starttls=1 auth=1 mail=1 rcpt=1 data=1 quit=1 commands=8
Nov 29 10:00:05 mx postfix/smtpd[2003]: connect from pc4.example.net[192.0.2.13]
Nov 29 10:00:05 mx postfix/smtpd[2003]: 2598398C1D4: client=pc4.example.net[192.0.2.13], sasl_method=PLAIN, sasl_username=plain@example.it
Nov 29 10:00:06 mx postfix/cleanup[2100]: 2598398C1D4: message-id=<20261129100006.2598398C1D4@mx.example.it>
Nov 29 10:00:06 mx postfix/smtpd[2003]: disconnect from pc4.example.net[192.0.2.13] ehlo=1 auth=1 mail=1 rcpt=1 data=1 quit=1 commands=6
Nov 29 10:00:07 mx postfix/submissions/smtpd[2004]: connect from pc5.example.net[192.0.2.14]
Nov 29 10:00:07 mx postfix/submissions/smtpd[2004]: Anonymous TLS connection established from pc5.example.net[192.0.2.14]: TLSv1.3 with cipher TLS_AES_128_GCM_SHA256 (128/128 bits) key-exchange X25519 server-signature ECDSA (prime256v1) server-digest SHA256
Nov 29 10:00:07 mx postfix/submissions/smtpd[2004]: warning: SASL authentication failure: Password verification failed
Nov 29 10:00:07 mx postfix/submissions/smtpd[2004]: warning: pc5.example.net[192.0.2.14]: SASL PLAIN authentication failed: authentication failure, sasl_username=wrong@example.it
Nov 29 10:00:07 mx postfix/submissions/smtpd[2004]: disconnect from pc5.example.net[192.0.2.14] ehlo=1 auth=0/1 quit=1 commands=2/3
`

func TestPostfixCorrelatedPerConnection(t *testing.T) {
	a := readString(t, postfixLog, Options{WithIPs: true})
	ms := byAddress(a)
	want := map[string][]Class{
		"old.outlook@example.it": {ClassLegacyTLS, ClassStartTLS},
		"new@example.it":         nil,
		"starttls@example.it":    {ClassStartTLS},
		"plain@example.it":       {ClassNoTLS},
	}
	for addr, issues := range want {
		m := ms[addr]
		if m == nil {
			t.Fatalf("%s not found: %v", addr, keys(ms))
		}
		if got := m.Issues(); !reflect.DeepEqual(got, issues) {
			t.Errorf("%s: %v, want %v (%+v)", addr, got, issues, m.Access)
		}
	}
	if ips := ms["new@example.it"].IPs; !reflect.DeepEqual(ips, []string{"192.0.2.11"}) {
		t.Errorf("ips %v", ips)
	}
	if m := ms["new@example.it"]; m.Last.Month() != 11 || m.Last.Day() != 29 || m.Last.Hour() != 10 {
		t.Errorf("syslog time: %v", m.Last)
	}
	if len(ms) != len(want) {
		t.Errorf("mailboxes %v, want %d (a failed login is none)", keys(ms), len(want))
	}
	if st := a.Stats(); st.Logins != 4 || st.Unknown != 1 {
		t.Errorf("stats %+v", st)
	}
}

// TestLinkOpensPrefilled: every row's link parses back with fix/link to
// its address and the servers given.
func TestLinkOpensPrefilled(t *testing.T) {
	a := readString(t, realLog(t)+postfixLog, Options{})
	s := Servers{IMAP: "mail.example.test:993", POP3: "mail.example.test:995", SMTP: "smtp.example.test:465"}
	rows := Report(a.Mailboxes(), nil, map[string]Translator{"it": fakeTr{}}, "it", s)
	if len(rows) != 13 {
		t.Fatalf("%d rows", len(rows))
	}
	for _, r := range rows {
		l, err := link.Parse(r.Link)
		if err != nil {
			t.Fatalf("%s: %q: %v", r.Address, r.Link, err)
		}
		if l.Email != r.Address || l.Lang != "it" || l.Servers[server.IMAP] != s.IMAP || l.Servers[server.POP3] != s.POP3 || l.Servers[server.SMTP] != s.SMTP {
			t.Errorf("%s: link %+v", r.Address, l)
		}
	}
}

// TestPostfixWithoutDisconnect: a connection whose disconnect line is
// missing (the log ends, or Postfix 2.x without command counts) is judged
// by its service name; an unnamed postfix/smtpd then does not say the
// port, and only its disconnect line tells implicit TLS from STARTTLS.
func TestPostfixWithoutDisconnect(t *testing.T) {
	var kept []string
	for _, l := range strings.Split(postfixLog, "\n") {
		if !strings.Contains(l, " disconnect from ") {
			kept = append(kept, l)
		}
	}
	cut := strings.Join(kept, "\n")
	unnamed := strings.NewReplacer("postfix/smtps/smtpd", "postfix/smtpd", "postfix/submission/smtpd", "postfix/smtpd")
	// Postfix 2.x: "disconnect from host[ip]" with no command counts.
	var old []string
	for _, l := range strings.Split(postfixLog, "\n") {
		if strings.Contains(l, " disconnect from ") {
			l = l[:strings.Index(l, "] ")+1]
		}
		old = append(old, l)
	}
	for _, c := range []struct {
		name, log           string
		newIssues, starttls []Class
	}{
		{"named, no disconnect", cut, nil, []Class{ClassStartTLS}},
		{"unnamed", unnamed.Replace(postfixLog), nil, []Class{ClassStartTLS}},
		{"unnamed, no disconnect", unnamed.Replace(cut), []Class{ClassUnknown}, []Class{ClassUnknown}},
		{"unnamed, Postfix 2.x disconnect", unnamed.Replace(strings.Join(old, "\n")), []Class{ClassUnknown}, []Class{ClassUnknown}},
	} {
		t.Run(c.name, func(t *testing.T) {
			ms := byAddress(readString(t, c.log, Options{}))
			if got := ms["new@example.it"].Issues(); !reflect.DeepEqual(got, c.newIssues) {
				t.Errorf("new@: %v, want %v (%+v)", got, c.newIssues, ms["new@example.it"].Access)
			}
			if got := ms["starttls@example.it"].Issues(); !reflect.DeepEqual(got, c.starttls) {
				t.Errorf("starttls@: %v, want %v (%+v)", got, c.starttls, ms["starttls@example.it"].Access)
			}
			if got := ms["plain@example.it"].Issues(); !reflect.DeepEqual(got, []Class{ClassNoTLS}) {
				t.Errorf("plain@: %v", got)
			}
			if ms["wrong@example.it"] != nil {
				t.Errorf("a failed login counted")
			}
		})
	}
}
