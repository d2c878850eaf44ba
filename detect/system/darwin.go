package system

import (
	"strconv"
	"strings"
)

// Where macOS keeps its version (detection.md §4.1): the sysctl
// kern.osproductversion (10.13.4+) and kern.osversion (the build); since
// Big Sur, programs built with an old SDK or run with
// SYSTEM_VERSION_COMPAT=1 see "10.16", and even SystemVersion.plist reads
// are redirected, so .SystemVersionPlatform.plist is read first (osquery
// #6840, neofetch #1607, zig PR #7714).
const (
	plistSystemVersionPlatform = "/System/Library/CoreServices/.SystemVersionPlatform.plist"
	plistSystemVersion         = "/System/Library/CoreServices/SystemVersion.plist"
)

// DetectDarwin describes a macOS system.
func DetectDarwin(p *Platform) *Info {
	info := &Info{Family: "darwin", TLS: unknownTLS}
	sysctl := func(name string) string {
		if p.Sysctl == nil {
			return ""
		}
		s, err := p.Sysctl(name)
		if err != nil {
			return ""
		}
		return strings.TrimSpace(s)
	}
	ver, build := sysctl("kern.osproductversion"), sysctl("kern.osversion")
	if ver == "" || ver == "10.16" {
		for _, path := range []string{plistSystemVersionPlatform, plistSystemVersion} {
			data, err := p.FS.ReadFile(path)
			if err != nil {
				continue
			}
			pl, err := ParsePlist(data)
			if err != nil {
				continue
			}
			if v := pl["ProductVersion"]; v != "" && v != "10.16" {
				ver = v
				if b := pl["ProductBuildVersion"]; b != "" {
					build = b
				}
				break
			}
		}
	}
	info.Kernel = sysctl("kern.osrelease")
	if ver == "" {
		info.Name = "macOS"
		info.Findings = append(info.Findings, unreadable("macOS version"))
		return info
	}
	info.Version, info.Build = ver, build
	info.Name = MacName(ver)
	info.TLS = macTLS(ver)
	return info
}

// MacName is the marketing name: "macOS Sonoma". Names 11–26 from
// detection.md §4.1; 10.x from Apple's list of macOS versions
// (support.apple.com/en-us/109033): "Mac OS X" up to 10.7, "OS X" 10.8–10.11.
func MacName(ver string) string {
	parts := strings.Split(ver, ".")
	major, _ := strconv.Atoi(parts[0])
	minor := 0
	if len(parts) > 1 {
		minor, _ = strconv.Atoi(parts[1])
	}
	names := map[int]string{11: "Big Sur", 12: "Monterey", 13: "Ventura", 14: "Sonoma", 15: "Sequoia", 26: "Tahoe"}
	old := map[int]string{4: "Tiger", 5: "Leopard", 6: "Snow Leopard", 7: "Lion", 8: "Mountain Lion", 9: "Mavericks",
		10: "Yosemite", 11: "El Capitan", 12: "Sierra", 13: "High Sierra", 14: "Mojave", 15: "Catalina"}
	switch {
	case major >= 11:
		if n, ok := names[major]; ok {
			return "macOS " + n
		}
		return "macOS " + strconv.Itoa(major)
	case major == 10 && minor <= 7:
		return strings.TrimSpace("Mac OS X " + old[minor])
	case major == 10 && minor <= 11:
		return "OS X " + old[minor]
	case major == 10:
		return strings.TrimSpace("macOS " + old[minor])
	}
	return "macOS"
}

// macTLS: Apple's system stack per tls-compat.md A2 — TLS 1.2 not used by
// default up to OS X 10.8.4 (MS KB4057306), default from 10.9; TLS 1.3 for
// Network.framework/URLSession from 10.14.4 (inferred from iOS 12.2, Apple
// Platform Security "TLS security"); TLS 1.0/1.1 deprecated from macOS 12
// but still offered.
func macTLS(ver string) TLS {
	switch {
	case atLeast(ver, "10.14.4"):
		return tls(Default, Default, Default, Default)
	case atLeast(ver, "10.9"):
		return tls(Default, Default, Default, No)
	case atLeast(ver, "10.8.5"):
		return tls(Default, Unknown, Unknown, No)
	}
	return tls(Default, Unknown, Off, No)
}
