package cli

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"maildoctor.app/maildoctor/detect/check"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/probe"
	"maildoctor.app/maildoctor/i18n"
)

// marks for a severity; plain characters that every terminal shows.
func mark(s finding.Severity) string {
	switch s {
	case finding.OK:
		return "[ok]"
	case finding.Info:
		return "[i] "
	case finding.Warn:
		return "[!] "
	}
	return "[X] "
}

// renderCheck writes the short human report: one line per endpoint, then
// the findings with what to do, then the verdict. Text from servers and
// certificates is in the findings and the addresses: each such field is
// kept on its line (one), and Run's streams clean all of it.
func renderCheck(w io.Writer, rep *check.Report, tr i18n.Translator) {
	fmt.Fprintln(w, tr.T("cli.check.heading", map[string]string{"email": one(rep.Email)}))
	if rep.Discovery.Source != "" {
		fmt.Fprintln(w, tr.T("cli.check.source", map[string]string{"source": tr.T("source."+string(rep.Discovery.Source), nil)}))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, tr.T("cli.check.endpoints", nil))
	for _, r := range rep.Endpoints {
		fmt.Fprintln(w, "  "+endpointLine(r, rep.Findings, tr))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, tr.T("cli.check.findings", nil))
	for _, f := range rep.Findings {
		if f.Severity == finding.OK {
			continue
		}
		fmt.Fprintf(w, "  %s %s\n", mark(f.Severity), one(f.Title))
		fmt.Fprintf(w, "       %s\n", one(f.Detail))
		if f.Endpoint != "" {
			fmt.Fprintf(w, "       (%s)\n", one(f.Endpoint))
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, tr.T("cli.check.verdict."+string(rep.Verdict), nil))
	fmt.Fprintln(w, tr.T("cli.check.elapsed", map[string]string{"ms": strconv.FormatInt(rep.ElapsedMS, 10)}))
}

func endpointLine(r *probe.Result, all []finding.Finding, tr i18n.Translator) string {
	worst := finding.OK
	for _, f := range all {
		if f.Endpoint == r.Addr() && f.Severity.Rank() > worst.Rank() {
			worst = f.Severity
		}
	}
	parts := []string{
		mark(worst),
		fmt.Sprintf("%-4s", r.Protocol.Name()),
		fmt.Sprintf("%-28s", one(r.Addr())),
		fmt.Sprintf("%-9s", tr.T("security."+string(r.Security), nil)),
	}
	switch {
	case !r.Reachable:
		parts = append(parts, tr.T("cli.check.unreachable", nil))
	case r.TLS != nil && r.TLS.Negotiated != "":
		parts = append(parts, "TLS "+one(r.TLS.Negotiated))
	}
	switch r.Auth {
	case probe.AuthOK:
		parts = append(parts, tr.T("cli.check.login_ok", nil))
	case probe.AuthFailed:
		parts = append(parts, tr.T("cli.check.login_failed", nil))
	}
	parts = append(parts, fmt.Sprintf("(%d ms)", r.ElapsedMS))
	return strings.Join(parts, "  ")
}
