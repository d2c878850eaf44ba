package compat

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"maildoctor.app/maildoctor/assets"
	"maildoctor.app/maildoctor/i18n"
)

// pageT renders compat.html as "compat --table --format html" does.
func pageT(t *testing.T) ([]byte, *html.Node) {
	t.Helper()
	cat, err := i18n.Load(assets.Translations, "translation")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	err = kbT(t).WritePage(&b, []PageLang{
		{Code: "it", Name: "Italiano", T: cat.For("it").T},
		{Code: "en", Name: "English", T: cat.For("en").T}})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), doc
}

func walk(n *html.Node, f func(*html.Node)) {
	f(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

func attrOf(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func textOf(n *html.Node) string {
	var b strings.Builder
	walk(n, func(c *html.Node) {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	})
	return b.String()
}

// The page is published on its own: nothing it shows may be fetched from
// elsewhere (a file:// copy must work offline, and a customer's browser
// must not call third parties).
func TestPageSelfContained(t *testing.T) {
	raw, doc := pageT(t)
	walk(doc, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		switch n.Data {
		case "link", "img", "iframe", "object", "embed", "video", "audio", "source", "base":
			t.Errorf("<%s> on the page", n.Data)
		}
		for _, a := range n.Attr {
			if a.Key == "src" || a.Key == "srcset" || a.Key == "style" {
				t.Errorf("<%s %s=%q>", n.Data, a.Key, a.Val)
			}
		}
		if n.Data == "a" {
			href := attrOf(n, "href")
			if !strings.HasPrefix(href, "#") && !strings.HasPrefix(href, "https://") && !strings.HasPrefix(href, "http://") {
				t.Errorf("link %q is neither an anchor nor a public address", href)
			}
		}
	})
	for _, bad := range []string{"url(", "@import", "fetch(", "XMLHttpRequest", "import("} {
		if bytes.Contains(raw, []byte(bad)) {
			t.Errorf("the page contains %q", bad)
		}
	}
}

// What a customer reads carries no repository paths, build instructions,
// Markdown or the data's slugs as a column.
func TestPageHasNoDeveloperText(t *testing.T) {
	_, doc := pageT(t)
	var text strings.Builder
	walk(doc, func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "script" {
			return
		}
		if n.Type == html.TextNode && (n.Parent == nil || n.Parent.Data != "script") {
			text.WriteString(n.Data + "\n")
		}
	})
	body := text.String()
	for _, bad := range []string{"shared/seeds", "assets/compat", "make docs", "`", ".json", ".txt", "--table", "maildoctor compat"} {
		if i := strings.Index(body, bad); i >= 0 {
			lo := i - 60
			if lo < 0 {
				lo = 0
			}
			t.Errorf("developer text %q on the page: …%s…", bad, body[lo:i+len(bad)])
		}
	}
	walk(doc, func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "th" && strings.TrimSpace(textOf(n)) == "Id" {
			t.Error("an Id column of slugs")
		}
	})
}

