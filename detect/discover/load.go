package discover

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// maxRedirects is how many redirects a profile or autoconfig fetch
// follows; real servers need one or two (http→https is refused anyway).
const maxRedirects = 3

// LoadProfile reads a provider profile from a file path or an https://
// URL. Plain http is refused: a profile tells the app where to send the
// customer's password, so it must not be open to tampering on the way.
//
// A URL comes from a support link or the command line, so whoever wrote
// it must not be able to make Mail Doctor reach into the customer's own
// computer or network: a host that is an IP address, localhost or a
// local-network name is refused before anything is sent (CheckProfileHost),
// redirects stay on the same host, and — when client is nil — a name
// that resolves to a loopback, private or link-local address is refused
// when connecting. client may be nil; the caller's client is left as it
// was.
func LoadProfile(ctx context.Context, src string, client *http.Client) (*Profile, error) {
	src = strings.TrimSpace(src)
	lower := strings.ToLower(src)
	switch {
	case strings.HasPrefix(lower, "https://"):
		u, err := url.Parse(src)
		if err != nil || u.Host == "" {
			return nil, fmt.Errorf("profile %s: not a valid https:// address", src)
		}
		if u.User != nil {
			return nil, fmt.Errorf("profile %s: refusing an address with a user name or password", u.Redacted())
		}
		if err := CheckProfileHost(u.Hostname()); err != nil {
			return nil, fmt.Errorf("profile %s: %w", u.Redacted(), err)
		}
		if client == nil {
			client = publicClient()
		}
		host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
		data, err := fetch(ctx, restrictRedirects(client, []string{host}), src)
		if err != nil {
			return nil, fmt.Errorf("loading profile: %w", err)
		}
		p, err := ParseProfile(data)
		if err != nil {
			return nil, fmt.Errorf("loading profile from %s: %w", src, err)
		}
		return p, nil
	case strings.HasPrefix(lower, "http://"):
		return nil, fmt.Errorf("profile %s: refusing plain http, use an https:// address", src)
	case strings.Contains(lower, "://"):
		return nil, fmt.Errorf("profile %s: only file paths and https:// addresses are supported", src)
	}
	data, err := readFile(src)
	if err != nil {
		return nil, fmt.Errorf("loading profile: %w", err)
	}
	p, err := ParseProfile(data)
	if err != nil {
		return nil, fmt.Errorf("loading profile %s: %w", src, err)
	}
	return p, nil
}

func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readLimited(f, path)
}

// readLimited reads at most MaxProfileSize bytes and fails on more, so
// a huge file or body is refused rather than silently cut.
func readLimited(r io.Reader, name string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxProfileSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	if len(data) > MaxProfileSize {
		return nil, fmt.Errorf("%s is larger than %d bytes", name, MaxProfileSize)
	}
	return data, nil
}

// restrictRedirects returns a copy of c that follows at most maxRedirects
// redirects, only to https and only to one of hosts on the https port
// (with no hosts, no redirect is followed). The caller's client is left as
// it was.
func restrictRedirects(c *http.Client, hosts []string) *http.Client {
	cc := *c
	cc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) > maxRedirects {
			return fmt.Errorf("more than %d redirects", maxRedirects)
		}
		return checkURL(req.URL, hosts)
	}
	return &cc
}

func checkURL(u *url.URL, hosts []string) error {
	if u.Scheme != "https" {
		return fmt.Errorf("refusing to follow a redirect to %s: not https", u.Redacted())
	}
	if p := u.Port(); p != "" && p != "443" {
		return fmt.Errorf("refusing to follow a redirect to %s: not the https port", u.Redacted())
	}
	h := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	for _, ok := range hosts {
		if h == ok {
			return nil
		}
	}
	return fmt.Errorf("refusing to follow a redirect to %s: another host", u.Redacted())
}

// ProfileHostError is a profile address whose host is not a public
// internet name: an IP address, this computer or a local network.
type ProfileHostError struct {
	Host string
	// IP is set when the host is an IP address (any IP address: a
	// provider publishes its settings under its name).
	IP bool
	// Reason says in English what the host is.
	Reason string
}

func (e *ProfileHostError) Error() string {
	return fmt.Sprintf("refusing the host %q: %s", e.Host, e.Reason)
}

// localSuffixes are names that only mean something on this computer or
// its local network (RFC 6761, RFC 6762, RFC 8375, ICANN's .internal).
var localSuffixes = []string{"localhost", "local", "home.arpa", "internal", "localdomain", "lan"}

