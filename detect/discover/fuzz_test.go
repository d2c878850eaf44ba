package discover

import (
	"bytes"
	"strings"
	"testing"

	"maildoctor.app/maildoctor/detect/server"
)

func FuzzParseProfile(f *testing.F) {
	for _, s := range seedFiles() {
		f.Add([]byte(s))
	}
	for _, bad := range []string{"<maildoctor>", `<maildoctor xmlns="` + ExtensionNS + `"><sendLimit messages="-1" per="hour"/>`} {
		f.Add([]byte(strings.Replace(extFile, `<maildoctor xmlns="`+ExtensionNS+`">`, bad, 1)))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParseProfile(data)
		if err != nil {
			if p != nil {
				t.Fatal("profile returned with an error")
			}
			return
		}
		if !bytes.Equal(p.Raw, data) {
			t.Fatal("Raw differs from the input")
		}
		if len(p.Incoming)+len(p.Outgoing) == 0 {
			t.Fatal("profile without servers accepted")
		}
		for _, d := range append(append([]string(nil), p.Domains...), p.mxDomains...) {
			if d == phDomain {
				continue
			}
			if n, err := asciiName(d, false); err != nil || n != d {
				t.Fatalf("domain %q is not normalised: %q, %v", d, n, err)
			}
		}
		check := func(s Server, want ...server.Protocol) {
			if s.Port < 1 || s.Port > 65535 {
				t.Fatalf("%v: port out of range", s.Endpoint)
			}
			if protocolIndex(s.Protocol) < 0 || (s.Protocol == server.SMTP) != (want[0] == server.SMTP) {
				t.Fatalf("%v: wrong protocol", s.Endpoint)
			}
			switch s.Security {
			case server.TLS, server.StartTLS, server.None:
			default:
				t.Fatalf("%v: security %q", s.Endpoint, s.Security)
			}
			h := fill(s.Host, "u@example.com", "u", "example.com")
			if n, err := hostName(h); err != nil || (!strings.Contains(s.Host, "%") && n != s.Host) {
				t.Fatalf("host %q is not a normalised name: %q, %v", s.Host, n, err)
			}
		}
		for _, s := range p.Incoming {
			check(s, server.IMAP)
		}
		for _, s := range p.Outgoing {
			check(s, server.SMTP)
		}
		if p.Webmail != "" && !strings.HasPrefix(p.Webmail, "https://") {
			t.Fatalf("webmail %q is not https", p.Webmail)
		}
		checkProviderInfo(t, p.Provider)
		// What a profile yields for an address must be usable as is.
		a := newAddress("x@example.com", "x", "example.com")
		f := profileFinding(p, a, SourceProfile, SourceProfile)
		for _, list := range f.servers {
			for _, s := range list {
				if n, err := hostName(s.Host); err != nil || n != s.Host {
					t.Fatalf("filled host %q: %q, %v", s.Host, n, err)
				}
				if s.Security != server.TLS && s.Security != server.StartTLS {
					t.Fatalf("chosen server %v has security %q", s.Endpoint, s.Security)
				}
			}
		}
	})
}

// checkProviderInfo holds the extension's values to what the app may show
// and link to without further checks.
func checkProviderInfo(t *testing.T, pi ProviderInfo) {
	t.Helper()
	if pi.SupportURL != "" && !strings.HasPrefix(pi.SupportURL, "https://") && !strings.HasPrefix(pi.SupportURL, "http://") {
		t.Fatalf("support URL %q is not a web link", pi.SupportURL)
	}
	if pi.SupportEmail != "" {
		if _, _, err := SplitAddress(pi.SupportEmail); err != nil {
			t.Fatalf("support e-mail %q: %v", pi.SupportEmail, err)
		}
	}
	if !validPhone(pi.SupportPhone) || strings.ContainsAny(pi.Brand, "\r\n\t") {
		t.Fatalf("phone %q or brand %q not clean", pi.SupportPhone, pi.Brand)
	}
	if _, ok := pi.StartTLSEndDate(); pi.StartTLSEnds != "" && !ok {
		t.Fatalf("date %q does not parse", pi.StartTLSEnds)
	}
	switch pi.MinTLS {
	case "", "1.0", "1.1", "1.2", "1.3":
	default:
		t.Fatalf("min TLS %q", pi.MinTLS)
	}
	for _, l := range pi.SendLimits {
		if l.Messages < 1 || (l.Per != "minute" && l.Per != "hour" && l.Per != "day") {
			t.Fatalf("send limit %+v", l)
		}
	}
	for _, d := range pi.Domains {
		if n, err := asciiName(d, false); err != nil || n != d || !strings.Contains(d, ".") {
			t.Fatalf("provider domain %q is not normalised: %q, %v", d, n, err)
		}
	}
}

func FuzzSplitAddress(f *testing.F) {
	for _, s := range []string{
		"mario.rossi@example.it", " Mario@Example.IT ", "posta@caffè.it", "hans@münchen.de",
		"notanemail", "a@", "@b.it", "a@@b.it", "a b@c.it", "a@b.it.", "a@xn--caff-8oa.it",
		"a@192.0.2.1", "a@[192.0.2.1]", "x@ｅｘａｍｐｌｅ.it", "a@b..c", "a@-b.c", "\"a\"@b.c",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		local, domain, err := SplitAddress(in)
		if err != nil {
			if local != "" || domain != "" {
				t.Fatal("parts returned with an error")
			}
			if !strings.Contains(err.Error(), "is not an e-mail address") {
				t.Fatalf("unclear error %q", err)
			}
			return
		}
		if local == "" || strings.ContainsAny(local, "@ \t\r\n") {
			t.Fatalf("bad local part %q", local)
		}
		if !strings.Contains(domain, ".") || strings.ToLower(domain) != domain || strings.HasSuffix(domain, ".") {
			t.Fatalf("bad domain %q", domain)
		}
		for i := 0; i < len(domain); i++ {
			if domain[i] > 127 {
				t.Fatalf("domain %q is not ASCII", domain)
			}
		}
		// The ASCII form is a fixed point: splitting it again changes nothing.
		l2, d2, err := SplitAddress(local + "@" + domain)
		if err != nil || l2 != local || d2 != domain {
			t.Fatalf("SplitAddress(%q) = %q, %q, %v; want %q, %q", local+"@"+domain, l2, d2, err, local, domain)
		}
		a := newAddress(in, local, domain)
		if a.email[len(a.local)] != '@' {
			t.Fatalf("newAddress split %q wrongly", in)
		}
	})
}
