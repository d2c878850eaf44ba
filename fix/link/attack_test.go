package link

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"maildoctor.app/maildoctor/assets"
	"maildoctor.app/maildoctor/detect/discover"
)

// A link whose profile lives on this computer, the local network, a cloud
// metadata service or a bare IP address is refused as it is read, with a
// clear reason: nothing is ever fetched from there.
func TestLinkProfileOnLoopbackLANOrIPLiteralRefused(t *testing.T) {
	for profile, key := range map[string]string{
		"https://127.0.0.1/p.xml":                   "link.error.ip_profile",
		"https://169.254.169.254/latest/meta-data/": "link.error.ip_profile",
		"https://[::1]/p.xml":                       "link.error.ip_profile",
		"https://10.0.0.8/p.xml":                    "link.error.ip_profile",
		"https://192.168.1.1:8443/p.xml":            "link.error.ip_profile",
		"https://[fd00::1]/p.xml":                   "link.error.ip_profile",
		"https://[fe80::1]/p.xml":                   "link.error.ip_profile",
		"https://93.184.216.34/p.xml":               "link.error.ip_profile",
		"https://2130706433/p.xml":                  "link.error.ip_profile",
		"https://localhost/p.xml":                   "link.error.local_profile",
		"https://mail.localhost/p.xml":              "link.error.local_profile",
		"https://nas.local/p.xml":                   "link.error.local_profile",
		"https://router/p.xml":                      "link.error.local_profile",
	} {
		raw := "maildoctor://open?email=mario%40cliente.it&profile=" + url.QueryEscape(profile)
		l, err := Parse(raw)
		var le *Error
		if !errors.As(err, &le) || le.Key != key {
			t.Errorf("Parse(profile=%s) = %+v, %v; want %s", profile, l, err, key)
			continue
		}
		if le.Args["host"] == "" {
			t.Errorf("%s: the reason does not name the host", profile)
		}
		if _, err := Build(Link{Email: "mario@cliente.it", Profile: profile}); err == nil {
			t.Errorf("Build made a link with profile %s", profile)
		}
	}
	for _, lang := range []string{"en", "it"} {
		data, err := assets.Translations.ReadFile("translation/" + lang + ".json")
		if err != nil {
			t.Fatal(err)
		}
		for _, key := range []string{"link.error.ip_profile", "link.error.local_profile", "link.error.any_domain_profile", "link.error.profile_not_for",
			IDNName + ".title", IDNName + ".detail"} {
			if !strings.Contains(string(data), `"`+key+`"`) {
				t.Errorf("%s.json has no %s", lang, key)
			}
		}
	}
}

// mario@custоmer.example with a Cyrillic о, and a server under that
// look-alike domain written in xn-- form: the link is warned about, and
// each warning names the name in both forms.
func TestHomographLinkWarnedWithBothForms(t *testing.T) {
	const lookalike = "cust\u043emer.example" // Cyrillic о
	ascii, err := discover.CanonicalHost(lookalike)
	if err != nil || !strings.HasPrefix(ascii, "xn--") {
		t.Fatalf("CanonicalHost(%q) = %q, %v", lookalike, ascii, err)
	}
	builtIn := []*discover.Profile{profile(t, string(assets.DefaultProfile))}
	for name, raw := range map[string]string{
		"Unicode address":              "maildoctor://open?email=" + url.QueryEscape("mario@"+lookalike),
		"Unicode address, xn-- server": "maildoctor://open?email=" + url.QueryEscape("mario@"+lookalike) + "&imap=imap." + ascii + ":993",
		"xn-- address":                 "maildoctor://open?email=mario%40" + ascii,
		"xn-- server only":             "maildoctor://open?email=mario%40customer.example&smtp=smtp." + ascii,
		"Unicode profile host":         "maildoctor://open?email=mario%40customer.example&profile=" + url.QueryEscape("https://"+lookalike+"/p.xml"),
	} {
		t.Run(name, func(t *testing.T) {
			l, err := Parse(raw)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, w := range l.Warnings(builtIn, nil) {
				if strings.Contains(w.Args["host"], ascii) && strings.Contains(w.Args["host_unicode"], lookalike) {
					found = true
				}
				if w.Args["host"] == "" || w.Args["host_unicode"] == "" {
					t.Errorf("%s names the host in one form only: %v", w.ID, w.Args)
				}
			}
			if !found {
				t.Errorf("no warning names %s and %s: %+v", lookalike, ascii, l.Warnings(builtIn, nil))
			}
		})
	}
	// A plain ASCII link brings no such warning.
	l, err := Parse("maildoctor://open?email=mario%40customer.example&imap=imap.customer.example")
	if err != nil {
		t.Fatal(err)
	}
	if ws := l.Warnings(builtIn, nil); len(ws) != 0 {
		t.Errorf("plain link warned: %+v", ws)
	}
}

