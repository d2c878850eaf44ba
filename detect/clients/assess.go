package clients

import (
	"strconv"
	"strings"

	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/server"
)

// Assess gives every account of c its findings, replacing any it had:
//   - starttls.in_use (warn): STARTTLS, which providers are closing on
//     143/110/587 (RFC 8314 prefers implicit TLS on 993/995/465);
//   - account.plaintext (fail): no encryption at all, the password travels
//     in the clear;
//   - account.auto_security (warn): "STARTTLS if available", which an
//     attacker downgrades to plain text by hiding the STARTTLS capability
//     (detection.md §1: Outlook Auto, Thunderbird's old trySTARTTLS, mutt
//     without ssl_force_tls);
//   - account.host_mismatch (warn): the address belongs to a provider
//     profile but the server is not one the profile names.
//
// profiles are the known provider profiles (the embedded default first);
// the last one covering the address's domain is used, as in discovery.
func Assess(c *Client, profiles []*discover.Profile) {
	for i := range c.Accounts {
		a := &c.Accounts[i]
		a.Findings = AssessAccount(c.ID, a, profiles)
	}
}

// AssessAccount returns the findings for one account.
func AssessAccount(clientID string, a *Account, profiles []*discover.Profile) []finding.Finding {
	if a.Kind != "" {
		return nil
	}
	var out []finding.Finding
	prof := covering(profiles, a.Email)
	for _, s := range []*Server{a.Incoming, a.Outgoing} {
		if s == nil || s.Host == "" {
			continue
		}
		out = append(out, serverFindings(s)...)
		if prof != nil {
			if f, ok := hostMismatch(prof, a.Email, s); ok {
				out = append(out, f)
			}
		}
	}
	finding.Sort(out)
	return out
}

func serverFindings(s *Server) []finding.Finding {
	ep := s.Addr()
	port := strconv.Itoa(s.Port)
	tlsPort := strconv.Itoa(server.DefaultPort(s.Protocol, server.TLS))
	switch s.Security {
	case server.StartTLS:
		return []finding.Finding{finding.New(finding.StartTLSInUse, finding.Warn, ep,
			"protocol", s.Protocol.Name(), "port", port, "tls_port", tlsPort, "source", "client")}
	case server.None:
		return []finding.Finding{finding.New(finding.AccountPlaintext, finding.Fail, ep,
			"protocol", s.Protocol.Name(), "host", s.Host, "port", port, "tls_port", tlsPort)}
	case server.Auto:
		return []finding.Finding{finding.New(finding.AccountAutoSecurity, finding.Warn, ep,
			"protocol", s.Protocol.Name(), "host", s.Host, "port", port, "tls_port", tlsPort)}
	}
	return nil
}

func covering(profiles []*discover.Profile, email string) *discover.Profile {
	at := strings.LastIndexByte(email, '@')
	if at < 0 {
		return nil
	}
	domain := email[at+1:]
	var found *discover.Profile
	for _, p := range profiles {
		if p != nil && p.Covers(domain) {
			found = p
		}
	}
	return found
}

// hostMismatch compares the server's host with the profile's hosts for
// that protocol (placeholders filled in for the address); the finding
// names the profile's first SSL/TLS server as the one to use.
func hostMismatch(p *discover.Profile, email string, s *Server) (finding.Finding, bool) {
	list := p.Incoming
	if s.Protocol == server.SMTP {
		list = p.Outgoing
	}
	host := strings.TrimSuffix(strings.ToLower(s.Host), ".")
	var want *discover.Server
	for i := range list {
		ps := &list[i]
		if ps.Protocol != s.Protocol {
			continue
		}
		h := strings.ToLower(fillPlaceholders(ps.Host, email))
		if h == host {
			return finding.Finding{}, false
		}
		if want == nil || (ps.Security == server.TLS && want.Security != server.TLS) {
			want = ps
		}
	}
	if want == nil {
		return finding.Finding{}, false
	}
	return finding.New(finding.AccountHostMismatch, finding.Warn, s.Addr(),
		"protocol", s.Protocol.Name(), "host", s.Host,
		"expected", fillPlaceholders(want.Host, email), "expected_port", strconv.Itoa(want.Port),
		"provider", p.DisplayName), true
}

// fillPlaceholders fills the autoconfig placeholders of a host name
// (%EMAILDOMAIN% and friends, Thunderbird autoconfig format).
func fillPlaceholders(h, email string) string {
	local, domain := email, ""
	if at := strings.LastIndexByte(email, '@'); at >= 0 {
		local, domain = email[:at], email[at+1:]
	}
	return strings.NewReplacer("%EMAILADDRESS%", email, "%EMAILLOCALPART%", local, "%EMAILDOMAIN%", domain).Replace(h)
}
