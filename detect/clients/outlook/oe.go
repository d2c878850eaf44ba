package outlook

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"

	"maildoctor.app/maildoctor/detect/clients"
	"maildoctor.app/maildoctor/detect/server"
	"maildoctor.app/maildoctor/detect/system"
)

// liveMail finds Windows Live Mail and Vista's Windows Mail: HKCU\Software
// \Microsoft\Windows Live Mail (or Windows Mail) "Store Root"
// (REG_EXPAND_SZ, usually %LOCALAPPDATA%\Microsoft\Windows Live Mail),
// walked for *.oeaccount files (comm-central nsWMUtils.cpp FindWMKey,
// GetRootFolder, GetOEAccountFilesInFolder; detection.md §2.5).
func liveMail(p *system.Platform) []clients.Client {
	var out []clients.Client
	for _, app := range []struct{ key, id, name, exe string }{
		{`Software\Microsoft\Windows Live Mail`, clients.WindowsLive, "Windows Live Mail", "Windows Live/Mail/wlmail.exe"},
		{`Software\Microsoft\Windows Mail`, clients.WindowsMail, "Windows Mail", "Windows Mail/WinMail.exe"},
	} {
		if !system.RegKeyExists(p.Registry, hkcu, app.key) {
			continue
		}
		c := newClient(app.id, app.name)
		c.Packaging = "msi"
		for _, pf := range []string{p.Env("ProgramFiles(x86)"), p.Env("ProgramFiles"), `C:\Program Files (x86)`, `C:\Program Files`} {
			if pf == "" {
				continue
			}
			exe := system.Join(system.SlashPath(pf), app.exe)
			if system.Exists(p.FS, exe) {
				c.Path = exe
				if p.FileVersion != nil {
					if v, err := p.FileVersion(exe); err == nil {
						c.Version = v
					}
				}
				break
			}
		}
		root, ok := system.RegString(p.Registry, hkcu, app.key, "Store Root")
		if ok && root != "" {
			dir := system.SlashPath(expandEnv(root, p))
			files := findOEAccounts(p.FS, dir, 4)
			for _, f := range files {
				data, err := p.FS.ReadFile(f)
				if err != nil {
					c.Findings = append(c.Findings, clients.StoreBroken(app.id, f, err))
					continue
				}
				a, err := ParseOEAccount(data)
				if err != nil {
					c.Findings = append(c.Findings, clients.StoreBroken(app.id, f, err))
					continue
				}
				if a.Incoming == nil && a.Outgoing == nil {
					continue // a news or directory account
				}
				a.Source = f
				a.Key = f[strings.LastIndexByte(f, '/')+1:]
				if a.Incoming != nil {
					a.Incoming.Key = f
				}
				if a.Outgoing != nil {
					a.Outgoing.Key = f
				}
				c.Accounts = append(c.Accounts, a)
			}
		}
		out = append(out, c)
	}
	return out
}

// expandEnv expands %VAR% references (REG_EXPAND_SZ) with p's
// environment.
func expandEnv(s string, p *system.Platform) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '%')
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i+1:], '%')
		if j < 0 {
			break
		}
		name := s[i+1 : i+1+j]
		val := p.Env(name)
		if val == "" {
			val = p.Env(strings.ToUpper(name))
		}
		if val == "" && strings.EqualFold(name, "LOCALAPPDATA") {
			val = system.Join(p.Home, "AppData/Local")
		}
		if val == "" && strings.EqualFold(name, "USERPROFILE") {
			val = p.Home
		}
		b.WriteString(s[:i])
		b.WriteString(val)
		s = s[i+2+j:]
	}
	b.WriteString(s)
	return b.String()
}

// findOEAccounts walks dir (at most depth levels, at most 500 files) for
// *.oeaccount; POP3 accounts sit in "Local Folders" (MS "New Handling for
// Account Data", ms715237).
func findOEAccounts(fsys system.FS, dir string, depth int) []string {
	var out []string
	var walk func(d string, level int)
	walk = func(d string, level int) {
		entries, err := fsys.ReadDir(d)
		if err != nil || len(out) > 500 {
			return
		}
		for _, e := range entries {
			full := system.Join(d, e.Name())
			if e.IsDir() {
				if level < depth {
					walk(full, level+1)
				}
				continue
			}
			if strings.HasSuffix(strings.ToLower(e.Name()), ".oeaccount") {
				out = append(out, full)
			}
		}
	}
	walk(dir, 0)
	sort.Strings(out)
	return out
}

