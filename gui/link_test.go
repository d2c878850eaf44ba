package gui

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"maildoctor.app/maildoctor/detect/check"
	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/detect/trust"
	"maildoctor.app/maildoctor/internal/fakemail"
	"maildoctor.app/maildoctor/internal/testpki"
)

// newLinkUI is newTestUI with the built-in profile and whatever else the
// test sets in deps (a profile loader, a real check).
func newLinkUI(t *testing.T, check Checker, lang string, set func(*Deps)) (*UI, fyne.Window) {
	t.Helper()
	builtin, err := discover.BuiltinProfile()
	if err != nil {
		t.Fatal(err)
	}
	deps := Deps{Check: check, Computer: fakeComputer, Plan: fakePlan, Lang: lang, Profiles: []*discover.Profile{builtin}}
	if set != nil {
		set(&deps)
	}
	return startUI(t, deps)
}

// dialogObject is the open dialog on top of the window, or nil.
func dialogObject(w fyne.Window) fyne.CanvasObject {
	return w.Canvas().Overlays().Top()
}

// walkAll visits o and everything inside it, pop-ups included.
func walkAll(o fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	if o == nil {
		return
	}
	fn(o)
	switch x := o.(type) {
	case *widget.PopUp:
		walkAll(x.Content, fn)
	case *widget.Card:
		walkAll(x.Content, fn)
	case *widget.Accordion:
		for _, it := range x.Items {
			walkAll(it.Detail, fn)
		}
	case *container.Scroll:
		walkAll(x.Content, fn)
	case *fyne.Container:
		for _, c := range x.Objects {
			walkAll(c, fn)
		}
	}
}

// dialogText is all the text the open dialog shows, one string.
func dialogText(w fyne.Window) string {
	var out []string
	walkAll(dialogObject(w), func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Label:
			out = append(out, x.Text)
		case *widget.Button:
			out = append(out, "["+x.Text+"]")
		}
	})
	return strings.Join(out, "\n")
}

// answer taps the open dialog's button with that text; false if there is
// none (no dialog, or one without that button).
func answer(u *UI, w fyne.Window, text string) bool {
	var b *widget.Button
	walkAll(dialogObject(w), func(o fyne.CanvasObject) {
		if x, ok := o.(*widget.Button); ok && x.Text == text && b == nil {
			b = x
		}
	})
	if b == nil {
		return false
	}
	test.Tap(b)
	settle(u)
	return true
}

// closeDialogs dismisses whatever dialogs are open (message boxes).
func closeDialogs(u *UI, w fyne.Window) {
	for i := 0; i < 5 && dialogObject(w) != nil; i++ {
		if !answer(u, w, u.T("gui.close")) && !answer(u, w, u.T("gui.link.cancel")) {
			return
		}
	}
}

func (f *fakeCheck) call(i int) check.Options {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[i]
}

func typePassword(u *UI, pass string) {
	u.account.password.SetText("")
	test.Type(u.account.password, pass)
}

