package discover

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"maildoctor.app/maildoctor/detect/server"
)

// address is an e-mail address split the ways the placeholders need it.
type address struct {
	email  string // as given, trimmed
	local  string // local part as given
	typed  string // domain as given, for user names
	domain string // domain in lower-case ASCII, for host names
}

func newAddress(email, local, domain string) address {
	email = strings.TrimSpace(email)
	return address{email: email, local: local, typed: email[len(local)+1:], domain: domain}
}

// fillHost fills a host name's placeholders; DNS only knows the ASCII
// form of the domain.
func (a address) fillHost(h string) string {
	return fill(h, a.local+"@"+a.domain, a.local, a.domain)
}

// fillUser fills a user name's placeholders with the address as the
// customer typed it, which is what the mailbox was created with.
func (a address) fillUser(u string) string {
	return fill(u, a.email, a.local, a.typed)
}

// finding is what one source found. servers holds, per protocol, the
// endpoints to test; closed marks a protocol the domain says it does not
// offer (SRV target "."), so worse sources must not fill it in either.
type finding struct {
	source  Source // the rank it is trusted at
	label   Source // what its servers are reported as
	servers map[server.Protocol][]Server
	closed  map[server.Protocol]bool
	allowed []string
	tried   []Attempt
	profile *Profile
}

func newFinding(src Source) *finding {
	return &finding{
		source:  src,
		label:   src,
		servers: map[server.Protocol][]Server{},
		closed:  map[server.Protocol]bool{},
	}
}

func (f *finding) answers(p server.Protocol) bool {
	return len(f.servers[p]) > 0 || f.closed[p]
}

// rank orders sources, most trusted first.
func rank(s Source) int {
	switch s {
	case SourceManual:
		return 0
	case SourceProfile:
		return 1
	case SourceAutoconfig:
		return 2
	case SourceSRV:
		return 3
	case SourceMX:
		return 4
	case SourceGuess:
		return 5
	}
	return 6
}

// lookup is one Find call's state, shared read-only by the sources.
type lookup struct {
	settings
	addr address
}

// Find discovers the servers for an e-mail address. It fails only on a bad
// address or override, or when ctx ends; finding nothing is not an error:
// Result.Servers is then empty and Result.Tried says what was looked up.
func Find(ctx context.Context, email string, opt Options) (*Result, error) {
	local, domain, err := SplitAddress(email)
	if err != nil {
		return nil, err
	}
	manual, err := manualServers(opt.Manual)
	if err != nil {
		return nil, err
	}
	l := &lookup{settings: opt.settings(), addr: newAddress(email, local, domain)}
	var found []*finding
	if p := coveringProfile(l.profiles, domain); p != nil {
		f := profileFinding(p, l.addr, SourceProfile, SourceProfile)
		f.tried = []Attempt{{Method: SourceProfile, Target: profileName(p), Outcome: "covers " + domain}}
		found = append(found, f)
	} else if len(manual) < len(server.Protocols) {
		if found, err = l.discover(ctx, manual); err != nil {
			return nil, err
		}
	}
	return assemble(l.addr, manual, found), nil
}

// coveringProfile returns the last profile covering the domain, so one
// given with --profile overrides the embedded default.
func coveringProfile(list []*Profile, domain string) *Profile {
	for i := len(list) - 1; i >= 0; i-- {
		if list[i] != nil && list[i].Covers(domain) {
			return list[i]
		}
	}
	return nil
}

func profileName(p *Profile) string {
	if p.ID != "" {
		return p.ID
	}
	return p.DisplayName
}

type source struct {
	name Source
	run  func(context.Context) *finding
}

