package discover

import (
	"encoding/xml"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"maildoctor.app/maildoctor/detect/server"
)

// ExtensionNS is the XML namespace of Mail Doctor's extension element,
// <maildoctor xmlns="…"> inside <emailProvider>. Thunderbird and other
// autoconfig readers skip elements they do not know, so one file serves
// them and Mail Doctor alike. The trailing 1 is the format version: a
// later, incompatible format gets a new namespace, which this version
// ignores rather than misreads. docs/profile.md describes the format.
const ExtensionNS = "https://maildoctor.app/ns/profile/1"

// ProviderInfo is what a provider tells its customers that autoconfig has
// no element for.
type ProviderInfo struct {
	// Brand is the name the app shows for the provider.
	Brand        string `json:"brand,omitempty"`
	SupportEmail string `json:"support_email,omitempty"`
	SupportPhone string `json:"support_phone,omitempty"`
	SupportURL   string `json:"support_url,omitempty"`
	// StartTLSEnds is the day (YYYY-MM-DD) the provider closes the
	// STARTTLS ports 143, 110 and 587.
	StartTLSEnds string `json:"starttls_ends,omitempty"`
	// MinTLS is the lowest TLS version the servers accept: "1.0" to "1.3".
	MinTLS     string      `json:"min_tls,omitempty"`
	SendLimits []SendLimit `json:"send_limits,omitempty"`
	// Domains are DNS names the provider controls, lower-case ASCII: each
	// of them and every name under it belongs to the provider.
	Domains []string `json:"domains,omitempty"`
}

// SendLimit is a cap on outgoing mail, such as 100 messages per hour.
type SendLimit struct {
	Messages int    `json:"messages"`
	Per      string `json:"per"` // minute, hour or day
}

// StartTLSEndDate returns StartTLSEnds as a date (midnight UTC).
func (pi ProviderInfo) StartTLSEndDate() (time.Time, bool) {
	t, err := time.Parse(dateLayout, pi.StartTLSEnds)
	return t, err == nil
}

// Limits on the extension's free text, so a profile cannot fill the
// screen.
const (
	maxBrand   = 100
	maxPhone   = 40
	dateLayout = "2006-01-02"
)

type xmlExt struct {
	XMLName      xml.Name     `xml:""`
	Brand        []string     `xml:"brand"`
	Support      []xmlSupport `xml:"support"`
	StartTLSEnds []string     `xml:"starttlsEnds"`
	MinTLS       []string     `xml:"minTLS"`
	SendLimits   []struct {
		Messages string `xml:"messages,attr"`
		Per      string `xml:"per,attr"`
	} `xml:"sendLimit"`
	Domains []string `xml:"providerDomain"`
}

type xmlSupport struct {
	Email []string `xml:"email"`
	Phone []string `xml:"phone"`
	URL   []string `xml:"url"`
}

// readExtension reads the <maildoctor> element. A file without one is
// fine; one in another namespace is a later format and is skipped; one
// without a namespace is an error, as the provider surely meant it.
func readExtension(list []xmlExt) (ProviderInfo, error) {
	var mine []xmlExt
	for _, x := range list {
		switch x.XMLName.Space {
		case ExtensionNS:
			mine = append(mine, x)
		case "":
			return ProviderInfo{}, fmt.Errorf("profile <maildoctor> needs xmlns=%q", ExtensionNS)
		}
	}
	switch len(mine) {
	case 0:
		return ProviderInfo{}, nil
	case 1:
	default:
		return ProviderInfo{}, errors.New("profile has more than one <maildoctor> element")
	}
	pi, err := mine[0].read()
	if err != nil {
		return ProviderInfo{}, fmt.Errorf("profile <maildoctor>: %w", err)
	}
	return pi, nil
}

