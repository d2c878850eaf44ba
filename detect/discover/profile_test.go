package discover

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"maildoctor.app/maildoctor/detect/server"
)

func srvEntry(p server.Protocol, host string, port int, sec server.Security, user string, auth ...string) Server {
	return Server{
		Endpoint: server.Endpoint{Protocol: p, Host: host, Port: port, Security: sec},
		Source:   SourceProfile,
		Username: user,
		Auth:     auth,
	}
}

func TestParseProfile(t *testing.T) {
	const pc = "password-cleartext"
	big := hosterFile[:len(hosterFile)-len("</clientConfig>\n")] +
		"<!--" + strings.Repeat("x", MaxProfileSize) + "-->\n</clientConfig>\n"
	tests := []struct {
		name    string
		data    string
		want    *Profile // Raw is not compared
		wantErr string
	}{
		{
			name: "recommended hoster file",
			data: hosterFile,
			want: &Profile{
				ID: "hoster.example", DisplayName: "Hoster Mail", ShortName: "Hoster",
				Domains: []string{"%EMAILDOMAIN%"},
				Incoming: []Server{
					srvEntry(server.IMAP, "imap.hoster.example", 993, server.TLS, "%EMAILADDRESS%", pc),
					srvEntry(server.IMAP, "imap.hoster.example", 143, server.StartTLS, "%EMAILADDRESS%", pc),
					srvEntry(server.POP3, "pop.hoster.example", 995, server.TLS, "%EMAILADDRESS%", pc),
				},
				Outgoing: []Server{
					srvEntry(server.SMTP, "smtp.hoster.example", 465, server.TLS, "%EMAILADDRESS%", pc),
					srvEntry(server.SMTP, "smtp.hoster.example", 587, server.StartTLS, "%EMAILADDRESS%", pc),
				},
				Webmail: "https://webmail.hoster.example/",
				Documentation: []Doc{{URL: "https://help.hoster.example/mail-settings",
					Descr: map[string]string{"en": "Mail settings"}}},
			},
		},
		{
			name: "ISPDB entry with several domains",
			data: ispdbFile,
			want: &Profile{
				ID: "posta.example.it", DisplayName: "Posta Esempio", ShortName: "Esempio",
				Domains: []string{"posta.example.it", "example.net", "esempio.it", "xn--caff-8oa.it"},
				Incoming: []Server{
					srvEntry(server.IMAP, "imapmail.example.it", 993, server.TLS, "%EMAILLOCALPART%", "password-encrypted", pc),
					srvEntry(server.POP3, "popmail.example.it", 995, server.TLS, "%EMAILLOCALPART%", pc),
				},
				Outgoing: []Server{
					srvEntry(server.SMTP, "smtpmail.example.it", 465, server.TLS, "%EMAILLOCALPART%", pc),
				},
				Webmail: "https://mail.example.it/login",
				Documentation: []Doc{{URL: "https://assistenza.example.it/posta/imap",
					Descr: map[string]string{"it": "Configurare la posta con IMAP", "en": "Setting up IMAP"}}},
			},
		},
		{
			name: "unknown elements, types and socket types",
			data: draftFile,
			want: &Profile{
				ID: "example.org", DisplayName: "Example Org",
				Domains: []string{"example.org"},
				Incoming: []Server{
					srvEntry(server.IMAP, "mail.example.org", 993, server.TLS, "%EMAILADDRESS%", "SASL SCRAM-SHA-256-PLUS"),
				},
				Outgoing: []Server{
					srvEntry(server.SMTP, "mail.example.org", 587, server.StartTLS, "%EMAILADDRESS%"),
				},
				mxDomains: []string{"mx.example-mail.net"},
			},
		},
		{
			name: "plain text only",
			data: plainFile,
			want: &Profile{
				ID: "old.example", Domains: []string{"old.example"},
				Incoming: []Server{srvEntry(server.POP3, "mail.old.example", 110, server.None, "%EMAILADDRESS%", pc)},
				Outgoing: []Server{srvEntry(server.SMTP, "mail.old.example", 25, server.None, "", "none")},
			},
		},
		{
			name: "placeholders in host names",
			data: placeholderHostFile,
			want: &Profile{
				ID: "panel", Domains: []string{"%EMAILDOMAIN%"},
				Incoming: []Server{srvEntry(server.IMAP, "mail.%EMAILDOMAIN%", 993, server.TLS, "%EMAILADDRESS%")},
				Outgoing: []Server{srvEntry(server.SMTP, "mail.%EMAILDOMAIN%", 465, server.TLS, "%EMAILLOCALPART%@%EMAILDOMAIN%")},
			},
		},
		{
			name: "BOM and Latin-1",
			data: "\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n" +
				"<clientConfig><emailProvider id=\"l1\"><domain>l1.example</domain><displayName>Caff\xe8 Posta</displayName>" +
				"<incomingServer type=\"IMAP\"><hostname>IMAP.L1.EXAMPLE.</hostname><port> 993 </port><socketType>ssl</socketType></incomingServer>" +
				"</emailProvider><webMail><loginPage url=\"http://webmail.l1.example/\"/></webMail></clientConfig>",
			want: &Profile{
				ID: "l1", DisplayName: "Caffè Posta", Domains: []string{"l1.example"},
				Incoming: []Server{srvEntry(server.IMAP, "imap.l1.example", 993, server.TLS, "")},
			},
		},
		{name: "port out of range", data: strings.Replace(hosterFile, "<port>993</port>", "<port>99999</port>", 1), wantErr: "port"},
		{name: "port zero", data: strings.Replace(hosterFile, "<port>465</port>", "<port>0</port>", 1), wantErr: "port"},
		{name: "port not a number", data: strings.Replace(hosterFile, "<port>143</port>", "<port>imap</port>", 1), wantErr: "port"},
		{name: "host with a space", data: strings.Replace(hosterFile, "imap.hoster.example", "imap hoster.example", 1), wantErr: "not a valid"},
		{name: "host with a path", data: strings.Replace(hosterFile, "smtp.hoster.example", "smtp.hoster.example/x", 1), wantErr: "not a valid"},
		{name: "host empty", data: strings.Replace(hosterFile, "pop.hoster.example", " ", 1), wantErr: "empty"},
		{name: "host placeholder making an invalid name", data: strings.Replace(hosterFile, "pop.hoster.example", "%EMAILADDRESS%.example", 1), wantErr: "hostname"},
		{name: "bad domain", data: strings.Replace(hosterFile, "%EMAILDOMAIN%</domain>", "not a domain</domain>", 1), wantErr: "<domain>"},
		{name: "wrong root", data: "<config><emailProvider id=\"x\"/></config>", wantErr: "clientConfig"},
		{name: "html page", data: "<!DOCTYPE html><html><body>Not found</body></html>", wantErr: "not a config-v1.1.xml"},
		{name: "not XML", data: "hello, world", wantErr: "not a config-v1.1.xml"},
		{name: "JSON", data: `{"clientConfig": {}}`, wantErr: "not a config-v1.1.xml"},
		{name: "empty", data: "", wantErr: "not a config-v1.1.xml"},
		{name: "truncated", data: hosterFile[:len(hosterFile)/2], wantErr: "not a config-v1.1.xml"},
		{name: "unknown encoding", data: `<?xml version="1.0" encoding="EBCDIC"?><clientConfig/>`, wantErr: "EBCDIC"},
		{name: "no emailProvider", data: `<clientConfig version="1.1"><webMail/></clientConfig>`, wantErr: "no <emailProvider>"},
		{name: "no usable server", data: `<clientConfig><emailProvider id="x"><domain>x.example</domain>` +
			`<incomingServer type="exchange"><hostname>ex.x.example</hostname></incomingServer>` +
			`<incomingServer type="imap"><hostname>imap.x.example</hostname><socketType>SSLv2</socketType></incomingServer>` +
			`</emailProvider></clientConfig>`, wantErr: "no usable"},
		{name: "larger than 1 MiB", data: big, wantErr: "more than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseProfile([]byte(tt.data))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseProfile() error = %v, want one containing %q", err, tt.wantErr)
				}
				if got != nil {
					t.Errorf("ParseProfile() returned a profile with error %v", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseProfile() error = %v", err)
			}
			if string(got.Raw) != tt.data {
				t.Errorf("Raw is not the file as read")
			}
			got.Raw = nil
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseProfile() =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestParseProfileKeepsNoReferenceToInput(t *testing.T) {
	data := []byte(hosterFile)
	p, err := ParseProfile(data)
	if err != nil {
		t.Fatal(err)
	}
	data[0] = 'X'
	if p.Raw[0] != '<' {
		t.Error("Raw shares memory with the caller's slice")
	}
}

func TestProfileCoversAndHosts(t *testing.T) {
	isp, err := ParseProfile([]byte(ispdbFile))
	if err != nil {
		t.Fatal(err)
	}
	for domain, want := range map[string]bool{
		"posta.example.it": true,
		"EXAMPLE.net.":     true,
		"caffè.it":         true,
		"xn--caff-8oa.it":  true,
		"example.it":       false,
		"sub.esempio.it":   false,
		"":                 false,
		"not a domain":     false,
	} {
		if got := isp.Covers(domain); got != want {
			t.Errorf("Covers(%q) = %v, want %v", domain, got, want)
		}
	}
	wantHosts := []string{"imapmail.example.it", "popmail.example.it", "smtpmail.example.it"}
	if got := isp.Hosts(); !reflect.DeepEqual(got, wantHosts) {
		t.Errorf("Hosts() = %v, want %v", got, wantHosts)
	}

	any, err := ParseProfile([]byte(hosterFile))
	if err != nil {
		t.Fatal(err)
	}
	if !any.Covers("whatever.example") {
		t.Error("a profile for any domain should cover every domain")
	}
	wantHosts = []string{"imap.hoster.example", "pop.hoster.example", "smtp.hoster.example"}
	if got := any.Hosts(); !reflect.DeepEqual(got, wantHosts) {
		t.Errorf("Hosts() = %v, want %v", got, wantHosts)
	}
}

func TestProfileHostsMX(t *testing.T) {
	draft, err := ParseProfile([]byte(draftFile))
	if err != nil {
		t.Fatal(err)
	}
	def := defaultProfile(t)
	tests := []struct {
		p    *Profile
		mx   string
		want bool
	}{
		{def, "mx1.maildoctor.example", true}, // under an e-mail domain
		{def, "maildoctor.example", true},     // the domain itself
		{def, "mx.notmaildoctor.example", false},
		{def, "example", false},                  // never a whole TLD
		{draft, "in1.mx.example-mail.net", true}, // <domain purpose="mx">
		{draft, "example-mail.net", false},
		{draft, "smtp.example.org", true}, // parent of mail.example.org
	}
	for _, tt := range tests {
		if got := tt.p.hostsMX(tt.mx); got != tt.want {
			t.Errorf("%s.hostsMX(%q) = %v, want %v", tt.p.ID, tt.mx, got, tt.want)
		}
	}
	if draft.Covers("mx.example-mail.net") {
		t.Error("an MX domain must not count as an e-mail domain")
	}
}

func TestParentDomain(t *testing.T) {
	for in, want := range map[string]string{
		"imap.provider.example":  "provider.example",
		"a.b.provider.example":   "b.provider.example",
		"provider.example":       "",
		"localhost":              "",
		"192.0.2.1":              "",
		"2001:db8::1":            "",
		"imap.provider.co.uk":    "provider.co.uk",
		"mail.%EMAILDOMAIN%.com": "%EMAILDOMAIN%.com",
	} {
		if got := parentDomain(in); got != want {
			t.Errorf("parentDomain(%q) = %q, want %q", in, got, want)
		}
	}
}

func defaultProfile(t testing.TB) *Profile {
	t.Helper()
	data, err := os.ReadFile("../../assets/profile/default.xml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParseProfile(data)
	if err != nil {
		t.Fatalf("default profile: %v", err)
	}
	return p
}

func TestDefaultProfile(t *testing.T) {
	p := defaultProfile(t)
	const pc = "password-cleartext"
	const user = "%EMAILADDRESS%"
	want := &Profile{
		ID:          "maildoctor.example",
		DisplayName: "Mail Doctor Example Hosting",
		ShortName:   "Mail Doctor Example",
		Domains:     []string{"maildoctor.example"},
		Incoming: []Server{
			srvEntry(server.IMAP, "imap.maildoctor.example", 993, server.TLS, user, pc),
			srvEntry(server.IMAP, "imap.maildoctor.example", 143, server.StartTLS, user, pc),
			srvEntry(server.POP3, "pop.maildoctor.example", 995, server.TLS, user, pc),
			srvEntry(server.POP3, "pop.maildoctor.example", 110, server.StartTLS, user, pc),
		},
		Outgoing: []Server{
			srvEntry(server.SMTP, "smtp.maildoctor.example", 465, server.TLS, user, pc),
			srvEntry(server.SMTP, "smtp.maildoctor.example", 587, server.StartTLS, user, pc),
		},
		Webmail: "https://webmail.maildoctor.example/",
		Provider: ProviderInfo{
			Brand:        "Mail Doctor Example Hosting",
			SupportEmail: "support@maildoctor.example",
			SupportURL:   "https://www.maildoctor.example/support",
			StartTLSEnds: "2026-12-31",
			MinTLS:       "1.2",
			// shared/seeds/003: "una limitazione di 100 invii/ora".
			SendLimits: []SendLimit{{Messages: 100, Per: "hour"}},
			Domains:    []string{"maildoctor.example"},
		},
	}
	docs := p.Documentation
	got := *p
	got.Raw, got.Documentation = nil, nil
	if !reflect.DeepEqual(&got, want) {
		t.Errorf("default profile =\n%+v\nwant\n%+v", &got, want)
	}
	if len(docs) != 1 || !strings.HasPrefix(docs[0].URL, "https://") || docs[0].Descr["it"] == "" || docs[0].Descr["en"] == "" {
		t.Errorf("default profile documentation = %+v, want one https link described in it and en", docs)
	}
}

func TestParseProfileExtension(t *testing.T) {
	p, err := ParseProfile([]byte(extFile))
	if err != nil {
		t.Fatal(err)
	}
	want := ProviderInfo{
		Brand:        "Brand Hosting S.r.l.",
		SupportEmail: "Aiuto@brand.example",
		SupportPhone: "+39 (02) 1234-5678",
		SupportURL:   "https://www.brand.example/aiuto",
		StartTLSEnds: "2026-12-31",
		MinTLS:       "1.2",
		SendLimits:   []SendLimit{{100, "hour"}, {1000, "day"}},
		Domains:      []string{"brand-mail.example", "brand.example"},
	}
	if !reflect.DeepEqual(p.Provider, want) {
		t.Errorf("Provider =\n%+v\nwant\n%+v", p.Provider, want)
	}
	if d, ok := p.Provider.StartTLSEndDate(); !ok || d.Format("2006-01-02") != "2026-12-31" {
		t.Errorf("StartTLSEndDate() = %v, %v", d, ok)
	}
	if p.Name() != "Brand Hosting S.r.l." {
		t.Errorf("Name() = %q, want the brand", p.Name())
	}
}

// A file without the extension has an empty ProviderInfo and is named by
// its display name.
func TestParseProfileWithoutExtension(t *testing.T) {
	p, err := ParseProfile([]byte(hosterFile))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p.Provider, ProviderInfo{}) {
		t.Errorf("Provider = %+v, want zero", p.Provider)
	}
	if _, ok := p.Provider.StartTLSEndDate(); ok {
		t.Error("StartTLSEndDate() ok without a date")
	}
	if p.Name() != "Hoster Mail" {
		t.Errorf("Name() = %q", p.Name())
	}
}

func TestParseProfileExtensionErrors(t *testing.T) {
	ext := func(inner string) string {
		return strings.Replace(hosterFile, "</emailProvider>",
			`<maildoctor xmlns="`+ExtensionNS+`">`+inner+`</maildoctor></emailProvider>`, 1)
	}
	tests := []struct {
		name, data, wantErr string
	}{
		{"no namespace", strings.Replace(hosterFile, "</emailProvider>", "<maildoctor><brand>x</brand></maildoctor></emailProvider>", 1), "needs xmlns"},
		{"twice", strings.Replace(ext("<brand>a</brand>"), "</emailProvider>", `<maildoctor xmlns="`+ExtensionNS+`"/></emailProvider>`, 1), "more than one"},
		{"brand twice", ext("<brand>a</brand><brand>b</brand>"), "<brand> appears 2 times"},
		{"brand too long", ext("<brand>" + strings.Repeat("è", maxBrand+1) + "</brand>"), "longer than"},
		{"date in Italian order", ext("<starttlsEnds>31/12/2026</starttlsEnds>"), "YYYY-MM-DD"},
		{"impossible date", ext("<starttlsEnds>2026-02-30</starttlsEnds>"), "YYYY-MM-DD"},
		{"TLS version with prefix", ext("<minTLS>TLSv1.2</minTLS>"), "<minTLS>"},
		{"send limit zero", ext(`<sendLimit messages="0" per="hour"/>`), "<sendLimit messages"},
		{"send limit text", ext(`<sendLimit messages="cento" per="hour"/>`), "<sendLimit messages"},
		{"send limit huge", ext(`<sendLimit messages="99999999999" per="hour"/>`), "<sendLimit messages"},
		{"send limit per week", ext(`<sendLimit messages="10" per="week"/>`), "minute, hour or day"},
		{"send limit without per", ext(`<sendLimit messages="10"/>`), "minute, hour or day"},
		{"support e-mail", ext("<support><email>support at example</email></support>"), "<support><email>"},
		{"support URL script", ext("<support><url>javascript:alert(1)</url></support>"), "<support><url>"},
		{"support URL file", ext("<support><url>file:///etc/passwd</url></support>"), "<support><url>"},
		{"support phone letters", ext("<support><phone>call us</phone></support>"), "<support><phone>"},
		{"support phone too short", ext("<support><phone>+3</phone></support>"), "<support><phone>"},
		{"support twice", ext("<support/><support/>"), "<support> appears 2 times"},
		{"provider domain one label", ext("<providerDomain>example</providerDomain>"), "<providerDomain>"},
		{"provider domain with a space", ext("<providerDomain>brand example</providerDomain>"), "<providerDomain>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParseProfile([]byte(tt.data))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("ParseProfile() error = %v, want one containing %q", err, tt.wantErr)
			}
			if p != nil {
				t.Error("profile returned with an error")
			}
		})
	}
}