// ParseOEAccount reads a Windows Live Mail / Windows Mail .oeaccount
// file: XML with a <MessageAccount> root and typed elements,
// <IMAP_Server type="SZ">…</IMAP_Server>, <IMAP_Port type="DWORD">000003e1
// </IMAP_Port> (DWORDs are hex text: OpaqueMail NumberStyles.HexNumber,
// comm-central nsWMSettings.cpp ToInteger(&err, 16)). The file holds only
// values changed from the defaults: a missing port is 143/110/25 and a
// missing *_Secure_Connection is 0 (ms715237; detection.md §2.5). Files
// are UTF-16 with a BOM or UTF-8. Password elements are never read.
//
// Security: IMAP/POP3 *_Secure_Connection ≠ 0 is SSL (implicit TLS), as
// Thunderbird's importer reads it; SMTP_Secure_Connection = 1 is SSL on
// 465 and STARTTLS on any other port, the rule Thunderbird applies to
// Outlook Express (nsOESettings.cpp, detection.md §2.4).
func ParseOEAccount(data []byte) (clients.Account, error) {
	var a clients.Account
	vals, err := oeValues(data)
	if err != nil {
		return a, err
	}
	a.Name = vals["Account_Name"]
	a.Email = vals["SMTP_Email_Address"]
	for _, proto := range []server.Protocol{server.IMAP, server.POP3} {
		prefix := strings.ToUpper(string(proto)) + "_"
		host := vals[prefix+"Server"]
		if host == "" {
			continue
		}
		s := &clients.Server{Protocol: proto, Host: host, User: vals[prefix+"User_Name"], Security: server.None}
		if n, _ := hexDWORD(vals[prefix+"Secure_Connection"]); n != 0 {
			s.Security = server.TLS
		}
		if n, ok := hexDWORD(vals[prefix+"Port"]); ok && n > 0 && n <= 65535 {
			s.Port = int(n)
		} else {
			s.Port, s.PortDefault = server.DefaultPort(proto, server.StartTLS), true
		}
		a.Incoming = s
		break
	}
	if host := vals["SMTP_Server"]; host != "" {
		s := &clients.Server{Protocol: server.SMTP, Host: host, User: vals["SMTP_User_Name"], Security: server.None}
		if n, ok := hexDWORD(vals["SMTP_Port"]); ok && n > 0 && n <= 65535 {
			s.Port = int(n)
		} else {
			s.Port, s.PortDefault = 25, true
		}
		if n, _ := hexDWORD(vals["SMTP_Secure_Connection"]); n == 1 {
			s.Security = server.StartTLS
			if s.Port == 465 {
				s.Security = server.TLS
			}
		}
		a.Outgoing = s
	}
	if a.Email == "" && a.Incoming != nil && strings.Contains(a.Incoming.User, "@") {
		a.Email = a.Incoming.User
	}
	return a, nil
}

func hexDWORD(s string) (uint64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	n, err := strconv.ParseUint(s, 16, 32)
	return n, err == nil
}

var errNotOEAccount = errors.New("not an .oeaccount file (no MessageAccount element)")

// oeValues returns the SZ and DWORD children of <MessageAccount>.
func oeValues(data []byte) (map[string]string, error) {
	if bytes.HasPrefix(data, []byte{0xff, 0xfe}) || bytes.HasPrefix(data, []byte{0xfe, 0xff}) {
		data = utf16ToUTF8(data)
	}
	data = bytes.TrimPrefix(data, []byte{0xef, 0xbb, 0xbf})
	dec := xml.NewDecoder(bytes.NewReader(data))
	// The bytes are UTF-8 by now, whatever the declaration says.
	dec.CharsetReader = func(label string, r io.Reader) (io.Reader, error) { return r, nil }
	vals := map[string]string{}
	depth, inAccount := 0, false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			if inAccount && len(vals) > 0 {
				return vals, nil // truncated: keep what was read
			}
			return nil, fmt.Errorf("oeaccount: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth == 1 {
				if t.Name.Local != "MessageAccount" {
					return nil, errNotOEAccount
				}
				inAccount = true
				continue
			}
			if depth != 2 {
				continue
			}
			typ := ""
			for _, at := range t.Attr {
				if at.Name.Local == "type" {
					typ = at.Value
				}
			}
			var text string
			if err := dec.DecodeElement(&text, &t); err != nil {
				if len(vals) > 0 {
					return vals, nil
				}
				return nil, fmt.Errorf("oeaccount: %v", err)
			}
			depth--
			if (typ == "SZ" || typ == "DWORD") && !strings.Contains(t.Name.Local, "Password") {
				vals[t.Name.Local] = strings.TrimSpace(text)
			}
		case xml.EndElement:
			depth--
		}
	}
	if !inAccount {
		return nil, errNotOEAccount
	}
	return vals, nil
}