// CheckProfileHost refuses a profile host that is not a public internet
// name: an IP address (loopback, private, link-local or any other — a
// provider publishes settings under its name), localhost and other
// local-network names, a name without a dot, and numbers that some
// systems read as an IP address (2130706433, 0x7f.1, 127.1).
func CheckProfileHost(host string) error {
	h := strings.TrimSpace(host)
	bare := strings.Trim(h, "[]")
	if i := strings.IndexByte(bare, '%'); i >= 0 {
		bare = bare[:i] // an IPv6 zone
	}
	if ip := net.ParseIP(bare); ip != nil {
		return &ProfileHostError{Host: h, IP: true, Reason: "it is an IP address (" + ipKind(ip) + "), not a provider's name"}
	}
	name, err := asciiName(h, true)
	if err != nil {
		return &ProfileHostError{Host: h, Reason: "it is not a valid host name"}
	}
	labels := strings.Split(name, ".")
	if numericLabel(labels[len(labels)-1]) {
		return &ProfileHostError{Host: h, IP: true, Reason: "it is a number that may be read as an IP address, not a provider's name"}
	}
	for _, s := range localSuffixes {
		if name == s || strings.HasSuffix(name, "."+s) {
			return &ProfileHostError{Host: h, Reason: "it names this computer or a local network"}
		}
	}
	if len(labels) < 2 {
		return &ProfileHostError{Host: h, Reason: "it is a name on the local network, not an internet name"}
	}
	return nil
}

// numericLabel reports whether a last label is all digits or a 0x… number,
// which inet_aton-style resolvers read as part of an IPv4 address.
func numericLabel(l string) bool {
	if strings.HasPrefix(l, "0x") {
		return true
	}
	_, err := strconv.ParseUint(l, 10, 64)
	return err == nil
}

// ipKind names what an address is, for the error.
func ipKind(ip net.IP) string {
	switch {
	case ip.IsLoopback():
		return "this computer"
	case ip.IsPrivate():
		return "a private network"
	case ip.IsLinkLocalUnicast(), ip.IsLinkLocalMulticast():
		return "a link-local address"
	case ip.IsUnspecified():
		return "an unspecified address"
	}
	return "a bare number address"
}

// publicIP reports whether ip is a public unicast address: not loopback,
// private (RFC 1918, fc00::/7), link-local (169.254/16, fe80::/10),
// unspecified, multicast, carrier-grade NAT (100.64/10) or 0/8.
func publicIP(ip net.IP) bool {
	if ip4 := ip.To4(); ip4 != nil {
		if ip4[0] == 0 || ip4[0] == 100 && ip4[1]&0xc0 == 64 || ip4[0] >= 224 {
			return false
		}
	}
	return !(ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified())
}

// refuseLocal is a net.Dialer Control: it refuses a connection to an
// address that is not public, whatever name led to it (a public name
// whose DNS answer is 127.0.0.1 or 169.254.169.254).
func refuseLocal(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); ip == nil || !publicIP(ip) {
		return fmt.Errorf("refusing to connect to %s: not a public internet address", host)
	}
	return nil
}

// publicClient fetches profiles straight from the internet: only public
// addresses (refuseLocal) and no proxy, since a proxy would be a local
// address the check could not tell from the target.
func publicClient() *http.Client {
	d := &net.Dialer{Timeout: defaultHTTPTimeout, Control: refuseLocal}
	t := &http.Transport{
		DialContext:           d.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          2,
		IdleConnTimeout:       30 * time.Second,
		TLSHandshakeTimeout:   defaultHTTPTimeout,
		ResponseHeaderTimeout: defaultHTTPTimeout,
	}
	return &http.Client{Timeout: defaultHTTPTimeout, Transport: t}
}

// errHTTPStatus marks a fetch that got an answer other than 200, so the
// autoconfig source can report "not published" instead of a failure.
var errHTTPStatus = errors.New("unexpected HTTP status")

// fetch GETs rawURL with ctx and returns the body, at most MaxProfileSize.
func fetch(ctx context.Context, c *http.Client, rawURL string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, fmt.Errorf("fetching %s: %w", rawURL, err)
	}
	req.Header.Set("Accept", "text/xml, application/xml;q=0.9, */*;q=0.1")
	resp, err := c.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetching %s: %w", rawURL, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetching %s: %w %s", rawURL, errHTTPStatus, resp.Status)
	}
	return readLimited(resp.Body, rawURL)
}