// A support link naming the attacker's IMAP server: the customer is
// warned (Continue / Cancel), and pressing Test asks, naming the server,
// before the password goes there. Cancel still tests, without giving it
// the password; Continue gives it for that check only.
func TestLinkToForeignHostGetsNoPasswordWithoutConfirmation(t *testing.T) {
	fc := &fakeCheck{report: failingReport()}
	u, w := newLinkUI(t, fc.run, "en", nil)
	u.OpenLink("maildoctor://open?email=mario%40cliente.it&imap=imap.attacker.example%3A993")
	if !answer(u, w, "Continue") {
		t.Errorf("the link's warning has no Continue: %q", dialogText(w))
		closeDialogs(u, w)
	}
	typePassword(u, "segreta")
	test.Tap(u.account.start)
	settle(u)
	text := dialogText(w)
	if !strings.Contains(text, "imap.attacker.example") || !strings.Contains(text, "[Continue]") || !strings.Contains(text, "[Cancel]") {
		t.Errorf("no question naming the server before Test: %q", text)
	}
	answer(u, w, "Cancel")
	if fc.callCount() != 1 {
		t.Fatalf("%d checks after Cancel, want 1 (tested without the password there)", fc.callCount())
	}
	opt := fc.call(0)
	if r := opt.Trust.Decide("imap.attacker.example"); r != trust.Untrusted {
		t.Fatalf("the link's server is trusted (%s) without confirmation: %+v", r, opt.Trust)
	}
	for _, h := range append(opt.Trust.Typed, opt.Trust.Confirmed...) {
		if strings.Contains(h, "attacker") {
			t.Errorf("the link's server is in the trust policy: %+v", opt.Trust)
		}
	}
	if opt.Password == nil || opt.Manual[server.IMAP] != "imap.attacker.example:993" {
		t.Errorf("check options: %+v", opt)
	}

	// Continue: confirmed, for this check.
	test.Tap(u.account.start)
	settle(u)
	if !answer(u, w, "Continue") {
		t.Fatalf("no question on the second Test: %q", dialogText(w))
	}
	if r := fc.call(1).Trust.Decide("imap.attacker.example"); r != trust.Confirmed {
		t.Errorf("after Continue the server is %q, want confirmed", r)
	}

	// A server the user changes is theirs: no question.
	u.account.hosts[server.IMAP].SetText("")
	test.Type(u.account.hosts[server.IMAP], "imap.cliente-mail.example:993")
	test.Tap(u.account.start)
	settle(u)
	if dialogObject(w) != nil {
		t.Errorf("asked about a server the user typed: %q", dialogText(w))
	}
	if r := fc.call(2).Trust.Decide("imap.cliente-mail.example"); r != trust.Typed {
		t.Errorf("typed server is %q, want typed", r)
	}
}

// The same attack against the real check and a fake IMAP server over
// verified TLS (the attacker has a valid certificate for his own host):
// no LOGIN reaches it until the customer confirms that server.
func TestLinkToForeignHostNoLoginReachesItWithoutConfirmation(t *testing.T) {
	const host = "imap.attacker.example"
	ca := testpki.NewCA(t, "link test CA")
	leaf := ca.Leaf(t, testpki.LeafOptions{Names: []string{host}})
	cfg := &tls.Config{Certificates: []tls.Certificate{leaf.TLSCertificate(t)}}
	var logins fakemail.Counter
	imapPort := fakemail.Loopback(t, fakemail.IMAPS(cfg, func(tag string) string {
		logins.Add()
		return tag + " OK done"
	})).Port
	closed := closedPorts(t, 2)
	run := func(ctx context.Context, opt check.Options) (*check.Report, error) {
		opt.Roots = ca.Pool()
		opt.Resolve = map[string]string{host: "127.0.0.1"}
		opt.Resolver = noDNS{}
		opt.Timeout = 3 * time.Second
		return check.Run(ctx, opt)
	}
	u, w := newLinkUI(t, run, "en", nil)
	raw := fmt.Sprintf("maildoctor://open?email=mario%%40cliente.it&imap=%s:%d&pop3=%s:%d&smtp=%s:%d", host, imapPort, host, closed[0], host, closed[1])
	u.OpenLink(raw)
	answer(u, w, "Continue")
	closeDialogs(u, w)
	typePassword(u, "segreta")
	test.Tap(u.account.start)
	settle(u)
	answer(u, w, "Cancel") // the question about the server, if any
	settle(u)
	if n := logins.Count(); n != 0 {
		t.Fatalf("%d LOGIN commands reached the link's server without confirmation", n)
	}
	if u.report == nil || !finding.Has(u.report.Findings, "auth.host_not_trusted") {
		t.Fatalf("report does not say the password was withheld: %+v", u.report)
	}

	// "Trust this server and test" in the results: a question naming it,
	// then a second check that logs in once.
	b := findButton(u.account.results, "Trust this server and test")
	if b == nil {
		t.Fatalf("no \"Trust this server and test\": %v", allText(u.account.results))
	}
	test.Tap(b)
	if text := dialogText(w); !strings.Contains(text, host) {
		t.Errorf("question does not name %s: %q", host, text)
	}
	answer(u, w, "Continue")
	settle(u)
	if n := logins.Count(); n != 1 {
		t.Errorf("%d LOGIN commands after the customer confirmed, want 1", n)
	}
}

