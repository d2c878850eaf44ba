package system

import (
	"bufio"
	"bytes"
	"strconv"
	"strings"

	"maildoctor.app/maildoctor/detect/finding"
	"maildoctor.app/maildoctor/detect/server"
)

func unreadable(what string) finding.Finding {
	return finding.New(finding.OSUnreadable, finding.Info, "", "what", what)
}

// DetectLinux describes a Linux (or other Unix) system from os-release,
// the kernel release and the TLS libraries installed.
func DetectLinux(p *Platform) *Info {
	info := &Info{Family: "linux", TLS: unknownTLS}
	rel := ReadOSRelease(p.FS)
	if rel == nil {
		info.Name = "Linux"
		info.Findings = append(info.Findings, unreadable("/etc/os-release"))
	} else {
		info.Name = rel["PRETTY_NAME"]
		if info.Name == "" {
			info.Name = strings.TrimSpace(rel["NAME"] + " " + rel["VERSION"])
		}
		if info.Name == "" {
			info.Name = "Linux"
		}
		info.Version = rel["VERSION_ID"]
	}
	if k, err := p.FS.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		info.Kernel = strings.TrimSpace(string(k))
		info.Build = info.Kernel
	}
	info.Stacks = linuxStacks(p.FS)
	// The system stack: OpenSSL, else GnuTLS (what most mail programs
	// other than Thunderbird link); Thunderbird brings its own NSS.
	for _, want := range []string{"OpenSSL", "GnuTLS"} {
		for _, s := range info.Stacks {
			if s.Name == want && info.TLS == unknownTLS {
				info.TLS = s.TLS
			}
		}
	}
	if min := opensslMinProtocol(p.FS); min != "" {
		for i := range info.Stacks {
			if info.Stacks[i].Name == "OpenSSL" {
				applyMin(&info.Stacks[i].TLS, min)
				info.Stacks[i].Note = "MinProtocol = " + min
			}
		}
		if info.TLS != unknownTLS {
			applyMin(&info.TLS, min)
		}
	}
	return info
}

// ReadOSRelease reads os-release(5): /etc/os-release, else
// /usr/lib/os-release, never both (man7.org os-release(5)). Inside a
// Flatpak sandbox (/.flatpak-info exists) /etc/os-release describes the
// runtime, and the host's file is /run/host/os-release or
// /run/host/usr/lib/os-release (flatpak PR #3733; detection.md §5.1).
func ReadOSRelease(fsys FS) map[string]string {
	paths := []string{"/etc/os-release", "/usr/lib/os-release"}
	if Exists(fsys, "/.flatpak-info") {
		paths = append([]string{"/run/host/os-release", "/run/host/usr/lib/os-release"}, paths...)
	}
	for _, p := range paths {
		data, err := fsys.ReadFile(p)
		if err != nil {
			continue
		}
		return ParseOSRelease(data)
	}
	return nil
}

// ParseOSRelease reads shell-style KEY=value lines with optional quotes
// and backslash escapes, and no expansion (os-release(5)).
func ParseOSRelease(data []byte) map[string]string {
	out := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		i := strings.IndexByte(line, '=')
		if i <= 0 {
			continue
		}
		key, val := line[:i], strings.TrimSpace(line[i+1:])
		if len(val) >= 2 && (val[0] == '"' || val[0] == '\'') && val[len(val)-1] == val[0] {
			q := val[0]
			val = val[1 : len(val)-1]
			if q == '"' {
				var b strings.Builder
				for j := 0; j < len(val); j++ {
					if val[j] == '\\' && j+1 < len(val) {
						j++
					}
					b.WriteByte(val[j])
				}
				val = b.String()
			}
		}
		out[key] = val
	}
	return out
}

