package discover

import (
	"context"
	"errors"
	"net"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"maildoctor.app/maildoctor/detect/server"
)

// ep is a compact way to write an expected server: "imap host:993 tls".
type ep struct {
	proto server.Protocol
	host  string
	port  int
	sec   server.Security
	src   Source
}

func endpoints(list []Server) []ep {
	var out []ep
	for _, s := range list {
		out = append(out, ep{s.Protocol, s.Host, s.Port, s.Security, s.Source})
	}
	return out
}

func sixOf(src Source, imap, pop, smtp string) []ep {
	return []ep{
		{server.IMAP, imap, 993, server.TLS, src},
		{server.IMAP, imap, 143, server.StartTLS, src},
		{server.POP3, pop, 995, server.TLS, src},
		{server.POP3, pop, 110, server.StartTLS, src},
		{server.SMTP, smtp, 465, server.TLS, src},
		{server.SMTP, smtp, 587, server.StartTLS, src},
	}
}

func checkServers(t *testing.T, res *Result, want []ep) {
	t.Helper()
	if got := endpoints(res.Servers); !reflect.DeepEqual(got, want) {
		t.Errorf("Servers =\n  %v\nwant\n  %v\nTried: %v", got, want, res.Tried)
	}
}

func mustFind(t *testing.T, email string, opt Options) *Result {
	t.Helper()
	if opt.Timeout == 0 {
		opt.Timeout = 5 * time.Second
	}
	res, err := Find(context.Background(), email, opt)
	if err != nil {
		t.Fatalf("Find(%q) error: %v", email, err)
	}
	return res
}

func TestFindProfileWins(t *testing.T) {
	dns := &fakeDNS{hosts: map[string][]string{"imap.maildoctor.example": {"192.0.2.1"}}}
	w := offline(t)
	def := defaultProfile(t)
	res := mustFind(t, "  Mario.Rossi@MailDoctor.example ", Options{
		Profiles: []*Profile{def}, Resolver: dns, HTTP: w.client,
	})
	if res.Email != "Mario.Rossi@MailDoctor.example" || res.Domain != "maildoctor.example" {
		t.Errorf("Email, Domain = %q, %q", res.Email, res.Domain)
	}
	if res.Source != SourceProfile || res.Profile != def {
		t.Errorf("Source = %q, Profile = %v; want the default profile", res.Source, res.Profile)
	}
	checkServers(t, res, sixOf(SourceProfile, "imap.maildoctor.example", "pop.maildoctor.example", "smtp.maildoctor.example"))
	for _, s := range res.Servers {
		if s.Username != "Mario.Rossi@MailDoctor.example" || !reflect.DeepEqual(s.Auth, []string{"password-cleartext"}) {
			t.Errorf("%s: Username %q, Auth %v", s.Endpoint, s.Username, s.Auth)
		}
	}
	wantAllowed := []string{"imap.maildoctor.example", "maildoctor.example", "pop.maildoctor.example", "smtp.maildoctor.example"}
	if !reflect.DeepEqual(res.Allowed, wantAllowed) {
		t.Errorf("Allowed = %v, want %v", res.Allowed, wantAllowed)
	}
	if q := dns.questions(); len(q) != 0 {
		t.Errorf("a covering profile still asked DNS: %v", q)
	}
	if d := w.dials(); len(d) != 0 {
		t.Errorf("a covering profile still made connections: %v", d)
	}
	if len(res.Tried) != 1 || res.Tried[0].Method != SourceProfile {
		t.Errorf("Tried = %v", res.Tried)
	}
}

func TestFindLastProfileWinsAndCounterparts(t *testing.T) {
	user, err := ParseProfile([]byte(ispdbFile)) // TLS only, user name = local part
	if err != nil {
		t.Fatal(err)
	}
	catchAll, err := ParseProfile([]byte(hosterFile))
	if err != nil {
		t.Fatal(err)
	}
	opt := Options{Profiles: []*Profile{catchAll, nil, user}, Resolver: &fakeDNS{}, HTTP: offline(t).client}
	res := mustFind(t, "Anna@Esempio.it", opt)
	if res.Profile != user {
		t.Fatalf("Profile = %v, want the last covering one", res.Profile)
	}
	checkServers(t, res, sixOf(SourceProfile, "imapmail.example.it", "popmail.example.it", "smtpmail.example.it"))
	for _, s := range res.Servers {
		if s.Username != "Anna" {
			t.Errorf("%s: Username %q, want the local part", s.Endpoint, s.Username)
		}
	}
	// A domain only the catch-all covers gets the catch-all, with a
	// STARTTLS POP3 server added next to the TLS one it lists.
	res = mustFind(t, "x@other.example", opt)
	if res.Profile != catchAll {
		t.Fatalf("Profile = %v, want the catch-all", res.Profile)
	}
	checkServers(t, res, sixOf(SourceProfile, "imap.hoster.example", "pop.hoster.example", "smtp.hoster.example"))
}

