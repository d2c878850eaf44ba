package plan

import (
	"strings"

	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/detect/trust"
)

// Settings are the right settings for one address: per protocol the
// provider offers, the server to use with implicit TLS. Exports and the
// settings card are made from them.
type Settings struct {
	Email string `json:"email"`
	// Username is what the customer logs in with: the full address unless
	// the provider's profile says otherwise.
	Username string           `json:"username"`
	IMAP     *server.Endpoint `json:"imap,omitempty"`
	POP3     *server.Endpoint `json:"pop3,omitempty"`
	SMTP     *server.Endpoint `json:"smtp,omitempty"`
	// Renamed maps a host the certificate does not cover to the name it
	// does cover (from cert.hostname_mismatch), already applied above;
	// only ever to a host the built-in provider profile or the address's
	// domain owns.
	Renamed map[string]string `json:"renamed,omitempty"`
	// Webmail is the provider's https webmail page, if known.
	Webmail string `json:"webmail,omitempty"`
	// Provider is the provider's display name, if known.
	Provider string `json:"provider,omitempty"`
}

// SettingsFor picks, per protocol, the first implicit-TLS server among the
// discovered ones that the built-in profile or the address's domain owns,
// or that the user gave (discover.Find lists implicit TLS first and always adds
// it on the standard port). A cert.hostname_mismatch finding with a
// suggested name replaces that server's host: a name the certificate does
// not cover would make every mail program refuse the connection. The
// suggestion is followed only to a host the built-in provider profile or
// the address's domain owns (see owner): findings may come from a report
// or support code anyone can write, and a certificate anyone can make.
func SettingsFor(email string, servers []discover.Server, findings []finding.Finding) Settings {
	return settingsFor(email, servers, findings, owner(strings.TrimSpace(email), nil))
}

// settingsFor is SettingsFor with the trust rules' owner already made.
func settingsFor(email string, servers []discover.Server, findings []finding.Finding, owns func(string) bool) Settings {
	s := Settings{Email: strings.TrimSpace(email)}
	for _, srv := range servers {
		if srv.Security != server.TLS {
			continue
		}
		slot := s.slot(srv.Protocol)
		if slot == nil || *slot != nil {
			continue
		}
		if srv.Source != discover.SourceManual && !owns(srv.Host) {
			// A host from an MX or SRV answer, an autoconfig file or a
			// linked profile is the word of whoever sent it: the customer
			// is never told to type it into a mail program.
			continue
		}
		ep := srv.Endpoint
		if to := suggestedHost(ep, findings, owns); to != "" {
			if s.Renamed == nil {
				s.Renamed = map[string]string{}
			}
			s.Renamed[ep.Host] = to
			ep.Host = to
		}
		*slot = &ep
		if s.Username == "" && srv.Username != "" {
			s.Username = srv.Username
		}
	}
	if s.Username == "" {
		s.Username = s.Email
	}
	return s
}

func (s *Settings) slot(p server.Protocol) **server.Endpoint {
	switch p {
	case server.IMAP:
		return &s.IMAP
	case server.POP3:
		return &s.POP3
	case server.SMTP:
		return &s.SMTP
	}
	return nil
}

// For returns the right endpoint for a protocol, or nil.
func (s Settings) For(p server.Protocol) *server.Endpoint {
	if slot := s.slot(p); slot != nil {
		return *slot
	}
	return nil
}

// Empty reports whether no server at all is known.
func (s Settings) Empty() bool {
	return s.IMAP == nil && s.POP3 == nil && s.SMTP == nil
}

// suggestedHost is the host a cert.hostname_mismatch finding about ep
// suggests, in its ASCII lower-case form, if owns accepts it; else "".
func suggestedHost(ep server.Endpoint, findings []finding.Finding, owns func(string) bool) string {
	for _, f := range findings {
		if f.ID != finding.CertHostnameMismatch || f.Endpoint != ep.Addr() {
			continue
		}
		to, err := discover.CanonicalHost(strings.TrimSpace(f.Args["suggested"]))
		if err != nil || to == "" || strings.EqualFold(to, ep.Host) || !owns(to) {
			continue
		}
		return to
	}
	return ""
}

// owner says which hosts a plan may send the customer to in place of a
// discovered one: those the trust rules 1-2 give (detect/trust) — named
// by the provider profile built into the binary, or under the address's
// own domain. Never a profile from a link, a file or an autoconfig
// answer, and never the user's typed or confirmed hosts: those are
// servers, not renames. builtin is the built-in profile; nil parses it.
func owner(email string, builtin *discover.Profile) func(string) bool {
	pol := trust.Policy{Provider: builtin}
	if _, domain, err := discover.SplitAddress(email); err == nil {
		pol.Domain = domain
	}
	if pol.Provider == nil {
		if p, err := discover.BuiltinProfile(); err == nil {
			pol.Provider = p
		}
	}
	return pol.Owns
}
