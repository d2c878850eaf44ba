package export

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"maildoctor.app/maildoctor/assets"
	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/fix/plan"
	"maildoctor.app/maildoctor/i18n"
)

const email = "mario.rossi@maildoctor.example"

func settings(t testing.TB) plan.Settings {
	t.Helper()
	prof, err := discover.ParseProfile(assets.DefaultProfile)
	if err != nil {
		t.Fatal(err)
	}
	res, err := discover.Find(context.Background(), email, discover.Options{Profiles: []*discover.Profile{prof}})
	if err != nil {
		t.Fatal(err)
	}
	s := plan.SettingsFor(email, res.Servers, nil)
	s.Webmail, s.Provider = prof.Webmail, prof.DisplayName
	return s
}

// v11Parents lists, for every element of the config-v1.1.xml format,
// the elements it may appear in.
var v11Parents = map[string][]string{
	"clientConfig":             {""},
	"emailProvider":            {"clientConfig"},
	"domain":                   {"emailProvider"},
	"displayName":              {"emailProvider"},
	"displayShortName":         {"emailProvider"},
	"incomingServer":           {"emailProvider"},
	"outgoingServer":           {"emailProvider"},
	"hostname":                 {"incomingServer", "outgoingServer"},
	"port":                     {"incomingServer", "outgoingServer"},
	"socketType":               {"incomingServer", "outgoingServer"},
	"username":                 {"incomingServer", "outgoingServer", "loginPageInfo"},
	"authentication":           {"incomingServer", "outgoingServer"},
	"password":                 {"incomingServer", "outgoingServer"},
	"pop3":                     {"incomingServer"},
	"restriction":              {"outgoingServer"},
	"addThisServer":            {"outgoingServer"},
	"useGlobalPreferredServer": {"incomingServer", "outgoingServer"},
	"identity":                 {"emailProvider"},
	"inputField":               {"emailProvider"},
	"enable":                   {"emailProvider"},
	"instruction":              {"emailProvider", "enable"},
	"documentation":            {"emailProvider"},
	"descr":                    {"documentation", "instruction"},
	"webMail":                  {"clientConfig"},
	"loginPage":                {"webMail"},
	"loginPageInfo":            {"webMail"},
	"usernameField":            {"loginPageInfo"},
	"passwordField":            {"loginPageInfo"},
	"loginButton":              {"loginPageInfo"},
	"clientConfigUpdate":       {"clientConfig"},
}

// checkV11 walks the document and fails on any element outside the
// v1.1 set or under a parent the format does not allow.
func checkV11(t *testing.T, data []byte) (names []string) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(data))
	var stack []string
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			parent := ""
			if len(stack) > 0 {
				parent = stack[len(stack)-1]
			}
			allowed, known := v11Parents[el.Name.Local]
			if !known || el.Name.Space != "" {
				t.Errorf("element <%s> is not in the v1.1 set", el.Name.Local)
			} else if !contains(allowed, parent) {
				t.Errorf("<%s> inside <%s>, allowed only in %v", el.Name.Local, parent, allowed)
			}
			stack = append(stack, el.Name.Local)
			names = append(names, el.Name.Local)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
	return names
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestAutoconfigValidates(t *testing.T) {
	s := settings(t)
	data, err := Autoconfig(s)
	if err != nil {
		t.Fatal(err)
	}
	names := checkV11(t, data)
	if !strings.HasPrefix(string(data), `<?xml version="1.0" encoding="UTF-8"?>`) || !bytes.Contains(data, []byte(`<clientConfig version="1.1">`)) {
		t.Errorf("header or version missing:\n%s", data)
	}
	for _, want := range []string{"clientConfig", "emailProvider", "domain", "incomingServer", "outgoingServer", "socketType", "webMail", "loginPage"} {
		if !contains(names, want) {
			t.Errorf("no <%s>", want)
		}
	}
	p, err := discover.ParseProfile(data)
	if err != nil {
		t.Fatalf("Mail Doctor's own parser rejects it: %v\n%s", err, data)
	}
	if !p.Covers("maildoctor.example") || p.Webmail != "https://webmail.maildoctor.example/" {
		t.Errorf("domains %v webmail %q", p.Domains, p.Webmail)
	}
	got := map[server.Protocol]server.Endpoint{}
	for _, srv := range append(p.Incoming, p.Outgoing...) {
		got[srv.Protocol] = srv.Endpoint
		if srv.Username != "%EMAILADDRESS%" || len(srv.Auth) != 1 || srv.Auth[0] != "password-cleartext" {
			t.Errorf("%s: user %q auth %v", srv.Protocol, srv.Username, srv.Auth)
		}
	}
	want := map[server.Protocol]server.Endpoint{
		server.IMAP: {Protocol: server.IMAP, Host: "imap.maildoctor.example", Port: 993, Security: server.TLS},
		server.POP3: {Protocol: server.POP3, Host: "pop.maildoctor.example", Port: 995, Security: server.TLS},
		server.SMTP: {Protocol: server.SMTP, Host: "smtp.maildoctor.example", Port: 465, Security: server.TLS},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("servers read back:\n got %v\nwant %v", got, want)
	}
}

