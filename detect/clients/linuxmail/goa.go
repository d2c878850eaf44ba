package linuxmail

import (
	"strings"

	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/detect/clients/inifile"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/detect/system"
)

// goa reads ~/.config/goa-1.0/accounts.conf: for Provider=imap_smtp the
// keys EmailAddress, ImapHost, ImapUserName, ImapUseSsl, ImapUseTls,
// SmtpHost, SmtpUserName, SmtpUseSsl, SmtpUseTls; *UseSsl is implicit
// TLS, else *UseTls STARTTLS, else none; default ports 993/143 and
// 465/587; a host may carry ":port" (goaimapsmtpprovider.c; detection.md
// §5.4). Evolution and Geary use these accounts.
func goa(p *system.Platform) (clients.Client, bool) {
	c := newClient(clients.GNOMEAccounts, "GNOME Online Accounts")
	path := system.Join(configHome(p), "goa-1.0/accounts.conf")
	f, ok := readINI(p, &c, path)
	if !ok {
		return c, len(c.Findings) > 0
	}
	for _, s := range f.Sections {
		if !strings.HasPrefix(s.Name, "Account ") {
			continue
		}
		a := clients.Account{Key: strings.TrimPrefix(s.Name, "Account "), Source: path, Email: s.Value("EmailAddress"), Name: s.Value("PresentationIdentity")}
		switch s.Value("Provider") {
		case "imap_smtp":
		case "google", "windows_live", "ms_graph", "exchange":
			a.Kind = clients.KindOAuthCloud
			if a.Email == "" {
				a.Email = s.Value("Identity")
			}
			c.Accounts = append(c.Accounts, a)
			continue
		default:
			continue
		}
		a.Incoming = goaServer(s, "Imap", server.IMAP, path)
		a.Outgoing = goaServer(s, "Smtp", server.SMTP, path)
		c.Accounts = append(c.Accounts, a)
	}
	return c, len(c.Accounts) > 0 || len(c.Findings) > 0
}

func goaServer(s *inifile.Section, prefix string, proto server.Protocol, path string) *clients.Server {
	host := s.Value(prefix + "Host")
	if host == "" {
		return nil
	}
	srv := &clients.Server{Protocol: proto, User: s.Value(prefix + "UserName"), Security: server.None, Key: path + "#[" + s.Name + "]"}
	if ssl, _ := s.Bool(prefix + "UseSsl"); ssl {
		srv.Security = server.TLS
	} else if tls, _ := s.Bool(prefix + "UseTls"); tls {
		srv.Security = server.StartTLS
	}
	portText := ""
	if h, p, ok := cutLast(host, ":"); ok && !strings.Contains(h, ":") {
		host, portText = h, p
	}
	srv.Host = host
	withPort(srv, portText, defaultsFor(proto, goaSMTPDefaults))
	return srv
}

// goaSMTPDefaults: 465 for implicit TLS, else 587.
var goaSMTPDefaults = ports(465, 587, 587)

func cutLast(s, sep string) (string, string, bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}
