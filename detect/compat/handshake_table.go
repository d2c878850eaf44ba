package compat

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"strings"

	"maildoctor.app/maildoctor/detect/probe"
	"maildoctor.app/maildoctor/detect/server"
)

// MeasuredEndpoint reads HOST[:PORT] as a server to measure: IMAP unless
// the port is POP3's or submission's (993/143, 995/110, 465/587); with
// starttls, the plain-text port upgraded by STARTTLS/STLS.
func MeasuredEndpoint(hostPort string, starttls bool) (server.Endpoint, error) {
	host, port, err := server.ParseHostPort(hostPort)
	if err != nil {
		return server.Endpoint{}, err
	}
	sec := server.TLS
	if starttls {
		sec = server.StartTLS
	}
	proto := server.IMAP
	for _, p := range server.Protocols {
		if port != 0 && (port == server.DefaultPort(p, server.TLS) || port == server.DefaultPort(p, server.StartTLS)) {
			proto = p
		}
	}
	if port == 0 {
		port = server.DefaultPort(proto, sec)
	}
	return server.Endpoint{Protocol: proto, Host: host, Port: port, Security: sec}, nil
}

// SimulateVerdict sends the hellos of the verdict's handshake profiles
// (HandshakesFor) to hostPort over implicit TLS: the app's "Will it still
// work?" with a server. Only hellos: nothing secret exists here to send.
func SimulateVerdict(ctx context.Context, v Verdict, hostPort string) ([]MeasuredCell, error) {
	ep, err := MeasuredEndpoint(hostPort, false)
	if err != nil {
		return nil, err
	}
	return SimulateVerdictAt(ctx, v, ep, probe.Options{})
}

// SimulateVerdictAt is SimulateVerdict for an endpoint already read (after
// STARTTLS too) and the probe's options (`compat --server --resolve`).
func SimulateVerdictAt(ctx context.Context, v Verdict, ep server.Endpoint, opt probe.Options) ([]MeasuredCell, error) {
	all, err := Handshakes()
	if err != nil {
		return nil, err
	}
	ps := HandshakesFor(all, v)
	cps := make([]probe.ClientProfile, 0, len(ps))
	for _, p := range ps {
		cps = append(cps, p.Client())
	}
	ms := probe.Simulate(ctx, ep, cps, opt)
	out := make([]MeasuredCell, len(ms))
	for i, m := range ms {
		out[i] = MeasuredCell{Name: ps[i].Name, Measured: m}
	}
	return out, nil
}

// MeasuredRow is a row of the matrix with what its client families' own
// handshakes got from one server: the provider's pre-migration report.
type MeasuredRow struct {
	TableRow
	Measured []MeasuredCell `json:"measured"`
}

// MeasuredCell is one handshake profile's outcome.
type MeasuredCell struct {
	Name string `json:"name"`
	probe.Measured
}

// MeasuredTable pairs the rows that have handshake profiles with the
// profiles' outcomes (ms, one per profile, by profile id). Programs on
// the system's TLS have no profile of their own: they follow their
// system's row, so they are left out.
func MeasuredTable(rows []TableRow, ps []*HandshakeProfile, ms []probe.Measured) []MeasuredRow {
	byID := map[string]probe.Measured{}
	for _, m := range ms {
		byID[m.Profile] = m
	}
	var out []MeasuredRow
	for _, r := range rows {
		mr := MeasuredRow{TableRow: r}
		for _, p := range ps {
			if m, ok := byID[p.ID]; ok && p.covers(r.ID) {
				mr.Measured = append(mr.Measured, MeasuredCell{Name: p.Name, Measured: m})
			}
		}
		if len(mr.Measured) > 0 {
			out = append(out, mr)
		}
	}
	return out
}

func (p *HandshakeProfile) covers(row string) bool {
	for _, r := range p.Rows {
		if r == row {
			return true
		}
	}
	return false
}

// AllConnect reports whether every measured profile connects.
func AllConnect(rows []MeasuredRow) bool {
	for _, r := range rows {
		for _, m := range r.Measured {
			if !m.Connects {
				return false
			}
		}
	}
	return true
}

// MeasuredText is one profile's outcome in words.
func MeasuredText(m MeasuredCell, tr Translate) string {
	args := map[string]string{"name": m.Name, "version": m.Version, "cipher": m.Cipher, "alert": m.Alert, "group": m.Group}
	switch {
	case m.Connects && m.HelloRetry:
		return tr("compat.measured.cell.connects_retry", args)
	case m.Connects:
		return tr("compat.measured.cell.connects", args)
	}
	// The reason is a sentence of its own elsewhere; here it ends the cell.
	args["reason"] = strings.TrimSuffix(tr("compat.measured.reason."+m.Reason, args), ".")
	return tr("compat.measured.cell.fails", args)
}