func TestFindPlainOnlyProfile(t *testing.T) {
	p, err := ParseProfile([]byte(plainFile))
	if err != nil {
		t.Fatal(err)
	}
	res := mustFind(t, "a@old.example", Options{Profiles: []*Profile{p}, Resolver: &fakeDNS{}, HTTP: offline(t).client})
	want := []ep{
		{server.POP3, "mail.old.example", 995, server.TLS, SourceProfile},
		{server.POP3, "mail.old.example", 110, server.StartTLS, SourceProfile},
		{server.SMTP, "mail.old.example", 465, server.TLS, SourceProfile},
		{server.SMTP, "mail.old.example", 587, server.StartTLS, SourceProfile},
	}
	checkServers(t, res, want)
}

func TestFindPlaceholderHosts(t *testing.T) {
	p, err := ParseProfile([]byte(placeholderHostFile))
	if err != nil {
		t.Fatal(err)
	}
	res := mustFind(t, "Bar@Caffè.it", Options{Profiles: []*Profile{p}, Resolver: &fakeDNS{}, HTTP: offline(t).client})
	want := []ep{
		{server.IMAP, "mail.xn--caff-8oa.it", 993, server.TLS, SourceProfile},
		{server.IMAP, "mail.xn--caff-8oa.it", 143, server.StartTLS, SourceProfile},
		{server.SMTP, "mail.xn--caff-8oa.it", 465, server.TLS, SourceProfile},
		{server.SMTP, "mail.xn--caff-8oa.it", 587, server.StartTLS, SourceProfile},
	}
	checkServers(t, res, want)
	if res.Servers[0].Username != "Bar@Caffè.it" || res.Servers[2].Username != "Bar@Caffè.it" {
		t.Errorf("usernames %q, %q: want the address as typed", res.Servers[0].Username, res.Servers[2].Username)
	}
	if want := []string{"mail.xn--caff-8oa.it", "xn--caff-8oa.it"}; !reflect.DeepEqual(res.Allowed, want) {
		t.Errorf("Allowed = %v, want %v", res.Allowed, want)
	}
}

// customerAutoconfig is what autoconfig.customer.test serves: IMAP and
// SMTP at a provider, no POP3.
const customerAutoconfig = `<clientConfig version="1.1"><emailProvider id="customer.test">
<domain>customer.test</domain>
<incomingServer type="imap"><hostname>imap.provider.test</hostname><port>993</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username></incomingServer>
<outgoingServer type="smtp"><hostname>smtp.provider.test</hostname><port>587</port><socketType>STARTTLS</socketType><username>%EMAILADDRESS%</username></outgoingServer>
</emailProvider></clientConfig>`

func customerDNS() *fakeDNS {
	return &fakeDNS{
		srv: map[string][]*net.SRV{
			"_imaps._tcp.customer.test":       {{Target: "srv-imap.customer.test.", Port: 993, Priority: 0, Weight: 1}},
			"_pop3s._tcp.customer.test":       {{Target: "srv-pop.customer.test.", Port: 995, Priority: 0, Weight: 1}},
			"_submissions._tcp.customer.test": {{Target: "srv-smtp.customer.test.", Port: 465, Priority: 0, Weight: 1}},
		},
		mx:    map[string][]*net.MX{"customer.test": {{Host: "mx.customer.test.", Pref: 10}}},
		hosts: map[string][]string{"mail.customer.test": {"192.0.2.7"}},
	}
}

