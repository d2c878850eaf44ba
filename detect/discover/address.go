package discover

import (
	"fmt"
	"net"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// AddressError says why a text is not a usable e-mail address.
type AddressError struct {
	Input  string // the text as given, trimmed
	Reason string // empty when the text has no @ at all
}

func (e *AddressError) Error() string {
	if e.Reason == "" {
		return fmt.Sprintf("%q is not an e-mail address", e.Input)
	}
	return fmt.Sprintf("%q is not an e-mail address: %s", e.Input, e.Reason)
}

// RFC 5321 §4.5.3.1 limits.
const (
	maxLocalPart = 64
	maxAddress   = 254
	maxHostName  = 253
	maxLabel     = 63
)

// SplitAddress checks an e-mail address and returns its local part as given
// and its domain in ASCII (IDNA), lower-case, without a trailing dot.
// Quoted local parts and address literals ("user@[192.0.2.1]") are refused:
// no mail provider hands those out, so they are typing mistakes here.
func SplitAddress(email string) (local, domain string, err error) {
	email = strings.TrimSpace(email)
	fail := func(reason string) (string, string, error) {
		return "", "", &AddressError{Input: email, Reason: reason}
	}
	if email == "" {
		return fail("it is empty")
	}
	at := strings.LastIndexByte(email, '@')
	if at < 0 {
		return fail("")
	}
	local, typed := email[:at], email[at+1:]
	switch {
	case strings.Contains(local, "@"):
		return fail("it has more than one @")
	case local == "":
		return fail("nothing comes before the @")
	case typed == "":
		return fail("nothing comes after the @")
	case len(email) > maxAddress:
		return fail(fmt.Sprintf("it is longer than %d characters", maxAddress))
	case len(local) > maxLocalPart:
		return fail(fmt.Sprintf("the part before the @ is longer than %d characters", maxLocalPart))
	}
	if reason := checkLocalPart(local); reason != "" {
		return fail(reason)
	}
	domain, err = mailDomain(typed)
	if err != nil {
		return fail(err.Error())
	}
	return local, domain, nil
}

// checkLocalPart refuses what cannot be an unquoted local part: spaces,
// control characters and the RFC 5322 specials. Non-ASCII letters pass
// (RFC 6531 addresses exist).
func checkLocalPart(local string) string {
	if !utf8.ValidString(local) {
		return "it is not valid UTF-8 text"
	}
	for _, r := range local {
		switch {
		case unicode.IsSpace(r):
			return "it contains a space"
		case unicode.IsControl(r) || r == utf8.RuneError:
			return "it contains a control character"
		case strings.ContainsRune(`()<>[]\,;:"`, r):
			return fmt.Sprintf("%q is not allowed before the @", r)
		}
	}
	return ""
}

// mailDomain converts the domain of an address to lower-case ASCII and
// checks it is a DNS name with at least two labels and not an IP address.
func mailDomain(typed string) (string, error) {
	d, err := asciiName(typed, false)
	if err != nil {
		return "", err
	}
	if net.ParseIP(d) != nil {
		return "", fmt.Errorf("%q is an IP address, not a domain", typed)
	}
	if !strings.Contains(d, ".") {
		return "", fmt.Errorf("the domain %q has no dot", typed)
	}
	return d, nil
}

// hostProfile converts names the way a resolver sees them (UTS #46,
// non-transitional, so "straße.de" stays distinct from "strasse.de").
// StrictDomainName is off because real host names may hold '_', which
// asciiName checks for itself.
func hostProfile() *idna.Profile {
	return idna.New(idna.MapForLookup(), idna.StrictDomainName(false),
		idna.Transitional(false), idna.BidiRule())
}

// asciiName converts a host or domain name to lower-case ASCII without a
// trailing dot and checks it: letters, digits, '-' and (for host names
// only) '_', labels of 1 to 63 octets, 253 octets in all.
func asciiName(name string, underscore bool) (string, error) {
	name = strings.TrimSuffix(strings.TrimSpace(name), ".")
	if name == "" {
		return "", fmt.Errorf("empty name")
	}
	if !utf8.ValidString(name) {
		// idna would turn the bad bytes into U+FFFD and encode that.
		return "", fmt.Errorf("%q is not valid UTF-8 text", name)
	}
	a, err := hostProfile().ToASCII(name)
	if err != nil {
		return "", fmt.Errorf("%q is not a valid domain name: %w", name, err)
	}
	a = strings.ToLower(a)
	if len(a) > maxHostName {
		return "", fmt.Errorf("%q is longer than %d characters", name, maxHostName)
	}
	for _, label := range strings.Split(a, ".") {
		if reason := checkLabel(label, underscore); reason != "" {
			return "", fmt.Errorf("%q is not a valid domain name: %s", name, reason)
		}
	}
	return a, nil
}

func checkLabel(label string, underscore bool) string {
	if label == "" {
		return "empty label"
	}
	if len(label) > maxLabel {
		return fmt.Sprintf("a label is longer than %d characters", maxLabel)
	}
	if label[0] == '-' || label[len(label)-1] == '-' {
		return "a label starts or ends with '-'"
	}
	for i := 0; i < len(label); i++ {
		c := label[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-':
		case c == '_' && underscore:
		default:
			return fmt.Sprintf("%q is not allowed", rune(c))
		}
	}
	return ""
}

// hostName normalises a server host name from a profile, a DNS answer or
// the user: IP literals as net.IP prints them, names as asciiName does.
func hostName(h string) (string, error) {
	h = strings.TrimSpace(h)
	if ip := net.ParseIP(strings.Trim(h, "[]")); ip != nil {
		return ip.String(), nil
	}
	return asciiName(h, true)
}

// CanonicalHost returns a host name in the form every comparison uses:
// lower-case ASCII (IDNA) without a trailing dot, or an IP address in its
// standard form.
func CanonicalHost(h string) (string, error) {
	return hostName(h)
}

// UnicodeHost returns the Unicode form of an ASCII (xn--) host name, for
// showing it next to the ASCII form; a name that does not convert is
// returned as it is.
func UnicodeHost(h string) string {
	u, err := hostProfile().ToUnicode(h)
	if err != nil {
		return h
	}
	return u
}
