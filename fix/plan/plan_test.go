package plan

import (
	"context"
	"strings"
	"testing"

	"maildoctor.app/maildoctor/assets"
	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/detect/compat"
	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/detect/system"
	"maildoctor.app/maildoctor/i18n"
)

const email = "mario.rossi@maildoctor.example"

// servers discovers the address's servers from the built-in provider
// profile, as the command line does; the profile covers the domain, so
// nothing goes to the network.
func servers(t testing.TB) []discover.Server {
	t.Helper()
	prof, err := discover.ParseProfile(assets.DefaultProfile)
	if err != nil {
		t.Fatal(err)
	}
	res, err := discover.Find(context.Background(), email, discover.Options{Profiles: []*discover.Profile{prof}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Source != discover.SourceProfile {
		t.Fatalf("servers came from %q, want the profile", res.Source)
	}
	return res.Servers
}

func catalog(t testing.TB) *i18n.Catalog {
	t.Helper()
	c, err := i18n.Load(assets.Translations, "translation")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func ep(p server.Protocol, host string, port int, sec server.Security) *server.Endpoint {
	return &server.Endpoint{Protocol: p, Host: host, Port: port, Security: sec}
}

var (
	imapTLS      = ep(server.IMAP, "imap.maildoctor.example", 993, server.TLS)
	imapStartTLS = ep(server.IMAP, "imap.maildoctor.example", 143, server.StartTLS)
	popTLS       = ep(server.POP3, "pop.maildoctor.example", 995, server.TLS)
	popPlain     = ep(server.POP3, "pop.maildoctor.example", 110, server.None)
	smtpTLS      = ep(server.SMTP, "smtp.maildoctor.example", 465, server.TLS)
	smtpStartTLS = ep(server.SMTP, "smtp.maildoctor.example", 587, server.StartTLS)
	smtpAuto     = ep(server.SMTP, "smtp.maildoctor.example", 25, server.Auto)
)

// testAccount is an account as detect/clients would list it.
type testAccount struct {
	client, version string
	in, out         *server.Endpoint
}

func account(client, version string, in, out *server.Endpoint) *testAccount {
	return &testAccount{client, version, in, out}
}

func srv(ep *server.Endpoint) *clients.Server {
	if ep == nil {
		return nil
	}
	return &clients.Server{Protocol: ep.Protocol, Host: ep.Host, Port: ep.Port, Security: ep.Security, User: email}
}

// input is the plan input with the account's program and settings.
func input(a *testAccount, in Input) Input {
	in.Email, in.Webmail = email, "https://webmail.maildoctor.example/"
	if a != nil {
		in.Client = &clients.Client{ID: a.client, Version: a.version}
		in.Account = &clients.Account{Email: email, Incoming: srv(a.in), Outgoing: srv(a.out)}
	}
	return in
}

func TestSettingsFromProfile(t *testing.T) {
	s := SettingsFor(email, servers(t), nil)
	want := map[server.Protocol]server.Endpoint{
		server.IMAP: *imapTLS, server.POP3: *popTLS, server.SMTP: *smtpTLS,
	}
	for p, w := range want {
		if got := s.For(p); got == nil || *got != w {
			t.Errorf("%s: got %v, want %v", p, got, w)
		}
	}
	if s.Username != email {
		t.Errorf("user name %q, want the full address %q", s.Username, email)
	}
}

func TestSettingsRenameOnHostnameMismatch(t *testing.T) {
	fs := []finding.Finding{finding.New("cert.hostname_mismatch", finding.Fail, "imap.maildoctor.example:993",
		"host", "imap.maildoctor.example", "names", "mail.hosting.maildoctor.example", "suggested", "mail.hosting.maildoctor.example")}
	s := SettingsFor(email, servers(t), fs)
	if s.IMAP.Host != "mail.hosting.maildoctor.example" || s.IMAP.Port != 993 {
		t.Errorf("IMAP = %v, want mail.hosting.maildoctor.example:993", s.IMAP)
	}
	if s.SMTP.Host != "smtp.maildoctor.example" {
		t.Errorf("SMTP renamed too: %v", s.SMTP)
	}
	if s.Renamed["imap.maildoctor.example"] != "mail.hosting.maildoctor.example" {
		t.Errorf("Renamed = %v", s.Renamed)
	}
}

func TestCardFor(t *testing.T) {
	cases := []struct {
		client, version string
		want            Card
	}{
		{"outlook", "12.0.6662.5000", Outlook2007},
		{"Outlook", "14.0.7268.5000", Outlook2010},
		{"outlook", "15.0", Outlook2013},
		{"outlook", "16.0.17928.20114", Outlook2016},
		{"outlook", "2019", Outlook2016},
		{"outlook", "365", Outlook2016},
		{"outlook", "", Outlook2016},
		{"outlook2010", "", Outlook2010},
		{"Microsoft Outlook", "11.0", Outlook2003},
		{"new-outlook", "1.2024", OutlookNew},
		{"olk", "", OutlookNew},
		{"thunderbird", "128.3.1", Thunderbird},
		{"Apple Mail", "16.0", AppleMail},
		{"ios_mail", "17.5", IOSMail},
		{"gmail", "", GmailAndroid},
		{"Samsung Email", "", SamsungEmail},
		{"k9mail", "", K9},
		{"Thunderbird for Android", "", K9},
		{"windows_live_mail", "2012", WindowsLiveMail},
		{"eM Client", "9.2", EMClient},
		{"evolution", "3.46", Evolution},
		{"claws-mail", "4.1", ClawsMail},
		{"outlook_express", "6", OutlookExpress},
		{"msimn", "", OutlookExpress},
		{"windows_mail", "", WindowsMail},
		{"mutt", "2.2", Other},
		// detect/clients ids.
		{clients.Thunderbird, "128.3.1", Thunderbird},
		{clients.Outlook, "15.0.5603", Outlook2013},
		{clients.NewOutlook, "1.2025", OutlookNew},
		{clients.WindowsLive, "16.4.3528", WindowsLiveMail},
		{clients.WindowsMail, "6.0", WindowsMail},
		{clients.WindowsMailApp, "", Other},
		{clients.OutlookExpress, "6.0", OutlookExpress},
		{clients.EMClient, "9.2", EMClient},
		{clients.AppleMail, "16.0", AppleMail},
		{clients.OutlookMac, "16.89", Other},
		{clients.Evolution, "3.46", Evolution},
		{clients.ClawsMail, "4.1.1", ClawsMail},
		{clients.KMail, "", Other},
		{"", "", Other},
	}
	for _, c := range cases {
		if got := CardFor(c.client, c.version); got != c.want {
			t.Errorf("CardFor(%q, %q) = %q, want %q", c.client, c.version, got, c.want)
		}
	}
}

// stepsOf returns the plan's step keys with their arguments, rendered
// into one line each, for assertions on values.
func stepArgs(p *Plan, key string) map[string]string {
	for _, s := range p.Sections {
		for _, st := range s.Steps {
			if st.Key == key {
				return st.Args
			}
		}
	}
	return nil
}

func sectionIDs(p *Plan) string {
	var ids []string
	for _, s := range p.Sections {
		ids = append(ids, s.ID)
	}
	return strings.Join(ids, ",")
}

// The plan for each program and finding carries the right values: the
// incoming server and port for the account's protocol, 465 for sending,
// SSL/TLS, and the full address as the user name.
func TestPlanValues(t *testing.T) {
	off := system.TLS{V10: system.Default, V11: system.Off, V12: system.Off, V13: system.No}
	on := system.TLS{V10: system.Default, V11: system.Default, V12: system.Default, V13: system.No}
	win7 := &system.Info{Family: "windows", Kernel: "6.1.7601", Version: "6.1", Name: "Windows 7", TLS: off}
	win7on := &system.Info{Family: "windows", Kernel: "6.1.7601", Version: "6.1", Name: "Windows 7", TLS: on,
		Stacks: []system.Stack{{Name: "WinHTTP", TLS: on}}}
	win8 := &system.Info{Family: "windows", Kernel: "6.2.9200", Version: "6.2", Name: "Windows 8", TLS: on,
		Stacks: []system.Stack{{Name: "WinHTTP", TLS: off}}}
	win10 := &system.Info{Family: "windows", Kernel: "10.0.19045", Version: "22H2", Name: "Windows 10", TLS: on}
	xp := &system.Info{Family: "windows", Kernel: "5.1.2600", Version: "5.1", Name: "Windows XP",
		TLS: system.TLS{V10: system.Default, V11: system.No, V12: system.No, V13: system.No}}
	vista := &system.Info{Family: "windows", Kernel: "6.0.6002", Version: "6.0", Name: "Windows Vista"}
	cases := []struct {
		name     string
		account  *testAccount
		system   *system.Info
		findings []finding.Finding
		compat   compat.Outcome

		status    Status
		card      Card
		inHost    string
		inPort    string
		inProto   string
		sections  string
		automatic bool
		exports   string
	}{
		{
			name:   "generic plan without a program",
			status: StatusCheck,
			card:   Other,
			inHost: "imap.maildoctor.example", inPort: "993", inProto: "IMAP",
			sections: "before,change,sent",
			exports:  "card,autoconfig,mobileconfig",
		},
		{
			name: "generic plan, check says STARTTLS in use",
			findings: []finding.Finding{finding.New("starttls.in_use", finding.Warn, "imap.maildoctor.example:143",
				"protocol", "IMAP", "port", "143", "tls_port", "993")},
			status: StatusChange, card: Other,
			inHost: "imap.maildoctor.example", inPort: "993", inProto: "IMAP",
			sections: "before,change,sent",
			exports:  "card,autoconfig,mobileconfig",
		},
		{
			name:    "Thunderbird on STARTTLS: automatic",
			account: account("thunderbird", "128.3.1", imapStartTLS, smtpStartTLS),
			system:  &system.Info{Family: "linux", TLS: on},
			status:  StatusChange, card: Thunderbird,
			inHost: "imap.maildoctor.example", inPort: "993", inProto: "IMAP",
			sections:  "before,change,sent",
			automatic: true,
			exports:   "card,autoconfig,mobileconfig",
		},
		{
			name:    "Thunderbird already right",
			account: account("thunderbird", "128.3.1", imapTLS, smtpTLS),
			status:  StatusOK, card: Thunderbird,
			sections: "ok",
			exports:  "card,autoconfig,mobileconfig",
		},
		{
			name:    "Outlook 2010 POP3 plain on Windows 7: TLS 1.2 registry section",
			account: account("outlook", "14.0.7268.5000", popPlain, smtpAuto),
			system:  win7,
			status:  StatusChange, card: Outlook2010,
			automatic: true, // fix/apply changes the registry key or .oeaccount file
			inHost:    "pop.maildoctor.example", inPort: "995", inProto: "POP3",
			sections: "before,system,change,duplicates",
			exports:  "card,autoconfig,mobileconfig,reg",
		},
		{
			name:    "Outlook 2016 on Windows 10: no registry section",
			account: account("outlook", "16.0.17928.20114", imapStartTLS, smtpStartTLS),
			system:  win10,
			status:  StatusChange, card: Outlook2016,
			automatic: true, // fix/apply changes the registry key or .oeaccount file
			inHost:    "imap.maildoctor.example", inPort: "993", inProto: "IMAP",
			sections: "before,change,sent",
			exports:  "card,autoconfig,mobileconfig",
		},
		{
			name:    "Thunderbird on Windows 7 brings its own TLS: no registry section",
			account: account("thunderbird", "115.0", imapStartTLS, smtpStartTLS),
			system:  win7,
			status:  StatusChange, card: Thunderbird,
			inHost: "imap.maildoctor.example", inPort: "993", inProto: "IMAP",
			sections:  "before,change,sent",
			automatic: true,
			exports:   "card,autoconfig,mobileconfig",
		},
		{
			name:    "Outlook Express: unsupported, way out and webmail",
			account: account("outlook_express", "6.0", popPlain, smtpAuto),
			system:  xp,
			status:  StatusUnsupported, card: OutlookExpress,
			sections: "unsupported,webmail",
			exports:  "card,autoconfig,mobileconfig",
		},
		{
			name:    "Windows Live Mail on Vista: the system is the problem",
			account: account("windows-live-mail", "2012", imapStartTLS, smtpStartTLS),
			system:  vista,
			status:  StatusUnsupported, card: WindowsLiveMail,
			sections: "unsupported,webmail",
			exports:  "card,autoconfig,mobileconfig",
		},
		{
			name:    "Thunderbird on Windows XP brings its own TLS: the provider's way out",
			account: account("thunderbird", "52.9.1", imapStartTLS, smtpStartTLS),
			system:  xp,
			status:  StatusChange, card: Thunderbird,
			inHost: "imap.maildoctor.example", inPort: "993", inProto: "IMAP",
			sections:  "before,change,sent",
			automatic: true,
			exports:   "card,autoconfig,mobileconfig",
		},
		{
			name:    "Outlook 2010 on Windows 7 with TLS 1.2 already on: no registry section",
			account: account("outlook", "14.0", imapStartTLS, smtpStartTLS),
			system:  win7on,
			status:  StatusChange, card: Outlook2010,
			automatic: true, // fix/apply changes the registry key or .oeaccount file
			inHost:    "imap.maildoctor.example", inPort: "993", inProto: "IMAP",
			sections: "before,change,sent",
			exports:  "card,autoconfig,mobileconfig",
		},
		{
			name:     "detect says the host is not the provider's",
			account:  account("thunderbird", "128", imapTLS, smtpTLS),
			findings: []finding.Finding{finding.New(finding.AccountHostMismatch, finding.Warn, "mail.old.example:993")},
			status:   StatusChange, card: Thunderbird,
			inHost: "imap.maildoctor.example", inPort: "993", inProto: "IMAP",
			sections:  "before,change,sent",
			automatic: true,
			exports:   "card,autoconfig,mobileconfig",
		},
		{
			name:    "compat says unsupported",
			account: account("apple_mail", "9.3", imapStartTLS, smtpStartTLS),
			system:  &system.Info{Family: "darwin", Version: "10.11.6", Name: "OS X El Capitan"},
			compat:  compat.Unsupported,
			status:  StatusUnsupported, card: AppleMail,
			sections: "unsupported,webmail",
			exports:  "card,autoconfig,mobileconfig",
		},
		{
			name:    "port 993 blocked from here: network first, webmail now",
			account: account("apple_mail", "16.0", imapStartTLS, smtpStartTLS),
			findings: []finding.Finding{finding.New("implicit.unavailable", finding.Fail, "imap.maildoctor.example:993",
				"protocol", "IMAP", "port", "993", "starttls_port", "143")},
			status: StatusBlocked, card: AppleMail,
			sections: "network,webmail",
			exports:  "card,autoconfig,mobileconfig",
		},
		{
			name:    "certificate names another host",
			account: account("ios_mail", "17.5", imapStartTLS, smtpStartTLS),
			findings: []finding.Finding{finding.New("cert.hostname_mismatch", finding.Fail, "imap.maildoctor.example:993",
				"host", "imap.maildoctor.example", "names", "*.hosting.maildoctor.example", "suggested", "imap.hosting.maildoctor.example")},
			status: StatusChange, card: IOSMail,
			inHost: "imap.hosting.maildoctor.example", inPort: "993", inProto: "IMAP",
			sections: "before,hostname,change,sent",
			exports:  "card,autoconfig,mobileconfig",
		},
		{
			name:    "right ports but host not covered by the certificate",
			account: account("k9", "", imapTLS, smtpTLS),
			findings: []finding.Finding{finding.New("cert.hostname_mismatch", finding.Fail, "imap.maildoctor.example:993",
				"host", "imap.maildoctor.example", "names", "mail.hosting.maildoctor.example", "suggested", "mail.hosting.maildoctor.example")},
			status: StatusChange, card: K9,
			inHost: "mail.hosting.maildoctor.example", inPort: "993", inProto: "IMAP",
			sections: "before,hostname,change,sent",
			exports:  "card,autoconfig,mobileconfig",
		},
		{
			name:    "refused password with a space, no Sent folder, antivirus, clock",
			account: account("gmail", "", imapTLS, smtpTLS),
			findings: []finding.Finding{
				finding.New("auth.failed", finding.Fail, "imap.maildoctor.example:993", "user", email, finding.ArgSpaces, finding.Flag(true)),
				finding.New("imap.no_sent_folder", finding.Warn, ""),
				finding.New("cert.intercepted", finding.Warn, "imap.maildoctor.example:993", "vendor", "Avast"),
				finding.New("clock.skew", finding.Fail, "imap.maildoctor.example:993"),
			},
			status: StatusOK, card: GmailAndroid,
			sections: "ok,password,sent,network",
			exports:  "card,autoconfig,mobileconfig",
		},
		{
			name:     "POP3 without UIDL",
			account:  account("samsung_email", "", popTLS, smtpTLS),
			findings: []finding.Finding{finding.New("pop3.no_uidl", finding.Warn, "")},
			status:   StatusOK, card: SamsungEmail,
			sections: "ok,duplicates",
			exports:  "card,autoconfig,mobileconfig",
		},
		{
			name:    "Windows Live Mail on Windows 8",
			account: account("windows_live_mail", "2012", imapStartTLS, smtpStartTLS),
			system:  win8,
			status:  StatusChange, card: WindowsLiveMail,
			automatic: true, // fix/apply changes the registry key or .oeaccount file
			inHost:    "imap.maildoctor.example", inPort: "993", inProto: "IMAP",
			sections: "before,system,change,sent",
			exports:  "card,autoconfig,mobileconfig,reg",
		},
		{
			name:    "Claws Mail: automatic",
			account: account("claws-mail", "4.1.1", imapStartTLS, smtpStartTLS),
			status:  StatusChange, card: ClawsMail,
			inHost: "imap.maildoctor.example", inPort: "993", inProto: "IMAP",
			sections:  "before,change,sent",
			automatic: true,
			exports:   "card,autoconfig,mobileconfig",
		},
	}
	all := servers(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := Build(input(c.account, Input{Servers: all, System: c.system, Compat: c.compat, Findings: c.findings}))
			if err != nil {
				t.Fatal(err)
			}
			if p.Status != c.status || p.Card != c.card {
				t.Errorf("status %q card %q, want %q %q", p.Status, p.Card, c.status, c.card)
			}
			if got := sectionIDs(p); got != c.sections {
				t.Errorf("sections %q, want %q", got, c.sections)
			}
			if p.Automatic != c.automatic {
				t.Errorf("automatic %v, want %v", p.Automatic, c.automatic)
			}
			if got := strings.Join(p.Exports, ","); got != c.exports {
				t.Errorf("exports %q, want %q", got, c.exports)
			}
			if c.inHost == "" {
				return
			}
			in := stepArgs(p, "fix.client."+string(c.card)+".incoming")
			if in["host"] != c.inHost || in["port"] != c.inPort || in["protocol"] != c.inProto || in["user"] != email {
				t.Errorf("incoming step args %v, want %s %s:%s user %s", in, c.inProto, c.inHost, c.inPort, email)
			}
			out := stepArgs(p, "fix.client."+string(c.card)+".outgoing")
			if out["host"] != "smtp.maildoctor.example" || out["port"] != "465" || out["user"] != email {
				t.Errorf("outgoing step args %v, want smtp.maildoctor.example:465", out)
			}
		})
	}
}

// Rendered, every step names its values: the Italian Outlook 2010 step
// says port 995 and SSL, the Thunderbird step says SSL/TLS and 993.
func TestPlanTextNamesValues(t *testing.T) {
	cat := catalog(t)
	cases := []struct {
		lang    string
		account *testAccount
		want    []string
	}{
		{"it", account("outlook", "14.0", popPlain, smtpAuto), []string{
			"File > Impostazioni account > Impostazioni account", "pop.maildoctor.example", "995",
			"Il server richiede una connessione crittografata (SSL)", "smtp.maildoctor.example", "465", email,
			"Scegli SSL, non TLS", "doppioni"}},
		{"it", account("outlook", "14.0", imapStartTLS, smtpStartTLS), []string{
			"Utilizzare il tipo di connessione crittografata seguente\" scegli SSL", "993"}},
		{"en", account("thunderbird", "128", imapStartTLS, smtpStartTLS), []string{
			"Connection security: SSL/TLS", "Port: 993", "Port: 465", "User Name: " + email,
			"maildoctor fix --apply " + email, "ask for your password again"}},
		{"en", account("ios_mail", "17", imapStartTLS, smtpStartTLS), []string{"Use SSL", "Server Port to 993", "Server Port 465"}},
		{"it", account("em_client", "9", imapStartTLS, smtpStartTLS), []string{"sulla porta speciale", "993", "465"}},
		{"en", nil, []string{"security SSL/TLS", "imap.maildoctor.example", "port 993", "port 465", "user name " + email}},
	}
	for _, c := range cases {
		p, err := Build(input(c.account, Input{Servers: servers(t)}))
		if err != nil {
			t.Fatal(err)
		}
		Localize(p, cat.For(c.lang))
		var text strings.Builder
		for _, s := range p.Sections {
			text.WriteString(s.Title + "\n")
			for _, st := range s.Steps {
				text.WriteString(st.Text + "\n")
			}
		}
		for _, w := range c.want {
			if !strings.Contains(text.String(), w) {
				t.Errorf("%s %s: text lacks %q:\n%s", c.lang, p.Card, w, text.String())
			}
		}
		if strings.Contains(text.String(), "fix.") || strings.Contains(text.String(), "<no value>") {
			t.Errorf("%s %s: untranslated key or missing argument:\n%s", c.lang, p.Card, text.String())
		}
	}
}

// Every key a plan can use exists in every language, and every card's
// steps render without a missing argument.
func TestKeysTranslated(t *testing.T) {
	cat := catalog(t)
	for _, lang := range cat.Languages() {
		for _, k := range Keys() {
			if !cat.Has(lang, k) {
				t.Errorf("%s: missing %s", lang, k)
			}
		}
	}
	for _, c := range StepCards {
		p, err := Build(input(account(string(c), "", popPlain, smtpAuto), Input{Servers: servers(t),
			Findings: []finding.Finding{finding.New("auth.failed", finding.Fail, "", "user", email, finding.ArgSpaces, finding.Flag(false))}}))
		if err != nil {
			t.Fatal(err)
		}
		if p.Card != c {
			t.Fatalf("card %q became %q", c, p.Card)
		}
		for _, lang := range cat.Languages() {
			Localize(p, cat.For(lang))
			for _, s := range p.Sections {
				for _, st := range s.Steps {
					if strings.Contains(st.Text, "<no value>") || st.Text == st.Key {
						t.Errorf("%s %s: %s renders as %q", lang, c, st.Key, st.Text)
					}
				}
			}
		}
	}
}

func TestBuildErrors(t *testing.T) {
	if _, err := Build(Input{Email: "not an address", Servers: servers(t)}); err == nil {
		t.Error("a bad address made a plan")
	}
	if _, err := Build(Input{Email: email}); err != ErrNoServers {
		t.Errorf("no servers: err %v, want ErrNoServers", err)
	}
	// Only STARTTLS servers known: nothing safe to recommend.
	st := []discover.Server{{Endpoint: *imapStartTLS}}
	if _, err := Build(Input{Email: email, Servers: st}); err != ErrNoServers {
		t.Errorf("only STARTTLS: err %v, want ErrNoServers", err)
	}
}
