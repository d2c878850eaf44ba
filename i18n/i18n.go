// Package i18n renders the translation files in assets/translation for code
// that does not run inside Fyne (the command line, reports). The files are the
// ones fyne.io/fyne/v2/lang loads in the app, with the same {{.Name}}
// placeholders, so a text is written once for both.
package i18n

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"text/template"
)

// Fallback is the language used for keys a translation lacks.
const Fallback = "en"

// Catalog holds every language's messages.
type Catalog struct {
	langs map[string]map[string]string
}

// Load reads every <lang>.json under dir of fsys.
func Load(fsys fs.FS, dir string) (*Catalog, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("reading translations: %w", err)
	}
	c := &Catalog{langs: map[string]map[string]string{}}
	for _, e := range entries {
		if e.IsDir() || path.Ext(e.Name()) != ".json" {
			continue
		}
		data, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("reading translation %s: %w", e.Name(), err)
		}
		msgs := map[string]string{}
		if err := json.Unmarshal(data, &msgs); err != nil {
			return nil, fmt.Errorf("translation %s: %w", e.Name(), err)
		}
		c.langs[strings.TrimSuffix(e.Name(), ".json")] = msgs
	}
	if _, ok := c.langs[Fallback]; !ok {
		return nil, fmt.Errorf("translations: %s.json is missing", Fallback)
	}
	return c, nil
}

// Languages lists the languages the catalog has, sorted.
func (c *Catalog) Languages() []string {
	var out []string
	for l := range c.langs {
		out = append(out, l)
	}
	sort.Strings(out)
	return out
}

// Supports reports whether lang (a code as "it" or "en") is one of the
// catalog's languages.
func (c *Catalog) Supports(lang string) bool {
	_, ok := c.langs[lang]
	return ok
}

// Keys lists every key of one language, sorted.
func (c *Catalog) Keys(lang string) []string {
	var out []string
	for k := range c.langs[lang] {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Has reports whether lang defines key.
func (c *Catalog) Has(lang, key string) bool {
	_, ok := c.langs[lang][key]
	return ok
}

// Translator renders one language, falling back to English key by key.
type Translator struct {
	cat  *Catalog
	lang string
}

// For returns the translator for lang ("it", "it_IT", "it-IT.UTF-8" all
// mean Italian); an unknown language gets English.
func (c *Catalog) For(lang string) Translator {
	base := strings.ToLower(lang)
	if i := strings.IndexAny(base, "_-.@"); i >= 0 {
		base = base[:i]
	}
	if _, ok := c.langs[base]; !ok {
		base = Fallback
	}
	return Translator{cat: c, lang: base}
}

// Lang is the language this translator renders.
func (t Translator) Lang() string { return t.lang }

// T renders key with args. A missing key renders as the key itself, so a gap
// shows up in the output instead of an empty line; the catalog tests catch it
// before release.
func (t Translator) T(key string, args map[string]string) string {
	msg, ok := t.cat.langs[t.lang][key]
	if !ok {
		msg, ok = t.cat.langs[Fallback][key]
	}
	if !ok {
		return key
	}
	if !strings.Contains(msg, "{{") {
		return msg
	}
	tmpl, err := template.New(key).Option("missingkey=zero").Parse(msg)
	if err != nil {
		return msg
	}
	var b bytes.Buffer
	if err := tmpl.Execute(&b, args); err != nil {
		return msg
	}
	return strings.ReplaceAll(b.String(), "<no value>", "")
}
