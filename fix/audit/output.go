package audit

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// Formats are the output formats of WriteFormat.
func Formats() []string { return []string{"text", "csv", "json", "html"} }

// Counts are mailboxes per class and per client family.
type Counts struct {
	Classes  map[Class]int  `json:"classes"`
	Families map[string]int `json:"client_families"`
}

// Count tallies rows.
func Count(rows []Row) Counts {
	c := Counts{Classes: map[Class]int{}, Families: map[string]int{}}
	for _, r := range rows {
		c.Classes[r.Class]++
		c.Families[r.Family()]++
	}
	return c
}

type kv struct {
	Key string
	N   int
}

// topFamilies returns families by count, most first.
func topFamilies(c Counts, n int) []kv {
	var out []kv
	for k, v := range c.Families {
		out = append(out, kv{k, v})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].N != out[j].N {
			return out[i].N > out[j].N
		}
		return out[i].Key < out[j].Key
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// WriteSummary writes the terminal summary: mailboxes per class, the top
// client families, and what the log format could not tell.
func WriteSummary(w io.Writer, rows []Row, st Stats, tr Translator) error {
	c := Count(rows)
	var b strings.Builder
	b.WriteString(tr.T("audit.summary.read", map[string]string{
		"mailboxes": strconv.Itoa(len(rows)), "logins": strconv.FormatInt(st.Logins, 10),
		"lines": strconv.FormatInt(st.Lines, 10), "unknown": strconv.FormatInt(st.Unknown, 10)}))
	b.WriteString("\n\n")
	width := 0
	for _, cl := range Classes() {
		if n := len([]rune(tr.T("audit.class."+string(cl), nil))); n > width {
			width = n
		}
	}
	for _, cl := range Classes() {
		name := tr.T("audit.class."+string(cl), nil)
		fmt.Fprintf(&b, "  %s%s  %6d\n", name, strings.Repeat(" ", width-len([]rune(name))), c.Classes[cl])
	}
	b.WriteString("\n" + tr.T("audit.summary.families", nil) + "\n")
	for _, f := range topFamilies(c, 8) {
		fmt.Fprintf(&b, "  %-20s %6d\n", familyName(f.Key, tr), f.N)
	}
	if st.LoginsWithoutPort > 0 {
		b.WriteString("\n" + tr.T("audit.summary.no_port", map[string]string{"n": strconv.FormatInt(st.LoginsWithoutPort, 10)}) + "\n")
	}
	if st.LoginsWithoutTLSVersion > 0 {
		b.WriteString("\n" + tr.T("audit.summary.no_tls_version", map[string]string{"n": strconv.FormatInt(st.LoginsWithoutTLSVersion, 10)}) + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func familyName(f string, tr Translator) string {
	switch f {
	case "unknown", "other":
		return tr.T("audit.family."+f, nil)
	}
	return f
}

// CSVHeader is the first line of WriteCSV.
var CSVHeader = []string{"address", "class", "issues", "seen", "tls_seen", "logins", "first_seen", "last_seen",
	"clients", "client_needs", "ips", "link", "instruction_it", "instruction_en"}

// WriteCSV writes one row per mailbox. Cells that a spreadsheet would run
// as a formula (starting with = + - @) get a leading apostrophe.
func WriteCSV(w io.Writer, rows []Row) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	for _, r := range rows {
		rec := []string{r.Address, string(r.Class), joinClasses(r.Issues), seenText(r.Seen), tlsSeen(r.Seen),
			strconv.Itoa(r.Logins), r.FirstSeen, r.LastSeen, clientsText(r.Clients), needsText(r.Clients),
			strings.Join(r.IPs, " "), r.Link, r.Instruction["it"], r.Instruction["en"]}
		for i := range rec {
			rec[i] = cellSafe(rec[i])
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func cellSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func joinClasses(cs []Class) string {
	var s []string
	for _, c := range cs {
		s = append(s, string(c))
	}
	return strings.Join(s, " ")
}

// seenText is "imap/143/starttls/1.3 pop3/995/tls/1.1".
func seenText(seen []AccessRow) string {
	var out []string
	for _, x := range seen {
		port := "?"
		if x.Port != 0 {
			port = strconv.Itoa(x.Port)
		}
		v := x.TLS
		if v == "" {
			v = "?"
		}
		if x.Security == string(NoTLS) {
			v = "-"
		}
		out = append(out, x.Protocol+"/"+port+"/"+x.Security+"/"+v)
	}
	return strings.Join(out, " ")
}

func tlsSeen(seen []AccessRow) string {
	set := map[string]bool{}
	var out []string
	for _, x := range seen {
		if x.TLS != "" && !set[x.TLS] {
			set[x.TLS] = true
			out = append(out, x.TLS)
		}
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

func clientsText(cs []ClientRow) string {
	var out []string
	for _, c := range cs {
		out = append(out, strings.TrimSpace(c.Name+" "+c.Version))
	}
	return strings.Join(out, "; ")
}

func needsText(cs []ClientRow) string {
	var out []string
	for _, c := range cs {
		n := c.Verdict
		if len(c.Needs) > 0 {
			n += ": " + strings.Join(c.Needs, ",")
		}
		out = append(out, n)
	}
	return strings.Join(out, "; ")
}

// JSONReport is what --format json prints.
type JSONReport struct {
	Stats     JSONStats `json:"stats"`
	Counts    Counts    `json:"counts"`
	Mailboxes []Row     `json:"mailboxes"`
}

// JSONStats are Stats for output.
type JSONStats struct {
	Files                   int64    `json:"files"`
	Lines                   int64    `json:"lines"`
	Logins                  int64    `json:"logins"`
	UnknownLines            int64    `json:"unknown_lines"`
	LoginsWithoutPort       int64    `json:"logins_without_port"`
	LoginsWithoutTLSVersion int64    `json:"logins_without_tls_version"`
	Warnings                []string `json:"warnings"`
}

// WriteJSON writes the report as one JSON object.
func WriteJSON(w io.Writer, rows []Row, st Stats) error {
	warn := st.Warnings
	if warn == nil {
		warn = []string{}
	}
	rep := JSONReport{
		Stats: JSONStats{Files: st.Files, Lines: st.Lines, Logins: st.Logins, UnknownLines: st.Unknown,
			LoginsWithoutPort: st.LoginsWithoutPort, LoginsWithoutTLSVersion: st.LoginsWithoutTLSVersion, Warnings: warn},
		Counts: Count(rows), Mailboxes: rows,
	}
	if rep.Mailboxes == nil {
		rep.Mailboxes = []Row{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}
