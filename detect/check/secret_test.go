package check

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/probe"
	"maildoctor.app/maildoctor/detect/secret"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/detect/trust"
	"maildoctor.app/maildoctor/internal/echoserver"
)

// The attack: a server the password may go to (under the address's own
// domain, verified TLS) refuses the login and echoes the password in its
// error, raw or encoded. The error becomes evidence and step details;
// the report must hold none of it.

const (
	echoUser   = "mario.rossi@cliente.example"
	echoHost   = "mail.cliente.example"
	echoDomain = "cliente.example"
	// echoPassword differs in every form: quotes and a backslash (IMAP
	// and JSON escapes), a space and + and / (URL and base64), é (a
	// literal, %C3%A9, \u00e9).
	echoPassword = `Pa"ss\wo rd+/é`
)

type echoCase struct {
	name string
	imap echoserver.Form
	smtp string
	// proto is where the echoing login happens.
	proto server.Protocol
	sec   server.Security
}

func echoCases() []echoCase {
	var out []echoCase
	for _, f := range echoserver.IMAPForms {
		out = append(out, echoCase{"IMAP LOGIN refusal echoes the password " + string(f), f, "", server.IMAP, server.TLS})
	}
	return append(out,
		echoCase{"SMTP 535 echoes the AUTH PLAIN payload", "", echoserver.MechPlain, server.SMTP, server.TLS},
		echoCase{"SMTP 535 echoes the AUTH LOGIN password", "", echoserver.MechLogin, server.SMTP, server.TLS},
	)
}

func TestEchoedPasswordIsNotInTheReport(t *testing.T) {
	for _, c := range echoCases() {
		c := c
		t.Run(c.name, func(t *testing.T) {
			fake := echoserver.Start(t, echoserver.Config{Host: echoHost, IMAP: c.imap, SMTP: c.smtp})
			rep, err := Run(context.Background(), Options{
				Email:    echoUser,
				Password: pw(echoPassword),
				Manual: map[server.Protocol]string{
					server.IMAP: echoHost + ":993", server.POP3: echoHost + ":995", server.SMTP: echoHost + ":465",
				},
				Resolve: map[string]string{echoHost: fake.Addr},
				Trust:   trust.Policy{Domain: echoDomain},
				Timeout: 5 * time.Second,
				Roots:   fake.CA.Pool(),
			})
			if err != nil {
				t.Fatal(err)
			}
			if fake.Logins() != 1 {
				t.Fatalf("%d logins reached the server, want 1: findings %v", fake.Logins(), findingIDs(rep.Findings))
			}
			r := endpoint(t, rep, c.proto, c.sec)
			if ev, ok := failedLogin(r); !ok || !strings.Contains(ev, secret.Redacted) {
				t.Errorf("the refusal with the echo is not in the report as redacted evidence: %+v", r.Findings)
			}
			data, err := json.Marshal(rep)
			if err != nil {
				t.Fatal(err)
			}
			if l := echoserver.Leaks(string(data), echoUser, echoPassword); len(l) > 0 {
				t.Errorf("the report holds the password as %v:\n%s", l, data)
			}
		})
	}
}

// failedLogin is the evidence of the endpoint's auth.failed finding.
func failedLogin(r *probe.Result) (string, bool) {
	for _, f := range r.Findings {
		if f.ID == "auth.failed" {
			return f.Evidence, true
		}
	}
	return "", false
}

// The attack on the evidence cap (finding.MaxEvidence): the server pads
// its refusal so that the cut falls inside the echoed password, and the
// part kept before the "…" matches no whole form. It must go too.
func TestEchoedPasswordCutByTheEvidenceCap(t *testing.T) {
	// The evidence reads `imap: NO [AUTHENTICATIONFAILED] <pad>bad
	// password "<echo>"`; a first run without padding tells where the
	// echo starts.
	start := func(t *testing.T, form echoserver.Form, pad int) string {
		t.Helper()
		fake := echoserver.Start(t, echoserver.Config{Host: echoHost, IMAP: form, Pad: pad})
		rep, err := Run(context.Background(), Options{
			Email:    echoUser,
			Password: pw(echoPassword),
			Manual:   map[server.Protocol]string{server.IMAP: echoHost + ":993", server.POP3: echoHost + ":995", server.SMTP: echoHost + ":465"},
			Resolve:  map[string]string{echoHost: fake.Addr},
			Timeout:  5 * time.Second,
			Roots:    fake.CA.Pool(),
		})
		if err != nil {
			t.Fatal(err)
		}
		ev, ok := failedLogin(endpoint(t, rep, server.IMAP, server.TLS))
		if !ok || fake.Logins() != 1 {
			t.Fatalf("no refused login: %d logins, findings %v", fake.Logins(), findingIDs(rep.Findings))
		}
		return ev
	}
	for _, form := range []echoserver.Form{echoserver.Raw, echoserver.PlainBase64} {
		form := form
		echo := echoserver.Forms(echoUser, echoPassword)[map[echoserver.Form]string{
			echoserver.Raw: "raw", echoserver.PlainBase64: "sasl-plain-base64"}[form]]
		at := strings.Index(start(t, form, 0), secret.Redacted)
		if at < 0 {
			t.Fatalf("%s: no redacted echo in the evidence", form)
		}
		// The cap keeps MaxEvidence bytes, the last ones its "…".
		keep := finding.MaxEvidence - len(finding.Ellipsis)
		for _, kept := range []int{secret.MinDerived, len(echo) / 2, len(echo) - 4} {
			kept := kept
			t.Run(fmt.Sprintf("%s echo cut after %d bytes", form, kept), func(t *testing.T) {
				ev := start(t, form, keep-at-kept)
				if !strings.HasSuffix(ev, finding.Ellipsis) {
					t.Fatalf("the evidence was not cut: %q", ev)
				}
				if strings.Contains(ev, echo[:secret.MinDerived]) || !strings.HasSuffix(ev, secret.Redacted+finding.Ellipsis) {
					t.Errorf("the evidence keeps the beginning of the password's form %q: %q", echo[:kept], ev)
				}
			})
		}
	}
}

// A password that is one of the report's own words ("fail") is scrubbed
// from what the server echoed, but does not change the verdict (the exit
// code of a script) or unname the findings.
func TestEchoedPasswordThatIsAVerdict(t *testing.T) {
	fake := echoserver.Start(t, echoserver.Config{Host: echoHost, IMAP: echoserver.Raw})
	rep, err := Run(context.Background(), Options{
		Email:    echoUser,
		Password: pw("fail"),
		Manual:   map[server.Protocol]string{server.IMAP: echoHost + ":993", server.POP3: echoHost + ":995", server.SMTP: echoHost + ":465"},
		Resolve:  map[string]string{echoHost: fake.Addr},
		Timeout:  5 * time.Second,
		Roots:    fake.CA.Pool(),
	})
	if err != nil {
		t.Fatal(err)
	}
	ev, ok := failedLogin(endpoint(t, rep, server.IMAP, server.TLS))
	if !ok || ev != `imap: NO [AUTHENTICATIONFAILED] bad password "`+secret.Redacted+`"` {
		t.Errorf("evidence %q", ev)
	}
	if rep.Verdict != VerdictFail {
		t.Errorf("verdict %q, want %q", rep.Verdict, VerdictFail)
	}
	for _, f := range rep.Findings {
		if strings.Contains(f.ID+string(f.Severity), secret.Redacted) {
			t.Errorf("finding %s %s lost its name", f.ID, f.Severity)
		}
	}
}
