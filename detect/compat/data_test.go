package compat

import (
	"encoding/json"
	"io/fs"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"maildoctor.app/maildoctor/assets"
	"maildoctor.app/maildoctor/i18n"
)

// builtinFiles copies the built-in data so that tests can break it.
func builtinFiles(t testing.TB) fstest.MapFS {
	t.Helper()
	sub, err := fs.Sub(assets.Compat, "compat")
	if err != nil {
		t.Fatal(err)
	}
	files := fstest.MapFS{}
	err = fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(sub, p)
		files[p] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestLoadRejectsBadData(t *testing.T) {
	cases := []struct {
		name, file, old, new, want string
	}{
		{"unknown state", "windows.json", `"1.2": "off", "1.3": "no"},
      "fix": {
        "1.1": [
          {"kind": "registry", "key": "compat.action.schannel_enable", "args": {"version": "1.1"}, "scope": "schannel"}`, `"1.2": "maybe", "1.3": "no"},
      "fix": {
        "1.1": [
          {"kind": "registry", "key": "compat.action.schannel_enable", "args": {"version": "1.1"}, "scope": "schannel"}`, "unknown state"},
		{"unknown field", "geary.json", `"confidence": "low"`, `"confidance": "low"`, "unknown field"},
		{"row without sources", "geary.json", `"sources": ["glib-networking source (GIO TLS backend)"]`, `"sources": []`, "sources"},
		{"bad version", "android.json", `"from": "5.0", "to": "9"`, `"from": "5.x", "to": "9"`, "not a number"},
		{"empty range", "android.json", `"from": "5.0", "to": "9"`, `"from": "9.1", "to": "5"`, "empty"},
		{"rows out of order", "android.json", `"from": "10", "to": "14"`, `"from": "4", "to": "14"`, "before the row above"},
		{"duplicate row id", "geary.json", `"id": "geary",
      "name"`, `"id": "kmail",
      "name"`, "twice"},
		{"unknown action kind", "thunderbird.json", `{"kind": "setting", "key": "compat.action.tb_pref", "args": {"pref": "security.tls.version.max", "value": "3"}}`, `{"kind": "pray", "key": "compat.action.tb_pref"}`, "action kind"},
		{"action key outside compat.", "thunderbird.json", `{"kind": "setting", "key": "compat.action.tb_pref", "args": {"pref": "security.tls.version.max", "value": "3"}}`, `{"kind": "setting", "key": "fix.step"}`, "compat.action."},
		{"fix for a version that is not off", "thunderbird.json", `"1.0": [{"kind": "setting"`, `"1.2": [{"kind": "setting"`, "not off"},
		{"cloud on a program with its own stack", "geary.json", `"1.3": "default"`, `"1.3": "cloud"`, "cloud"},
		{"enable on a system", "linux.json", `"1.2": "default"`, `"1.2": "enable"`, "enable"},
		{"unknown platform", "geary.json", `"platforms": ["linux"]`, `"platforms": ["beos"]`, "platform"},
		{"unknown stack", "geary.json", `"stack": "os"`, `"stack": "magic"`, "stack"},
		{"seed value", "ios.json", `"1.1": "NO", "1.2": "NO"`, `"1.1": "forse", "1.2": "NO"`, "SI, NO or parziale"},
		{"trailing garbage", "geary.json", "\n}\n", "\n}\n{}", "more than one"},
		{"not JSON", "geary.json", `{`, `[`, "geary.json"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			files := builtinFiles(t)
			data := string(files[c.file].Data)
			if !strings.Contains(data, c.old) {
				t.Fatalf("%s does not contain %q: the test is stale", c.file, c.old)
			}
			files[c.file] = &fstest.MapFile{Data: []byte(strings.Replace(data, c.old, c.new, 1))}
			_, err := Load(files)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Load = %v, want an error with %q", err, c.want)
			}
		})
	}
}

