package downloadpage

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// User agents as the browsers send them. Windows 11 sends the same string
// as Windows 10 (only client hints tell them apart), and Chrome on Android
// always says "Android 10; K" since its user-agent reduction.
const (
	uaWin7    = "Mozilla/5.0 (Windows NT 6.1; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Safari/537.36"
	uaWin81   = "Mozilla/5.0 (Windows NT 6.3; Win64; x64; rv:115.0) Gecko/20100101 Firefox/115.0"
	uaWin10   = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0"
	uaWin11   = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
	uaXP      = "Mozilla/5.0 (Windows NT 5.1; rv:52.0) Gecko/20100101 Firefox/52.0"
	uaUbuntu  = "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
	uaMac     = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15"
	uaIPhone  = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
	uaIPhone9 = "Mozilla/5.0 (iPhone; CPU iPhone OS 9_3_5 like Mac OS X) AppleWebKit/601.1.46 (KHTML, like Gecko) Version/9.0 Mobile/13G36 Safari/601.1"
	uaIPhone4 = "Mozilla/5.0 (iPhone; U; CPU iPhone OS 4_3_3 like Mac OS X; en-us) AppleWebKit/533.17.9 (KHTML, like Gecko) Version/5.0.2 Mobile/8J2 Safari/6533.18.5"
	uaAndroid = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36"
	uaAndr44  = "Mozilla/5.0 (Linux; Android 4.4.2; GT-I9505 Build/KOT49H) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/34.0.1847.114 Mobile Safari/537.36"
)

// chromium finds Debian's headless browser, or skips: make test-dist
// installs it and sets MAILDOCTOR_DIST.
func chromium(t *testing.T) (string, string) {
	dir := os.Getenv("MAILDOCTOR_DIST")
	if dir == "" {
		t.Skip("MAILDOCTOR_DIST not set: run make test-dist to check the download page in Chromium")
	}
	bin, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("chromium is not installed (scripts/install-deps.sh build chromium)")
	}
	page := filepath.Join(dir, "index.html")
	if _, err := os.Stat(page); err != nil {
		t.Fatal(err)
	}
	return bin, page
}

