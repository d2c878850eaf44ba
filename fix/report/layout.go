package report

import (
	"regexp"
	"sort"
	"strconv"
	"strings"

	"maildoctor.app/maildoctor/detect/check"
	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/probe"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/internal/safetext"
)

// A report comes from outside: a support code anyone can forge. Layout
// turns it into plain text laid out in blocks, which the Markdown file
// (Render), the terminal and the app's support screen all draw. Every text
// in a Doc is plain and safe to show as it is: the report's strings went
// through safetext.Line and were cut to a sensible length; a finding id or
// an enumeration value this Mail Doctor does not know is named as unknown,
// never used as a translation key; no text is markup, and no text is a
// link.

// Doc is a report laid out for showing.
type Doc struct {
	Blocks []Block
}

// Kind is the kind of a Block.
type Kind int

// The kinds of block.
const (
	// KindHeading is Text as a heading of Level 1 (the report's title), 2
	// (a part) or 3 (a mail program).
	KindHeading Kind = iota + 1
	// KindParagraph is Text as a paragraph.
	KindParagraph
	// KindFinding is Finding, one item of a list of findings.
	KindFinding
	// KindItem is Text as one item of a list.
	KindItem
	// KindTable is Header and Rows.
	KindTable
)

// Block is one heading, paragraph, list item or table.
type Block struct {
	Kind    Kind
	Level   int
	Text    string
	Finding *FindingView
	Header  []string
	Rows    [][]string
}

// FindingView is a finding as shown.
type FindingView struct {
	// Severity is one of the four severities, or "" when the report holds
	// another value.
	Severity finding.Severity
	// ID is the finding's id when this Mail Doctor knows it, else "" (and
	// Title says the finding is unknown, with its id made harmless).
	ID                                string
	Title, Detail, Evidence, Endpoint string
}

// Limits of what a Doc shows of one report, so a forged code cannot make
// the screen that shows it unusable. A real report is far below them.
const (
	maxField = 1000 // characters of one string of the report
	maxRawID = 80   // characters of an unknown id or value, shown in a sentence
	maxList  = 200  // findings, endpoints, mail programs or accounts in one list
)

// Layout lays rep out in tr's language.
func Layout(rep *Report, tr finding.Translator) *Doc {
	l := &layout{tr: tr}
	l.header(rep)
	if rep.Check != nil {
		l.check(rep.Check)
	}
	if rep.Computer != nil {
		l.computer(rep.Computer)
	}
	l.timings(rep.Timings)
	return &Doc{Blocks: l.blocks}
}

type layout struct {
	tr     finding.Translator
	blocks []Block
}

func (l *layout) add(b Block) { l.blocks = append(l.blocks, b) }

func (l *layout) heading(level int, s string) {
	l.add(Block{Kind: KindHeading, Level: level, Text: s})
}

func (l *layout) para(s string) { l.add(Block{Kind: KindParagraph, Text: s}) }

// t renders a translation with arguments taken from the report: each is
// cleaned, and so is the sentence.
func (l *layout) t(key string, kv ...string) string {
	return safetext.Line(l.tr.T(key, finding.Args(kv...)))
}

// field is a string of the report, made safe to show.
func field(s string) string {
	return safetext.Truncate(strings.TrimSpace(safetext.Line(s)), maxField)
}

// raw is a value of the report shown inside a sentence: short.
func raw(s string) string {
	return safetext.Truncate(strings.TrimSpace(safetext.Line(s)), maxRawID)
}

// unknown names a value this Mail Doctor does not know.
func (l *layout) unknown(v string) string {
	return l.t("report.unknown_value", "value", raw(v))
}

// known reports whether tr has key, for a key built from the report's
// data: the data must look like an identifier, and the translation must
// exist (a translator returns a key it lacks as it is).
func (l *layout) known(key string) bool {
	return keyLike.MatchString(key) && l.tr.T(key, nil) != key
}

var keyLike = regexp.MustCompile(`^[a-z0-9_]+(\.[a-z0-9_]+)+$`)

// enum is the translation of prefix+v when v is one of the values listed,
// else v named as unknown.
func (l *layout) enum(prefix, v string, values ...string) string {
	for _, x := range values {
		if v == x {
			return l.t(prefix + v)
		}
	}
	if strings.TrimSpace(v) == "" {
		return "–"
	}
	return l.unknown(v)
}

