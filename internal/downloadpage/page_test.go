package downloadpage

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"maildoctor.app/maildoctor/assets"
	"maildoctor.app/maildoctor/detect/compat"
	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/i18n"
)

var releaseFiles = []File{
	{Name: "SHA256SUMS", Size: 600},
	{Name: "compat.html", Size: 90_000, SHA256: strings.Repeat("c", 64)},
	{Name: "maildoctor-legacy-windows-amd64.zip", Size: 8_300_000, SHA256: strings.Repeat("d", 64)},
	{Name: "maildoctor-legacy.exe", Size: 21_400_000, SHA256: strings.Repeat("e", 64)},
	{Name: "maildoctor-linux-amd64.tar.xz", Size: 6_500_000, SHA256: strings.Repeat("f", 64)},
	{Name: "maildoctor-windows-amd64.zip", Size: 9_000_000, SHA256: strings.Repeat("a", 64)},
	{Name: "maildoctor.exe", Size: 23_100_000, SHA256: strings.Repeat("b", 64)},
	{Name: "wine-win7.png", Size: 50_000},
}

func render(t *testing.T, signed bool, files []File) string {
	t.Helper()
	prof, err := discover.BuiltinProfile()
	if err != nil {
		t.Fatal(err)
	}
	cat, err := i18n.Load(assets.Translations, "translation")
	if err != nil {
		t.Fatal(err)
	}
	kb, err := compat.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := Render(&b, Input{Profile: prof, Catalog: cat, KB: kb, Version: "0.1.0", Signed: signed, Files: files}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// Every download.* key the page uses exists in both languages, and every
// one the translations have is used (no dead texts).
func TestKeysTranslated(t *testing.T) {
	cat, err := i18n.Load(assets.Translations, "translation")
	if err != nil {
		t.Fatal(err)
	}
	src := pageTemplate
	for _, f := range []string{"page.go"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src += string(b)
	}
	used := map[string]bool{}
	for _, m := range regexp.MustCompile(`"(download\.[a-z0-9_.]+)"`).FindAllStringSubmatch(src, -1) {
		used[m[1]] = true
	}
	if len(used) < 30 {
		t.Fatalf("found only %d keys: the scan is broken", len(used))
	}
	for k := range used {
		for _, lang := range []string{"it", "en"} {
			if !cat.Has(lang, k) {
				t.Errorf("%s: %s is missing", lang, k)
			}
		}
	}
	for _, k := range cat.Keys("en") {
		if strings.HasPrefix(k, "download.") && !used[k] {
			t.Errorf("%s is translated but the page does not use it", k)
		}
	}
}

// The page is one self-contained file: nothing is loaded from elsewhere.
func TestSelfContained(t *testing.T) {
	page := render(t, false, releaseFiles)
	for _, bad := range []string{"<link", " src=", "@import", "url(", "<iframe", "<img"} {
		if strings.Contains(page, bad) {
			t.Errorf("the page contains %q", bad)
		}
	}
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	// Links leave the page only for the profile's support, documentation
	// and webmail pages.
	for _, a := range find(doc, func(n *html.Node) bool { return n.Data == "a" }) {
		href, _ := attr(a, "href")
		switch {
		case strings.HasPrefix(href, "#"), href == "maildoctor://open":
		case strings.HasPrefix(href, "https://www.maildoctor.example/"), href == "https://webmail.maildoctor.example/":
		case !strings.Contains(href, ":") && !strings.Contains(href, "/"):
		default:
			t.Errorf("unexpected link %q", href)
		}
	}
}

func TestFilesListed(t *testing.T) {
	page := render(t, false, releaseFiles)
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"it", "en"} {
		s := offered(t, doc, lang)
		if s.pickVisible {
			t.Errorf("%s: the recommendation shows without the script", lang)
		}
	}
	for _, f := range releaseFiles {
		want := f.Name != "wine-win7.png"
		if got := strings.Contains(page, `href="`+f.Name+`"`); got != want {
			t.Errorf("link to %s: %v, want %v", f.Name, got, want)
		}
	}
	if !strings.Contains(page, "SHA-256 "+strings.Repeat("e", 64)) {
		t.Error("the legacy .exe's SHA-256 is not shown")
	}
	if !strings.Contains(page, "21,4 MB") || !strings.Contains(page, "21.4 MB") {
		t.Error("sizes are not written with each language's decimal mark")
	}
}

// Unsigned files warn of SmartScreen's screen; signed ones do not.
func TestSmartScreenWords(t *testing.T) {
	unsigned := render(t, false, releaseFiles)
	signed := render(t, true, releaseFiles)
	for _, w := range []string{"Windows ha protetto il PC", "Ulteriori informazioni", "Esegui comunque", "Windows protected your PC", "Run anyway", `class="warn"`} {
		if !strings.Contains(unsigned, w) {
			t.Errorf("unsigned: %q missing", w)
		}
	}
	for _, w := range []string{"Windows ha protetto il PC", "Windows protected your PC", `class="warn"`} {
		if strings.Contains(signed, w) {
			t.Errorf("signed: %q still there", w)
		}
	}
	if !strings.Contains(signed, "Mail Doctor Example Hosting") {
		t.Error("signed: the publisher is not named")
	}
}

// With no Mac build the Mac offer is webmail; with one, its zip.
func TestMacOffer(t *testing.T) {
	without := render(t, false, releaseFiles)
	if strings.Contains(without, "maildoctor-macos") {
		t.Error("a Mac file is offered that is not in dist")
	}
	with := render(t, false, append(append([]File(nil), releaseFiles...),
		File{Name: "maildoctor-macos-arm64.zip", Size: 9e6}, File{Name: "maildoctor-macos-x86_64.zip", Size: 9e6}))
	if !regexp.MustCompile(`data-os="mac"[^>]*>\s*<p class="seen">[^\n]*\n<a class="big" href="maildoctor-macos-arm64.zip"`).MatchString(with) {
		t.Error("the Mac offer's button is not the arm64 zip")
	}
}

func TestProductName(t *testing.T) {
	for _, tc := range []struct{ brand, want string }{
		{"", "Mail Doctor"},
		{"Mail Doctor Example Hosting", "Mail Doctor Example Hosting"},
		{"Aruba", "Mail Doctor (Aruba)"},
	} {
		p := &discover.Profile{Provider: discover.ProviderInfo{Brand: tc.brand}}
		if got := ProductName(p); got != tc.want {
			t.Errorf("ProductName(%q) = %q, want %q", tc.brand, got, tc.want)
		}
	}
}
