package link

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"maildoctor.app/maildoctor/assets"
	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/detect/server"
)

type parseCase struct {
	name    string
	raw     string
	want    *Link
	wantKey string // error key, for refused links
}

func parseCases() []parseCase {
	return []parseCase{
		{name: "full link",
			raw: "maildoctor://open?email=mario.rossi%40example.it&imap=Mail.Example.IT:993&pop3=mail.example.it&smtp=mail.example.it:465" +
				"&profile=https%3A%2F%2FWWW.example.it%2Fmaildoctor.xml&lang=it",
			want: &Link{Email: "mario.rossi@example.it", Profile: "https://www.example.it/maildoctor.xml", Lang: "it",
				Servers: map[server.Protocol]string{server.IMAP: "mail.example.it:993", server.POP3: "mail.example.it", server.SMTP: "mail.example.it:465"}}},
		{name: "only the address", raw: "maildoctor://open?email=anna@example.it",
			want: &Link{Email: "anna@example.it"}},
		{name: "opaque form and upper-case scheme", raw: "MAILDOCTOR:open?email=anna@example.it",
			want: &Link{Email: "anna@example.it"}},
		{name: "trailing slash a browser adds", raw: "maildoctor://open/?email=anna@example.it",
			want: &Link{Email: "anna@example.it"}},
		{name: "pasted in angle brackets with spaces", raw: "  <maildoctor://open?email=anna@example.it>\n",
			want: &Link{Email: "anna@example.it"}},
		{name: "unknown parameters ignored", raw: "maildoctor://open?email=anna@example.it&utm_source=mail&colour=blue",
			want: &Link{Email: "anna@example.it", Ignored: []string{"colour", "utm_source"}}},
		{name: "unknown language ignored", raw: "maildoctor://open?lang=klingon-x",
			want: &Link{Ignored: []string{"lang"}}},
		{name: "empty values fill nothing", raw: "maildoctor://open?email=&imap=",
			want: &Link{}},
		{name: "IPv6 host", raw: "maildoctor://open?imap=[2001:db8::1]:993",
			want: &Link{Servers: map[server.Protocol]string{server.IMAP: "[2001:db8::1]:993"}}},
		{name: "international domain", raw: "maildoctor://open?email=posta@caff%C3%A8.it&imap=mail.caff%C3%A8.it",
			want: &Link{Email: "posta@caffè.it", Servers: map[server.Protocol]string{server.IMAP: "mail.caffè.it"}}},

		{name: "password", raw: "maildoctor://open?email=anna@example.it&password=segreta", wantKey: "link.error.password"},
		{name: "pass", raw: "maildoctor://open?email=anna@example.it&pass=segreta", wantKey: "link.error.password"},
		{name: "pwd upper case", raw: "maildoctor://open?PWD=segreta", wantKey: "link.error.password"},
		{name: "escaped name", raw: "maildoctor://open?%70assword=segreta", wantKey: "link.error.password"},
		{name: "password in a malformed link", raw: "maildoctor://open?imap=%zz&password=segreta", wantKey: "link.error.password"},
		{name: "password without a value", raw: "maildoctor://open?password", wantKey: "link.error.password"},
		{name: "imap_password", raw: "maildoctor://open?imap_password=x", wantKey: "link.error.password"},
		{name: "user and password before the host", raw: "maildoctor://anna:segreta@open?email=anna@example.it", wantKey: "link.error.password"},
		{name: "credentials in the profile address", raw: "maildoctor://open?profile=https%3A%2F%2Fanna%3Asegreta%40example.it%2Fp.xml", wantKey: "link.error.password"},
		{name: "http profile", raw: "maildoctor://open?email=anna@example.it&profile=http%3A%2F%2Fwww.example.it%2Fp.xml", wantKey: "link.error.http_profile"},
		{name: "file profile", raw: "maildoctor://open?profile=file%3A%2F%2F%2Fetc%2Fpasswd", wantKey: "link.error.profile"},
		{name: "relative profile", raw: "maildoctor://open?profile=p.xml", wantKey: "link.error.profile"},
		{name: "bad address", raw: "maildoctor://open?email=anna", wantKey: "link.error.email"},
		{name: "bad host", raw: "maildoctor://open?imap=mail%20example.it", wantKey: "link.error.host"},
		{name: "bad port", raw: "maildoctor://open?smtp=mail.example.it:99999", wantKey: "link.error.host"},
		{name: "empty label (found by fuzzing)", raw: "maildoctor://open?imap=0000..", wantKey: "link.error.host"},
		{name: "host with a path", raw: "maildoctor://open?smtp=mail.example.it/x", wantKey: "link.error.host"},
		{name: "twice", raw: "maildoctor://open?email=a@example.it&email=b@evil.example", wantKey: "link.error.duplicate"},
		{name: "twice in other case", raw: "maildoctor://open?Email=a@example.it&EMAIL=b@evil.example", wantKey: "link.error.duplicate"},
		{name: "other scheme", raw: "https://open?email=a@example.it", wantKey: "link.error.not_link"},
		{name: "not a URL", raw: "hello", wantKey: "link.error.not_link"},
		{name: "other action", raw: "maildoctor://delete?email=a@example.it", wantKey: "link.error.action"},
		{name: "malformed escape", raw: "maildoctor://open?email=%zz", wantKey: "link.error.malformed"},
		{name: "semicolon separator", raw: "maildoctor://open?email=a@example.it;lang=it", wantKey: "link.error.malformed"},
		{name: "too long", raw: "maildoctor://open?email=a@example.it&x=" + strings.Repeat("a", MaxLen), wantKey: "link.error.too_long"},
	}
}

