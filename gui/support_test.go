package gui

import (
	"bytes"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"maildoctor.app/maildoctor/fix/report"
	"maildoctor.app/maildoctor/internal/forgedcode"
	"maildoctor.app/maildoctor/internal/safetext"
)

// visit calls fn with o and everything drawn under it: the objects of
// containers and the objects widgets' renderers draw.
func visit(o fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	if o == nil {
		return
	}
	fn(o)
	switch w := o.(type) {
	case *fyne.Container:
		for _, c := range w.Objects {
			visit(c, fn)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(w).Objects() {
			visit(c, fn)
		}
	}
}

// openCode types code into "Open a support code" and presses the button;
// it returns what the dialog shows.
func openCode(t *testing.T, u *UI, w fyne.Window, code string) fyne.CanvasObject {
	t.Helper()
	u.Select(TabSupport)
	var field *entry
	visit(u.support.content, func(o fyne.CanvasObject) {
		if e, ok := o.(*entry); ok && e.MultiLine && field == nil {
			field = e
		}
	})
	if field == nil {
		t.Fatal("no entry for the support code")
	}
	field.SetText(code)
	open := findButton(u.support.body, u.T("gui.agent.open_code"))
	if open == nil {
		t.Fatal("no button to open the code")
	}
	test.Tap(open)
	settle(u)
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog shows the report")
	}
	return top
}

// A forged support code: the report the agent sees is plain text. No
// Markdown is rendered from it, so its links (any scheme) are not
// clickable, its images are not loaded, and no hyperlink, image, control
// or bidi character reaches the screen; the unknown finding is named as
// such.
func TestForgedSupportCodeShowsPlainText(t *testing.T) {
	code, err := forgedcode.Code()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"en", "it"} {
		u, w := newTestUI(t, &fakeCheck{}, lang)
		shown := openCode(t, u, w, code)
		var texts []string
		visit(shown, func(o fyne.CanvasObject) {
			switch x := o.(type) {
			case *widget.Hyperlink:
				t.Errorf("%s: a hyperlink to %v", lang, x.URL)
			case *canvas.Image:
				if x.File != "" || (x.Resource != nil && strings.Contains(x.Resource.Name(), "tracker")) {
					t.Errorf("%s: an image from the report: %q", lang, x.File)
				}
			case *widget.RichText:
				for _, s := range x.Segments {
					switch seg := s.(type) {
					case *widget.HyperlinkSegment:
						t.Errorf("%s: a link segment to %v (%q)", lang, seg.URL, seg.Text)
					case *widget.ImageSegment:
						t.Errorf("%s: an image segment from %v", lang, seg.Source)
					}
				}
			case *widget.Label:
				texts = append(texts, x.Text)
			case *canvas.Text:
				texts = append(texts, x.Text)
			}
		})
		all := strings.Join(texts, "\n")
		if !safetext.Clean(all) {
			t.Errorf("%s: control or format characters on screen: %q", lang, all)
		}
		unknown := u.T("report.unknown_finding")
		if i := strings.Index(unknown, "{{"); i >= 0 {
			unknown = unknown[:i]
		}
		if unknown == "report.unknown_finding" || !strings.Contains(all, strings.TrimSpace(unknown)) || !strings.Contains(all, "evil.finding") {
			t.Errorf("%s: the unknown finding is not named as one:\n%s", lang, all)
		}
		// Plain text shows the attack as text, as it is.
		if !strings.Contains(all, "[click](javascript:alert(1))") {
			t.Errorf("%s: the report's text is not shown as it is:\n%s", lang, all)
		}
		for _, key := range []string{".title", ".detail", "source.", "security."} {
			if strings.Contains(all, key) {
				t.Errorf("%s: a raw translation key %q on screen", lang, key)
			}
		}
	}
}

// The report saved as a .md file, opened in a Markdown viewer (Fyne's
// own renderer here): a forged report's links, images and HTML stay text.
func TestForgedReportSavedMarkdownHasNoLinks(t *testing.T) {
	u, _ := newTestUI(t, &fakeCheck{}, "en")
	var md bytes.Buffer
	if err := report.Render(&md, forgedcode.Report(), u.tr); err != nil {
		t.Fatal(err)
	}
	var text []string
	var walk func([]widget.RichTextSegment)
	walk = func(segs []widget.RichTextSegment) {
		for _, s := range segs {
			switch seg := s.(type) {
			case *widget.HyperlinkSegment:
				t.Errorf("a link to %v (%q)", seg.URL, seg.Text)
			case *widget.ImageSegment:
				t.Errorf("an image from %v", seg.Source)
			case *widget.ListSegment:
				walk(seg.Items)
			case *widget.ParagraphSegment:
				walk(seg.Texts)
			case *widget.TextSegment:
				text = append(text, seg.Text)
			}
		}
	}
	walk(widget.NewRichTextFromMarkdown(md.String()).Segments)
	all := strings.Join(text, "")
	// (Fyne's renderer keeps the escaping backslashes in the text.)
	if !safetext.Clean(all) || !strings.Contains(all, "javascript:alert(1)") {
		t.Errorf("the rendered Markdown does not show the report's text as text:\n%s", all)
	}
}
