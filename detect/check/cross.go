package check

import (
	"strconv"

	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/probe"
	"maildoctor.app/maildoctor/detect/server"
)

// crossFindings compare the two ways into each protocol: STARTTLS is
// going away, so what matters is whether implicit TLS works from here.
func crossFindings(results []*probe.Result, manual map[server.Protocol]string) []finding.Finding {
	var fs []finding.Finding
	for _, p := range server.Protocols {
		tls, starttls := pair(results, p)
		if tls == nil || starttls == nil {
			continue
		}
		tlsWorks, stWorks := works(tls), works(starttls)
		name := p.Name()
		switch {
		case !tlsWorks && stWorks:
			fs = append(fs, finding.New(finding.ImplicitUnavailable, finding.Fail, tls.Addr(),
				"protocol", name, "port", strconv.Itoa(tls.Port), "starttls_port", strconv.Itoa(starttls.Port)))
		case tlsWorks && stWorks && manualStartTLS(manual, p):
			fs = append(fs, finding.New(finding.StartTLSInUse, finding.Warn, starttls.Addr(),
				"protocol", name, "port", strconv.Itoa(starttls.Port), "tls_port", strconv.Itoa(tls.Port)))
		}
	}
	return fs
}

// settleClosedStartTLS makes a closed STARTTLS port news, not a failure,
// when implicit TLS works for that protocol: closing 143/110/587 is exactly
// what the provider is doing, and the customer needs nothing from them.
func settleClosedStartTLS(results []*probe.Result) {
	for _, p := range server.Protocols {
		tls, starttls := pair(results, p)
		if tls == nil || starttls == nil || !works(tls) || works(starttls) {
			continue
		}
		for i := range starttls.Findings {
			if starttls.Findings[i].Severity == finding.Fail {
				starttls.Findings[i].Severity = finding.Info
			}
		}
	}
}

func pair(results []*probe.Result, p server.Protocol) (tls, starttls *probe.Result) {
	for _, r := range results {
		if r.Protocol != p {
			continue
		}
		switch {
		case r.Security == server.TLS && tls == nil:
			tls = r
		case r.Security == server.StartTLS && starttls == nil:
			starttls = r
		}
	}
	return tls, starttls
}

// works: the endpoint got as far as TLS with a usable certificate.
func works(r *probe.Result) bool {
	return r.TLS != nil && r.TLS.Negotiated != "" && r.Secure()
}

// manualStartTLS: the user gave a STARTTLS port for p, so that is the
// setting in use (a host without a port says nothing about it).
func manualStartTLS(manual map[server.Protocol]string, p server.Protocol) bool {
	_, port, err := server.ParseHostPort(manual[p])
	if err != nil || port == 0 {
		return false
	}
	sec, ok := server.SecurityForPort(p, port)
	return ok && sec == server.StartTLS
}
