package check

import (
	"context"
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

type loginPlan struct {
	proto server.Protocol
	res   *probe.Result
	user  string
}

// loginAll makes at most one login per protocol, only over verified TLS,
// and none after the first failure: providers lock an address after a few
// wrong passwords, and a diagnostic must not be what locks the customer
// out. The first login runs alone; once the password is known to be right
// the others run together.
func loginAll(ctx context.Context, results []*probe.Result, servers []discover.Server, opt Options, popt probe.Options) []finding.Finding {
	if opt.Password == nil {
		return []finding.Finding{finding.New("auth.skipped", finding.Info, "", "reason", skipNoPassword)}
	}
	var fs []finding.Finding
	pass := *opt.Password
	if strings.TrimSpace(pass) != pass {
		fs = append(fs, finding.New("auth.password_spaces", finding.Warn, ""))
	}
	pol := opt.Trust
	var plans []loginPlan
	for _, p := range server.Protocols {
		res, reason := loginEndpoint(results, p)
		if res == nil {
			if any := firstOf(results, p); any != nil && reason != skipNoMechanism {
				fs = append(fs, skipped(any.Addr(), reason, p))
			}
			continue
		}
		if pol.Decide(res.Host) == trust.Untrusted {
			fs = append(fs, notTrusted(res, servers))
			continue
		}
		plans = append(plans, loginPlan{proto: p, res: res, user: userFor(servers, res.Endpoint, opt.Email)})
	}
	if len(plans) == 0 {
		return fs
	}
	first := plans[0]
	if err := probe.Login(ctx, first.res, probe.Credentials{User: first.user, Password: pass}, popt); err != nil {
		for _, p := range plans[1:] {
			fs = append(fs, skipped(p.res.Addr(), skipAfterFailure, p.proto))
		}
		return fs
	}
	var wg sync.WaitGroup
	for _, p := range plans[1:] {
		wg.Add(1)
		go func(p loginPlan) {
			defer wg.Done()
			_ = probe.Login(ctx, p.res, probe.Credentials{User: p.user, Password: pass}, popt)
		}(p)
	}
	wg.Wait()
	return fs
}

// loginEndpoint picks where a protocol's login goes: implicit TLS first
// (the future), STARTTLS if that is all that verified; only TLS 1.2 or
// newer, and for submission only a server that offers a mechanism the
// probe speaks. Without one it says why.
func loginEndpoint(results []*probe.Result, p server.Protocol) (*probe.Result, string) {
	reason := skipNotVerified
	for _, sec := range []server.Security{server.TLS, server.StartTLS} {
		for _, r := range results {
			if r.Protocol != p || r.Security != sec || !r.Secure() {
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
	return r.TLS != nil && (r.TLS.Negotiated == "1.2" || r.TLS.Negotiated == "1.3")
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
	return finding.New("auth.skipped", finding.Info, addr, "reason", reason, "protocol", strings.ToUpper(string(p)))
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
	return finding.New("auth.host_not_trusted", finding.Warn, res.Addr(),
		"host", res.Host, "host_unicode", discover.UnicodeHost(res.Host),
		"protocol", strings.ToUpper(string(res.Protocol)), "source", src)
}

func firstOf(results []*probe.Result, p server.Protocol) *probe.Result {
	for _, r := range results {
		if r.Protocol == p {
			return r
		}
	}
	return nil
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
