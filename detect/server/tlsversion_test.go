package server

import (
	"crypto/tls"
	"encoding/json"
	"strings"
	"testing"
)

var parseTLSVersionTestcases = []struct {
	in   string
	want TLSVersion
	ok   bool
}{
	{"", 0, true},
	{"1.0", TLS10, true},
	{"1.1", TLS11, true},
	{"1.2", TLS12, true},
	{"1.3", TLS13, true},
	{"TLSv1", TLS10, true},
	{"TLSv1.1", TLS11, true},
	{"TLSv1.2", TLS12, true},
	{"tls1.3", TLS13, true},
	{"TLS 1.2", TLS12, true},
	{" 1.2 ", TLS12, true},
	{"1.4", 0, false},
	{"ssl3", 0, false},
	{"unknown", 0, false},
	{"12", 0, false},
}

func TestParseTLSVersion(t *testing.T) {
	for _, tc := range parseTLSVersionTestcases {
		got, err := ParseTLSVersion(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseTLSVersion(%q) = %v, %v; want %v, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

var tlsVersionStringTestcases = []struct {
	v    TLSVersion
	want string
}{
	{0, ""},
	{tls.VersionTLS10, "1.0"},
	{tls.VersionTLS11, "1.1"},
	{tls.VersionTLS12, "1.2"},
	{tls.VersionTLS13, "1.3"},
	{0x0300, "unknown"},
	{0x7f1c, "unknown"},
}

func TestTLSVersionString(t *testing.T) {
	for _, tc := range tlsVersionStringTestcases {
		if got := tc.v.String(); got != tc.want {
			t.Errorf("TLSVersion(%#x).String() = %q, want %q", uint16(tc.v), got, tc.want)
		}
		if b, _ := tc.v.MarshalText(); string(b) != tc.want {
			t.Errorf("TLSVersion(%#x).MarshalText() = %q, want %q", uint16(tc.v), b, tc.want)
		}
	}
}

func TestTLSVersionOrder(t *testing.T) {
	for i, v := range TLSVersions {
		if !v.Known() {
			t.Errorf("%v.Known() = false", v)
		}
		for j, w := range TLSVersions {
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			if got := v.Compare(w); got != want {
				t.Errorf("%v.Compare(%v) = %d, want %d", v, w, got, want)
			}
			if got := v.AtLeast(w); got != (i >= j) {
				t.Errorf("%v.AtLeast(%v) = %v", v, w, got)
			}
		}
	}
	if TLSVersion(0).Known() || TLSVersion(0x0300).Known() {
		t.Error("zero or SSL 3.0 reported as known")
	}
}

// TestTLSVersionJSON: as a value and as a map key, the JSON is the same as
// the strings it replaces.
func TestTLSVersionJSON(t *testing.T) {
	type doc struct {
		V    TLSVersion          `json:"v"`
		Seen map[TLSVersion]bool `json:"seen"`
	}
	in := doc{V: TLS12, Seen: map[TLSVersion]bool{TLS13: true, TLS10: false}}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"v":"1.2","seen":{"1.0":false,"1.3":true}}`
	if string(b) != want {
		t.Errorf("Marshal = %s, want %s", b, want)
	}
	var out doc
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if out.V != TLS12 || len(out.Seen) != 2 || !out.Seen[TLS13] {
		t.Errorf("Unmarshal = %+v", out)
	}
	if err := json.Unmarshal([]byte(`{"v":"1.4"}`), &out); err == nil {
		t.Error("Unmarshal accepted 1.4")
	}
}

func TestTLSVersionNames(t *testing.T) {
	got := strings.Join(TLSVersionNames(), " ")
	if got != "1.0 1.1 1.2 1.3" {
		t.Errorf("TLSVersionNames() = %s", got)
	}
}
