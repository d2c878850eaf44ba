package linuxmail

import (
	"strings"

	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/detect/clients/inifile"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/detect/system"
)

// claws reads <rc_dir>/accountrc, [Account: N] sections (prefs_account.c):
// protocol 0 POP3 / 1 IMAP (RecvProtocol), receive_server, smtp_server,
// user_id, address; ssl_pop/ssl_imap/ssl_smtp 0 none, 1 SSL tunnel
// (implicit TLS), 2 STARTTLS (ssl.h SSLType); the port is
// set_*port ? *_port : (ssl == 1 ? 993/995/465 : 143/110/25)
// (imap.c, send_message.c; detection.md §5.6).
func claws(p *system.Platform, dir string) (clients.Client, bool) {
	c := newClient(clients.ClawsMail, "Claws Mail")
	path := system.Join(dir, "accountrc")
	f, ok := readINI(p, &c, path)
	if !ok {
		return c, len(c.Findings) > 0
	}
	for _, s := range f.Sections {
		if !strings.HasPrefix(s.Name, "Account:") {
			continue
		}
		a := clients.Account{Key: strings.TrimSpace(strings.TrimPrefix(s.Name, "Account:")), Source: path,
			Email: s.Value("address"), Name: s.Value("account_name")}
		key := path + "#[" + s.Name + "]"
		switch s.Value("protocol") {
		case "0":
			a.Incoming = clawsServer(s, server.POP3, "receive_server", "user_id", "ssl_pop", "set_popport", "pop_port", 110, 995, key)
		case "1":
			a.Incoming = clawsServer(s, server.IMAP, "receive_server", "user_id", "ssl_imap", "set_imapport", "imap_port", 143, 993, key)
		}
		user := "user_id"
		if auth, _ := s.Bool("use_smtp_auth"); auth && s.Value("smtp_user_id") != "" {
			user = "smtp_user_id"
		}
		a.Outgoing = clawsServer(s, server.SMTP, "smtp_server", user, "ssl_smtp", "set_smtpport", "smtp_port", 25, 465, key)
		if a.Incoming == nil && a.Outgoing == nil {
			continue
		}
		c.Accounts = append(c.Accounts, a)
	}
	return c, true
}

func clawsServer(s *inifile.Section, proto server.Protocol, hostKey, userKey, sslKey, setKey, portKey string, plainPort, tunnelPort int, key string) *clients.Server {
	host := s.Value(hostKey)
	if host == "" {
		return nil
	}
	srv := &clients.Server{Protocol: proto, Host: host, User: s.Value(userKey), Key: key}
	srv.Security = clawsSecurity.of(s.Value(sslKey))
	if set, _ := s.Bool(setKey); set {
		if n, ok := atoiPort(s.Value(portKey)); ok {
			srv.Port = n
			return srv
		}
	}
	srv.Port, srv.PortDefault = plainPort, true
	if srv.Security == server.TLS {
		srv.Port = tunnelPort
	}
	return srv
}

// clawsSecurity: ssl_pop, ssl_imap, ssl_smtp (SSLType: 1 SSL tunnel,
// 2 STARTTLS).
var clawsSecurity = securityWords{"1": server.TLS, "2": server.StartTLS}
