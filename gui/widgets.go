package gui

import (
	"maildoctor.app/maildoctor/internal/safetext"

	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"maildoctor.app/maildoctor/detect/finding"
)

// severityIcon is the traffic light for a severity.
func severityIcon(s finding.Severity) fyne.Resource {
	switch s {
	case finding.OK:
		return theme.NewSuccessThemedResource(theme.ConfirmIcon())
	case finding.Info:
		return theme.NewPrimaryThemedResource(theme.InfoIcon())
	case finding.Warn:
		return theme.NewWarningThemedResource(theme.WarningIcon())
	}
	return theme.NewErrorThemedResource(theme.ErrorIcon())
}

func plainIcon(s finding.Severity) fyne.Resource {
	switch s {
	case finding.OK:
		return theme.ConfirmIcon()
	case finding.Info:
		return theme.InfoIcon()
	case finding.Warn:
		return theme.WarningIcon()
	}
	return theme.ErrorIcon()
}

func severityColor(s finding.Severity) color.Color {
	v := fyne.CurrentApp().Settings().ThemeVariant()
	t := fyne.CurrentApp().Settings().Theme()
	switch s {
	case finding.OK:
		return t.Color(theme.ColorNameSuccess, v)
	case finding.Info:
		return t.Color(theme.ColorNamePrimary, v)
	case finding.Warn:
		return t.Color(theme.ColorNameWarning, v)
	}
	return t.Color(theme.ColorNameError, v)
}

// wrapped is a label that wraps its text, for sentences.
func wrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

func bold(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.Wrapping = fyne.TextWrapWord
	return l
}

// banner is a coloured band with an icon and a sentence: the verdict.
func banner(sev finding.Severity, text string) fyne.CanvasObject {
	bg := canvas.NewRectangle(severityColor(sev))
	bg.CornerRadius = theme.InputRadiusSize()
	bg.StrokeWidth = 0
	label := bold(text)
	// A plain icon in the text colour: the coloured one would vanish on
	// the band of its own colour.
	row := container.NewBorder(nil, nil, widget.NewIcon(plainIcon(sev)), nil, label)
	return container.NewStack(bg, container.NewPadded(row))
}

// findingCard shows one finding as verdict → why → what to do, with the
// technical details folded.
// Title, detail and evidence carry server text (a greeting, a certificate
// name): control and bidi characters are stripped like on the terminal.
func (u *UI) findingCard(f finding.Finding, onFix func()) fyne.CanvasObject {
	head := container.NewBorder(nil, nil, widget.NewIcon(severityIcon(f.Severity)), nil, bold(safetext.Line(f.Title)))
	parts := []fyne.CanvasObject{head, wrapped(safetext.String(f.Detail))}
	if onFix != nil && (f.Severity == finding.Fail || f.Severity == finding.Warn) {
		parts = append(parts, container.NewHBox(widget.NewButtonWithIcon(u.T("gui.finding.fix"), theme.NavigateNextIcon(), onFix)))
	}
	if f.Evidence != "" {
		ev := wrapped(safetext.String(f.Evidence))
		ev.TextStyle = fyne.TextStyle{Monospace: true}
		parts = append(parts, widget.NewAccordion(widget.NewAccordionItem(u.T("gui.finding.details"), ev)))
	}
	return container.NewVBox(parts...)
}

// copyRows lays out label/value pairs in aligned columns, each value with
// a button that copies it.
func (u *UI) copyRows(pairs ...string) fyne.CanvasObject {
	var objs []fyne.CanvasObject
	for i := 0; i+1 < len(pairs); i += 2 {
		value := pairs[i+1]
		v := widget.NewLabelWithStyle(value, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
		btn := widget.NewButtonWithIcon("", theme.ContentCopyIcon(), func() {
			u.app.Clipboard().SetContent(value)
		})
		objs = append(objs, widget.NewLabel(pairs[i]), container.NewBorder(nil, nil, nil, btn, v))
	}
	return container.New(layout.NewFormLayout(), objs...)
}

// section is a card with a modest bold heading (a Card's own title is
// headline-sized, too loud for a list of settings).
func section(title string, content fyne.CanvasObject) fyne.CanvasObject {
	return widget.NewCard("", "", container.NewVBox(bold(title), content))
}

// localize fills titles and details of findings in the current language,
// on a copy so a report keeps its own.
func (u *UI) localize(fs []finding.Finding) []finding.Finding {
	out := append([]finding.Finding(nil), fs...)
	finding.Localize(out, u.tr)
	return out
}
