package discover

import (
	"context"
	"net"
	"net/http"
	"time"

	"maildoctor.app/maildoctor/detect/server"
)

// Source says where a server setting came from.
type Source string

// Sources, in the order Find trusts them (manual overrides beat them all).
const (
	SourceProfile    Source = "profile"
	SourceAutoconfig Source = "autoconfig"
	SourceSRV        Source = "srv"
	SourceMX         Source = "mx"
	SourceGuess      Source = "guess"
	SourceManual     Source = "manual"
)

// Server is one endpoint to test, with what a client would log in with.
type Server struct {
	server.Endpoint
	Source Source `json:"source"`
	// Username is the login name; in a Result its placeholders are
	// already replaced by the address's parts.
	Username string `json:"username,omitempty"`
	// Auth lists the profile's <authentication> values, best first.
	Auth []string `json:"auth,omitempty"`
}

// Resolver is the part of *net.Resolver discovery uses; tests pass a fake.
type Resolver interface {
	LookupSRV(ctx context.Context, service, proto, name string) (string, []*net.SRV, error)
	LookupMX(ctx context.Context, name string) ([]*net.MX, error)
	LookupHost(ctx context.Context, host string) ([]string, error)
}

// Options tune Find. The zero value works.
type Options struct {
	// Profiles are the known provider profiles: the embedded default
	// first, then any --profile. The last one covering a domain wins, so
	// a profile the user supplies overrides the built-in one.
	Profiles []*Profile
	// Resolver answers DNS queries; nil means net.DefaultResolver.
	Resolver Resolver
	// HTTP fetches autoconfig files; nil means a client with a short
	// timeout. Its redirect policy is replaced by a stricter one.
	HTTP *http.Client
	// Timeout bounds the whole discovery; 0 means DefaultTimeout.
	Timeout time.Duration
	// Manual holds "HOST[:PORT]" overrides per protocol (--imap etc.).
	Manual map[server.Protocol]string
	// Clock tells the time for Attempt.Elapsed; nil means time.Now.
	Clock func() time.Time
}

// DefaultTimeout bounds discovery when Options.Timeout is zero: long
// enough for a slow DNS server, short enough that a customer waiting in
// front of the app does not give up.
const DefaultTimeout = 8 * time.Second

// Result is what Find found for an address.
type Result struct {
	// Email is the address as given, without surrounding spaces.
	Email string `json:"email"`
	// Domain is the address's domain in ASCII (IDNA), lower-case.
	Domain string `json:"domain"`
	// Source is where the chosen servers came from: the best source used
	// for a discovered protocol, or SourceManual when all three were given.
	// It is empty when nothing was found.
	Source Source `json:"source"`
	// Servers holds, per protocol (imap, pop3, smtp), one host listed with
	// implicit TLS and with STARTTLS, each on its own port; a manual
	// HOST:PORT gives only the security its port implies.
	Servers []Server `json:"servers"`
	// Profile is the provider profile the servers came from, or nil.
	Profile *Profile `json:"-"`
	// Allowed lists every host later checks may contact for this address.
	Allowed []string `json:"allowed"`
	// Tried records each lookup and its outcome, for the technical details.
	Tried []Attempt `json:"tried"`
}

// Attempt is one lookup made during discovery.
type Attempt struct {
	Method  Source        `json:"method"`
	Target  string        `json:"target"`
	Outcome string        `json:"outcome"`
	Elapsed time.Duration `json:"elapsed"`
}

// Options resolved to concrete values, so no code below checks for nil.
type settings struct {
	profiles []*Profile
	resolver Resolver
	client   *http.Client
	timeout  time.Duration
	step     time.Duration
	now      func() time.Time
}

// defaultHTTPTimeout keeps an unresponsive web server from holding the
// autoconfig source for the whole discovery budget.
const defaultHTTPTimeout = 6 * time.Second

func (o Options) settings() settings {
	s := settings{
		profiles: o.Profiles,
		resolver: o.Resolver,
		client:   o.HTTP,
		timeout:  o.Timeout,
		now:      o.Clock,
	}
	if s.resolver == nil {
		s.resolver = net.DefaultResolver
	}
	if s.client == nil {
		s.client = &http.Client{Timeout: defaultHTTPTimeout}
	}
	if s.timeout <= 0 {
		s.timeout = DefaultTimeout
	}
	if s.now == nil {
		s.now = time.Now
	}
	// Each lookup gets less than the whole budget so that a source with
	// one hung query still reports the answers it did get before Find
	// gives up waiting for it.
	s.step = s.timeout * 3 / 4
	return s
}