func (x xmlExt) read() (ProviderInfo, error) {
	var pi ProviderInfo
	var err error
	if pi.Brand, err = extBrand(x.Brand); err != nil {
		return pi, err
	}
	if err = pi.readSupport(x.Support); err != nil {
		return pi, err
	}
	if pi.StartTLSEnds, err = extDate(x.StartTLSEnds); err != nil {
		return pi, err
	}
	if pi.MinTLS, err = extTLSVersion(x.MinTLS); err != nil {
		return pi, err
	}
	for _, l := range x.SendLimits {
		sl, err := sendLimit(l.Messages, l.Per)
		if err != nil {
			return pi, err
		}
		pi.SendLimits = append(pi.SendLimits, sl)
	}
	for _, d := range x.Domains {
		name, err := asciiName(d, false)
		if err != nil || !strings.Contains(name, ".") {
			return pi, fmt.Errorf("<providerDomain> %q is not a domain with a dot", cleanText(d))
		}
		pi.Domains = appendUnique(pi.Domains, name)
	}
	return pi, nil
}

// single returns the one value of an element that may appear at most
// once, folded like any XML text.
func single(name string, values []string) (string, error) {
	if len(values) > 1 {
		return "", fmt.Errorf("<%s> appears %d times, at most once allowed", name, len(values))
	}
	if len(values) == 0 {
		return "", nil
	}
	return cleanText(values[0]), nil
}

func extBrand(values []string) (string, error) {
	b, err := single("brand", values)
	if err == nil && utf8.RuneCountInString(b) > maxBrand {
		err = fmt.Errorf("<brand> is longer than %d characters", maxBrand)
	}
	if err == nil && !utf8.ValidString(b) {
		err = errors.New("<brand> is not valid UTF-8 text")
	}
	return b, err
}

func (pi *ProviderInfo) readSupport(list []xmlSupport) error {
	if len(list) > 1 {
		return fmt.Errorf("<support> appears %d times, at most once allowed", len(list))
	}
	if len(list) == 0 {
		return nil
	}
	s := list[0]
	email, err := single("email", s.Email)
	if err != nil {
		return err
	}
	if email != "" {
		local, domain, err := SplitAddress(email)
		if err != nil {
			return fmt.Errorf("<support><email>: %w", err)
		}
		pi.SupportEmail = local + "@" + domain
	}
	if pi.SupportPhone, err = single("phone", s.Phone); err != nil {
		return err
	}
	if !validPhone(pi.SupportPhone) {
		return fmt.Errorf("<support><phone> %q is not a telephone number", pi.SupportPhone)
	}
	raw, err := single("url", s.URL)
	if err != nil {
		return err
	}
	if pi.SupportURL = docURL(raw); raw != "" && pi.SupportURL == "" {
		return fmt.Errorf("<support><url> %q is not an http or https address", raw)
	}
	return nil
}

// validPhone accepts what people write in a telephone number: digits,
// spaces, "+", "-", ".", "/" and parentheses, with at least three digits.
func validPhone(s string) bool {
	if s == "" {
		return true
	}
	if len(s) > maxPhone {
		return false
	}
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune("+-./() ", r):
		default:
			return false
		}
	}
	return digits >= 3
}

func extDate(values []string) (string, error) {
	d, err := single("starttlsEnds", values)
	if err != nil || d == "" {
		return "", err
	}
	if _, err := time.Parse(dateLayout, d); err != nil {
		return "", fmt.Errorf("<starttlsEnds> %q is not a date written YYYY-MM-DD", d)
	}
	return d, nil
}

func extTLSVersion(values []string) (string, error) {
	v, err := single("minTLS", values)
	if err != nil {
		return "", err
	}
	if t, err := server.ParseTLSVersion(v); err == nil && t.String() == v {
		return v, nil
	}
	return "", fmt.Errorf("<minTLS> %q is not one of 1.0, 1.1, 1.2, 1.3", v)
}

// maxSendLimit is far above any real limit; it keeps the number an int
// on 32-bit systems.
const maxSendLimit = 1_000_000_000

func sendLimit(messages, per string) (SendLimit, error) {
	n, err := strconv.Atoi(strings.TrimSpace(messages))
	if err != nil || n < 1 || n > maxSendLimit {
		return SendLimit{}, fmt.Errorf("<sendLimit messages=%q> is not a number from 1 to %d", messages, maxSendLimit)
	}
	switch p := strings.ToLower(strings.TrimSpace(per)); p {
	case "minute", "hour", "day":
		return SendLimit{Messages: n, Per: p}, nil
	}
	return SendLimit{}, fmt.Errorf("<sendLimit per=%q> must be minute, hour or day", per)
}