// A link warning stops the flow: Continue or Cancel, not a Close box,
// and Cancel puts the form back as it was.
func TestForeignHostLinkWarningStopsWithContinueCancel(t *testing.T) {
	fc := &fakeCheck{report: failingReport()}
	u, w := newLinkUI(t, fc.run, "en", nil)
	test.Type(u.account.email, "anna@altro.it")
	u.OpenLink("maildoctor://open?email=mario%40cliente.it&smtp=smtp.attacker.example%3A465")
	text := dialogText(w)
	if !strings.Contains(text, "[Continue]") || !strings.Contains(text, "[Cancel]") || strings.Contains(text, "[Close]") {
		t.Fatalf("link warning buttons: %q", text)
	}
	if !strings.Contains(text, "smtp.attacker.example") {
		t.Errorf("warning does not name the server: %q", text)
	}
	answer(u, w, "Cancel")
	if u.account.email.Text != "anna@altro.it" || u.account.hosts[server.SMTP].Text != "" || u.state.link != nil {
		t.Errorf("Cancel left the link's values: %q %q", u.account.email.Text, u.account.hosts[server.SMTP].Text)
	}
	if fc.callCount() != 0 {
		t.Error("a link started a check")
	}
}

// mario@custоmer.example (Cyrillic о) with its server in xn-- form: the
// domain rule would vouch for the server, so only the warning protects
// the customer — it must come, and name both forms.
func TestHomographLinkWarnedWithBothForms(t *testing.T) {
	const lookalike = "cust\u043emer.example"
	ascii, err := discover.CanonicalHost(lookalike)
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"en", "it"} {
		fc := &fakeCheck{report: failingReport()}
		u, w := newLinkUI(t, fc.run, lang, nil)
		u.OpenLink("maildoctor://open?email=" + url.QueryEscape("mario@"+lookalike) + "&imap=imap." + ascii + "%3A993")
		text := dialogText(w)
		if !strings.Contains(text, lookalike) || !strings.Contains(text, ascii) {
			t.Errorf("%s: warning does not show %s and %s: %q", lang, lookalike, ascii, text)
		}
		if strings.Contains(text, "{{") || strings.Contains(text, "link.idn_name") {
			t.Errorf("%s: untranslated warning: %q", lang, text)
		}
	}
}

// profileWeb is an https server for provider settings on names (not IP
// addresses), reached through a client that maps the names to it; it
// counts requests per host and path.
type profileWeb struct {
	client *http.Client
	mu     sync.Mutex
	hits   map[string]int
}

func (p *profileWeb) count(hostPath string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.hits[hostPath]
}

func (p *profileWeb) total() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, c := range p.hits {
		n += c
	}
	return n
}

const (
	clienteProfile = `<clientConfig version="1.1"><emailProvider id="cliente.it">
<domain>cliente.it</domain>
<incomingServer type="imap"><hostname>imap.hoster.example</hostname><port>993</port><socketType>SSL</socketType></incomingServer>
</emailProvider>
<webMail><loginPage url="https://webmail.evil.example/" /></webMail></clientConfig>`
	everyDomainProfile = `<clientConfig version="1.1"><emailProvider id="evil.example">
<domain>%EMAILDOMAIN%</domain>
<incomingServer type="imap"><hostname>imap.evil.example</hostname><port>993</port><socketType>SSL</socketType></incomingServer>
</emailProvider></clientConfig>`
	providerLinkedProfile = `<clientConfig version="1.1"><emailProvider id="maildoctor.example">
<domain>maildoctor.example</domain>
<incomingServer type="imap"><hostname>imap2.maildoctor.example</hostname><port>993</port><socketType>SSL</socketType></incomingServer>
</emailProvider>
<webMail><loginPage url="https://webmail.evil.example/" /></webMail></clientConfig>`
)

