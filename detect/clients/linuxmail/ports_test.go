package linuxmail

import (
	"testing"

	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/detect/server"
)

// securityWordsTestcases pin each client's words for the security
// setting; anything else is no encryption.
var securityWordsTestcases = []struct {
	name  string
	words securityWords
	in    string
	want  server.Security
}{
	{"evolution", evolutionSecurity, "ssl-on-alternate-port", server.TLS},
	{"evolution", evolutionSecurity, "starttls-on-standard-port", server.StartTLS},
	{"evolution", evolutionSecurity, "none", server.None},
	{"kmail imap", kmailIMAPSecurity, "SSL", server.TLS},
	{"kmail imap", kmailIMAPSecurity, "STARTTLS", server.StartTLS},
	{"kmail imap", kmailIMAPSecurity, "None", server.None},
	{"kmail smtp", kmailTransportSecurity, "SSL", server.TLS},
	{"kmail smtp", kmailTransportSecurity, "1", server.TLS},
	{"kmail smtp", kmailTransportSecurity, "TLS", server.StartTLS},
	{"kmail smtp", kmailTransportSecurity, "2", server.StartTLS},
	{"kmail smtp", kmailTransportSecurity, "NONE", server.None},
	{"claws", clawsSecurity, "1", server.TLS},
	{"claws", clawsSecurity, "2", server.StartTLS},
	{"claws", clawsSecurity, "0", server.None},
	{"geary", gearySecurity, "transport", server.TLS},
	{"geary", gearySecurity, "start-tls", server.StartTLS},
	{"geary", gearySecurity, "none", server.None},
	{"geary", gearySecurity, "", server.None},
}

func TestSecurityWords(t *testing.T) {
	for _, tc := range securityWordsTestcases {
		if got := tc.words.of(tc.in); got != tc.want {
			t.Errorf("%s: of(%q) = %q, want %q", tc.name, tc.in, got, tc.want)
		}
	}
}

// defaultPortTestcases pin the port a server gets when its setting
// leaves the port out.
var defaultPortTestcases = []struct {
	name string
	smtp map[server.Security]int
	p    server.Protocol
	sec  server.Security
	want int
}{
	{"imap", smtpDefaults, server.IMAP, server.TLS, 993},
	{"imap", smtpDefaults, server.IMAP, server.StartTLS, 143},
	{"imap", smtpDefaults, server.IMAP, server.None, 143},
	{"imap", smtpDefaults, server.IMAP, server.Auto, 143},
	{"pop3", smtpDefaults, server.POP3, server.TLS, 995},
	{"pop3", smtpDefaults, server.POP3, server.None, 110},
	{"evolution/geary smtp", smtpDefaults, server.SMTP, server.TLS, 465},
	{"evolution/geary smtp", smtpDefaults, server.SMTP, server.StartTLS, 587},
	{"evolution/geary smtp", smtpDefaults, server.SMTP, server.None, 25},
	{"goa smtp", goaSMTPDefaults, server.SMTP, server.TLS, 465},
	{"goa smtp", goaSMTPDefaults, server.SMTP, server.StartTLS, 587},
	{"goa smtp", goaSMTPDefaults, server.SMTP, server.None, 587},
	{"kmail smtp", kmailSMTPDefaults, server.SMTP, server.TLS, 465},
	{"kmail smtp", kmailSMTPDefaults, server.SMTP, server.StartTLS, 25},
	{"kmail smtp", kmailSMTPDefaults, server.SMTP, server.None, 25},
}

func TestDefaultPorts(t *testing.T) {
	for _, tc := range defaultPortTestcases {
		s := &clients.Server{Protocol: tc.p, Security: tc.sec}
		withPort(s, "", defaultsFor(tc.p, tc.smtp))
		if s.Port != tc.want || !s.PortDefault {
			t.Errorf("%s %s: port %d (default %v), want %d", tc.name, tc.sec, s.Port, s.PortDefault, tc.want)
		}
	}
}
