package system

import (
	"errors"
	"os"
	"strings"
	"testing"
)

func regFrom(t *testing.T, files ...string) *MemRegistry {
	t.Helper()
	m := NewMemRegistry()
	for _, f := range files {
		data, err := os.ReadFile("../clients/outlook/testdata/" + f)
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Import(data); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

func tlsString(t TLS) string {
	return string(t.V10) + "," + string(t.V11) + "," + string(t.V12) + "," + string(t.V13)
}

// Windows as RtlGetVersion and the registry describe it.
func TestDetectWindows(t *testing.T) {
	cv := `SOFTWARE\Microsoft\Windows NT\CurrentVersion`
	cases := []struct {
		name     string
		ver      *WinVersion
		product  string
		display  string
		ubr      uint32
		regFiles []string
		extra    func(m *MemRegistry)
		wantName string
		wantVer  string
		wantTLS  string
		finding  string
	}{
		{"windows 7 as shipped", &WinVersion{6, 1, 7601, 1, "Service Pack 1"}, "Windows 7 Professional", "", 0, nil, nil,
			"Windows 7 Professional", "6.1", "default,off,off,no", "os.tls12_disabled"},
		{"windows 7, TLS 1.2 switched on", &WinVersion{6, 1, 7601, 1, "Service Pack 1"}, "Windows 7 Professional", "", 0, []string{"schannel-tls12-on.reg"}, nil,
			"Windows 7 Professional", "6.1", "default,off,default,no", ""},
		{"windows 7, TLS 1.2 disabled by default", &WinVersion{6, 1, 7601, 1, ""}, "Windows 7 Home Premium", "", 0, []string{"schannel-tls12-off.reg"}, nil,
			"Windows 7 Home Premium", "6.1", "default,default,off,no", "os.tls12_disabled"},
		{"windows 10 22H2", &WinVersion{10, 0, 19045, 1, ""}, "Windows 10 Pro", "22H2", 5131, nil, nil,
			"Windows 10 Pro", "22H2", "default,default,default,no", ""},
		{"windows 11 says windows 10", &WinVersion{10, 0, 22631, 1, ""}, "Windows 10 Pro", "23H2", 4169, nil, nil,
			"Windows 11 Pro", "23H2", "default,default,default,default", ""},
		{"server 2022 is not windows 11", &WinVersion{10, 0, 20348, 3, ""}, "Windows Server 2022 Standard", "21H2", 0, nil, nil,
			"Windows Server 2022 Standard", "21H2", "default,default,default,default", ""},
		{"server 2019", &WinVersion{10, 0, 17763, 3, ""}, "Windows Server 2019 Datacenter", "", 0, nil, nil,
			"Windows Server 2019 Datacenter", "10.0", "default,default,default,no", ""},
		{"windows xp", &WinVersion{5, 1, 2600, 1, "Service Pack 3"}, "Microsoft Windows XP", "", 0, nil, nil,
			"Windows XP", "5.1", "default,no,no,no", "os.tls12_unsupported"},
		{"xp with a TLS 1.2 key", &WinVersion{5, 1, 2600, 1, "Service Pack 3"}, "Microsoft Windows XP", "", 0, []string{"schannel-tls12-on.reg"}, nil,
			"Windows XP", "5.1", "default,no,unknown,no", ""},
		{"vista", &WinVersion{6, 0, 6002, 1, "Service Pack 2"}, "", "", 0, nil, nil,
			"Windows Vista", "6.0", "default,no,no,no", "os.tls12_unsupported"},
		{"server 2008 sp2", &WinVersion{6, 0, 6003, 3, "Service Pack 2"}, "Windows Server (R) 2008 Standard", "", 0, nil, nil,
			"Windows Server (R) 2008 Standard", "6.0", "default,off,off,no", "os.tls12_disabled"},
		{"windows 8.1", &WinVersion{6, 3, 9600, 1, ""}, "Windows 8.1 Pro", "", 0, nil, nil,
			"Windows 8.1 Pro", "6.3", "default,default,default,no", ""},
		{"no RtlGetVersion: registry only (windows 10)", nil, "Windows 10 Home", "", 0, nil, func(m *MemRegistry) {
			m.Set(LocalMachine, cv, "CurrentMajorVersionNumber", DWORD(10))
			m.Set(LocalMachine, cv, "CurrentMinorVersionNumber", DWORD(0))
			m.Set(LocalMachine, cv, "CurrentBuild", SZ("26100"))
		}, "Windows 11 Home", "10.0", "default,default,default,default", ""},
		{"no RtlGetVersion: registry only (windows 7)", nil, "", "", 0, nil, func(m *MemRegistry) {
			m.Set(LocalMachine, cv, "CurrentVersion", SZ("6.1"))
			m.Set(LocalMachine, cv, "CurrentBuildNumber", SZ("7601"))
		}, "Windows 7", "6.1", "default,off,off,no", "os.tls12_disabled"},
		{"nothing readable", nil, "", "", 0, nil, nil, "Windows", "", "unknown,unknown,unknown,unknown", "os.unreadable"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := regFrom(t, c.regFiles...)
			if c.product != "" {
				m.Set(LocalMachine, cv, "ProductName", SZ(c.product))
			}
			if c.display != "" {
				m.Set(LocalMachine, cv, "DisplayVersion", SZ(c.display))
			}
			if c.ubr != 0 {
				m.Set(LocalMachine, cv, "UBR", DWORD(c.ubr))
			}
			if c.extra != nil {
				c.extra(m)
			}
			p := &Platform{GOOS: "windows", FS: DirFS(t.TempDir()), Registry: m}
			if c.ver != nil {
				v := *c.ver
				p.WindowsVersion = func() (WinVersion, error) { return v, nil }
			} else {
				p.WindowsVersion = func() (WinVersion, error) { return WinVersion{}, errors.New("not available") }
			}
			info := Detect(p)
			if info.Name != c.wantName || info.Version != c.wantVer || tlsString(info.TLS) != c.wantTLS {
				t.Errorf("got %q %q %s, want %q %q %s", info.Name, info.Version, tlsString(info.TLS), c.wantName, c.wantVer, c.wantTLS)
			}
			var ids []string
			for _, f := range info.Findings {
				ids = append(ids, f.ID)
			}
			if strings.Join(ids, ",") != c.finding {
				t.Errorf("findings %v, want %q", ids, c.finding)
			}
			if c.ubr != 0 && !strings.HasSuffix(info.Build, "."+itoa(int(c.ubr))) {
				t.Errorf("build %q lacks UBR", info.Build)
			}
		})
	}
}

func itoa(n int) string {
	s := ""
	for n > 0 {
		s = string(rune('0'+n%10)) + s
		n /= 10
	}
	return s
}

func TestWinHTTP(t *testing.T) {
	m := regFrom(t)
	st := winHTTP(m, WinVersion{Major: 6, Minor: 1}, tls(Default, Off, Off, No))
	if tlsString(st.TLS) != "default,off,off,no" {
		t.Errorf("windows 7 default WinHTTP: %s", tlsString(st.TLS))
	}
	m = regFrom(t, "schannel-tls12-on.reg")
	st = winHTTP(m, WinVersion{Major: 6, Minor: 1}, tls(Default, Off, Default, No))
	if tlsString(st.TLS) != "off,default,default,no" || st.Note != "DefaultSecureProtocols=0xA00" {
		t.Errorf("KB3140245 0xA00: %s %q", tlsString(st.TLS), st.Note)
	}
}

func TestDetectLinux(t *testing.T) {
	info := Detect(&Platform{GOOS: "linux", FS: DirFS("testdata/debian12")})
	if info.Name != "Debian GNU/Linux 12 (bookworm)" || info.Version != "12" || info.Build != "6.1.0-28-amd64" || info.Family != "linux" {
		t.Errorf("info = %+v", info)
	}
	var stacks []string
	for _, s := range info.Stacks {
		stacks = append(stacks, s.Name+" "+s.Version+" "+tlsString(s.TLS))
	}
	want := "OpenSSL 3.0.22 off,off,default,default|GnuTLS 3.7.9 default,default,default,default|NSS 3.87.1 default,default,default,default"
	if strings.Join(stacks, "|") != want {
		t.Errorf("stacks:\n %s\nwant\n %s", strings.Join(stacks, "|"), want)
	}
	if tlsString(info.TLS) != "off,off,default,default" || len(info.Findings) != 0 {
		t.Errorf("system TLS %s, findings %v", tlsString(info.TLS), info.Findings)
	}

	// Inside Flatpak the host's os-release counts; libraries by soname;
	// MinProtocol from openssl.cnf.
	info = Detect(&Platform{GOOS: "linux", FS: DirFS("testdata/flatpak")})
	if info.Name != "Ubuntu 24.04.1 LTS" || info.Version != "24.04" {
		t.Errorf("flatpak host: %+v", info)
	}
	if len(info.Stacks) != 2 || info.Stacks[0].Version != "3" || info.Stacks[0].Note != "MinProtocol = TLSv1.2" {
		t.Errorf("flatpak stacks: %+v", info.Stacks)
	}

	// An empty root: nothing readable, a finding, no crash.
	info = Detect(&Platform{GOOS: "linux", FS: DirFS(t.TempDir())})
	if info.Name != "Linux" || len(info.Findings) != 1 || info.Findings[0].ID != "os.unreadable" {
		t.Errorf("empty root: %+v", info)
	}
}

func TestLibraryTables(t *testing.T) {
	cases := []struct {
		f    func(string) TLS
		v    string
		want string
	}{
		{opensslTLS, "0.9.8", "default,no,no,no"},
		{opensslTLS, "1.0.1", "default,default,default,no"},
		{opensslTLS, "1.0.2u", "default,default,default,no"},
		{opensslTLS, "1.1.1w", "default,default,default,default"},
		{opensslTLS, "3.5.0", "off,off,default,default"},
		{gnutlsTLS, "3.6.4", "default,default,default,no"},
		{gnutlsTLS, "3.6.5", "default,default,default,default"},
		{nssTLS, "3.14", "default,unknown,no,no"},
		{nssTLS, "3.38", "default,default,default,no"},
		{nssTLS, "3.39", "default,default,default,default"},
		{macTLS, "10.8.4", "default,unknown,off,no"},
		{macTLS, "10.11.6", "default,default,default,no"},
		{macTLS, "10.14.4", "default,default,default,default"},
		{macTLS, "26.1", "default,default,default,default"},
	}
	for _, c := range cases {
		if got := tlsString(c.f(c.v)); got != c.want {
			t.Errorf("%s: %s, want %s", c.v, got, c.want)
		}
	}
	if UpstreamVersion("2:3.87.1-1+deb12u2") != "3.87.1" || UpstreamVersion("3.0.22-1~deb12u2") != "3.0.22" || UpstreamVersion("1.2") != "1.2" {
		t.Error("UpstreamVersion")
	}
}

func TestDetectDarwin(t *testing.T) {
	sysctl := func(vals map[string]string) func(string) (string, error) {
		return func(n string) (string, error) {
			if v, ok := vals[n]; ok {
				return v, nil
			}
			return "", errors.New("unknown oid")
		}
	}
	fsys := DirFS("testdata/mac")
	cases := []struct {
		vals                 map[string]string
		name, version, build string
	}{
		{map[string]string{"kern.osproductversion": "15.3.1", "kern.osversion": "24D70", "kern.osrelease": "24.3.0"}, "macOS Sequoia", "15.3.1", "24D70"},
		// Compatibility mode shows 10.16: SystemVersion.plist is read.
		{map[string]string{"kern.osproductversion": "10.16", "kern.osversion": "20G95"}, "macOS Sonoma", "14.5", "23F79"},
		// No sysctl at all (pre-10.13.4): the plist.
		{nil, "macOS Sonoma", "14.5", "23F79"},
		{map[string]string{"kern.osproductversion": "10.11.6", "kern.osversion": "15G31"}, "OS X El Capitan", "10.11.6", "15G31"},
		{map[string]string{"kern.osproductversion": "26.0"}, "macOS Tahoe", "26.0", ""},
	}
	for _, c := range cases {
		info := Detect(&Platform{GOOS: "darwin", FS: fsys, Sysctl: sysctl(c.vals)})
		if info.Name != c.name || info.Version != c.version || info.Build != c.build {
			t.Errorf("%v → %q %q %q, want %q %q %q", c.vals, info.Name, info.Version, info.Build, c.name, c.version, c.build)
		}
	}
	info := Detect(&Platform{GOOS: "darwin", FS: DirFS(t.TempDir())})
	if len(info.Findings) != 1 || info.Findings[0].ID != "os.unreadable" {
		t.Errorf("unreadable macOS: %+v", info)
	}
}

func TestDecodeRegistryValues(t *testing.T) {
	cases := []struct {
		v    Value
		want string
		ok   bool
	}{
		{Binary16("imap.example.org"), "imap.example.org", true},
		{SZ("àè"), "àè", true},
		{Value{Type: RegBinary, Data: []byte("ansi\x00junk")}, "ansi", true},
		{Value{Type: RegBinary, Data: []byte{0xe8, 0x41, 0x00}}, "", true},
		{DWORD(5), "", false},
		{Value{Type: RegExpandSZ, Data: EncodeString(`%LOCALAPPDATA%\x`)}, `%LOCALAPPDATA%\x`, true},
	}
	for i, c := range cases {
		got, ok := DecodeString(c.v)
		if i == 3 {
			// Odd length: not UTF-16, read as 8-bit text.
			if got != "èA" || !ok {
				t.Errorf("8-bit fallback: %q %v", got, ok)
			}
			continue
		}
		if got != c.want || ok != c.ok {
			t.Errorf("%d: %q %v, want %q %v", i, got, ok, c.want, c.ok)
		}
	}
	if n, ok := DecodeUint(DWORD(993)); !ok || n != 993 {
		t.Errorf("DWORD: %d %v", n, ok)
	}
	if _, ok := DecodeUint(Value{Type: RegDWORD, Data: []byte{1}}); ok {
		t.Error("short DWORD accepted")
	}
	if n, ok := DecodeUint(SZ(" 25 ")); !ok || n != 25 {
		t.Error("numeric REG_SZ")
	}
	if got := DecodeMulti(Value{Type: RegMultiSZ, Data: EncodeString("a\x00b\x00")}); strings.Join(got, ",") != "a,b" {
		t.Errorf("multi: %v", got)
	}
}

func TestParseReg(t *testing.T) {
	src := "Windows Registry Editor Version 5.00\r\n\r\n; comment\r\n[HKEY_CURRENT_USER\\Software\\A]\r\n" +
		"@=\"default\"\r\n\"Str\"=\"a \\\"q\\\" \\\\ b\"\r\n\"D\"=dword:000003e1\r\n" +
		"\"Bin\"=hex:41,00,42,\\\r\n  00,00,00\r\n\"X\"=hex(2):25,00,00,00\r\n\"Q\"=hex(b):01,00,00,00,00,00,00,00\r\n" +
		"[HKEY_CURRENT_USER\\Software\\A\\Sub]\r\n\"Gone\"=\"x\"\r\n\"Gone\"=-\r\n[-HKEY_CURRENT_USER\\Software\\B]\r\n"
	m, err := ParseReg([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := RegString(m, CurrentUser, `software\a`, ""); s != "default" {
		t.Errorf("default value %q", s)
	}
	if s, _ := RegString(m, CurrentUser, `Software\A`, "str"); s != `a "q" \ b` {
		t.Errorf("Str %q", s)
	}
	if n, _ := RegUint(m, CurrentUser, `Software\A`, "D"); n != 993 {
		t.Errorf("D %d", n)
	}
	if s, _ := RegString(m, CurrentUser, `Software\A`, "Bin"); s != "AB" {
		t.Errorf("Bin %q", s)
	}
	if n, _ := RegUint(m, CurrentUser, `Software\A`, "Q"); n != 1 {
		t.Errorf("Q %d", n)
	}
	if subs := RegSubKeys(m, CurrentUser, `Software`); strings.Join(subs, ",") != "A" {
		t.Errorf("subkeys %v", subs)
	}
	if _, ok := RegString(m, CurrentUser, `Software\A\Sub`, "Gone"); ok {
		t.Error("deleted value still there")
	}
	// The same text as UTF-16LE with a BOM, as regedit exports it.
	if _, err := ParseReg(append([]byte{0xff, 0xfe}, EncodeString(src)...)); err != nil {
		t.Errorf("UTF-16: %v", err)
	}
	for _, bad := range []string{"", "garbage", "REGEDIT4\n\"v\"=\"outside\"", "REGEDIT4\n[HKEY_NOWHERE\\x]", "REGEDIT4\n[HKCU\\x]\n\"v\"=dword:xyz", "REGEDIT4\n[HKCU\\x]\n\"v\"=hex:1"} {
		if _, err := ParseReg([]byte(bad)); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
	// FormatReg round-trips through ParseReg.
	for _, v := range []Value{SZ("x\"y\\"), DWORD(7), Binary16("h"), {Type: RegExpandSZ, Data: EncodeString("%A%")}, SZ("two\nlines")} {
		m, err := ParseReg([]byte("REGEDIT4\n[HKLM\\K]\n" + FormatReg("n", v) + "\n"))
		if err != nil {
			t.Fatalf("%s: %v", FormatReg("n", v), err)
		}
		got, _ := m.Value(LocalMachine, "K", "n")
		if got.Type != v.Type || string(got.Data) != string(v.Data) {
			t.Errorf("round trip %s → %+v", FormatReg("n", v), got)
		}
	}
}

func TestPlist(t *testing.T) {
	data, _ := os.ReadFile("testdata/mac/System/Library/CoreServices/SystemVersion.plist")
	pl, err := ParsePlist(data)
	if err != nil || pl["ProductVersion"] != "14.5" || pl["ProductBuildVersion"] != "23F79" {
		t.Errorf("xml: %v %v", pl, err)
	}
	bin := binaryPlist(map[string]string{"CFBundleShortVersionString": "16.0", "CFBundleIdentifier": "com.apple.mail", "Name": "Mail àè"})
	pl, err = ParsePlist(bin)
	if err != nil || pl["CFBundleShortVersionString"] != "16.0" || pl["Name"] != "Mail àè" {
		t.Errorf("binary: %v %v", pl, err)
	}
	for _, bad := range [][]byte{nil, []byte("bplist00"), bin[:len(bin)-5], []byte("<plist><array/></plist>")} {
		if _, err := ParsePlist(bad); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}

// binaryPlist builds a bplist00 with one dictionary of strings (ASCII or
// UTF-16BE), one-byte offsets and references: enough for the tests.
func binaryPlist(m map[string]string) []byte {
	var objs [][]byte
	str := func(s string) []byte {
		ascii := true
		for _, r := range s {
			if r > 127 {
				ascii = false
			}
		}
		marker := func(kind byte, n int) []byte {
			if n < 15 {
				return []byte{kind | byte(n)}
			}
			return []byte{kind | 0x0F, 0x10, byte(n)}
		}
		if ascii {
			return append(marker(0x50, len(s)), s...)
		}
		u := []rune(s)
		b := marker(0x60, len(u))
		for _, r := range u {
			b = append(b, byte(r>>8), byte(r))
		}
		return b
	}
	var keys, vals []byte
	n := len(m)
	ks := sortedKeys(m)
	for j, k := range ks {
		objs = append(objs, str(k))
		keys = append(keys, byte(1+j))
	}
	for j, k := range ks {
		objs = append(objs, str(m[k]))
		vals = append(vals, byte(1+n+j))
	}
	dict := append([]byte{0xD0 | byte(n)}, keys...)
	dict = append(dict, vals...)
	all := append([][]byte{dict}, objs...)
	out := []byte("bplist00")
	var offsets []byte
	for _, o := range all {
		offsets = append(offsets, byte(len(out)))
		out = append(out, o...)
	}
	table := len(out)
	out = append(out, offsets...)
	trailer := make([]byte, 32)
	trailer[6], trailer[7] = 1, 1
	trailer[15] = byte(len(all))
	trailer[31] = byte(table)
	return append(out, trailer...)
}

func sortedKeys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	for i := range ks {
		for j := i + 1; j < len(ks); j++ {
			if ks[j] < ks[i] {
				ks[i], ks[j] = ks[j], ks[i]
			}
		}
	}
	return ks
}

func TestJoinAndFS(t *testing.T) {
	cases := map[string][]string{
		"/etc/os-release":          {"/", "etc", "os-release"},
		"C:/Users/a/AppData":       {`C:\Users\a`, "AppData"},
		"/home/u/.thunderbird/p":   {"/home/u/", "/.thunderbird/", "p"},
		"C:/Program Files/x/y.exe": {"C:/Program Files/", "x/y.exe"},
	}
	for want, parts := range cases {
		if got := Join(parts...); got != want {
			t.Errorf("Join(%q) = %q, want %q", parts, got, want)
		}
	}
	dir := t.TempDir()
	os.WriteFile(dir+"/big", make([]byte, MaxFileSize+1), 0o644)
	if _, err := DirFS(dir).ReadFile("/big"); !errors.Is(err, ErrTooLarge) {
		t.Errorf("over 16 MiB: %v", err)
	}
	os.MkdirAll(dir+"/C/x", 0o755)
	os.WriteFile(dir+"/C/x/f", []byte("ok"), 0o644)
	if data, err := DirFS(dir).ReadFile("C:/x/f"); err != nil || string(data) != "ok" {
		t.Errorf("drive letter mapping: %q %v", data, err)
	}
	if _, err := DirFS(dir).ReadFile("/C"); err == nil {
		t.Error("reading a directory succeeded")
	}
}

func TestProcProcesses(t *testing.T) {
	dir := t.TempDir()
	for pid, name := range map[string]string{"1": "init", "4242": "thunderbird", "self": "x"} {
		os.MkdirAll(dir+"/proc/"+pid, 0o755)
		os.WriteFile(dir+"/proc/"+pid+"/comm", []byte(name+"\n"), 0o644)
	}
	fsys := DirFS(dir)
	p := &Platform{Processes: func() ([]Process, error) { return ProcProcesses(fsys) }}
	if run, ok := Running(p, "thunderbird.exe", "thunderbird-bin"); !run || !ok {
		t.Errorf("Running = %v %v", run, ok)
	}
	if run, ok := Running(p, "evolution"); run || !ok {
		t.Errorf("evolution Running = %v %v", run, ok)
	}
	if _, ok := Running(&Platform{}); ok {
		t.Error("no process lister should be unknown")
	}
}
