package system

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
)

// ParseReg reads a registry export in the .reg format of regedit
// ("Windows Registry Editor Version 5.00", UTF-16LE with a BOM, or
// "REGEDIT4", 8-bit) into a MemRegistry. The same files are imported into
// Wine with `wine reg import` by scripts/test-wine.sh, so the Linux tests
// and the Wine run read the same data.
//
// Format (Microsoft, "How to add, modify, or delete registry subkeys and
// values by using a .reg file", KB310516): [KEY] lines, [-KEY] deletes a
// key; "name"=... or @=... values: "string", dword:XXXXXXXX, hex:bytes
// (REG_BINARY), hex(N):bytes for other types (2 EXPAND_SZ, 7 MULTI_SZ,
// b QWORD), and - to delete; a trailing backslash continues a line; ';'
// starts a comment.
func ParseReg(data []byte) (*MemRegistry, error) {
	m := NewMemRegistry()
	if err := m.Import(data); err != nil {
		return nil, err
	}
	return m, nil
}

// Import adds the contents of a .reg file to m, as `reg import` does.
func (m *MemRegistry) Import(data []byte) error {
	text, err := regText(data)
	if err != nil {
		return err
	}
	lines := joinContinued(strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n"))
	var root Root
	var path string
	inKey, header := false, false
	for _, ln := range lines {
		line := strings.TrimSpace(ln.text)
		if line == "" || strings.HasPrefix(line, ";") {
			continue
		}
		if !header {
			if line != "Windows Registry Editor Version 5.00" && line != "REGEDIT4" {
				return fmt.Errorf("line %d: not a .reg file (no \"Windows Registry Editor Version 5.00\" or \"REGEDIT4\" header)", ln.no)
			}
			header = true
			continue
		}
		if strings.HasPrefix(line, "[") {
			if !strings.HasSuffix(line, "]") {
				return fmt.Errorf("line %d: unterminated key name", ln.no)
			}
			name := line[1 : len(line)-1]
			del := strings.HasPrefix(name, "-")
			r, p, err := splitHive(strings.TrimPrefix(name, "-"))
			if err != nil {
				return fmt.Errorf("line %d: %v", ln.no, err)
			}
			if del {
				m.DeleteKey(r, p)
				inKey = false
				continue
			}
			root, path, inKey = r, p, true
			m.ensure(root, path)
			continue
		}
		if !inKey {
			return fmt.Errorf("line %d: value outside a key", ln.no)
		}
		name, rest, err := valueName(line)
		if err != nil {
			return fmt.Errorf("line %d: %v", ln.no, err)
		}
		if rest == "-" {
			m.DeleteValue(root, path, name)
			continue
		}
		v, err := regValue(rest)
		if err != nil {
			return fmt.Errorf("line %d: %q: %v", ln.no, name, err)
		}
		m.Set(root, path, name, v)
	}
	if !header {
		return fmt.Errorf("not a .reg file (empty)")
	}
	return nil
}

type regLine struct {
	no   int
	text string
}

// joinContinued joins lines ending in a backslash (long hex values) with
// the next.
func joinContinued(raw []string) []regLine {
	var out []regLine
	for i := 0; i < len(raw); i++ {
		start := i
		s := raw[i]
		for strings.HasSuffix(strings.TrimRight(s, " \t"), `\`) && !strings.HasPrefix(strings.TrimSpace(s), "[") && i+1 < len(raw) {
			s = strings.TrimSuffix(strings.TrimRight(s, " \t"), `\`) + strings.TrimSpace(raw[i+1])
			i++
		}
		out = append(out, regLine{no: start + 1, text: s})
	}
	return out
}

func regText(data []byte) (string, error) {
	if bytes.HasPrefix(data, []byte{0xff, 0xfe}) {
		body := data[2:]
		if len(body)%2 != 0 {
			body = body[:len(body)-1]
		}
		return strings.TrimRight(utf16All(body), "\x00"), nil
	}
	data = bytes.TrimPrefix(data, []byte{0xef, 0xbb, 0xbf})
	return latin1(data), nil
}

var hiveNames = map[string]Root{
	"HKEY_LOCAL_MACHINE": LocalMachine,
	"HKLM":               LocalMachine,
	"HKEY_CURRENT_USER":  CurrentUser,
	"HKCU":               CurrentUser,
}

func splitHive(full string) (Root, string, error) {
	hive, path := full, ""
	if i := strings.IndexByte(full, '\\'); i >= 0 {
		hive, path = full[:i], full[i+1:]
	}
	r, ok := hiveNames[strings.ToUpper(hive)]
	if !ok {
		return "", "", fmt.Errorf("unknown hive %q", hive)
	}
	return r, path, nil
}

// valueName reads `"name"=` or `@=` and returns the rest after '='.
func valueName(line string) (name, rest string, err error) {
	if strings.HasPrefix(line, "@") {
		rest = strings.TrimSpace(line[1:])
		if !strings.HasPrefix(rest, "=") {
			return "", "", fmt.Errorf("expected '=' after @")
		}
		return "", strings.TrimSpace(rest[1:]), nil
	}
	if !strings.HasPrefix(line, `"`) {
		return "", "", fmt.Errorf("expected a quoted value name")
	}
	s, n, err := regQuoted(line)
	if err != nil {
		return "", "", err
	}
	rest = strings.TrimSpace(line[n:])
	if !strings.HasPrefix(rest, "=") {
		return "", "", fmt.Errorf("expected '=' after the name")
	}
	return s, strings.TrimSpace(rest[1:]), nil
}

// regQuoted reads a "..." string with \\ and \" escapes; n is the number of
// bytes consumed.
func regQuoted(s string) (string, int, error) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if i+1 < len(s) {
				i++
				b.WriteByte(s[i])
			}
		case '"':
			return b.String(), i + 1, nil
		default:
			b.WriteByte(s[i])
		}
	}
	return "", 0, fmt.Errorf("unterminated string")
}

