// Package check is the account check: it finds an address's servers
// (detect/discover), probes every endpoint at once (detect/probe), makes the
// one login per protocol the customer-protection rules allow, and turns it
// all into one Report of findings with a verdict.
package check

import (
	"context"
	"crypto/x509"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/probe"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/detect/trust"
)

// Options describe one check. Password is nil when the user gave none:
// then no login is tried.
type Options struct {
	Email    string
	Password *string
	// Manual holds --imap/--pop3/--smtp "HOST[:PORT]" overrides.
	Manual  map[server.Protocol]string
	Resolve map[string]string
	// Profiles steer discovery (the built-in one first, then a --profile
	// or a link's); they do not decide who gets the password: Trust does.
	Profiles []*discover.Profile
	// Trust says which hosts may be given the password (the built-in
	// profile, the hosts the user typed or confirmed); Run fills in the
	// address's domain. Every other host is probed without it.
	Trust trust.Policy
	// Deadline bounds the whole check (default DefaultDeadline), on top
	// of Timeout for each step.
	Deadline time.Duration
	// Timeout bounds each connection step (default probe.DefaultTimeout).
	Timeout  time.Duration
	Roots    *x509.CertPool
	Resolver discover.Resolver
	HTTP     *http.Client
	Now      func() time.Time
	// Progress, if set, hears about every finished step, from several
	// goroutines at once.
	Progress func(server.Endpoint, probe.Step)
	// EarlyVerdict, if set, hears the account's verdict once, before Run
	// returns, as soon as it can no longer change: every login is done
	// and what still runs are version sweeps of endpoints that agreed
	// TLS 1.2 or newer, which can add only information (decided).
	EarlyVerdict func(Verdict)
}

// Discovery is the part of the report that says where the servers came
// from.
type Discovery struct {
	Source  discover.Source    `json:"source"`
	Domain  string             `json:"domain"`
	Hosts   map[string]string  `json:"hosts"`
	Servers []discover.Server  `json:"servers"`
	Tried   []discover.Attempt `json:"tried,omitempty"`
	Profile string             `json:"profile,omitempty"`
	Allowed []string           `json:"allowed,omitempty"`
	Webmail string             `json:"webmail,omitempty"`
}

// Report is the whole outcome of a check. Nothing secret is in it.
type Report struct {
	Email     string            `json:"email"`
	StartedAt time.Time         `json:"started_at"`
	Discovery Discovery         `json:"discovery"`
	Endpoints []*probe.Result   `json:"endpoints"`
	Findings  []finding.Finding `json:"findings"`
	Verdict   Verdict           `json:"verdict"`
	ElapsedMS int64             `json:"elapsed_ms"`
}

// Run checks the account. The error is only for input that cannot be
// checked at all (not an e-mail address, a bad override); everything the
// servers do wrong is a finding in the report.
func Run(ctx context.Context, opt Options) (*Report, error) {
	start := time.Now()
	deadline := start.Add(opt.deadline())
	ctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	rep := &Report{Email: strings.TrimSpace(opt.Email), StartedAt: start.UTC()}
	found, err := discover.Find(ctx, opt.Email, discover.Options{
		Profiles: opt.Profiles,
		Resolver: opt.Resolver,
		HTTP:     opt.HTTP,
		Manual:   opt.Manual,
	})
	if err != nil {
		return nil, err
	}
	rep.Discovery = describeDiscovery(found)
	// The address's own domain is trusted (rule 2), in the form discovery
	// normalised it to.
	opt.Trust.Domain = found.Domain
	servers := withCounterparts(found.Servers)
	var global []finding.Finding
	if len(servers) == 0 {
		global = append(global, finding.New(finding.DiscoveryNothingFound, finding.Fail, "", "domain", found.Domain))
	}
	forms := secretForms(opt, servers)
	popt := probe.Options{Timeout: opt.Timeout, Roots: opt.Roots, Resolve: opt.Resolve, Now: opt.Now, Progress: scrubbedProgress(opt.Progress, forms)}
	// A certificate may suggest another of its names only when rules 1-2
	// own it (trust.Policy.Owns): typed and confirmed hosts are the
	// user's choice for one check, not advice for a mail program.
	popt.Owns = opt.Trust.Owns
	if opt.Resolver != nil {
		popt.Resolver = opt.Resolver
	}
	runs, logins := probeAndLogin(ctx, servers, opt, popt)
	global = append(global, logins...)
	facts := decided(runs)
	global = append(global, crossFindings(facts, opt.Manual)...)
	// The clock, not ctx.Err: steps that end at the deadline may return a
	// moment before the context's own timer marks it done. It is read
	// once the verdict's facts are in: a version sweep the deadline cuts
	// after that loses versions as one its own timeout cuts does, and
	// says so in the versions list, not in the verdict.
	if !time.Now().Before(deadline) {
		global = append(global, finding.New(finding.CheckDeadline, finding.Warn, "", "seconds", strconv.Itoa(int(opt.deadline().Seconds()))))
	}
	if opt.EarlyVerdict != nil {
		settleClosedStartTLS(facts)
		opt.EarlyVerdict(verdict(collect(facts, global)))
	}
	rep.Endpoints = waitAll(runs)
	settleClosedStartTLS(rep.Endpoints)
	rep.Findings = collect(rep.Endpoints, global)
	rep.Verdict = verdict(rep.Findings)
	rep.ElapsedMS = time.Since(start).Milliseconds()
	scrubSecrets(rep, forms)
	return rep, nil
}

