// Package outlook finds the Windows mail programs that keep their settings
// in the registry or next to it: Outlook 2003–2021/365 (MSI and
// Click-to-Run) and its POP3/IMAP accounts in every mail profile, the new
// Outlook and the Mail app (versions only), Windows Live Mail and Vista's
// Windows Mail (.oeaccount files), Outlook Express, and eM Client,
// Mailbird and The Bat! (versions only: their stores are proprietary). It
// also tells which one is the default mail program.
//
// Facts and sources: shared/research/detection.md §2.2–2.8, cited next to
// the code.
package outlook

import (
	"strings"

	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/detect/system"
)

const (
	hklm = system.LocalMachine
	hkcu = system.CurrentUser
)

// Detect finds every registry-based Windows mail program on p.
func Detect(p *system.Platform) []clients.Client {
	if p.Registry == nil {
		return nil
	}
	var out []clients.Client
	if c, ok := classicOutlook(p); ok {
		out = append(out, c)
	}
	out = append(out, appxClients(p)...)
	out = append(out, liveMail(p)...)
	if c, ok := outlookExpress(p); ok {
		out = append(out, c)
	}
	out = append(out, uninstallOnly(p)...)
	return out
}

func newClient(id, name string) clients.Client {
	return clients.Client{ID: id, Name: name, Accounts: []clients.Account{}, Findings: []finding.Finding{}}
}

// Office version numbers (detection.md §2.3: 11.0 = 2003, 12.0 = 2007,
// 14.0 = 2010, 15.0 = 2013, 16.0 = 2016/2019/2021/2024/365; 13 skipped).
var officeVersions = []struct{ reg, name string }{
	{"16.0", "Outlook 2016"}, {"15.0", "Outlook 2013"}, {"14.0", "Outlook 2010"},
	{"12.0", "Outlook 2007"}, {"11.0", "Outlook 2003"},
}