// linuxStacks finds OpenSSL, GnuTLS and NSS: their exact versions from
// dpkg's status file on Debian and Ubuntu, else the library sonames.
func linuxStacks(fsys FS) []Stack {
	var stacks []Stack
	pkgs := DpkgVersions(fsys)
	type lib struct {
		name     string
		packages []string // Debian package names, newest first
		sonames  []string
		tls      func(version string) TLS
	}
	libs := []lib{
		{"OpenSSL", []string{"libssl3t64", "libssl3", "libssl1.1", "libssl1.0.2", "libssl1.0.0"},
			[]string{"libssl.so.3", "libssl.so.1.1", "libssl.so.10", "libssl.so.1.0.2", "libssl.so.1.0.0"}, opensslTLS},
		{"GnuTLS", []string{"libgnutls30t64", "libgnutls30", "libgnutls28", "libgnutls26"},
			[]string{"libgnutls.so.30", "libgnutls.so.28", "libgnutls.so.26"}, gnutlsTLS},
		{"NSS", []string{"libnss3"}, []string{"libnss3.so"}, nssTLS},
	}
	for _, l := range libs {
		found := false
		for _, pkg := range l.packages {
			if v, ok := pkgs[pkg]; ok {
				ver := UpstreamVersion(v)
				stacks = append(stacks, Stack{Name: l.name, Version: ver, TLS: l.tls(ver), Note: "dpkg " + pkg})
				found = true
				break
			}
		}
		if found {
			continue
		}
		if so, dir := findLib(fsys, l.sonames); so != "" {
			ver := sonameVersion(l.name, so)
			stacks = append(stacks, Stack{Name: l.name, Version: ver, TLS: l.tls(ver), Note: dir + "/" + so})
		}
	}
	return stacks
}

var libDirs = []string{
	"/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
	"/usr/lib/i386-linux-gnu", "/usr/lib/arm-linux-gnueabihf", "/usr/lib64", "/lib64", "/usr/lib", "/lib",
}

func findLib(fsys FS, sonames []string) (string, string) {
	for _, so := range sonames {
		for _, d := range libDirs {
			if Exists(fsys, d+"/"+so) {
				return so, d
			}
		}
	}
	return "", ""
}

// sonameVersion is what a soname alone tells: libssl.so.3 is OpenSSL 3,
// libssl.so.1.1 is 1.1.x; GnuTLS' soname 30 spans 3.4 to today.
func sonameVersion(lib, so string) string {
	switch {
	case lib == "OpenSSL" && so == "libssl.so.3":
		return "3"
	case lib == "OpenSSL" && so == "libssl.so.1.1":
		return "1.1"
	case lib == "OpenSSL":
		return "1.0"
	}
	return ""
}

// DpkgVersions reads the installed packages' versions from
// /var/lib/dpkg/status (deb822 stanzas: Package, Status, Version).
func DpkgVersions(fsys FS) map[string]string {
	data, err := fsys.ReadFile("/var/lib/dpkg/status")
	if err != nil {
		return nil
	}
	out := map[string]string{}
	var pkg, status, version string
	flush := func() {
		if pkg != "" && version != "" && strings.HasSuffix(status, " installed") {
			out[pkg] = version
		}
		pkg, status, version = "", "", ""
	}
	for len(data) > 0 {
		var line []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			line, data = data, nil
		}
		switch {
		case len(bytes.TrimSpace(line)) == 0:
			flush()
		case bytes.HasPrefix(line, []byte("Package: ")):
			pkg = strings.TrimSpace(string(line[9:]))
			if i := strings.IndexByte(pkg, ':'); i >= 0 {
				pkg = pkg[:i]
			}
		case bytes.HasPrefix(line, []byte("Status: ")):
			status = strings.TrimSpace(string(line[8:]))
		case bytes.HasPrefix(line, []byte("Version: ")):
			version = strings.TrimSpace(string(line[9:]))
		}
	}
	flush()
	return out
}

// UpstreamVersion strips a Debian epoch and revision:
// "2:3.87.1-1+deb12u1" → "3.87.1", "3.0.15-1~deb12u1" → "3.0.15".
func UpstreamVersion(v string) string {
	if i := strings.IndexByte(v, ':'); i >= 0 {
		v = v[i+1:]
	}
	if i := strings.LastIndexByte(v, '-'); i > 0 {
		v = v[:i]
	}
	if i := strings.IndexAny(v, "+~"); i > 0 {
		v = v[:i]
	}
	return v
}