func TestFindAutoconfigWinsOverSRV(t *testing.T) {
	var query string
	w := newWeb(t, []string{"autoconfig.customer.test", "customer.test"}, byHost{
		"autoconfig.customer.test": func(rw http.ResponseWriter, r *http.Request) {
			query = r.URL.RawQuery
			if r.URL.Path != "/mail/config-v1.1.xml" {
				http.NotFound(rw, r)
				return
			}
			serveXML(customerAutoconfig)(rw, r)
		},
	})
	res := mustFind(t, "a+b@customer.test", Options{Resolver: customerDNS(), HTTP: w.client})
	if res.Source != SourceAutoconfig || res.Profile != nil {
		t.Errorf("Source = %q, Profile = %v; want autoconfig and no provider profile", res.Source, res.Profile)
	}
	if query != "emailaddress=a%2Bb%40customer.test" {
		t.Errorf("autoconfig query = %q", query)
	}
	want := []ep{
		{server.IMAP, "imap.provider.test", 993, server.TLS, SourceAutoconfig},
		{server.IMAP, "imap.provider.test", 143, server.StartTLS, SourceAutoconfig},
		// POP3 is missing from autoconfig: SRV fills it in.
		{server.POP3, "srv-pop.customer.test", 995, server.TLS, SourceSRV},
		{server.POP3, "srv-pop.customer.test", 110, server.StartTLS, SourceSRV},
		{server.SMTP, "smtp.provider.test", 465, server.TLS, SourceAutoconfig},
		{server.SMTP, "smtp.provider.test", 587, server.StartTLS, SourceAutoconfig},
	}
	checkServers(t, res, want)
	for _, h := range []string{"customer.test", "imap.provider.test", "smtp.provider.test", "srv-pop.customer.test", "srv-imap.customer.test"} {
		if !contains(res.Allowed, h) {
			t.Errorf("Allowed = %v lacks %s", res.Allowed, h)
		}
	}
}

func TestFindAutoconfigWellKnownAndForeignFiles(t *testing.T) {
	foreign := strings.Replace(customerAutoconfig, "<domain>customer.test</domain>", "<domain>someone-else.test</domain>", 1)
	tests := []struct {
		name     string
		handlers byHost
		want     Source
	}{
		{"well-known when autoconfig host fails", byHost{
			"customer.test": func(rw http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/.well-known/autoconfig/mail/config-v1.1.xml" {
					serveXML(customerAutoconfig)(rw, r)
					return
				}
				http.NotFound(rw, r)
			},
		}, SourceAutoconfig},
		{"file for another domain ignored", byHost{"autoconfig.customer.test": serveXML(foreign)}, SourceSRV},
		{"garbage ignored", byHost{"autoconfig.customer.test": serveXML("<html>hi</html>")}, SourceSRV},
		{"redirect between the domain's hosts followed", byHost{
			"autoconfig.customer.test": func(rw http.ResponseWriter, r *http.Request) {
				http.Redirect(rw, r, "https://customer.test/ac.xml", http.StatusFound)
			},
			"customer.test": serveXML(customerAutoconfig),
		}, SourceAutoconfig},
		{"redirect to another host refused", byHost{
			"autoconfig.customer.test": func(rw http.ResponseWriter, r *http.Request) {
				http.Redirect(rw, r, "https://evil.test/config.xml", http.StatusFound)
			},
			"evil.test": serveXML(customerAutoconfig),
		}, SourceSRV},
		{"redirect to http refused", byHost{
			"autoconfig.customer.test": func(rw http.ResponseWriter, r *http.Request) {
				http.Redirect(rw, r, "http://customer.test/config.xml", http.StatusFound)
			},
		}, SourceSRV},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWeb(t, []string{"autoconfig.customer.test", "customer.test", "evil.test"}, tt.handlers)
			res := mustFind(t, "a@customer.test", Options{Resolver: customerDNS(), HTTP: w.client})
			if res.Source != tt.want {
				t.Errorf("Source = %q, want %q; Tried %v", res.Source, tt.want, res.Tried)
			}
			for _, d := range w.dials() {
				if d != "autoconfig.customer.test:443" && d != "customer.test:443" {
					t.Errorf("connected to %s", d)
				}
			}
			if contains(res.Allowed, "evil.test") {
				t.Errorf("Allowed = %v", res.Allowed)
			}
		})
	}
}

