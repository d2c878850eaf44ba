package export

import (
	"fmt"
	"strings"

	"maildoctor.app/maildoctor/detect/compat"
)

// The registry changes that switch on TLS 1.1 and 1.2 on Windows 7 and 8:
// detect/compat holds them (windows_tls12.go), so that this file, compat's
// steps and fix --enable-tls12 (fix/apply) agree.
const (
	SChannelKey            = compat.SChannelClientKey
	WinHTTPKey             = compat.WinHTTPKey
	WinHTTPKeyWow64        = compat.WinHTTPKeyWow64
	DefaultSecureProtocols = compat.DefaultSecureProtocols
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
		"; POP, IMAP and SMTP mail need only the SChannel keys; the WinHttp keys are",
		"; for Outlook's Exchange and Autodiscover and count once Windows update",
		"; KB3140245 is installed. Importing this file needs an administrator;",
		"; restart the computer afterwards.",
		"",
	}
	vals := compat.SChannelValues()
	for _, v := range compat.SChannelVersions() {
		lines = append(lines,
			"["+strings.Replace(SChannelKey, "%s", v, 1)+"]",
			fmt.Sprintf(`"DisabledByDefault"=dword:%08x`, vals["DisabledByDefault"]),
			fmt.Sprintf(`"Enabled"=dword:%08x`, vals["Enabled"]),
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
