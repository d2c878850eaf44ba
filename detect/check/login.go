package check

import (
	"context"
	"errors"
	"strings"
	"sync"

	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/probe"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/detect/trust"
)

// Reasons a login was skipped, as the auth.skipped finding's "reason".
const (
	skipNoPassword   = "no_password"
	skipNotVerified  = "not_verified"
	skipAfterFailure = "after_failure"
	// skipOldTLS: the endpoint verified but speaks nothing newer than
	// TLS 1.1, which no password travels over.
	skipOldTLS = "old_tls"
	// skipNoMechanism: the submission server offers no AUTH PLAIN or LOGIN
	// after TLS, so it never asked for a password.
	skipNoMechanism = "no_mechanism"
)

// loginAll makes at most one login per protocol, only over verified TLS,
// and none after the first failure: providers lock an address after a few
// wrong passwords, and a diagnostic must not be what locks the customer
// out. The first login runs alone; once the password is known to be right
// the others run together.
//
// wait(i) is the finished probe of servers[i]. Each protocol's login
// starts as soon as the probes that decide where it goes are done: the
// first does not wait for the other protocols' probes, nor for a STARTTLS
// endpoint when the implicit-TLS one qualifies.
func loginAll(ctx context.Context, servers []discover.Server, wait func(int) *probe.Result, opt Options, popt probe.Options) []finding.Finding {
	if opt.Password == nil {
		return []finding.Finding{finding.New(finding.AuthSkipped, finding.Info, "", "reason", skipNoPassword)}
	}
	var fs []finding.Finding
	pass := *opt.Password
	if strings.TrimSpace(pass) != pass {
		fs = append(fs, finding.New(finding.AuthPasswordSpaces, finding.Warn, ""))
	}
	pol := opt.Trust
	// The first login runs alone. The others open their connections at
	// once but send the password only after it succeeded (Proceed); after
	// a refusal they send nothing.
	var (
		wg       sync.WaitGroup
		first    = true
		firstOK  bool
		firstEnd = make(chan struct{})
		after    = make([]*finding.Finding, len(server.Protocols))
	)
	proceed := func() bool {
		<-firstEnd
		return firstOK
	}
	for n, p := range server.Protocols {
		res, reason := loginEndpoint(servers, wait, p)
		if res == nil {
			if i := firstIndexOf(servers, p); i >= 0 && reason != skipNoMechanism {
				fs = append(fs, skipped(wait(i).Addr(), reason, p))
			}
			continue
		}
		if pol.Decide(res.Host) == trust.Untrusted {
			fs = append(fs, notTrusted(res, servers))
			continue
		}
		cred := probe.Credentials{User: userFor(servers, res.Endpoint, opt.Email), Password: pass}
		wg.Add(1)
		if first {
			first = false
			go func(res *probe.Result) {
				defer wg.Done()
				firstOK = probe.Login(ctx, res, cred, popt) == nil
				close(firstEnd)
			}(res)
			continue
		}
		cred.Proceed = proceed
		go func(n int, res *probe.Result, p server.Protocol) {
			defer wg.Done()
			if errors.Is(probe.Login(ctx, res, cred, popt), probe.ErrNotSent) {
				f := skipped(res.Addr(), skipAfterFailure, p)
				after[n] = &f
			}
		}(n, res, p)
	}
	wg.Wait()
	for _, f := range after {
		if f != nil {
			fs = append(fs, *f)
		}
	}
	return fs
}

// loginEndpoint picks where a protocol's login goes: implicit TLS first
// (the future), STARTTLS if that is all that verified; only TLS 1.2 or
// newer, and for submission only a server that offers a mechanism the
// probe speaks. Without one it says why. It waits only for the probes it
// needs, in that order.
func loginEndpoint(servers []discover.Server, wait func(int) *probe.Result, p server.Protocol) (*probe.Result, string) {
	reason := skipNotVerified
	for _, sec := range []server.Security{server.TLS, server.StartTLS} {
		for i, s := range servers {
			// A probe may turn an implicit-TLS endpoint into STARTTLS (a
			// typed port that speaks plain text), never the other way.
			if s.Protocol != p || sec == server.TLS && s.Security != server.TLS {
				continue
			}
			r := wait(i)
			if r.Security != sec || !r.Secure() {
				continue
			}
			switch {
			case !modernTLS(r):
				reason = skipOldTLS
			case p == server.SMTP && !offersLogin(r):
				reason = skipNoMechanism
			default:
				return r, ""
			}
		}
	}
	return nil, reason
}

// modernTLS reports whether the endpoint agreed TLS 1.2 or newer; the
// login connection itself refuses anything older (probe.Login).
func modernTLS(r *probe.Result) bool {
	if r.TLS == nil {
		return false
	}
	v, err := server.ParseTLSVersion(r.TLS.Negotiated)
	return err == nil && v.Known() && v.AtLeast(server.TLS12)
}

// offersLogin reports whether a submission server announced, over TLS, a
// SASL mechanism the probe uses. One that announced none never asked for
// a password, so it is not given one (smtp.auth_not_offered says so).
func offersLogin(r *probe.Result) bool {
	for _, m := range r.AuthMechanisms {
		if m == "PLAIN" || m == "LOGIN" {
			return true
		}
	}
	return false
}

func skipped(addr, reason string, p server.Protocol) finding.Finding {
	return finding.New(finding.AuthSkipped, finding.Info, addr, "reason", reason, "protocol", p.Name())
}

// notTrusted is the finding for an endpoint that was probed but not given
// the password because the trust rule does not cover its host: it names
// the host in both forms and where it came from, so the app can offer
// "trust this host and test".
func notTrusted(res *probe.Result, servers []discover.Server) finding.Finding {
	src := ""
	for _, s := range servers {
		if s.Endpoint == res.Endpoint {
			src = string(s.Source)
		}
	}
	return finding.New(finding.AuthHostNotTrusted, finding.Warn, res.Addr(),
		"host", res.Host, "host_unicode", discover.UnicodeHost(res.Host),
		"protocol", res.Protocol.Name(), "source", src)
}

func firstIndexOf(servers []discover.Server, p server.Protocol) int {
	for i, s := range servers {
		if s.Protocol == p {
			return i
		}
	}
	return -1
}

// userFor is the login name the profile gives for that server, else the
// whole address (what nearly every provider expects).
func userFor(servers []discover.Server, ep server.Endpoint, email string) string {
	for _, s := range servers {
		if s.Endpoint == ep && s.Username != "" {
			return s.Username
		}
	}
	return strings.TrimSpace(email)
}
