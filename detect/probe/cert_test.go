package probe

import (
	"crypto/x509"
	"encoding/pem"
	"reflect"
	"strings"
	"testing"
	"time"

	"maildoctor.app/maildoctor/internal/testpki"
)

func TestJudgeCertificate(t *testing.T) {
	now := time.Now()
	ca := testpki.NewCA(t, "Test Root")
	av := testpki.NewCA(t, "Avast Web/Mail Shield Root")
	pool := ca.Pool()
	pool.AddCert(av.Cert)
	cases := []struct {
		name    string
		pair    testpki.Pair
		host    string
		want    []string
		trusted bool
	}{
		{"good", ca.Leaf(t, testpki.LeafOptions{Names: []string{"mail.example.test"}}), "mail.example.test", nil, true},
		{"wildcard", ca.Leaf(t, testpki.LeafOptions{Names: []string{"*.example.test"}}), "imap.example.test", nil, true},
		{"other name", ca.Leaf(t, testpki.LeafOptions{Names: []string{"server7.hoster.test"}}), "mail.customer.test",
			[]string{"cert.hostname_mismatch"}, true},
		{"expired", ca.Leaf(t, testpki.LeafOptions{Names: []string{"mail.example.test"}, NotBefore: now.Add(-50 * time.Minute), NotAfter: now.Add(-10 * time.Minute)}),
			"mail.example.test", []string{"cert.expired"}, true},
		{"expires soon", ca.Leaf(t, testpki.LeafOptions{Names: []string{"mail.example.test"}, NotAfter: now.AddDate(0, 0, 5)}),
			"mail.example.test", []string{"cert.expires_soon"}, true},
		{"clock behind", ca.Leaf(t, testpki.LeafOptions{Names: []string{"mail.example.test"}, NotBefore: now.AddDate(0, 0, 3), NotAfter: now.AddDate(0, 3, 0)}),
			"mail.example.test", []string{"cert.not_yet_valid", "clock.skew"}, true},
		{"self-signed", testpki.SelfSigned(t, testpki.LeafOptions{Names: []string{"mail.example.test"}}), "mail.example.test",
			[]string{"cert.self_signed"}, false},
		{"unknown authority", testpki.NewCA(t, "Elsewhere").Leaf(t, testpki.LeafOptions{Names: []string{"mail.example.test"}}),
			"mail.example.test", []string{"cert.untrusted"}, false},
		{"antivirus", av.Leaf(t, testpki.LeafOptions{Names: []string{"mail.example.test"}}), "mail.example.test",
			[]string{"cert.intercepted"}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			chain := parseChain(t, c.pair.CertPEM)
			info, fs := judgeCertificate(c.host, chain, pool, now, "x:993")
			if got := ids(fs); !reflect.DeepEqual(got, c.want) {
				t.Errorf("findings = %v, want %v", got, c.want)
			}
			if info.Trusted != c.trusted {
				t.Errorf("Trusted = %v, want %v (%s)", info.Trusted, c.trusted, info.VerifyError)
			}
			wantValid := c.trusted && !contains(c.want, "cert.expired") && !contains(c.want, "cert.not_yet_valid")
			if info.valid != wantValid {
				t.Errorf("valid = %v, want %v", info.valid, wantValid)
			}
		})
	}
}

func TestHostnameMismatchNamesAndSuggestion(t *testing.T) {
	ca := testpki.NewCA(t, "Test Root")
	pair := ca.Leaf(t, testpki.LeafOptions{Names: []string{"dapinna.serverlet.test", "webmail.serverlet.test"}})
	info, fs := judgeCertificate("imap.vostrodominio.test", parseChain(t, pair.CertPEM), ca.Pool(), time.Now(), "x:993")
	f := findingByID(fs, "cert.hostname_mismatch")
	if f == nil {
		t.Fatal("no cert.hostname_mismatch")
	}
	if f.Args["suggested"] != "dapinna.serverlet.test" || info.Suggested != "dapinna.serverlet.test" {
		t.Errorf("suggested = %q, want the provider's server name", f.Args["suggested"])
	}
	if !strings.Contains(f.Args["names"], "webmail.serverlet.test") {
		t.Errorf("names = %q, want every name the certificate covers", f.Args["names"])
	}
}

func TestSuggestHost(t *testing.T) {
	cases := []struct {
		host  string
		names []string
		want  string
	}{
		{"imap.cliente.it", []string{"*.provider.it", "provider.it"}, "imap.provider.it"},
		{"mail.cliente.it", []string{"www.provider.it", "mail.provider.it"}, "mail.provider.it"},
		{"smtp.cliente.it", []string{"smtp.provider.it", "mail.provider.it"}, "smtp.provider.it"},
		{"pop.cliente.it", []string{"server1.provider.it"}, "server1.provider.it"},
		{"pop.cliente.it", []string{"10.0.0.1"}, ""},
	}
	for _, c := range cases {
		if got := suggestHost(c.host, c.names); got != c.want {
			t.Errorf("suggestHost(%q, %v) = %q, want %q", c.host, c.names, got, c.want)
		}
	}
}

func TestContainsWord(t *testing.T) {
	cases := []struct {
		s, v string
		want bool
	}{
		{"Avast Web/Mail Shield Root", "Avast", true},
		{"AVG Technologies", "AVG", true},
		{"SAVGroup CA", "AVG", false},
		{"ESET SSL Filter CA", "ESET", true},
		{"Preset Roots", "ESET", false},
		{"", "ESET", false},
	}
	for _, c := range cases {
		if got := containsWord(c.s, c.v); got != c.want {
			t.Errorf("containsWord(%q, %q) = %v, want %v", c.s, c.v, got, c.want)
		}
	}
}

func parseChain(t *testing.T, pemData []byte) []*x509.Certificate {
	t.Helper()
	var out []*x509.Certificate
	for _, block := range pemBlocks(pemData) {
		c, err := x509.ParseCertificate(block)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

func pemBlocks(data []byte) [][]byte {
	var out [][]byte
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return out
		}
		out = append(out, b.Bytes)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
