// Package webmail finds the webmail page to offer when a mail program
// cannot be fixed now: the provider profile's page, else
// https://webmail.<domain>/ when it answers over HTTPS with a certificate
// valid for that name. Opening it is the app's job (fyne's OpenURL); the
// command line prints it.
package webmail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"maildoctor.app/maildoctor/detect/discover"
)

// Doer sends an HTTP request; *http.Client is one, tests pass their own.
type Doer interface {
	Do(*http.Request) (*http.Response, error)
}

// Options tune Find. The zero value works.
type Options struct {
	// Client sends the requests; nil means a client that verifies the
	// certificate against the system roots and follows only https
	// redirects. An injected client's own redirect policy applies, but a
	// final answer from a plain-HTTP page is still refused.
	Client Doer
	// Timeout bounds the whole look-up; 0 means DefaultTimeout.
	Timeout time.Duration
}

// DefaultTimeout is short: the customer is waiting, and a webmail that
// takes longer than this to answer HEAD would not help them now.
const DefaultTimeout = 5 * time.Second

// Find returns the webmail page for an address: profileURL when it is an
// https link, else https://webmail.<domain>/ if it answers, else "". The
// error is only for an address that is not one; a guessed page that does
// not answer is simply not offered.
func Find(ctx context.Context, email, profileURL string, opt Options) (string, error) {
	_, domain, err := discover.SplitAddress(email)
	if err != nil {
		return "", err
	}
	if u, err := url.Parse(strings.TrimSpace(profileURL)); err == nil && u.Scheme == "https" && u.Host != "" {
		return u.String(), nil
	}
	guess := "https://webmail." + domain + "/"
	if Answers(ctx, guess, opt) == nil {
		return guess, nil
	}
	return "", nil
}

// Answers checks that an https page answers like a login page: a
// success, a redirect that ends on https, or a request to log in. It
// tries HEAD first and GET when the server does not allow HEAD.
func Answers(ctx context.Context, rawURL string, opt Options) error {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("%q is not an https address", rawURL)
	}
	timeout := opt.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	client := opt.Client
	if client == nil {
		client = defaultClient()
	}
	status, err := try(ctx, client, http.MethodHead, u.String())
	if err == nil && (status == http.StatusMethodNotAllowed || status == http.StatusNotImplemented) {
		status, err = try(ctx, client, http.MethodGet, u.String())
	}
	if err != nil {
		return fmt.Errorf("webmail %s: %w", u.Host, err)
	}
	if !usable(status) {
		return fmt.Errorf("webmail %s: answered %d", u.Host, status)
	}
	return nil
}

// usable: a page that works (2xx, 3xx left over when redirects are not
// followed) or that asks for a login (401, 403).
func usable(status int) bool {
	return status >= 200 && status < 400 || status == http.StatusUnauthorized || status == http.StatusForbidden
}

func try(ctx context.Context, client Doer, method, u string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, method, u, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("User-Agent", "MailDoctor (webmail check)")
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	// A little of the body lets the connection be reused; no more is read.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.Request != nil && resp.Request.URL.Scheme != "https" {
		return 0, errors.New("it moved to a page without encryption")
	}
	return resp.StatusCode, nil
}

func defaultClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	return &http.Client{
		Transport: tr,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if req.URL.Scheme != "https" {
				return errors.New("redirect to a page without encryption")
			}
			if len(via) >= 5 {
				return errors.New("too many redirects")
			}
			return nil
		},
	}
}
