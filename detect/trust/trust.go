// Package trust decides which hosts may be given the customer's password.
//
// Mail Doctor is opened by links that arrive by e-mail and finds servers
// through DNS answers nobody signed, so "where the password goes" must not
// be steerable by a link, a resolver, an autoconfig file or a certificate.
// The rule lives here, in one function with one table test, and every
// login path asks it (detect/check before each login, the app before Test).
package trust

import (
	"strings"

	"maildoctor.app/maildoctor/detect/discover"
)

// Reason says why a host is trusted with the password.
type Reason string

// Reasons, in the order Decide tries them. Untrusted is the zero value.
const (
	Untrusted Reason = ""
	// Provider: a mail server the built-in provider profile names, or a
	// name under one of the provider's own domains.
	Provider Reason = "provider"
	// Domain: the e-mail address's own domain or a name under it.
	Domain Reason = "domain"
	// Typed: the user typed this host in this session.
	Typed Reason = "typed"
	// Confirmed: the user confirmed this exact host in a dialog (CLI:
	// --trust-host).
	Confirmed Reason = "confirmed"
)

// Policy holds what the decision depends on. The zero value trusts
// nothing.
type Policy struct {
	// Provider is the profile built into the binary, never one from a
	// link, a URL, a file or an autoconfig answer: those are probed
	// without the password.
	Provider *discover.Profile
	// Domain is the e-mail address's domain, in any form.
	Domain string
	// Typed and Confirmed are host names (HOST or HOST:PORT) the user
	// typed or confirmed in this session.
	Typed     []string
	Confirmed []string
}

// Decide says whether host may be given the password, and why. Host names
// are compared in their ASCII (IDNA), lower-case form, label by label, so
// "imap.example.it.attacker.example" is not under "example.it" and a
// homograph is not its look-alike.
func (p Policy) Decide(host string) Reason {
	h, err := discover.CanonicalHost(stripPort(host))
	if err != nil || h == "" {
		return Untrusted
	}
	switch {
	case p.Provider != nil && p.Provider.Owns(h):
		return Provider
	case p.Domain != "" && !isIP(h) && discover.HostUnder(h, p.Domain):
		return Domain
	case listed(p.Typed, h):
		return Typed
	case listed(p.Confirmed, h):
		return Confirmed
	}
	return Untrusted
}

// Trusted reports whether Decide gives any reason.
func (p Policy) Trusted(host string) bool {
	return p.Decide(host) != Untrusted
}

func listed(list []string, h string) bool {
	for _, x := range list {
		if c, err := discover.CanonicalHost(stripPort(x)); err == nil && c == h {
			return true
		}
	}
	return false
}

// stripPort drops a ":port" from "host:port" and the brackets of
// "[v6]:port", leaving a bare IPv6 address alone.
func stripPort(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "[") {
		if i := strings.IndexByte(s, ']'); i > 0 {
			return s[1:i]
		}
	}
	if strings.Count(s, ":") == 1 {
		return s[:strings.IndexByte(s, ':')]
	}
	return s
}

func isIP(h string) bool {
	return strings.Trim(h, "0123456789.") == "" || strings.Contains(h, ":")
}
