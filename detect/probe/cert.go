package probe

import (
	"crypto/x509"
	"errors"
	"math"
	"net"
	"strconv"
	"strings"
	"time"

	"maildoctor.app/maildoctor/detect/finding"
)

// CertInfo describes the certificate a server showed.
type CertInfo struct {
	Subject string `json:"subject"`
	Issuer  string `json:"issuer"`
	// Names are the first MaxCertNames names the certificate covers;
	// MoreNames counts the ones left out.
	Names         []string  `json:"names"`
	MoreNames     int       `json:"more_names,omitempty"`
	NotBefore     time.Time `json:"not_before"`
	NotAfter      time.Time `json:"not_after"`
	DaysLeft      int       `json:"days_left"`
	Trusted       bool      `json:"trusted"`
	HostnameMatch bool      `json:"hostname_match"`
	SelfSigned    bool      `json:"self_signed,omitempty"`
	// Chain lists the subjects from the leaf to the root that verified it
	// (or to the last certificate the server sent).
	Chain       []string `json:"chain,omitempty"`
	Intercepted string   `json:"intercepted_by,omitempty"`
	VerifyError string   `json:"verify_error,omitempty"`
	// Suggested is the host name to use instead when the name does not
	// match: only a name of a certificate that verified, and only one the
	// provider or the address's domain owns (Options.Owns).
	Suggested string `json:"suggested_host,omitempty"`

	valid bool
}

// Bounds on what a certificate can put into a report: a server chooses
// its certificate, and one with thousands of names or a megabyte subject
// must not swell a finding, a card in the app or a support code.
const (
	// MaxCertNames is how many of a certificate's names are kept.
	MaxCertNames = 50
	// maxNameLen bounds each name kept; a DNS name has at most 253 bytes.
	maxNameLen = 255
	// maxCertText bounds a subject, an issuer or a chain entry, in bytes.
	maxCertText = 200
	// maxChain is how many chain subjects are kept.
	maxChain = 8
	// maxNamesArg bounds the names listed in a finding's text, in bytes.
	maxNamesArg = 300
)

// expiresSoonDays is when an expiry becomes a warning.
const expiresSoonDays = 14

// clockSlack tolerates a server whose certificate was issued moments ago.
const clockSlack = 5 * time.Minute

