package check

import (
	"context"
	"strings"
	"sync"

	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/probe"
	"maildoctor.app/maildoctor/detect/server"
)

// Reasons a login was skipped, as the auth.skipped finding's "reason".
const (
	skipNoPassword   = "no_password"
	skipNotVerified  = "not_verified"
	skipAfterFailure = "after_failure"
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
	var plans []loginPlan
	for _, p := range server.Protocols {
		res := loginEndpoint(results, p)
		if res == nil {
			if any := firstOf(results, p); any != nil {
				fs = append(fs, finding.New("auth.skipped", finding.Info, any.Addr(), "reason", skipNotVerified, "protocol", strings.ToUpper(string(p))))
			}
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
			fs = append(fs, finding.New("auth.skipped", finding.Info, p.res.Addr(), "reason", skipAfterFailure, "protocol", strings.ToUpper(string(p.proto))))
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
// (the future), STARTTLS if that is all that verified.
func loginEndpoint(results []*probe.Result, p server.Protocol) *probe.Result {
	for _, sec := range []server.Security{server.TLS, server.StartTLS} {
		for _, r := range results {
			if r.Protocol == p && r.Security == sec && r.Secure() {
				return r
			}
		}
	}
	return nil
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
