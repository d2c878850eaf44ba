package discover

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"

	"maildoctor.app/maildoctor/detect/server"
)

// autoconfig fetches the domain's own config-v1.1.xml, from the two
// places the autoconfig draft names, over https only. Redirects may only
// move between those two hosts: anything else would let a web server send
// the customer's password somewhere the domain did not vouch for.
func (l *lookup) autoconfig(ctx context.Context) *finding {
	d := l.addr.domain
	urls := []string{
		"https://autoconfig." + d + "/mail/config-v1.1.xml?emailaddress=" + url.QueryEscape(l.addr.email),
		"https://" + d + "/.well-known/autoconfig/mail/config-v1.1.xml",
	}
	client := restrictRedirects(l.client, []string{"autoconfig." + d, d})
	p, tried := l.fetchFirst(ctx, client, urls)
	f := newFinding(SourceAutoconfig)
	if p != nil {
		f = profileFinding(p, l.addr, SourceAutoconfig, SourceAutoconfig)
	}
	f.tried = tried
	return f
}

// fetchFirst fetches all urls at once and returns the profile of the
// first one in order that has one, without waiting for the later ones.
func (l *lookup) fetchFirst(ctx context.Context, client *http.Client, urls []string) (*Profile, []Attempt) {
	ctx, cancel := context.WithTimeout(ctx, l.step)
	defer cancel() // stops the fetches no longer needed
	type answer struct {
		profile *Profile
		tried   Attempt
	}
	answers := make([]chan answer, len(urls))
	for i, u := range urls {
		answers[i] = make(chan answer, 1) // buffered: an abandoned fetch never blocks
		go func(out chan<- answer, u string) {
			p, a := l.fetchAutoconfig(ctx, client, u)
			out <- answer{p, a}
		}(answers[i], u)
	}
	var tried []Attempt
	for _, c := range answers {
		a := <-c
		tried = append(tried, a.tried)
		if a.profile != nil {
			return a.profile, tried
		}
	}
	return nil, tried
}

func (l *lookup) fetchAutoconfig(ctx context.Context, client *http.Client, u string) (*Profile, Attempt) {
	start := l.now()
	a := Attempt{Method: SourceAutoconfig, Target: u}
	p, outcome := l.readAutoconfig(ctx, client, u)
	a.Outcome, a.Elapsed = outcome, l.now().Sub(start)
	return p, a
}

func (l *lookup) readAutoconfig(ctx context.Context, client *http.Client, u string) (*Profile, string) {
	data, err := fetch(ctx, client, u)
	if err != nil {
		if errors.Is(err, errHTTPStatus) {
			return nil, "not published: " + strings.TrimPrefix(err.Error(), "fetching "+u+": ")
		}
		return nil, "failed: " + err.Error()
	}
	p, err := ParseProfile(data)
	if err != nil {
		return nil, "ignored: " + err.Error()
	}
	if !p.Covers(l.addr.domain) {
		return nil, fmt.Sprintf("ignored: the file is for %s, not %s", strings.Join(p.Domains, ", "), l.addr.domain)
	}
	return p, "found " + profileName(p)
}

// srvService maps an RFC 6186 / RFC 8314 service name to what it offers.
type srvService struct {
	name     string
	protocol server.Protocol
	security server.Security
}

func srvServices() []srvService {
	return []srvService{
		{"imaps", server.IMAP, server.TLS},
		{"imap", server.IMAP, server.StartTLS},
		{"pop3s", server.POP3, server.TLS},
		{"pop3", server.POP3, server.StartTLS},
		{"submissions", server.SMTP, server.TLS},
		{"submission", server.SMTP, server.StartTLS},
	}
}

// srvAnswer is one SRV lookup's outcome: a server, "not offered" (target
// "."), or nothing usable.
type srvAnswer struct {
	server     *Server
	notOffered bool
	targets    []srvTarget
	tried      Attempt
}

