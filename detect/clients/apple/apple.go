// Package apple finds the mail programs of a Mac: Apple Mail, Outlook for
// Mac and other mail apps in /Applications and ~/Applications, with their
// versions from Contents/Info.plist (CFBundleShortVersionString). Their
// account stores are not read, and each says so with a
// client.store_unreadable finding: Apple Mail's accounts live in
// ~/Library/Accounts/Accounts4.sqlite, readable only with Full Disk Access
// (TCC) and owned by accountsd; Outlook for Mac's database is proprietary
// and in a TCC-protected group container (detection.md §4.2–4.4).
// Thunderbird on macOS is read by package thunderbird.
package apple

import (
	"errors"
	"io/fs"
	"os"
	"strings"

	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/system"
)

// Known mail apps by bundle name; bundle ids from detection.md §4.2
// (com.apple.mail, com.microsoft.Outlook, com.readdle.smartemail-Mac,
// com.postbox-inc.postbox) and the apps' own Info.plist files.
var apps = []struct {
	bundle, id, name, reason string
}{
	{"Microsoft Outlook.app", clients.OutlookMac, "Microsoft Outlook", "proprietary"},
	{"Spark.app", "spark", "Spark", "cloud"},
	{"Spark Desktop.app", "spark", "Spark", "cloud"},
	{"Airmail 5.app", "airmail", "Airmail", "proprietary"},
	{"Postbox.app", "postbox", "Postbox", "proprietary"},
	{"eM Client.app", clients.EMClient, "eM Client", "proprietary"},
	{"Mailspring.app", "mailspring", "Mailspring", "proprietary"},
	{"Canary Mail.app", "canary-mail", "Canary Mail", "proprietary"},
	{"MailMate.app", "mailmate", "MailMate", "proprietary"},
	{"Mimestream.app", "mimestream", "Mimestream", "cloud"},
}

// Detect finds the Mac mail apps on p.
func Detect(p *system.Platform) []clients.Client {
	if p.GOOS != "darwin" {
		return nil
	}
	var out []clients.Client
	// Mail.app moved to /System/Applications in 10.15 Catalina
	// (arachsys/mailwrap PR #4).
	for _, path := range []string{"/System/Applications/Mail.app", "/Applications/Mail.app"} {
		v, ok := bundleVersion(p.FS, path)
		if !ok {
			continue
		}
		c := newClient(clients.AppleMail, "Apple Mail")
		c.Version, c.Path, c.Packaging = v, path, "app"
		c.Findings = append(c.Findings, appleMailStore(p))
		out = append(out, c)
		break
	}
	seen := map[string]bool{}
	for _, dir := range []string{"/Applications", system.Join(p.Home, "Applications")} {
		for _, a := range apps {
			if seen[a.id] {
				continue
			}
			path := system.Join(dir, a.bundle)
			v, ok := bundleVersion(p.FS, path)
			if !ok {
				continue
			}
			seen[a.id] = true
			c := newClient(a.id, a.name)
			c.Version, c.Path, c.Packaging = v, path, "app"
			c.Findings = append(c.Findings, clients.StoreUnreadable(a.id, a.reason, ""))
			out = append(out, c)
		}
	}
	return out
}

func newClient(id, name string) clients.Client {
	return clients.Client{ID: id, Name: name, Accounts: []clients.Account{}, Findings: []finding.Finding{}}
}

// appleMailStore tells why Apple Mail's accounts are not listed: without
// Full Disk Access the Accounts folder cannot even be opened (EPERM);
// with it, Mail Doctor still does not read the Core Data database.
func appleMailStore(p *system.Platform) finding.Finding {
	path := system.Join(p.Home, "Library/Accounts/Accounts4.sqlite")
	if _, err := p.FS.ReadDir(system.Join(p.Home, "Library/Accounts")); err != nil && isPermission(err) {
		return clients.StoreUnreadable(clients.AppleMail, "permission", path)
	}
	return clients.StoreUnreadable(clients.AppleMail, "unsupported", path)
}

func isPermission(err error) bool {
	return errors.Is(err, fs.ErrPermission) || errors.Is(err, os.ErrPermission) || strings.Contains(err.Error(), "operation not permitted")
}

func bundleVersion(fsys system.FS, app string) (string, bool) {
	if !system.IsDir(fsys, app) {
		return "", false
	}
	data, err := fsys.ReadFile(app + "/Contents/Info.plist")
	if err != nil {
		return "", true
	}
	pl, err := system.ParsePlist(data)
	if err != nil {
		return "", true
	}
	return pl["CFBundleShortVersionString"], true
}
