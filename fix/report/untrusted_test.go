package report_test

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"maildoctor.app/maildoctor/assets"
	"maildoctor.app/maildoctor/fix/report"
	"maildoctor.app/maildoctor/i18n"
	"maildoctor.app/maildoctor/internal/forgedcode"
	"maildoctor.app/maildoctor/internal/safetext"
)

// activeMarkdown finds what a Markdown viewer would make a link, an image,
// HTML or an entity: "](", "<" and "&" not escaped by a backslash, and the
// URLs GFM viewers link by themselves.
var activeMarkdown = regexp.MustCompile(`(^|[^\\])(\]\(|<|&)|https?://|(?i)www\.`)

func catalog(t testing.TB) *i18n.Catalog {
	t.Helper()
	cat, err := i18n.Load(assets.Translations, "translation")
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// A forged support code is laid out as plain text: every text is clean,
// the unknown finding and the unknown values are named as such, and no
// text of the report becomes a translation key or a finding's sentence.
func TestForgedReportLayout(t *testing.T) {
	code, err := forgedcode.Code()
	if err != nil {
		t.Fatal(err)
	}
	rep, err := report.Decode(code)
	if err != nil {
		t.Fatal(err)
	}
	cat := catalog(t)
	for _, lang := range []string{"en", "it"} {
		tr := cat.For(lang)
		doc := report.Layout(rep, tr)
		var texts []string
		var unknown int
		for _, b := range doc.Blocks {
			texts = append(texts, b.Text)
			texts = append(texts, b.Header...)
			for _, r := range b.Rows {
				texts = append(texts, r...)
			}
			if f := b.Finding; f != nil {
				texts = append(texts, f.Title, f.Detail, f.Evidence, f.Endpoint, f.ID)
				if f.ID == "" {
					unknown++
					if !strings.HasPrefix(f.Title, strings.Split(tr.T("report.unknown_finding", nil), ":")[0]) {
						t.Errorf("%s: unknown finding titled %q", lang, f.Title)
					}
				}
				if f.Severity == "" && !strings.Contains(f.Title, "evil.finding") && f.ID != "auth.failed" {
					t.Errorf("%s: %q has an unknown severity", lang, f.Title)
				}
			}
		}
		if unknown != 2 {
			t.Errorf("%s: %d unknown findings shown, want 2 (one per list)", lang, unknown)
		}
		all := strings.Join(texts, "\n")
		if !safetext.Clean(all) {
			t.Errorf("%s: control or format characters in the layout: %q", lang, all)
		}
		for _, bad := range []string{"\x1b", "\u009b", "\u202e", ".title", ".detail", "source.", "security.", "report.",
			safetext.Line("title" + forgedcode.Payload), safetext.Line("detail" + forgedcode.Payload)} {
			if strings.Contains(all, bad) {
				t.Errorf("%s: %q in the layout", lang, bad)
			}
		}
		if !strings.Contains(all, tr.T("report.unknown_value", map[string]string{"value": ""})[:5]) {
			t.Errorf("%s: unknown values are not named as such:\n%s", lang, all)
		}

		// The Markdown (the saved file, the agent's terminal) has nothing a
		// viewer would make a link, an image or HTML.
		var md bytes.Buffer
		if err := report.Render(&md, rep, tr); err != nil {
			t.Fatal(err)
		}
		if !safetext.Clean(md.String()) {
			t.Errorf("%s: control or format characters in the Markdown", lang)
		}
		for _, l := range strings.Split(md.String(), "\n") {
			if m := activeMarkdown.FindString(l); m != "" {
				t.Errorf("%s: active Markdown %q in %q", lang, m, l)
			}
		}

		// JSON keeps the data; an unknown finding's title says it is one.
		var js bytes.Buffer
		if err := report.WriteJSON(&js, rep, tr); err != nil {
			t.Fatal(err)
		}
		var back report.Report
		if err := json.Unmarshal(js.Bytes(), &back); err != nil {
			t.Fatal(err)
		}
		if f := back.Check.Findings[0]; f.ID != forgedcode.UnknownID || strings.Contains(f.Title, ".title") || strings.Contains(f.Title, "\x1b") {
			t.Errorf("%s: JSON finding %q titled %q", lang, f.ID, f.Title)
		}
	}
}

// Markdown metacharacters and autolinks in a report's text are escaped,
// and the escaped text still reads as the original when rendered.
func TestRenderEscapesLinks(t *testing.T) {
	rep := forgedcode.Report()
	rep.Check.Findings = nil
	rep.Computer = nil
	rep.Timings = nil
	for _, email := range []string{
		"www.evil.example", "WWW.evil.example", "https://evil.example/x", "ftp://evil.example", "&#x202e;",
		"<https://evil.example>", "[a](b)", "![a](b)", "[a]: https://evil.example", "`code`", "**bold**", "~~strike~~",
		"#heading", "- item", "a|b", `\[a](b)`,
	} {
		rep.Check.Email = email
		var md bytes.Buffer
		if err := report.Render(&md, rep, catalog(t).For("en")); err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(md.String(), "\n") {
			if m := activeMarkdown.FindString(l); m != "" {
				t.Errorf("%q: active Markdown %q in %q", email, m, l)
			}
		}
	}
}