func newProfileWeb(t *testing.T) *profileWeb {
	t.Helper()
	names := []string{"profiles.cliente.it", "other.example.net"}
	ca := testpki.NewCA(t, "profile test CA")
	leaf := ca.Leaf(t, testpki.LeafOptions{Names: names})
	p := &profileWeb{hits: map[string]int{}}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := strings.Split(r.Host, ":")[0]
		p.mu.Lock()
		p.hits[host+r.URL.Path]++
		p.mu.Unlock()
		switch r.URL.Path {
		case "/away.xml":
			http.Redirect(w, r, "https://other.example.net/p.xml", http.StatusFound)
		case "/every.xml":
			_, _ = w.Write([]byte(everyDomainProfile))
		case "/provider.xml":
			_, _ = w.Write([]byte(providerLinkedProfile))
		default:
			_, _ = w.Write([]byte(clienteProfile))
		}
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{leaf.TLSCertificate(t)}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	d := &net.Dialer{Timeout: 2 * time.Second}
	tr := &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: ca.Pool()},
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			h, _, _ := net.SplitHostPort(addr)
			for _, n := range names {
				if h == n {
					return d.DialContext(ctx, network, srv.Listener.Addr().String())
				}
			}
			return nil, errors.New("no route to " + addr + " (test)")
		},
	}
	t.Cleanup(tr.CloseIdleConnections)
	p.client = &http.Client{Transport: tr, Timeout: 5 * time.Second}
	return p
}

// loader is the app's loader (discover.LoadProfile) over the test web.
func (p *profileWeb) loader(d *Deps) {
	d.LoadProfile = func(src string) (*discover.Profile, error) {
		return discover.LoadProfile(context.Background(), src, p.client)
	}
}

// A linked profile is fetched only after Test and a dialog naming its
// address; it serves that one check and never joins the app's profiles.
func TestLinkProfileFetchedOnlyAfterConsent(t *testing.T) {
	web := newProfileWeb(t)
	fc := &fakeCheck{report: failingReport()}
	u, w := newLinkUI(t, fc.run, "en", web.loader)
	const src = "https://profiles.cliente.it/p.xml"
	u.OpenLink("maildoctor://open?email=mario%40cliente.it&profile=" + url.QueryEscape(src))
	settle(u)
	if n := web.total(); n != 0 {
		t.Fatalf("opening the link fetched %d times", n)
	}
	closeDialogs(u, w) // the link's own warning, if any, answered Cancel would drop it
	if u.state.link == nil {
		u.OpenLink("maildoctor://open?email=mario%40cliente.it&profile=" + url.QueryEscape(src))
		answer(u, w, "Continue")
	}
	test.Tap(u.account.start)
	settle(u)
	if text := dialogText(w); !strings.Contains(text, src) || !strings.Contains(text, "[Continue]") {
		t.Fatalf("no dialog naming the profile address: %q", text)
	}
	if n := web.total(); n != 0 {
		t.Fatalf("fetched %d times before the customer agreed", n)
	}
	answer(u, w, "Continue")
	settle(u)
	if n := web.count("profiles.cliente.it/p.xml"); n != 1 {
		t.Errorf("fetched %d times after Continue, want 1", n)
	}
	if fc.callCount() != 1 {
		t.Fatalf("%d checks", fc.callCount())
	}
	opt := fc.call(0)
	if len(opt.Profiles) != 2 || opt.Profiles[1].ID != "cliente.it" {
		t.Fatalf("check profiles: %d", len(opt.Profiles))
	}
	if opt.Trust.Provider != u.deps.Profiles[0] || opt.Trust.Trusted("imap.hoster.example") {
		t.Errorf("the linked profile's server is trusted: %+v", opt.Trust)
	}
	if opt.Profiles[1].Webmail != "" {
		t.Errorf("linked profile keeps its webmail %q", opt.Profiles[1].Webmail)
	}
	if len(u.deps.Profiles) != 1 {
		t.Errorf("the linked profile stayed for the session: %d profiles", len(u.deps.Profiles))
	}
	// The next check asks again; Cancel runs it without.
	test.Tap(u.account.start)
	settle(u)
	if !answer(u, w, "Cancel") {
		t.Fatalf("second Test did not ask: %q", dialogText(w))
	}
	if fc.callCount() != 2 || len(fc.call(1).Profiles) != 1 || web.total() != 1 {
		t.Errorf("after Cancel: %d checks, %d profiles, %d fetches", fc.callCount(), len(fc.call(1).Profiles), web.total())
	}
}

