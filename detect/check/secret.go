package check

import (
	"strings"

	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/probe"
	"maildoctor.app/maildoctor/detect/secret"
	"maildoctor.app/maildoctor/detect/server"
)

// scrubSecrets replaces the password, in every form a server may echo it
// (secret.Forms), everywhere in the report: endpoints, steps, evidence,
// greetings, arguments, discovery. Every consumer of a check (the command
// line, its JSON, the app, the support report and code) gets the report
// from Run, so none of them can show what a server echoed.
func scrubSecrets(rep *Report, forms []string) {
	if rep != nil && len(forms) > 0 {
		secret.ScrubKeeping(rep, forms, rep.OwnWords())
	}
}

// secretForms lists every form of the password for the user names the
// servers log in with.
func secretForms(opt Options, servers []discover.Server) []string {
	if opt.Password == nil || *opt.Password == "" {
		return nil
	}
	users := []string{strings.TrimSpace(opt.Email)}
	for _, s := range servers {
		if s.Username != "" {
			users = append(users, s.Username)
		}
	}
	var forms []string
	for _, u := range users {
		forms = append(forms, secret.Forms(*opt.Password, u)...)
	}
	return forms
}

// scrubbedProgress wraps a progress callback so that a step's detail (a
// server's reply) reaches it without the password, as the report does.
func scrubbedProgress(progress func(server.Endpoint, probe.Step), forms []string) func(server.Endpoint, probe.Step) {
	if progress == nil || len(forms) == 0 {
		return progress
	}
	return func(ep server.Endpoint, st probe.Step) {
		secret.Scrub(&st, forms)
		progress(ep, st)
	}
}

// OwnWords points to the report's strings that only Mail Doctor writes,
// from its own constants: the verdict, every finding's id and severity,
// every endpoint's protocol, security and login outcome. A scrub keeps
// them (secret.ScrubKeeping): a password "fail" must not change the
// verdict, nor a password "password" unname auth.password_spaces.
func (r *Report) OwnWords() []*string {
	out := []*string{(*string)(&r.Verdict)}
	add := func(fs []finding.Finding) {
		for i := range fs {
			out = append(out, &fs[i].ID, (*string)(&fs[i].Severity))
		}
	}
	add(r.Findings)
	for _, e := range r.Endpoints {
		if e != nil {
			add(e.Findings)
			out = append(out, (*string)(&e.Protocol), (*string)(&e.Security), (*string)(&e.Auth))
		}
	}
	return out
}
