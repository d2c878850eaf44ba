package advise

import (
	"context"
	"errors"
	"net"
	"net/http"
	"testing"

	"maildoctor.app/maildoctor/assets"
	"maildoctor.app/maildoctor/detect/check"
	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/server"
)

// noNet answers every lookup with "not found", so a test can never reach
// the network and discovery rests on the profile alone.
type noNet struct{}

func (noNet) LookupSRV(context.Context, string, string, string) (string, []*net.SRV, error) {
	return "", nil, &net.DNSError{Err: "no such host", IsNotFound: true}
}
func (noNet) LookupMX(context.Context, string) ([]*net.MX, error) {
	return nil, &net.DNSError{Err: "no such host", IsNotFound: true}
}
func (noNet) LookupHost(context.Context, string) ([]string, error) {
	return nil, &net.DNSError{Err: "no such host", IsNotFound: true}
}

type refuse struct{}

func (refuse) Do(*http.Request) (*http.Response, error) {
	return nil, errors.New("no network in tests")
}

func options() Options {
	return Options{Resolver: noNet{}, DiscoverHTTP: &http.Client{Transport: roundTripper{}}, Web: refuse{}}
}

type roundTripper struct{}

func (roundTripper) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, errors.New("no network in tests")
}

func defaultProfile(t *testing.T) []*discover.Profile {
	p, err := discover.ParseProfile(assets.DefaultProfile)
	if err != nil {
		t.Fatal(err)
	}
	return []*discover.Profile{p}
}

// Without a check, the servers come from discovery: here the built-in
// profile of maildoctor.example, with its webmail.
func TestPlanFromProfile(t *testing.T) {
	p, err := Plan(context.Background(), Request{Email: "anna@maildoctor.example", Profiles: defaultProfile(t)}, options())
	if err != nil {
		t.Fatal(err)
	}
	if p.Settings.IMAP == nil || p.Settings.IMAP.Host != "imap.maildoctor.example" || p.Settings.IMAP.Port != 993 {
		t.Errorf("IMAP = %+v, want imap.maildoctor.example:993", p.Settings.IMAP)
	}
	if p.Settings.SMTP == nil || p.Settings.SMTP.Port != 465 || p.Settings.Username != "anna@maildoctor.example" {
		t.Errorf("settings = %+v", p.Settings)
	}
	if p.Webmail != "https://webmail.maildoctor.example/" {
		t.Errorf("webmail = %q, want the profile's", p.Webmail)
	}
}

// With a check of the same address, its servers and findings decide: the
// host the certificate covers, a server of the built-in provider, replaces
// the one that failed.
func TestPlanFromCheck(t *testing.T) {
	ep := server.Endpoint{Protocol: server.IMAP, Host: "mail.cliente.test", Port: 993, Security: server.TLS}
	rep := &check.Report{
		Email:     "mario@cliente.test",
		Discovery: check.Discovery{Servers: []discover.Server{{Endpoint: ep, Source: discover.SourceManual}}},
		Findings: []finding.Finding{finding.New("cert.hostname_mismatch", finding.Fail, ep.Addr(),
			"host", "mail.cliente.test", "suggested", "server7.maildoctor.example")},
	}
	p, err := Plan(context.Background(), Request{Email: "mario@cliente.test", Check: rep}, options())
	if err != nil {
		t.Fatal(err)
	}
	if p.Settings.IMAP == nil || p.Settings.IMAP.Host != "server7.maildoctor.example" {
		t.Errorf("IMAP = %+v, want the certificate's name", p.Settings.IMAP)
	}
}

func TestNoServers(t *testing.T) {
	_, err := Plan(context.Background(), Request{Email: "x@nowhere.test"}, options())
	var none *NoServersError
	if !errors.As(err, &none) {
		t.Fatalf("err = %v, want NoServersError", err)
	}
}
