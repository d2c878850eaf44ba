// Package linuxmail finds the Linux mail programs other than Thunderbird
// and reads their accounts: Evolution (and GNOME Online Accounts), KMail
// (Akonadi), Claws Mail (also on Windows), Geary, and mutt/NeoMutt.
//
// Facts and sources: shared/research/detection.md §5 (file locations,
// keys and values, each with the upstream source file), cited next to the
// code.
package linuxmail

import (
	"context"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/detect/clients/inifile"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/detect/system"
)

// Detect finds the clients of this package on p.
func Detect(ctx context.Context, p *system.Platform) []clients.Client {
	if p.GOOS == "windows" {
		if c, ok := claws(p, system.Join(system.SlashPath(p.Env("APPDATA")), "Claws-mail")); ok {
			return []clients.Client{c}
		}
		return nil
	}
	if p.GOOS == "darwin" {
		return nil
	}
	pkgs := system.DpkgVersions(p.FS)
	var out []clients.Client
	for _, c := range []func(*system.Platform, map[string]string) (clients.Client, bool){evolution, kmail, geary} {
		if cl, ok := c(p, pkgs); ok {
			out = append(out, cl)
		}
	}
	if c, ok := goa(p); ok {
		out = append(out, c)
	}
	if c, ok := claws(p, system.Join(p.Home, ".claws-mail")); ok {
		if v, ok := pkgs["claws-mail"]; ok {
			c.Version = system.UpstreamVersion(v)
		}
		if system.Exists(p.FS, "/usr/bin/claws-mail") {
			c.Path = "/usr/bin/claws-mail"
		}
		out = append(out, c)
	}
	out = append(out, mutts(ctx, p, pkgs)...)
	return out
}

func newClient(id, name string) clients.Client {
	return clients.Client{ID: id, Name: name, Accounts: []clients.Account{}, Findings: []finding.Finding{}}
}

// configHome is $XDG_CONFIG_HOME or ~/.config.
func configHome(p *system.Platform) string {
	if x := p.Env("XDG_CONFIG_HOME"); strings.HasPrefix(x, "/") {
		return x
	}
	return system.Join(p.Home, ".config")
}

// install finds a program: its binary, its Debian package version, or a
// Flatpak (system or user) with its per-app config directory
// (~/.var/app/<id>/config, detection.md §5.2).
type install struct {
	path, version, packaging string
	flatpakConfig            string
}

func findInstall(p *system.Platform, pkgs map[string]string, bin, pkg, flatpakID string) (install, bool) {
	var in install
	for _, dir := range []string{"/usr/bin", "/bin", "/usr/local/bin"} {
		if system.Exists(p.FS, dir+"/"+bin) {
			in.path = dir + "/" + bin
			break
		}
	}
	if v, ok := pkgs[pkg]; ok {
		in.version, in.packaging = system.UpstreamVersion(v), "deb"
	}
	if in.path != "" || in.version != "" {
		if in.packaging == "" {
			in.packaging = "system"
		}
		return in, true
	}
	if flatpakID != "" {
		for _, base := range []string{"/var/lib/flatpak/app/" + flatpakID, system.Join(p.Home, ".local/share/flatpak/app/"+flatpakID)} {
			if system.IsDir(p.FS, base) {
				in.path, in.packaging = base, "flatpak"
				in.flatpakConfig = system.Join(p.Home, ".var/app/"+flatpakID+"/config")
				return in, true
			}
		}
	}
	return in, false
}

func readINI(p *system.Platform, c *clients.Client, path string) (*inifile.File, bool) {
	data, err := p.FS.ReadFile(path)
	if err != nil {
		if system.Exists(p.FS, path) {
			c.Findings = append(c.Findings, clients.StoreBroken(c.ID, path, err))
		}
		return nil, false
	}
	f, err := inifile.Parse(data)
	if err != nil {
		c.Findings = append(c.Findings, clients.StoreBroken(c.ID, path, err))
		return nil, false
	}
	return f, true
}

func atoiPort(s string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n <= 0 || n > 65535 {
		return 0, false
	}
	return n, true
}

// withPort sets s.Port from text, or the protocol's default for the
// security.
func withPort(s *clients.Server, text string, defaults map[server.Security]int) {
	if n, ok := atoiPort(text); ok {
		s.Port = n
		return
	}
	if n, ok := defaults[s.Security]; ok {
		s.Port = n
	} else {
		s.Port = defaults[server.None]
	}
	s.PortDefault = true
}

