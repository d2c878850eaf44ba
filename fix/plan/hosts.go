package plan

import (
	"strings"

	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/detect/server"
)

// The server name is decided once, here, per account protocol; the steps,
// the values to copy (the settings card), the exports and the automatic
// change all read the plan's endpoints and Settings, so they cannot
// disagree.
//
//  1. A name the certificate does not cover is replaced by the one it
//     does (Settings.Renamed, from cert.hostname_mismatch).
//  2. Otherwise the name the program already uses stays when the built-in
//     provider profile or the address's own domain owns it (trust rules
//     1-2): mail.customer.test and imap.customer.test are names for the
//     same server, and the customer chose one.
//  3. Any other name (an old provider's, a typo) becomes the provider's,
//     and a step says why.

// hostChange is a server name the plan changes, and why.
type hostChange struct {
	protocol server.Protocol
	from, to string
	// renamed: the certificate covers to, not from (rule 1); else the
	// provider does not answer for from (rule 3).
	renamed bool
}

// decideHosts applies the decision to the plan's incoming and outgoing
// endpoints and to the same protocols in its Settings.
func (b *builder) decideHosts() {
	a := b.in.Account
	if a == nil {
		return
	}
	b.p.Incoming = b.decideHost(a.Incoming, b.p.Incoming, b.owns)
	b.p.Outgoing = b.decideHost(a.Outgoing, b.p.Outgoing, b.owns)
}

func (b *builder) decideHost(cur *clients.Server, want *server.Endpoint, owns func(string) bool) *server.Endpoint {
	if cur == nil || want == nil || cur.Host == "" {
		return want
	}
	from := strings.ToLower(strings.TrimSuffix(strings.TrimSpace(cur.Host), "."))
	host, renamed := want.Host, false
	switch to, ok := b.p.Settings.Renamed[from]; {
	case ok:
		host, renamed = to, true
	case strings.EqualFold(from, want.Host):
	case owns(from):
		host = from
	}
	if !strings.EqualFold(host, from) {
		b.hostChanges = append(b.hostChanges, hostChange{protocol: want.Protocol, from: from, to: host, renamed: renamed})
	}
	if host == want.Host {
		return want
	}
	ep := *want
	ep.Host = host
	if slot := b.p.Settings.slot(ep.Protocol); slot != nil {
		*slot = &ep
	}
	return &ep
}

// changesHost reports whether the plan gives the program a new server
// name.
func (b *builder) changesHost() bool { return len(b.hostChanges) > 0 }

// automatic: fix/apply can make the whole change, the server name
// included (Thunderbird's and Claws Mail's changes keep the name: a plan
// that renames the server is done by hand there).
func (b *builder) automatic() bool {
	return b.p.Card.Automatic() && b.in.Account != nil && b.p.Status == StatusChange &&
		(!b.changesHost() || b.p.Card.SetsHost())
}