func (l *layout) more(n int) {
	if n > maxList {
		l.add(Block{Kind: KindItem, Text: l.t("report.more", "count", strconv.Itoa(n-maxList))})
	}
}

func (l *layout) header(rep *Report) {
	l.heading(1, l.t("report.title", "email", field(rep.Email())))
	l.para(l.t("report.made",
		"date", rep.CreatedAt.UTC().Format("2006-01-02 15:04 UTC"),
		"version", orDash(raw(rep.App)),
		"lang", orDash(raw(rep.Lang))))
}

func (l *layout) check(c *check.Report) {
	switch c.Verdict {
	case check.VerdictOK, check.VerdictWarn, check.VerdictFail:
		l.heading(2, l.t("report.verdict."+string(c.Verdict)))
	default:
		l.heading(2, l.t("report.verdict.unknown", "value", raw(string(c.Verdict))))
	}
	l.para(l.t("report.checked", "email", field(c.Email), "ms", strconv.FormatInt(c.ElapsedMS, 10)))
	l.heading(2, l.t("report.findings"))
	l.findings(c.Findings)
	l.heading(2, l.t("report.connections"))
	l.discovery(c.Discovery)
	l.endpoints(c.Endpoints)
}

// findings lists every finding, worst first, OK ones last.
func (l *layout) findings(fs []finding.Finding) {
	if len(fs) == 0 {
		l.para(l.t("report.none"))
		return
	}
	list := append([]finding.Finding(nil), fs...)
	finding.Sort(list)
	for i, f := range list {
		if i == maxList {
			break
		}
		v := l.finding(f)
		l.add(Block{Kind: KindFinding, Finding: &v})
	}
	l.more(len(list))
}

// finding renders one finding from its id and arguments. An id this Mail
// Doctor does not know is shown as "unknown finding" with the id made
// harmless: neither a raw translation key nor the report's own texts.
func (l *layout) finding(f finding.Finding) FindingView {
	v := FindingView{Severity: knownSeverity(f.Severity), Endpoint: field(f.Endpoint), Evidence: field(f.Evidence)}
	if !l.known(f.ID+".title") || !l.known(f.ID+".detail") {
		v.Title = l.t("report.unknown_finding", "id", raw(f.ID))
		v.Detail = l.t("report.unknown_finding_detail")
		return v
	}
	args := make(map[string]string, len(f.Args))
	for k, a := range f.Args {
		args[k] = field(a)
	}
	v.ID = f.ID
	v.Title = safetext.Line(l.tr.T(f.ID+".title", args))
	v.Detail = safetext.Line(l.tr.T(f.ID+".detail", args))
	return v
}

// localizeFindings is finding.Localize for findings from a report: an
// unknown id gets "unknown finding" instead of a raw translation key.
func localizeFindings(fs []finding.Finding, tr finding.Translator) {
	l := &layout{tr: tr}
	for i := range fs {
		v := l.finding(fs[i])
		fs[i].Title, fs[i].Detail = v.Title, v.Detail
	}
}

func knownSeverity(s finding.Severity) finding.Severity {
	if s.Rank() < 0 {
		return ""
	}
	return s
}

func (l *layout) discovery(d check.Discovery) {
	if d.Source != "" {
		src := l.enum("source.", string(d.Source), string(discover.SourceProfile), string(discover.SourceAutoconfig),
			string(discover.SourceSRV), string(discover.SourceMX), string(discover.SourceGuess), string(discover.SourceManual))
		l.para(l.t("report.source", "source", src))
	}
	if d.Profile != "" {
		l.para(l.t("report.profile", "profile", field(d.Profile)))
	}
	if d.Webmail != "" {
		l.para(l.t("report.webmail", "url", field(d.Webmail)))
	}
}

func (l *layout) endpoints(list []*probe.Result) {
	var rows [][]string
	for _, r := range list {
		if r == nil {
			continue
		}
		if len(rows) == maxList {
			break
		}
		rows = append(rows, []string{
			l.protocol(string(r.Protocol)),
			field(r.Addr()),
			l.security(string(r.Security)),
			l.tlsCell(r),
			l.certCell(r.Cert),
			l.enum("report.login.", string(r.Auth), string(probe.AuthOK), string(probe.AuthFailed), string(probe.AuthSkipped)),
			strconv.FormatInt(r.ElapsedMS, 10) + " ms",
		})
	}
	if len(rows) == 0 {
		l.para(l.t("report.none"))
		return
	}
	l.add(Block{Kind: KindTable, Rows: rows, Header: []string{l.t("report.col.protocol"), l.t("report.col.server"),
		l.t("report.col.security"), l.t("report.col.tls"), l.t("report.col.certificate"), l.t("report.col.login"), l.t("report.col.time")}})
	l.more(len(list))
}

