// Package downloadpage writes dist/index.html, the page a provider puts
// beside the release files: it offers each visitor the one file for their
// system in a big button, says what happens after the click, and lists
// every file for everyone else (that list is all the page is with scripts
// off). Its words come from the app's translation files (keys download.*),
// its branding and links from the provider profile, and what it says
// about phones from the compatibility knowledge base, so the page and the
// app never disagree. The page is one self-contained file: no external
// scripts, styles, fonts or images.
package downloadpage

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"sort"
	"strings"

	"maildoctor.app/maildoctor/detect/compat"
	"maildoctor.app/maildoctor/detect/discover"
	"maildoctor.app/maildoctor/i18n"
)

//go:embed page.html.tmpl
var pageTemplate string

// File is one release file in the dist directory.
type File struct {
	Name   string
	Size   int64
	SHA256 string
}

// Input is everything the page is made from.
type Input struct {
	Profile *discover.Profile
	Catalog *i18n.Catalog
	KB      *compat.KB
	Version string
	// Signed says the .exe files carry an Authenticode signature; when
	// false the page warns of SmartScreen's "Windows protected your PC".
	Signed bool
	// Files are the files of the dist directory; those the page does not
	// know (screenshots, test output) are left out.
	Files []File
}

// Offer kinds: what the page recommends for one kind of visitor. The
// script in the page picks one by the same names.
var offerOrder = []string{"win10", "win7", "linux", "mac", "ios", "android", "oldwin", "other"}

// known release files, in the order of the "other downloads" list, with
// the translation key that says whom each is for.
var known = []struct{ name, forKey string }{
	{"maildoctor.exe", "download.file.win10"},
	{"maildoctor-windows-amd64.zip", "download.file.win10_zip"},
	{"maildoctor-legacy.exe", "download.file.win7"},
	{"maildoctor-legacy-windows-amd64.zip", "download.file.win7_zip"},
	{"maildoctor-linux-amd64.tar.xz", "download.file.linux"},
	{"maildoctor-macos-arm64.zip", "download.file.mac_arm64"},
	{"maildoctor-macos-x86_64.zip", "download.file.mac_x86_64"},
	{"compat.html", "download.file.compat"},
}

// ProductName is the name an Authenticode signature shows ("Program
// name" in Windows' dialogs): Mail Doctor and the profile's brand.
func ProductName(p *discover.Profile) string {
	brand := p.Provider.Brand
	if brand == "" {
		brand = p.DisplayName
	}
	switch {
	case brand == "":
		return "Mail Doctor"
	case strings.Contains(brand, "Mail Doctor"):
		return brand
	default:
		return "Mail Doctor (" + brand + ")"
	}
}

// ProviderURL is the provider's support page, else its first
// documentation page, else "".
func ProviderURL(p *discover.Profile) string {
	if p.Provider.SupportURL != "" {
		return p.Provider.SupportURL
	}
	for _, d := range p.Documentation {
		if d.URL != "" {
			return d.URL
		}
	}
	return ""
}

// listed is a known file present in dist, as the page shows it.
type listed struct {
	File
	For  string
	Size string
}

// offer is one kind of visitor's recommendation, in one language.
type offer struct {
	Kind   string
	File   *listed // nil: nothing to download for this system
	Button string
	Alt    *listed // a second choice (the zip, the Intel Mac build)
	AltFor string
	Expect []template.HTML
}

// lang is the whole page in one language.
type lang struct {
	Code, Other, OtherName string
	T                      func(key string, args ...string) string
	Files                  []listed
	Offers                 []offer
	SupportURL, Webmail    string
	DocURL, DocText        string
	Compat                 *listed
	Signed                 bool
}

// phoneRow is one row of a phone system for the page's script.
type phoneRow struct {
	Family  string `json:"family"`
	From    string `json:"from"`
	To      string `json:"to,omitempty"`
	Name    string `json:"name"`
	Verdict string `json:"verdict"`
}