// A seed departure must be explained: without its seed_note the Windows 7
// row (off where the table says SI) is refused.
func TestLoadRequiresSeedNotes(t *testing.T) {
	files := builtinFiles(t)
	var fam map[string]interface{}
	if err := json.Unmarshal(files["windows.json"].Data, &fam); err != nil {
		t.Fatal(err)
	}
	for _, r := range fam["rows"].([]interface{}) {
		row := r.(map[string]interface{})
		if row["id"] == "windows-7" {
			delete(row, "seed_note")
		}
	}
	data, _ := json.Marshal(fam)
	files["windows.json"] = &fstest.MapFile{Data: data}
	if _, err := Load(files); err == nil || !strings.Contains(err.Error(), "seed_note") {
		t.Errorf("Load = %v, want a seed_note error", err)
	}
}

// The client ids live in ids.go; the data must have exactly those.
func TestLoadRequiresEveryClientID(t *testing.T) {
	files := builtinFiles(t)
	delete(files, "geary.json")
	if _, err := Load(files); err == nil || !strings.Contains(err.Error(), "client ids") {
		t.Errorf("Load without geary.json = %v, want a client id error", err)
	}
	kb := kbT(t)
	for _, id := range ClientIDs() {
		if f := kb.Family(id); f == nil || f.Kind != KindClient {
			t.Errorf("client id %q has no client family", id)
		}
	}
	for _, id := range OSFamilies() {
		if f := kb.Family(id); f == nil || f.Kind != KindOS {
			t.Errorf("OS family %q has no data", id)
		}
	}
}

// A program whose rows follow the system's version (Apple Mail) must break
// only where the system's rows break, or a system row without a version
// could not pick the program's row.
func TestOSAxisBoundaries(t *testing.T) {
	kb := kbT(t)
	for _, f := range kb.Families() {
		if f.Axis != AxisOS {
			continue
		}
		starts := map[string]bool{}
		for _, r := range kb.Family(f.Platforms[0]).Rows {
			if r.span.from != nil {
				starts[r.span.from.String()] = true
			}
		}
		for _, r := range f.Rows[1:] {
			if !starts[r.span.from.String()] {
				t.Errorf("%s starts at %s, where no %s row starts", r.ID, r.From, f.Platforms[0])
			}
		}
	}
}

var keyPattern = regexp.MustCompile(`"(compat\.[a-z_.0-9]+)"`)

// Every text the data and the code can ask for exists in every language.
func TestEveryKeyTranslated(t *testing.T) {
	cat, err := i18n.Load(assets.Translations, "translation")
	if err != nil {
		t.Fatal(err)
	}
	need := map[string]bool{}
	kb := kbT(t)
	for _, f := range kb.Families() {
		for _, r := range f.Rows {
			for _, acts := range r.Fix {
				for _, a := range acts {
					need[a.Key] = true
					need["compat.kind."+a.Kind] = true
				}
			}
			for _, a := range append(append([]Action(nil), r.Requires...), r.Advice...) {
				need[a.Key] = true
			}
			for _, s := range r.TLS {
				need["compat.cell."+string(s)] = true
				need["compat.reason.tls."+string(s)] = true
			}
		}
	}
	for _, k := range []string{"works", "needs_action", "unsupported", "unknown", "system"} {
		need["compat.table.verdict."+k] = true
	}
	delete(need, "compat.reason.tls.enable") // combined away before a reason is written
	for _, file := range []string{"evaluate.go", "reasons.go", "table.go"} {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range keyPattern.FindAllStringSubmatch(string(src), -1) {
			if !strings.HasSuffix(m[1], ".") {
				need[m[1]] = true
			}
		}
	}
	var keys []string
	for k := range need {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) < 40 {
		t.Fatalf("only %d keys found: the scan is broken", len(keys))
	}
	for _, lang := range cat.Languages() {
		for _, k := range keys {
			if !cat.Has(lang, k) {
				t.Errorf("%s: %s is missing", lang, k)
			}
		}
	}
}
