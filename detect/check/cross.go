package check

import (
	"strconv"
	"strings"

	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/probe"
	"maildoctor.app/maildoctor/detect/server"
)

// crossFindings compare the two ways into each protocol: STARTTLS is
// going away, so what matters is whether implicit TLS works from here.
func crossFindings(results []*probe.Result, servers []discover.Server) []finding.Finding {
	var fs []finding.Finding
	for _, p := range server.Protocols {
		tls, starttls := pair(results, p)
		if tls == nil || starttls == nil {
			continue
		}
		tlsWorks, stWorks := works(tls), works(starttls)
		name := strings.ToUpper(string(p))
		switch {
		case !tlsWorks && stWorks:
			fs = append(fs, finding.New("implicit.unavailable", finding.Fail, tls.Addr(),
				"protocol", name, "port", strconv.Itoa(tls.Port), "starttls_port", strconv.Itoa(starttls.Port)))
		case tlsWorks && stWorks && manualStartTLS(servers, starttls.Endpoint):
			fs = append(fs, finding.New("starttls.in_use", finding.Warn, starttls.Addr(),
				"protocol", name, "port", strconv.Itoa(starttls.Port), "tls_port", strconv.Itoa(tls.Port)))
		}
	}
	return fs
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

// manualStartTLS: the user told us this is the setting in use.
func manualStartTLS(servers []discover.Server, ep server.Endpoint) bool {
	for _, s := range servers {
		if s.Endpoint == ep && s.Source == discover.SourceManual {
			return true
		}
	}
	return false
}
