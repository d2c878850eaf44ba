package testpki

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"testing"
	"time"
)

func verify(p Pair, roots *x509.CertPool, name string) error {
	_, err := p.Cert.Verify(x509.VerifyOptions{
		DNSName:   name,
		Roots:     roots,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	})
	return err
}

func TestLeafVerifiesForItsNamesOnly(t *testing.T) {
	ca := NewCA(t, "Test CA")
	leaf := ca.Leaf(t, LeafOptions{Names: []string{"mail.example.test", "imap.example.test", "127.0.0.1"}})
	for _, name := range []string{"mail.example.test", "imap.example.test", "127.0.0.1"} {
		if err := verify(leaf, ca.Pool(), name); err != nil {
			t.Errorf("verify %s: %v", name, err)
		}
	}
	if err := verify(leaf, ca.Pool(), "other.example.test"); err == nil {
		t.Error("leaf verified for a name it does not carry")
	}
	if leaf.Cert.Subject.CommonName != "mail.example.test" {
		t.Errorf("CommonName = %q, want first name", leaf.Cert.Subject.CommonName)
	}
	if len(leaf.Cert.IPAddresses) != 1 || len(leaf.Cert.DNSNames) != 2 {
		t.Errorf("SANs: DNS %v IP %v", leaf.Cert.DNSNames, leaf.Cert.IPAddresses)
	}
}

func TestLeafChainContainsCA(t *testing.T) {
	ca := NewCA(t, "Test CA")
	leaf := ca.Leaf(t, LeafOptions{Names: []string{"mail.example.test"}})
	var certs []*x509.Certificate
	rest := leaf.CertPEM
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		certs = append(certs, c)
	}
	if len(certs) != 2 || !certs[0].Equal(leaf.Cert) || !certs[1].Equal(ca.Cert) {
		t.Fatalf("chain = %d certs, want leaf then CA", len(certs))
	}
	tc := leaf.TLSCertificate(t)
	if len(tc.Certificate) != 2 {
		t.Errorf("tls.Certificate chain length %d, want 2", len(tc.Certificate))
	}
}

func TestExpiredLeafFails(t *testing.T) {
	ca := NewCA(t, "Test CA")
	now := time.Now()
	leaf := ca.Leaf(t, LeafOptions{
		Names:     []string{"mail.example.test"},
		NotBefore: now.AddDate(0, 0, -30),
		NotAfter:  now.AddDate(0, 0, -1),
	})
	err := verify(leaf, ca.Pool(), "mail.example.test")
	var invalid x509.CertificateInvalidError
	if !errors.As(err, &invalid) || invalid.Reason != x509.Expired {
		t.Fatalf("verify expired leaf: %v, want x509.Expired", err)
	}
}

func TestSelfSignedNotTrustedByCA(t *testing.T) {
	ca := NewCA(t, "Test CA")
	self := SelfSigned(t, LeafOptions{Names: []string{"mail.example.test"}, CommonName: "custom"})
	if err := verify(self, ca.Pool(), "mail.example.test"); err == nil {
		t.Fatal("self-signed certificate verified against the CA pool")
	}
	if self.Cert.Subject.CommonName != "custom" {
		t.Errorf("CommonName = %q", self.Cert.Subject.CommonName)
	}
	if self.Cert.IsCA {
		t.Error("self-signed server cert must not be a CA")
	}
	self.TLSCertificate(t)
}

func TestTLSHandshakeWithLeaf(t *testing.T) {
	ca := NewCA(t, "Test CA")
	leaf := ca.Leaf(t, LeafOptions{Names: []string{"mail.example.test"}})
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{leaf.TLSCertificate(t)}})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err == nil {
			_ = c.(*tls.Conn).Handshake()
			c.Close()
		}
	}()
	c, err := tls.Dial("tcp", ln.Addr().String(), &tls.Config{RootCAs: ca.Pool(), ServerName: "mail.example.test"})
	if err != nil {
		t.Fatalf("handshake: %v", err)
	}
	c.Close()
}

func TestWriteFileMode(t *testing.T) {
	dir := t.TempDir()
	path := WriteFile(t, dir, "key.pem", []byte("secret"))
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want 0600", fi.Mode().Perm())
	}
}
