package linuxmail

import (
	"context"
	"net/url"
	"strings"

	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/detect/system"
)

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
		c := in.client(m.id, m.name)
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