// classicOutlook: MSI installs have Office\<ver>\Outlook\InstallRoot Path
// (also under WOW6432Node); Click-to-Run keeps
// Office\ClickToRun\Configuration VersionToReport, ProductReleaseIds
// (the year in the id tells 2019/2021/2024/365 apart) and
// InstallationPath, with OUTLOOK.EXE in root\Office16 (detection.md §2.3).
func classicOutlook(p *system.Platform) (clients.Client, bool) {
	c := newClient(clients.Outlook, "Microsoft Outlook")
	found := false
	const c2r = `SOFTWARE\Microsoft\Office\ClickToRun\Configuration`
	if v, ok := system.RegString(p.Registry, hklm, c2r, "VersionToReport"); ok && v != "" {
		ids, _ := system.RegString(p.Registry, hklm, c2r, "ProductReleaseIds")
		c.Name = "Microsoft Outlook " + c2rProduct(ids)
		c.Version = v
		c.Packaging = "click-to-run"
		if dir, ok := system.RegString(p.Registry, hklm, c2r, "InstallationPath"); ok {
			c.Path = system.Join(system.SlashPath(dir), "root/Office16/OUTLOOK.EXE")
		}
		found = true
	}
	if !found {
	versions:
		for _, ov := range officeVersions {
			for _, base := range []string{`SOFTWARE\Microsoft\Office\`, `SOFTWARE\WOW6432Node\Microsoft\Office\`} {
				dir, ok := system.RegString(p.Registry, hklm, base+ov.reg+`\Outlook\InstallRoot`, "Path")
				if !ok || dir == "" {
					continue
				}
				c.Name = "Microsoft " + ov.name
				c.Path = system.Join(system.SlashPath(dir), "OUTLOOK.EXE")
				c.Version = ov.reg
				c.Packaging = "msi"
				if p.FileVersion != nil {
					if fv, err := p.FileVersion(c.Path); err == nil {
						c.Version = fv
					}
				}
				found = true
				break versions
			}
		}
	}
	c.Accounts = outlookAccounts(p)
	if !found && len(c.Accounts) == 0 {
		return c, false
	}
	if !found {
		c.Name = "Microsoft Outlook"
	}
	return c, true
}

// c2rProduct names the product from ProductReleaseIds
// ("O365ProPlusRetail", "ProPlus2021Volume", "HomeStudent2019Retail").
func c2rProduct(ids string) string {
	switch {
	case strings.Contains(ids, "O365"):
		return "(Microsoft 365)"
	case strings.Contains(ids, "2024"):
		return "2024"
	case strings.Contains(ids, "2021"):
		return "2021"
	case strings.Contains(ids, "2019"):
		return "2019"
	case strings.Contains(ids, "2016"):
		return "2016"
	}
	return "(Click-to-Run)"
}

// Profile roots: Outlook 2013+ keeps mail profiles under
// Office\<15.0|16.0>\Outlook\Profiles, 2003–2010 under Windows Messaging
// Subsystem\Profiles; the accounts of a profile are the numbered subkeys
// of 9375CFF0413111d3B88A00104B2A6676. Every profile is read, not only
// "Outlook" (detection.md §2.3).
var profileRoots = []string{
	`Software\Microsoft\Office\16.0\Outlook\Profiles`,
	`Software\Microsoft\Office\15.0\Outlook\Profiles`,
	`Software\Microsoft\Windows NT\CurrentVersion\Windows Messaging Subsystem\Profiles`,
}

const accountManagerKey = `9375CFF0413111d3B88A00104B2A6676`

func outlookAccounts(p *system.Platform) []clients.Account {
	var out []clients.Account
	for _, root := range profileRoots {
		for _, prof := range system.RegSubKeys(p.Registry, hkcu, root) {
			base := root + `\` + prof + `\` + accountManagerKey
			for _, n := range system.RegSubKeys(p.Registry, hkcu, base) {
				if a, ok := outlookAccount(p.Registry, base+`\`+n); ok {
					a.Profile, a.Key = prof, n
					out = append(out, a)
				}
			}
		}
	}
	return out
}

// Account-type CLSIDs (Outlook Account Management API, detection.md §2.3).
const (
	clsidMAPI    = "{ed475414-b0d6-11d2-8c3b-00104b2a6676}"
	clsidHotmail = "{4db5cbf0-3b77-4852-bc8e-bb81908861f3}"
)

// outlookAccount reads one account key. Strings are REG_BINARY UTF-16LE in
// Outlook 2007+ and REG_SZ in older versions (system.DecodeString reads
// both); ports and security are DWORDs. Password values are never read.
func outlookAccount(reg system.Registry, key string) (clients.Account, bool) {
	str := func(name string) string {
		s, _ := system.RegString(reg, hkcu, key, name)
		return strings.TrimSpace(s)
	}
	num := func(name string) (uint64, bool) { return system.RegUint(reg, hkcu, key, name) }
	a := clients.Account{Source: `HKEY_CURRENT_USER\` + key, Name: str("Account Name")}
	a.Email = str("Email")
	if a.Email == "" {
		a.Email = str("SMTP Email Address")
	}
	clsid := strings.ToLower(str("clsid"))
	var in *clients.Server
	for _, proto := range []server.Protocol{server.IMAP, server.POP3} {
		prefix := strings.ToUpper(string(proto)) + " "
		host := str(prefix + "Server")
		if host == "" {
			continue
		}
		ssl, hasSSL := num(prefix + "Use SSL")
		in = &clients.Server{Protocol: proto, Host: host, Key: a.Source, User: str(prefix + "User")}
		in.Security = outlookSecurity(ssl, hasSSL)
		in.Port, in.PortDefault = port(num(prefix+"Port"))(proto, in.Security)
		break
	}
	if in == nil {
		switch clsid {
		case clsidMAPI:
			a.Kind = clients.KindExchange
		case clsidHotmail:
			a.Kind = clients.KindEAS
		default:
			if str("SMTP Server") == "" {
				return a, false // an address book or another service, not mail
			}
		}
	}
	a.Incoming = in
	if host := str("SMTP Server"); host != "" {
		out := &clients.Server{Protocol: server.SMTP, Host: host, Key: a.Source, User: str("SMTP User")}
		if sc, ok := num("SMTP Secure Connection"); ok {
			out.Security = outlookSecurity(sc, true)
		} else {
			ssl, hasSSL := num("SMTP Use SSL")
			out.Security = outlookSecurity(ssl, hasSSL)
		}
		out.Port, out.PortDefault = port(num("SMTP Port"))(server.SMTP, out.Security)
		if out.PortDefault && out.Security != server.TLS {
			out.Port = 25 // Outlook's default outgoing port
		}
		a.Outgoing = out
	}
	if a.Email == "" && in != nil && strings.Contains(in.User, "@") {
		a.Email = in.User
	}
	return a, true
}

// outlookSecurity maps the encryption DWORD: PROP_SMTP_SECURE_CONNECTION
// ENCRYPT_CONN_NO_SECURITY 0, SSL 1, TLS 2 (Outlook's "TLS" is STARTTLS),
// AUTO 3 (MicrosoftDocs prop_smtp_secure_connection.md); "Use SSL"
// (PROP_INET_SSL) is 0 or non-zero. For IMAP/POP3 the values 2 and 3 are
// not documented: they are read with the SMTP meanings (detection.md §2.3
// "safe mapping").
func outlookSecurity(v uint64, ok bool) server.Security {
	if !ok {
		return server.None
	}
	switch v {
	case 0:
		return server.None
	case 2:
		return server.StartTLS
	case 3:
		return server.Auto
	}
	return server.TLS
}

// port returns the stored port, or the protocol's default for that
// security when none is stored.
func port(v uint64, ok bool) func(server.Protocol, server.Security) (int, bool) {
	return func(p server.Protocol, s server.Security) (int, bool) {
		if ok && v > 0 && v <= 65535 {
			return int(v), false
		}
		sec := server.StartTLS
		if s == server.TLS {
			sec = server.TLS
		}
		return server.DefaultPort(p, sec), true
	}
}

// appxClients: the new Outlook (Microsoft.OutlookForWindows) and Windows
// 10/11 Mail (microsoft.windowscommunicationsapps) are Store packages; the
// package list under Classes\Local Settings\…\AppModel\Repository\Packages
// gives their versions ([U] in detection.md §2.7). Their settings are in
// package storage or Microsoft's cloud: version only.
func appxClients(p *system.Platform) []clients.Client {
	const key = `Software\Classes\Local Settings\Software\Microsoft\Windows\CurrentVersion\AppModel\Repository\Packages`
	var out []clients.Client
	seen := map[string]bool{}
	for _, pkg := range system.RegSubKeys(p.Registry, hkcu, key) {
		lower := strings.ToLower(pkg)
		var c clients.Client
		switch {
		case strings.HasPrefix(lower, "microsoft.outlookforwindows_"):
			c = newClient(clients.NewOutlook, "Outlook (new)")
			c.Findings = append(c.Findings, clients.StoreUnreadable(clients.NewOutlook, "cloud", ""))
		case strings.HasPrefix(lower, "microsoft.windowscommunicationsapps_"):
			c = newClient(clients.WindowsMailApp, "Windows Mail and Calendar")
			c.Findings = append(c.Findings, clients.StoreUnreadable(clients.WindowsMailApp, "proprietary", ""))
		default:
			continue
		}
		if seen[c.ID] {
			continue
		}
		seen[c.ID] = true
		// Package full name: Name_Version_Arch_ResourceId_PublisherId.
		if parts := strings.Split(pkg, "_"); len(parts) > 1 {
			c.Version = parts[1]
		}
		c.Packaging = "appx"
		if loc, ok := system.RegString(p.Registry, hkcu, key+`\`+pkg, "PackageRootFolder"); ok {
			c.Path = system.SlashPath(loc)
		}
		out = append(out, c)
	}
	return out
}

// uninstallOnly finds eM Client, Mailbird and The Bat! in the Uninstall
// keys (DisplayName, DisplayVersion, InstallLocation; Microsoft
// "Uninstall Registry Key"), in both registry views and per user
// (detection.md §2.2 point 3, §2.8). Their account stores are not read.
func uninstallOnly(p *system.Platform) []clients.Client {
	known := []struct{ prefix, id, name, store, reason string }{
		{"eM Client", clients.EMClient, "eM Client", "%APPDATA%/eM Client", "proprietary"},
		{"Mailbird", clients.Mailbird, "Mailbird", "%LOCALAPPDATA%/Mailbird/Store/Store.db", "proprietary"},
		{"The Bat!", clients.TheBat, "The Bat!", "", "proprietary"},
	}
	var out []clients.Client
	for _, e := range UninstallEntries(p.Registry) {
		for _, k := range known {
			if !strings.HasPrefix(e.DisplayName, k.prefix) || contains(out, k.id) {
				continue
			}
			c := newClient(k.id, k.name)
			c.Version, c.Path, c.Packaging = e.DisplayVersion, system.SlashPath(e.InstallLocation), "msi"
			c.Findings = append(c.Findings, clients.StoreUnreadable(k.id, k.reason, k.store))
			out = append(out, c)
		}
	}
	return out
}

func contains(list []clients.Client, id string) bool {
	for _, c := range list {
		if c.ID == id {
			return true
		}
	}
	return false
}

// UninstallEntry is one program in Windows' Uninstall keys.
type UninstallEntry struct {
	DisplayName, DisplayVersion, InstallLocation string
}

// UninstallEntries lists HKLM and HKCU …\CurrentVersion\Uninstall and the
// WOW6432Node twin.
func UninstallEntries(reg system.Registry) []UninstallEntry {
	var out []UninstallEntry
	for _, loc := range []struct {
		root system.Root
		key  string
	}{
		{hklm, `SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall`},
		{hklm, `SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall`},
		{hkcu, `Software\Microsoft\Windows\CurrentVersion\Uninstall`},
	} {
		for _, sub := range system.RegSubKeys(reg, loc.root, loc.key) {
			k := loc.key + `\` + sub
			name, _ := system.RegString(reg, loc.root, k, "DisplayName")
			if name == "" {
				continue
			}
			ver, _ := system.RegString(reg, loc.root, k, "DisplayVersion")
			dir, _ := system.RegString(reg, loc.root, k, "InstallLocation")
			out = append(out, UninstallEntry{name, ver, dir})
		}
	}
	return out
}

// DefaultMailClient returns the client id of the default mail program, ""
// when unknown. Windows 8+ keeps the user's choice in
// UrlAssociations\mailto\UserChoice ProgId, Windows 11 24H2+ possibly in
// UserChoiceLatest\ProgId (PowerToys PR #40115, assumed for mailto); older
// systems in Clients\Mail's default value, HKCU before HKLM
// (detection.md §2.2 points 1–2).
func DefaultMailClient(reg system.Registry) string {
	const assoc = `Software\Microsoft\Windows\Shell\Associations\UrlAssociations\mailto\`
	for _, k := range []string{assoc + `UserChoiceLatest\ProgId`, assoc + `UserChoiceLatest`, assoc + `UserChoice`} {
		if v, ok := system.RegString(reg, hkcu, k, "ProgId"); ok && v != "" {
			if id := clientFromName(v); id != "" {
				return id
			}
		}
	}
	for _, root := range []system.Root{hkcu, hklm} {
		if v, ok := system.RegString(reg, root, `Software\Clients\Mail`, ""); ok && v != "" {
			return clientFromName(v)
		}
	}
	return ""
}

func clientFromName(v string) string {
	l := strings.ToLower(v)
	switch {
	case strings.Contains(l, "thunderbird"):
		return clients.Thunderbird
	case strings.Contains(l, "outlookforwindows") || strings.Contains(l, "olk"):
		return clients.NewOutlook
	case strings.Contains(l, "outlook express"):
		return clients.OutlookExpress
	case strings.Contains(l, "outlook"):
		return clients.Outlook
	case strings.Contains(l, "windows live mail") || strings.Contains(l, "wlmail"):
		return clients.WindowsLive
	case strings.Contains(l, "windowscommunicationsapps") || strings.Contains(l, "windows mail"):
		if strings.Contains(l, "windows mail") && !strings.Contains(l, "communications") {
			return clients.WindowsMail
		}
		return clients.WindowsMailApp
	case strings.Contains(l, "em client"), strings.Contains(l, "emclient"):
		return clients.EMClient
	case strings.Contains(l, "mailbird"):
		return clients.Mailbird
	case strings.Contains(l, "the bat"):
		return clients.TheBat
	}
	return ""
}