// judgeCertificate checks the chain against roots (nil: the system's), the
// host name and the clock, and says what it found. Trust is judged apart
// from time, so an expired certificate from a good authority reads
// "expired", not "untrusted".
//
// When the certificate does not cover host, another of its names is
// suggested only if the chain verified and owns (the trust rules 1-2: the
// provider's profile, the address's domain) accepts it; a nil owns
// suggests nothing. A certificate anyone can make must not tell the
// customer where to send the password.
func judgeCertificate(host string, chain []*x509.Certificate, roots *x509.CertPool, now time.Time, ep string, owns func(string) bool) (*CertInfo, []finding.Finding) {
	if len(chain) == 0 {
		return nil, []finding.Finding{finding.New(finding.TLSHandshakeFailed, finding.Fail, ep, "reason", "no certificate")}
	}
	leaf := chain[0]
	names := certNames(leaf)
	info := &CertInfo{
		Subject:   finding.Clip(leaf.Subject.String(), maxCertText),
		Issuer:    finding.Clip(leaf.Issuer.String(), maxCertText),
		Names:     names,
		NotBefore: leaf.NotBefore,
		NotAfter:  leaf.NotAfter,
		DaysLeft:  int(math.Floor(leaf.NotAfter.Sub(now).Hours() / 24)),
	}
	kept := names
	if len(kept) > MaxCertNames {
		kept, info.MoreNames = kept[:MaxCertNames], len(names)-MaxCertNames
	}
	info.Names = make([]string, len(kept))
	for i, n := range kept {
		info.Names[i] = finding.Clip(n, maxNameLen)
	}
	info.HostnameMatch = leaf.VerifyHostname(host) == nil
	info.SelfSigned = isSelfSigned(leaf)
	verified, err := verifyChain(chain, roots, trustTime(leaf, now))
	info.Trusted = err == nil
	if err != nil {
		info.VerifyError = finding.Clip(err.Error(), finding.MaxEvidence)
		info.Chain = subjects(chain)
	} else {
		info.Chain = subjects(verified)
	}
	info.Intercepted = interceptor(append(verified, chain...))

	var fs []finding.Finding
	add := func(id string, sev finding.Severity, kv ...string) {
		fs = append(fs, finding.New(id, sev, ep, kv...))
	}
	if !info.Trusted {
		if info.SelfSigned {
			add(finding.CertSelfSigned, finding.Fail, "subject", finding.Clip(leaf.Subject.CommonName, maxCertText))
		} else {
			add(finding.CertUntrusted, finding.Fail, "issuer", finding.Clip(issuerName(leaf), maxCertText))
		}
	}
	if info.Intercepted != "" {
		add(finding.CertIntercepted, finding.Warn, "vendor", info.Intercepted)
	}
	if !info.HostnameMatch {
		kv := []string{"host", host}
		listed, more := listNames(info.Names, len(names), maxNamesArg)
		kv = append(kv, "names", listed)
		if more > 0 {
			kv = append(kv, "more", strconv.Itoa(more))
		}
		if info.Trusted && owns != nil {
			info.Suggested = suggestHost(host, names, owns)
		}
		if info.Suggested != "" {
			kv = append(kv, "suggested", info.Suggested)
		}
		if !info.Trusted {
			kv = append(kv, "unverified", "yes")
		}
		add(finding.CertHostnameMismatch, finding.Fail, kv...)
	}
	timeOK := true
	switch {
	case now.Before(leaf.NotBefore.Add(-clockSlack)):
		timeOK = false
		add(finding.CertNotYetValid, finding.Fail, "from", leaf.NotBefore.UTC().Format("2006-01-02 15:04 MST"))
		add(finding.ClockSkew, finding.Fail, "now", now.Format("2006-01-02 15:04 MST"),
			"from", leaf.NotBefore.UTC().Format("2006-01-02 15:04 MST"))
	case now.After(leaf.NotAfter):
		timeOK = false
		add(finding.CertExpired, finding.Fail, "date", leaf.NotAfter.UTC().Format("2006-01-02"),
			"days", strconv.Itoa(-info.DaysLeft))
	case info.DaysLeft < expiresSoonDays:
		add(finding.CertExpiresSoon, finding.Warn, "date", leaf.NotAfter.UTC().Format("2006-01-02"),
			"days", strconv.Itoa(info.DaysLeft))
	}
	info.valid = timeOK && info.Trusted
	ev := certEvidence(info)
	for i := range fs {
		fs[i] = fs[i].WithEvidence(ev)
	}
	return info, fs
}

// listNames joins names with ", " for a finding's text, as many as fit in
// max bytes (at least one, clipped), and says how many of total it left
// out.
func listNames(names []string, total, max int) (string, int) {
	var b strings.Builder
	n := 0
	for _, name := range names {
		sep := ""
		if n > 0 {
			sep = ", "
		}
		if n > 0 && b.Len()+len(sep)+len(name) > max {
			break
		}
		b.WriteString(sep + finding.Clip(name, max))
		n++
	}
	return b.String(), total - n
}

// trustTime is the moment at which the chain's trust is judged: now, or
// the nearest moment the leaf was valid when now is outside its validity
// (time is reported on its own; the issuer was most likely valid then too).
func trustTime(leaf *x509.Certificate, now time.Time) time.Time {
	switch {
	case now.After(leaf.NotAfter):
		return leaf.NotAfter.Add(-time.Minute)
	case now.Before(leaf.NotBefore):
		return leaf.NotBefore.Add(time.Minute)
	}
	return now
}

func verifyChain(chain []*x509.Certificate, roots *x509.CertPool, at time.Time) ([]*x509.Certificate, error) {
	inter := x509.NewCertPool()
	for _, c := range chain[1:] {
		inter.AddCert(c)
	}
	chains, err := chain[0].Verify(x509.VerifyOptions{
		Roots:         roots,
		Intermediates: inter,
		CurrentTime:   at,
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	})
	if err != nil {
		return nil, err
	}
	if len(chains) == 0 {
		return nil, errors.New("no chain")
	}
	return chains[0], nil
}

func isSelfSigned(c *x509.Certificate) bool {
	// CheckSignature rather than CheckSignatureFrom: a self-signed server
	// certificate is usually not marked as a CA.
	return c.Subject.String() == c.Issuer.String() &&
		c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature) == nil
}

func certNames(c *x509.Certificate) []string {
	names := append([]string(nil), c.DNSNames...)
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	if len(names) == 0 && c.Subject.CommonName != "" {
		names = append(names, c.Subject.CommonName)
	}
	return names
}