// Render writes the page.
func Render(w io.Writer, in Input) error {
	if in.Profile == nil || in.Catalog == nil {
		return fmt.Errorf("downloadpage: a profile and the translations are needed")
	}
	byName := map[string]File{}
	for _, f := range in.Files {
		byName[f.Name] = f
	}
	phones, err := phoneRows(in)
	if err != nil {
		return err
	}
	phoneJSON, err := json.Marshal(phones)
	if err != nil {
		return err
	}
	brand := in.Profile.Provider.Brand
	if brand == "" {
		brand = in.Profile.DisplayName
	}
	var langs []lang
	// English first: the page's style shows it only when the address
	// ends in #en, and then hides the Italian that follows it.
	for _, code := range []string{"en", "it"} {
		tr := in.Catalog.For(code)
		t := func(key string, args ...string) string {
			m := map[string]string{"brand": brand, "version": in.Version, "min_tls": minTLS(in.Profile)}
			for i := 0; i+1 < len(args); i += 2 {
				m[args[i]] = args[i+1]
			}
			return tr.T(key, m)
		}
		l := lang{Code: code, T: t, Signed: in.Signed,
			SupportURL: ProviderURL(in.Profile), Webmail: in.Profile.Webmail}
		if code == "it" {
			l.Other, l.OtherName = "en", "English"
		} else {
			l.Other, l.OtherName = "it", "Italiano"
		}
		for _, d := range in.Profile.Documentation {
			if d.URL != "" {
				l.DocURL = d.URL
				l.DocText = d.Descr[code]
				if l.DocText == "" {
					l.DocText = d.Descr["en"]
				}
				break
			}
		}
		get := func(name string) *listed {
			for i := range l.Files {
				if l.Files[i].Name == name {
					return &l.Files[i]
				}
			}
			return nil
		}
		for _, k := range known {
			f, ok := byName[k.name]
			if !ok {
				continue
			}
			l.Files = append(l.Files, listed{File: f, For: t(k.forKey), Size: size(f.Size, code)})
		}
		l.Compat = get("compat.html")
		for _, kind := range offerOrder {
			l.Offers = append(l.Offers, makeOffer(kind, t, get, in.Signed))
		}
		langs = append(langs, l)
	}
	tmpl, err := template.New("page").Funcs(template.FuncMap{
		"html": func(s string) template.HTML { return template.HTML(s) },
	}).Parse(pageTemplate)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	err = tmpl.Execute(&b, map[string]interface{}{
		"Brand":   brand,
		"Version": in.Version,
		"Langs":   langs,
		"Phones":  template.JS(phoneJSON),
		// dist.sh writes SHA256SUMS after the page, covering it too.
		"HasSums": len(byName) > 0,
	})
	if err != nil {
		return err
	}
	_, err = w.Write(b.Bytes())
	return err
}

func makeOffer(kind string, t func(string, ...string) string, get func(string) *listed, signed bool) offer {
	o := offer{Kind: kind}
	esc := template.HTMLEscapeString
	// expect renders a translated step; {{.file}} becomes the file name
	// in <code> (the translations are the project's own, escaped here all
	// the same).
	expect := func(key string, file string) {
		s := t(key, "file", "@@FILE@@")
		s = esc(s)
		s = strings.ReplaceAll(s, "@@FILE@@", "<code>"+esc(file)+"</code>")
		o.Expect = append(o.Expect, template.HTML(s))
	}
	windows := func(exe, zip, buttonKey string) {
		o.File = get(exe)
		o.Button = t(buttonKey)
		o.Alt = get(zip)
		o.AltFor = t("download.alt.zip")
		if o.File == nil {
			return
		}
		expect("download.expect.windows.saved", exe)
		if signed {
			expect("download.expect.windows.signed", exe)
		} else {
			expect("download.expect.windows.smartscreen", exe)
			expect("download.expect.windows.run_anyway", exe)
		}
		expect("download.expect.windows.no_install", exe)
	}
	switch kind {
	case "win10":
		windows("maildoctor.exe", "maildoctor-windows-amd64.zip", "download.button.win10")
	case "win7":
		windows("maildoctor-legacy.exe", "maildoctor-legacy-windows-amd64.zip", "download.button.win7")
	case "linux":
		o.File = get("maildoctor-linux-amd64.tar.xz")
		o.Button = t("download.button.linux")
		if o.File != nil {
			expect("download.expect.linux.unpack", o.File.Name)
			expect("download.expect.linux.install", o.File.Name)
		}
	case "mac":
		o.File = get("maildoctor-macos-arm64.zip")
		o.Alt = get("maildoctor-macos-x86_64.zip")
		o.AltFor = t("download.alt.mac_intel")
		if o.File == nil && o.Alt != nil {
			o.File, o.Alt = o.Alt, nil
		}
		o.Button = t("download.button.mac")
		if o.File != nil {
			expect("download.expect.mac.open", o.File.Name)
			expect("download.expect.mac.first", o.File.Name)
		}
	}
	return o
}

// phoneRows are the Android and iOS rows with the verdict for the
// profile's servers: the page's script shows the one for the visitor's
// phone.
func phoneRows(in Input) ([]phoneRow, error) {
	if in.KB == nil {
		return nil, nil
	}
	min := minTLS(in.Profile)
	var out []phoneRow
	for _, fam := range []string{"android", "ios"} {
		f := in.KB.Family(fam)
		if f == nil {
			return nil, fmt.Errorf("downloadpage: the compatibility data has no %s", fam)
		}
		for _, r := range f.Rows {
			if r.From == "" {
				continue
			}
			v, err := in.KB.Evaluate(compat.Query{OS: r.ID, ServerMinTLS: min, STARTTLSClosed: true})
			if err != nil {
				return nil, fmt.Errorf("downloadpage: %s: %w", r.ID, err)
			}
			out = append(out, phoneRow{Family: fam, From: r.From, To: r.To, Name: r.Name, Verdict: string(v.Verdict)})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Family < out[j].Family })
	return out, nil
}

// minTLS is the oldest TLS version the provider's servers accept: the
// profile's, else 1.2 (RFC 8996).
func minTLS(p *discover.Profile) string {
	if p.Provider.MinTLS != "" {
		return p.Provider.MinTLS
	}
	return "1.2"
}

// size is a file size in MB (1,000,000 bytes, as docs/release.md counts),
// with the language's decimal mark.
func size(n int64, code string) string {
	s := fmt.Sprintf("%.1f MB", float64(n)/1e6)
	if n < 100_000 {
		s = fmt.Sprintf("%d kB", (n+999)/1000)
	}
	if code == "it" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}
