// Package hello builds the ClientHello of a client profile byte by byte
// and reads a server's answer to it, without crypto/tls: any cipher
// suite, group or signature algorithm a real client offers can be offered,
// including the ones Go's TLS stack no longer implements.
//
// Only the hello is exchanged. The answer (ServerHello, and for TLS 1.2
// the ServerKeyExchange that names the group) or the alert is parsed, and
// the connection is dropped; no key is ever derived from the share sent.
package hello

import (
	"crypto/elliptic"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Profile is what one client's ClientHello offers.
type Profile struct {
	// Versions the client offers, e.g. 0x0301…0x0303.
	Versions []uint16
	// CipherSuites in the client's order of preference.
	CipherSuites []uint16
	// Groups for supported_groups (ECC and FFDHE named groups), in order;
	// empty leaves the extension out.
	Groups []uint16
	// KeyShares are the groups a TLS 1.3 client sends a share for.
	KeyShares []uint16
	// SignatureAlgorithms for signature_algorithms (TLS 1.2+ only).
	SignatureAlgorithms []uint16
	// Extensions that change what a server does.
	SNI               bool // server_name
	EMS               bool // extended_master_secret (RFC 7627)
	RenegotiationInfo bool // renegotiation_info (RFC 5746)
	SessionTicket     bool // session_ticket, empty (RFC 5077)
	ECPointFormats    bool // ec_point_formats: uncompressed (RFC 8422)
	StatusRequest     bool // status_request: OCSP (RFC 6066)
}

// MaxVersion is the highest version the profile offers.
func (p *Profile) MaxVersion() uint16 {
	var v uint16
	for _, x := range p.Versions {
		if x > v {
			v = x
		}
	}
	return v
}

// MinVersion is the lowest version the profile offers.
func (p *Profile) MinVersion() uint16 {
	v := uint16(0xffff)
	for _, x := range p.Versions {
		if x < v {
			v = x
		}
	}
	return v
}

// Offers reports whether the profile offers version v.
func (p *Profile) Offers(v uint16) bool { return has(p.Versions, v) }

// OffersSuite reports whether the profile offers suite s.
func (p *Profile) OffersSuite(s uint16) bool { return has(p.CipherSuites, s) }

// OffersGroup reports whether the profile accepts group g.
func (p *Profile) OffersGroup(g uint16) bool { return has(p.Groups, g) }

func has(list []uint16, v uint16) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// Extension code points (IANA "TLS ExtensionType Values").
const (
	extServerName        = 0
	extStatusRequest     = 5
	extSupportedGroups   = 10
	extECPointFormats    = 11
	extSignatureAlgs     = 13
	extEMS               = 23
	extSessionTicket     = 35
	extSupportedVersions = 43
	extPSKModes          = 45
	extKeyShare          = 51
	extRenegotiationInfo = 0xff01
)

const (
	recordHandshake = 22
	recordAlert     = 21
	recordCCS       = 20
	msgClientHello  = 1
	msgServerHello  = 2
	msgCertificate  = 11
	msgServerKeyEx  = 12
	msgCertRequest  = 13
	msgServerDone   = 14
	msgCertStatus   = 22
)

// builder appends length-prefixed blocks; it is the little of
// x/crypto/cryptobyte the hello needs.
type builder struct{ b []byte }

func (b *builder) u8(v uint8)   { b.b = append(b.b, v) }
func (b *builder) u16(v uint16) { b.b = binary.BigEndian.AppendUint16(b.b, v) }
func (b *builder) bytes(p []byte) {
	b.b = append(b.b, p...)
}

// prefixed writes a length prefix of n bytes (1, 2 or 3) around what f
// appends.
func (b *builder) prefixed(n int, f func()) {
	at := len(b.b)
	b.b = append(b.b, make([]byte, n)...)
	f()
	l := len(b.b) - at - n
	for i := n - 1; i >= 0; i-- {
		b.b[at+i] = byte(l)
		l >>= 8
	}
}

// Build returns the ClientHello record the profile sends to serverName
// (which goes into SNI when the profile sends it and it is a name, not an
// address). rand supplies the random, the session id and the key shares.
func Build(p *Profile, serverName string, rand io.Reader) ([]byte, error) {
	if len(p.Versions) == 0 || len(p.CipherSuites) == 0 {
		return nil, errors.New("profile offers no version or no cipher suite")
	}
	max := p.MaxVersion()
	legacy := max
	if legacy > 0x0303 {
		legacy = 0x0303
	}
	random := make([]byte, 32)
	if _, err := io.ReadFull(rand, random); err != nil {
		return nil, err
	}
	var sessionID []byte
	if max >= 0x0304 {
		// RFC 8446 §D.4: middlebox compatibility mode sends a session id.
		sessionID = make([]byte, 32)
		if _, err := io.ReadFull(rand, sessionID); err != nil {
			return nil, err
		}
	}
	var shares []keyShare
	if max >= 0x0304 {
		for _, g := range p.KeyShares {
			pub, err := publicShare(g, rand)
			if err != nil {
				return nil, err
			}
			shares = append(shares, keyShare{g, pub})
		}
	}

	var b builder
	b.u8(recordHandshake)
	b.u16(0x0301) // record version of a first hello, as clients send it
	b.prefixed(2, func() {
		b.u8(msgClientHello)
		b.prefixed(3, func() {
			b.u16(legacy)
			b.bytes(random)
			b.prefixed(1, func() { b.bytes(sessionID) })
			b.prefixed(2, func() {
				for _, s := range p.CipherSuites {
					b.u16(s)
				}
			})
			b.prefixed(1, func() { b.u8(0) }) // null compression only
			b.prefixed(2, func() { extensions(&b, p, serverName, max, shares) })
		})
	})
	if len(b.b)-5 > 16384 {
		return nil, fmt.Errorf("hello of %d bytes does not fit one record", len(b.b))
	}
	return b.b, nil
}

type keyShare struct {
	group uint16
	pub   []byte
}

func extensions(b *builder, p *Profile, serverName string, max uint16, shares []keyShare) {
	ext := func(typ uint16, f func()) {
		b.u16(typ)
		b.prefixed(2, f)
	}
	if p.SNI && serverName != "" && !isAddress(serverName) {
		ext(extServerName, func() {
			b.prefixed(2, func() {
				b.u8(0) // host_name
				b.prefixed(2, func() { b.bytes([]byte(serverName)) })
			})
		})
	}
	if p.EMS {
		ext(extEMS, func() {})
	}
	if p.RenegotiationInfo {
		ext(extRenegotiationInfo, func() { b.u8(0) })
	}
	if len(p.Groups) > 0 {
		ext(extSupportedGroups, func() {
			b.prefixed(2, func() {
				for _, g := range p.Groups {
					b.u16(g)
				}
			})
		})
	}
	if p.ECPointFormats {
		ext(extECPointFormats, func() { b.prefixed(1, func() { b.u8(0) }) })
	}
	if p.SessionTicket {
		ext(extSessionTicket, func() {})
	}
	if p.StatusRequest {
		ext(extStatusRequest, func() { b.u8(1); b.u16(0); b.u16(0) })
	}
	if max >= 0x0303 && len(p.SignatureAlgorithms) > 0 {
		ext(extSignatureAlgs, func() {
			b.prefixed(2, func() {
				for _, s := range p.SignatureAlgorithms {
					b.u16(s)
				}
			})
		})
	}
	if max >= 0x0304 {
		ext(extSupportedVersions, func() {
			b.prefixed(1, func() {
				// Highest first, as clients list them.
				for v := max; v >= 0x0300 && v <= max; v-- {
					if p.Offers(v) {
						b.u16(v)
					}
				}
			})
		})
		ext(extPSKModes, func() { b.prefixed(1, func() { b.u8(1) }) }) // psk_dhe_ke
		ext(extKeyShare, func() {
			b.prefixed(2, func() {
				for _, s := range shares {
					b.u16(s.group)
					b.prefixed(2, func() { b.bytes(s.pub) })
				}
			})
		})
	}
}

func isAddress(host string) bool {
	for _, c := range host {
		if c == ':' {
			return true
		}
		if (c < '0' || c > '9') && c != '.' {
			return false
		}
	}
	return true
}

// publicShare makes a real public key for group g: servers check that a
// share is a point on the curve before they answer.
func publicShare(g uint16, rand io.Reader) ([]byte, error) {
	var curve elliptic.Curve
	switch g {
	case 0x001d:
		var priv [32]byte
		if _, err := io.ReadFull(rand, priv[:]); err != nil {
			return nil, err
		}
		pub := X25519Base(priv)
		return pub[:], nil
	case 0x0017:
		curve = elliptic.P256()
	case 0x0018:
		curve = elliptic.P384()
	case 0x0019:
		curve = elliptic.P521()
	default:
		return nil, fmt.Errorf("no key share for group %s", GroupName(g))
	}
	_, x, y, err := elliptic.GenerateKey(curve, rand)
	if err != nil {
		return nil, err
	}
	return elliptic.Marshal(curve, x, y), nil
}
