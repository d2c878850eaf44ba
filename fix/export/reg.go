package export

import (
	"fmt"
	"strings"
)

// The registry changes that switch on TLS 1.1 and 1.2 on Windows 7 and 8
// (research: tls-compat.md; Microsoft "TLS registry settings" and
// KB3140245).
const (
	// SChannelKey is the client side of a TLS version in SChannel, used by
	// Outlook, Windows Live Mail and every program that relies on
	// Windows' own TLS. "Enabled"=1 and "DisabledByDefault"=0 make the
	// version available to programs that do not ask for it by name.
	SChannelKey = `HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\%s\Client`
	// WinHTTPKey and WinHTTPKeyWow64 hold WinHTTP's default protocols for
	// 64-bit and 32-bit programs (Outlook's Autodiscover and other HTTP
	// traffic). They take effect only with KB3140245 installed.
	WinHTTPKey      = `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Internet Settings\WinHttp`
	WinHTTPKeyWow64 = `HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node\Microsoft\Windows\CurrentVersion\Internet Settings\WinHttp`
	// DefaultSecureProtocols is TLS 1.0 (0x80) + 1.1 (0x200) + 1.2
	// (0x800): KB3140245's value, which keeps TLS 1.0 for servers that
	// still need it.
	DefaultSecureProtocols = 0x00000A80
)

// Reg is the .reg file for Windows 7 and 8. It is REGEDIT4, not "Windows
// Registry Editor Version 5.00": the file holds only DWORDs under ASCII
// key names, so the older format says the same thing in plain ASCII, which
// regedit on every Windows version imports and which no mail program,
// browser or editor can spoil by changing the encoding; a version 5 file
// would have to be UTF-16LE with a byte-order mark to be safe. Lines end
// in CRLF, as regedit writes them.
//
// The file is only ever saved for the customer to open: importing it
// needs an administrator, Windows asks for confirmation, and a restart
// follows. Mail Doctor never applies it.
func Reg() []byte {
	lines := []string{
		"REGEDIT4",
		"",
		"; Mail Doctor: switch on TLS 1.1 and TLS 1.2 on Windows 7 and Windows 8,",
		"; for mail programs that use Windows' own TLS (Outlook, Windows Live Mail).",
		"; Install Windows update KB3140245 first. Importing this file needs an",
		"; administrator; restart the computer afterwards.",
		"",
	}
	for _, v := range []string{"TLS 1.1", "TLS 1.2"} {
		lines = append(lines,
			"["+strings.Replace(SChannelKey, "%s", v, 1)+"]",
			`"DisabledByDefault"=dword:00000000`,
			`"Enabled"=dword:00000001`,
			"")
	}
	for _, k := range []string{WinHTTPKey, WinHTTPKeyWow64} {
		lines = append(lines,
			"["+k+"]",
			fmt.Sprintf(`"DefaultSecureProtocols"=dword:%08x`, DefaultSecureProtocols),
			"")
	}
	return []byte(strings.Join(lines, "\r\n"))
}
