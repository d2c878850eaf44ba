package system

import (
	"fmt"
	"strconv"
	"strings"
)

// WinVersion is what RtlGetVersion returns (OSVERSIONINFOEXW): the true
// version, which GetVersionEx hides from programs without a manifest
// (detection.md §2.1: x/sys/windows doc comment; Go's
// cmd/internal/osinfo/os_windows.go uses RtlGetVersion too).
type WinVersion struct {
	Major, Minor, Build uint32
	// ProductType is wProductType: 1 workstation, 2 domain controller,
	// 3 server (detection.md §2.1, gopsutil PlatformInformationWithContext).
	ProductType uint8
	// CSDVersion is the service pack text, "Service Pack 1".
	CSDVersion string
}

// Registry locations read for the OS (detection.md §2.1, tls-compat.md
// key concepts 1 and 2).
const (
	keyCurrentVersion = `SOFTWARE\Microsoft\Windows NT\CurrentVersion`
	keySChannel       = `SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols`
	keyWinHTTP        = `SOFTWARE\Microsoft\Windows\CurrentVersion\Internet Settings\WinHttp`
	keyWinHTTP32      = `SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Internet Settings\WinHttp`
)

// DetectWindows describes a Windows system from RtlGetVersion and the
// registry.
func DetectWindows(p *Platform) *Info {
	info := &Info{Family: "windows", TLS: unknownTLS}
	reg := p.Registry
	var v WinVersion
	haveRtl := false
	if p.WindowsVersion != nil {
		if got, err := p.WindowsVersion(); err == nil && got.Major > 0 {
			v, haveRtl = got, true
		}
	}
	regStr := func(name string) string {
		s, _ := RegString(reg, LocalMachine, keyCurrentVersion, name)
		return strings.TrimSpace(s)
	}
	if !haveRtl {
		// Without RtlGetVersion: CurrentMajorVersionNumber exists from
		// Windows 10 on; before, CurrentVersion is "6.1" and so on.
		if maj, ok := RegUint(reg, LocalMachine, keyCurrentVersion, "CurrentMajorVersionNumber"); ok {
			min, _ := RegUint(reg, LocalMachine, keyCurrentVersion, "CurrentMinorVersionNumber")
			v.Major, v.Minor = uint32(maj), uint32(min)
		} else if cv := regStr("CurrentVersion"); cv != "" {
			maj, min := splitMajorMinor(cv)
			v.Major, v.Minor = maj, min
		}
		b := regStr("CurrentBuild")
		if b == "" {
			b = regStr("CurrentBuildNumber")
		}
		if n, err := strconv.ParseUint(b, 10, 32); err == nil {
			v.Build = uint32(n)
		}
		v.CSDVersion = regStr("CSDVersion")
	}
	if v.Major == 0 {
		info.Name = "Windows"
		info.Findings = append(info.Findings, unreadable("windows version"))
		return info
	}
	// CurrentBuild is not shimmed by compatibility mode, CurrentBuildNumber
	// may be (detection.md §2.1, [C]); RtlGetVersion wins when we have it.
	build := strconv.FormatUint(uint64(v.Build), 10)
	if ubr, ok := RegUint(reg, LocalMachine, keyCurrentVersion, "UBR"); ok && ubr > 0 {
		build += "." + strconv.FormatUint(ubr, 10)
	}
	info.Build = build
	info.Kernel = fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Build)
	info.ServicePack = v.CSDVersion
	if info.ServicePack == "" {
		info.ServicePack = regStr("CSDVersion")
	}
	info.Edition = regStr("EditionID")

	// Server or workstation: wProductType from RtlGetVersion, else the
	// registry's InstallationType (Client / Server / Server Core).
	switch {
	case v.ProductType == 2 || v.ProductType == 3:
		info.Server = true
	case v.ProductType == 1:
	default:
		it := regStr("InstallationType")
		info.Server = strings.HasPrefix(it, "Server") || strings.Contains(regStr("ProductName"), "Server")
	}

	info.Name = windowsName(regStr("ProductName"), v, info.Server)
	switch {
	case regStr("DisplayVersion") != "":
		info.Version = regStr("DisplayVersion") // 20H2 and later
	case v.Major == 10 && regStr("ReleaseId") != "":
		info.Version = regStr("ReleaseId") // 1511 … 2009
	default:
		info.Version = fmt.Sprintf("%d.%d", v.Major, v.Minor)
	}

	info.TLS = schannel(reg, windowsBaseTLS(v, info.Server))
	if v.Major > 6 || v.Major == 6 && v.Minor >= 1 {
		info.Stacks = append(info.Stacks, winHTTP(reg, v, info.TLS))
	}
	return info
}