var (
	imapDefaults = map[server.Security]int{server.TLS: 993, server.StartTLS: 143, server.None: 143, server.Auto: 143}
	pop3Defaults = map[server.Security]int{server.TLS: 995, server.StartTLS: 110, server.None: 110, server.Auto: 110}
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
	c := newClient(clients.Evolution, "Evolution")
	c.Path, c.Version, c.Packaging = in.path, in.version, in.packaging
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
	switch f.Section("Security").Value("Method") {
	case "ssl-on-alternate-port":
		s.Security = server.TLS
	case "starttls-on-standard-port":
		s.Security = server.StartTLS
	default:
		s.Security = server.None
	}
	defaults := imapDefaults
	switch proto {
	case server.POP3:
		defaults = pop3Defaults
	case server.SMTP:
		defaults = map[server.Security]int{server.TLS: 465, server.StartTLS: 587, server.None: 25}
	}
	withPort(s, auth.Value("Port"), defaults)
	return s
}

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
			a.Kind = "oauth-cloud"
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
	defaults := imapDefaults
	if proto == server.SMTP {
		defaults = map[server.Security]int{server.TLS: 465, server.StartTLS: 587, server.None: 587}
	}
	withPort(srv, portText, defaults)
	return srv
}

func cutLast(s, sep string) (string, string, bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

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
	c := newClient(clients.KMail, "KMail")
	c.Path, c.Version, c.Packaging = in.path, in.version, in.packaging
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
			switch strings.ToUpper(s.Value("encryption")) {
			case "SSL", "1":
				srv.Security = server.TLS
			case "TLS", "2":
				srv.Security = server.StartTLS
			default:
				srv.Security = server.None
			}
			withPort(srv, s.Value("port"), map[server.Security]int{server.TLS: 465, server.StartTLS: 25, server.None: 25})
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
		switch n.Value("Safety") {
		case "SSL":
			srv.Security = server.TLS
		case "STARTTLS":
			srv.Security = server.StartTLS
		default:
			srv.Security = server.None
		}
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
	switch s.Value(sslKey) {
	case "1":
		srv.Security = server.TLS
	case "2":
		srv.Security = server.StartTLS
	default:
		srv.Security = server.None
	}
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

// geary reads $XDG_CONFIG_HOME/geary/account_NN/geary.ini (LOCAL_ID_FORMAT
// "account_%02u", SETTINGS_FILENAME "geary.ini": accounts-manager.vala):
// [Incoming] and [Outgoing] host, port, login, transport_security none /
// start-tls / transport (implicit TLS) (geary-service-information.vala);
// port 0 is the default, 143/993 and 25/587/465. Accounts of a service
// provider other than "other" (Gmail, Outlook.com) take their servers from
// the provider or GNOME Online Accounts (detection.md §5.7).
func geary(p *system.Platform, pkgs map[string]string) (clients.Client, bool) {
	in, ok := findInstall(p, pkgs, "geary", "geary", "org.gnome.Geary")
	c := newClient(clients.Geary, "Geary")
	c.Path, c.Version, c.Packaging = in.path, in.version, in.packaging
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
			a.Kind = "oauth-cloud"
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
	switch s.Value("transport_security") {
	case "transport":
		srv.Security = server.TLS
	case "start-tls":
		srv.Security = server.StartTLS
	default:
		srv.Security = server.None
	}
	defaults := imapDefaults
	if proto == server.SMTP {
		defaults = map[server.Security]int{server.TLS: 465, server.StartTLS: 587, server.None: 25}
	}
	withPort(srv, s.Value("port"), defaults)
	return srv
}

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

// mutts asks mutt and NeoMutt themselves for their settings: their
// configuration files may `source` others and run commands, so they are
// not parsed here; `mutt -Q var` prints var="value" (detection.md §5.8).
// Mapping: imaps:// pops:// smtps:// are implicit TLS; imap:// pop://
// smtp:// are STARTTLS when ssl_starttls and ssl_force_tls are both set,
// "STARTTLS if available" when only ssl_starttls is, else plain; no
// smtp_url means the local sendmail.
func mutts(ctx context.Context, p *system.Platform, pkgs map[string]string) []clients.Client {
	var out []clients.Client
	for _, m := range []struct{ id, name, bin string }{{clients.NeoMutt, "NeoMutt", "neomutt"}, {clients.Mutt, "Mutt", "mutt"}} {
		in, ok := findInstall(p, pkgs, m.bin, m.bin, "")
		if !ok || in.path == "" {
			continue
		}
		c := newClient(m.id, m.name)
		c.Path, c.Version, c.Packaging = in.path, in.version, in.packaging
		if p.Run != nil {
			args := []string{}
			for _, v := range []string{"folder", "spoolfile", "smtp_url", "ssl_starttls", "ssl_force_tls", "from", "imap_user", "pop_user"} {
				args = append(args, "-Q", v)
			}
			if outb, err := p.Run(ctx, in.path, args...); err == nil {
				if a, ok := MuttAccount(ParseMuttQuery(string(outb))); ok {
					a.Source = in.path + " -Q"
					c.Accounts = append(c.Accounts, a)
				}
			}
		}
		out = append(out, c)
	}
	return out
}

// ParseMuttQuery reads `mutt -Q` output: name="value" lines (values with
// \" and \\ escapes), or name=value for booleans and quad options.
func ParseMuttQuery(out string) map[string]string {
	vals := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		line = strings.TrimSpace(line)
		i := strings.IndexByte(line, '=')
		if i <= 0 {
			continue
		}
		v := line[i+1:]
		if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
			v = strings.NewReplacer(`\"`, `"`, `\\`, `\`).Replace(v[1 : len(v)-1])
		}
		vals[line[:i]] = v
	}
	return vals
}

// MuttAccount builds the account mutt's settings describe.
func MuttAccount(v map[string]string) (clients.Account, bool) {
	var a clients.Account
	starttls, force := v["ssl_starttls"] == "yes", v["ssl_force_tls"] == "yes"
	plainSec := server.None
	switch {
	case starttls && force:
		plainSec = server.StartTLS
	case starttls:
		plainSec = server.Auto
	}
	folder := v["folder"]
	if !strings.Contains(folder, "://") {
		folder = v["spoolfile"]
	}
	if s := muttURL(folder, plainSec, v); s != nil && s.Protocol != server.SMTP {
		a.Incoming = s
	}
	if s := muttURL(v["smtp_url"], plainSec, v); s != nil && s.Protocol == server.SMTP {
		a.Outgoing = s
	}
	from := v["from"]
	if i := strings.IndexByte(from, '<'); i >= 0 {
		from = firstAddress(from)
	}
	a.Email = strings.TrimSpace(from)
	if a.Email == "" && a.Incoming != nil && strings.Contains(a.Incoming.User, "@") {
		a.Email = a.Incoming.User
	}
	return a, a.Incoming != nil || a.Outgoing != nil
}

func muttURL(raw string, plainSec server.Security, v map[string]string) *clients.Server {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return nil
	}
	s := &clients.Server{Host: u.Hostname(), Key: raw}
	switch strings.ToLower(u.Scheme) {
	case "imaps":
		s.Protocol, s.Security = server.IMAP, server.TLS
	case "imap":
		s.Protocol, s.Security = server.IMAP, plainSec
	case "pops":
		s.Protocol, s.Security = server.POP3, server.TLS
	case "pop":
		s.Protocol, s.Security = server.POP3, plainSec
	case "smtps":
		s.Protocol, s.Security = server.SMTP, server.TLS
	case "smtp":
		s.Protocol, s.Security = server.SMTP, plainSec
	default:
		return nil
	}
	if u.User != nil {
		s.User = u.User.Username()
	} else if s.Protocol == server.IMAP {
		s.User = v["imap_user"]
	} else if s.Protocol == server.POP3 {
		s.User = v["pop_user"]
	}
	if n, ok := atoiPort(u.Port()); ok {
		s.Port = n
	} else {
		sec := server.StartTLS
		if s.Security == server.TLS {
			sec = server.TLS
		}
		s.Port, s.PortDefault = server.DefaultPort(s.Protocol, sec), true
		if s.Protocol == server.SMTP && sec != server.TLS {
			s.Port = 25 // mutt's smtp:// default port
		}
	}
	return s
}
