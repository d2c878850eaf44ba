package compat

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"maildoctor.app/maildoctor/assets"
	"maildoctor.app/maildoctor/i18n"
)

// chromiumPage finds Debian's headless Chromium and the published page, or
// skips: make test-dist builds dist/compat.html, installs chromium and sets
// MAILDOCTOR_DIST (as for the download page).
func chromiumPage(t *testing.T) (bin, page string) {
	dir := os.Getenv("MAILDOCTOR_DIST")
	if dir == "" {
		t.Skip("MAILDOCTOR_DIST not set: make test-dist renders compat.html in Chromium")
	}
	bin, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("chromium is not installed (scripts/install-deps.sh build chromium)")
	}
	page = filepath.Join(dir, "compat.html")
	if _, err := os.Stat(page); err != nil {
		t.Fatal(err)
	}
	return bin, page
}

// frameProbe is what the wrapper page reads from one 360 px frame.
type frameProbe struct {
	ScrollWidth int      `json:"sw"`
	Display     []string `json:"display"` // main#it, main#en
	Verdict     string   `json:"verdict"`
	Steps       []string `json:"steps"`
	Visible     []string `json:"visible"` // ids of the rows shown
}

// probeFrames loads the page at 360 px in iframes (headless Chromium will
// not make its own window narrower than 500 px) and reads each frame once
// its script ran.
func probeFrames(t *testing.T, bin, page string, srcs []string) []frameProbe {
	t.Helper()
	dir := t.TempDir()
	b, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "compat.html"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	var frames strings.Builder
	for _, s := range srcs {
		frames.WriteString(`<iframe src="compat.html` + s + `" style="width:360px;height:700px;border:0"></iframe>`)
	}
	wrapper := `<!DOCTYPE html><html><body style="margin:0">` + frames.String() + `<pre id="out"></pre>
<script>
window.onload = function () {
	var out = [];
	var fs = document.getElementsByTagName("iframe");
	for (var i = 0; i < fs.length; i++) {
		var d = fs[i].contentDocument, w = fs[i].contentWindow;
		var shown = null, display = [];
		["it", "en"].forEach(function (id) {
			var m = d.getElementById(id);
			var s = w.getComputedStyle(m).display;
			display.push(s);
			if (s !== "none") shown = m;
		});
		var p = {sw: d.documentElement.scrollWidth, display: display, verdict: "", steps: [], visible: []};
		if (shown) {
			var v = shown.querySelector(".answer p.v");
			if (v) p.verdict = v.textContent;
			shown.querySelectorAll(".answer ol li").forEach(function (li) { p.steps.push(li.textContent); });
			shown.querySelectorAll("tbody tr").forEach(function (tr) { if (!tr.hidden) p.visible.push(tr.id); });
		}
		out.push(p);
	}
	document.getElementById("out").textContent = JSON.stringify(out);
};
</script></body></html>`
	wpath := filepath.Join(dir, "wrapper.html")
	if err := os.WriteFile(wpath, []byte(wrapper), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--hide-scrollbars", "--allow-file-access-from-files", "--user-data-dir="+t.TempDir(),
		"--dump-dom", "file://"+wpath)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	dom, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v\n%s", err, stderr.String())
	}
	doc, err := html.Parse(bytes.NewReader(dom))
	if err != nil {
		t.Fatal(err)
	}
	var got string
	walk(doc, func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "pre" && attrOf(n, "id") == "out" {
			got = textOf(n)
		}
	})
	var probes []frameProbe
	if err := json.Unmarshal([]byte(got), &probes); err != nil || len(probes) != len(srcs) {
		t.Fatalf("the frames gave %q: %v", got, err)
	}
	return probes
}

// In a real browser at 360 px: nothing scrolls sideways, Italian is shown
// unless the address asks for English (also through an English row's
// anchor), the picker answers Windows 7 + Outlook 2010 with the SChannel
// step first, and the search box hides the rows that do not match.
func TestChromiumCompatPage(t *testing.T) {
	bin, page := chromiumPage(t)
	cat, err := i18n.Load(assets.Translations, "translation")
	if err != nil {
		t.Fatal(err)
	}
	pick := "?os=windows-7&program=outlook-2010"
	probes := probeFrames(t, bin, page, []string{pick, pick + "#en", "#en-windows-7", "?q=outlook+2010", "#windows-xp"})
	for i, p := range probes {
		if p.ScrollWidth > 360 {
			t.Errorf("frame %d: scrollWidth %d > 360: the page scrolls sideways on a phone", i, p.ScrollWidth)
		}
	}
	wantShown := []string{"it", "en", "en", "it", "it"}
	for i, p := range probes {
		shown := "it"
		if p.Display[0] == "none" {
			shown = "en"
		}
		if (p.Display[0] == "none") == (p.Display[1] == "none") || shown != wantShown[i] {
			t.Errorf("frame %d: display it=%s en=%s, want only %s", i, p.Display[0], p.Display[1], wantShown[i])
		}
	}
	for i, lang := range []string{"it", "en"} {
		p := probes[i]
		if want := cat.For(lang).T("compat.verdict.needs_action", nil); p.Verdict != want {
			t.Errorf("%s: Windows 7 + Outlook 2010 says %q, want %q", lang, p.Verdict, want)
		}
		if len(p.Steps) < 2 || !strings.Contains(p.Steps[0], `SCHANNEL\Protocols\TLS 1.2\Client`) {
			t.Errorf("%s: the steps do not start with the SChannel key: %q", lang, p.Steps)
		}
	}
	vis := strings.Join(probes[3].Visible, " ")
	if !strings.Contains(vis, "outlook-2010") || strings.Contains(vis, "windows-7") || strings.Contains(vis, "thunderbird") {
		t.Errorf("searching outlook 2010 shows %s", vis)
	}
}

// Screenshots of the picker's answer for Windows 7 + Outlook 2010, at a
// desk and on a phone, in both languages: into MAILDOCTOR_SHOTS when set
// (make compat-shots: docs/screenshots), else next to the page.
func TestChromiumCompatScreenshots(t *testing.T) {
	bin, page := chromiumPage(t)
	dir := os.Getenv("MAILDOCTOR_SHOTS")
	if dir == "" {
		dir = filepath.Dir(page)
	}
	for _, s := range []struct {
		lang, hash string
		w, h       int
	}{{"it", "", 1280, 1500}, {"en", "#en", 1280, 1500}, {"it", "", 390, 2200}, {"en", "#en", 390, 2200}} {
		out := filepath.Join(dir, "compat-"+s.lang+"-"+strconv.Itoa(s.w)+".png")
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
			"--hide-scrollbars", "--user-data-dir="+t.TempDir(),
			"--window-size="+strconv.Itoa(s.w)+","+strconv.Itoa(s.h), "--screenshot="+out,
			"file://"+page+"?os=windows-7&program=outlook-2010"+s.hash)
		msg, err := cmd.CombinedOutput()
		cancel()
		if fi, serr := os.Stat(out); err != nil || serr != nil || fi.Size() == 0 {
			t.Errorf("screenshot %s: %v %v\n%s", out, err, serr, msg)
		}
	}
}