func utf16ToUTF8(b []byte) []byte {
	big := b[0] == 0xfe
	b = b[2:]
	u := make([]uint16, len(b)/2)
	for i := range u {
		if big {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
		}
	}
	return []byte(string(utf16.Decode(u)))
}

// outlookExpress reads HKCU\Identities "Default User ID" →
// Identities\{id}\Software\Microsoft\Internet Account Manager\Accounts\N,
// falling back to Software\Microsoft\Internet Account Manager\Accounts;
// REG_SZ strings and DWORD numbers (comm-central nsOESettings.cpp;
// detection.md §2.4). Version: msimn.exe's file version.
func outlookExpress(p *system.Platform) (clients.Client, bool) {
	c := newClient(clients.OutlookExpress, "Outlook Express")
	var bases []string
	if id, ok := system.RegString(p.Registry, hkcu, `Identities`, "Default User ID"); ok && id != "" {
		bases = append(bases, `Identities\`+id+`\Software\Microsoft\Internet Account Manager\Accounts`)
	}
	bases = append(bases, `Software\Microsoft\Internet Account Manager\Accounts`)
	for _, base := range bases {
		for _, n := range system.RegSubKeys(p.Registry, hkcu, base) {
			if a, ok := oeRegistryAccount(p.Registry, base+`\`+n); ok {
				a.Key = n
				c.Accounts = append(c.Accounts, a)
			}
		}
		if len(c.Accounts) > 0 {
			break
		}
	}
	pf := system.SlashPath(p.Env("ProgramFiles"))
	if pf == "" {
		pf = "C:/Program Files"
	}
	exe := system.Join(pf, "Outlook Express/msimn.exe")
	installed := system.Exists(p.FS, exe)
	if installed {
		c.Path = exe
		if p.FileVersion != nil {
			if v, err := p.FileVersion(exe); err == nil {
				c.Version = v
			}
		}
	}
	// Outlook Express ships with Windows up to XP/2003 and its msimn.exe
	// lingers as a stub on later systems: without accounts it is only
	// listed on XP-era systems, where it is the likely mail program.
	if len(c.Accounts) == 0 && !(installed && system.RegKeyExists(p.Registry, hklm, `SOFTWARE\Microsoft\Outlook Express`)) {
		return c, false
	}
	if len(c.Accounts) == 0 && p.WindowsVersion != nil {
		if v, err := p.WindowsVersion(); err == nil && v.Major >= 6 {
			return c, false
		}
	}
	return c, true
}

func oeRegistryAccount(reg system.Registry, key string) (clients.Account, bool) {
	str := func(name string) string {
		s, _ := system.RegString(reg, hkcu, key, name)
		return strings.TrimSpace(s)
	}
	num := func(name string) (uint64, bool) { return system.RegUint(reg, hkcu, key, name) }
	a := clients.Account{Source: `HKEY_CURRENT_USER\` + key, Name: str("Account Name"), Email: str("SMTP Email Address")}
	for _, proto := range []server.Protocol{server.IMAP, server.POP3} {
		prefix := strings.ToUpper(string(proto)) + " "
		host := str(prefix + "Server")
		if host == "" {
			continue
		}
		s := &clients.Server{Protocol: proto, Host: host, User: str(prefix + "User Name"), Security: server.None, Key: a.Source}
		if n, _ := num(prefix + "Secure Connection"); n == 1 {
			s.Security = server.TLS
		}
		s.Port, s.PortDefault = port(num(prefix+"Port"))(proto, s.Security)
		a.Incoming = s
		break
	}
	if host := str("SMTP Server"); host != "" {
		s := &clients.Server{Protocol: server.SMTP, Host: host, User: str("SMTP User Name"), Security: server.None, Key: a.Source}
		if n, ok := num("SMTP Port"); ok && n > 0 && n <= 65535 {
			s.Port = int(n)
		} else {
			s.Port, s.PortDefault = 25, true
		}
		if n, _ := num("SMTP Secure Connection"); n == 1 {
			s.Security = server.StartTLS
			if s.Port == 465 {
				s.Security = server.TLS
			}
		}
		a.Outgoing = s
	}
	if a.Incoming == nil && a.Outgoing == nil {
		return a, false
	}
	return a, true
}
