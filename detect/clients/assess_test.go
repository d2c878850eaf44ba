package clients

import (
	"strings"
	"testing"

	"maildoctor.app/maildoctor/assets"
	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/detect/server"
)

func TestAssess(t *testing.T) {
	prof, err := discover.ParseProfile(assets.DefaultProfile)
	if err != nil {
		t.Fatal(err)
	}
	profiles := []*discover.Profile{prof}
	srv := func(p server.Protocol, host string, port int, sec server.Security) *Server {
		return &Server{Protocol: p, Host: host, Port: port, Security: sec}
	}
	cases := []struct {
		name string
		acct Account
		want string
	}{
		{"all good", Account{Email: "a@maildoctor.example", Incoming: srv(server.IMAP, "imap.maildoctor.example", 993, server.TLS), Outgoing: srv(server.SMTP, "smtp.maildoctor.example", 465, server.TLS)}, ""},
		{"starttls both", Account{Email: "a@maildoctor.example", Incoming: srv(server.POP3, "pop.maildoctor.example", 110, server.StartTLS), Outgoing: srv(server.SMTP, "smtp.maildoctor.example", 587, server.StartTLS)},
			"starttls.in_use@pop.maildoctor.example:110 tls_port=995,starttls.in_use@smtp.maildoctor.example:587 tls_port=465"},
		{"plain and auto", Account{Email: "a@maildoctor.example", Incoming: srv(server.IMAP, "imap.maildoctor.example", 143, server.None), Outgoing: srv(server.SMTP, "smtp.maildoctor.example", 587, server.Auto)},
			"account.plaintext@imap.maildoctor.example:143 tls_port=993,account.auto_security@smtp.maildoctor.example:587 tls_port=465"},
		{"old host name", Account{Email: "A@MailDoctor.example", Incoming: srv(server.IMAP, "mail.maildoctor.example", 993, server.TLS), Outgoing: srv(server.SMTP, "SMTP.maildoctor.example.", 465, server.TLS)},
			"account.host_mismatch@mail.maildoctor.example:993 tls_port="},
		{"pop host used for imap", Account{Email: "a@maildoctor.example", Incoming: srv(server.IMAP, "pop.maildoctor.example", 993, server.TLS)},
			"account.host_mismatch@pop.maildoctor.example:993 tls_port="},
		{"another provider: no host check", Account{Email: "x@altrodominio.example", Incoming: srv(server.IMAP, "mail.altrodominio.example", 993, server.TLS)}, ""},
		{"exchange: nothing to say", Account{Email: "a@maildoctor.example", Kind: KindExchange}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cl := &Client{ID: "x", Accounts: []Account{c.acct}}
			Assess(cl, profiles)
			var got []string
			for _, f := range cl.Accounts[0].Findings {
				got = append(got, f.ID+"@"+f.Endpoint+" tls_port="+f.Args["tls_port"])
			}
			if strings.Join(got, ",") != c.want {
				t.Errorf("got  %s\nwant %s", strings.Join(got, ","), c.want)
			}
		})
	}
	cl := &Client{ID: "x", Accounts: []Account{{Email: "a@maildoctor.example", Incoming: srv(server.IMAP, "mail.maildoctor.example", 993, server.TLS)}}}
	Assess(cl, profiles)
	f := cl.Accounts[0].Findings[0]
	if f.Args["expected"] != "imap.maildoctor.example" || f.Args["expected_port"] != "993" {
		t.Errorf("mismatch args %v", f.Args)
	}
	if cl.Worst() != "warn" || len(cl.AllFindings()) != 1 {
		t.Errorf("worst %s", cl.Worst())
	}
}
