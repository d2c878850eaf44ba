package probe

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/detect/finding"
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
			info, fs := judgeCertificate(c.host, chain, pool, now, "x:993", ownedUnder("hoster.test"))
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
	info, fs := judgeCertificate("imap.vostrodominio.test", parseChain(t, pair.CertPEM), ca.Pool(), time.Now(), "x:993", ownedUnder("serverlet.test"))
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
		// Only names the provider or the address's domain owns.
		{"imap.cliente.it", []string{"*.attacker.example", "imap.attacker.example", "server1.provider.it"}, "server1.provider.it"},
		{"imap.cliente.it", []string{"*.attacker.example", "imap.provider.it.attacker.example"}, ""},
		{"smtp.cliente.it", []string{"smtp.attacker.example", "mail.cliente.it"}, "mail.cliente.it"},
	}
	owns := ownedUnder("provider.it", "cliente.it", "10.0.0.1")
	for _, c := range cases {
		if got := suggestHost(c.host, c.names, owns); got != c.want {
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

// ownedUnder stands in for the trust rules 1-2: the names under domains.
func ownedUnder(domains ...string) func(string) bool {
	return func(h string) bool {
		for _, d := range domains {
			if discover.HostUnder(h, d) {
				return true
			}
		}
		return false
	}
}

// A certificate naming the attacker's server, on the provider's host: one
// anybody can make (self-signed, or from an authority this computer does
// not trust) suggests nothing, even a name the provider owns; one that
// verifies suggests only a name the provider or the domain owns.
func TestCertificateSuggestsOnlyVerifiedOwnedNames(t *testing.T) {
	ca := testpki.NewCA(t, "Test Root")
	names := []string{"imap.attacker.example", "*.attacker.example", "server7.maildoctor.example"}
	owns := ownedUnder("maildoctor.example", "cliente.test")
	cases := []struct {
		name string
		pair testpki.Pair
		owns func(string) bool
		want string
	}{
		{"self-signed", testpki.SelfSigned(t, testpki.LeafOptions{Names: names}), owns, ""},
		{"untrusted CA", testpki.NewCA(t, "Attacker Root").Leaf(t, testpki.LeafOptions{Names: names}), owns, ""},
		{"trusted, attacker's names only", ca.Leaf(t, testpki.LeafOptions{Names: names[:2]}), owns, ""},
		{"trusted, no owner known", ca.Leaf(t, testpki.LeafOptions{Names: names}), nil, ""},
		{"trusted, the provider's server among them", ca.Leaf(t, testpki.LeafOptions{Names: names}), owns, "server7.maildoctor.example"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			info, fs := judgeCertificate("imap.maildoctor.example", parseChain(t, c.pair.CertPEM), ca.Pool(), time.Now(), "x:993", c.owns)
			f := findingByID(fs, "cert.hostname_mismatch")
			if f == nil {
				t.Fatalf("no cert.hostname_mismatch in %v", ids(fs))
			}
			if info.Suggested != c.want || f.Args["suggested"] != c.want {
				t.Errorf("suggested %q (finding %q), want %q", info.Suggested, f.Args["suggested"], c.want)
			}
			if _, ok := f.Args["suggested"]; ok != (c.want != "") {
				t.Errorf("args %v", f.Args)
			}
			if (f.Args["unverified"] == "yes") == info.Trusted {
				t.Errorf("unverified = %q for a certificate with Trusted %v", f.Args["unverified"], info.Trusted)
			}
		})
	}
}

// A certificate with 10,000 names keeps 50 of them and counts the rest;
// the finding's arguments, its evidence and the whole result stay small.
func TestTenThousandSANsAreCapped(t *testing.T) {
	const total = 10000
	names := make([]string, total)
	for i := range names {
		names[i] = fmt.Sprintf("n%05d.sans.example", i)
	}
	names[1] = strings.Repeat("x", 20000) + ".sans.example" // a 20 KB name
	ca := testpki.NewCA(t, "Test Root")
	long := strings.Repeat("è", 5000) // a 10 KB common name
	pair := ca.Leaf(t, testpki.LeafOptions{Names: names, CommonName: long})
	info, fs := judgeCertificate("mail.example.test", parseChain(t, pair.CertPEM), ca.Pool(), time.Now(), "x:993", ownedUnder("example.test"))
	if len(info.Names) != MaxCertNames || info.MoreNames != total-MaxCertNames || info.Names[0] != names[0] {
		t.Errorf("%d names kept (%q…), %d more; want %d and %d", len(info.Names), info.Names[0], info.MoreNames, MaxCertNames, total-MaxCertNames)
	}
	for _, n := range info.Names {
		if len(n) > maxNameLen {
			t.Errorf("a name of %d bytes kept", len(n))
		}
	}
	if len(info.Subject) > maxCertText || !utf8.ValidString(info.Subject) {
		t.Errorf("subject of %d bytes", len(info.Subject))
	}
	f := findingByID(fs, "cert.hostname_mismatch")
	if f == nil {
		t.Fatalf("no cert.hostname_mismatch in %v", ids(fs))
	}
	listed := strings.Count(f.Args["names"], ",") + 1
	if more, _ := strconv.Atoi(f.Args["more"]); listed+more != total || len(f.Args["names"]) > maxNamesArg {
		t.Errorf("names %q (%d listed, %d bytes) and more %q, want %d in all within %d bytes", f.Args["names"], listed, len(f.Args["names"]), f.Args["more"], total, maxNamesArg)
	}
	for _, f := range fs {
		if len(f.Evidence) > finding.MaxEvidence || !utf8.ValidString(f.Evidence) {
			t.Errorf("%s: evidence of %d bytes", f.ID, len(f.Evidence))
		}
		for k, v := range f.Args {
			if len(v) > maxNamesArg {
				t.Errorf("%s: %s is %d bytes", f.ID, k, len(v))
			}
		}
	}
	data, err := json.Marshal(struct {
		Cert     *CertInfo
		Findings []finding.Finding
	}{info, fs})
	if err != nil {
		t.Fatal(err)
	}
	if len(data) > 8<<10 {
		t.Errorf("certificate and findings are %d bytes of JSON, want at most 8 KiB", len(data))
	}
}