func regValue(s string) (Value, error) {
	switch {
	case strings.HasPrefix(s, `"`):
		str, n, err := regQuoted(s)
		if err != nil {
			return Value{}, err
		}
		if t := strings.TrimSpace(s[n:]); t != "" && !strings.HasPrefix(t, ";") {
			return Value{}, fmt.Errorf("text after the string")
		}
		return SZ(str), nil
	case strings.HasPrefix(strings.ToLower(s), "dword:"):
		n, err := strconv.ParseUint(strings.TrimSpace(s[6:]), 16, 32)
		if err != nil {
			return Value{}, fmt.Errorf("bad dword")
		}
		return DWORD(uint32(n)), nil
	case strings.HasPrefix(strings.ToLower(s), "hex:"):
		b, err := regHex(s[4:])
		return Value{Type: RegBinary, Data: b}, err
	case strings.HasPrefix(strings.ToLower(s), "hex("):
		end := strings.Index(s, "):")
		if end < 0 {
			return Value{}, fmt.Errorf("bad hex(type)")
		}
		t, err := strconv.ParseUint(s[4:end], 16, 32)
		if err != nil {
			return Value{}, fmt.Errorf("bad hex(type)")
		}
		b, err := regHex(s[end+2:])
		if err != nil {
			return Value{}, err
		}
		if ValueType(t) == RegDWORD && len(b) != 4 || ValueType(t) == RegQWORD && len(b) != 8 {
			return Value{}, fmt.Errorf("wrong length for hex(%x)", t)
		}
		return Value{Type: ValueType(t), Data: b}, nil
	}
	return Value{}, fmt.Errorf("unknown value format")
}

func regHex(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return []byte{}, nil
	}
	parts := strings.Split(s, ",")
	out := make([]byte, 0, len(parts))
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if len(p) != 2 {
			return nil, fmt.Errorf("bad hex byte %q", p)
		}
		b, err := hex.DecodeString(p)
		if err != nil {
			return nil, fmt.Errorf("bad hex byte %q", p)
		}
		out = append(out, b[0])
	}
	return out, nil
}

// FormatReg writes a registry value in .reg syntax (used by tests and by
// exports that must round-trip through ParseReg and `reg import`).
func FormatReg(name string, v Value) string {
	var b strings.Builder
	if name == "" {
		b.WriteString("@=")
	} else {
		b.WriteString(`"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(name) + `"=`)
	}
	switch v.Type {
	case RegDWORD:
		if len(v.Data) == 4 {
			fmt.Fprintf(&b, "dword:%08x", binary.LittleEndian.Uint32(v.Data))
			return b.String()
		}
	case RegSZ:
		s := utf16String(v.Data)
		if !strings.ContainsAny(s, "\r\n") {
			b.WriteString(`"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`)
			return b.String()
		}
	}
	if v.Type == RegBinary {
		b.WriteString("hex:")
	} else {
		fmt.Fprintf(&b, "hex(%x):", uint32(v.Type))
	}
	for i, c := range v.Data {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%02x", c)
	}
	return b.String()
}
