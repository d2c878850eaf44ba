package check

import "maildoctor.app/maildoctor/detect/trust"

// certOwner is probe.Options.Owns for a check: a certificate that does
// not cover the host in use may suggest another of its names only when
// that name belongs to the built-in provider profile or to the address's
// domain (trust rules 1-2). Typed and confirmed hosts do not count: the
// user chose those, a certificate did not, and a name the user confirmed
// for one check is no advice for the customer's mail program.
//
// domain is the address's domain as discovery found it, used when the
// policy does not name one.
func certOwner(pol trust.Policy, domain string) func(host string) bool {
	owner := trust.Policy{Provider: pol.Provider, Domain: pol.Domain}
	if owner.Domain == "" {
		owner.Domain = domain
	}
	return func(host string) bool {
		switch owner.Decide(host) {
		case trust.Provider, trust.Domain:
			return true
		}
		return false
	}
}
