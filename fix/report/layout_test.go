package report

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"maildoctor.app/maildoctor/internal/safetext"
)

// markdownLive finds what a Markdown viewer would make a link, an image,
// HTML or an entity in a line of Render's output.
var markdownLive = regexp.MustCompile(`(^|[^\\])(\]\(|<|&)|https?://|(?i)www\.`)

// FuzzDecodeRender reaches behind the checksum (as FuzzDecodeContent) and
// checks what an agent is shown of any report a code can hold: every text
// of the layout and of the Markdown is free of control and format
// characters, the Markdown has no live link, image or HTML, and the JSON
// is JSON.
func FuzzDecodeRender(f *testing.F) {
	for _, seed := range []string{
		`{"format":1,"app_version":"\u001b]0;x\u0007","check":{"email":"a\u202eb@c","verdict":"\u009b","discovery":{"source":"[x](javascript:y)"},` +
			`"endpoints":[{"protocol":"<img src=https://t/i>","host":"www.evil.example","port":1,"security":"\u2066","tls":{"negotiated":"1.3\n# h","versions":{"x\u0085":true}}}],` +
			`"findings":[{"id":"a` + "`" + `![i](https://t/p)","severity":"\u001b[2J","args":{"k":"v"}},{"id":"cert.untrusted","severity":"fail","args":{"issuer":"\u001b[31m&#x202e;"}}]},` +
			`"computer":{"os":{"name":"\ufeffW","tls":{"1.2":"<b>"}},"clients":[{"name":"O\u2028x","accounts":[{"email":"e","incoming":{"protocol":"imap","host":"h\u0000","security":"tls"}}]}]},` +
			`"timings":[{"name":"\u200bcheck","ms":1}]}`,
		`{"format":1,"check":{"findings":[{"id":"tcp.timeout","severity":"fail","args":{"port":"\u001b]8;;https://e\u001b\\x\u001b]8;;\u001b\\"}}]}}`,
	} {
		f.Add(deflate(f, []byte(seed)), false)
	}
	trs := translators(f)
	f.Fuzz(func(t *testing.T, data []byte, compress bool) {
		if compress {
			data = deflate(t, data)
		}
		rep, err := Decode(frame(data))
		if err != nil {
			return
		}
		for lang, tr := range trs {
			for _, b := range Layout(rep, tr).Blocks {
				texts := append([]string{b.Text}, b.Header...)
				for _, r := range b.Rows {
					texts = append(texts, r...)
				}
				if v := b.Finding; v != nil {
					texts = append(texts, v.Title, v.Detail, v.Evidence, v.Endpoint, v.ID)
				}
				for _, s := range texts {
					if !safetext.Clean(s) || strings.ContainsAny(s, "\n\t") {
						t.Fatalf("%s: the layout shows %q", lang, s)
					}
				}
			}
			var md bytes.Buffer
			if err := Render(&md, rep, tr); err != nil {
				t.Fatal(err)
			}
			if !safetext.Clean(md.String()) {
				t.Fatalf("%s: control or format characters in the Markdown: %q", lang, md.String())
			}
			for _, l := range strings.Split(md.String(), "\n") {
				if m := markdownLive.FindString(l); m != "" {
					t.Fatalf("%s: live Markdown %q in %q", lang, m, l)
				}
			}
			var js bytes.Buffer
			if err := WriteJSON(&js, rep, tr); err != nil {
				t.Fatal(err)
			}
			if !json.Valid(js.Bytes()) {
				t.Fatalf("%s: WriteJSON wrote no JSON", lang)
			}
		}
	})
}

// Values a report should not hold are named as unknown, in the agent's
// language, with the raw value made harmless and short.
func TestLayoutUnknownValues(t *testing.T) {
	rep := &Report{Format: Format, Computer: &Computer{
		OS: OS{Name: "W", TLS: map[string]string{"1.2": "sideways", "9\u202e": "default"}},
		Clients: []Client{{Name: "O", Accounts: []Account{{Email: "e@x", Incoming: &Server{
			Protocol: "gopher", Host: "h", Port: 70, Security: strings.Repeat("x", 500)}}}}},
	}}
	for lang, want := range map[string][]string{
		"en": {"TLS 1.2 unknown (sideways)", "TLS unknown (9) on", "unknown (gopher) h:70 unknown (xxx"},
		"it": {"TLS 1.2 sconosciuto (sideways)", "sconosciuto (gopher) h:70 sconosciuto (xxx"},
	} {
		var b bytes.Buffer
		if err := Render(&b, rep, translators(t)[lang]); err != nil {
			t.Fatal(err)
		}
		for _, w := range want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%s: no %q in\n%s", lang, w, b.String())
			}
		}
		if strings.Contains(b.String(), strings.Repeat("x", 100)) {
			t.Errorf("%s: an unknown value is not cut short", lang)
		}
	}
}
