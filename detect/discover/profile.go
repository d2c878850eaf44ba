package discover

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"maildoctor.app/maildoctor/detect/server"
)

// MaxProfileSize bounds a profile or autoconfig file: real ones are a few
// kilobytes, and anything fetched from the network must not be able to
// make the app hold an unbounded body in memory.
const MaxProfileSize = 1 << 20

// Placeholders a profile may use in <username>, <hostname> and <domain>.
const (
	phAddress   = "%EMAILADDRESS%"
	phLocalPart = "%EMAILLOCALPART%"
	phDomain    = "%EMAILDOMAIN%"
)

// Profile is a provider profile: a Thunderbird autoconfig file
// (config-v1.1.xml), as shipped by the provider or served by a domain.
type Profile struct {
	ID          string `json:"id"`
	DisplayName string `json:"display_name,omitempty"`
	ShortName   string `json:"short_name,omitempty"`
	// Domains are the e-mail domains the profile is for, lower-case ASCII;
	// "%EMAILDOMAIN%" means any domain.
	Domains []string `json:"domains"`
	// Incoming holds the imap and pop3 servers, best first as in the file.
	Incoming []Server `json:"incoming"`
	// Outgoing holds the smtp servers, best first.
	Outgoing []Server `json:"outgoing"`
	// Webmail is the https login page, offered when no client works.
	Webmail       string `json:"webmail,omitempty"`
	Documentation []Doc  `json:"documentation,omitempty"`
	// Provider is what the Mail Doctor extension element adds (see
	// ExtensionNS); its zero value when the file has none.
	Provider ProviderInfo `json:"provider"`
	// Raw is the file as read, so a report or an export can show it.
	Raw []byte `json:"-"`
	// mxDomains are <domain purpose="mx"> entries (autoconfig draft 1.2):
	// the provider's MX host domains, which mark a customer domain hosted
	// there without being e-mail domains themselves.
	mxDomains []string
}

// Doc is a link to the provider's help, described per language.
type Doc struct {
	URL   string            `json:"url"`
	Descr map[string]string `json:"descr,omitempty"` // language → text
}

// The XML shapes read from a config-v1.1.xml. Fields that Mail Doctor
// does not need are left out: encoding/xml skips unknown elements, which
// is the must-ignore rule of the autoconfig draft.
type xmlConfig struct {
	XMLName   xml.Name      `xml:"clientConfig"`
	Providers []xmlProvider `xml:"emailProvider"`
	WebMail   struct {
		LoginPage struct {
			URL string `xml:"url,attr"`
		} `xml:"loginPage"`
	} `xml:"webMail"`
}

type xmlProvider struct {
	ID          string      `xml:"id,attr"`
	Domains     []xmlDomain `xml:"domain"`
	DisplayName string      `xml:"displayName"`
	ShortName   string      `xml:"displayShortName"`
	Incoming    []xmlServer `xml:"incomingServer"`
	Outgoing    []xmlServer `xml:"outgoingServer"`
	Docs        []xmlDoc    `xml:"documentation"`
	// Ext matches <maildoctor> in any namespace, so that one written
	// without the namespace can be reported instead of silently ignored.
	Ext []xmlExt `xml:"maildoctor"`
}

type xmlDomain struct {
	Purpose string `xml:"purpose,attr"`
	Name    string `xml:",chardata"`
}

type xmlServer struct {
	Type        string   `xml:"type,attr"`
	Hostname    string   `xml:"hostname"`
	Port        string   `xml:"port"`
	SocketTypes []string `xml:"socketType"`
	Username    string   `xml:"username"`
	Auth        []string `xml:"authentication"`
}

type xmlDoc struct {
	URL   string `xml:"url,attr"`
	Descr []struct {
		Lang string `xml:"lang,attr"`
		Text string `xml:",chardata"`
	} `xml:"descr"`
}

// ParseProfile reads a Thunderbird autoconfig file (config-v1.1.xml).
// Unknown elements are ignored; servers of other types (nntp, exchange …)
// or with no known socketType are skipped. It fails on input that is not
// such a file, on a bad port or host name, and on a file with no imap,
// pop3 or smtp server at all, since such a profile could not help.
func ParseProfile(data []byte) (*Profile, error) {
	if len(data) > MaxProfileSize {
		return nil, fmt.Errorf("profile is %d bytes, more than the %d allowed", len(data), MaxProfileSize)
	}
	var doc xmlConfig
	if err := decodeXML(data, &doc); err != nil {
		return nil, fmt.Errorf("profile is not a config-v1.1.xml file: %w", err)
	}
	if len(doc.Providers) == 0 {
		return nil, errors.New("profile has no <emailProvider>")
	}
	xp := doc.Providers[0]
	p := &Profile{
		ID:          strings.TrimSpace(xp.ID),
		DisplayName: cleanText(xp.DisplayName),
		ShortName:   cleanText(xp.ShortName),
		Webmail:     webmailURL(doc.WebMail.LoginPage.URL),
		Raw:         append([]byte(nil), data...),
	}
	if err := p.readDomains(xp.Domains); err != nil {
		return nil, err
	}
	var err error
	if p.Incoming, err = readServers(xp.Incoming, "incomingServer", server.IMAP, server.POP3); err != nil {
		return nil, err
	}
	if p.Outgoing, err = readServers(xp.Outgoing, "outgoingServer", server.SMTP); err != nil {
		return nil, err
	}
	if len(p.Incoming)+len(p.Outgoing) == 0 {
		return nil, errors.New("profile names no usable imap, pop3 or smtp server")
	}
	p.Documentation = readDocs(xp.Docs)
	if p.Provider, err = readExtension(xp.Ext); err != nil {
		return nil, err
	}
	return p, nil
}