// discover runs the network sources at once and collects them until
// every protocol has its best possible answer or the time is up.
func (l *lookup) discover(parent context.Context, manual map[server.Protocol][]Server) ([]*finding, error) {
	ctx, cancel := context.WithTimeout(parent, l.timeout)
	defer cancel()
	sources := []source{
		{SourceAutoconfig, l.autoconfig},
		{SourceSRV, l.srv},
		{SourceMX, l.mx},
		{SourceGuess, l.guess},
	}
	start := l.now()
	ch := make(chan *finding, len(sources)) // buffered: late sources never block
	for _, s := range sources {
		go func(run func(context.Context) *finding) { ch <- run(ctx) }(s.run)
	}
	done := map[Source]*finding{}
wait:
	for len(done) < len(sources) && !settled(sources, done, manual) {
		select {
		case f := <-ch:
			done[f.source] = f
		case <-ctx.Done():
			break wait
		}
	}
	if err := parent.Err(); err != nil {
		return nil, fmt.Errorf("looking up the servers for %s: %w", l.addr.domain, err)
	}
	var found []*finding
	for _, s := range sources {
		if f := done[s.name]; f != nil {
			found = append(found, f)
			continue
		}
		found = append(found, l.unfinished(s.name, ctx.Err() != nil, l.now().Sub(start)))
	}
	return found, nil
}

// unfinished records a source Find stopped waiting for.
func (l *lookup) unfinished(name Source, timedOut bool, elapsed time.Duration) *finding {
	f := newFinding(name)
	outcome := "not waited for: a more trusted source already answered"
	if timedOut {
		outcome = fmt.Sprintf("no answer within %s", l.timeout)
	}
	f.tried = []Attempt{{Method: name, Target: l.addr.domain, Outcome: outcome, Elapsed: elapsed}}
	return f
}

// settled reports whether waiting longer could not change the outcome:
// for each protocol not given by hand, every source more trusted than the
// best one that answered it has finished.
func settled(sources []source, done map[Source]*finding, manual map[server.Protocol][]Server) bool {
	for _, p := range server.Protocols {
		if manual[p] != nil {
			continue
		}
		best := rank("")
		for _, f := range done {
			if f.answers(p) && rank(f.source) < best {
				best = rank(f.source)
			}
		}
		for _, s := range sources {
			if rank(s.name) < best && done[s.name] == nil {
				return false
			}
		}
	}
	return true
}

// assemble picks, per protocol, the manual servers or those of the most
// trusted source that answered, and gathers what was tried and allowed.
func assemble(a address, manual map[server.Protocol][]Server, found []*finding) *Result {
	sort.SliceStable(found, func(i, j int) bool { return rank(found[i].source) < rank(found[j].source) })
	res := &Result{Email: a.email, Domain: a.domain}
	allowed := []string{a.domain}
	used := map[*finding]bool{}
	for _, p := range server.Protocols {
		if m := manual[p]; m != nil {
			res.Servers = append(res.Servers, m...)
			continue
		}
		for _, f := range found {
			if f.answers(p) {
				res.Servers = append(res.Servers, f.servers[p]...)
				used[f] = true
				break
			}
		}
	}
	for _, f := range found {
		allowed = append(allowed, f.allowed...)
		res.Tried = append(res.Tried, f.tried...)
		// found is in rank order, so the first used one is the best.
		if used[f] && res.Source == "" {
			res.Source = f.label
		}
		if res.Profile == nil && (used[f] || f.source == SourceProfile) {
			res.Profile = f.profile
		}
	}
	if res.Source == "" && len(manual) == len(server.Protocols) {
		res.Source = SourceManual
	}
	res.Tried = append(res.Tried, manualAttempts(manual)...)
	for _, s := range res.Servers {
		allowed = append(allowed, s.Host)
	}
	res.Allowed = uniqueSorted(allowed)
	return res
}

func uniqueSorted(list []string) []string {
	sort.Strings(list)
	out := list[:0]
	for i, s := range list {
		if i == 0 || s != list[i-1] {
			out = append(out, s)
		}
	}
	return out
}

