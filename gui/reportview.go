package gui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/fix/report"
)

// reportView shows a report laid out by report.Layout. A report may come
// from a support code anyone can forge, so it is drawn with plain-text
// widgets only: labels, icons and a folded "technical details". No
// Markdown is rendered from it, so nothing in it becomes a link or loads
// an image, and the texts are already free of control and bidi
// characters (report.Layout).
func (u *UI) reportView(doc *report.Doc) fyne.CanvasObject {
	var objs []fyne.CanvasObject
	for _, b := range doc.Blocks {
		switch b.Kind {
		case report.KindHeading:
			if b.Level > 1 && len(objs) > 0 {
				objs = append(objs, widget.NewSeparator())
			}
			objs = append(objs, bold(b.Text))
		case report.KindParagraph:
			objs = append(objs, wrapped(b.Text))
		case report.KindItem:
			objs = append(objs, wrapped("• "+b.Text))
		case report.KindFinding:
			objs = append(objs, u.reportFinding(b.Finding))
		case report.KindTable:
			objs = append(objs, reportTable(b.Header, b.Rows))
		}
	}
	return container.NewVBox(objs...)
}

// reportFinding is one finding of a report: its severity, title and
// detail, where it was found and its technical details, folded.
func (u *UI) reportFinding(f *report.FindingView) fyne.CanvasObject {
	icon := theme.QuestionIcon()
	if f.Severity != "" {
		icon = severityIcon(f.Severity)
	}
	parts := []fyne.CanvasObject{container.NewBorder(nil, nil, widget.NewIcon(icon), nil, bold(f.Title))}
	if f.Severity != finding.OK && f.Detail != "" {
		parts = append(parts, wrapped(f.Detail))
	}
	var where []string
	for _, s := range []string{f.Endpoint, f.ID} {
		if s != "" {
			where = append(where, s)
		}
	}
	if len(where) > 0 {
		l := wrapped(strings.Join(where, "  ·  "))
		l.TextStyle = fyne.TextStyle{Monospace: true}
		l.Importance = widget.LowImportance
		parts = append(parts, l)
	}
	if f.Evidence != "" {
		ev := wrapped(f.Evidence)
		ev.TextStyle = fyne.TextStyle{Monospace: true}
		parts = append(parts, widget.NewAccordion(widget.NewAccordionItem(u.T("gui.finding.details"), ev)))
	}
	return container.NewVBox(parts...)
}
