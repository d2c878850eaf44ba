// Package thunderbird finds Mozilla Thunderbird installations and profiles
// on Windows, macOS and Linux (deb, snap, flatpak, tarball) and reads the
// accounts of every profile from prefs.js (and user.js, which overrides
// it), following the account → server → identity → SMTP server chain.
//
// Facts and sources: shared/research/detection.md §3 (profiles.ini,
// prefs.js key graph, defaults, versions) and §2.6 (Windows registry);
// each is cited next to the code that uses it.
package thunderbird

import (
	"fmt"
	"strings"

	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/detect/clients/inifile"
	"maildoctor.app/maildoctor/detect/clients/prefsjs"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/detect/system"
)

// Install is one Thunderbird installation, or a profile folder left by
// one.
type Install struct {
	Packaging string // deb, system, tarball, snap, flatpak, msi, app
	Version   string
	Path      string
	// Root is the folder holding profiles.ini for this installation.
	Root string
}

// Profile is one entry of profiles.ini.
type Profile struct {
	Name    string
	Dir     string // absolute, slash-separated
	Default bool
}

// Detect finds every Thunderbird on p with its accounts.
func Detect(p *system.Platform) []clients.Client {
	var out []clients.Client
	for _, in := range Installs(p) {
		c := clients.Client{
			ID: clients.Thunderbird, Name: "Mozilla Thunderbird",
			Version: in.Version, Path: in.Path, Packaging: in.Packaging,
			Accounts: []clients.Account{}, Findings: []finding.Finding{},
		}
		if !system.Exists(p.FS, system.Join(in.Root, "profiles.ini")) {
			out = append(out, c)
			continue
		}
		profiles, err := Profiles(p.FS, in.Root)
		if err != nil {
			c.Findings = append(c.Findings, clients.StoreBroken(clients.Thunderbird, system.Join(in.Root, "profiles.ini"), err))
		}
		for _, prof := range profiles {
			accts, fs, lastVersion := ReadProfile(p.FS, prof.Dir)
			c.Accounts = append(c.Accounts, accts...)
			c.Findings = append(c.Findings, fs...)
			if c.Version == "" && lastVersion != "" {
				c.Version = lastVersion
			}
		}
		out = append(out, c)
	}
	return out
}

// Installs lists the installations and profile roots found. A profile root
// without a program (Thunderbird uninstalled, or installed where we do not
// look) is still listed, with the version that last opened its profiles.
func Installs(p *system.Platform) []Install {
	home := p.Home
	switch p.GOOS {
	case "windows":
		root := system.SlashPath(p.Env("APPDATA"))
		if root == "" {
			root = system.Join(home, "AppData/Roaming")
		}
		in := windowsInstall(p)
		in.Root = system.Join(root, "Thunderbird")
		if in.Path == "" && !system.Exists(p.FS, system.Join(in.Root, "profiles.ini")) {
			return nil
		}
		return []Install{in}
	case "darwin":
		in := Install{Packaging: "app", Root: system.Join(home, "Library/Thunderbird")}
		for _, app := range []string{"/Applications/Thunderbird.app", system.Join(home, "Applications/Thunderbird.app")} {
			if v, ok := bundleVersion(p.FS, app); ok {
				in.Path, in.Version = app, v
				break
			}
		}
		if in.Path == "" && !system.Exists(p.FS, system.Join(in.Root, "profiles.ini")) {
			return nil
		}
		return []Install{in}
	}
	return linuxInstalls(p)
}