func describeDiscovery(r *discover.Result) Discovery {
	d := Discovery{Source: r.Source, Domain: r.Domain, Hosts: map[string]string{}, Servers: r.Servers, Tried: r.Tried, Allowed: r.Allowed}
	for _, s := range r.Servers {
		if _, ok := d.Hosts[string(s.Protocol)]; !ok {
			d.Hosts[string(s.Protocol)] = s.Host
		}
	}
	if r.Profile != nil {
		d.Profile, d.Webmail = r.Profile.ID, r.Profile.Webmail
	}
	return d
}

// withCounterparts adds, for a server given on a standard port, the same
// host on the other standard port, so that a check of "--imap host:143"
// can also say whether 993 would work.
func withCounterparts(in []discover.Server) []discover.Server {
	out := append([]discover.Server(nil), in...)
	have := map[server.Endpoint]bool{}
	for _, s := range in {
		have[s.Endpoint] = true
	}
	for _, s := range in {
		if s.Port != server.DefaultPort(s.Protocol, s.Security) {
			continue
		}
		other := server.StartTLS
		if s.Security == server.StartTLS {
			other = server.TLS
		}
		ep := server.Endpoint{Protocol: s.Protocol, Host: s.Host, Port: server.DefaultPort(s.Protocol, other), Security: other}
		if !have[ep] && !hasProtocolSecurity(out, s.Protocol, other) {
			c := s
			c.Endpoint = ep
			out = append(out, c)
			have[ep] = true
		}
	}
	return out
}

func hasProtocolSecurity(list []discover.Server, p server.Protocol, s server.Security) bool {
	for _, x := range list {
		if x.Protocol == p && x.Security == s {
			return true
		}
	}
	return false
}

// probeAndLogin probes every endpoint at once, in the order of servers,
// and makes the logins; it returns once the logins are done, with their
// findings, while version sweeps may still run. The logins do not wait
// for every probe: each starts as soon as the handshakes that decide
// where it goes are judged (loginAll), not when their version sweeps end.
func probeAndLogin(ctx context.Context, servers []discover.Server, opt Options, popt probe.Options) ([]*probe.Running, []finding.Finding) {
	runs := make([]*probe.Running, len(servers))
	for i, s := range servers {
		runs[i] = probe.Start(ctx, s.Endpoint, popt)
	}
	wait := func(i int) *probe.Result { return runs[i].Early() }
	return runs, loginAll(ctx, servers, wait, opt, popt)
}

// waitAll waits for every probe, logins folded in.
func waitAll(runs []*probe.Running) []*probe.Result {
	out := make([]*probe.Result, len(runs))
	for i, r := range runs {
		out[i] = r.Wait()
	}
	return out
}

// decided returns, once the logins are done, each endpoint's result as
// far as the verdict goes, as soon as that can no longer change: a copy
// taken at the handshake if the endpoint agreed TLS 1.2 or newer (its
// sweep can then only add tls.no_tls13, an info, and the versions list),
// else the finished result. Every one is a copy whose findings may be
// changed without touching the report's.
func decided(runs []*probe.Running) []*probe.Result {
	out := make([]*probe.Result, len(runs))
	for i, run := range runs {
		r := run.Early()
		if !r.Sweeping() || !modernTLS(r) {
			r = run.Wait()
		}
		c := *r
		c.Findings = append([]finding.Finding(nil), r.Findings...)
		out[i] = &c
	}
	return out
}

// collect gathers every finding once, worst first.
func collect(results []*probe.Result, global []finding.Finding) []finding.Finding {
	seen := map[string]bool{}
	var out []finding.Finding
	add := func(f finding.Finding) {
		k := f.ID + "\x00" + f.Endpoint
		if !seen[k] {
			seen[k] = true
			out = append(out, f)
		}
	}
	for _, r := range results {
		for _, f := range r.Findings {
			add(f)
		}
	}
	for _, f := range global {
		add(f)
	}
	finding.Sort(out)
	return out
}

// DefaultDeadline bounds a whole check when Options.Deadline is zero: a
// customer in front of the app, or a script, must get an answer even from
// a network that swallows every packet.
const DefaultDeadline = 60 * time.Second

func (o Options) deadline() time.Duration {
	if o.Deadline > 0 {
		return o.Deadline
	}
	return DefaultDeadline
}

// IsCancelled reports whether the check ended because ctx was cancelled.
func IsCancelled(ctx context.Context) bool {
	return errors.Is(ctx.Err(), context.Canceled)
}
