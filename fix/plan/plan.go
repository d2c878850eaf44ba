package plan

import (
	"errors"
	"strconv"
	"strings"

	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/detect/compat"
	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/server"
)

// Status says what the customer has to do.
type Status string

// Statuses, from nothing to do to nothing that can be done in this program.
const (
	// StatusOK: the program already uses the right settings.
	StatusOK Status = "ok"
	// StatusCheck: the program's settings are unknown; compare them with
	// the steps.
	StatusCheck Status = "check"
	// StatusChange: change the settings as the steps say.
	StatusChange Status = "change"
	// StatusBlocked: the right port does not answer from this network, so
	// switching now would break the mail; the network comes first.
	StatusBlocked Status = "blocked"
	// StatusUnsupported: this program or system cannot reach the server
	// any more, whatever its settings.
	StatusUnsupported Status = "unsupported"
)

// Step is one thing to do or know, as a translation key and its
// arguments; Text is filled in by Localize.
type Step struct {
	Key  string            `json:"key"`
	Args map[string]string `json:"args,omitempty"`
	Text string            `json:"text,omitempty"`
}

// Section groups steps under a heading ("fix.section.<id>").
type Section struct {
	ID    string `json:"id"`
	Title string `json:"title,omitempty"`
	Steps []Step `json:"steps"`
}

// Section ids, in the order a plan lists them.
const (
	SecUnsupported = "unsupported"
	SecOK          = "ok"
	SecBefore      = "before"
	SecSystem      = "system"
	SecHostname    = "hostname"
	SecChange      = "change"
	SecPassword    = "password"
	SecSent        = "sent"
	SecDuplicates  = "duplicates"
	SecNetwork     = "network"
	SecWebmail     = "webmail"
)

// Exports a plan can offer (see fix/export).
const (
	ExportCard         = "card"
	ExportAutoconfig   = "autoconfig"
	ExportMobileconfig = "mobileconfig"
	ExportReg          = "reg"
)

// Plan is what to do for one account in one program.
type Plan struct {
	Email string `json:"email"`
	Card  Card   `json:"card"`
	// ClientName is the program's name in the plan's language (Localize).
	ClientName string   `json:"client_name,omitempty"`
	Status     Status   `json:"status"`
	Settings   Settings `json:"settings"`
	// Incoming and Outgoing are the servers the steps set.
	Incoming *server.Endpoint `json:"incoming,omitempty"`
	Outgoing *server.Endpoint `json:"outgoing,omitempty"`
	// Version is the program's version, if known.
	Version string `json:"version,omitempty"`
	// Current is the account as the program holds it, if known.
	Current  *clients.Account `json:"current,omitempty"`
	Sections []Section        `json:"sections"`
	Webmail  string           `json:"webmail,omitempty"`
	// Automatic is true when "maildoctor fix --apply" can make the change.
	Automatic bool     `json:"automatic"`
	Exports   []string `json:"exports"`
}

// ErrNoServers means there is nothing to recommend: no implicit-TLS
// server is known for the address.
var ErrNoServers = errors.New("no mail servers are known for this address")

// Build makes the plan. It fails only on an address that is not one and
// when no server is known.
func Build(in Input) (*Plan, error) {
	if _, _, err := discover.SplitAddress(in.Email); err != nil {
		return nil, err
	}
	owns := owner(strings.TrimSpace(in.Email), in.Builtin)
	s := settingsFor(in.Email, in.Servers, in.Findings, owns)
	if s.Empty() {
		return nil, ErrNoServers
	}
	s.Webmail, s.Provider = in.Webmail, in.Provider
	p := &Plan{Email: s.Email, Card: Other, Settings: s, Current: in.Account, Webmail: in.Webmail}
	if in.Client != nil {
		p.Card, p.Version = CardFor(in.Client.ID, in.Client.Version), in.Client.Version
	}
	p.Incoming, p.Outgoing = incomingFor(s, in.Account), s.SMTP
	b := &builder{in: in, p: p, owns: owns}
	b.decideHosts()
	p.Status = b.status()
	b.sections()
	p.Automatic = b.automatic()
	p.Exports = []string{ExportCard, ExportAutoconfig, ExportMobileconfig}
	if b.has(SecSystem) {
		p.Exports = append(p.Exports, ExportReg)
	}
	return p, nil
}

// incomingFor keeps the account's protocol (a POP3 user switched to IMAP
// would see every folder change), else prefers IMAP.
func incomingFor(s Settings, a *clients.Account) *server.Endpoint {
	if a != nil && a.Incoming != nil {
		if ep := s.For(a.Incoming.Protocol); ep != nil && a.Incoming.Protocol != server.SMTP {
			return ep
		}
	}
	if s.IMAP != nil {
		return s.IMAP
	}
	return s.POP3
}

type builder struct {
	in Input
	p  *Plan
	// hostChanges are the server names the plan changes (decideHosts).
	hostChanges []hostChange
	// owns: trust rules 1-2 for the address (owner).
	owns func(string) bool
}

