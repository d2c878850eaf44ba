package compat

import (
	"fmt"
	"strings"
)

// Switching TLS 1.1 and 1.2 on for Windows 7 SP1 (and WinHTTP's defaults on
// Windows 7 and 8.0): the keys and values in one place, so that compat's
// steps, fix's plan, the exported .reg (fix/export) and the automatic
// switch (fix/apply) say and write the same thing. Sources: Microsoft,
// "Transport Layer Security (TLS) registry settings",
// https://learn.microsoft.com/en-us/windows-server/security/tls/tls-registry-settings;
// KB3140245, https://support.microsoft.com/kb/3140245.
const (
	// SChannelClientKey is the client side of one TLS version in SChannel
	// (%s is "TLS 1.2"): the key mail over POP, IMAP and SMTP needs, for
	// Outlook, Windows Live Mail and every program on Windows' own TLS.
	SChannelClientKey = `HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\%s\Client`
	// WinHTTPKey and WinHTTPKeyWow64 hold WinHTTP's default protocols for
	// 64-bit and 32-bit programs: Outlook's Exchange, Microsoft 365 and
	// Autodiscover traffic, not mail over POP/IMAP/SMTP. They count only
	// once KB3140245 is installed.
	WinHTTPKey      = `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Internet Settings\WinHttp`
	WinHTTPKeyWow64 = `HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node\Microsoft\Windows\CurrentVersion\Internet Settings\WinHttp`
	// DefaultSecureProtocols is TLS 1.0 (0x80) + 1.1 (0x200) + 1.2 (0x800).
	// TLS 1.0 stays so that an Exchange server that still needs it keeps
	// working; it does not touch mail, which goes through SChannel's keys.
	DefaultSecureProtocols = 0x00000A80
)

// SChannelVersions are the versions whose Client keys the switch turns on.
func SChannelVersions() []string { return []string{"TLS 1.1", "TLS 1.2"} }

// SChannelValues are the DWORDs every SChannelVersions Client key gets:
// enabled, and offered to programs that do not ask for the version by name.
func SChannelValues() map[string]uint32 {
	return map[string]uint32{"DisabledByDefault": 0, "Enabled": 1}
}

// shortKey writes a key as the steps show it: HKLM\… .
func shortKey(k string) string {
	return strings.Replace(k, `HKEY_LOCAL_MACHINE\`, `HKLM\`, 1)
}

// stepArgs fills the keys and values of the Windows steps from the
// constants above: the data names the step, never its values, so the text
// cannot drift from what the .reg file and fix --enable-tls12 write.
func stepArgs(a Action) Action {
	var add map[string]string
	switch a.Key {
	case "compat.action.schannel_enable":
		v := "TLS " + a.Args["version"]
		add = map[string]string{"key": shortKey(fmt.Sprintf(SChannelClientKey, v))}
	case "compat.action.winhttp_default":
		add = map[string]string{"value": fmt.Sprintf("0x%X", DefaultSecureProtocols),
			"key": shortKey(WinHTTPKey), "key32": shortKey(WinHTTPKeyWow64)}
	default:
		return a
	}
	args := map[string]string{}
	for k, v := range a.Args {
		args[k] = v
	}
	for k, v := range add {
		args[k] = v
	}
	a.Args = args
	return a
}
