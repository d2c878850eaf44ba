package server

import (
	"fmt"
	"strings"
)

// TLSVersion is a TLS protocol version. It holds the version's code on the
// wire (crypto/tls's VersionTLS12 converts to it directly), so versions
// compare with < and >, and it is written "1.0" … "1.3" in JSON, reports
// and the knowledge base. The zero value is "no version".
type TLSVersion uint16

// The TLS versions Mail Doctor knows, with their wire codes (RFC 8446 §4.2.1).
const (
	TLS10 TLSVersion = 0x0301
	TLS11 TLSVersion = 0x0302
	TLS12 TLSVersion = 0x0303
	TLS13 TLSVersion = 0x0304
)

// TLSVersions lists the known versions, oldest first.
var TLSVersions = [...]TLSVersion{TLS10, TLS11, TLS12, TLS13}

// TLSVersionNames are TLSVersions as strings: "1.0", "1.1", "1.2", "1.3".
func TLSVersionNames() []string {
	out := make([]string, len(TLSVersions))
	for i, v := range TLSVersions {
		out[i] = v.String()
	}
	return out
}

// unknownTLSName is how a version outside TLSVersions is written.
const unknownTLSName = "unknown"

// ParseTLSVersion reads "1.2" and the spellings programs use for it:
// "TLSv1.2" (OpenSSL, Dovecot), "TLS1.2", "TLS 1.2", in any case. The empty
// string is the zero TLSVersion.
func ParseTLSVersion(s string) (TLSVersion, error) {
	t := strings.TrimSpace(strings.ToLower(s))
	if t == "" {
		return 0, nil
	}
	t = strings.TrimPrefix(t, "tls")
	t = strings.TrimPrefix(t, "v")
	t = strings.TrimSpace(t)
	if t == "1" { // OpenSSL's "TLSv1"
		t = "1.0"
	}
	for _, v := range TLSVersions {
		if t == v.String() {
			return v, nil
		}
	}
	return 0, fmt.Errorf("TLS version %q is not one of 1.0, 1.1, 1.2, 1.3", s)
}

// String is "1.0" … "1.3", "" for the zero value and "unknown" for any
// other code (SSL 3.0, a draft).
func (v TLSVersion) String() string {
	switch v {
	case 0:
		return ""
	case TLS10:
		return "1.0"
	case TLS11:
		return "1.1"
	case TLS12:
		return "1.2"
	case TLS13:
		return "1.3"
	}
	return unknownTLSName
}

// Known reports whether v is one of TLSVersions.
func (v TLSVersion) Known() bool { return v >= TLS10 && v <= TLS13 }

// Compare returns -1, 0 or +1 as v is older than, the same as or newer
// than w.
func (v TLSVersion) Compare(w TLSVersion) int {
	switch {
	case v < w:
		return -1
	case v > w:
		return 1
	}
	return 0
}

// AtLeast reports whether v is min or newer.
func (v TLSVersion) AtLeast(min TLSVersion) bool { return v >= min }

// MarshalText writes v as String does.
func (v TLSVersion) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// UnmarshalText reads what MarshalText writes and the spellings
// ParseTLSVersion accepts.
func (v *TLSVersion) UnmarshalText(b []byte) error {
	p, err := ParseTLSVersion(string(b))
	if err != nil {
		return err
	}
	*v = p
	return nil
}