func decodeXML(data []byte, v interface{}) error {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = charsetReader
	return d.Decode(v)
}

// charsetReader accepts the Latin-1 declarations some hand-written files
// carry; encoding/xml itself only reads UTF-8.
func charsetReader(label string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return in, nil
	case "iso-8859-1", "latin1", "latin-1", "iso8859-1":
		b, err := io.ReadAll(in)
		if err != nil {
			return nil, err
		}
		out := make([]byte, 0, len(b))
		for _, c := range b {
			out = utf8.AppendRune(out, rune(c))
		}
		return bytes.NewReader(out), nil
	}
	return nil, fmt.Errorf("unsupported encoding %q", label)
}

func (p *Profile) readDomains(list []xmlDomain) error {
	for _, d := range list {
		name, err := profileDomain(d.Name)
		if err != nil {
			return fmt.Errorf("profile <domain>: %w", err)
		}
		if strings.EqualFold(strings.TrimSpace(d.Purpose), "mx") {
			p.mxDomains = appendUnique(p.mxDomains, name)
		} else {
			p.Domains = appendUnique(p.Domains, name)
		}
	}
	return nil
}

func profileDomain(raw string) (string, error) {
	if strings.EqualFold(strings.TrimSpace(raw), phDomain) {
		return phDomain, nil
	}
	return asciiName(raw, false)
}

// readServers keeps the servers of the wanted types in file order.
func readServers(list []xmlServer, element string, types ...server.Protocol) ([]Server, error) {
	var out []Server
	for i, x := range list {
		proto, ok := protocolOf(x.Type, types)
		if !ok {
			continue
		}
		sec, ok := securityOf(x.SocketTypes)
		if !ok {
			continue
		}
		s, err := readServer(x, proto, sec)
		if err != nil {
			return nil, fmt.Errorf("profile <%s> %d (%s): %w", element, i+1, proto, err)
		}
		out = append(out, s)
	}
	return out, nil
}

func readServer(x xmlServer, proto server.Protocol, sec server.Security) (Server, error) {
	host, err := profileHost(x.Hostname)
	if err != nil {
		return Server{}, err
	}
	port, err := profilePort(x.Port, proto, sec)
	if err != nil {
		return Server{}, err
	}
	s := Server{
		Endpoint: server.Endpoint{Protocol: proto, Host: host, Port: port, Security: sec},
		Source:   SourceProfile,
		Username: strings.TrimSpace(x.Username),
	}
	for _, a := range x.Auth {
		if a = strings.TrimSpace(a); a != "" {
			s.Auth = append(s.Auth, a)
		}
	}
	return s, nil
}

func protocolOf(typ string, wanted []server.Protocol) (server.Protocol, bool) {
	t := server.Protocol(strings.ToLower(strings.TrimSpace(typ)))
	for _, w := range wanted {
		if t == w {
			return t, true
		}
	}
	return "", false
}

// securityOf takes the first socketType it knows, as Thunderbird does, so
// a file can list a newer value first and an older one as fallback.
// "TLS" is the autoconfig draft 1.2 name for "SSL".
func securityOf(values []string) (server.Security, bool) {
	for _, v := range values {
		switch strings.ToUpper(strings.TrimSpace(v)) {
		case "SSL", "TLS":
			return server.TLS, true
		case "STARTTLS":
			return server.StartTLS, true
		case "PLAIN":
			return server.None, true
		}
	}
	return "", false
}

// profilePort reads <port>; a missing one means the protocol's usual port.
func profilePort(text string, proto server.Protocol, sec server.Security) (int, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return server.DefaultPort(proto, sec), nil
	}
	port, err := strconv.Atoi(text)
	if err != nil || port < 1 || port > 65535 {
		return 0, fmt.Errorf("port %q is not a number from 1 to 65535", text)
	}
	return port, nil
}

// profileHost checks a <hostname>. Names with placeholders are checked as
// they would be for a sample address and kept with the placeholders, to be
// filled in for the real address later.
func profileHost(raw string) (string, error) {
	h := strings.TrimSuffix(strings.TrimSpace(raw), ".")
	if h == "" {
		return "", errors.New("empty <hostname>")
	}
	if !strings.Contains(h, "%") {
		return hostName(h)
	}
	h = canonicalPlaceholders(strings.ToLower(h))
	if _, err := hostName(fill(h, "user@example.com", "user", "example.com")); err != nil {
		return "", fmt.Errorf("<hostname> %q: %w", raw, err)
	}
	return h, nil
}

