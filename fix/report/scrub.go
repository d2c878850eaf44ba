package report

import (
	"strings"

	"maildoctor.app/maildoctor/detect/secret"
)

// scrub replaces every form of every secret (secret.Forms: raw, quoted,
// escaped, URL-encoded, base64 and the SASL payloads) in every string of
// the report. The check in it was scrubbed when it ran; this catches a
// password the customer typed since, and a report built from elsewhere.
func scrub(rep *Report, secrets []string) {
	if len(secrets) == 0 {
		return
	}
	users := loginUsers(rep)
	var forms []string
	for _, s := range secrets {
		for _, u := range users {
			forms = append(forms, secret.Forms(s, u)...)
		}
	}
	var keep []*string
	if rep.Check != nil {
		keep = rep.Check.OwnWords()
	}
	if rep.Computer != nil {
		for i := range rep.Computer.Clients {
			fs := rep.Computer.Clients[i].Findings
			for j := range fs {
				keep = append(keep, &fs[j].ID, (*string)(&fs[j].Severity))
			}
		}
	}
	secret.ScrubKeeping(rep, forms, keep)
}

// loginUsers are the user names a login may have sent with the password:
// the address, the profile's user names and the ones the logins report.
func loginUsers(rep *Report) []string {
	users := []string{strings.TrimSpace(rep.Email())}
	if c := rep.Check; c != nil {
		for _, s := range c.Discovery.Servers {
			if s.Username != "" {
				users = append(users, s.Username)
			}
		}
		for _, f := range c.Findings {
			if u := f.Args["user"]; u != "" {
				users = append(users, u)
			}
		}
	}
	return users
}