// srv looks up the RFC 6186 records. A protocol with a record for one
// security only also gets the other on the same host, like a profile; a
// target of "." is the domain saying "not here", which is respected.
func (l *lookup) srv(ctx context.Context) *finding {
	ctx, cancel := context.WithTimeout(ctx, l.step)
	defer cancel()
	services := srvServices()
	answers := make([]srvAnswer, len(services))
	l.parallel(len(services), func(i int) { answers[i] = l.lookupSRV(ctx, services[i]) })
	f := newFinding(SourceSRV)
	for _, a := range answers {
		f.tried = append(f.tried, a.tried)
		for _, t := range a.targets {
			f.allowed = append(f.allowed, t.host)
		}
	}
	for _, p := range server.Protocols {
		var list []Server
		closed := false
		for i, s := range services {
			if s.protocol != p {
				continue
			}
			if answers[i].server != nil {
				list = append(list, *answers[i].server)
			}
			closed = closed || answers[i].notOffered
		}
		switch {
		case len(list) > 0:
			f.servers[p] = srvPair(p, list, closed)
		case closed:
			f.closed[p] = true
		}
	}
	return f
}

// srvPair is pairUp, except that a security the domain marked "not
// offered" is not added back.
func srvPair(p server.Protocol, list []Server, someClosed bool) []Server {
	if len(list) == 2 || !someClosed {
		return pairUp(p, list)
	}
	return list
}

func (l *lookup) lookupSRV(ctx context.Context, s srvService) srvAnswer {
	start := l.now()
	_, recs, err := l.resolver.LookupSRV(ctx, s.name, "tcp", l.addr.domain)
	a := srvAnswer{tried: Attempt{
		Method:  SourceSRV,
		Target:  "_" + s.name + "._tcp." + l.addr.domain,
		Elapsed: l.now().Sub(start),
	}}
	if err != nil && len(recs) == 0 {
		a.tried.Outcome = dnsOutcome(err)
		return a
	}
	a.targets, a.notOffered = srvTargets(recs)
	switch {
	case len(a.targets) > 0:
		a.server = &Server{
			Endpoint: server.Endpoint{Protocol: s.protocol, Host: a.targets[0].host, Port: a.targets[0].port, Security: s.security},
			Source:   SourceSRV,
		}
		a.tried.Outcome = "found " + a.server.Addr()
	case a.notOffered:
		a.tried.Outcome = `not offered (target ".")`
	default:
		a.tried.Outcome = "no usable record"
	}
	return a
}

type srvTarget struct {
	host string
	port int
}

// srvTargets lists the usable targets, most preferred first: lowest
// priority, then highest weight. Go's resolver shuffles equal priorities
// by weight; a fixed order keeps repeated checks, and their reports,
// pointing at the same host. dot reports a "." target, which RFC 2782
// uses for "decidedly not available here".
func srvTargets(recs []*net.SRV) (targets []srvTarget, dot bool) {
	recs = append([]*net.SRV(nil), recs...)
	sort.SliceStable(recs, func(i, j int) bool {
		if recs[i] == nil || recs[j] == nil {
			return recs[j] == nil && recs[i] != nil
		}
		if recs[i].Priority != recs[j].Priority {
			return recs[i].Priority < recs[j].Priority
		}
		return recs[i].Weight > recs[j].Weight
	})
	for _, r := range recs {
		if r == nil {
			continue
		}
		if t := strings.TrimSpace(r.Target); t == "." || t == "" {
			dot = true
			continue
		}
		if host, err := hostName(r.Target); err == nil && r.Port != 0 {
			targets = append(targets, srvTarget{host, int(r.Port)})
		}
	}
	return targets, dot && len(targets) == 0
}

