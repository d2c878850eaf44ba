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

// Postfix lines: no Postfix could be started by these tests, so these are
// written after the formats in Postfix 3.7's source (tls_misc.c
// tls_log_summary: "%s TLS connection established from %s: %s with
// cipher %s (%d/%d bits)"; smtpd.c: "%s: client=%s, sasl_method=%s,
// sasl_username=%s"), in syslog form, with invented addresses.
const postfixLog = `Nov 29 10:00:01 mx postfix/submission/smtpd[2001]: connect from pc1.example.net[192.0.2.10]
Nov 29 10:00:01 mx postfix/submission/smtpd[2001]: Anonymous TLS connection established from pc1.example.net[192.0.2.10]: TLSv1 with cipher ECDHE-RSA-AES256-SHA (256/256 bits)
Nov 29 10:00:02 mx postfix/smtps/smtpd[2002]: connect from pc2.example.net[192.0.2.11]
Nov 29 10:00:02 mx postfix/smtps/smtpd[2002]: Anonymous TLS connection established from pc2.example.net[192.0.2.11]: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256
Nov 29 10:00:02 mx postfix/submission/smtpd[2001]: 4NxYz1AbcD: client=pc1.example.net[192.0.2.10], sasl_method=LOGIN, sasl_username=Old.Outlook@example.it
Nov 29 10:00:03 mx postfix/smtps/smtpd[2002]: 4NxYz2AbcE: client=pc2.example.net[192.0.2.11], sasl_method=PLAIN, sasl_username=new@example.it
Nov 29 10:00:03 mx postfix/submission/smtpd[2001]: disconnect from pc1.example.net[192.0.2.10] ehlo=2 starttls=1 auth=1 mail=1 rcpt=1 data=1 quit=1 commands=8
Nov 29 10:00:04 mx postfix/submission/smtpd[2001]: connect from pc3.example.net[192.0.2.12]
Nov 29 10:00:04 mx postfix/submission/smtpd[2001]: Anonymous TLS connection established from pc3.example.net[192.0.2.12]: TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)
Nov 29 10:00:05 mx postfix/submission/smtpd[2001]: 4NxYz3AbcF: client=pc3.example.net[192.0.2.12], sasl_method=PLAIN, sasl_username=starttls@example.it
Nov 29 10:00:05 mx postfix/smtpd[2003]: connect from pc4.example.net[192.0.2.13]
Nov 29 10:00:05 mx postfix/smtpd[2003]: 4NxYz4AbcG: client=pc4.example.net[192.0.2.13], sasl_method=PLAIN, sasl_username=plain@example.it
Nov 29 10:00:06 mx postfix/cleanup[2100]: 4NxYz4AbcG: message-id=<x@example.it>
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