// profileFinding turns a profile into servers for an address. label is
// what the servers are reported as, src the rank they are trusted at (a
// provider profile reached through the MX is trusted like the MX).
func profileFinding(p *Profile, a address, src, label Source) *finding {
	f := newFinding(src)
	f.label = label
	if src != SourceAutoconfig {
		f.profile = p
	}
	all := append(append([]Server(nil), p.Incoming...), p.Outgoing...)
	for _, proto := range server.Protocols {
		var list []Server
		for _, s := range all {
			if s.Protocol != proto {
				continue
			}
			host, err := hostName(a.fillHost(s.Host))
			if err != nil {
				continue // a placeholder made it invalid for this address
			}
			s.Host, s.Username, s.Source = host, a.fillUser(s.Username), label
			s.Auth = append([]string(nil), s.Auth...)
			list = append(list, s)
		}
		f.servers[proto] = pairUp(proto, list)
	}
	f.allowed = p.hostsFor(a)
	return f
}

// pairUp picks the first server for implicit TLS and the first for
// STARTTLS, in the profile's order of preference. A missing one is added
// on the other's host with the standard port: the check must test both to
// tell the customer whether STARTTLS still works and whether TLS does.
func pairUp(p server.Protocol, list []Server) []Server {
	if len(list) == 0 {
		return nil
	}
	var tls, starttls *Server
	for i := range list {
		switch {
		case list[i].Security == server.TLS && tls == nil:
			tls = &list[i]
		case list[i].Security == server.StartTLS && starttls == nil:
			starttls = &list[i]
		}
	}
	base := list[0]
	if tls == nil {
		from := base
		if starttls != nil {
			from = *starttls
		}
		tls = counterpart(from, server.TLS)
	}
	if starttls == nil {
		starttls = counterpart(*tls, server.StartTLS)
	}
	return []Server{*tls, *starttls}
}

func counterpart(s Server, sec server.Security) *Server {
	s.Security = sec
	s.Port = server.DefaultPort(s.Protocol, sec)
	s.Auth = append([]string(nil), s.Auth...)
	return &s
}

// hostServers lists a host with both securities on the standard ports,
// for sources that only know a host name.
func hostServers(p server.Protocol, host string, src Source) []Server {
	base := Server{Endpoint: server.Endpoint{Protocol: p, Host: host}, Source: src}
	return []Server{*counterpart(base, server.TLS), *counterpart(base, server.StartTLS)}
}

// manualServers reads the HOST[:PORT] overrides. Without a port both
// securities are tested; with one, the security its port implies, and
// implicit TLS for an unusual port (the prober notices a plain greeting).
func manualServers(m map[server.Protocol]string) (map[server.Protocol][]Server, error) {
	for p := range m {
		if protocolIndex(p) < 0 {
			return nil, fmt.Errorf("server given by hand for unknown protocol %q", p)
		}
	}
	out := map[server.Protocol][]Server{}
	for _, p := range server.Protocols {
		v, ok := m[p]
		if !ok || strings.TrimSpace(v) == "" {
			continue
		}
		host, port, err := server.ParseHostPort(v)
		if err != nil {
			return nil, fmt.Errorf("%s server given by hand: %w", p, err)
		}
		if host, err = hostName(host); err != nil {
			return nil, fmt.Errorf("%s server given by hand: %w", p, err)
		}
		if port == 0 {
			out[p] = hostServers(p, host, SourceManual)
			continue
		}
		sec, known := server.SecurityForPort(p, port)
		if !known {
			sec = server.TLS
		}
		out[p] = []Server{{Endpoint: server.Endpoint{Protocol: p, Host: host, Port: port, Security: sec}, Source: SourceManual}}
	}
	return out, nil
}

func protocolIndex(p server.Protocol) int {
	for i, q := range server.Protocols {
		if p == q {
			return i
		}
	}
	return -1
}

func manualAttempts(manual map[server.Protocol][]Server) []Attempt {
	var out []Attempt
	for _, p := range server.Protocols {
		for _, s := range manual[p] {
			out = append(out, Attempt{Method: SourceManual, Target: string(p), Outcome: "given by hand: " + s.Addr()})
		}
	}
	return out
}