// A user name other than the address is written as it is, and text that
// needs escaping stays well-formed.
func TestAutoconfigLiteralUser(t *testing.T) {
	s := settings(t)
	s.Username, s.Provider, s.Webmail = "mario", `Rossi & "Figli" <srl>`, ""
	data, err := Autoconfig(s)
	if err != nil {
		t.Fatal(err)
	}
	checkV11(t, data)
	p, err := discover.ParseProfile(data)
	if err != nil {
		t.Fatal(err)
	}
	if p.Incoming[0].Username != "mario" || p.DisplayName != s.Provider || p.Webmail != "" {
		t.Errorf("user %q name %q webmail %q", p.Incoming[0].Username, p.DisplayName, p.Webmail)
	}
	if _, err := Autoconfig(plan.Settings{Email: email}); err == nil {
		t.Error("no servers made an autoconfig file")
	}
}

// plist values as decoded by decodePlist.
type plistDict map[string]interface{}

// decodePlist reads an XML property list with encoding/xml, strictly: only
// the element types a profile uses, every <key> followed by a value.
func decodePlist(data []byte) (interface{}, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, err
		}
		if se, ok := tok.(xml.StartElement); ok {
			if se.Name.Local != "plist" || attr(se, "version") != "1.0" {
				return nil, fmt.Errorf("root is <%s version=%q>", se.Name.Local, attr(se, "version"))
			}
			v, err := plistValue(d)
			if err != nil {
				return nil, err
			}
			return v, nil
		}
	}
}

func attr(se xml.StartElement, name string) string {
	for _, a := range se.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func nextStart(d *xml.Decoder) (xml.StartElement, bool, error) {
	for {
		tok, err := d.Token()
		if err != nil {
			return xml.StartElement{}, false, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return t, true, nil
		case xml.EndElement:
			return xml.StartElement{}, false, nil
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return xml.StartElement{}, false, fmt.Errorf("stray text %q", t)
			}
		}
	}
}

func plistValue(d *xml.Decoder) (interface{}, error) {
	se, ok, err := nextStart(d)
	if err != nil || !ok {
		return nil, fmt.Errorf("expected a value: %v", err)
	}
	return valueOf(d, se)
}