// Both languages are on the page, Italian shown by default; every table has
// a caption and scoped headers, every row an anchor, and text in the other
// language is marked with lang.
func TestPageLanguagesAndStructure(t *testing.T) {
	raw, doc := pageT(t)
	cat, err := i18n.Load(assets.Translations, "translation")
	if err != nil {
		t.Fatal(err)
	}
	mains := map[string]*html.Node{}
	var order []string
	walk(doc, func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "html" && attrOf(n, "lang") != "it" {
			t.Errorf("<html lang=%q>, want it", attrOf(n, "lang"))
		}
		if n.Type == html.ElementNode && n.Data == "main" {
			mains[attrOf(n, "id")] = n
			order = append(order, attrOf(n, "id"))
			if attrOf(n, "lang") != attrOf(n, "id") {
				t.Errorf("<main id=%q lang=%q>", attrOf(n, "id"), attrOf(n, "lang"))
			}
		}
	})
	// The CSS switch "main.other:target ~ main" needs English before Italian.
	if strings.Join(order, ",") != "en,it" {
		t.Fatalf("mains %v, want en then it", order)
	}
	if attrOf(mains["en"], "class") != "other" || attrOf(mains["it"], "class") != "" {
		t.Errorf("English must be the hidden one: classes %q, %q", attrOf(mains["en"], "class"), attrOf(mains["it"], "class"))
	}
	for lang, m := range mains {
		text := textOf(m)
		for _, key := range []string{"compat.page.title", "compat.table.systems", "compat.table.verdict.unsupported"} {
			if want := cat.For(lang).T(key, nil); !strings.Contains(text, want) {
				t.Errorf("%s: %q (%s) is missing", lang, want, key)
			}
		}
		var rows, anchors, captions int
		walk(m, func(n *html.Node) {
			if n.Type != html.ElementNode {
				return
			}
			switch n.Data {
			case "caption":
				captions++
			case "th":
				if s := attrOf(n, "scope"); s != "col" && s != "row" {
					t.Errorf("%s: <th> %q without scope", lang, textOf(n))
				}
			case "tr":
				if attrOf(n, "id") != "" {
					rows++
				}
			case "a":
				if attrOf(n, "class") == "anchor" {
					anchors++
				}
			case "q":
				if attrOf(n, "lang") != "it" {
					t.Errorf("%s: a quote of the provider's Italian table without lang=it", lang)
				}
			case "p":
				// The notes are English: marked so on the Italian page.
				if lang == "it" && strings.Contains(textOf(n), "registry") && attrOf(n, "lang") != "en" {
					t.Errorf("it: English notes without lang=en: %.60q", textOf(n))
				}
			}
		})
		if want := len(kbT(t).Table()); rows != want || anchors != want {
			t.Errorf("%s: %d rows with ids and %d anchors, want %d", lang, rows, anchors, want)
		}
		if captions != 2 {
			t.Errorf("%s: %d captions, want 2", lang, captions)
		}
	}
	if !bytes.Contains(raw, []byte(`id="windows-7"`)) || !bytes.Contains(raw, []byte(`id="en-windows-7"`)) {
		t.Error("no anchors windows-7 (Italian) and en-windows-7 (English)")
	}
}

// The picker's answer for Windows 7 + Outlook 2010 is the evaluator's, in
// both languages, with the SChannel step first.
func TestPageAnswers(t *testing.T) {
	raw, _ := pageT(t)
	m := regexp.MustCompile(`var answers = (\{.*\});\nvar texts = (\{.*\});`).FindSubmatch(raw)
	if m == nil {
		t.Fatal("no answers and texts in the script")
	}
	var answers map[string]pageAnswer
	var texts map[string][]string
	if err := json.Unmarshal(m[1], &answers); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(m[2], &texts); err != nil {
		t.Fatal(err)
	}
	a, ok := answers["windows-7|outlook-2010"]
	if !ok {
		t.Fatal("no answer for windows-7|outlook-2010")
	}
	if a.Class != string(NeedsAction) || len(a.Actions) == 0 {
		t.Fatalf("Windows 7 + Outlook 2010: %+v", a)
	}
	if first := texts["it"][a.Actions[0]]; !strings.Contains(first, "SCHANNEL") {
		t.Errorf("the first step is not the SChannel key: %q", first)
	}
	if first := texts["en"][a.Actions[0]]; !strings.Contains(first, "SCHANNEL") || strings.Contains(first, "registro") {
		t.Errorf("English first step: %q", first)
	}
	if _, ok := answers["ios-5-9|builtin"]; !ok {
		t.Error("no answer for the iPhone's own Mail app on iOS 5-9")
	}
	if a := answers["ios-5-9|builtin"]; a.Class != string(Unsupported) {
		t.Errorf("iOS 5-9 Mail: %s, want unsupported (TLS 1.0 only)", a.Class)
	}
	if len(texts["it"]) != len(texts["en"]) {
		t.Errorf("%d Italian texts, %d English", len(texts["it"]), len(texts["en"]))
	}
}