func (b *builder) status() Status {
	switch {
	case b.p.Card.Unsupported(), b.systemTooOld(), b.in.Compat == compat.Unsupported:
		return StatusUnsupported
	case b.blocked(b.p.Incoming) || b.blocked(b.p.Outgoing):
		return StatusBlocked
	case b.in.Account == nil && !finding.Has(b.in.Findings, finding.StartTLSInUse):
		return StatusCheck
	case b.in.Account == nil:
		return StatusChange
	case b.differs(b.in.Account.Incoming, b.p.Incoming), b.differs(b.in.Account.Outgoing, b.p.Outgoing),
		finding.Has(b.in.Findings, finding.StartTLSInUse), finding.Has(b.in.Findings, finding.AccountPlaintext),
		finding.Has(b.in.Findings, finding.AccountAutoSecurity), finding.Has(b.in.Findings, finding.AccountHostMismatch):
		return StatusChange
	}
	return StatusOK
}

// blocked: implicit TLS for the protocol does not answer from here while
// STARTTLS does (implicit.unavailable).
func (b *builder) blocked(ep *server.Endpoint) bool {
	return ep != nil && b.finding(finding.ImplicitUnavailable, ep.Protocol) != nil
}

// finding returns the first finding with the id about protocol p (by its
// "protocol" argument), or nil.
func (b *builder) finding(id string, p server.Protocol) *finding.Finding {
	for i, f := range b.in.Findings {
		if f.ID == id && strings.EqualFold(f.Args["protocol"], string(p)) {
			return &b.in.Findings[i]
		}
	}
	return nil
}

// systemTooOld: the system's own TLS cannot reach the server, and the
// program relies on it (Thunderbird brings its own TLS, and is the way out
// the provider recommends on Windows XP).
func (b *builder) systemTooOld() bool {
	return tooOld(b.in.System) && (cards[b.p.Card].schannel || b.p.Card == Other)
}

// differs compares what the program uses with the right setting; the
// host is the one decideHosts chose, which keeps the customer's own name
// for the server where it can.
func (b *builder) differs(cur *clients.Server, want *server.Endpoint) bool {
	if cur == nil || want == nil {
		return false
	}
	return cur.Port != want.Port || cur.Security != want.Security || !strings.EqualFold(cur.Host, want.Host)
}

func (b *builder) has(id string) bool {
	for _, s := range b.p.Sections {
		if s.ID == id {
			return true
		}
	}
	return false
}

func (b *builder) add(id string, steps ...Step) {
	if len(steps) > 0 {
		b.p.Sections = append(b.p.Sections, Section{ID: id, Steps: steps})
	}
}

func step(key string, kv ...string) Step {
	return Step{Key: key, Args: finding.Args(kv...)}
}

// clientStep is a step of the program's card; every one may name the
// user name as {{.user}}.
func (b *builder) clientStep(part string, kv ...string) Step {
	return step("fix.client."+string(b.p.Card)+"."+part, append(kv, "user", b.p.Settings.Username)...)
}

// sections lists what to do in the order to do it: what to expect, then
// Windows' TLS switch (the program cannot connect before it), then the
// program's settings, then what may follow.
func (b *builder) sections() {
	switch b.p.Status {
	case StatusUnsupported:
		b.add(SecUnsupported, b.unsupported()...)
	case StatusOK:
		b.add(SecOK, step("fix.ok"))
		b.add(SecSystem, b.system()...)
	case StatusBlocked:
		b.add(SecSystem, b.system()...)
	case StatusChange, StatusCheck:
		b.add(SecBefore, b.before()...)
		b.add(SecSystem, b.system()...)
		b.add(SecHostname, b.hostname()...)
		b.add(SecChange, b.change()...)
	}
	if b.p.Status != StatusUnsupported {
		b.add(SecPassword, b.password()...)
		b.add(SecSent, b.sent()...)
		b.add(SecDuplicates, b.duplicates()...)
	}
	b.add(SecNetwork, b.network()...)
	if b.p.Status == StatusUnsupported || b.p.Status == StatusBlocked {
		b.add(SecWebmail, b.webmail())
	}
}

func (b *builder) unsupported() []Step {
	var out []Step
	switch {
	case b.p.Card.Unsupported():
		out = append(out, step("fix.unsupported.client"), step("fix.unsupported.way_out_client"))
	case b.systemTooOld():
		out = append(out, step("fix.unsupported.system", "system", systemName(b.in.System)), step("fix.unsupported.way_out_system"))
	default:
		out = append(out, step("fix.unsupported.compat", "system", systemName(b.in.System)), step("fix.unsupported.way_out_client"))
	}
	return out
}

// before: the after-effects, said before they surprise.
func (b *builder) before() []Step {
	out := []Step{step("fix.before.password")}
	if in := b.p.Incoming; in != nil && in.Protocol == server.POP3 {
		out = append(out, step("fix.before.duplicates"))
	}
	if in := b.p.Incoming; in != nil && in.Protocol == server.IMAP {
		out = append(out, step("fix.before.sent"))
	}
	return out
}