func (l *layout) protocol(p string) string {
	for _, x := range server.Protocols {
		if p == string(x) {
			return strings.ToUpper(p)
		}
	}
	if p == "" {
		return "–"
	}
	return l.unknown(p)
}

// security names a security setting; an unknown one (from a damaged,
// newer or forged report) is named as unknown.
func (l *layout) security(s string) string {
	return l.enum("security.", s, string(server.TLS), string(server.StartTLS), string(server.None), string(server.Auto))
}

// tlsVersion is a TLS version as a report holds it: "1.0" … "1.3".
var tlsVersion = regexp.MustCompile(`^1\.[0-9]$`)

func (l *layout) version(v string) string {
	if tlsVersion.MatchString(v) {
		return v
	}
	return l.unknown(v)
}

func (l *layout) tlsCell(r *probe.Result) string {
	if !r.Reachable {
		return l.t("report.unreachable")
	}
	if r.TLS == nil || r.TLS.Negotiated == "" {
		return "–"
	}
	var offered []string
	for v, ok := range r.TLS.Versions {
		if ok {
			offered = append(offered, l.version(v))
		}
	}
	sort.Strings(offered)
	if len(offered) > 8 {
		offered = append(offered[:8], "…")
	}
	return l.t("report.tls", "version", l.version(r.TLS.Negotiated), "offered", strings.Join(offered, ", "))
}

func (l *layout) certCell(c *probe.CertInfo) string {
	switch {
	case c == nil:
		return "–"
	case c.Trusted && c.HostnameMatch:
		return l.t("report.cert.ok", "date", c.NotAfter.UTC().Format("2006-01-02"), "days", strconv.Itoa(c.DaysLeft))
	}
	return l.t("report.cert.bad", "date", c.NotAfter.UTC().Format("2006-01-02"))
}

func (l *layout) computer(c *Computer) {
	l.heading(2, l.t("report.computer"))
	l.para(l.t("report.os", "name", orDash(field(c.OS.Name)), "version", field(c.OS.Version), "build", field(c.OS.Build)))
	if len(c.OS.TLS) > 0 {
		l.para(l.t("report.os_tls", "states", l.tlsStates(c.OS.TLS)))
	}
	if len(c.Clients) == 0 {
		l.para(l.t("report.no_clients"))
	}
	for i, cl := range c.Clients {
		if i == maxList {
			l.more(len(c.Clients))
			break
		}
		l.heading(3, orDash(field(cl.Name+" "+cl.Version)))
		for j, a := range cl.Accounts {
			if j == maxList {
				l.more(len(cl.Accounts))
				break
			}
			l.add(Block{Kind: KindItem, Text: orDash(field(a.Email)) + ": " + l.server(a.Incoming) + "; " + l.server(a.Outgoing)})
		}
		if len(cl.Findings) > 0 {
			l.findings(cl.Findings)
		}
	}
}

func (l *layout) tlsStates(states map[string]string) string {
	var versions []string
	for v := range states {
		versions = append(versions, v)
	}
	sort.Strings(versions)
	var parts []string
	for i, v := range versions {
		if i == 8 {
			parts = append(parts, "…")
			break
		}
		parts = append(parts, "TLS "+l.version(v)+" "+l.enum("report.tls_state.", states[v], "default", "off", "no", "unknown"))
	}
	return strings.Join(parts, ", ")
}

func (l *layout) server(s *Server) string {
	if s == nil {
		return "–"
	}
	addr := field(s.Host) + ":" + strconv.Itoa(s.Port)
	return l.protocol(s.Protocol) + " " + addr + " " + l.security(s.Security)
}

func (l *layout) timings(ts []Timing) {
	if len(ts) == 0 {
		return
	}
	l.heading(2, l.t("report.timings"))
	for i, t := range ts {
		if i == maxList {
			l.more(len(ts))
			break
		}
		l.add(Block{Kind: KindItem, Text: field(t.Name) + ": " + strconv.FormatInt(t.MS, 10) + " ms"})
	}
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "–"
	}
	return s
}