func TestHostForms(t *testing.T) {
	for in, want := range map[string][2]string{
		"imap.caffè.it":         {"imap.xn--caff-8oa.it", "imap.caffè.it"},
		"IMAP.XN--CAFF-8OA.IT.": {"imap.xn--caff-8oa.it", "imap.caffè.it"},
		"imap.example.it":       {"imap.example.it", "imap.example.it"},
		"192.0.2.7":             {"192.0.2.7", "192.0.2.7"},
		"cust\u043emer.example": {"xn--custmer-djg.example", "cust\u043emer.example"},
	} {
		a, u := HostForms(in)
		if a != want[0] || u != want[1] {
			t.Errorf("HostForms(%q) = %q, %q; want %q", in, a, u, want)
		}
	}
	for name, want := range map[string]bool{"caffè.it": true, "xn--caff-epa.it": true, "XN--CAFF-EPA.IT": true, "example.it": false, "": false} {
		if IsIDN(name) != want {
			t.Errorf("IsIDN(%q) = %v", name, !want)
		}
	}
}

const anyDomainProfile = `<clientConfig version="1.1"><emailProvider id="evil.example">
<domain>%EMAILDOMAIN%</domain>
<incomingServer type="imap"><hostname>imap.evil.example</hostname><port>993</port><socketType>SSL</socketType></incomingServer>
</emailProvider></clientConfig>`

const clienteProfile = `<clientConfig version="1.1"><emailProvider id="cliente.it">
<domain>cliente.it</domain>
<incomingServer type="imap"><hostname>imap.hoster.example</hostname><port>993</port><socketType>SSL</socketType></incomingServer>
</emailProvider>
<webMail><loginPage url="https://webmail.evil.example/" /></webMail></clientConfig>`

// A linked profile that claims every domain, or another domain, is not
// used; one that fits keeps its servers only: no webmail page of its own.
func TestLinkedProfileRules(t *testing.T) {
	builtIn := profile(t, string(assets.DefaultProfile))
	var le *Error
	if _, err := UseProfile(profile(t, anyDomainProfile), "mario@cliente.it", builtIn); !errors.As(err, &le) || le.Key != "link.error.any_domain_profile" {
		t.Errorf("%%EMAILDOMAIN%% profile: %v", err)
	}
	if _, err := UseProfile(profile(t, clienteProfile), "mario@altro.it", builtIn); !errors.As(err, &le) || le.Key != "link.error.profile_not_for" {
		t.Errorf("profile for another domain: %v", err)
	}
	p, err := UseProfile(profile(t, clienteProfile), "mario@cliente.it", builtIn)
	if err != nil {
		t.Fatal(err)
	}
	if p.Webmail != "" || len(p.Incoming) != 1 || p.Provider.Brand != "" {
		t.Errorf("linked profile kept %q, %+v", p.Webmail, p.Provider)
	}
	// For a domain the built-in profile covers, its webmail stays.
	d := builtIn.Domains[0]
	own := strings.Replace(clienteProfile, "cliente.it", d, -1)
	p, err = UseProfile(profile(t, own), "mario@"+d, builtIn)
	if err != nil {
		t.Fatal(err)
	}
	if p.Webmail != builtIn.Webmail {
		t.Errorf("webmail = %q, want the built-in %q", p.Webmail, builtIn.Webmail)
	}
}