// linuxInstalls: profile roots per packaging (detection.md §3.1): distro
// and tarball ~/.thunderbird (very old: ~/.mozilla-thunderbird), snap
// ~/snap/thunderbird/common/.thunderbird (birdtray #519), flatpak
// ~/.var/app/org.mozilla.Thunderbird/.thunderbird (flathub #123). Program
// versions from application.ini [App] Version next to the binary, or
// snap.yaml's version (detection.md §3.4).
func linuxInstalls(p *system.Platform) []Install {
	home := p.Home
	var out []Install
	// Distribution package or tarball.
	sys := Install{Root: system.Join(home, ".thunderbird")}
	for _, dir := range []string{"/usr/lib/thunderbird", "/usr/lib64/thunderbird", "/opt/thunderbird", "/usr/local/lib/thunderbird"} {
		if v, ok := applicationIniVersion(p.FS, dir+"/application.ini"); ok {
			sys.Path, sys.Version = dir, v
			sys.Packaging = "system"
			if strings.HasPrefix(dir, "/opt") || strings.HasPrefix(dir, "/usr/local") {
				sys.Packaging = "tarball"
			} else if system.Exists(p.FS, "/var/lib/dpkg/info/thunderbird.list") {
				sys.Packaging = "deb"
			}
			break
		}
	}
	if sys.Path == "" && !system.Exists(p.FS, system.Join(sys.Root, "profiles.ini")) {
		if old := system.Join(home, ".mozilla-thunderbird"); system.Exists(p.FS, system.Join(old, "profiles.ini")) {
			sys.Root = old
		}
	}
	if sys.Path != "" || system.Exists(p.FS, system.Join(sys.Root, "profiles.ini")) {
		out = append(out, sys)
	}
	// Snap.
	snap := Install{Packaging: "snap", Root: system.Join(home, "snap/thunderbird/common/.thunderbird")}
	if data, err := p.FS.ReadFile("/snap/thunderbird/current/meta/snap.yaml"); err == nil {
		snap.Path = "/snap/thunderbird/current"
		snap.Version = snapVersion(data)
	}
	if snap.Path != "" || system.Exists(p.FS, system.Join(snap.Root, "profiles.ini")) {
		out = append(out, snap)
	}
	// Flatpak, system-wide or per user.
	fp := Install{Packaging: "flatpak", Root: system.Join(home, ".var/app/org.mozilla.Thunderbird/.thunderbird")}
	for _, base := range []string{"/var/lib/flatpak/app/org.mozilla.Thunderbird", system.Join(home, ".local/share/flatpak/app/org.mozilla.Thunderbird")} {
		if v, ok := applicationIniVersion(p.FS, base+"/current/active/files/lib/thunderbird/application.ini"); ok {
			fp.Path, fp.Version = base, v
			break
		}
		if system.IsDir(p.FS, base) {
			fp.Path = base
		}
	}
	if fp.Path != "" || system.Exists(p.FS, system.Join(fp.Root, "profiles.ini")) {
		out = append(out, fp)
	}
	return out
}

