package system

import (
	"os"
	"testing"
)

// FuzzParseReg: any .reg text parses or fails cleanly, and what parses
// can be read back.
func FuzzParseReg(f *testing.F) {
	for _, name := range []string{"outlook2010.reg", "outlook2016.reg", "livemail.reg", "schannel-tls12-off.reg"} {
		if data, err := os.ReadFile("../clients/outlook/testdata/" + name); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("REGEDIT4\n[HKCU\\a]\n\"x\"=hex(7):61,00,00,00,00,00\n@=-\n[-HKLM\\b]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseReg(data)
		if err != nil {
			return
		}
		for _, root := range []Root{LocalMachine, CurrentUser} {
			walk(t, m, root, "", 0)
		}
	})
}

func walk(t *testing.T, m *MemRegistry, root Root, path string, depth int) {
	if depth > 20 {
		return
	}
	names, _ := m.ValueNames(root, path)
	for _, n := range names {
		v, err := m.Value(root, path, n)
		if err != nil {
			t.Fatalf("listed value %q unreadable: %v", n, err)
		}
		DecodeString(v)
		DecodeUint(v)
		DecodeMulti(v)
	}
	subs, _ := m.SubKeys(root, path)
	for _, s := range subs {
		p := s
		if path != "" {
			p = path + `\` + s
		}
		walk(t, m, root, p, depth+1)
	}
}

// FuzzDecodeValue: registry values of any type and bytes decode without
// panicking.
func FuzzDecodeValue(f *testing.F) {
	f.Add(uint32(RegBinary), EncodeString("imap.example.org"))
	f.Add(uint32(RegDWORD), []byte{0xe1, 3, 0, 0})
	f.Add(uint32(RegSZ), []byte{0xff})
	f.Fuzz(func(t *testing.T, typ uint32, data []byte) {
		v := Value{Type: ValueType(typ), Data: data}
		DecodeString(v)
		DecodeUint(v)
		DecodeMulti(v)
		FormatReg("n", v)
	})
}

func FuzzParseOSRelease(f *testing.F) {
	f.Add([]byte("NAME=\"Debian\"\nVERSION_ID='12'\nPRETTY_NAME=\"a \\\"b\\\"\"\n# c\nX"))
	f.Fuzz(func(t *testing.T, data []byte) { ParseOSRelease(data) })
}

func FuzzParsePlist(f *testing.F) {
	if data, err := os.ReadFile("testdata/mac/System/Library/CoreServices/SystemVersion.plist"); err == nil {
		f.Add(data)
	}
	f.Add(binaryPlist(map[string]string{"CFBundleShortVersionString": "16.0", "Name": "Mail àè"}))
	f.Fuzz(func(t *testing.T, data []byte) { ParsePlist(data) })
}
