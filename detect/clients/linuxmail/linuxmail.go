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

// client starts the Client of a program found installed.
func (in install) client(id, name string) clients.Client {
	c := newClient(id, name)
	c.Path, c.Version, c.Packaging = in.path, in.version, in.packaging
	return c
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

// ports are a protocol's ports by security, for a setting that leaves the
// port out; Auto (and a security missing) takes the plain-text port.
func ports(implicit, starttls, plain int) map[server.Security]int {
	return map[server.Security]int{server.TLS: implicit, server.StartTLS: starttls, server.None: plain, server.Auto: plain}
}

var (
	imapDefaults = ports(993, 143, 143)
	pop3Defaults = ports(995, 110, 110)
	// smtpDefaults are Evolution's and Geary's: plain text on 25.
	smtpDefaults = ports(465, 587, 25)
)

// defaultsFor picks imapDefaults, pop3Defaults or the client's smtp
// defaults by protocol.
func defaultsFor(proto server.Protocol, smtp map[server.Security]int) map[server.Security]int {
	switch proto {
	case server.POP3:
		return pop3Defaults
	case server.SMTP:
		return smtp
	}
	return imapDefaults
}

// securityWords maps the values of a client's security setting to a
// security; any other value (and none) is server.None.
type securityWords map[string]server.Security

func (w securityWords) of(value string) server.Security {
	if s, ok := w[value]; ok {
		return s
	}
	return server.None
}