func TestParse(t *testing.T) {
	for _, tt := range parseCases() {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.raw)
			if tt.wantKey != "" {
				var le *Error
				if !errors.As(err, &le) || le.Key != tt.wantKey {
					t.Fatalf("Parse() = %+v, %v; want error %s", got, err, tt.wantKey)
				}
				if got != nil {
					t.Error("a link returned with an error")
				}
				if strings.Contains(err.Error(), "segreta") {
					t.Errorf("error %q repeats the password", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse() error = %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse() = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// Every error key has a text in both languages (the i18n tests only see
// finding ids).
func TestErrorKeysTranslated(t *testing.T) {
	for _, lang := range []string{"en", "it"} {
		data, err := assets.Translations.ReadFile("translation/" + lang + ".json")
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range parseCases() {
			if tt.wantKey != "" && !strings.Contains(string(data), `"`+tt.wantKey+`"`) {
				t.Errorf("%s.json has no %s", lang, tt.wantKey)
			}
		}
	}
}

func TestStringRoundTrip(t *testing.T) {
	for _, tt := range parseCases() {
		if tt.want == nil {
			continue
		}
		want := *tt.want
		want.Ignored = nil
		s, err := Build(want)
		if err != nil {
			t.Errorf("%s: Build() error = %v", tt.name, err)
			continue
		}
		back, err := Parse(s)
		if err != nil || !reflect.DeepEqual(*back, want) {
			t.Errorf("%s: Parse(%q) = %+v, %v; want %+v", tt.name, s, back, err, want)
		}
	}
}

// Build refuses what Parse would refuse, so an agent never sends a link
// that does not open.
func TestBuildRefuses(t *testing.T) {
	for _, l := range []Link{
		{Email: "not an address"},
		{Profile: "http://www.example.it/p.xml"},
		{Servers: map[server.Protocol]string{server.IMAP: "a b"}},
		{Email: "a@example.it", Profile: "https://www.example.it/" + strings.Repeat("p", MaxLen)},
		{Servers: map[server.Protocol]string{server.IMAP: "MAIL.example.it"}}, // not canonical
	} {
		if s, err := Build(l); err == nil {
			t.Errorf("Build(%+v) = %q, want an error", l, s)
		}
	}
}

func profile(t *testing.T, data string) *discover.Profile {
	t.Helper()
	p, err := discover.ParseProfile([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

const linkedProfile = `<clientConfig version="1.1"><emailProvider id="other.example">
<domain>other.example</domain>
<incomingServer type="imap"><hostname>imap.other.example</hostname><port>993</port><socketType>SSL</socketType></incomingServer>
<incomingServer type="imap"><hostname>mail.%EMAILDOMAIN%</hostname><port>993</port><socketType>SSL</socketType></incomingServer>
<outgoingServer type="smtp"><hostname>mail.example.it</hostname><port>465</port><socketType>SSL</socketType></outgoingServer>
</emailProvider></clientConfig>`

func TestWarnings(t *testing.T) {
	builtIn := []*discover.Profile{profile(t, string(assets.DefaultProfile))}
	linked := profile(t, linkedProfile)
	tests := []struct {
		name   string
		raw    string
		linked *discover.Profile
		want   []string // "id host protocol"
	}{
		{name: "own domain", raw: "maildoctor://open?email=anna@example.it&imap=mail.example.it:993&smtp=smtp.mail.example.it"},
		{name: "provider's hosts", raw: "maildoctor://open?email=anna@rossi-srl.it&imap=imap.maildoctor.example&smtp=mx9.maildoctor.example"},
		{name: "provider's own profile address", raw: "maildoctor://open?email=anna@rossi-srl.it&profile=https%3A%2F%2Fwww.maildoctor.example%2Fp.xml"},
		{name: "foreign host", raw: "maildoctor://open?email=anna@example.it&imap=imap.evil.example&smtp=mail.example.it",
			want: []string{"link.foreign_host imap.evil.example IMAP"}},
		{name: "look-alike host", raw: "maildoctor://open?email=anna@example.it&smtp=mail.example.it.evil.example",
			want: []string{"link.foreign_host mail.example.it.evil.example SMTP"}},
		{name: "IP address", raw: "maildoctor://open?email=anna@example.it&pop3=192.0.2.7:995",
			want: []string{"link.foreign_host 192.0.2.7 POP3"}},
		{name: "no address: only the profile vouches", raw: "maildoctor://open?imap=mail.example.it",
			want: []string{"link.foreign_host mail.example.it IMAP"}},
		{name: "foreign profile and its hosts", raw: "maildoctor://open?email=anna@example.it&profile=https%3A%2F%2Fother.example%2Fp.xml",
			linked: linked,
			want:   []string{"link.foreign_profile other.example ", "link.foreign_host imap.other.example IMAP"}},
		{name: "same host named twice", raw: "maildoctor://open?email=anna@example.it&imap=imap.other.example&profile=https%3A%2F%2Fother.example%2Fp.xml",
			linked: linked,
			want:   []string{"link.foreign_profile other.example ", "link.foreign_host imap.other.example IMAP"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := Parse(tt.raw)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range l.Warnings(builtIn, tt.linked) {
				got = append(got, f.ID+" "+f.Args["host"]+" "+f.Args["protocol"])
				if f.Severity != "warn" {
					t.Errorf("%s has severity %s", f.ID, f.Severity)
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Warnings() = %q, want %q", got, tt.want)
			}
		})
	}
}
