package hello

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Answer is what a server said to a ClientHello.
type Answer struct {
	// Alert is set when the server answered with an alert; the other
	// fields are then zero.
	Alert *uint8
	// Version, CipherSuite: what the ServerHello chose.
	Version     uint16
	CipherSuite uint16
	// Group is the key-exchange group: TLS 1.3's key_share, or a TLS 1.2
	// ECDHE ServerKeyExchange's named curve; 0 otherwise.
	Group uint16
	// DHBits is the size of a TLS 1.2 DHE prime (the server's own group).
	DHBits int
	// HelloRetry: a TLS 1.3 HelloRetryRequest asking for a share of Group.
	HelloRetry bool
}

// Errors of a server that does not answer like a TLS server.
var (
	// ErrNotTLS: the bytes are not TLS records (an HTTP page, a mail
	// greeting, garbage).
	ErrNotTLS = errors.New("the server's answer is not TLS")
	// ErrMalformed: TLS records whose handshake does not parse.
	ErrMalformed = errors.New("the server's TLS answer is malformed")
	// ErrTooLong: the server kept sending without finishing its hello.
	ErrTooLong = errors.New("the server sent too much without finishing its hello")
)

// The random of a HelloRetryRequest (RFC 8446 §4.1.3).
var helloRetryRandom = []byte{
	0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
	0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
}

const maxRecord = 16384 + 2048

// Parse reads the server's first flight in data. done is false when data
// ends before the answer is complete (read more and call again); err is
// set when data can never become a valid answer.
func Parse(data []byte) (ans *Answer, done bool, err error) {
	var hs []byte
	for len(data) > 0 {
		if len(data) < 5 {
			if !plausibleHeader(data) {
				return nil, false, ErrNotTLS
			}
			return nil, false, nil
		}
		typ, major := data[0], data[1]
		n := int(binary.BigEndian.Uint16(data[3:5]))
		if major != 3 || (typ != recordHandshake && typ != recordAlert && typ != recordCCS) {
			return nil, false, ErrNotTLS
		}
		if n > maxRecord {
			return nil, false, fmt.Errorf("%w: a record of %d bytes", ErrMalformed, n)
		}
		if len(data) < 5+n {
			break
		}
		body := data[5 : 5+n]
		data = data[5+n:]
		switch typ {
		case recordAlert:
			if len(body) < 2 {
				return nil, false, fmt.Errorf("%w: a short alert", ErrMalformed)
			}
			if len(hs) > 0 {
				// An alert after a ServerHello: the hello is the answer.
				a, ok, err := parseFlight(hs)
				if ok || err != nil {
					return a, ok, err
				}
			}
			d := body[1]
			return &Answer{Alert: &d}, true, nil
		case recordHandshake:
			hs = append(hs, body...)
			a, ok, err := parseFlight(hs)
			if ok || err != nil {
				return a, ok, err
			}
		}
	}
	return nil, false, nil
}

// plausibleHeader says whether a record header could start with b.
func plausibleHeader(b []byte) bool {
	if len(b) >= 1 && b[0] != recordHandshake && b[0] != recordAlert && b[0] != recordCCS {
		return false
	}
	return len(b) < 2 || b[1] == 3
}

// parseFlight reads handshake messages: the ServerHello, and for a TLS
// 1.2 (EC)DHE suite on to the ServerKeyExchange that names the group.
func parseFlight(hs []byte) (*Answer, bool, error) {
	var ans *Answer
	first := true
	for {
		if len(hs) < 4 {
			return nil, false, nil
		}
		typ := hs[0]
		n := int(hs[1])<<16 | int(hs[2])<<8 | int(hs[3])
		if n > 1<<18 {
			return nil, false, fmt.Errorf("%w: a handshake message of %d bytes", ErrMalformed, n)
		}
		if len(hs) < 4+n {
			return nil, false, nil
		}
		body := hs[4 : 4+n]
		hs = hs[4+n:]
		if first {
			if typ != msgServerHello {
				return nil, false, fmt.Errorf("%w: the first message is type %d, not ServerHello", ErrMalformed, typ)
			}
			a, err := parseServerHello(body)
			if err != nil {
				return nil, false, err
			}
			ans, first = a, false
			if ans.Version >= 0x0304 || ans.HelloRetry {
				return ans, true, nil
			}
			s, _ := SuiteByID(ans.CipherSuite)
			if s.Kex != KexECDHE && s.Kex != KexDHE {
				return ans, true, nil
			}
			continue
		}
		switch typ {
		case msgCertificate, msgCertStatus:
			continue
		case msgServerKeyEx:
			s, _ := SuiteByID(ans.CipherSuite)
			if err := parseKeyExchange(ans, s.Kex, body); err != nil {
				return nil, false, err
			}
			return ans, true, nil
		case msgCertRequest, msgServerDone:
			// No ServerKeyExchange: nothing more to learn.
			return ans, true, nil
		default:
			return nil, false, fmt.Errorf("%w: unexpected handshake message %d", ErrMalformed, typ)
		}
	}
}

