package audit

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzParseLine: any line parses without panic, every slice it returns
// points into the line, and an Auditor fed it keeps its bounds.
func FuzzParseLine(f *testing.F) {
	for _, l := range strings.Split(postfixLog, "\n") {
		f.Add(l)
	}
	for _, l := range []string{
		"2026-11-29 15:42:08 imap-login: Info: Login: user=<a@example.test>, method=PLAIN, rip=127.0.0.1, lip=127.83.36.234, lport=143, mpid=563, TLS, TLSv1.3 with cipher TLS_AES_128_GCM_SHA256 (128/128 bits), session=<0kvTImxhYJR/AAAB>",
		"2026-11-29 15:42:08 imap-login: Info: ID sent: name=Microsoft Outlook, version=16.0.17928: user=<>, rip=127.0.0.1, lip=127.83.36.234, lport=993, TLS, TLSv1 with cipher ECDHE-ECDSA-AES128-SHA (128/128 bits), session=<tHrTImxhaod/AAAB>",
		"Nov  9 10:00:01 host dovecot: pop3-login: Login: user=<x>, method=PLAIN, rip=::1, lip=[::1]:995, mpid=1, session=<",
		"2026-11-29T15:42:08.123+01:00 h dovecot[1]: submission-login: Login: user=<u>, lip=1.2.3.4:587, TLS",
		"imap-login: Login: user=<", "postfix/x/smtpd[: sasl_username=", "-login: ", "/smtpd[1]: TLS connection established from : ",
	} {
		f.Add(l)
	}
	f.Fuzz(func(t *testing.T, line string) {
		b := []byte(line)
		var ev Event
		k := ParseLine(b, &ev)
		for _, s := range [][]byte{ev.User, ev.Cipher, ev.RemoteIP, ev.Session, ev.ClientName, ev.ClientVersion, ev.Commands} {
			if len(s) > 0 && !within(b, s) {
				t.Fatalf("slice %q not in the line", s)
			}
		}
		if k == KindLogin && len(ev.User) == 0 {
			t.Fatalf("a login without a user")
		}
		if ev.Port < 0 || ev.Port > 65535 {
			t.Fatalf("port %d", ev.Port)
		}
		a := New(Options{WithIPs: true})
		for i := 0; i < 3; i++ {
			a.Line(b)
		}
		for _, m := range a.Mailboxes() {
			if len(m.Address) > maxFieldSize || len(m.Access) > maxAccess || len(m.Clients) > maxClients || len(m.IPs) > maxIPs {
				t.Fatalf("bounds: %+v", m)
			}
			for _, c := range m.Address {
				if c >= 'A' && c <= 'Z' {
					t.Fatalf("address not lowercased: %q", m.Address)
				}
			}
			_ = m.Issues()
		}
	})
}

// FuzzRead: any input (plain or gzip) reads without error or panic unless
// it is a broken gzip, and the line count matches the newlines.
func FuzzRead(f *testing.F) {
	f.Add([]byte(postfixLog))
	f.Add([]byte("a\x00b\nc"))
	f.Add(gz(f, postfixLog))
	f.Fuzz(func(t *testing.T, data []byte) {
		a := New(Options{})
		err := a.Read(bytes.NewReader(data), "f")
		gzipped := len(data) > 1 && data[0] == 0x1f && data[1] == 0x8b
		if err != nil && !gzipped {
			t.Fatalf("plain input: %v", err)
		}
		if !gzipped {
			want := int64(bytes.Count(data, []byte("\n")))
			if len(data) > 0 && data[len(data)-1] != '\n' {
				want++
			}
			if a.Stats().Lines != want {
				t.Fatalf("lines %d, want %d", a.Stats().Lines, want)
			}
		}
	})
}

func within(outer, inner []byte) bool {
	if len(inner) == 0 {
		return true
	}
	for i := 0; i+len(inner) <= len(outer); i++ {
		if &outer[i] == &inner[0] {
			return true
		}
	}
	return false
}