// windowsInstall reads HKLM/HKCU SOFTWARE\Mozilla\Mozilla Thunderbird
// CurrentVersion ("115.3.1 (x64 en-US)", version = first token) and
// …\<CurrentVersion>\Main PathToExe, in both registry views
// (detection.md §2.6).
func windowsInstall(p *system.Platform) Install {
	in := Install{Packaging: "msi"}
	for _, root := range []system.Root{system.LocalMachine, system.CurrentUser} {
		for _, key := range []string{`SOFTWARE\Mozilla\Mozilla Thunderbird`, `SOFTWARE\WOW6432Node\Mozilla\Mozilla Thunderbird`} {
			cur, ok := system.RegString(p.Registry, root, key, "CurrentVersion")
			if !ok || strings.TrimSpace(cur) == "" {
				continue
			}
			in.Version = strings.Fields(cur)[0]
			if exe, ok := system.RegString(p.Registry, root, key+`\`+cur+`\Main`, "PathToExe"); ok {
				in.Path = system.SlashPath(exe)
			} else if dir, ok := system.RegString(p.Registry, root, key+`\`+cur+`\Main`, "Install Directory"); ok {
				in.Path = system.SlashPath(dir)
			}
			if in.Path == "" {
				in.Path = "(registry)"
			}
			return in
		}
	}
	return in
}

func applicationIniVersion(fsys system.FS, path string) (string, bool) {
	data, err := fsys.ReadFile(path)
	if err != nil {
		return "", false
	}
	f, err := inifile.Parse(data)
	if err != nil {
		return "", false
	}
	v := f.Section("App").Value("Version")
	return v, v != ""
}

func snapVersion(data []byte) string {
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "version:") {
			return strings.Trim(strings.TrimSpace(line[len("version:"):]), `'"`)
		}
	}
	return ""
}

func bundleVersion(fsys system.FS, app string) (string, bool) {
	data, err := fsys.ReadFile(app + "/Contents/Info.plist")
	if err != nil {
		return "", false
	}
	pl, err := system.ParsePlist(data)
	if err != nil {
		return "", true
	}
	return pl["CFBundleShortVersionString"], true
}

// Profiles reads profiles.ini: [ProfileN] sections with Name, IsRelative,
// Path and Default; since Thunderbird 68 an [Install<hash>] section's
// Default names the profile that installation uses (detection.md §3.1).
// Every profile is returned, the default ones marked.
func Profiles(fsys system.FS, root string) ([]Profile, error) {
	data, err := fsys.ReadFile(system.Join(root, "profiles.ini"))
	if err != nil {
		return nil, err
	}
	f, err := inifile.Parse(data)
	if err != nil {
		return nil, err
	}
	installDefaults := map[string]bool{}
	for _, s := range f.Sections {
		if strings.HasPrefix(s.Name, "Install") {
			if d := s.Value("Default"); d != "" {
				installDefaults[d] = true
			}
		}
	}
	var out []Profile
	for _, s := range f.Sections {
		if !strings.HasPrefix(s.Name, "Profile") {
			continue
		}
		path := s.Value("Path")
		if path == "" {
			continue
		}
		dir := system.SlashPath(path)
		if s.Value("IsRelative") != "0" {
			dir = system.Join(root, dir)
		}
		out = append(out, Profile{
			Name:    s.Value("Name"),
			Dir:     dir,
			Default: s.Value("Default") == "1" || installDefaults[path],
		})
	}
	if len(out) == 0 && f.Bad > 0 {
		return nil, fmt.Errorf("profiles.ini: no profile could be read")
	}
	return out, nil
}

// LastVersion reads the version that last opened a profile from
// compatibility.ini: "LastVersion=115.3.1_20230925134416/20230925134416"
// → "115.3.1" (detection.md §3.4).
func LastVersion(fsys system.FS, dir string) string {
	data, err := fsys.ReadFile(system.Join(dir, "compatibility.ini"))
	if err != nil {
		return ""
	}
	f, err := inifile.Parse(data)
	if err != nil {
		return ""
	}
	v := f.Section("Compatibility").Value("LastVersion")
	if i := strings.IndexByte(v, '_'); i >= 0 {
		v = v[:i]
	}
	return v
}

// ReadProfile reads one profile's accounts. A profile without prefs.js
// (never started) has none; a damaged prefs.js gives a client.store_broken
// finding and whatever accounts could still be read.
func ReadProfile(fsys system.FS, dir string) (accounts []clients.Account, findings []finding.Finding, lastVersion string) {
	lastVersion = LastVersion(fsys, dir)
	path := system.Join(dir, "prefs.js")
	data, err := fsys.ReadFile(path)
	if err != nil {
		if system.Exists(fsys, path) {
			findings = append(findings, clients.StoreBroken(clients.Thunderbird, path, err))
		}
		return nil, findings, lastVersion
	}
	prefs := prefsjs.Parse(data)
	if len(prefs.Problems) > 0 {
		findings = append(findings, clients.StoreBroken(clients.Thunderbird, path,
			fmt.Errorf("%d unreadable statements, first at %v", len(prefs.Problems), prefs.Problems[0])))
	}
	// user.js is read after prefs.js and wins (MDN "A brief guide to
	// Mozilla preferences"; MozillaZine "Prefs.js file").
	files := []*prefsjs.File{prefs}
	if udata, err := fsys.ReadFile(system.Join(dir, "user.js")); err == nil {
		files = []*prefsjs.File{prefsjs.Parse(udata), prefs}
	}
	return Accounts(dir, files...), findings, lastVersion
}

// prefView looks a pref up in several files, the first that has it wins.
type prefView []*prefsjs.File

func (v prefView) get(name string) (prefsjs.Pref, bool) {
	for _, f := range v {
		if p, ok := f.Get(name); ok {
			return p, true
		}
	}
	return prefsjs.Pref{}, false
}

func (v prefView) str(name string) string {
	if p, ok := v.get(name); ok && p.Value.Kind == prefsjs.String {
		return p.Value.Str
	}
	return ""
}

func (v prefView) integer(name string) (int64, bool) {
	for _, f := range v {
		if _, ok := f.Get(name); ok {
			return f.Int(name)
		}
	}
	return 0, false
}

func (v prefView) boolean(name string) (bool, bool) {
	p, ok := v.get(name)
	if !ok || p.Value.Kind != prefsjs.Bool {
		return false, false
	}
	return p.Value.Bool, true
}

func list(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// Accounts reads the accounts of a profile from its preference files,
// the first file that has a pref winning (pass user.js before prefs.js).
// It follows the key graph of detection.md §3.3:
// mail.accountmanager.accounts → mail.account.<a>.server and .identities →
// mail.server.<s>.* and mail.identity.<id>.* → the identity's smtpServer
// (or mail.smtp.defaultserver) → mail.smtpserver.<smtp>.*. Local Folders
// (type "none"), news and feeds are not mail accounts and are skipped.
func Accounts(profileDir string, files ...*prefsjs.File) []clients.Account {
	v := prefView(files)
	var out []clients.Account
	for _, acct := range list(v.str("mail.accountmanager.accounts")) {
		srvKey := v.str("mail.account." + acct + ".server")
		if srvKey == "" {
			continue
		}
		branch := "mail.server." + srvKey
		typ := v.str(branch + ".type")
		var proto server.Protocol
		switch typ {
		case "imap":
			proto = server.IMAP
		case "pop3":
			proto = server.POP3
		case "ews", "owa", "exquilla":
		default:
			continue // none (Local Folders), nntp, rss, im, …
		}
		a := clients.Account{Key: acct, Profile: profileDir, Source: system.Join(profileDir, "prefs.js")}
		a.Name = v.str(branch + ".name")
		ids := list(v.str("mail.account." + acct + ".identities"))
		smtpKey := ""
		if len(ids) > 0 {
			a.Email = v.str("mail.identity." + ids[0] + ".useremail")
			smtpKey = v.str("mail.identity." + ids[0] + ".smtpServer")
		}
		if proto == "" {
			// Exchange Web Services accounts (Thunderbird 136+, add-ons):
			// the transport is HTTPS, not something the user sets.
			a.Kind = clients.KindExchange
			a.Incoming = &clients.Server{Protocol: server.Protocol(typ), Host: hostname(v, branch), Key: branch}
			out = append(out, a)
			continue
		}
		a.Incoming = incoming(v, branch, proto)
		if smtpKey == "" {
			smtpKey = v.str("mail.smtp.defaultserver")
		}
		if smtpKey == "" {
			if all := list(v.str("mail.smtpservers")); len(all) > 0 {
				smtpKey = all[0]
			}
		}
		if smtpKey != "" {
			a.Outgoing = outgoing(v, "mail.smtpserver."+smtpKey)
		}
		if a.Email == "" && strings.Contains(a.Incoming.User, "@") {
			a.Email = a.Incoming.User
		}
		out = append(out, a)
	}
	return out
}

// hostname: "realhostname" wins when set (nsMsgIncomingServer.cpp
// GetRealHostName, detection.md §3.3).
func hostname(v prefView, branch string) string {
	if h := v.str(branch + ".realhostname"); h != "" {
		return h
	}
	return v.str(branch + ".hostname")
}

// socketType → security: nsMsgSocketType plain = 0, alwaysSTARTTLS = 2,
// SSL = 3 (MailNewsTypes2.idl); 1 was the removed trySTARTTLS, STARTTLS if
// available (detection.md §3.3). Absent means 0 (mailnews.js
// mail.server.default.socketType = 0) unless the pre-TB3 isSecure is true.
func security(st int64, ok bool, isSecure bool) server.Security {
	if !ok {
		if isSecure {
			return server.TLS
		}
		return server.None
	}
	switch st {
	case 1:
		return server.Auto
	case 2:
		return server.StartTLS
	case 3:
		return server.TLS
	}
	return server.None
}

// incoming: port absent or -1 means the protocol's default, the secure
// one for SSL (nsMsgIncomingServer::GetPort → getDefaultServerPort;
// mailnews.js mail.server.default.port = -1).
func incoming(v prefView, branch string, proto server.Protocol) *clients.Server {
	st, ok := v.integer(branch + ".socketType")
	isSecure, _ := v.boolean(branch + ".isSecure")
	s := &clients.Server{Protocol: proto, Host: hostname(v, branch), Security: security(st, ok, isSecure), Key: branch}
	s.User = v.str(branch + ".realuserName")
	if s.User == "" {
		s.User = v.str(branch + ".userName")
	}
	port, ok := v.integer(branch + ".port")
	if !ok || port <= 0 || port > 65535 {
		sec := server.StartTLS
		if s.Security == server.TLS {
			sec = server.TLS
		}
		s.Port, s.PortDefault = server.DefaultPort(proto, sec), true
	} else {
		s.Port = int(port)
	}
	return s
}

// outgoing: try_ssl is the SMTP server's socketType (SmtpServer.sys.mjs:
// socketType reads "try_ssl", default plain); port 0 or absent means 465
// for SSL, else 587 (SmtpClient.sys.mjs: `this._server.port ||
// (requireTLS ? 465 : 587)`; older releases used 25 — detection.md §1).
func outgoing(v prefView, branch string) *clients.Server {
	st, ok := v.integer(branch + ".try_ssl")
	s := &clients.Server{Protocol: server.SMTP, Host: v.str(branch + ".hostname"), Security: security(st, ok, false), Key: branch}
	s.User = v.str(branch + ".username")
	port, ok := v.integer(branch + ".port")
	if !ok || port <= 0 || port > 65535 {
		sec := server.StartTLS
		if s.Security == server.TLS {
			sec = server.TLS
		}
		s.Port, s.PortDefault = server.DefaultPort(server.SMTP, sec), true
	} else {
		s.Port = int(port)
	}
	return s
}
