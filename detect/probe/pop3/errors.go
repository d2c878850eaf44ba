// Package pop3 is a small POP3 client (RFC 1939, with CAPA from RFC 2449,
// STLS from RFC 2595, AUTH from RFC 5034 and the response codes of RFC 2449
// and RFC 3206) for probing mail servers.
//
// It is written for a diagnostic tool that talks to servers it cannot trust:
// every line read is capped at MaxLineLength, every multi-line response at
// MaxResponseLines, and anything the server said that ends up in an error is
// truncated and made printable so it can be shown as evidence. The client
// sets no deadlines itself; the caller sets them on the net.Conn before each
// step, so a silent or slow server ends in the caller's timeout.
//
// Credentials are never kept by the client and never appear in its errors,
// even if a hostile server echoes them back.
//
// A Client is not safe for concurrent use.
package pop3

import "fmt"

// MaxLineLength bounds one line from the server, without its line ending.
// RFC 1939 allows 512 octets; real servers exceed that with long greetings
// and capability lists, so this is lenient, but it stays bounded because a
// hostile server may send a line that never ends.
const MaxLineLength = 8192

// MaxResponseLines bounds the lines of one multi-line response. It is
// generous so a UIDL of a very large mailbox still fits, and finite so an
// endless listing cannot grow memory forever.
const MaxResponseLines = 1000000

// ErrLineTooLong reports a line from the server longer than MaxLineLength.
var ErrLineTooLong = fmt.Errorf("line longer than the limit of %d bytes", MaxLineLength)

// ErrResponseTooLong reports a multi-line response of more than
// MaxResponseLines lines.
var ErrResponseTooLong = fmt.Errorf("multi-line response longer than the limit of %d lines", MaxResponseLines)

// Error is a -ERR reply from the server.
type Error struct {
	// Code is the RFC 2449 response code without its brackets, such as
	// "AUTH", "IN-USE" or "SYS/TEMP", or "" if the reply had none.
	Code string
	// Text is the rest of the reply, truncated and made printable.
	Text string
}

func (e *Error) Error() string {
	reply := "-ERR"
	if e.Code != "" {
		reply += " [" + e.Code + "]"
	}
	if e.Text != "" {
		reply += " " + e.Text
	}
	return "server replied " + reply
}

// ProtocolError reports that the peer said something that is not POP3,
// such as an HTTP or SMTP banner, or a reply the client cannot parse.
type ProtocolError struct {
	// Got is what arrived, truncated and made printable, kept as evidence.
	Got string

	// refusal is set when a greeting was a well-formed -ERR, so callers can
	// still reach its response code with errors.As.
	refusal *Error
}

func (e *ProtocolError) Error() string {
	return fmt.Sprintf("unexpected reply from server: %q", e.Got)
}

// Unwrap gives the -ERR behind a refused greeting, if that is what arrived.
func (e *ProtocolError) Unwrap() error {
	if e.refusal == nil {
		// A nil *Error in a non-nil interface would fool errors.As.
		return nil
	}
	return e.refusal
}
