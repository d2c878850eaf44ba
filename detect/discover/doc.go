// Package discover finds the mail servers for an e-mail address, the way a
// mail client's account wizard would, so that Mail Doctor can test the
// servers the customer should be using rather than the ones they typed.
//
// Sources, best first: a provider profile covering the domain (embedded or
// given with --profile), the domain's own autoconfig file (Thunderbird
// config-v1.1.xml), DNS SRV records (RFC 6186, RFC 8314), the MX record
// (which often points at the provider, whose profile then applies), and
// finally guessed names under the domain. Manual overrides beat them all.
//
// Only hosts the customer's domain itself vouches for are looked up or
// contacted: the domain and its sub-domains, its MX and SRV targets, the
// hosts named by a provider profile and by the domain's own autoconfig file.
// Result.Allowed lists them so later checks can hold to the same rule
// (see the "Rules that protect the customer" in DESIGN.md).
package discover