// The extension outside <emailProvider> is not where the format puts it,
// so it is skipped as any unknown element is.
func TestParseProfileExtensionElsewhereIgnored(t *testing.T) {
	data := strings.Replace(hosterFile, "</clientConfig>",
		`<maildoctor xmlns="`+ExtensionNS+`"><brand>x</brand></maildoctor></clientConfig>`, 1)
	p, err := ParseProfile([]byte(data))
	if err != nil || p.Provider.Brand != "" {
		t.Fatalf("ParseProfile() = %+v, %v; want the extension skipped", p, err)
	}
}

func TestProfileOwns(t *testing.T) {
	p, err := ParseProfile([]byte(extFile))
	if err != nil {
		t.Fatal(err)
	}
	placeholder, err := ParseProfile([]byte(placeholderHostFile))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		p    *Profile
		host string
		want bool
	}{
		{p, "imap.brand-mail.example", true},
		{p, "IMAP.Brand-Mail.Example.", true},
		{p, "mx3.brand-mail.example", true}, // under a provider domain
		{p, "brand.example", true},          // the e-mail domain itself
		{p, "webmail.brand.example", true},  // under the e-mail domain
		{p, "brand-mail.example.evil.example", false},
		{p, "evilbrand-mail.example", false},
		{p, "example", false},
		{p, "192.0.2.1", false},
		{p, "not a host", false},
		{p, "", false},
		// %EMAILDOMAIN% means any customer domain, never any host.
		{placeholder, "anything.example", false},
		{placeholder, "mail.%EMAILDOMAIN%", false},
	}
	for _, tt := range tests {
		if got := tt.p.Owns(tt.host); got != tt.want {
			t.Errorf("%s.Owns(%q) = %v, want %v", tt.p.ID, tt.host, got, tt.want)
		}
	}
}

