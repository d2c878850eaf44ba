package compat

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"sort"
	"strings"
	"testing"
	"time"

	"maildoctor.app/maildoctor/detect/probe"
	"maildoctor.app/maildoctor/detect/probe/hello"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/internal/dovecottest"
)

// ffdhe2048 (RFC 7919) as `openssl genpkey -genparam -algorithm DH -pkeyopt
// group:ffdhe2048` writes it.
const ffdhe2048PEM = `-----BEGIN DH PARAMETERS-----
MIIBCAKCAQEA//////////+t+FRYortKmq/cViAnPTzx2LnFg84tNpWp4TZBFGQz
+8yTnc4kmz75fS/jY2MMddj2gbICrsRhetPfHtXV/WVhJDP1H18GbtCFY2VVPe0a
87VXE15/V8k1mE8McODmi3fipona8+/och3xWKE2rec1MKzKT0g6eXq8CrGCsyT7
YdEIqUuyyOP7uWrat2DX9GgdT0Kj3jlN9K5W7edjcrsZCwenyO4KbXCeAvzhzffi
7MA0BM0oNC9hkXL+nOmFg/+OTxIy7vKBg8P+OxtMb61zO7X8vC7CIAXFjvGDfRaD
ssbzSibBsu/6iGtCOGEoXJf//////////wIBAg==
-----END DH PARAMETERS-----
`

// rsaPair makes an RSA certificate for the Dovecot host name: the
// scenarios' ECDHE-RSA and DHE-RSA suites need an RSA key.
func rsaPair(t testing.TB) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: dovecottest.Hostname},
		DNSNames: []string{dovecottest.Hostname}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
}

// scenario is one server configuration, in Dovecot's words and as the
// sets the expected outcome is computed from.
type scenario struct {
	name   string
	minTLS string
	// maxTLS caps the versions ("TLSv1.1"); Dovecot 2.3 has no
	// ssl_max_protocol, so such a scenario runs on the openssl s_server
	// twin only.
	maxTLS       string
	cipherList   string // OpenSSL names, TLS 1.2
	cipherSuites string // TLS 1.3
	curveList    string
	dh           bool
}

var scenarios = []scenario{
	{name: "tls13-only", minTLS: "TLSv1.3"},
	{name: "ecdhe-rsa-aes-gcm", minTLS: "TLSv1.2",
		cipherList:   "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384",
		cipherSuites: "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384", curveList: "X25519"},
	{name: "chacha20", minTLS: "TLSv1.2",
		cipherList: "ECDHE-RSA-CHACHA20-POLY1305", cipherSuites: "TLS_CHACHA20_POLY1305_SHA256"},
	{name: "dhe-rsa-aes-gcm", minTLS: "TLSv1.2",
		cipherList: "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384", dh: true},
	// A server left on TLS 1.0/1.1 with the CBC suites of its time; the
	// security level must drop to 0 for OpenSSL 3 to sign with SHA-1.
	{name: "legacy-tls10-11", minTLS: "TLSv1", maxTLS: "TLSv1.1",
		cipherList: "ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-SHA:AES128-SHA:AES256-SHA:@SECLEVEL=0"},
}

// tlsVersions maps Dovecot's and OpenSSL's version names to wire values.
var tlsVersions = map[string]uint16{"TLSv1": 0x0301, "TLSv1.1": 0x0302, "TLSv1.2": 0x0303, "TLSv1.3": 0x0304}

// onDovecot reports whether Dovecot can be configured like the scenario.
func (s scenario) onDovecot() bool { return s.maxTLS == "" }

// tls12Only reports whether a suite exists only from TLS 1.2 on (AEAD or
// SHA-2 MAC, RFC 5246 §A.5, RFC 5288, RFC 5289, RFC 6655, RFC 7905).
func tls12Only(st hello.Suite) bool {
	for _, w := range []string{"GCM", "CCM", "SHA256", "SHA384", "CHACHA20"} {
		if strings.Contains(st.OpenSSL, w) {
			return true
		}
	}
	return false
}

// OpenSSL 3.0's defaults where the scenario leaves a list unset.
var (
	defaultTLS13  = "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256"
	defaultGroups = "X25519:P-256:X448:P-521:P-384"
	curveNames    = map[string]string{"X25519": "x25519", "P-256": "secp256r1", "P-384": "secp384r1", "P-521": "secp521r1", "X448": "x448"}
)

