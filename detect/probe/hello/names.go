package hello

import (
	"fmt"

	"maildoctor.app/maildoctor/detect/server"
)

// Kex is how a cipher suite agrees its keys, which decides whether a TLS
// 1.2 server has to agree a group (ECDHE), a finite-field group (DHE) or
// nothing (RSA key transport).
type Kex uint8

// Key exchanges.
const (
	KexRSA   Kex = iota // RSA key transport: no group
	KexECDHE            // elliptic-curve ephemeral: supported_groups decides
	KexDHE              // finite-field ephemeral: the server picks the group
	KexTLS13            // a TLS 1.3 suite: key_share decides the group
)

// Suite is one cipher suite of the IANA registry, with the name OpenSSL
// uses for it (which mail server administrators write in their cipher
// lists).
type Suite struct {
	ID      uint16
	Name    string // IANA name, as the profiles write it
	OpenSSL string // OpenSSL's name
	Kex     Kex
}

// Suites is every cipher suite a profile may name. Source: the IANA "TLS
// Cipher Suites" registry (RFC 5246, 5288, 5289, 7905, 8446 and their
// predecessors) and OpenSSL's ciphers(1) mapping table.
var Suites = []Suite{
	{0x1301, "TLS_AES_128_GCM_SHA256", "TLS_AES_128_GCM_SHA256", KexTLS13},
	{0x1302, "TLS_AES_256_GCM_SHA384", "TLS_AES_256_GCM_SHA384", KexTLS13},
	{0x1303, "TLS_CHACHA20_POLY1305_SHA256", "TLS_CHACHA20_POLY1305_SHA256", KexTLS13},
	// AES-CCM (RFC 8446, RFC 6655, RFC 7251): GnuTLS offers them by default.
	{0x1304, "TLS_AES_128_CCM_SHA256", "TLS_AES_128_CCM_SHA256", KexTLS13},
	{0xc0ac, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM", "ECDHE-ECDSA-AES128-CCM", KexECDHE},
	{0xc0ad, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM", "ECDHE-ECDSA-AES256-CCM", KexECDHE},
	{0xc09c, "TLS_RSA_WITH_AES_128_CCM", "AES128-CCM", KexRSA},
	{0xc09d, "TLS_RSA_WITH_AES_256_CCM", "AES256-CCM", KexRSA},
	{0xc09e, "TLS_DHE_RSA_WITH_AES_128_CCM", "DHE-RSA-AES128-CCM", KexDHE},
	{0xc09f, "TLS_DHE_RSA_WITH_AES_256_CCM", "DHE-RSA-AES256-CCM", KexDHE},
	{0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256", KexECDHE},
	{0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "ECDHE-ECDSA-AES256-GCM-SHA384", KexECDHE},
	{0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE-RSA-AES128-GCM-SHA256", KexECDHE},
	{0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "ECDHE-RSA-AES256-GCM-SHA384", KexECDHE},
	{0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-RSA-CHACHA20-POLY1305", KexECDHE},
	{0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-ECDSA-CHACHA20-POLY1305", KexECDHE},
	{0xccaa, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "DHE-RSA-CHACHA20-POLY1305", KexDHE},
	{0xcc13, "OLD_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "OLD-ECDHE-RSA-CHACHA20-POLY1305", KexECDHE},
	{0xcc14, "OLD_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "OLD-ECDHE-ECDSA-CHACHA20-POLY1305", KexECDHE},
	{0xc023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "ECDHE-ECDSA-AES128-SHA256", KexECDHE},
	{0xc024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", "ECDHE-ECDSA-AES256-SHA384", KexECDHE},
	{0xc027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "ECDHE-RSA-AES128-SHA256", KexECDHE},
	{0xc028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", "ECDHE-RSA-AES256-SHA384", KexECDHE},
	{0xc009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "ECDHE-ECDSA-AES128-SHA", KexECDHE},
	{0xc00a, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "ECDHE-ECDSA-AES256-SHA", KexECDHE},
	{0xc013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "ECDHE-RSA-AES128-SHA", KexECDHE},
	{0xc014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "ECDHE-RSA-AES256-SHA", KexECDHE},
	{0xc008, "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA", "ECDHE-ECDSA-DES-CBC3-SHA", KexECDHE},
	{0xc012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA", "ECDHE-RSA-DES-CBC3-SHA", KexECDHE},
	{0xc007, "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA", "ECDHE-ECDSA-RC4-SHA", KexECDHE},
	{0xc011, "TLS_ECDHE_RSA_WITH_RC4_128_SHA", "ECDHE-RSA-RC4-SHA", KexECDHE},
	{0x009e, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "DHE-RSA-AES128-GCM-SHA256", KexDHE},
	{0x009f, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", "DHE-RSA-AES256-GCM-SHA384", KexDHE},
	{0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256", "DHE-RSA-AES128-SHA256", KexDHE},
	{0x006b, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256", "DHE-RSA-AES256-SHA256", KexDHE},
	{0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA", "DHE-RSA-AES128-SHA", KexDHE},
	{0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA", "DHE-RSA-AES256-SHA", KexDHE},
	{0x0032, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA", "DHE-DSS-AES128-SHA", KexDHE},
	{0x0038, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA", "DHE-DSS-AES256-SHA", KexDHE},
	{0x0040, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256", "DHE-DSS-AES128-SHA256", KexDHE},
	{0x006a, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256", "DHE-DSS-AES256-SHA256", KexDHE},
	{0x00a2, "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256", "DHE-DSS-AES128-GCM-SHA256", KexDHE},
	{0x00a3, "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384", "DHE-DSS-AES256-GCM-SHA384", KexDHE},
	{0x0016, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA", "DHE-RSA-DES-CBC3-SHA", KexDHE},
	{0x0013, "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA", "DHE-DSS-DES-CBC3-SHA", KexDHE},
	{0x009c, "TLS_RSA_WITH_AES_128_GCM_SHA256", "AES128-GCM-SHA256", KexRSA},
	{0x009d, "TLS_RSA_WITH_AES_256_GCM_SHA384", "AES256-GCM-SHA384", KexRSA},
	{0x003c, "TLS_RSA_WITH_AES_128_CBC_SHA256", "AES128-SHA256", KexRSA},
	{0x003d, "TLS_RSA_WITH_AES_256_CBC_SHA256", "AES256-SHA256", KexRSA},
	{0x002f, "TLS_RSA_WITH_AES_128_CBC_SHA", "AES128-SHA", KexRSA},
	{0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA", "AES256-SHA", KexRSA},
	{0x000a, "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "DES-CBC3-SHA", KexRSA},
	{0x0005, "TLS_RSA_WITH_RC4_128_SHA", "RC4-SHA", KexRSA},
	{0x0004, "TLS_RSA_WITH_RC4_128_MD5", "RC4-MD5", KexRSA},
	{0x0041, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA", "CAMELLIA128-SHA", KexRSA},
	{0x0084, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA", "CAMELLIA256-SHA", KexRSA},
	{0x0045, "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA", "DHE-RSA-CAMELLIA128-SHA", KexDHE},
	{0x0088, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA", "DHE-RSA-CAMELLIA256-SHA", KexDHE},
	{0x0096, "TLS_RSA_WITH_SEED_CBC_SHA", "SEED-SHA", KexRSA},
	{0x0009, "TLS_RSA_WITH_DES_CBC_SHA", "DES-CBC-SHA", KexRSA},
	{0x0015, "TLS_DHE_RSA_WITH_DES_CBC_SHA", "EDH-RSA-DES-CBC-SHA", KexDHE},
	{0x0012, "TLS_DHE_DSS_WITH_DES_CBC_SHA", "EDH-DSS-DES-CBC-SHA", KexDHE},
	{0x0066, "TLS_DHE_DSS_WITH_RC4_128_SHA", "DHE-DSS-RC4-SHA", KexDHE},
	{0x00ff, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV", "", KexRSA},
}

// Group is a named group (supported_groups, RFC 8446 §4.2.7; RFC 8422;
// RFC 7919).
type Group struct {
	ID   uint16
	Name string
}

// Groups is every named group a profile may name.
var Groups = []Group{
	{0x001d, "x25519"},
	{0x0017, "secp256r1"},
	{0x0018, "secp384r1"},
	{0x0019, "secp521r1"},
	{0x001e, "x448"},
	{0x0015, "secp224r1"},
	{0x0016, "secp256k1"},
	{0x0013, "secp192r1"},
	{0x0100, "ffdhe2048"},
	{0x0101, "ffdhe3072"},
	{0x0102, "ffdhe4096"},
	{0x0103, "ffdhe6144"},
	{0x0104, "ffdhe8192"},
	{0x001a, "brainpoolP256r1"},
	{0x001b, "brainpoolP384r1"},
	{0x001c, "brainpoolP512r1"},
	{0x11ec, "X25519MLKEM768"},
}

// SigAlg is a signature algorithm (signature_algorithms, RFC 8446
// §4.2.3; the TLS 1.2 hash/signature pairs of RFC 5246 §7.4.1.4.1).
type SigAlg struct {
	ID   uint16
	Name string
}

// SigAlgs is every signature algorithm a profile may name.
var SigAlgs = []SigAlg{
	{0x0401, "rsa_pkcs1_sha256"},
	{0x0501, "rsa_pkcs1_sha384"},
	{0x0601, "rsa_pkcs1_sha512"},
	{0x0201, "rsa_pkcs1_sha1"},
	{0x0101, "rsa_pkcs1_md5"},
	{0x0301, "rsa_pkcs1_sha224"},
	{0x0403, "ecdsa_secp256r1_sha256"},
	{0x0503, "ecdsa_secp384r1_sha384"},
	{0x0603, "ecdsa_secp521r1_sha512"},
	{0x0203, "ecdsa_sha1"},
	{0x0303, "ecdsa_sha224"},
	{0x0804, "rsa_pss_rsae_sha256"},
	{0x0805, "rsa_pss_rsae_sha384"},
	{0x0806, "rsa_pss_rsae_sha512"},
	{0x0809, "rsa_pss_pss_sha256"},
	{0x080a, "rsa_pss_pss_sha384"},
	{0x080b, "rsa_pss_pss_sha512"},
	{0x0807, "ed25519"},
	{0x0808, "ed448"},
	{0x0402, "dsa_sha256"},
	{0x0202, "dsa_sha1"},
}

// ssl3 is SSL 3.0's code; server.TLSVersion names only TLS.
const ssl3 = 0x0300

// VersionName is "1.0" … "1.3" (server.TLSVersion), "ssl3", or the code
// in hex.
func VersionName(v uint16) string {
	switch t := server.TLSVersion(v); {
	case t.Known():
		return t.String()
	case v == ssl3:
		return "ssl3"
	}
	return fmt.Sprintf("0x%04x", v)
}

// VersionByName is the inverse of VersionName for "ssl3" … "1.3".
func VersionByName(name string) (uint16, bool) {
	if name == "ssl3" {
		return ssl3, true
	}
	t, err := server.ParseTLSVersion(name)
	if err != nil || !t.Known() || t.String() != name {
		return 0, false
	}
	return uint16(t), true
}

// SuiteByID returns the suite with that code point.
func SuiteByID(id uint16) (Suite, bool) {
	for _, s := range Suites {
		if s.ID == id {
			return s, true
		}
	}
	return Suite{}, false
}

// SuiteByName finds a suite by its IANA or OpenSSL name.
func SuiteByName(name string) (Suite, bool) {
	for _, s := range Suites {
		if s.Name == name || (s.OpenSSL != "" && s.OpenSSL == name) {
			return s, true
		}
	}
	return Suite{}, false
}

// SuiteName is the suite's OpenSSL name (what a server's cipher list
// says), or its IANA name, or its code in hex.
func SuiteName(id uint16) string {
	if s, ok := SuiteByID(id); ok {
		if s.OpenSSL != "" {
			return s.OpenSSL
		}
		return s.Name
	}
	return fmt.Sprintf("0x%04x", id)
}

// GroupByName finds a named group.
func GroupByName(name string) (uint16, bool) {
	for _, g := range Groups {
		if g.Name == name {
			return g.ID, true
		}
	}
	return 0, false
}

// GroupName is the group's name or its code in hex.
func GroupName(id uint16) string {
	for _, g := range Groups {
		if g.ID == id {
			return g.Name
		}
	}
	return fmt.Sprintf("0x%04x", id)
}

// SigAlgByName finds a signature algorithm.
func SigAlgByName(name string) (uint16, bool) {
	for _, s := range SigAlgs {
		if s.Name == name {
			return s.ID, true
		}
	}
	return 0, false
}

// alertNames are the alert descriptions of RFC 8446 §6 (and RFC 5246).
var alertNames = map[uint8]string{
	0: "close_notify", 10: "unexpected_message", 20: "bad_record_mac", 22: "record_overflow",
	40: "handshake_failure", 42: "bad_certificate", 47: "illegal_parameter", 50: "decode_error",
	51: "decrypt_error", 70: "protocol_version", 71: "insufficient_security", 80: "internal_error",
	86: "inappropriate_fallback", 90: "user_canceled", 100: "no_renegotiation", 109: "missing_extension",
	110: "unsupported_extension", 112: "unrecognized_name", 120: "no_application_protocol",
}

// AlertName is the alert's RFC name or its number.
func AlertName(d uint8) string {
	if n, ok := alertNames[d]; ok {
		return n
	}
	return fmt.Sprintf("alert_%d", d)
}
