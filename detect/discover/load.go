package discover

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
)

// maxRedirects is how many redirects a profile or autoconfig fetch
// follows; real servers need one or two (http→https is refused anyway).
const maxRedirects = 3

// LoadProfile reads a provider profile from a file path or an https://
// URL. Plain http is refused: a profile tells the app where to send the
// customer's password, so it must not be open to tampering on the way.
// client may be nil.
func LoadProfile(ctx context.Context, src string, client *http.Client) (*Profile, error) {
	src = strings.TrimSpace(src)
	lower := strings.ToLower(src)
	switch {
	case strings.HasPrefix(lower, "https://"):
		if client == nil {
			client = &http.Client{Timeout: defaultHTTPTimeout}
		}
		data, err := fetch(ctx, restrictRedirects(client, nil), src)
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
// redirects, only to https and, when hosts is not nil, only to those hosts
// on the https port. The caller's client is left as it was.
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
	if hosts == nil {
		return nil
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
