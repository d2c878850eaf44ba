// Package report is what a customer hands to support: the account check,
// this computer (its system and mail programs) and how long things took,
// redacted, as Markdown, as JSON, and as a "support code" — the same
// report compressed into one line the customer can paste into an e-mail.
//
// A Report stores findings by id, severity and arguments only: their
// texts are rendered when the report is shown, so an agent reads what the
// customer saw, in the agent's own language.
package report

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"maildoctor.app/maildoctor/detect/check"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/secret"
)

// Format is the version of the report's JSON shape. A change that an older
// Mail Doctor would misread gets a new number (and a new code prefix).
const Format = 1

// Report is one support report. Nothing in it is secret; see Build.
type Report struct {
	Format    int       `json:"format"`
	App       string    `json:"app_version"`
	CreatedAt time.Time `json:"created_at"`
	// Lang is the language the customer's screen was in.
	Lang     string        `json:"lang,omitempty"`
	Check    *check.Report `json:"check,omitempty"`
	Computer *Computer     `json:"computer,omitempty"`
	Timings  []Timing      `json:"timings,omitempty"`
}

// Computer is "this computer": its system and its mail programs. The shape
// is that of "maildoctor detect --json" (DESIGN.md), kept as plain fields
// so the report does not depend on how detection is built.
type Computer struct {
	OS      OS       `json:"os"`
	Clients []Client `json:"clients,omitempty"`
}

// OS is the operating system and its TLS support.
type OS struct {
	Family  string `json:"family"`
	Name    string `json:"name"`
	Version string `json:"version"`
	Build   string `json:"build,omitempty"`
	// TLS maps "1.0" … "1.3" to default, off, no or unknown.
	TLS map[string]string `json:"tls,omitempty"`
}

// Client is one mail program, its accounts and what was found about it.
type Client struct {
	ID       string            `json:"id"`
	Name     string            `json:"name"`
	Version  string            `json:"version,omitempty"`
	Accounts []Account         `json:"accounts,omitempty"`
	Findings []finding.Finding `json:"findings,omitempty"`
}

// Account is an account as a mail program holds it.
type Account struct {
	Email    string  `json:"email"`
	Incoming *Server `json:"incoming,omitempty"`
	Outgoing *Server `json:"outgoing,omitempty"`
}

// Server is one server setting of an account.
type Server struct {
	Protocol string `json:"protocol"`
	Host     string `json:"host"`
	Port     int    `json:"port"`
	// Security is tls, starttls, none or auto.
	Security string `json:"security"`
}

// Timing is how long one part took ("check", "detect", "startup").
type Timing struct {
	Name string `json:"name"`
	MS   int64  `json:"ms"`
}

// Input is what a report is built from; every part is optional.
type Input struct {
	App      string
	Lang     string
	Check    *check.Report
	Computer *Computer
	Timings  []Timing
	// Now is the creation time; zero means time.Now.
	Now time.Time
	// Secrets are removed wherever they appear (the password the customer
	// typed). Nothing Mail Doctor writes into a report should hold one;
	// this catches a server that echoes it back in an error message.
	Secrets []string
}

// Redacted replaces a secret found in a report.
const Redacted = secret.Redacted

// Build makes a report from in. The report is a deep copy: in is not
// changed, later changes to in do not reach the report. Finding titles and
// details are dropped (they are rendered from the ids when shown), and
// every secret is replaced by Redacted.
func Build(in Input) (*Report, error) {
	now := in.Now
	if now.IsZero() {
		now = time.Now()
	}
	src := Report{
		Format: Format, App: in.App, CreatedAt: now.UTC().Truncate(time.Second),
		Lang: in.Lang, Check: in.Check, Computer: in.Computer, Timings: in.Timings,
	}
	// A JSON round trip is the deep copy, and makes a built report equal
	// to the same report decoded from its code.
	data, err := json.Marshal(&src)
	if err != nil {
		return nil, fmt.Errorf("building the report: %w", err)
	}
	var rep Report
	if err := json.Unmarshal(data, &rep); err != nil {
		return nil, fmt.Errorf("building the report: %w", err)
	}
	rep.forEachFindings(func(fs []finding.Finding) {
		for i := range fs {
			fs[i].Title, fs[i].Detail = "", ""
		}
	})
	scrub(&rep, secretList(in.Secrets))
	return &rep, nil
}

// secretList drops empty secrets and adds each one's trimmed form, the
// one a server would have seen had the program trimmed it.
func secretList(in []string) []string {
	var out []string
	for _, s := range in {
		for _, v := range []string{s, strings.TrimSpace(s)} {
			if v != "" {
				out = append(out, v)
			}
		}
	}
	return out
}

// forEachFindings calls fn with every list of findings in the report.
func (r *Report) forEachFindings(fn func([]finding.Finding)) {
	if r.Check != nil {
		fn(r.Check.Findings)
	}
	if r.Computer != nil {
		for i := range r.Computer.Clients {
			fn(r.Computer.Clients[i].Findings)
		}
	}
}

// Email is the address the report is about: the checked one, else the
// first account found on this computer.
func (r *Report) Email() string {
	if r.Check != nil && r.Check.Email != "" {
		return r.Check.Email
	}
	if r.Computer != nil {
		for _, c := range r.Computer.Clients {
			for _, a := range c.Accounts {
				if a.Email != "" {
					return a.Email
				}
			}
		}
	}
	return ""
}

// Localized returns a copy of the report whose findings carry their titles
// and details in tr's language, for JSON output a person will read.
func (r *Report) Localized(tr finding.Translator) (*Report, error) {
	data, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("copying the report: %w", err)
	}
	var out Report
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, fmt.Errorf("copying the report: %w", err)
	}
	out.forEachFindings(func(fs []finding.Finding) { finding.Localize(fs, tr) })
	return &out, nil
}