func TestHostUnder(t *testing.T) {
	tests := []struct {
		host, domain string
		want         bool
	}{
		{"imap.example.it", "example.it", true},
		{"example.it", "Example.IT.", true},
		{"posta.caffè.it", "xn--caff-8oa.it", true},
		{"imap.example.it.evil.test", "example.it", false},
		{"badexample.it", "example.it", false},
		{"192.0.2.1", "example.it", false},
		{"", "example.it", false},
		{"imap.example.it", "", false},
	}
	for _, tt := range tests {
		if got := HostUnder(tt.host, tt.domain); got != tt.want {
			t.Errorf("HostUnder(%q, %q) = %v, want %v", tt.host, tt.domain, got, tt.want)
		}
	}
}

// The example in docs/profile.md is a working profile with every element
// of the extension.
func TestDocumentedExample(t *testing.T) {
	doc, err := os.ReadFile("../../docs/profile.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(doc)
	start := strings.Index(text, "```xml\n")
	end := strings.Index(text[start+1:], "\n```")
	if start < 0 || end < 0 {
		t.Fatal("no xml example in docs/profile.md")
	}
	p, err := ParseProfile([]byte(text[start+len("```xml\n") : start+1+end]))
	if err != nil {
		t.Fatalf("the documented example: %v", err)
	}
	pi := p.Provider
	if pi.Brand == "" || pi.SupportEmail == "" || pi.SupportPhone == "" || pi.SupportURL == "" || pi.StartTLSEnds == "" ||
		pi.MinTLS == "" || len(pi.SendLimits) == 0 || len(pi.Domains) == 0 {
		t.Errorf("the example leaves out part of the extension: %+v", pi)
	}
	def := defaultProfile(t)
	def.Provider.SupportPhone = pi.SupportPhone
	if !reflect.DeepEqual(def.Provider, pi) {
		t.Errorf("the example and the built-in profile differ:\n%+v\n%+v", pi, def.Provider)
	}
}