// dumpDOM renders page?query in headless Chromium with this user agent and
// returns the DOM after the page's script ran.
func dumpDOM(t *testing.T, bin, page, ua, query string, extra ...string) *html.Node {
	t.Helper()
	u := url.URL{Scheme: "file", Path: page, RawQuery: query}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	args := []string{"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--user-data-dir=" + t.TempDir(), "--user-agent=" + ua}
	args = append(args, extra...)
	args = append(args, "--dump-dom", u.String())
	cmd := exec.CommandContext(ctx, bin, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v\n%s", err, stderr.String())
	}
	doc, err := html.Parse(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func hasClass(n *html.Node, c string) bool {
	v, _ := attr(n, "class")
	for _, f := range strings.Fields(v) {
		if f == c {
			return true
		}
	}
	return false
}

func find(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// shown is what one language's part of the page offers after the script:
// the visible offer's kind, its big button's target, its words.
type shown struct {
	pickVisible bool
	kind        string
	button      string
	text        string
	openLink    string // the "then open this link" step, "" when hidden
}

func offered(t *testing.T, doc *html.Node, lang string) shown {
	t.Helper()
	mains := find(doc, func(n *html.Node) bool { v, _ := attr(n, "id"); return n.Data == "main" && v == lang })
	if len(mains) != 1 {
		t.Fatalf("no <main id=%s>", lang)
	}
	var s shown
	pick := find(mains[0], func(n *html.Node) bool { return hasClass(n, "pick") })
	if len(pick) != 1 {
		t.Fatal("no .pick section")
	}
	_, hidden := attr(pick[0], "hidden")
	s.pickVisible = !hidden
	var visible []*html.Node
	for _, o := range find(pick[0], func(n *html.Node) bool { return hasClass(n, "offer") }) {
		if _, h := attr(o, "hidden"); !h {
			visible = append(visible, o)
		}
	}
	if !s.pickVisible {
		return s
	}
	if len(visible) != 1 {
		t.Fatalf("%d offers visible, want 1", len(visible))
	}
	s.kind, _ = attr(visible[0], "data-os")
	if b := find(visible[0], func(n *html.Node) bool { return n.Data == "a" && hasClass(n, "big") }); len(b) > 0 {
		s.button, _ = attr(b[0], "href")
	}
	for _, n := range find(visible[0], func(n *html.Node) bool { _, h := attr(n, "hidden"); return !h && (n.Data == "p" || n.Data == "li") }) {
		s.text += text(n) + "\n"
	}
	then := find(pick[0], func(n *html.Node) bool { return hasClass(n, "then") })
	if _, h := attr(then[0], "hidden"); !h {
		link := find(then[0], func(n *html.Node) bool { return hasClass(n, "open-link") })
		s.openLink, _ = attr(link[0], "href")
	}
	return s
}

func TestChromiumOffers(t *testing.T) {
	bin, page := chromium(t)
	webmail := "https://webmail.maildoctor.example/"
	for _, tc := range []struct {
		name, ua, kind, button string
		says                   []string // in the Italian text of the offer
	}{
		{"Windows 7", uaWin7, "win7", "maildoctor-legacy.exe", []string{"Windows 7", "maildoctor-legacy.exe", "Download"}},
		{"Windows 8.1", uaWin81, "win7", "maildoctor-legacy.exe", []string{"Windows 8.1"}},
		{"Windows 10", uaWin10, "win10", "maildoctor.exe", []string{"Windows 10/11", "maildoctor.exe"}},
		{"Windows 11", uaWin11, "win10", "maildoctor.exe", []string{"maildoctor.exe"}},
		{"Windows XP", uaXP, "oldwin", webmail, []string{"Windows XP", "webmail"}},
		{"Ubuntu", uaUbuntu, "linux", "maildoctor-linux-amd64.tar.xz", []string{"Ubuntu", "install.sh"}},
		{"Linux on ARM", "Mozilla/5.0 (X11; Linux aarch64; rv:128.0) Gecko/20100101 Firefox/128.0", "other", "", []string{"dall'elenco"}},
		{"ChromeOS", "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "other", "", nil},
		{"macOS", uaMac, "mac", macButton(page, webmail), []string{"macOS 10.15"}},
		{"iPhone", uaIPhone, "ios", webmail, []string{"iPhone (iOS 17.4)", "può usare le connessioni sicure", "993"}},
		{"iPhone, iOS 9", uaIPhone9, "ios", webmail, []string{"iOS 9.3.5", "può usare le connessioni sicure"}},
		{"iPhone, iOS 4", uaIPhone4, "ios", webmail, []string{"iOS 4.3.3", "non può usare"}},
		{"Android", uaAndroid, "android", webmail, []string{"Android", "può usare le connessioni sicure"}},
		{"Android 4.4", uaAndr44, "android", webmail, []string{"Android 4.4.2", "non può usare"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := dumpDOM(t, bin, page, tc.ua, "")
			for _, lang := range []string{"it", "en"} {
				s := offered(t, doc, lang)
				if !s.pickVisible || s.kind != tc.kind || s.button != tc.button {
					t.Errorf("%s: offered %q with a button to %q (pick shown %v), want %q and %q",
						lang, s.kind, s.button, s.pickVisible, tc.kind, tc.button)
				}
				if lang != "it" {
					continue
				}
				for _, w := range tc.says {
					if !strings.Contains(s.text, w) {
						t.Errorf("the offer does not say %q:\n%s", w, s.text)
					}
				}
				if !signed(page) && (tc.kind == "win7" || tc.kind == "win10") &&
					!strings.Contains(s.text, "Esegui comunque") {
					t.Errorf("unsigned, and no word of SmartScreen's Run anyway:\n%s", s.text)
				}
			}
		})
	}
}

func signed(page string) bool {
	b, _ := os.ReadFile(page)
	return !bytes.Contains(b, []byte(`class="warn"`))
}

// macButton is what a Mac is offered: its build when the provider put one
// in dist, else webmail.
func macButton(page, webmail string) string {
	if _, err := os.Stat(filepath.Join(filepath.Dir(page), "maildoctor-macos-arm64.zip")); err == nil {
		return "maildoctor-macos-arm64.zip"
	}
	return webmail
}

// An agent's link with ?email= leads to a maildoctor://open link with the
// address; anything that is not an address is dropped.
func TestChromiumEmailPrefill(t *testing.T) {
	bin, page := chromium(t)
	s := offered(t, dumpDOM(t, bin, page, uaWin7, "email=mario.rossi%40example.it"), "it")
	if want := "maildoctor://open?email=mario.rossi%40example.it&lang=it"; s.openLink != want {
		t.Errorf("open link %q, want %q", s.openLink, want)
	}
	for _, q := range []string{"email=%3Cscript%3Ealert(1)%3C%2Fscript%3E", "email=a%40b%0Aimap%3Devil", "email=", "email=%E0%A4%A"} {
		if s := offered(t, dumpDOM(t, bin, page, uaWin10, q), "it"); s.openLink != "" {
			t.Errorf("%s: open link %q, want none", q, s.openLink)
		}
	}
	// Phones get no app, so no link to it.
	if s := offered(t, dumpDOM(t, bin, page, uaIPhone, "email=mario.rossi%40example.it"), "it"); s.openLink != "" {
		t.Errorf("iPhone: open link %q, want none", s.openLink)
	}
}

// With scripts off the page is the plain list of every file. With scripts
// off the DOM is the file as parsed (Chromium's --dump-dom prints nothing
// when scripts are disabled), so the file is read as a browser parses it;
// scripts/test-dist-page.sh takes a screenshot of it without scripts.
func TestScriptsOff(t *testing.T) {
	_, page := chromium(t)
	b, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	s := offered(t, doc, "it")
	if s.pickVisible {
		t.Error("the recommendation shows with scripts off")
	}
	entries, err := os.ReadDir(filepath.Dir(page))
	if err != nil {
		t.Fatal(err)
	}
	var links []string
	for _, a := range find(doc, func(n *html.Node) bool { return n.Data == "a" }) {
		if v, ok := attr(a, "href"); ok {
			links = append(links, v)
		}
	}
	all := strings.Join(links, " ")
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, "maildoctor") && name != "compat.html" && name != "SHA256SUMS" {
			continue
		}
		if !strings.Contains(all, name) {
			t.Errorf("no link to %s with scripts off", name)
		}
	}
}

// Client hints refine what the user agent says: Windows 11 from 10, the
// Android version behind Chrome's reduced user agent, and never a system
// other than the user agent's. Chromium's command line cannot set client
// hints, so a copy of the page gets a stand-in navigator.userAgentData
// before its own script.
func TestChromiumClientHints(t *testing.T) {
	bin, page := chromium(t)
	orig, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, ua, platform, version, kind, button, sys string
	}{
		{"Windows 11", uaWin11, "Windows", "15.0.0", "win10", "maildoctor.exe", "Windows 11"},
		{"Windows 10", uaWin10, "Windows", "10.0.0", "win10", "maildoctor.exe", "Windows 10"},
		{"Android 14", uaAndroid, "Android", "14.0.0", "android", "https://webmail.maildoctor.example/", "Android 14"},
		{"hints that disagree", uaWin10, "Linux", "6.1.0", "win10", "maildoctor.exe", "Windows 10/11"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stub := `<script>Object.defineProperty(navigator, "userAgentData", {value: {platform: "` + tc.platform +
				`", getHighEntropyValues: function () { return Promise.resolve({platform: "` + tc.platform +
				`", platformVersion: "` + tc.version + `", architecture: "x86"}); }}});</script>`
			copyPage := filepath.Join(t.TempDir(), "index.html")
			b := bytes.Replace(orig, []byte("<script>\n"), []byte(stub+"\n<script>\n"), 1)
			if err := os.WriteFile(copyPage, b, 0o644); err != nil {
				t.Fatal(err)
			}
			doc := dumpDOM(t, bin, copyPage, tc.ua, "")
			s := offered(t, doc, "it")
			if s.kind != tc.kind || s.button != tc.button || !strings.Contains(s.text, tc.sys+"\n") {
				t.Errorf("offered %q, button %q, text:\n%s\nwant %q, %q, system %q", s.kind, s.button, s.text, tc.kind, tc.button, tc.sys)
			}
		})
	}
}
