// Package forgedcode makes, for tests, the support code an attacker would
// send an agent: a report whose every string carries terminal escape
// sequences, C1 controls, bidi overrides and Markdown links and images,
// with an unknown finding id and unknown values of every enumeration.
package forgedcode

import (
	"time"

	"maildoctor.app/maildoctor/detect/check"
	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/probe"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/fix/report"
)

// The pieces of the attack.
const (
	Title    = "\x1b]0;title\x07"                        // sets the terminal's window title
	Clear    = "\x1b[2J"                                 // clears the screen
	Colour   = "\x1b[31;1m"                              // red, bold
	C1       = "\u009b2J"                                // CSI as one C1 character
	Bidi     = "\u202e"                                  // right-to-left override
	Link     = "[click](javascript:alert(1))"            // a Markdown link
	Image    = "![x](https://tracker.example/pixel.png)" // a remote image, loaded on sight
	Autolink = "<https://tracker.example/a>"             // a CommonMark autolink
	HTML     = "<img src=https://tracker.example/i.png>" // raw HTML
	OSC8     = "\x1b]8;;https://evil.example\x1b\\here\x1b]8;;\x1b\\"
)

// Payload is all of it in one string.
const Payload = Title + Clear + Colour + C1 + Bidi + Link + " " + Image + " " + Autolink + " " + HTML + " " + OSC8 + "`**"

// UnknownID is a finding id no Mail Doctor has, which tries to close the
// code span an id is shown in.
const UnknownID = "evil.finding`" + Payload

// Characters are what must not reach a terminal or a rendered view.
var Characters = []string{"\x1b", "\x07", "\u009b", "\u202e"}

// Report is the forged report.
func Report() *report.Report {
	p := Payload
	hostile := func(s string) string { return s + p }
	fs := []finding.Finding{
		{ID: UnknownID, Severity: finding.Severity(hostile("fatal")), Endpoint: hostile("mail.example.test:993"),
			Title: hostile("title"), Detail: hostile("detail"), Evidence: hostile("evidence"), Args: map[string]string{"x": p}},
		finding.New(finding.CertUntrusted, finding.Fail, hostile("imap.example.test:993"), "issuer", hostile("Evil CA")).WithEvidence(hostile("x509")),
		finding.New(finding.CertHostnameMismatch, finding.Warn, "imap.example.test:993",
			"host", hostile("imap.example.test"), "names", hostile("a.example"), "suggested", hostile("b.example")),
		finding.New(finding.AuthFailed, finding.Severity(p), "", "user", hostile("u")),
	}
	yes := true
	return &report.Report{
		Format: report.Format, App: hostile("1.0"), CreatedAt: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC), Lang: hostile("it"),
		Check: &check.Report{
			Email: hostile("mario@example.test"),
			Discovery: check.Discovery{Source: discover.Source(hostile("dns")), Domain: hostile("example.test"),
				Profile: hostile("https://profile.example/"), Webmail: "javascript:alert(1)//" + p},
			Endpoints: []*probe.Result{{
				Endpoint:  server.Endpoint{Protocol: server.Protocol(hostile("imap")), Host: hostile("imap.example.test"), Port: 993, Security: server.Security(hostile("tls"))},
				Reachable: true,
				TLS:       &probe.TLSInfo{Negotiated: hostile("1.3"), Versions: map[string]bool{hostile("1.2"): true}},
				Cert:      &probe.CertInfo{Subject: hostile("CN=x"), Issuer: hostile("CN=y"), Names: []string{hostile("n")}},
				Greeting:  hostile("* OK"), StartTLSOffered: &yes,
				Auth: probe.AuthResult(hostile("ok")),
			}},
			Findings: fs,
			Verdict:  check.Verdict(hostile("fail")),
		},
		Computer: &report.Computer{
			OS: report.OS{Family: hostile("windows"), Name: hostile("Windows"), Version: hostile("10"), Build: hostile("1"),
				TLS: map[string]string{hostile("1.2"): hostile("default")}},
			Clients: []report.Client{{
				ID: hostile("outlook"), Name: hostile("Outlook"), Version: hostile("2016"),
				Accounts: []report.Account{{Email: hostile("anna@example.test"),
					Incoming: &report.Server{Protocol: hostile("imap"), Host: hostile("in.example.test"), Port: 143, Security: hostile("starttls")},
					Outgoing: &report.Server{Protocol: "smtp", Host: hostile("out.example.test"), Port: 587, Security: "tls"}}},
				Findings: append([]finding.Finding(nil), fs...),
			}},
		},
		Timings: []report.Timing{{Name: hostile("check"), MS: 12}},
	}
}

// Code is the forged report's support code, made with report's own
// encoder as an attacker would.
func Code() (string, error) {
	return Report().Code()
}
