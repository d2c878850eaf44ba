package i18n_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"text/template"

	"maildoctor.app/maildoctor/assets"
	"maildoctor.app/maildoctor/i18n"
)

func load(t *testing.T) *i18n.Catalog {
	t.Helper()
	c, err := i18n.Load(assets.Translations, "translation")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Every language has exactly the keys English has, and every message is a
// valid template.
func TestLanguagesComplete(t *testing.T) {
	c := load(t)
	want := c.Keys("en")
	if got := c.Languages(); strings.Join(got, ",") != "en,it" {
		t.Fatalf("Languages() = %v, want en and it", got)
	}
	for _, lang := range c.Languages() {
		for _, k := range want {
			if !c.Has(lang, k) {
				t.Errorf("%s: missing %q", lang, k)
			}
		}
		for _, k := range c.Keys(lang) {
			if !c.Has("en", k) {
				t.Errorf("%s: %q is not in en.json", lang, k)
			}
		}
	}
	for _, lang := range c.Languages() {
		data, err := assets.Translations.ReadFile("translation/" + lang + ".json")
		if err != nil {
			t.Fatal(err)
		}
		msgs := map[string]string{}
		if err := json.Unmarshal(data, &msgs); err != nil {
			t.Fatal(err)
		}
		for k, m := range msgs {
			if _, err := template.New(k).Parse(m); err != nil {
				t.Errorf("%s %s: %v", lang, k, err)
			}
		}
	}
}

// findingCall matches the finding ids logic code creates from a literal,
// and findingConst the constants of detect/finding/ids.go that it uses
// instead.
var (
	findingCall  = regexp.MustCompile(`(?:finding\.New|\.fail)\(\s*"([a-z0-9_]+\.[a-z0-9_.]+)"`)
	findingConst = regexp.MustCompile(`(?m)^\s*[A-Z]\w*\s*=\s*"([a-z0-9_]+\.[a-z0-9_.]+)"`)
)

// Every finding the code can produce has a title and a detail in every
// language, so no user ever sees a bare id.
func TestEveryFindingTranslated(t *testing.T) {
	c := load(t)
	ids := findingIDs(t, "..")
	if len(ids) < 25 {
		t.Fatalf("found only %d finding ids in the code: the scan is broken", len(ids))
	}
	for _, id := range ids {
		for _, lang := range c.Languages() {
			for _, part := range []string{".title", ".detail"} {
				if !c.Has(lang, id+part) {
					t.Errorf("%s: finding %s has no %s", lang, id, part)
				}
			}
		}
	}
}

func findingIDs(t *testing.T, root string) []string {
	t.Helper()
	seen := map[string]bool{}
	err := filepath.Walk(root, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range findingCall.FindAllStringSubmatch(string(src), -1) {
			seen[m[1]] = true
		}
		if filepath.ToSlash(path) == filepath.ToSlash(filepath.Join(root, "detect/finding/ids.go")) {
			for _, m := range findingConst.FindAllStringSubmatch(string(src), -1) {
				seen[m[1]] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for id := range seen {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

func TestRender(t *testing.T) {
	c := load(t)
	it := c.For("it_IT.UTF-8")
	if it.Lang() != "it" {
		t.Fatalf("For(it_IT.UTF-8).Lang() = %q", it.Lang())
	}
	got := it.T("tcp.refused.title", map[string]string{"port": "993"})
	if got != "Nessuno risponde sulla porta 993" {
		t.Errorf("T = %q", got)
	}
	en := c.For("de_DE")
	if en.Lang() != "en" {
		t.Errorf("unknown language should fall back to English, got %q", en.Lang())
	}
	if got := en.T("auth.skipped.detail", map[string]string{"reason": "no_password"}); !strings.Contains(got, "No password") {
		t.Errorf("conditional template: %q", got)
	}
	if got := en.T("no.such.key", nil); got != "no.such.key" {
		t.Errorf("missing key renders as %q", got)
	}
}