func splitMajorMinor(s string) (uint32, uint32) {
	parts := strings.SplitN(s, ".", 3)
	maj, _ := strconv.ParseUint(parts[0], 10, 32)
	var min uint64
	if len(parts) > 1 {
		min, _ = strconv.ParseUint(parts[1], 10, 32)
	}
	return uint32(maj), uint32(min)
}

// windowsName is the product name. ProductName still says "Windows 10" on
// Windows 11, so build ≥ 22000 on a workstation means Windows 11; never on
// servers, where Server 2022 is 20348 and Server 2025 is 26100
// (detection.md §2.1: os_info PR #322, RegRipper #67; tls-compat.md A1).
// Wine writes "Microsoft Windows 7" and the like, so "Microsoft " is cut.
func windowsName(product string, v WinVersion, server bool) string {
	name := strings.TrimSpace(strings.TrimPrefix(product, "Microsoft "))
	if name == "" {
		name = windowsNameFromVersion(v, server)
	}
	if !server && v.Major == 10 && v.Build >= 22000 && strings.Contains(name, "Windows 10") {
		name = strings.Replace(name, "Windows 10", "Windows 11", 1)
	}
	if !server && v.Major == 10 && v.Build >= 22000 && name == "Windows" {
		name = "Windows 11"
	}
	return name
}

// windowsNameFromVersion names a version when the registry has no
// ProductName. Version numbers: detection.md §2.1 and tls-compat.md A1
// (5.1 XP, 5.2 Server 2003, 6.0 Vista/2008, 6.1 7/2008 R2, 6.2 8/2012,
// 6.3 8.1/2012 R2; Server 14393 = 2016, 17763 = 2019, 20348 = 2022,
// 26100 = 2025).
func windowsNameFromVersion(v WinVersion, server bool) string {
	type row struct {
		maj, min    uint32
		client, srv string
	}
	rows := []row{
		{5, 0, "Windows 2000", "Windows 2000 Server"},
		{5, 1, "Windows XP", "Windows XP"},
		{5, 2, "Windows XP x64", "Windows Server 2003"},
		{6, 0, "Windows Vista", "Windows Server 2008"},
		{6, 1, "Windows 7", "Windows Server 2008 R2"},
		{6, 2, "Windows 8", "Windows Server 2012"},
		{6, 3, "Windows 8.1", "Windows Server 2012 R2"},
	}
	for _, r := range rows {
		if v.Major == r.maj && v.Minor == r.min {
			if server {
				return r.srv
			}
			return r.client
		}
	}
	if v.Major == 10 {
		if !server {
			if v.Build >= 22000 {
				return "Windows 11"
			}
			return "Windows 10"
		}
		switch {
		case v.Build >= 26100:
			return "Windows Server 2025"
		case v.Build >= 20348:
			return "Windows Server 2022"
		case v.Build >= 17763:
			return "Windows Server 2019"
		case v.Build >= 14393:
			return "Windows Server 2016"
		}
		return "Windows Server"
	}
	return fmt.Sprintf("Windows %d.%d", v.Major, v.Minor)
}

