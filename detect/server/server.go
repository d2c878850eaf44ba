// Package server names a mail server endpoint the way every other package
// talks about it: protocol, host, port and how the connection is secured.
package server

import (
	"fmt"
	"net"
	"strconv"
	"strings"
)

// Protocol is a mail access protocol.
type Protocol string

// Protocols Mail Doctor checks.
const (
	IMAP Protocol = "imap"
	POP3 Protocol = "pop3"
	SMTP Protocol = "smtp"
)

// Name is the protocol as people write it: "IMAP", "POP3", "SMTP".
func (p Protocol) Name() string { return strings.ToUpper(string(p)) }

// Protocols lists them in the order reports show them.
var Protocols = [...]Protocol{IMAP, POP3, SMTP}

// Security is how a connection is protected.
type Security string

// Securities as RFC 8314 names them; Auto is a client setting that lets
// the client fall back to plain text ("STARTTLS if available").
const (
	TLS      Security = "tls"      // implicit TLS from the first byte (993, 995, 465)
	StartTLS Security = "starttls" // plain text upgraded with STARTTLS/STLS (143, 110, 587)
	None     Security = "none"
	Auto     Security = "auto"
)

// DefaultPort returns the IANA port for p with s (RFC 8314 §7).
func DefaultPort(p Protocol, s Security) int {
	implicit := s == TLS
	switch p {
	case IMAP:
		return pick(implicit, 993, 143)
	case POP3:
		return pick(implicit, 995, 110)
	case SMTP:
		return pick(implicit, 465, 587)
	}
	return 0
}

func pick(cond bool, a, b int) int {
	if cond {
		return a
	}
	return b
}

// SecurityForPort guesses how a port is meant to be used: the implicit-TLS
// ports are TLS, the classic ports STARTTLS; ok is false for other ports.
func SecurityForPort(p Protocol, port int) (s Security, ok bool) {
	switch port {
	case DefaultPort(p, TLS):
		return TLS, true
	case DefaultPort(p, StartTLS):
		return StartTLS, true
	case 25:
		if p == SMTP {
			return StartTLS, true
		}
	}
	return "", false
}

// Endpoint is one place to connect to.
type Endpoint struct {
	Protocol Protocol `json:"protocol"`
	Host     string   `json:"host"`
	Port     int      `json:"port"`
	Security Security `json:"security"`
}

// Addr is "host:port".
func (e Endpoint) Addr() string {
	return net.JoinHostPort(e.Host, strconv.Itoa(e.Port))
}

func (e Endpoint) String() string {
	return fmt.Sprintf("%s %s (%s)", e.Protocol, e.Addr(), e.Security)
}

// ParseHostPort reads "HOST[:PORT]" as typed by a user or found in a link.
// It returns port 0 when none is given. IPv6 literals need brackets when a
// port follows.
func ParseHostPort(s string) (host string, port int, err error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", 0, fmt.Errorf("empty host")
	}
	host, portText := s, ""
	if h, p, splitErr := net.SplitHostPort(s); splitErr == nil {
		host, portText = h, p
	} else if strings.Count(s, ":") == 1 {
		return "", 0, fmt.Errorf("%q: %w", s, splitErr)
	}
	host = strings.TrimSuffix(strings.Trim(host, "[]"), ".")
	if host == "" {
		return "", 0, fmt.Errorf("%q: missing host name", s)
	}
	if !validHost(host) {
		return "", 0, fmt.Errorf("%q: not a valid host name", host)
	}
	if portText == "" {
		return host, 0, nil
	}
	port, err = strconv.Atoi(portText)
	if err != nil || port < 1 || port > 65535 {
		return "", 0, fmt.Errorf("%q: port must be a number from 1 to 65535", portText)
	}
	return host, port, nil
}

// validHost accepts IP literals and host names made of letters (any
// script: IDNA conversion happens later), digits, '-', '_' and dots.
func validHost(h string) bool {
	if net.ParseIP(h) != nil {
		return true
	}
	if len(h) > 253 || strings.HasPrefix(h, ".") || strings.Contains(h, "..") {
		return false
	}
	for _, r := range h {
		switch {
		case r == '.' || r == '-' || r == '_':
		case r >= '0' && r <= '9':
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case r > 127:
		default:
			return false
		}
	}
	return true
}
