package link

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/server"
)

// Warning finding ids.
const (
	ForeignHost    = "link.foreign_host"
	ForeignProfile = "link.foreign_profile"
	// IDNName: a name in the link (the address's domain, a server, the
	// profile's host) holds non-ASCII letters or an xn-- label, so it may
	// be a look-alike of the real one (custоmer.example with a Cyrillic
	// о). Its args are host (the xn-- form), host_unicode and what
	// ("email", "profile" or the protocol).
	IDNName = "link.idn_name"
)

// HostForms returns the two forms a person must see of a host name: the
// ASCII one the internet uses (xn--…, lower case) and the Unicode one
// people read. An IP address, or a name that does not convert, comes back
// as given in both.
func HostForms(host string) (ascii, unicode string) {
	h := strings.TrimSuffix(strings.TrimSpace(host), ".")
	if a, err := discover.CanonicalHost(h); err == nil {
		h = a
	} else {
		h = strings.ToLower(h)
	}
	return h, discover.UnicodeHost(h)
}

// IsIDN reports whether a name holds non-ASCII letters or an xn-- label:
// a name a person cannot check by reading it, because letters from other
// alphabets look the same.
func IsIDN(name string) bool {
	for i := 0; i < len(name); i++ {
		if name[i] >= utf8.RuneSelf {
			return true
		}
	}
	for _, l := range strings.Split(strings.ToLower(name), ".") {
		if strings.HasPrefix(l, "xn--") {
			return true
		}
	}
	return false
}

// Warnings lists, as findings for the app to show before anything is
// contacted, every host the link brings that neither the e-mail's domain
// nor a built-in profile vouches for: the profile's web server, the
// servers the link names, and the servers the linked profile names
// (linked is that profile once loaded, or nil before).
//
// Only the built-in profiles vouch: a profile loaded from a link is the
// link's word, not the provider's.
//
// Every non-ASCII or xn-- name the link brings (the address's domain
// included, even one the rest of the link agrees with) is listed too
// (IDNName), with both its forms: a homograph looks right in either alone.
// Host names are given as args host (ASCII) and host_unicode.
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
	idn := map[string]bool{}
	checkIDN := func(name, what string) {
		if !IsIDN(name) {
			return
		}
		ascii, uni := HostForms(name)
		if idn[ascii] {
			return
		}
		idn[ascii] = true
		out = append(out, finding.New(IDNName, finding.Warn, "", "host", ascii, "host_unicode", uni, "what", what))
	}
	if domain != "" {
		checkIDN(domain, "email")
	}
	if u, err := url.Parse(l.Profile); l.Profile != "" && err == nil {
		checkIDN(u.Hostname(), "profile")
		if !trusted(u.Hostname()) {
			ascii, uni := HostForms(u.Hostname())
			out = append(out, finding.New(ForeignProfile, finding.Warn, "", "host", ascii, "host_unicode", uni, "domain", discover.UnicodeHost(domain)))
		}
	}
	seen := map[string]bool{}
	add := func(p server.Protocol, host, where string) {
		checkIDN(host, p.Name())
		ascii, uni := HostForms(host)
		if seen[string(p)+" "+ascii] || trusted(host) {
			return
		}
		seen[string(p)+" "+ascii] = true
		out = append(out, finding.New(ForeignHost, finding.Warn, where,
			"host", ascii, "host_unicode", uni, "protocol", p.Name(), "domain", discover.UnicodeHost(domain)))
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
