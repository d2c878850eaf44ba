package check

import (
	"crypto/tls"
	"net"

	"maildoctor.app/maildoctor/internal/fakemail"
)

// fakeIMAPS is an IMAP server behind implicit TLS that counts the
// commands carrying a password and accepts them all.
func fakeIMAPS(cfg *tls.Config, logins *fakemail.Counter) func(net.Conn) {
	return fakemail.IMAPS(cfg, func(tag string) string {
		logins.Add()
		return tag + " OK done"
	})
}

// fakeSubmissions is an SMTP server behind implicit TLS that offers no
// AUTH at all (Postfix with SASL switched off) and counts AUTH commands.
func fakeSubmissions(cfg *tls.Config, logins *fakemail.Counter) func(net.Conn) {
	return fakemail.SMTPS(cfg, fakemail.SMTP{
		Extensions: []string{"PIPELINING", "8BITMIME"},
		Auth: func() string {
			logins.Add()
			return "503 5.5.1 Error: authentication not enabled"
		},
		Other: "250 2.0.0 Ok",
	})
}