func (s scenario) start(t testing.TB, certPEM, keyPEM []byte) *dovecottest.Server {
	cfg := dovecottest.Config{CertPEM: certPEM, KeyPEM: keyPEM, MinTLS: s.minTLS, Implicit: true, StartTLS: true,
		Users: map[string]string{"alice@example.test": "x"}, CipherList: s.cipherList,
		CipherSuites: s.cipherSuites, CurveList: s.curveList}
	if s.dh {
		cfg.DHParamsPEM = []byte(ffdhe2048PEM)
	}
	return dovecottest.Start(t, cfg)
}

// expect derives what a profile should get from the scenario: the version
// OpenSSL picks (the highest both speak), then the first suite in the
// client's order that the server has, that fits the version, the RSA
// certificate and a shared group (Dovecot leaves ssl_prefer_server_ciphers
// off).
func (s scenario) expect(p *hello.Profile) probe.Measured {
	min, max := tlsVersions[s.minTLS], uint16(0x0304)
	if s.maxTLS != "" {
		max = tlsVersions[s.maxTLS]
	}
	var v uint16
	for _, x := range p.Versions {
		if x >= min && x <= max && x > v {
			v = x
		}
	}
	if v == 0 {
		return probe.Measured{Reason: probe.ReasonNoSharedVersion}
	}
	groups := s.curveList
	if groups == "" {
		groups = defaultGroups
	}
	var sharedGroup uint16
	for _, g := range p.Groups { // the server takes the client's order for TLS 1.2 ECDHE
		for _, n := range strings.Split(groups, ":") {
			if id, _ := hello.GroupByName(curveNames[n]); id == g && sharedGroup == 0 {
				sharedGroup = g
			}
		}
	}
	if v == 0x0304 {
		suites := s.cipherSuites
		if suites == "" {
			suites = defaultTLS13
		}
		var suite uint16
		for _, c := range p.CipherSuites {
			st, _ := hello.SuiteByID(c)
			if st.Kex == hello.KexTLS13 && strings.Contains(":"+suites+":", ":"+st.Name+":") && suite == 0 {
				suite = c
			}
		}
		if suite == 0 {
			return probe.Measured{Reason: probe.ReasonNoSharedCipher}
		}
		// TLS 1.3: OpenSSL takes the first key share (in the client's
		// order) of a group it accepts; only without one does it ask, by
		// HelloRetryRequest, for its own first group the client supports
		// (ssl/statem/extensions_srvr.c, tls_parse_ctos_key_share).
		var g uint16
		for _, ks := range p.KeyShares {
			for _, n := range strings.Split(groups, ":") {
				if id, _ := hello.GroupByName(curveNames[n]); id == ks && g == 0 {
					g = id
				}
			}
		}
		for _, n := range strings.Split(groups, ":") {
			id, _ := hello.GroupByName(curveNames[n])
			if p.OffersGroup(id) && g == 0 {
				g = id
			}
		}
		if g == 0 {
			return probe.Measured{Reason: probe.ReasonNoSharedGroup}
		}
		return probe.Measured{Connects: true, Version: "1.3", Cipher: hello.SuiteName(suite), Group: hello.GroupName(g)}
	}
	list := ":" + s.cipherList + ":"
	ecdheBlocked := false
	for _, c := range p.CipherSuites {
		st, _ := hello.SuiteByID(c)
		if st.OpenSSL == "" || !strings.Contains(list, ":"+st.OpenSSL+":") || (v < 0x0303 && tls12Only(st)) {
			continue
		}
		switch st.Kex {
		case hello.KexRSA:
			return probe.Measured{Connects: true, Version: hello.VersionName(v), Cipher: st.OpenSSL}
		case hello.KexECDHE:
			if sharedGroup == 0 {
				ecdheBlocked = true
				continue
			}
			return probe.Measured{Connects: true, Version: hello.VersionName(v), Cipher: st.OpenSSL, Group: hello.GroupName(sharedGroup)}
		case hello.KexDHE:
			if !s.dh {
				continue
			}
			return probe.Measured{Connects: true, Version: hello.VersionName(v), Cipher: st.OpenSSL, Group: "DH-2048"}
		}
	}
	if ecdheBlocked {
		return probe.Measured{Reason: probe.ReasonNoSharedGroup}
	}
	return probe.Measured{Reason: probe.ReasonNoSharedCipher}
}

func dovecotProfiles(t testing.TB) []probe.ClientProfile {
	ps, err := Handshakes()
	if err != nil {
		t.Fatal(err)
	}
	var out []probe.ClientProfile
	for _, p := range ps {
		out = append(out, p.Client())
	}
	return out
}

