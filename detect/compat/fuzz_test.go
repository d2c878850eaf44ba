package compat

import (
	"bytes"
	"testing"
	"testing/fstest"
)

// The matcher takes whatever a person or a support link types: it must
// never panic, bound its work, and only return rows that exist.
func FuzzMatch(f *testing.F) {
	for _, s := range []string{"win7", "Windows 7 SP1", "windows sette", "outlook 2k10", "iPhone iOS 9.3",
		"android 4.4.2", "macosx 10.6.8", "windows 10.0.22000", "k-9 mail 5.600", "2k99", "sp99999",
		"ßßß", "\x00\xff", "9.9.9.9.9.9.9", "99999999999999999999", "android api 19", "el capitan"} {
		f.Add(s)
	}
	kb := kbT(f)
	f.Fuzz(func(t *testing.T, text string) {
		if n := len(tokenize(text)); n > maxInput {
			t.Fatalf("%d tokens from %d bytes: the input bound does not hold", n, len(text))
		}
		if o, _, err := kb.MatchOS(text); err == nil {
			if kb.Row(o.ID) == nil {
				t.Fatalf("MatchOS(%q) = unknown row %q", text, o.ID)
			}
			if _, err := kb.Evaluate(Query{OS: o.Ref(), OSVersion: o.Version}); err != nil {
				t.Fatalf("MatchOS(%q) = %+v, which Evaluate refuses: %v", text, o, err)
			}
		}
		if c, _, err := kb.MatchClient(text); err == nil {
			if kb.Family(c.ID) == nil || (c.Row != "" && kb.Row(c.Row) == nil) {
				t.Fatalf("MatchClient(%q) = unknown %+v", text, c)
			}
		}
	})
}

// The loader reads files a provider may edit: broken data is an error,
// never a panic, and whatever loads can be evaluated and published.
func FuzzLoad(f *testing.F) {
	files := builtinFiles(f)
	for _, name := range []string{"windows.json", "thunderbird.json", "airwatch.json", "apple-mail.json"} {
		f.Add(name, files[name].Data)
	}
	f.Add("geary.json", []byte(`{"id":"geary","kind":"client","name":"G","names":["g"],"platforms":["linux"],"stack":"os","rows":[{"id":"g","name":"G","notes":"n","sources":["s"],"tls":{"1.0":"no","1.1":"no","1.2":"no","1.3":"no"},"from":"1","to":"0.5"}]}`))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		fsys := fstest.MapFS{}
		for k, v := range files {
			fsys[k] = v
		}
		if name == "" || len(name) > 64 || bytes.ContainsAny([]byte(name), "/\\\x00") {
			name = "fuzz.json"
		}
		fsys[name+".json"] = &fstest.MapFile{Data: data}
		kb, err := Load(fsys)
		if err != nil {
			return
		}
		for _, r := range kb.Table() {
			q := Query{OS: r.ID}
			if r.Kind == KindClient {
				q = Query{Client: r.ID}
			}
			_, _ = kb.Evaluate(q)
		}
		if err := kb.WriteTable(&bytes.Buffer{}, "md", echo); err != nil {
			t.Fatal(err)
		}
	})
}
