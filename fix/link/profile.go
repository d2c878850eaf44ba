package link

import (
	"fmt"
	"strings"

	"maildoctor.app/maildoctor/detect/discover"
)

// UseProfile returns what one check of email may take from a profile a
// link named, once the customer agreed to fetch it: where to look for the
// servers, nothing more.
//
// The profile must list the address's domain by name: one that claims
// every domain (<domain>%EMAILDOMAIN%</domain>) or not this one is refused
// with an *Error. The copy returned has no webmail page, help links or
// provider details (the built-in profile's webmail is kept when it covers
// the domain), so the link cannot change what "open webmail" opens. Its
// servers are never trusted with the password: the check gives it only to
// hosts detect/trust allows.
func UseProfile(p *discover.Profile, email string, builtIn *discover.Profile) (*discover.Profile, error) {
	_, domain, err := discover.SplitAddress(email)
	if err != nil {
		return nil, linkErr("email", fmt.Sprintf("its e-mail address is not valid: %v", err), "email", email)
	}
	listed := make([]string, 0, len(p.Domains))
	for _, d := range p.Domains {
		if strings.Contains(d, "%") {
			return nil, linkErr("any_domain_profile", "its provider settings claim to be for every e-mail domain")
		}
		listed = append(listed, discover.UnicodeHost(d))
	}
	if !p.Covers(domain) {
		return nil, linkErr("profile_not_for", fmt.Sprintf("its provider settings are for %s, not for %s", strings.Join(listed, ", "), domain),
			"domain", discover.UnicodeHost(domain), "domains", strings.Join(listed, ", "))
	}
	c := *p
	c.Webmail = ""
	if builtIn != nil && builtIn.Covers(domain) {
		c.Webmail = builtIn.Webmail
	}
	c.Documentation = nil
	c.Provider = discover.ProviderInfo{}
	return &c, nil
}
