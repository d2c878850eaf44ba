package linuxmail

import (
	"sort"
	"strings"

	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/detect/clients/inifile"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/detect/system"
)

// evolution reads $XDG_CONFIG_HOME/evolution/sources/*.source (GKeyFile;
// e_get_user_config_dir() + "/sources" in evolution-data-server). Mail
// accounts ([Mail Account] BackendName imapx or pop) point to their
// identity (IdentityUid), whose [Mail Submission] TransportUid is the SMTP
// source; host, port and user are in [Authentication], the security in
// [Security] Method: none, ssl-on-alternate-port (implicit TLS),
// starttls-on-standard-port (camel-enums.h CamelNetworkSecurityMethod;
// detection.md §5.3).
func evolution(p *system.Platform, pkgs map[string]string) (clients.Client, bool) {
	in, ok := findInstall(p, pkgs, "evolution", "evolution", "org.gnome.Evolution")
	dirs := []string{system.Join(configHome(p), "evolution/sources")}
	if in.flatpakConfig != "" {
		dirs = append([]string{system.Join(in.flatpakConfig, "evolution/sources")}, dirs...)
	}
	c := in.client(clients.Evolution, "Evolution")
	found := ok
	for _, dir := range dirs {
		entries, err := p.FS.ReadDir(dir)
		if err != nil {
			continue
		}
		found = true
		sources := map[string]*inifile.File{}
		var uids []string
		for _, e := range entries {
			name := e.Name()
			if e.IsDir() || !strings.HasSuffix(name, ".source") {
				continue
			}
			f, ok := readINI(p, &c, system.Join(dir, name))
			if !ok {
				continue
			}
			uid := strings.TrimSuffix(name, ".source")
			sources[uid] = f
			uids = append(uids, uid)
		}
		sort.Strings(uids)
		for _, uid := range uids {
			f := sources[uid]
			ma := f.Section("Mail Account")
			if ma == nil {
				continue
			}
			if en, ok := f.Section("Data Source").Bool("Enabled"); ok && !en {
				continue
			}
			var proto server.Protocol
			switch ma.Value("BackendName") {
			case "imapx", "imap":
				proto = server.IMAP
			case "pop":
				proto = server.POP3
			default:
				continue // local, maildir, mbox, ews, mapi, nntp, none, …
			}
			path := system.Join(dir, uid+".source")
			a := clients.Account{Key: uid, Source: path, Name: inifile.Unescape(f.Section("Data Source").Value("DisplayName"))}
			a.Incoming = evoServer(f, proto, path)
			if id := sources[ma.Value("IdentityUid")]; id != nil {
				a.Email = id.Section("Mail Identity").Value("Address")
				tuid := id.Section("Mail Submission").Value("TransportUid")
				if t := sources[tuid]; t != nil && t.Section("Mail Transport").Value("BackendName") == "smtp" {
					a.Outgoing = evoServer(t, server.SMTP, system.Join(dir, tuid+".source"))
				}
			}
			if a.Email == "" && strings.Contains(a.Incoming.User, "@") {
				a.Email = a.Incoming.User
			}
			c.Accounts = append(c.Accounts, a)
		}
		break
	}
	return c, found
}

func evoServer(f *inifile.File, proto server.Protocol, path string) *clients.Server {
	auth := f.Section("Authentication")
	s := &clients.Server{Protocol: proto, Host: auth.Value("Host"), User: inifile.Unescape(auth.Value("User")), Key: path + "#[Authentication]"}
	s.Security = evolutionSecurity.of(f.Section("Security").Value("Method"))
	withPort(s, auth.Value("Port"), defaultsFor(proto, smtpDefaults))
	return s
}

// evolutionSecurity: [Security] Method (CamelNetworkSecurityMethod).
var evolutionSecurity = securityWords{"ssl-on-alternate-port": server.TLS, "starttls-on-standard-port": server.StartTLS}
