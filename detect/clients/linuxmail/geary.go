package linuxmail

import (
	"strings"

	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/detect/clients/inifile"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/detect/system"
)

// geary reads $XDG_CONFIG_HOME/geary/account_NN/geary.ini (LOCAL_ID_FORMAT
// "account_%02u", SETTINGS_FILENAME "geary.ini": accounts-manager.vala):
// [Incoming] and [Outgoing] host, port, login, transport_security none /
// start-tls / transport (implicit TLS) (geary-service-information.vala);
// port 0 is the default, 143/993 and 25/587/465. Accounts of a service
// provider other than "other" (Gmail, Outlook.com) take their servers from
// the provider or GNOME Online Accounts (detection.md §5.7).
func geary(p *system.Platform, pkgs map[string]string) (clients.Client, bool) {
	in, ok := findInstall(p, pkgs, "geary", "geary", "org.gnome.Geary")
	c := in.client(clients.Geary, "Geary")
	dir := system.Join(configHome(p), "geary")
	if in.flatpakConfig != "" {
		dir = system.Join(in.flatpakConfig, "geary")
	}
	entries, err := p.FS.ReadDir(dir)
	if err != nil {
		return c, ok
	}
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), "account_") {
			continue
		}
		path := system.Join(dir, e.Name(), "geary.ini")
		f, found := readINI(p, &c, path)
		if !found {
			continue
		}
		acct := f.Section("Account")
		a := clients.Account{Key: e.Name(), Source: path, Email: firstAddress(acct.Value("sender_mailboxes")), Name: acct.Value("label")}
		if sp := acct.Value("service_provider"); sp != "" && sp != "other" {
			a.Kind = clients.KindOAuthCloud
			c.Accounts = append(c.Accounts, a)
			continue
		}
		a.Incoming = gearyServer(f.Section("Incoming"), server.IMAP, path)
		a.Outgoing = gearyServer(f.Section("Outgoing"), server.SMTP, path)
		if a.Outgoing != nil && a.Outgoing.User == "" && f.Section("Outgoing").Value("credentials") == "use-incoming" && a.Incoming != nil {
			a.Outgoing.User = a.Incoming.User
		}
		c.Accounts = append(c.Accounts, a)
	}
	return c, true
}

func gearyServer(s *inifile.Section, proto server.Protocol, path string) *clients.Server {
	if s == nil || s.Value("host") == "" {
		return nil
	}
	srv := &clients.Server{Protocol: proto, Host: s.Value("host"), User: s.Value("login"), Key: path + "#[" + s.Name + "]"}
	srv.Security = gearySecurity.of(s.Value("transport_security"))
	withPort(srv, s.Value("port"), defaultsFor(proto, smtpDefaults))
	return srv
}

// gearySecurity: transport_security.
var gearySecurity = securityWords{"transport": server.TLS, "start-tls": server.StartTLS}

// firstAddress takes the first address of "Name <a@b>;Other <c@d>;".
func firstAddress(s string) string {
	first := strings.TrimSpace(strings.Split(s, ";")[0])
	if i := strings.IndexByte(first, '<'); i >= 0 {
		if j := strings.IndexByte(first[i:], '>'); j > 0 {
			return first[i+1 : i+j]
		}
	}
	return first
}
