package report

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"maildoctor.app/maildoctor/detect/check"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/probe"
)

// Render writes the report as Markdown in tr's language: the verdict, the
// findings with what to do, the connections, this computer and the
// timings. The findings are rendered from their ids and arguments, so the
// agent reads the same sentences the customer read, in either language.
func Render(w io.Writer, rep *Report, tr finding.Translator) error {
	m := &md{tr: tr}
	m.header(rep)
	if rep.Check != nil {
		m.check(rep.Check)
	}
	if rep.Computer != nil {
		m.computer(rep.Computer)
	}
	m.timings(rep.Timings)
	_, err := io.WriteString(w, m.b.String())
	if err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	return nil
}

// WriteJSON writes the report as indented JSON, its findings' titles and
// details in tr's language.
func WriteJSON(w io.Writer, rep *Report, tr finding.Translator) error {
	loc, err := rep.Localized(tr)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(loc); err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	return nil
}

type md struct {
	tr finding.Translator
	b  strings.Builder
}

func (m *md) t(key string, kv ...string) string {
	var args map[string]string
	if len(kv) > 0 {
		args = map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			args[kv[i]] = kv[i+1]
		}
	}
	return m.tr.T(key, args)
}

func (m *md) line(s ...string) {
	m.b.WriteString(strings.Join(s, ""))
	m.b.WriteByte('\n')
}

func (m *md) heading(level int, s string) {
	m.line()
	m.line(strings.Repeat("#", level), " ", s)
	m.line()
}

func (m *md) header(rep *Report) {
	m.line("# ", m.t("report.title", "email", esc(rep.Email())))
	m.line()
	m.line(m.t("report.made",
		"date", rep.CreatedAt.UTC().Format("2006-01-02 15:04 UTC"),
		"version", esc(orDash(rep.App)),
		"lang", esc(orDash(rep.Lang))))
}

func (m *md) check(c *check.Report) {
	m.heading(2, m.t("report.verdict."+verdictKey(c.Verdict)))
	m.line(m.t("report.checked", "email", esc(c.Email), "ms", strconv.FormatInt(c.ElapsedMS, 10)))
	m.heading(2, m.t("report.findings"))
	m.findings(c.Findings)
	m.heading(2, m.t("report.connections"))
	m.discovery(c.Discovery)
	m.endpoints(c.Endpoints)
}

func verdictKey(v string) string {
	switch v {
	case check.VerdictOK, check.VerdictWarn, check.VerdictFail:
		return v
	}
	return "unknown"
}

// findings lists every finding, worst first, OK ones last and short.
func (m *md) findings(fs []finding.Finding) {
	if len(fs) == 0 {
		m.line(m.t("report.none"))
		return
	}
	list := append([]finding.Finding(nil), fs...)
	finding.Sort(list)
	finding.Localize(list, m.tr)
	for _, f := range list {
		where := ""
		if f.Endpoint != "" {
			where = " (" + esc(f.Endpoint) + ")"
		}
		m.line("- ", mark(f.Severity), " **", esc(f.Title), "**", where, " `", f.ID, "`")
		if f.Severity != finding.OK {
			m.line("  ", esc(f.Detail))
		}
		if f.Evidence != "" {
			m.line("  ", m.t("report.evidence"), ": ", esc(f.Evidence))
		}
	}
}

// mark is the severity in plain characters every terminal shows; not
// "[X]", which Markdown renders as a ticked box.
func mark(s finding.Severity) string {
	switch s {
	case finding.OK:
		return "(ok)"
	case finding.Info:
		return "(i)"
	case finding.Warn:
		return "(!)"
	}
	return "(X)"
}

func (m *md) discovery(d check.Discovery) {
	if d.Source != "" {
		m.line(m.t("report.source", "source", m.t("source."+string(d.Source))))
	}
	if d.Profile != "" {
		m.line()
		m.line(m.t("report.profile", "profile", esc(d.Profile)))
	}
	if d.Webmail != "" {
		m.line()
		m.line(m.t("report.webmail", "url", esc(d.Webmail)))
	}
	m.line()
}

