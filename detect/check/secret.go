package check

import (
	"strings"

	"maildoctor.app/maildoctor/detect/secret"
)

// scrubSecrets replaces the password, in every form a server may echo it
// (secret.Forms), everywhere in the report: endpoints, steps, evidence,
// greetings, arguments, discovery. Every consumer of a check (the command
// line, its JSON, the app, the support report and code) gets the report
// from Run, so none of them can show what a server echoed.
func scrubSecrets(rep *Report, opt Options) {
	if rep == nil || opt.Password == nil || *opt.Password == "" {
		return
	}
	users := []string{strings.TrimSpace(opt.Email)}
	for _, s := range rep.Discovery.Servers {
		if s.Username != "" {
			users = append(users, s.Username)
		}
	}
	var forms []string
	for _, u := range users {
		forms = append(forms, secret.Forms(*opt.Password, u)...)
	}
	secret.Scrub(rep, forms)
}