type reader struct {
	b   []byte
	bad bool
}

func (r *reader) take(n int) []byte {
	if r.bad || n < 0 || len(r.b) < n {
		r.bad = true
		return nil
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

func (r *reader) u8() uint8 {
	v := r.take(1)
	if v == nil {
		return 0
	}
	return v[0]
}

func (r *reader) u16() uint16 {
	v := r.take(2)
	if v == nil {
		return 0
	}
	return binary.BigEndian.Uint16(v)
}

func parseServerHello(body []byte) (*Answer, error) {
	r := &reader{b: body}
	ans := &Answer{Version: r.u16()}
	random := r.take(32)
	r.take(int(r.u8())) // session id
	ans.CipherSuite = r.u16()
	r.u8() // compression
	if r.bad {
		return nil, fmt.Errorf("%w: a short ServerHello", ErrMalformed)
	}
	ans.HelloRetry = bytes.Equal(random, helloRetryRandom)
	if len(r.b) == 0 {
		return ans, nil
	}
	exts := &reader{b: r.take(int(r.u16()))}
	for len(exts.b) > 0 && !exts.bad {
		typ := exts.u16()
		data := &reader{b: exts.take(int(exts.u16()))}
		switch typ {
		case extSupportedVersions:
			ans.Version = data.u16()
		case extKeyShare:
			// A ServerHello's share starts with its group; a
			// HelloRetryRequest's is the group alone.
			ans.Group = data.u16()
		}
		if data.bad {
			exts.bad = true
		}
	}
	if r.bad || exts.bad {
		return nil, fmt.Errorf("%w: ServerHello extensions do not parse", ErrMalformed)
	}
	return ans, nil
}

func parseKeyExchange(ans *Answer, kex Kex, body []byte) error {
	r := &reader{b: body}
	switch kex {
	case KexECDHE:
		if r.u8() != 3 { // named_curve
			return fmt.Errorf("%w: ServerKeyExchange without a named curve", ErrMalformed)
		}
		ans.Group = r.u16()
	case KexDHE:
		p := r.take(int(r.u16()))
		for len(p) > 0 && p[0] == 0 {
			p = p[1:]
		}
		ans.DHBits = len(p) * 8
		if len(p) > 0 {
			for b := p[0]; b < 0x80; b <<= 1 {
				ans.DHBits--
			}
		}
	}
	if r.bad {
		return fmt.Errorf("%w: a short ServerKeyExchange", ErrMalformed)
	}
	return nil
}

// Read reads from r until Parse has the answer, taking at most limit
// bytes. io.EOF (or io.ErrUnexpectedEOF after some bytes) means the
// server closed the connection first.
func Read(r io.Reader, limit int) (*Answer, error) {
	buf := make([]byte, 0, 4096)
	chunk := make([]byte, 4096)
	for {
		n, err := r.Read(chunk)
		buf = append(buf, chunk[:n]...)
		if n > 0 {
			ans, done, perr := Parse(buf)
			if perr != nil {
				return nil, perr
			}
			if done {
				return ans, nil
			}
		}
		if len(buf) > limit {
			return nil, ErrTooLong
		}
		if err != nil {
			if err == io.EOF && len(buf) > 0 {
				return nil, io.ErrUnexpectedEOF
			}
			return nil, err
		}
	}
}