func (m *md) endpoints(list []*probe.Result) {
	if len(list) == 0 {
		m.line(m.t("report.none"))
		return
	}
	m.line("| ", strings.Join([]string{m.t("report.col.protocol"), m.t("report.col.server"), m.t("report.col.security"),
		m.t("report.col.tls"), m.t("report.col.certificate"), m.t("report.col.login"), m.t("report.col.time")}, " | "), " |")
	m.line("|---|---|---|---|---|---|---:|")
	for _, r := range list {
		if r == nil {
			continue
		}
		m.line("| ", strings.Join([]string{
			strings.ToUpper(esc(string(r.Protocol))),
			esc(r.Addr()),
			m.security(string(r.Security)),
			m.tlsCell(r),
			m.certCell(r.Cert),
			m.loginCell(r.Auth),
			strconv.FormatInt(r.ElapsedMS, 10) + " ms",
		}, " | "), " |")
	}
}

func (m *md) tlsCell(r *probe.Result) string {
	if !r.Reachable {
		return m.t("report.unreachable")
	}
	if r.TLS == nil || r.TLS.Negotiated == "" {
		return "–"
	}
	var offered []string
	for v, ok := range r.TLS.Versions {
		if ok {
			offered = append(offered, esc(v))
		}
	}
	sort.Strings(offered)
	return m.t("report.tls", "version", esc(r.TLS.Negotiated), "offered", strings.Join(offered, ", "))
}

func (m *md) certCell(c *probe.CertInfo) string {
	switch {
	case c == nil:
		return "–"
	case c.Trusted && c.HostnameMatch:
		return m.t("report.cert.ok", "date", c.NotAfter.UTC().Format("2006-01-02"), "days", strconv.Itoa(c.DaysLeft))
	}
	return m.t("report.cert.bad", "date", c.NotAfter.UTC().Format("2006-01-02"))
}

func (m *md) loginCell(auth string) string {
	switch auth {
	case "ok", "failed", "skipped":
		return m.t("report.login." + auth)
	}
	return "–"
}

func (m *md) computer(c *Computer) {
	m.heading(2, m.t("report.computer"))
	m.line(m.t("report.os", "name", esc(orDash(c.OS.Name)), "version", esc(c.OS.Version), "build", esc(c.OS.Build)))
	if len(c.OS.TLS) > 0 {
		m.line()
		m.line(m.t("report.os_tls", "states", m.tlsStates(c.OS.TLS)))
	}
	if len(c.Clients) == 0 {
		m.line()
		m.line(m.t("report.no_clients"))
	}
	for _, cl := range c.Clients {
		m.heading(3, esc(strings.TrimSpace(cl.Name+" "+cl.Version)))
		for _, a := range cl.Accounts {
			m.line("- ", esc(a.Email), ": ", m.server(a.Incoming), "; ", m.server(a.Outgoing))
		}
		if len(cl.Findings) > 0 {
			m.line()
			m.findings(cl.Findings)
		}
	}
}

func (m *md) tlsStates(states map[string]string) string {
	var versions []string
	for v := range states {
		versions = append(versions, v)
	}
	sort.Strings(versions)
	var parts []string
	for _, v := range versions {
		parts = append(parts, "TLS "+esc(v)+" "+m.t("report.tls_state."+tlsStateKey(states[v])))
	}
	return strings.Join(parts, ", ")
}

func tlsStateKey(s string) string {
	switch s {
	case "default", "off", "no":
		return s
	}
	return "unknown"
}

func (m *md) server(s *Server) string {
	if s == nil {
		return "–"
	}
	return fmt.Sprintf("%s %s:%d %s", strings.ToUpper(esc(s.Protocol)), esc(s.Host), s.Port, m.security(s.Security))
}

// security names a security setting; an unknown one (from a damaged or
// newer report) is shown as it is.
func (m *md) security(s string) string {
	switch s {
	case "tls", "starttls", "none", "auto":
		return m.t("security." + s)
	}
	return esc(orDash(s))
}

func (m *md) timings(ts []Timing) {
	if len(ts) == 0 {
		return
	}
	m.heading(2, m.t("report.timings"))
	for _, t := range ts {
		m.line("- ", esc(t.Name), ": ", strconv.FormatInt(t.MS, 10), " ms")
	}
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "–"
	}
	return s
}

// esc keeps text that came from a server or a file from acting as
// Markdown where the report is shown rendered: no links, images, HTML or
// table breaks, and no new lines. Other characters stay as they are, so
// the report still reads well in a terminal.
func esc(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			b.WriteByte(' ')
		case r < ' ' || r == 0x7f:
		case strings.ContainsRune("\\`<>[]|", r):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