// helloByID indexes the profiles' hellos by profile id.
func helloByID(profiles []probe.ClientProfile) map[string]*hello.Profile {
	byID := map[string]*hello.Profile{}
	for _, p := range profiles {
		byID[p.ID] = p.Hello
	}
	return byID
}

func dovecotEndpoints(s *dovecottest.Server) []server.Endpoint {
	var eps []server.Endpoint
	for _, l := range []struct {
		name string
		p    server.Protocol
		sec  server.Security
	}{
		{"imaps", server.IMAP, server.TLS}, {"pop3s", server.POP3, server.TLS}, {"submissions", server.SMTP, server.TLS},
		{"imap", server.IMAP, server.StartTLS}, {"pop3", server.POP3, server.StartTLS}, {"submission", server.SMTP, server.StartTLS},
	} {
		eps = append(eps, server.Endpoint{Protocol: l.p, Host: dovecottest.Hostname, Port: s.Port(l.name), Security: l.sec})
	}
	return eps
}

func TestHandshakeScenariosDovecot(t *testing.T) {
	if err := dovecottest.Available(); err != nil {
		t.Skipf("dovecot: %v", err)
	}
	certPEM, keyPEM := rsaPair(t)
	profiles := dovecotProfiles(t)
	byID := helloByID(profiles)
	for _, sc := range scenarios {
		sc := sc
		if !sc.onDovecot() {
			continue
		}
		t.Run(sc.name, func(t *testing.T) {
			srv := sc.start(t, certPEM, keyPEM)
			opt := probe.Options{Timeout: 5 * time.Second, Resolve: map[string]string{dovecottest.Hostname: srv.Addr}}
			// Implicit TLS on 993 and STARTTLS on 587: both paths.
			for _, ep := range []server.Endpoint{dovecotEndpoints(srv)[0], dovecotEndpoints(srv)[5]} {
				ms := probe.Simulate(context.Background(), ep, profiles, opt)
				sc.assertExpected(t, ep, ms, byID)
			}
		})
	}
}

// assertExpected compares every measured profile with what the scenario
// and the profile's data say it must get.
func (s scenario) assertExpected(t *testing.T, ep server.Endpoint, ms []probe.Measured, byID map[string]*hello.Profile) {
	t.Helper()
	var summary []string
	for _, m := range ms {
		want := s.expect(byID[m.Profile])
		if m.Connects != want.Connects || m.Reason != want.Reason || m.Version != want.Version || m.Cipher != want.Cipher || m.Group != want.Group {
			t.Errorf("%s %s: got connects=%v %s %s %s reason=%s (%s), want connects=%v %s %s %s reason=%s",
				ep.Addr(), m.Profile, m.Connects, m.Version, m.Cipher, m.Group, m.Reason, m.Detail,
				want.Connects, want.Version, want.Cipher, want.Group, want.Reason)
		}
		if m.Connects {
			summary = append(summary, m.Profile+"="+m.Version+"/"+m.Cipher)
		} else {
			summary = append(summary, m.Profile+"="+m.Reason)
		}
	}
	sort.Strings(summary)
	t.Logf("%s %v: %s", s.name, ep.Security, strings.Join(summary, " "))
}

// BenchmarkSimulateDovecot runs every profile against the six endpoints
// (IMAP, POP3, submission; implicit TLS and STARTTLS) of one loopback
// Dovecot with its default TLS configuration.
func BenchmarkSimulateDovecot(b *testing.B) {
	if err := dovecottest.Available(); err != nil {
		b.Skipf("dovecot: %v", err)
	}
	certPEM, keyPEM := rsaPair(b)
	srv := scenario{name: "default", minTLS: "TLSv1.2"}.start(b, certPEM, keyPEM)
	profiles := dovecotProfiles(b)
	opt := probe.Options{Timeout: 5 * time.Second, Resolve: map[string]string{dovecottest.Hostname: srv.Addr}}
	eps := dovecotEndpoints(srv)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		done := make(chan []probe.Measured, len(eps))
		for _, ep := range eps {
			go func(ep server.Endpoint) { done <- probe.Simulate(context.Background(), ep, profiles, opt) }(ep)
		}
		for range eps {
			for _, m := range <-done {
				if m.Reason == probe.ReasonTimeout || m.Reason == probe.ReasonUnreachable || m.Reason == probe.ReasonNoStartTLS {
					b.Fatalf("%s %s: %s %s", m.Endpoint, m.Profile, m.Reason, m.Detail)
				}
			}
		}
	}
	b.ReportMetric(float64(len(profiles)*len(eps)), "hellos/op")
}