// measuredColumns are the matrix's identity and verdict columns, then the
// measured one.
func measuredColumns(tr Translate) []column {
	return []column{
		{"compat.table.col.name", func(t TableRow) string { return t.Name }},
		{"compat.table.col.id", func(t TableRow) string { return t.ID }},
		{"compat.table.col.versions", func(t TableRow) string { return t.Versions }},
		{"compat.table.col.server12", func(t TableRow) string { return VerdictCell(t, "1.2", tr) }},
		{"compat.table.col.server13", func(t TableRow) string { return VerdictCell(t, "1.3", tr) }},
	}
}

func measuredCells(r MeasuredRow, tr Translate) []string {
	var out []string
	for _, m := range r.Measured {
		out = append(out, MeasuredText(m, tr))
	}
	return out
}

// WriteMeasuredTable writes rows in one of TableFormats. server is what
// the command was given (for the "generated by" line), endpoint the
// address measured.
func WriteMeasuredTable(w io.Writer, format, server, endpoint string, rows []MeasuredRow, tr Translate) error {
	if rows == nil {
		rows = []MeasuredRow{}
	}
	args := map[string]string{"endpoint": endpoint, "server": server, "format": format}
	title := tr("compat.measured.table.title", args)
	generated := tr("compat.measured.table.generated", args)
	measuredHead := tr("compat.measured.table.col", args)
	cols := measuredColumns(tr)
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	case "md":
		var b strings.Builder
		fmt.Fprintf(&b, "# %s\n\n%s\n\n|", mdEscape(title), generated)
		for _, c := range cols {
			b.WriteString(" " + mdEscape(heading(c, tr)) + " |")
		}
		b.WriteString(" " + mdEscape(measuredHead) + " |\n|" + strings.Repeat("---|", len(cols)+1) + "\n")
		for _, r := range rows {
			b.WriteString("|")
			for _, c := range cols {
				b.WriteString(" " + mdEscape(c.cell(r.TableRow)) + " |")
			}
			b.WriteString(" " + mdEscape(strings.Join(measuredCells(r, tr), "; ")) + " |\n")
		}
		_, err := io.WriteString(w, b.String())
		return err
	case "csv":
		cw := csv.NewWriter(w)
		head := []string{tr("compat.table.col.kind", nil)}
		for _, c := range cols {
			head = append(head, heading(c, tr))
		}
		if err := cw.Write(append(head, measuredHead)); err != nil {
			return err
		}
		for _, r := range rows {
			rec := []string{r.Kind}
			for _, c := range cols {
				rec = append(rec, c.cell(r.TableRow))
			}
			if err := cw.Write(append(rec, strings.Join(measuredCells(r, tr), "; "))); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	case "html":
		return writeMeasuredHTML(w, title, generated, measuredHead, cols, rows, tr)
	}
	return fmt.Errorf("unknown table format %q (one of %v)", format, TableFormats())
}

// measuredPage is a self-contained page; html/template escapes every
// value, so a server's or a profile's text is never markup.
var measuredPage = template.Must(template.New("measured").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #999;padding:.3em .5em;vertical-align:top}.ok{color:#060}.fail{color:#a00}</style>
</head><body><h1>{{.Title}}</h1><p>{{.Generated}}</p>
<table><thead><tr>{{range .Head}}<th>{{.}}</th>{{end}}</tr></thead><tbody>
{{range .Rows}}<tr>{{range .Cells}}<td>{{.}}</td>{{end}}<td><ul>{{range .Measured}}<li class="{{if .OK}}ok{{else}}fail{{end}}">{{.Text}}</li>{{end}}</ul></td></tr>
{{end}}</tbody></table></body></html>
`))

type htmlMeasured struct {
	OK   bool
	Text string
}

type htmlRow struct {
	Cells    []string
	Measured []htmlMeasured
}

func writeMeasuredHTML(w io.Writer, title, generated, measuredHead string, cols []column, rows []MeasuredRow, tr Translate) error {
	data := struct {
		Lang, Title, Generated string
		Head                   []string
		Rows                   []htmlRow
	}{Lang: tr("compat.table.lang", nil), Title: title, Generated: generated}
	for _, c := range cols {
		data.Head = append(data.Head, heading(c, tr))
	}
	data.Head = append(data.Head, measuredHead)
	for _, r := range rows {
		hr := htmlRow{}
		for _, c := range cols {
			hr.Cells = append(hr.Cells, c.cell(r.TableRow))
		}
		for _, m := range r.Measured {
			hr.Measured = append(hr.Measured, htmlMeasured{OK: m.Connects, Text: MeasuredText(m, tr)})
		}
		data.Rows = append(data.Rows, hr)
	}
	return measuredPage.Execute(w, data)
}
