package hello

import "testing"

var versionNameTestcases = []struct {
	code uint16
	name string
	back bool // VersionByName gives the code back
}{
	{0x0300, "ssl3", true},
	{0x0301, "1.0", true},
	{0x0302, "1.1", true},
	{0x0303, "1.2", true},
	{0x0304, "1.3", true},
	{0x0000, "0x0000", false},
	{0x7f1c, "0x7f1c", false},
}

func TestVersionName(t *testing.T) {
	for _, tc := range versionNameTestcases {
		if got := VersionName(tc.code); got != tc.name {
			t.Errorf("VersionName(%#04x) = %q, want %q", tc.code, got, tc.name)
		}
		code, ok := VersionByName(tc.name)
		if ok != tc.back || ok && code != tc.code {
			t.Errorf("VersionByName(%q) = %#04x, %v", tc.name, code, ok)
		}
	}
	for _, name := range []string{"", "TLSv1.2", "1.4", "unknown"} {
		if _, ok := VersionByName(name); ok {
			t.Errorf("VersionByName(%q) accepted", name)
		}
	}
}
