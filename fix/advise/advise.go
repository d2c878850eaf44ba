// Package advise puts together everything known about an address — the
// last account check, the program that holds the account, this computer,
// the provider profile — and asks fix/plan for the plan. The command line
// ("maildoctor fix") and the app's Fix screen both get their plans here.
package advise

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"maildoctor.app/maildoctor/detect/check"
	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/detect/compat"
	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/system"
	"maildoctor.app/maildoctor/fix/plan"
	"maildoctor.app/maildoctor/fix/webmail"
)

// Request is what a plan is wanted for.
type Request struct {
	Email string
	// System is this computer, when known.
	System *system.Info
	// Client and Account are the program and account the plan is for;
	// nil for the generic plan.
	Client  *clients.Client
	Account *clients.Account
	// Check is an account check of Email; when given, its servers and
	// findings are used and discovery is not repeated.
	Check *check.Report
	// Compat is detect/compat's verdict for Client on System, if known.
	Compat compat.Outcome
	// CompatActions are the actions that came with Compat.
	CompatActions []compat.Action
	Profiles      []*discover.Profile
	// Program is the command the steps tell the user to type; empty
	// means "maildoctor".
	Program string
	// Builtin is the built-in provider profile (plan.Input.Builtin), nil
	// to parse it for this plan.
	Builtin *discover.Profile
}

// Options are the network parts; the zero value uses the system's.
type Options struct {
	Resolver     discover.Resolver
	DiscoverHTTP *http.Client
	Web          webmail.Doer
}

// NoServersError: nothing is known about an address's servers, so no
// setting can be recommended.
type NoServersError struct{ Email string }

func (e *NoServersError) Error() string {
	return "no mail servers are known for " + e.Email
}

// Plan makes the plan for req. The plan's texts are not localized yet
// (plan.Localize).
func Plan(ctx context.Context, req Request, opt Options) (*plan.Plan, error) {
	in := plan.Input{Email: req.Email, System: req.System, Client: req.Client, Account: req.Account, Compat: req.Compat, CompatActions: req.CompatActions, Program: req.Program, Builtin: req.Builtin}
	profileWeb, err := servers(ctx, req, opt, &in)
	if err != nil {
		return nil, err
	}
	web, err := webmail.Find(ctx, req.Email, profileWeb, webmail.Options{Client: opt.Web})
	if err != nil {
		return nil, err
	}
	in.Webmail = web
	in.Findings = findings(req)
	p, err := plan.Build(in)
	if errors.Is(err, plan.ErrNoServers) {
		return nil, &NoServersError{Email: req.Email}
	}
	return p, err
}

// servers fills in the address's servers: from the check when there is
// one for this address, else by discovery. It returns the profile's
// webmail page.
func servers(ctx context.Context, req Request, opt Options, in *plan.Input) (string, error) {
	if c := req.Check; c != nil && strings.EqualFold(c.Email, req.Email) {
		in.Servers, in.Provider = c.Discovery.Servers, c.Discovery.Profile
		return c.Discovery.Webmail, nil
	}
	res, err := discover.Find(ctx, req.Email, discover.Options{Profiles: req.Profiles, Resolver: opt.Resolver, HTTP: opt.DiscoverHTTP})
	if err != nil {
		return "", err
	}
	in.Servers = res.Servers
	if res.Profile == nil {
		return "", nil
	}
	in.Provider = res.Profile.DisplayName
	return res.Profile.Webmail, nil
}

// findings gathers what the plan reacts to: the system's, the program's,
// the account's and the check's.
func findings(req Request) []finding.Finding {
	var fs []finding.Finding
	if req.System != nil {
		fs = append(fs, req.System.Findings...)
	}
	if req.Client != nil {
		fs = append(fs, req.Client.Findings...)
	}
	if req.Account != nil {
		fs = append(fs, req.Account.Findings...)
	}
	if c := req.Check; c != nil && strings.EqualFold(c.Email, req.Email) {
		fs = append(fs, c.Findings...)
	}
	return fs
}