// Profiles on loopback, the cloud metadata address or any IP literal are
// refused as the link opens, with a clear message, and never fetched.
func TestLinkProfileOnLoopbackOrMetadataAddressNeverFetched(t *testing.T) {
	var hits int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		atomic.AddInt32(&hits, 1)
		_, _ = w.Write([]byte(clienteProfile))
	}))
	defer srv.Close()
	var loads int32
	fc := &fakeCheck{report: failingReport()}
	u, w := newLinkUI(t, fc.run, "en", func(d *Deps) {
		d.LoadProfile = func(src string) (*discover.Profile, error) {
			atomic.AddInt32(&loads, 1)
			return discover.LoadProfile(context.Background(), src, srv.Client())
		}
	})
	for _, src := range []string{srv.URL + "/p.xml", "https://127.0.0.1/p.xml", "https://169.254.169.254/latest/meta-data/", "https://[::1]/p.xml", "https://192.168.1.1/p.xml"} {
		u.OpenLink("maildoctor://open?email=mario%40cliente.it&profile=" + url.QueryEscape(src))
		settle(u)
		text := dialogText(w)
		if !strings.Contains(text, "bare number address") {
			t.Errorf("%s: no clear refusal: %q", src, text)
		}
		closeDialogs(u, w)
		test.Type(u.account.email, "")
		u.account.email.SetText("mario@cliente.it")
		test.Tap(u.account.start)
		settle(u)
		closeDialogs(u, w)
	}
	if n := atomic.LoadInt32(&hits); n != 0 {
		t.Errorf("the loopback server got %d requests", n)
	}
	if n := atomic.LoadInt32(&loads); n != 0 {
		t.Errorf("the loader was called %d times", n)
	}
}

// A linked profile whose host redirects elsewhere is not used, and the
// other host is never asked.
func TestLinkProfileRedirectingHostRefused(t *testing.T) {
	web := newProfileWeb(t)
	fc := &fakeCheck{report: failingReport()}
	u, w := newLinkUI(t, fc.run, "en", web.loader)
	u.OpenLink("maildoctor://open?email=mario%40cliente.it&profile=" + url.QueryEscape("https://profiles.cliente.it/away.xml"))
	settle(u)
	closeDialogs(u, w)
	if u.state.link == nil {
		t.Fatal("link not kept")
	}
	test.Tap(u.account.start)
	settle(u)
	answer(u, w, "Continue")
	settle(u)
	if text := dialogText(w); !strings.Contains(text, "could not be downloaded") {
		t.Errorf("no message that the settings are not used: %q", text)
	}
	closeDialogs(u, w)
	if n := web.count("other.example.net/p.xml"); n != 0 {
		t.Errorf("the redirect was followed to another host (%d requests)", n)
	}
	if fc.callCount() != 1 || len(fc.call(0).Profiles) != 1 {
		t.Errorf("check ran with the redirected profile")
	}
}

// A linked profile claiming <domain>%EMAILDOMAIN%</domain> would cover
// every address: it is rejected with a clear message.
func TestLinkProfileForEveryDomainRejected(t *testing.T) {
	web := newProfileWeb(t)
	for _, lang := range []string{"en", "it"} {
		fc := &fakeCheck{report: failingReport()}
		u, w := newLinkUI(t, fc.run, lang, web.loader)
		u.OpenLink("maildoctor://open?email=mario%40cliente.it&profile=" + url.QueryEscape("https://profiles.cliente.it/every.xml"))
		settle(u)
		closeDialogs(u, w)
		test.Tap(u.account.start)
		settle(u)
		answer(u, w, u.T("gui.link.continue"))
		settle(u)
		want := map[string]string{"en": "every e-mail address", "it": "qualsiasi indirizzo e-mail"}[lang]
		if text := dialogText(w); !strings.Contains(text, want) {
			t.Errorf("%s: no clear rejection: %q", lang, text)
		}
		closeDialogs(u, w)
		settle(u)
		if fc.callCount() != 1 {
			t.Fatalf("%s: %d checks", lang, fc.callCount())
		}
		for _, p := range fc.call(0).Profiles {
			if p.ID == "evil.example" {
				t.Errorf("%s: the %%EMAILDOMAIN%% profile reached the check", lang)
			}
		}
	}
}