func valueOf(d *xml.Decoder, se xml.StartElement) (interface{}, error) {
	switch se.Name.Local {
	case "dict":
		m := plistDict{}
		for {
			k, ok, err := nextStart(d)
			if err != nil {
				return nil, err
			}
			if !ok {
				return m, nil
			}
			var key string
			if k.Name.Local != "key" || d.DecodeElement(&key, &k) != nil {
				return nil, fmt.Errorf("dict entry <%s> is not a <key>", k.Name.Local)
			}
			if _, dup := m[key]; dup {
				return nil, fmt.Errorf("key %s twice", key)
			}
			if m[key], err = plistValue(d); err != nil {
				return nil, fmt.Errorf("%s: %w", key, err)
			}
		}
	case "array":
		var list []interface{}
		for {
			e, ok, err := nextStart(d)
			if err != nil {
				return nil, err
			}
			if !ok {
				return list, nil
			}
			v, err := valueOf(d, e)
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
	case "string":
		var s string
		err := d.DecodeElement(&s, &se)
		return s, err
	case "integer":
		var s string
		if err := d.DecodeElement(&s, &se); err != nil {
			return nil, err
		}
		return strconv.ParseInt(s, 10, 64)
	case "true", "false":
		return se.Name.Local == "true", d.Skip()
	}
	return nil, fmt.Errorf("unexpected <%s>", se.Name.Local)
}

var uuidRE = regexp.MustCompile(`^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$`)

func TestMobileconfigPlist(t *testing.T) {
	cases := []struct {
		proto server.Protocol
		typ   string
		host  string
		port  int64
	}{
		{"", "EmailTypeIMAP", "imap.maildoctor.example", 993},
		{server.POP3, "EmailTypePOP", "pop.maildoctor.example", 995},
	}
	for _, c := range cases {
		data, err := Mobileconfig(settings(t), MobileconfigOptions{Incoming: c.proto})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(data, []byte(`<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN"`)) {
			t.Error("no plist DOCTYPE")
		}
		v, err := decodePlist(data)
		if err != nil {
			t.Fatalf("not a valid plist: %v\n%s", err, data)
		}
		top, ok := v.(plistDict)
		if !ok {
			t.Fatalf("top level is %T", v)
		}
		want := map[string]interface{}{
			"PayloadType": "Configuration", "PayloadVersion": int64(1),
			"PayloadIdentifier":  "app.maildoctor.mail.example.maildoctor.mario-rossi",
			"PayloadDisplayName": "Mail: " + email, "PayloadOrganization": "Mail Doctor Example Hosting",
		}
		checkKeys(t, "profile", top, want)
		if !uuidRE.MatchString(fmt.Sprint(top["PayloadUUID"])) {
			t.Errorf("profile UUID %v", top["PayloadUUID"])
		}
		content, ok := top["PayloadContent"].([]interface{})
		if !ok || len(content) != 1 {
			t.Fatalf("PayloadContent = %#v", top["PayloadContent"])
		}
		mail := content[0].(plistDict)
		checkKeys(t, "mail payload", mail, map[string]interface{}{
			"PayloadType": "com.apple.mail.managed", "PayloadVersion": int64(1),
			"EmailAccountType": c.typ, "EmailAddress": email,
			"IncomingMailServerHostName": c.host, "IncomingMailServerPortNumber": c.port,
			"IncomingMailServerUseSSL": true, "IncomingMailServerAuthentication": "EmailAuthPassword",
			"IncomingMailServerUsername": email,
			"OutgoingMailServerHostName": "smtp.maildoctor.example", "OutgoingMailServerPortNumber": int64(465),
			"OutgoingMailServerUseSSL": true, "OutgoingMailServerAuthentication": "EmailAuthPassword",
			"OutgoingMailServerUsername": email, "OutgoingPasswordSameAsIncomingPassword": true,
		})
		if !uuidRE.MatchString(fmt.Sprint(mail["PayloadUUID"])) || mail["PayloadUUID"] == top["PayloadUUID"] {
			t.Errorf("mail UUID %v (profile %v)", mail["PayloadUUID"], top["PayloadUUID"])
		}
		for k := range mail {
			if strings.Contains(k, "Password") && k != "OutgoingPasswordSameAsIncomingPassword" {
				t.Errorf("the profile carries %s", k)
			}
		}
	}
}

func checkKeys(t *testing.T, what string, d plistDict, want map[string]interface{}) {
	t.Helper()
	for k, w := range want {
		if got, ok := d[k]; !ok || got != w {
			t.Errorf("%s: %s = %#v, want %#v", what, k, got, w)
		}
	}
}

func TestMobileconfigErrors(t *testing.T) {
	s := settings(t)
	s.SMTP = nil
	if _, err := Mobileconfig(s, MobileconfigOptions{}); err == nil {
		t.Error("a profile without an SMTP server")
	}
	if _, err := Mobileconfig(settings(t), MobileconfigOptions{Incoming: server.SMTP}); err == nil {
		t.Error("SMTP as the incoming protocol")
	}
	if _, err := Mobileconfig(settings(t), MobileconfigOptions{Random: strings.NewReader("short")}); err == nil {
		t.Error("a failing random source made UUIDs")
	}
}

// The .reg file: REGEDIT4, ASCII, CRLF, exactly the SChannel client keys
// for TLS 1.1 and 1.2 and both WinHTTP keys, each value a DWORD.
func TestReg(t *testing.T) {
	data := Reg()
	for i, c := range data {
		if c > 0x7e || c < 0x20 && c != '\r' && c != '\n' {
			t.Fatalf("byte %d is %#x: the file must be plain ASCII", i, c)
		}
	}
	text := string(data)
	if strings.Count(text, "\n") != strings.Count(text, "\r\n") || !strings.HasSuffix(text, "\r\n") {
		t.Error("lines must end in CRLF")
	}
	lines := strings.Split(strings.TrimSuffix(text, "\r\n"), "\r\n")
	if lines[0] != "REGEDIT4" || lines[1] != "" {
		t.Fatalf("header %q", lines[:2])
	}
	got := map[string]map[string]string{}
	var order []string
	key := ""
	for _, l := range lines[2:] {
		switch {
		case l == "" || strings.HasPrefix(l, ";"):
		case strings.HasPrefix(l, "[") && strings.HasSuffix(l, "]"):
			key = l[1 : len(l)-1]
			order = append(order, key)
			got[key] = map[string]string{}
		default:
			i := strings.Index(l, "=")
			if key == "" || i < 0 {
				t.Fatalf("line %q outside a key", l)
			}
			got[key][l[:i]] = l[i+1:]
		}
	}
	schannel := `HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\`
	want := map[string]map[string]string{
		schannel + `TLS 1.1\Client`: {`"DisabledByDefault"`: "dword:00000000", `"Enabled"`: "dword:00000001"},
		schannel + `TLS 1.2\Client`: {`"DisabledByDefault"`: "dword:00000000", `"Enabled"`: "dword:00000001"},
		`HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Internet Settings\WinHttp`: {
			`"DefaultSecureProtocols"`: "dword:00000a80"},
		`HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node\Microsoft\Windows\CurrentVersion\Internet Settings\WinHttp`: {
			`"DefaultSecureProtocols"`: "dword:00000a80"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) || len(order) != len(want) {
		t.Errorf("keys and values:\n got %v\nwant %v", got, want)
	}
	for _, w := range []string{"KB3140245", "administrator", "restart"} {
		if !strings.Contains(text, w) {
			t.Errorf("the file does not mention %s", w)
		}
	}
}

func TestCard(t *testing.T) {
	cat, err := i18n.Load(assets.Translations, "translation")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		lang string
		want []string
	}{
		{"en", []string{"Mail settings for " + email, "Incoming mail (IMAP) Server: imap.maildoctor.example Port: 993 Security: SSL/TLS User name: " + email,
			"Outgoing mail (SMTP) Server: smtp.maildoctor.example Port: 465 Security: SSL/TLS", "Authentication: normal password",
			"Webmail: https://webmail.maildoctor.example/"}},
		{"it", []string{"Impostazioni di posta per " + email, "Posta in arrivo (POP3) Server: pop.maildoctor.example Porta: 995 Sicurezza: SSL/TLS Nome utente: " + email,
			"Posta in uscita (SMTP) Server: smtp.maildoctor.example Porta: 465", "Password"}},
	}
	for _, c := range cases {
		card := Card(settings(t), cat.For(c.lang))
		// Values are aligned in columns; compare with the spacing folded.
		folded := strings.Join(strings.Fields(card), " ")
		for _, w := range c.want {
			if !strings.Contains(folded, w) {
				t.Errorf("%s card lacks %q:\n%s", c.lang, w, card)
			}
		}
		// Every row's value starts in the same column.
		col := -1
		for _, l := range strings.Split(card, "\n") {
			if !strings.HasPrefix(l, "  ") {
				continue
			}
			r := []rune(l)
			i := strings.IndexRune(string(r), ':')
			at := len([]rune(l[:i])) + 1
			for at < len(r) && r[at] == ' ' {
				at++
			}
			if col >= 0 && at != col {
				t.Errorf("%s card: %q is not aligned with the rows above", c.lang, l)
			}
			col = at
		}
		if strings.Contains(card, "fix.") {
			t.Errorf("%s card has an untranslated key:\n%s", c.lang, card)
		}
	}
}
