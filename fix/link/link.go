// Package link reads and writes support links: a maildoctor:// URL a
// support agent sends so that Mail Doctor opens already filled in for one
// customer.
//
//	maildoctor://open?email=mario.rossi%40example.it&imap=mail.example.it:993&smtp=mail.example.it:465&profile=https%3A%2F%2Fwww.example.it%2Fmaildoctor.xml&lang=it
//
// A link only fills in. It never carries a password (a link with one is
// refused), its profile must be an https:// address under a public
// internet name (not an IP address, localhost or a local-network name),
// and every host it names outside the e-mail's domain and the built-in
// provider profile, and every non-ASCII or xn-- name in it, is listed by
// Warnings, for the app to show before anything is contacted. A linked
// profile is only discovery input for one check (UseProfile).
// docs/support.md describes the format for agents.
package link

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"sort"
	"strings"

	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/server"
)

// Scheme is the URL scheme Mail Doctor handles.
const Scheme = "maildoctor"

// MaxLen bounds a link: a real one is a few hundred characters, and
// browsers and Windows cut URLs near 2,000.
const MaxLen = 2048

// Parameter names.
const (
	paramEmail   = "email"
	paramProfile = "profile"
	paramLang    = "lang"
)

// Link is what a support link fills in. Empty fields were not in the link.
type Link struct {
	Email string
	// Profile is an https:// URL of a provider profile, to be loaded with
	// discover.LoadProfile.
	Profile string
	// Servers are "host" or "host:port" per protocol, the form of
	// check.Options.Manual.
	Servers map[server.Protocol]string
	// Lang is a language code such as "it"; the app falls back to its
	// own choice for one it does not have.
	Lang string
	// Ignored lists the parameters this version does not know.
	Ignored []string
}

// Error is a link that cannot be used. Key and Args render the reason in
// the user's language (see Text); Error gives it in English.
type Error struct {
	Key  string
	Args map[string]string
	msg  string
}

func (e *Error) Error() string { return "support link: " + e.msg }

// Text renders the reason with tr.
func (e *Error) Text(tr finding.Translator) string { return tr.T(e.Key, e.Args) }

func linkErr(key, msg string, kv ...string) error {
	return &Error{Key: "link.error." + key, msg: msg, Args: finding.Args(kv...)}
}

// Parse reads a support link. Unknown parameters are ignored (and listed
// in Ignored); a password, an http:// profile, a malformed value or a
// known parameter given twice is an *Error.
func Parse(raw string) (*Link, error) {
	if len(raw) > MaxLen {
		return nil, linkErr("too_long", fmt.Sprintf("it is %d characters long, more than the %d allowed", len(raw), MaxLen),
			"max", fmt.Sprint(MaxLen))
	}
	raw = strings.Trim(strings.TrimSpace(raw), `<>"'`)
	// The password check comes first and does not need a well-formed
	// link, so a link with a password is always refused for that reason.
	if name, ok := passwordParam(raw); ok {
		return nil, linkErr("password", fmt.Sprintf("it carries a password (%q); support never needs your password in a link", name),
			"param", name)
	}
	u, err := url.Parse(raw)
	if err != nil || !strings.EqualFold(u.Scheme, Scheme) {
		return nil, linkErr("not_link", "it is not a "+Scheme+":// link")
	}
	if u.User != nil {
		return nil, linkErr("password", "it carries a user name or password before the host; support never needs your password in a link",
			"param", "userinfo")
	}
	if action := linkAction(u); action != "open" {
		return nil, linkErr("action", fmt.Sprintf("it asks for %q, which this version of Mail Doctor cannot do", action),
			"action", action)
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return nil, linkErr("malformed", "its parameters are malformed (it may have been cut or changed)")
	}
	return fromQuery(q)
}

// linkAction is the word after the scheme: maildoctor://open?…,
// maildoctor:open?… and maildoctor:///open?… all say "open"; a trailing
// slash, as some browsers add, is fine.
func linkAction(u *url.URL) string {
	a := u.Opaque
	if a == "" {
		a = u.Host + u.Path
	}
	return strings.ToLower(strings.Trim(a, "/"))
}

// passwordParam finds a parameter whose name says it is a password,
// however the rest of the link looks.
func passwordParam(raw string) (string, bool) {
	i := strings.IndexByte(raw, '?')
	if i < 0 {
		return "", false
	}
	query := raw[i+1:]
	if j := strings.IndexByte(query, '#'); j >= 0 {
		query = query[:j]
	}
	for _, part := range strings.FieldsFunc(query, func(r rune) bool { return r == '&' || r == ';' }) {
		name := part
		if k := strings.IndexByte(part, '='); k >= 0 {
			name = part[:k]
		}
		if n, err := url.QueryUnescape(name); err == nil {
			name = n
		}
		if isPasswordName(name) {
			return name, true
		}
	}
	return "", false
}

func isPasswordName(name string) bool {
	n := strings.ToLower(strings.TrimSpace(name))
	switch n {
	case "pwd", "pw", "passwd", "secret", "token":
		return true
	}
	return strings.Contains(n, "pass")
}