func TestFindSRV(t *testing.T) {
	dns := &fakeDNS{
		srv: map[string][]*net.SRV{
			"_imaps._tcp.srv.test": {
				{Target: "backup.srv.test.", Port: 993, Priority: 20, Weight: 100},
				{Target: "light.srv.test.", Port: 993, Priority: 10, Weight: 1},
				{Target: "heavy.srv.test.", Port: 9993, Priority: 10, Weight: 50},
			},
			"_imap._tcp.srv.test":             {{Target: ".", Port: 0}},
			"_pop3s._tcp.srv.test":            {{Target: ".", Port: 0}},
			"_pop3._tcp.srv.test":             {{Target: ".", Port: 0}},
			"_submissions._tcp.srv.test":      {{Target: "smtp.srv.test.", Port: 465}},
			"_submission._tcp.srv.test":       {{Target: "", Port: 0}, {Target: "sub.srv.test", Port: 2587}},
			"_imaps._tcp.unrelated.srv.test":  {{Target: "nope.test.", Port: 1}},
			"_submission._tcp.unrelated.test": {{Target: "nope.test.", Port: 1}},
		},
		// Guesses that resolve must not bring POP3 back.
		hosts: map[string][]string{"pop.srv.test": {"192.0.2.1"}, "mail.srv.test": {"192.0.2.2"}},
	}
	res := mustFind(t, "a@srv.test", Options{Resolver: dns, HTTP: offline(t).client})
	want := []ep{
		{server.IMAP, "heavy.srv.test", 9993, server.TLS, SourceSRV},
		{server.SMTP, "smtp.srv.test", 465, server.TLS, SourceSRV},
		{server.SMTP, "sub.srv.test", 2587, server.StartTLS, SourceSRV},
	}
	checkServers(t, res, want)
	if res.Source != SourceSRV {
		t.Errorf("Source = %q", res.Source)
	}
	for _, h := range []string{"backup.srv.test", "light.srv.test", "heavy.srv.test", "smtp.srv.test", "sub.srv.test"} {
		if !contains(res.Allowed, h) {
			t.Errorf("Allowed = %v lacks SRV target %s", res.Allowed, h)
		}
	}
	if contains(res.Allowed, ".") || contains(res.Allowed, "") || contains(res.Allowed, "nope.test") {
		t.Errorf("Allowed = %v", res.Allowed)
	}
}

func TestFindMX(t *testing.T) {
	def := defaultProfile(t)
	t.Run("into a profile", func(t *testing.T) {
		dns := &fakeDNS{
			mx: map[string][]*net.MX{"cliente.it": {
				{Host: "mx2.elsewhere.test.", Pref: 20},
				{Host: "MX1.MailDoctor.example.", Pref: 10},
			}},
			hosts: map[string][]string{"mail.cliente.it": {"192.0.2.1"}},
		}
		res := mustFind(t, "info@cliente.it", Options{Profiles: []*Profile{def}, Resolver: dns, HTTP: offline(t).client})
		if res.Profile != def || res.Source != SourceProfile {
			t.Errorf("Profile = %v, Source = %q; want the default profile", res.Profile, res.Source)
		}
		checkServers(t, res, sixOf(SourceProfile, "imap.maildoctor.example", "pop.maildoctor.example", "smtp.maildoctor.example"))
		if res.Servers[0].Username != "info@cliente.it" {
			t.Errorf("Username = %q", res.Servers[0].Username)
		}
		for _, h := range []string{"cliente.it", "mx1.maildoctor.example", "mx2.elsewhere.test", "imap.maildoctor.example"} {
			if !contains(res.Allowed, h) {
				t.Errorf("Allowed = %v lacks %s", res.Allowed, h)
			}
		}
	})
	t.Run("own mail host", func(t *testing.T) {
		dns := &fakeDNS{
			mx:    map[string][]*net.MX{"small.test": {{Host: "box.small-isp.test.", Pref: 0}}},
			hosts: map[string][]string{"mail.small.test": {"192.0.2.1"}},
		}
		res := mustFind(t, "a@small.test", Options{Profiles: []*Profile{def}, Resolver: dns, HTTP: offline(t).client})
		if res.Profile != nil || res.Source != SourceMX {
			t.Errorf("Profile = %v, Source = %q; want mx", res.Profile, res.Source)
		}
		checkServers(t, res, sixOf(SourceMX, "box.small-isp.test", "box.small-isp.test", "box.small-isp.test"))
	})
	t.Run("null MX", func(t *testing.T) {
		dns := &fakeDNS{
			mx:    map[string][]*net.MX{"nomail.test": {{Host: ".", Pref: 0}}},
			hosts: map[string][]string{"nomail.test": {"192.0.2.1"}},
		}
		res := mustFind(t, "a@nomail.test", Options{Resolver: dns, HTTP: offline(t).client})
		checkServers(t, res, sixOf(SourceGuess, "nomail.test", "nomail.test", "nomail.test"))
	})
}