// A linked profile for the provider's own domain never replaces the
// built-in profile's webmail page.
func TestLinkProfileNeverReplacesBuiltInWebmail(t *testing.T) {
	web := newProfileWeb(t)
	fc := &fakeCheck{report: failingReport()}
	u, w := newLinkUI(t, fc.run, "en", web.loader)
	u.OpenLink("maildoctor://open?email=mario%40maildoctor.example&profile=" + url.QueryEscape("https://profiles.cliente.it/provider.xml"))
	settle(u)
	if !answer(u, w, "Continue") {
		t.Errorf("no warning about the foreign profile host: %q", dialogText(w))
	}
	if u.state.link == nil {
		t.Fatal("link not kept")
	}
	test.Tap(u.account.start)
	settle(u)
	answer(u, w, "Continue")
	settle(u)
	if fc.callCount() != 1 || len(fc.call(0).Profiles) != 2 {
		t.Fatalf("%d checks", fc.callCount())
	}
	if got, want := fc.call(0).Profiles[1].Webmail, u.deps.Profiles[0].Webmail; got != want {
		t.Errorf("linked profile webmail %q, want the built-in %q", got, want)
	}
}

// After a check, a server that was not given the password has "Trust this
// server and test": a dialog names it in both forms, Continue re-runs the
// check with that server confirmed, Cancel runs nothing.
func TestTrustThisHostAndTest(t *testing.T) {
	const ascii, uni = "imap.xn--caff-8oa.it", "imap.caffè.it"
	rep := failingReport()
	rep.Findings = append(rep.Findings, finding.New("auth.host_not_trusted", finding.Warn, ascii+":993",
		"host", ascii, "host_unicode", uni, "protocol", "IMAP", "source", "mx"))
	fc := &fakeCheck{report: rep}
	u, w := newLinkUI(t, fc.run, "en", nil)
	test.Type(u.account.email, "mario@cliente.it")
	typePassword(u, "segreta")
	test.Tap(u.account.start)
	settle(u)
	if dialogObject(w) != nil {
		t.Fatalf("a question before a plain check: %q", dialogText(w))
	}
	b := findButton(u.account.results, "Trust this server and test")
	if b == nil {
		t.Fatalf("no \"Trust this server and test\": %v", allText(u.account.results))
	}
	test.Tap(b)
	text := dialogText(w)
	if !strings.Contains(text, uni) || !strings.Contains(text, ascii) {
		t.Errorf("question does not name both forms: %q", text)
	}
	answer(u, w, "Cancel")
	if fc.callCount() != 1 {
		t.Errorf("Cancel ran a check")
	}
	test.Tap(findButton(u.account.results, "Trust this server and test"))
	answer(u, w, "Continue")
	if fc.callCount() != 2 {
		t.Fatalf("%d checks after Continue, want 2", fc.callCount())
	}
	opt := fc.call(1)
	if r := opt.Trust.Decide(ascii); r != trust.Confirmed {
		t.Errorf("server is %q in the re-run, want confirmed", r)
	}
	if opt.Password == nil || *opt.Password != "segreta" || opt.Email != "mario@cliente.it" {
		t.Errorf("re-run options: %+v", opt)
	}
}

// closedPorts returns n loopback ports nothing listens on.
func closedPorts(t *testing.T, n int) []int {
	t.Helper()
	var out []int
	for i := 0; i < n; i++ {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, ln.Addr().(*net.TCPAddr).Port)
		ln.Close()
	}
	return out
}

// noDNS answers nothing, as on a machine without a network.
type noDNS struct{}

func (noDNS) LookupSRV(context.Context, string, string, string) (string, []*net.SRV, error) {
	return "", nil, &net.DNSError{Err: "no such host", IsNotFound: true}
}

func (noDNS) LookupMX(context.Context, string) ([]*net.MX, error) {
	return nil, &net.DNSError{Err: "no such host", IsNotFound: true}
}

func (noDNS) LookupHost(_ context.Context, host string) ([]string, error) {
	return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}
