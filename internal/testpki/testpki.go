// Package testpki issues throwaway X.509 certificates for tests: a CA,
// server leaves signed by it, and self-signed server certificates, so that
// TLS verification paths can be exercised without touching real PKI.
package testpki

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// CA is a self-signed certificate authority that lives only for a test run.
type CA struct {
	Cert    *x509.Certificate
	Key     crypto.Signer
	CertPEM []byte
}

// LeafOptions describes a server certificate. Zero times mean
// now-1h .. now+90 days; an empty CommonName means Names[0].
type LeafOptions struct {
	Names               []string
	NotBefore, NotAfter time.Time
	CommonName          string
}

// Pair is a certificate with its private key. For CA-issued leaves CertPEM
// holds the leaf followed by the CA certificate, as servers usually send it.
type Pair struct {
	CertPEM, KeyPEM []byte
	Cert            *x509.Certificate
}

// NewCA creates a self-signed CA valid from an hour ago for ten years; the
// hour of slack absorbs clock differences between processes in a test.
func NewCA(t testing.TB, commonName string) *CA {
	t.Helper()
	key := newKey(t)
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial(t),
		Subject:               pkix.Name{CommonName: commonName, Organization: []string{"Mail Doctor test PKI"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.AddDate(10, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	cert, der := sign(t, tmpl, tmpl, key.Public(), key)
	return &CA{Cert: cert, Key: key, CertPEM: encodeCert(der)}
}

// Pool returns a pool trusting only this CA, so verification cannot
// accidentally succeed through the system roots.
func (ca *CA) Pool() *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AddCert(ca.Cert)
	return pool
}

// Leaf issues a server certificate signed by ca.
func (ca *CA) Leaf(t testing.TB, o LeafOptions) Pair {
	t.Helper()
	key := newKey(t)
	cert, der := sign(t, leafTemplate(t, o), ca.Cert, key.Public(), ca.Key)
	chain := append(encodeCert(der), ca.CertPEM...)
	return Pair{CertPEM: chain, KeyPEM: encodeKey(t, key), Cert: cert}
}

// SelfSigned issues a server certificate signed by its own key, the typical
// misconfiguration that clients must reject.
func SelfSigned(t testing.TB, o LeafOptions) Pair {
	t.Helper()
	key := newKey(t)
	tmpl := leafTemplate(t, o)
	cert, der := sign(t, tmpl, tmpl, key.Public(), key)
	return Pair{CertPEM: encodeCert(der), KeyPEM: encodeKey(t, key), Cert: cert}
}

// TLSCertificate parses the pair for use in a tls.Config.
func (p Pair) TLSCertificate(t testing.TB) tls.Certificate {
	t.Helper()
	c, err := tls.X509KeyPair(p.CertPEM, p.KeyPEM)
	if err != nil {
		t.Fatalf("testpki: load key pair: %v", err)
	}
	return c
}

// WriteFile writes data to dir/name with mode 0600, because servers such
// as Dovecot refuse world-readable private keys, and returns the path.
func WriteFile(t testing.TB, dir, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatalf("testpki: write %s: %v", path, err)
	}
	return path
}

func leafTemplate(t testing.TB, o LeafOptions) *x509.Certificate {
	t.Helper()
	notBefore, notAfter := o.NotBefore, o.NotAfter
	now := time.Now()
	if notBefore.IsZero() {
		notBefore = now.Add(-time.Hour)
	}
	if notAfter.IsZero() {
		notAfter = now.AddDate(0, 0, 90)
	}
	cn := o.CommonName
	if cn == "" && len(o.Names) > 0 {
		cn = o.Names[0]
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(t),
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    notBefore,
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, n := range o.Names {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	return tmpl
}

func sign(t testing.TB, tmpl, parent *x509.Certificate, pub crypto.PublicKey, signer crypto.Signer) (*x509.Certificate, []byte) {
	t.Helper()
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, signer)
	if err != nil {
		t.Fatalf("testpki: create certificate %q: %v", tmpl.Subject.CommonName, err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatalf("testpki: parse certificate %q: %v", tmpl.Subject.CommonName, err)
	}
	return cert, der
}

func newKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatalf("testpki: generate key: %v", err)
	}
	return key
}

// serial is random because some TLS stacks cache by issuer+serial and
// would confuse two test certificates with equal serials.
func serial(t testing.TB) *big.Int {
	t.Helper()
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		t.Fatalf("testpki: serial number: %v", err)
	}
	return n
}

func encodeCert(der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

// encodeKey uses PKCS#8 ("PRIVATE KEY"), which both Go and OpenSSL (hence
// Dovecot) read regardless of the key algorithm.
func encodeKey(t testing.TB, key crypto.Signer) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatalf("testpki: marshal key: %v", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}