func TestFindGuesses(t *testing.T) {
	dns := &fakeDNS{hosts: map[string][]string{
		"mail.guess.test": {"192.0.2.1"},
		"pop3.guess.test": {"192.0.2.2"},
		"guess.test":      {"192.0.2.3"},
		"imap.other.test": {"192.0.2.4"},
	}}
	res := mustFind(t, "a@guess.test", Options{Resolver: dns, HTTP: offline(t).client})
	if res.Source != SourceGuess {
		t.Errorf("Source = %q", res.Source)
	}
	checkServers(t, res, sixOf(SourceGuess, "mail.guess.test", "pop3.guess.test", "mail.guess.test"))
	for _, q := range dns.questions() {
		if !strings.HasSuffix(q, " guess.test") && !strings.HasSuffix(q, ".guess.test") {
			t.Errorf("asked DNS about %q", q)
		}
	}
}

func TestFindNothingFound(t *testing.T) {
	res := mustFind(t, "a@void.test", Options{Resolver: &fakeDNS{}, HTTP: offline(t).client})
	if len(res.Servers) != 0 || res.Source != "" || res.Profile != nil {
		t.Errorf("Result = %+v", res)
	}
	if !reflect.DeepEqual(res.Allowed, []string{"void.test"}) {
		t.Errorf("Allowed = %v", res.Allowed)
	}
	methods := map[Source]int{}
	for _, a := range res.Tried {
		methods[a.Method]++
		if a.Outcome == "" || a.Target == "" {
			t.Errorf("attempt %+v lacks a target or an outcome", a)
		}
	}
	want := map[Source]int{SourceAutoconfig: 2, SourceSRV: 6, SourceMX: 1, SourceGuess: 6}
	if !reflect.DeepEqual(methods, want) {
		t.Errorf("attempts per method = %v, want %v", methods, want)
	}
}

func TestFindSlowSourcesStopAtTimeout(t *testing.T) {
	const timeout = 400 * time.Millisecond
	slowWeb := func(t *testing.T) *web {
		return newWeb(t, []string{"autoconfig.slow.test", "slow.test"}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
		}))
	}
	t.Run("autoconfig hangs, SRV answered", func(t *testing.T) {
		dns := &fakeDNS{srv: map[string][]*net.SRV{"_imaps._tcp.slow.test": {{Target: "imap.slow.test", Port: 993}}}}
		start := time.Now()
		res := mustFind(t, "a@slow.test", Options{Resolver: dns, HTTP: slowWeb(t).client, Timeout: timeout})
		if d := time.Since(start); d > timeout+time.Second {
			t.Errorf("Find took %s with a %s timeout", d, timeout)
		}
		checkServers(t, res, []ep{
			{server.IMAP, "imap.slow.test", 993, server.TLS, SourceSRV},
			{server.IMAP, "imap.slow.test", 143, server.StartTLS, SourceSRV},
		})
	})
	t.Run("DNS hangs too", func(t *testing.T) {
		dns := &fakeDNS{delay: time.Minute}
		start := time.Now()
		res := mustFind(t, "a@slow.test", Options{Resolver: dns, HTTP: slowWeb(t).client, Timeout: timeout})
		if d := time.Since(start); d > timeout+time.Second {
			t.Errorf("Find took %s with a %s timeout", d, timeout)
		}
		if len(res.Servers) != 0 || len(res.Tried) == 0 {
			t.Errorf("Result = %+v", res)
		}
	})
	t.Run("autoconfig answers everything, DNS hangs", func(t *testing.T) {
		w := newWeb(t, []string{"autoconfig.quick.test"}, serveXML(strings.Replace(hosterFile, "%EMAILDOMAIN%", "quick.test", 1)))
		start := time.Now()
		res := mustFind(t, "a@quick.test", Options{Resolver: &fakeDNS{delay: time.Minute}, HTTP: w.client, Timeout: 10 * time.Second})
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("Find waited %s for sources that could not do better", d)
		}
		checkServers(t, res, sixOf(SourceAutoconfig, "imap.hoster.example", "pop.hoster.example", "smtp.hoster.example"))
	})
}

func TestFindCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(50 * time.Millisecond); cancel() }()
	_, err := Find(ctx, "a@slow.test", Options{Resolver: &fakeDNS{delay: time.Minute}, HTTP: offline(t).client})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Find error = %v, want context.Canceled", err)
	}
}

func TestFindManual(t *testing.T) {
	dns := &fakeDNS{hosts: map[string][]string{"pop.man.test": {"192.0.2.1"}}}
	res := mustFind(t, "a@man.test", Options{Resolver: dns, HTTP: offline(t).client, Manual: map[server.Protocol]string{
		server.IMAP: "Mail.Provider.test:993",
		server.SMTP: "smtp.provider.test",
	}})
	want := []ep{
		{server.IMAP, "mail.provider.test", 993, server.TLS, SourceManual},
		{server.POP3, "pop.man.test", 995, server.TLS, SourceGuess},
		{server.POP3, "pop.man.test", 110, server.StartTLS, SourceGuess},
		{server.SMTP, "smtp.provider.test", 465, server.TLS, SourceManual},
		{server.SMTP, "smtp.provider.test", 587, server.StartTLS, SourceManual},
	}
	checkServers(t, res, want)
	if res.Source != SourceGuess {
		t.Errorf("Source = %q, want the discovered one", res.Source)
	}
	for _, h := range []string{"mail.provider.test", "smtp.provider.test", "pop.man.test", "man.test"} {
		if !contains(res.Allowed, h) {
			t.Errorf("Allowed = %v lacks %s", res.Allowed, h)
		}
	}

	dns = &fakeDNS{}
	w := offline(t)
	res = mustFind(t, "a@maildoctor.example", Options{Profiles: []*Profile{defaultProfile(t)}, Resolver: dns, HTTP: w.client, Manual: map[server.Protocol]string{
		server.IMAP: "192.0.2.10:2993",
		server.POP3: "[2001:db8::1]:110",
		server.SMTP: "relay.test:25",
	}})
	want = []ep{
		{server.IMAP, "192.0.2.10", 2993, server.TLS, SourceManual},
		{server.POP3, "2001:db8::1", 110, server.StartTLS, SourceManual},
		{server.SMTP, "relay.test", 25, server.StartTLS, SourceManual},
	}
	checkServers(t, res, want)
	if res.Source != SourceManual || res.Profile == nil {
		t.Errorf("Source = %q, Profile = %v; want manual and the covering profile", res.Source, res.Profile)
	}
	if len(dns.questions())+len(w.dials()) != 0 {
		t.Errorf("all-manual discovery used the network: %v %v", dns.questions(), w.dials())
	}

	for _, m := range []map[server.Protocol]string{
		{server.IMAP: "imap.test:99999"},
		{server.IMAP: "bad host"},
		{server.IMAP: "a:b:c"},
		{"nntp": "news.test"},
	} {
		if _, err := Find(context.Background(), "a@man.test", Options{Resolver: &fakeDNS{}, HTTP: offline(t).client, Manual: m}); err == nil {
			t.Errorf("Manual %v: no error", m)
		}
	}
}

func TestFindBadAddress(t *testing.T) {
	dns := &fakeDNS{}
	_, err := Find(context.Background(), "notanemail", Options{Resolver: dns, HTTP: offline(t).client})
	var ae *AddressError
	if !errors.As(err, &ae) {
		t.Errorf("Find error = %v, want an *AddressError", err)
	}
	if len(dns.questions()) != 0 {
		t.Error("a bad address was looked up")
	}
}

func TestFindIDN(t *testing.T) {
	dns := &fakeDNS{hosts: map[string][]string{"mail.xn--mnchen-3ya.de": {"192.0.2.1"}}}
	res := mustFind(t, "Hans@München.de", Options{Resolver: dns, HTTP: offline(t).client})
	if res.Domain != "xn--mnchen-3ya.de" {
		t.Errorf("Domain = %q", res.Domain)
	}
	checkServers(t, res, sixOf(SourceGuess, "mail.xn--mnchen-3ya.de", "mail.xn--mnchen-3ya.de", "mail.xn--mnchen-3ya.de"))
	for _, q := range dns.questions() {
		if strings.IndexFunc(q, func(r rune) bool { return r > 127 }) >= 0 {
			t.Errorf("asked DNS a non-ASCII question %q", q)
		}
	}
}

