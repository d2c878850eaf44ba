package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/internal/safetext"
)

// Render writes the report as Markdown in tr's language: the verdict, the
// findings with what to do, the connections, this computer and the
// timings. The findings are rendered from their ids and arguments, so the
// agent reads the same sentences the customer read, in either language.
//
// The report may be forged (a support code anyone can make), so it is
// drawn from Layout, and every text is escaped: opened in a Markdown
// viewer, nothing in it is a link, an image or HTML.
func Render(w io.Writer, rep *Report, tr finding.Translator) error {
	var b strings.Builder
	writeMarkdown(&b, Layout(rep, tr), tr)
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	return nil
}

// WriteJSON writes the report as indented JSON, its findings' titles and
// details in tr's language (an unknown finding's title says it is
// unknown).
func WriteJSON(w io.Writer, rep *Report, tr finding.Translator) error {
	loc, err := rep.Localized(tr)
	if err != nil {
		return err
	}
	loc.forEachFindings(func(fs []finding.Finding) { localizeFindings(fs, tr) })
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(loc); err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	return nil
}

// writeMarkdown draws doc: headings, paragraphs, lists and a table, with
// a blank line between blocks but not between the items of a list or the
// rows of a table.
func writeMarkdown(b *strings.Builder, doc *Doc, tr finding.Translator) {
	prev := Kind(0)
	for _, bl := range doc.Blocks {
		list := bl.Kind == KindFinding || bl.Kind == KindItem
		if prev != 0 && !(list && (prev == KindFinding || prev == KindItem)) {
			b.WriteByte('\n')
		}
		prev = bl.Kind
		switch bl.Kind {
		case KindHeading:
			b.WriteString(strings.Repeat("#", bl.Level) + " " + esc(bl.Text) + "\n")
		case KindParagraph:
			b.WriteString(esc(bl.Text) + "\n")
		case KindItem:
			b.WriteString("- " + esc(bl.Text) + "\n")
		case KindFinding:
			writeFinding(b, bl.Finding, tr)
		case KindTable:
			writeTable(b, bl.Header, bl.Rows)
		}
	}
}

func writeFinding(b *strings.Builder, f *FindingView, tr finding.Translator) {
	b.WriteString("- " + mark(f.Severity) + " **" + esc(f.Title) + "**")
	if f.Endpoint != "" {
		b.WriteString(" (" + esc(f.Endpoint) + ")")
	}
	if f.ID != "" && keyLike.MatchString(f.ID) {
		b.WriteString(" `" + f.ID + "`")
	}
	b.WriteByte('\n')
	if f.Severity != finding.OK && f.Detail != "" {
		b.WriteString("  " + esc(f.Detail) + "\n")
	}
	if f.Evidence != "" {
		b.WriteString("  " + esc(tr.T("report.evidence", nil)) + ": " + esc(f.Evidence) + "\n")
	}
}

func writeTable(b *strings.Builder, header []string, rows [][]string) {
	cells := func(row []string) string {
		out := make([]string, len(row))
		for i, c := range row {
			out[i] = esc(c)
		}
		return "| " + strings.Join(out, " | ") + " |\n"
	}
	b.WriteString(cells(header))
	b.WriteString("|" + strings.Repeat("---|", len(header)-1) + "---:|\n")
	for _, r := range rows {
		b.WriteString(cells(r))
	}
}

// mark is the severity in plain characters every terminal shows; not
// "[X]", which Markdown renders as a ticked box. A severity the report
// should not hold is "(?)".
func mark(s finding.Severity) string {
	switch s {
	case finding.OK:
		return "(ok)"
	case finding.Info:
		return "(i)"
	case finding.Warn:
		return "(!)"
	case finding.Fail:
		return "(X)"
	}
	return "(?)"
}

// esc keeps text from acting as Markdown where the report is shown
// rendered: no links, images, autolinks, HTML, entities, emphasis, code
// or table breaks, and no new lines. It escapes with backslashes only the
// characters that matter, so the report still reads well in a terminal:
// the brackets, angle brackets, backticks, asterisks, underscores,
// tildes, ampersands and bars; the colon of "://" and the dot of "www.",
// which GFM viewers turn into links by themselves; and a "#" that starts
// the text. Control and format characters are removed (safetext.Line).
func esc(s string) string {
	s = safetext.Line(s)
	var b strings.Builder
	for i, r := range s {
		switch {
		case strings.ContainsRune("\\`*_[]<>|~&", r):
			b.WriteByte('\\')
		case r == ':' && strings.HasPrefix(s[i:], "://"):
			b.WriteByte('\\')
		case r == '.' && i >= 3 && strings.EqualFold(s[i-3:i], "www"):
			b.WriteByte('\\')
		case i == 0 && (r == '#' || r == '+' || r == '-' || r == '='):
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