func fromQuery(q url.Values) (*Link, error) {
	l := &Link{}
	names := make([]string, 0, len(q))
	for k := range q {
		names = append(names, k)
	}
	sort.Strings(names)
	seen := map[string]bool{}
	for _, k := range names {
		values := q[k]
		key := strings.ToLower(k)
		if !known(key) {
			l.Ignored = append(l.Ignored, k)
			continue
		}
		// Two values could be read differently by two programs; neither
		// is taken.
		if len(values) > 1 || seen[key] {
			return nil, linkErr("duplicate", fmt.Sprintf("it gives %q more than once", key), "param", key)
		}
		seen[key] = true
		if err := l.set(key, strings.TrimSpace(values[0])); err != nil {
			return nil, err
		}
	}
	return l, nil
}

func known(key string) bool {
	switch key {
	case paramEmail, paramProfile, paramLang:
		return true
	}
	return protocolParam(key) != ""
}

func protocolParam(key string) server.Protocol {
	for _, p := range server.Protocols {
		if string(p) == key {
			return p
		}
	}
	return ""
}

func (l *Link) set(key, v string) error {
	if v == "" {
		return nil
	}
	switch key {
	case paramEmail:
		if _, _, err := discover.SplitAddress(v); err != nil {
			return linkErr("email", fmt.Sprintf("its e-mail address is not valid: %v", err), "email", v)
		}
		l.Email = v
	case paramProfile:
		p, err := profileURL(v)
		if err != nil {
			return err
		}
		l.Profile = p
	case paramLang:
		if isLang(v) {
			l.Lang = strings.ToLower(v)
		} else {
			l.Ignored = append(l.Ignored, key)
		}
	default:
		hp, err := hostPort(v)
		if err != nil {
			return linkErr("host", fmt.Sprintf("its %s server %q is not HOST or HOST:PORT", key, v), "protocol", strings.ToUpper(key), "value", v)
		}
		if l.Servers == nil {
			l.Servers = map[server.Protocol]string{}
		}
		l.Servers[protocolParam(key)] = hp
	}
	return nil
}

// profileURL accepts only https: the profile says where the password
// goes, so it must not be open to change on the way.
func profileURL(v string) (string, error) {
	u, err := url.Parse(v)
	switch {
	case err != nil || u.Host == "" || u.Opaque != "":
		return "", linkErr("profile", "its profile is not a web address", "url", v)
	case strings.EqualFold(u.Scheme, "http"):
		return "", linkErr("http_profile", "its profile address is http://, not https://: it could be changed on the way", "url", v)
	case !strings.EqualFold(u.Scheme, "https"):
		return "", linkErr("profile", "its profile is not an https:// address", "url", v)
	case u.User != nil:
		return "", linkErr("password", "its profile address carries a user name or password", "param", paramProfile)
	}
	if _, _, err := server.ParseHostPort(u.Host); err != nil {
		return "", linkErr("profile", "its profile address has an invalid host", "url", v)
	}
	// A link must not make the app reach into the customer's computer or
	// network (a router page, a cloud metadata service): a provider
	// publishes its settings under its own internet name.
	if err := discover.CheckProfileHost(u.Hostname()); err != nil {
		key := "local_profile"
		var he *discover.ProfileHostError
		if errors.As(err, &he) && he.IP {
			key = "ip_profile"
		}
		return "", linkErr(key, "its profile address is refused: "+err.Error(), "url", v, "host", u.Hostname())
	}
	u.Scheme = "https"
	u.Host = strings.ToLower(u.Host)
	return u.String(), nil
}

// hostPort normalises HOST[:PORT]: lower case, no trailing dot, IPv6 in
// brackets when a port follows.
func hostPort(v string) (string, error) {
	host, port, err := server.ParseHostPort(v)
	if err != nil {
		return "", err
	}
	// ParseHostPort drops one trailing dot; an empty label left over would
	// make a name that changes each time it is read.
	if strings.HasPrefix(host, ".") || strings.HasSuffix(host, ".") || strings.Contains(host, "..") {
		return "", fmt.Errorf("%q has an empty label", v)
	}
	host = strings.ToLower(host)
	if port == 0 {
		if strings.Contains(host, ":") {
			return "[" + host + "]", nil
		}
		return host, nil
	}
	return net.JoinHostPort(host, fmt.Sprint(port)), nil
}

func isLang(v string) bool {
	if len(v) < 2 || len(v) > 3 {
		return false
	}
	for _, r := range strings.ToLower(v) {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}

// String writes the link in its canonical form; Parse reads it back to
// the same Link (without Ignored).
func (l *Link) String() string {
	q := url.Values{}
	if l.Email != "" {
		q.Set(paramEmail, l.Email)
	}
	if l.Profile != "" {
		q.Set(paramProfile, l.Profile)
	}
	for _, p := range server.Protocols {
		if hp := l.Servers[p]; hp != "" {
			q.Set(string(p), hp)
		}
	}
	if l.Lang != "" {
		q.Set(paramLang, l.Lang)
	}
	return Scheme + "://open?" + q.Encode()
}

// Build returns l's link after checking that Parse accepts it, so a link
// an agent makes always opens.
func Build(l Link) (string, error) {
	s := l.String()
	back, err := Parse(s)
	if err != nil {
		return "", err
	}
	if back.Email != l.Email || back.Profile != l.Profile || back.Lang != l.Lang || len(back.Servers) != len(l.Servers) {
		return "", linkErr("malformed", "some of its values are not in their plain form")
	}
	for p, hp := range l.Servers {
		if back.Servers[p] != hp {
			return "", linkErr("malformed", "some of its values are not in their plain form")
		}
	}
	return s, nil
}