// canonicalPlaceholders undoes strings.ToLower on the placeholders, so
// host names can be lower-cased before they are filled in.
func canonicalPlaceholders(s string) string {
	return strings.NewReplacer(
		strings.ToLower(phAddress), phAddress,
		strings.ToLower(phLocalPart), phLocalPart,
		strings.ToLower(phDomain), phDomain,
	).Replace(s)
}

// fill replaces the placeholders with an address's parts.
func fill(s, email, local, domain string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	return strings.NewReplacer(phAddress, email, phLocalPart, local, phDomain, domain).Replace(s)
}

// webmailURL keeps only https links: the customer types a password there,
// so a plain-text or script link from a profile must never be offered.
func webmailURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return ""
	}
	return u.String()
}

// docURL keeps only web links, so a profile cannot make the app open
// file: or script URLs.
func docURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return ""
	}
	return u.String()
}

func readDocs(list []xmlDoc) []Doc {
	var out []Doc
	for _, x := range list {
		u := docURL(x.URL)
		if u == "" {
			continue
		}
		d := Doc{URL: u, Descr: map[string]string{}}
		for _, ds := range x.Descr {
			lang := strings.ToLower(strings.TrimSpace(ds.Lang))
			if _, seen := d.Descr[lang]; !seen {
				d.Descr[lang] = cleanText(ds.Text)
			}
		}
		out = append(out, d)
	}
	return out
}

// cleanText folds the indentation and line breaks of XML text.
func cleanText(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// Covers reports whether the profile is for the e-mail domain (ASCII or
// Unicode; case does not matter).
func (p *Profile) Covers(domain string) bool {
	d, err := asciiName(domain, true)
	if err != nil {
		return false
	}
	for _, pd := range p.Domains {
		if pd == d || pd == phDomain {
			return true
		}
	}
	return false
}

// Hosts lists the mail server host names the profile names, in file
// order, without repeats. Names with placeholders are returned as written;
// Result.Allowed holds them filled in for an address. Webmail and
// documentation hosts are left out: Mail Doctor never connects to them,
// the customer's browser does.
func (p *Profile) Hosts() []string {
	var out []string
	for _, list := range [][]Server{p.Incoming, p.Outgoing} {
		for _, s := range list {
			out = appendUnique(out, s.Host)
		}
	}
	return out
}

// hostsFor lists Hosts filled in for an address, dropping any that do not
// make a valid name for it.
func (p *Profile) hostsFor(a address) []string {
	var out []string
	for _, h := range p.Hosts() {
		if n, err := hostName(a.fillHost(h)); err == nil {
			out = appendUnique(out, n)
		}
	}
	return out
}

// hostsMX reports whether an MX host belongs to this provider: it lies
// in one of the profile's domains (e-mail or MX ones) or under the parent
// domain of one of its server hosts (mx1.provider.example for a provider
// whose IMAP host is imap.provider.example).
func (p *Profile) hostsMX(mx string) bool {
	under := func(parent string) bool {
		// A one-label "domain" would claim a whole TLD's MX hosts.
		return strings.Contains(parent, ".") && (mx == parent || strings.HasSuffix(mx, "."+parent))
	}
	for _, list := range [][]string{p.Domains, p.mxDomains} {
		for _, d := range list {
			if d != phDomain && under(d) {
				return true
			}
		}
	}
	for _, h := range p.Hosts() {
		if !strings.Contains(h, "%") && under(parentDomain(h)) {
			return true
		}
	}
	return false
}

// parentDomain drops the first label of a host with three or more labels
// ("imap.provider.example" → "provider.example"). Shorter names and IP
// addresses give "", so a profile host can never make a whole top-level
// domain look like the provider's.
func parentDomain(h string) string {
	if strings.Count(h, ".") < 2 || strings.Trim(h, "0123456789.") == "" {
		return ""
	}
	return h[strings.IndexByte(h, '.')+1:]
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// Name is how the app names the provider: the brand, else the profile's
// display names, else its id.
func (p *Profile) Name() string {
	for _, n := range []string{p.Provider.Brand, p.DisplayName, p.ShortName} {
		if n != "" {
			return n
		}
	}
	return p.ID
}

// Owns reports whether host belongs to the provider: a mail server the
// profile names, or a name in or under one of the provider's own domains
// (the extension's) or the e-mail domains the profile is for.
func (p *Profile) Owns(host string) bool {
	h, err := hostName(host)
	if err != nil {
		return false
	}
	for _, s := range p.Hosts() {
		if s == h {
			return true
		}
	}
	for _, list := range [][]string{p.Provider.Domains, p.Domains} {
		for _, d := range list {
			if d != phDomain && under(h, d) {
				return true
			}
		}
	}
	return false
}

// HostUnder reports whether host is domain or a name under it, comparing
// the ASCII (IDNA), lower-case forms. Invalid names are under nothing.
func HostUnder(host, domain string) bool {
	h, err := hostName(host)
	if err != nil {
		return false
	}
	d, err := asciiName(domain, true)
	return err == nil && under(h, d)
}

func under(host, domain string) bool {
	return host == domain || strings.HasSuffix(host, "."+domain)
}