// CompareVersions compares dotted versions numerically ("1.10" > "1.9");
// a trailing letter counts after the number ("1.0.1" < "1.0.1f").
func CompareVersions(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) || i < len(pb); i++ {
		var x, y string
		if i < len(pa) {
			x = pa[i]
		}
		if i < len(pb) {
			y = pb[i]
		}
		nx, sx := leadingInt(x)
		ny, sy := leadingInt(y)
		if nx != ny {
			if nx < ny {
				return -1
			}
			return 1
		}
		if sx != sy {
			if sx < sy {
				return -1
			}
			return 1
		}
	}
	return 0
}

func leadingInt(s string) (int, string) {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	n, _ := strconv.Atoi(s[:i])
	return n, s[i:]
}

func atLeast(v, min string) bool { return CompareVersions(v, min) >= 0 }

// opensslTLS: OpenSSL NEWS.md via tls-compat.md A4 — TLS 1.1/1.2 from
// 1.0.1, TLS 1.3 on by default from 1.1.1, and from 3.0 TLS 1.0/1.1 work
// only at security level 0.
func opensslTLS(v string) TLS {
	switch {
	case v == "":
		return unknownTLS
	case atLeast(v, "3"):
		return tls(Off, Off, Default, Default)
	case atLeast(v, "1.1.1"):
		return tls(Default, Default, Default, Default)
	case atLeast(v, "1.0.1"):
		return tls(Default, Default, Default, No)
	case v == "1.0":
		return tls(Default, Unknown, Unknown, No)
	}
	return tls(Default, No, No, No)
}

// gnutlsTLS: TLS 1.3 by default from GnuTLS 3.6.5 (greenbone/openvas#598
// and the GnuTLS 3.6.5 milestone, tls-compat.md A4, a secondary source);
// TLS 1.2 since GnuTLS 2.x.
func gnutlsTLS(v string) TLS {
	switch {
	case v == "":
		return tls(Default, Default, Default, Unknown)
	case atLeast(v, "3.6.5"):
		return tls(Default, Default, Default, Default)
	case atLeast(v, "3.0"):
		return tls(Default, Default, Default, No)
	}
	return tls(Default, Default, Unknown, No)
}

// nssTLS: TLS 1.2 from NSS 3.15.1, final TLS 1.3 from 3.39
// (MozillaZine security.tls.version.*, tlswg/tls13-spec wiki
// "Implementations"; tls-compat.md A4). TLS 1.0/1.1 are up to the
// application (Thunderbird 78+ switches them off).
func nssTLS(v string) TLS {
	switch {
	case v == "":
		return unknownTLS
	case atLeast(v, "3.39"):
		return tls(Default, Default, Default, Default)
	case atLeast(v, "3.15.1"):
		return tls(Default, Default, Default, No)
	}
	return tls(Default, Unknown, No, No)
}

// opensslMinProtocol reads MinProtocol from the system OpenSSL
// configuration (Debian /etc/ssl/openssl.cnf, Fedora
// /etc/pki/tls/openssl.cnf); distributions may raise the minimum there
// (tls-compat.md A4 and (c) 12).
func opensslMinProtocol(fsys FS) string {
	for _, p := range []string{"/etc/ssl/openssl.cnf", "/etc/pki/tls/openssl.cnf"} {
		data, err := fsys.ReadFile(p)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(data), "\n") {
			line = strings.TrimSpace(line)
			if line == "" || line[0] == '#' {
				continue
			}
			if k, v, ok := cut(line, "="); ok && strings.TrimSpace(k) == "MinProtocol" {
				v = strings.TrimSpace(v)
				if i := strings.IndexByte(v, '#'); i >= 0 {
					v = strings.TrimSpace(v[:i])
				}
				return v
			}
		}
		return ""
	}
	return ""
}

func cut(s, sep string) (before, after string, ok bool) {
	if i := strings.Index(s, sep); i >= 0 {
		return s[:i], s[i+len(sep):], true
	}
	return s, "", false
}

// applyMin switches off versions below MinProtocol ("TLSv1.2").
func applyMin(t *TLS, min string) {
	m, err := server.ParseTLSVersion(strings.TrimPrefix(min, "D"))
	if err != nil {
		return
	}
	for _, v := range server.TLSVersions {
		if v < m && t.Get(v.String()) == Default {
			t.set(v.String(), Off)
		}
	}
}