// subjects lists the chain's subjects, the first maxChain of them, each
// clipped.
func subjects(chain []*x509.Certificate) []string {
	if len(chain) > maxChain {
		chain = chain[:maxChain]
	}
	out := make([]string, 0, len(chain))
	for _, c := range chain {
		out = append(out, finding.Clip(c.Subject.String(), maxCertText))
	}
	return out
}

func issuerName(c *x509.Certificate) string {
	if len(c.Issuer.Organization) > 0 {
		return c.Issuer.Organization[0]
	}
	if c.Issuer.CommonName != "" {
		return c.Issuer.CommonName
	}
	return c.Issuer.String()
}

// suggestHost picks, among the names a certificate covers, the one a
// customer should type: on shared hosting the certificate names the
// provider's server, not the customer's domain (seed 001). A wildcard
// keeps the first label of the host in use (imap.x → imap.provider.it).
// Only names owns accepts are considered; IP addresses never are.
func suggestHost(host string, names []string, owns func(string) bool) string {
	first := host
	if i := strings.IndexByte(host, '.'); i > 0 {
		first = host[:i]
	}
	var plain []string
	for _, n := range names {
		if net.ParseIP(n) != nil {
			continue
		}
		if strings.HasPrefix(n, "*.") {
			if h := first + n[1:]; owns(h) {
				return h
			}
			continue
		}
		if owns(n) {
			plain = append(plain, n)
		}
	}
	for _, n := range plain {
		if strings.HasPrefix(n, first+".") {
			return n
		}
	}
	for _, n := range plain {
		if strings.HasPrefix(n, "mail.") {
			return n
		}
	}
	if len(plain) > 0 {
		return plain[0]
	}
	return ""
}

// interceptVendors are names found in the root certificates that antivirus
// programs and TLS-inspecting proxies install to read encrypted mail. When
// such a root signs a mail server's certificate, the program sits between
// the mail client and the server (and often breaks TLS 1.3 or old clients).
// Source: shared/research/anchors.md §4 pain point 14 (antivirus e-mail
// scanning swaps certificates); names from the vendors' "SSL/TLS scanning"
// and "mail shield" features.
var interceptVendors = []string{
	"Avast", "AVG", "ESET", "Kaspersky", "Bitdefender", "Norton", "Symantec",
	"McAfee", "Sophos", "Trend Micro", "Dr.Web", "Doctor Web", "Emsisoft", "G DATA",
	"Panda", "Webroot", "F-Secure", "Fortinet", "FortiGate", "Zscaler", "Netskope",
	"Cisco Umbrella", "Palo Alto", "Check Point", "Blue Coat", "WatchGuard",
	"Kerio", "Untangle", "Barracuda", "SonicWall",
}

// interceptor names the vendor whose root or intermediate appears in the
// chain, or "".
func interceptor(chain []*x509.Certificate) string {
	for _, c := range chain {
		for _, text := range append(append([]string{c.Subject.CommonName, c.Issuer.CommonName},
			c.Subject.Organization...), c.Issuer.Organization...) {
			for _, v := range interceptVendors {
				if containsWord(text, v) {
					return v
				}
			}
		}
	}
	return ""
}

// containsWord matches v in s case-insensitively at word boundaries, so
// "AVG" does not match "SAVGroup".
func containsWord(s, v string) bool {
	ls, lv := strings.ToLower(s), strings.ToLower(v)
	for i := strings.Index(ls, lv); i >= 0; {
		before := i == 0 || !isAlnum(ls[i-1])
		after := i+len(lv) == len(ls) || !isAlnum(ls[i+len(lv)])
		if before && after {
			return true
		}
		next := strings.Index(ls[i+1:], lv)
		if next < 0 {
			break
		}
		i += 1 + next
	}
	return false
}

func isAlnum(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= '0' && b <= '9'
}

// certEvidence is the certificate in one line, for the technical details;
// WithEvidence clips it to finding.MaxEvidence.
func certEvidence(info *CertInfo) string {
	var b strings.Builder
	b.WriteString("subject: " + info.Subject)
	b.WriteString("; issuer: " + info.Issuer)
	b.WriteString("; valid " + info.NotBefore.UTC().Format("2006-01-02") + " to " + info.NotAfter.UTC().Format("2006-01-02"))
	if info.VerifyError != "" {
		b.WriteString("; " + info.VerifyError)
	}
	listed, more := listNames(info.Names, len(info.Names)+info.MoreNames, maxNamesArg)
	b.WriteString("; names: " + listed)
	if more > 0 {
		b.WriteString(" (+" + strconv.Itoa(more) + " more)")
	}
	return b.String()
}