// TestFindContactsOnlyAllowedHosts runs every source at once, with an
// autoconfig that tries to redirect away and DNS that answers any name,
// and checks that nothing outside the domain's own, its MX and SRV
// targets and the profile's hosts is looked up, contacted or allowed.
func TestFindContactsOnlyAllowedHosts(t *testing.T) {
	const d = "mixed.test"
	def := defaultProfile(t)
	w := newWeb(t, []string{"autoconfig." + d, d, "evil.test", "autodiscover.test"}, byHost{
		"autoconfig." + d: func(rw http.ResponseWriter, r *http.Request) {
			http.Redirect(rw, r, "https://evil.test/x.xml", http.StatusMovedPermanently)
		},
		d: func(rw http.ResponseWriter, r *http.Request) {
			http.Redirect(rw, r, "https://autodiscover.test/x.xml", http.StatusFound)
		},
		"evil.test":         serveXML(strings.Replace(customerAutoconfig, "customer.test", d, 1)),
		"autodiscover.test": serveXML(strings.Replace(customerAutoconfig, "customer.test", d, 1)),
	})
	dns := &fakeDNS{
		srv: map[string][]*net.SRV{
			"_imaps._tcp." + d: {{Target: "imap.srv-host.test.", Port: 993}},
		},
		mx:    map[string][]*net.MX{d: {{Host: "mx.mx-host.test.", Pref: 5}, {Host: "mx2.mx-host.test.", Pref: 50}}},
		hosts: map[string][]string{},
	}
	for _, n := range []string{"imap.", "mail.", "", "pop.", "pop3.", "smtp."} {
		dns.hosts[n+d] = []string{"192.0.2.1"}
	}
	res := mustFind(t, "a@"+d, Options{Profiles: []*Profile{def}, Resolver: dns, HTTP: w.client})

	legit := map[string]bool{d: true, "imap.srv-host.test": true, "mx.mx-host.test": true, "mx2.mx-host.test": true}
	for _, h := range def.Hosts() {
		legit[h] = true
	}
	for _, h := range res.Allowed {
		if !legit[h] && !strings.HasSuffix(h, "."+d) {
			t.Errorf("Allowed holds %q, which is not the domain's, an MX or SRV target, or a profile host", h)
		}
	}
	for _, s := range res.Servers {
		if !contains(res.Allowed, s.Host) {
			t.Errorf("server %s is not in Allowed %v", s.Endpoint, res.Allowed)
		}
	}
	for _, dial := range w.dials() {
		if dial != "autoconfig."+d+":443" && dial != d+":443" {
			t.Errorf("connected to %s", dial)
		}
	}
	for _, q := range dns.questions() {
		name := q[strings.IndexByte(q, ' ')+1:]
		if name != d && !strings.HasSuffix(name, "."+d) {
			t.Errorf("asked DNS %q", q)
		}
	}
	if res.Source != SourceSRV {
		t.Errorf("Source = %q, want srv (autoconfig redirected away)", res.Source)
	}
	// IMAP from SRV, POP3 and SMTP from the MX host.
	want := []ep{
		{server.IMAP, "imap.srv-host.test", 993, server.TLS, SourceSRV},
		{server.IMAP, "imap.srv-host.test", 143, server.StartTLS, SourceSRV},
		{server.POP3, "mx.mx-host.test", 995, server.TLS, SourceMX},
		{server.POP3, "mx.mx-host.test", 110, server.StartTLS, SourceMX},
		{server.SMTP, "mx.mx-host.test", 465, server.TLS, SourceMX},
		{server.SMTP, "mx.mx-host.test", 587, server.StartTLS, SourceMX},
	}
	checkServers(t, res, want)
}

func TestFindUsesClock(t *testing.T) {
	var mu sync.Mutex
	tick := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		tick = tick.Add(time.Second)
		return tick
	}
	res := mustFind(t, "a@clock.test", Options{Resolver: &fakeDNS{}, HTTP: offline(t).client, Clock: clock})
	for _, a := range res.Tried {
		if a.Elapsed <= 0 || a.Elapsed%time.Second != 0 {
			t.Errorf("attempt %+v: Elapsed not measured with the injected clock", a)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