// windowsBaseTLS is what SChannel offers as a client with no registry
// changes: Microsoft "Protocols in TLS/SSL (Schannel SSP)" (2024-11-15) and
// [MS-TLSP] Appendix A, as tabulated in tls-compat.md A1.
func windowsBaseTLS(v WinVersion, server bool) TLS {
	switch {
	case v.Major < 6: // XP, Server 2003: TLS 1.0 only
		return tls(Default, No, No, No)
	case v.Major == 6 && v.Minor == 0:
		// Vista / Server 2008: TLS 1.1/1.2 only on Server 2008 SP2 with
		// KB4019276, and then disabled by default.
		if server && v.Build >= 6002 {
			return tls(Default, Off, Off, No)
		}
		return tls(Default, No, No, No)
	case v.Major == 6 && v.Minor == 1:
		// Windows 7 / 2008 R2: TLS 1.1 and 1.2 present but disabled by
		// default for clients.
		return tls(Default, Off, Off, No)
	case v.Major == 6: // 8, 8.1, 2012, 2012 R2
		return tls(Default, Default, Default, No)
	case v.Major == 10:
		// TLS 1.3 from Windows 11 (22000) and Server 2022 (20348); Windows 10
		// is officially "not supported" (tls-compat.md (c) 3).
		if (!server && v.Build >= 22000) || (server && v.Build >= 20348) {
			return tls(Default, Default, Default, Default)
		}
		return tls(Default, Default, Default, No)
	}
	return tls(Unknown, Unknown, Default, Default)
}

// schannel applies the administrator's SChannel client settings: under
// Protocols\TLS x.y\Client, Enabled=0 means disabled, DisabledByDefault≠0
// means disabled by default (both "off"), Enabled≠0 with
// DisabledByDefault=0 means enabled (MS "TLS registry settings",
// tls-compat.md key concept 1). A setting that enables a version the
// system does not have by itself (XP with the POSReady update, Vista with
// KB4019276) cannot be verified from here: unknown.
func schannel(reg Registry, base TLS) TLS {
	out := base
	for _, ver := range Versions {
		key := keySChannel + `\TLS ` + ver + `\Client`
		enabled, hasE := RegUint(reg, LocalMachine, key, "Enabled")
		dbd, hasD := RegUint(reg, LocalMachine, key, "DisabledByDefault")
		switch {
		case hasE && enabled == 0:
			if base.Get(ver) != No {
				out.set(ver, Off)
			}
		case hasD && dbd != 0:
			if base.Get(ver) != No {
				out.set(ver, Off)
			}
		case (hasE && enabled != 0) || (hasD && dbd == 0):
			switch base.Get(ver) {
			case No:
				if ver != "1.3" {
					out.set(ver, Unknown)
				}
			default:
				out.set(ver, Default)
			}
		}
	}
	return out
}

// WinHTTP flags in DefaultSecureProtocols (KB3140245: 0x80 TLS 1.0, 0x200
// TLS 1.1, 0x800 TLS 1.2; winhttp.h WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_3
// 0x2000).
var winHTTPFlags = map[string]uint64{"1.0": 0x80, "1.1": 0x200, "1.2": 0x800, "1.3": 0x2000}

// winHTTP is WinHTTP's default protocol set, which Outlook's Exchange and
// Autodiscover traffic uses: on Windows 7 and 8 only SSL 3 and TLS 1.0
// unless KB3140245 and DefaultSecureProtocols say otherwise; from 8.1 on
// TLS 1.1/1.2 too (tls-compat.md key concept 2: KB3140245,
// microsoft/cpprestsdk#246 citing MS aa384066). A version SChannel itself
// cannot do stays as SChannel says.
func winHTTP(reg Registry, v WinVersion, sch TLS) Stack {
	st := Stack{Name: "WinHTTP", Version: fmt.Sprintf("%d.%d", v.Major, v.Minor)}
	old := v.Major == 6 && v.Minor <= 2
	if old {
		st.TLS = tls(Default, Off, Off, No)
	} else {
		st.TLS = tls(Default, Default, Default, sch.V13)
	}
	mask, ok := RegUint(reg, LocalMachine, keyWinHTTP, "DefaultSecureProtocols")
	if !ok {
		mask, ok = RegUint(reg, LocalMachine, keyWinHTTP32, "DefaultSecureProtocols")
	}
	if ok {
		st.Note = fmt.Sprintf("DefaultSecureProtocols=0x%X", mask)
		for _, ver := range Versions {
			if mask&winHTTPFlags[ver] != 0 {
				st.TLS.set(ver, Default)
			} else {
				st.TLS.set(ver, Off)
			}
		}
	}
	for _, ver := range Versions {
		if s := sch.Get(ver); s == No || s == Unknown {
			st.TLS.set(ver, s)
		}
	}
	return st
}