// mx looks up the MX records. When the most preferred MX host belongs to
// a provider profile (a customer domain hosted by the provider), that
// profile's servers are used; otherwise that host is tried for all three
// protocols, which is right for the many small providers that run
// everything on one machine.
func (l *lookup) mx(ctx context.Context) *finding {
	ctx, cancel := context.WithTimeout(ctx, l.step)
	defer cancel()
	f := newFinding(SourceMX)
	start := l.now()
	recs, err := l.resolver.LookupMX(ctx, l.addr.domain)
	tried := Attempt{Method: SourceMX, Target: l.addr.domain, Elapsed: l.now().Sub(start)}
	if err != nil && len(recs) == 0 {
		tried.Outcome = dnsOutcome(err)
		f.tried = []Attempt{tried}
		return f
	}
	sort.SliceStable(recs, func(i, j int) bool { return recs[i] != nil && (recs[j] == nil || recs[i].Pref < recs[j].Pref) })
	for _, r := range recs {
		if r == nil {
			continue
		}
		if host, err := hostName(r.Host); err == nil {
			f.allowed = appendUnique(f.allowed, host)
		}
	}
	if len(f.allowed) == 0 {
		// RFC 7505 null MX "." (or nothing usable): the domain takes no mail.
		tried.Outcome = "no usable MX host (the domain may not receive mail)"
		f.tried = []Attempt{tried}
		return f
	}
	top := f.allowed[0]
	if p := l.mxProfile(top); p != nil {
		pf := profileFinding(p, l.addr, SourceMX, SourceProfile)
		pf.allowed = append(f.allowed, pf.allowed...)
		tried.Outcome = fmt.Sprintf("%s belongs to the provider profile %s", top, profileName(p))
		pf.tried = []Attempt{tried}
		return pf
	}
	for _, p := range server.Protocols {
		f.servers[p] = hostServers(p, top, SourceMX)
	}
	tried.Outcome = "found " + top
	f.tried = []Attempt{tried}
	return f
}

// mxProfile returns the last profile the MX host belongs to, the same
// precedence as for a domain.
func (l *lookup) mxProfile(host string) *Profile {
	for i := len(l.profiles) - 1; i >= 0; i-- {
		if p := l.profiles[i]; p != nil && p.hostsMX(host) {
			return p
		}
	}
	return nil
}

// guessNames are the names mail clients try under the domain, best first.
func guessNames(d string) map[server.Protocol][]string {
	return map[server.Protocol][]string{
		server.IMAP: {"imap." + d, "mail." + d, d},
		server.POP3: {"pop." + d, "pop3." + d, "mail." + d, d},
		server.SMTP: {"smtp." + d, "mail." + d, d},
	}
}

// guess resolves the usual names under the domain (and only there, so
// nothing outside the customer's domain is ever tried) and takes, per
// protocol, the first that exists.
func (l *lookup) guess(ctx context.Context) *finding {
	ctx, cancel := context.WithTimeout(ctx, l.step)
	defer cancel()
	cands := guessNames(l.addr.domain)
	var names []string
	for _, p := range server.Protocols {
		for _, n := range cands[p] {
			names = appendUnique(names, n)
		}
	}
	resolves := make([]bool, len(names))
	f := newFinding(SourceGuess)
	f.tried = make([]Attempt, len(names))
	l.parallel(len(names), func(i int) {
		start := l.now()
		addrs, err := l.resolver.LookupHost(ctx, names[i])
		resolves[i] = len(addrs) > 0
		outcome := "resolves to " + strings.Join(addrs, ", ")
		if !resolves[i] {
			outcome = dnsOutcome(err)
		}
		f.tried[i] = Attempt{Method: SourceGuess, Target: names[i], Outcome: outcome, Elapsed: l.now().Sub(start)}
	})
	for _, p := range server.Protocols {
		for _, n := range cands[p] {
			if resolves[indexOf(names, n)] {
				f.servers[p] = hostServers(p, n, SourceGuess)
				break
			}
		}
	}
	return f
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// parallel runs fn(0..n-1) at once and waits for all: DNS answers come
// faster together than one after another.
func (l *lookup) parallel(n int, fn func(i int)) {
	var wg sync.WaitGroup
	wg.Add(n)
	for i := 0; i < n; i++ {
		go func(i int) {
			defer wg.Done()
			fn(i)
		}(i)
	}
	wg.Wait()
}

// dnsOutcome words a failed lookup for the technical details.
func dnsOutcome(err error) string {
	var dnsErr *net.DNSError
	switch {
	case err == nil:
		return "no answer"
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return "no record"
	case errors.As(err, &dnsErr) && dnsErr.IsTimeout, errors.Is(err, context.DeadlineExceeded):
		return "timed out"
	}
	return "failed: " + err.Error()
}
