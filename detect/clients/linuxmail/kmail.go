package linuxmail

import (
	"sort"
	"strings"

	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/detect/system"
)

// kmail reads the Akonadi IMAP resources, ~/.config/akonadi_imap_resource_
// <N>rc [network]: ImapServer, ImapPort (used if ≥ 0), UserName, Safety
// ("SSL" → implicit TLS, "STARTTLS" → STARTTLS, anything else plain:
// kdepim-runtime resources/imap/settings.cpp loadAccount), and the SMTP
// transports in ~/.config/mailtransports [Transport <id>]: host, port,
// user, encryption None/SSL/TLS where TLS means STARTTLS
// (kmailtransport mailtransport.kcfg; detection.md §5.5). An IMAP
// account is paired with the transport whose user is the same, else the
// default transport ([General] default-transport), else the first. POP3
// resources are not read (their keys are unverified).
func kmail(p *system.Platform, pkgs map[string]string) (clients.Client, bool) {
	in, ok := findInstall(p, pkgs, "kmail", "kmail", "org.kde.kmail2")
	c := in.client(clients.KMail, "KMail")
	cfg := configHome(p)
	if in.flatpakConfig != "" {
		cfg = in.flatpakConfig
	}
	entries, err := p.FS.ReadDir(cfg)
	if err != nil {
		return c, ok
	}
	type transport struct {
		id  string
		srv *clients.Server
	}
	var transports []transport
	defaultTransport := ""
	tpath := system.Join(cfg, "mailtransports")
	if f, found := readINI(p, &c, tpath); found {
		defaultTransport = f.Section("General").Value("default-transport")
		for _, s := range f.Sections {
			if !strings.HasPrefix(s.Name, "Transport ") {
				continue
			}
			srv := &clients.Server{Protocol: server.SMTP, Host: s.Value("host"), User: s.Value("user"), Key: tpath + "#[" + s.Name + "]"}
			srv.Security = kmailTransportSecurity.of(strings.ToUpper(s.Value("encryption")))
			withPort(srv, s.Value("port"), kmailSMTPDefaults)
			transports = append(transports, transport{strings.TrimPrefix(s.Name, "Transport "), srv})
		}
	}
	found := ok
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, "akonadi_imap_resource_") || !strings.HasSuffix(name, "rc") {
			continue
		}
		found = true
		path := system.Join(cfg, name)
		f, ok := readINI(p, &c, path)
		if !ok {
			continue
		}
		n := f.Section("network")
		if n == nil || n.Value("ImapServer") == "" {
			continue
		}
		srv := &clients.Server{Protocol: server.IMAP, Host: n.Value("ImapServer"), User: n.Value("UserName"), Key: path + "#[network]"}
		srv.Security = kmailIMAPSecurity.of(n.Value("Safety"))
		withPort(srv, n.Value("ImapPort"), imapDefaults)
		a := clients.Account{Key: strings.TrimSuffix(name, "rc"), Source: path, Incoming: srv}
		if strings.Contains(srv.User, "@") {
			a.Email = srv.User
		}
		for _, t := range transports {
			if t.srv.User != "" && t.srv.User == srv.User {
				a.Outgoing = t.srv
			}
		}
		for _, t := range transports {
			if a.Outgoing == nil && t.id == defaultTransport {
				a.Outgoing = t.srv
			}
		}
		if a.Outgoing == nil && len(transports) > 0 {
			a.Outgoing = transports[0].srv
		}
		c.Accounts = append(c.Accounts, a)
	}
	sort.Slice(c.Accounts, func(i, j int) bool { return c.Accounts[i].Key < c.Accounts[j].Key })
	return c, found
}

var (
	// kmailIMAPSecurity: the IMAP resource's [network] Safety.
	kmailIMAPSecurity = securityWords{"SSL": server.TLS, "STARTTLS": server.StartTLS}
	// kmailTransportSecurity: a transport's encryption, upper-cased, as
	// a word or the enum's number; TLS means STARTTLS.
	kmailTransportSecurity = securityWords{"SSL": server.TLS, "1": server.TLS, "TLS": server.StartTLS, "2": server.StartTLS}
	// kmailSMTPDefaults: 465 for SSL, else 25.
	kmailSMTPDefaults = ports(465, 25, 25)
)
