package link

import (
	"net/url"
	"strings"

	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/server"
)

// Warning finding ids.
const (
	ForeignHost    = "link.foreign_host"
	ForeignProfile = "link.foreign_profile"
)

// Warnings lists, as findings for the app to show before anything is
// contacted, every host the link brings that neither the e-mail's domain
// nor a built-in profile vouches for: the profile's web server, the
// servers the link names, and the servers the linked profile names
// (linked is that profile once loaded, or nil before).
//
// Only the built-in profiles vouch: a profile loaded from a link is the
// link's word, not the provider's.
func (l *Link) Warnings(builtIn []*discover.Profile, linked *discover.Profile) []finding.Finding {
	local, domain, err := discover.SplitAddress(l.Email)
	if err != nil {
		local, domain = "", ""
	}
	// A profile's host may hold the address's parts (mail.%EMAILDOMAIN%).
	fill := strings.NewReplacer("%EMAILADDRESS%", l.Email, "%EMAILLOCALPART%", local, "%EMAILDOMAIN%", domain)
	trusted := func(host string) bool {
		if domain != "" && discover.HostUnder(host, domain) {
			return true
		}
		for _, p := range builtIn {
			if p != nil && p.Owns(host) {
				return true
			}
		}
		return false
	}
	var out []finding.Finding
	if u, err := url.Parse(l.Profile); l.Profile != "" && err == nil && !trusted(u.Hostname()) {
		out = append(out, finding.New(ForeignProfile, finding.Warn, "", "host", u.Hostname(), "domain", domain))
	}
	seen := map[string]bool{}
	add := func(p server.Protocol, host, where string) {
		if seen[string(p)+" "+host] || trusted(host) {
			return
		}
		seen[string(p)+" "+host] = true
		out = append(out, finding.New(ForeignHost, finding.Warn, where,
			"host", host, "protocol", strings.ToUpper(string(p)), "domain", domain))
	}
	for _, p := range server.Protocols {
		if hp := l.Servers[p]; hp != "" {
			host, _, _ := server.ParseHostPort(hp)
			add(p, host, hp)
		}
	}
	if linked != nil {
		for _, list := range [][]discover.Server{linked.Incoming, linked.Outgoing} {
			for _, s := range list {
				if h := fill.Replace(s.Host); !strings.Contains(h, "%") && (domain != "" || h == s.Host) {
					add(s.Protocol, h, h)
				}
			}
		}
	}
	return out
}
