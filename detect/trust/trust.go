// Package trust decides which hosts may be given the customer's password.
//
// Mail Doctor is opened by links that arrive by e-mail and finds servers
// through DNS answers nobody signed, so "where the password goes" must not
// be steerable by a link, a resolver, an autoconfig file or a certificate.
// The rule lives here, in one function with one table test, and every
// login path asks it (detect/check before each login, the app before Test).
package trust

import (
	"net"

	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/detect/server"
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
	h, ok := canonical(host)
	if !ok {
		return Untrusted
	}
	switch {
	case p.Provider != nil && p.Provider.Owns(h):
		return Provider
	case p.Domain != "" && net.ParseIP(h) == nil && discover.HostUnder(h, p.Domain):
		return Domain
	case listed(p.Typed, h):
		return Typed
	case listed(p.Confirmed, h):
		return Confirmed
	}
	return Untrusted
}

// Owns reports whether host belongs to the provider or the address's
// domain (rules 1 and 2): the only hosts a certificate's "use this name"
// or a plan may send the customer to. Typed and confirmed hosts do not
// count: the user chose those for one check, nobody vouched for them.
func (p Policy) Owns(host string) bool {
	switch p.Decide(host) {
	case Provider, Domain:
		return true
	}
	return false
}

// Trusted reports whether Decide gives any reason.
func (p Policy) Trusted(host string) bool {
	return p.Decide(host) != Untrusted
}

func listed(list []string, h string) bool {
	for _, x := range list {
		if c, ok := canonical(x); ok && c == h {
			return true
		}
	}
	return false
}

// canonical is the host of "HOST[:PORT]" (server.ParseHostPort, the form
// users type and links carry) in discover.CanonicalHost's form.
func canonical(s string) (string, bool) {
	host, _, err := server.ParseHostPort(s)
	if err != nil {
		return "", false
	}
	h, err := discover.CanonicalHost(host)
	return h, err == nil && h != ""
}