// hostname says why a server name changes: the certificate's name, or
// the provider's server in place of a name it does not answer for. With
// no account, the certificate's renames of the discovered servers.
func (b *builder) hostname() []Step {
	var out []Step
	for _, c := range b.hostChanges {
		key := "fix.hostname.provider"
		if c.renamed {
			key = "fix.hostname.rename"
		}
		out = append(out, step(key, "protocol", c.protocol.Name(), "from", c.from, "to", c.to))
	}
	if b.in.Account != nil {
		return out
	}
	for _, ep := range []*server.Endpoint{b.p.Incoming, b.p.Outgoing} {
		if ep == nil {
			continue
		}
		for from, to := range b.p.Settings.Renamed {
			if to == ep.Host {
				out = append(out, step("fix.hostname.rename", "protocol", ep.Protocol.Name(), "from", from, "to", to))
			}
		}
	}
	return out
}

func (b *builder) change() []Step {
	var out []Step
	if b.automatic() {
		out = append(out, step("fix.automatic", "program", b.in.program()))
	}
	out = append(out, b.clientStep("open"))
	if in := b.p.Incoming; in != nil {
		out = append(out, b.clientStep("incoming", "protocol", in.Protocol.Name(), "host", in.Host,
			"port", strconv.Itoa(in.Port)))
	}
	if outg := b.p.Outgoing; outg != nil {
		out = append(out,
			b.clientStep("outgoing", "host", outg.Host, "port", strconv.Itoa(outg.Port)),
			b.clientStep("smtp_auth"))
	}
	return append(out, b.clientStep("save"))
}

func (b *builder) password() []Step {
	var out []Step
	if f, ok := finding.First(b.in.Findings, finding.AuthFailed); ok {
		out = append(out, step("fix.password.failed", "user", b.p.Settings.Username))
		if f.HasFlag(finding.ArgSpaces) {
			out = append(out, step("fix.password.spaces"))
		}
		out = append(out, b.clientStep("password"))
	}
	return out
}

func (b *builder) sent() []Step {
	in := b.p.Incoming
	if in == nil || in.Protocol != server.IMAP {
		return nil
	}
	noFolder := finding.Has(b.in.Findings, finding.IMAPNoSentFolder)
	if !noFolder && b.p.Status != StatusChange && b.p.Status != StatusCheck {
		return nil
	}
	var out []Step
	if noFolder {
		out = append(out, step("fix.sent.no_folder"))
	}
	return append(out, b.clientStep("sent"))
}

func (b *builder) duplicates() []Step {
	in := b.p.Incoming
	if in == nil || in.Protocol != server.POP3 {
		return nil
	}
	noUIDL := finding.Has(b.in.Findings, finding.POP3NoUIDL)
	if !noUIDL && b.p.Status != StatusChange && b.p.Status != StatusCheck {
		return nil
	}
	out := []Step{step("fix.duplicates.spot")}
	if noUIDL {
		out = append(out, step("fix.duplicates.no_uidl"))
	}
	return out
}

// system: Windows 7 and 8 need TLS 1.1/1.2 switched on for programs that
// use Windows' own TLS. The order is compat's (detect/compat
// windows_tls12.go): the SChannel keys that mail needs first, then
// KB3140245, which only Exchange and Autodiscover need.
func (b *builder) system() []Step {
	var out []Step
	if needsTLS12Switch(b.in.System) && (cards[b.p.Card].schannel || b.in.Compat == compat.NeedsAction) {
		out = append(out,
			step("fix.system.tls12", "system", systemName(b.in.System)),
			step("fix.system.reg"),
			step("fix.system.update"))
	}
	return append(out, b.programUpdates()...)
}

// programUpdates are the updates of the program itself that compat asks
// for when the program works after a change (Outlook 2010: all the Office
// 2010 updates), in compat's words.
func (b *builder) programUpdates() []Step {
	if b.in.Compat != compat.NeedsAction {
		return nil
	}
	var out []Step
	for _, a := range b.in.CompatActions {
		if a.Kind == compat.ActionClientUpdate {
			out = append(out, Step{Key: a.Key, Args: a.Args})
		}
	}
	return out
}

func (b *builder) network() []Step {
	var out []Step
	for _, ep := range []*server.Endpoint{b.p.Incoming, b.p.Outgoing} {
		if ep == nil {
			continue
		}
		if f := b.finding(finding.ImplicitUnavailable, ep.Protocol); f != nil {
			out = append(out, step("fix.network.blocked", "protocol", ep.Protocol.Name(),
				"port", f.Args["port"], "starttls_port", f.Args["starttls_port"]))
		}
	}
	if f, ok := finding.First(b.in.Findings, finding.CertIntercepted); ok {
		out = append(out, step("fix.network.antivirus", "vendor", f.Args["vendor"]))
	}
	if finding.Has(b.in.Findings, finding.ClockSkew) {
		out = append(out, step("fix.network.clock"))
	}
	return out
}

func (b *builder) webmail() Step {
	if b.p.Webmail == "" {
		return step("fix.webmail.unknown")
	}
	return step("fix.webmail.open", "url", b.p.Webmail)
}
