package inifile

import (
	"testing"
)

func TestParse(t *testing.T) {
	src := "\xef\xbb\xbftop=1\r\n[Profile0]\r\nName=default\r\nPath = Profiles/a b\r\n; comment\r\n# comment\r\nbroken line\r\n" +
		"[Account: 1]\nname=x\nname=y\n[Transport 2]\nencryption=TLS\nLabel[it]=Posta\nv=a\\sb\\nc\\\\d\n"
	f, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if f.Bad != 1 || len(f.Sections) != 4 {
		t.Fatalf("bad=%d sections=%d", f.Bad, len(f.Sections))
	}
	if f.Section("").Value("top") != "1" || f.Section("Profile0").Value("Path") != "Profiles/a b" {
		t.Error("values")
	}
	if s := f.Section("Account: 1"); s.Value("name") != "y" || len(s.Keys) != 1 {
		t.Errorf("repeated key: %+v", s)
	}
	if f.Section("Transport 2").Value("Label[it]") != "Posta" {
		t.Error("localized key")
	}
	if got := Unescape(f.Section("Transport 2").Value("v")); got != "a b\nc\\d" {
		t.Errorf("Unescape = %q", got)
	}
	if b, ok := f.Section("Profile0").Bool("missing"); b || ok {
		t.Error("Bool of a missing key")
	}
	if f.Section("nope").Value("x") != "" {
		t.Error("missing section")
	}
	for _, bad := range []string{"\x00\x01", "\xff\xfe[a]"} {
		if _, err := Parse([]byte(bad)); err != ErrBinary {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("[Profile0]\nName=default\nIsRelative=1\nPath=x\n[General]\nStartWithLastProfile=1\n"))
	f.Add([]byte("[Account: 1]\nssl_imap=1\nset_imapport=0\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse(data)
		if err != nil {
			return
		}
		for _, s := range file.Sections {
			for _, k := range s.Keys {
				Unescape(s.Value(k))
				s.Bool(k)
			}
		}
	})
}
