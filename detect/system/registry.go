package system

import (
	"encoding/binary"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Root is a registry hive.
type Root string

// Hives that detection reads.
const (
	LocalMachine Root = "HKEY_LOCAL_MACHINE"
	CurrentUser  Root = "HKEY_CURRENT_USER"
)

// ValueType is a registry value type, with Windows' REG_* numbers
// (winnt.h).
type ValueType uint32

// Registry value types.
const (
	RegNone     ValueType = 0
	RegSZ       ValueType = 1
	RegExpandSZ ValueType = 2
	RegBinary   ValueType = 3
	RegDWORD    ValueType = 4
	RegMultiSZ  ValueType = 7
	RegQWORD    ValueType = 11
)

// Value is a registry value as stored: its type and raw bytes (strings are
// UTF-16LE with a terminating NUL, DWORDs 4 bytes little-endian).
type Value struct {
	Type ValueType
	Data []byte
}

// ErrNotFound is returned for a key or value that does not exist; it
// matches fs.ErrNotExist.
var ErrNotFound = fs.ErrNotExist

// Registry reads the Windows registry. Paths use backslashes and no hive,
// e.g. `SOFTWARE\Microsoft\Windows NT\CurrentVersion`; names are
// case-insensitive as in Windows. A 64-bit view is read; the 32-bit view
// of HKLM\SOFTWARE is reached explicitly through SOFTWARE\WOW6432Node.
type Registry interface {
	// SubKeys lists the names of a key's subkeys.
	SubKeys(root Root, path string) ([]string, error)
	// ValueNames lists the names of a key's values ("" is the default value).
	ValueNames(root Root, path string) ([]string, error)
	// Value reads one value.
	Value(root Root, path, name string) (Value, error)
}

// DecodeString reads a string value the way Windows programs store them:
// REG_SZ and REG_EXPAND_SZ as UTF-16LE, and REG_BINARY as UTF-16LE too
// (Outlook 2007+ writes "IMAP Server" and the like as REG_BINARY UTF-16LE
// with a trailing NUL: LaZagne issue #98 registry dump; OpaqueMail
// Form1.cs GetOutlookRegistryValue decodes them with Encoding.Unicode).
// A REG_BINARY that is not UTF-16 is read as 8-bit text (old ANSI values).
// The text stops at the first NUL. ok is false for other types.
func DecodeString(v Value) (s string, ok bool) {
	switch v.Type {
	case RegSZ, RegExpandSZ, RegMultiSZ:
		return utf16String(v.Data), true
	case RegBinary:
		if looksUTF16(v.Data) {
			return utf16String(v.Data), true
		}
		if i := indexByte(v.Data, 0); i >= 0 {
			return latin1(v.Data[:i]), true
		}
		return latin1(v.Data), true
	}
	return "", false
}

// DecodeMulti reads a REG_MULTI_SZ into its strings.
func DecodeMulti(v Value) []string {
	if v.Type != RegMultiSZ {
		if s, ok := DecodeString(v); ok && s != "" {
			return []string{s}
		}
		return nil
	}
	var out []string
	for _, s := range strings.Split(utf16All(v.Data), "\x00") {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// DecodeUint reads a REG_DWORD or REG_QWORD (little-endian); a REG_SZ that
// holds a decimal number is accepted too, as some installers write them.
func DecodeUint(v Value) (uint64, bool) {
	switch v.Type {
	case RegDWORD:
		if len(v.Data) >= 4 {
			return uint64(binary.LittleEndian.Uint32(v.Data)), true
		}
	case RegQWORD:
		if len(v.Data) >= 8 {
			return binary.LittleEndian.Uint64(v.Data), true
		}
	case RegSZ, RegExpandSZ:
		n, err := strconv.ParseUint(strings.TrimSpace(utf16String(v.Data)), 10, 64)
		return n, err == nil
	}
	return 0, false
}

// looksUTF16 tells UTF-16LE text from 8-bit text: an even length and,
// for ASCII-range text, zero high bytes.
func looksUTF16(b []byte) bool {
	if len(b) < 2 || len(b)%2 != 0 {
		return false
	}
	zeros, pairs := 0, 0
	for i := 0; i+1 < len(b); i += 2 {
		if b[i] == 0 && b[i+1] == 0 {
			break
		}
		pairs++
		if b[i+1] == 0 {
			zeros++
		}
	}
	return pairs == 0 || zeros*2 >= pairs
}

func utf16All(b []byte) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return string(utf16.Decode(u))
}

func utf16String(b []byte) string {
	s := utf16All(b)
	if i := strings.IndexByte(s, 0); i >= 0 {
		s = s[:i]
	}
	return s
}

func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}

func latin1(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

// EncodeString is s as REG_SZ data: UTF-16LE with a terminating NUL.
func EncodeString(s string) []byte {
	u := utf16.Encode([]rune(s + "\x00"))
	b := make([]byte, 2*len(u))
	for i, c := range u {
		binary.LittleEndian.PutUint16(b[2*i:], c)
	}
	return b
}

// SZ, Binary16 and DWORD build values for fixtures and fakes.
func SZ(s string) Value { return Value{Type: RegSZ, Data: EncodeString(s)} }

// Binary16 is a string stored as Outlook stores it: REG_BINARY holding
// UTF-16LE with a trailing NUL.
func Binary16(s string) Value { return Value{Type: RegBinary, Data: EncodeString(s)} }

// DWORD is a REG_DWORD.
func DWORD(n uint32) Value {
	b := make([]byte, 4)
	binary.LittleEndian.PutUint32(b, n)
	return Value{Type: RegDWORD, Data: b}
}

// RegString reads a string value; ok is false when it is missing or not
// a string.
func RegString(r Registry, root Root, path, name string) (string, bool) {
	if r == nil {
		return "", false
	}
	v, err := r.Value(root, path, name)
	if err != nil {
		return "", false
	}
	return DecodeString(v)
}

// RegUint reads a DWORD or QWORD value.
func RegUint(r Registry, root Root, path, name string) (uint64, bool) {
	if r == nil {
		return 0, false
	}
	v, err := r.Value(root, path, name)
	if err != nil {
		return 0, false
	}
	return DecodeUint(v)
}

// RegSubKeys lists subkeys, nil when the key is missing.
func RegSubKeys(r Registry, root Root, path string) []string {
	if r == nil {
		return nil
	}
	keys, err := r.SubKeys(root, path)
	if err != nil {
		return nil
	}
	return keys
}

// RegKeyExists reports whether a key exists.
func RegKeyExists(r Registry, root Root, path string) bool {
	if r == nil {
		return false
	}
	_, err := r.ValueNames(root, path)
	return err == nil
}

// MemRegistry is an in-memory Registry: the fake for tests, filled with Set
// or from a .reg file with ParseReg.
type MemRegistry struct {
	keys map[string]*memKey // lower-case "HIVE\path" → key
}

type memKey struct {
	name   string
	subs   map[string]string // lower → as written
	values map[string]memValue
}

type memValue struct {
	name string
	v    Value
}

// NewMemRegistry returns an empty registry.
func NewMemRegistry() *MemRegistry { return &MemRegistry{keys: map[string]*memKey{}} }

func keyID(root Root, path string) string {
	path = strings.Trim(path, `\`)
	if path == "" {
		return strings.ToLower(string(root))
	}
	return strings.ToLower(string(root) + `\` + path)
}

// ensure creates a key and its parents.
func (m *MemRegistry) ensure(root Root, path string) *memKey {
	path = strings.Trim(path, `\`)
	id := keyID(root, path)
	if k, ok := m.keys[id]; ok {
		return k
	}
	name := path
	if i := strings.LastIndexByte(path, '\\'); i >= 0 {
		name = path[i+1:]
	}
	k := &memKey{name: name, subs: map[string]string{}, values: map[string]memValue{}}
	m.keys[id] = k
	if path != "" {
		parent := ""
		if i := strings.LastIndexByte(path, '\\'); i >= 0 {
			parent = path[:i]
		}
		m.ensure(root, parent).subs[strings.ToLower(name)] = name
	}
	return k
}

// Set stores a value, creating the key.
func (m *MemRegistry) Set(root Root, path, name string, v Value) {
	k := m.ensure(root, path)
	k.values[strings.ToLower(name)] = memValue{name: name, v: v}
}

// CreateKey creates an empty key.
func (m *MemRegistry) CreateKey(root Root, path string) { m.ensure(root, path) }

// DeleteKey removes a key and everything under it.
func (m *MemRegistry) DeleteKey(root Root, path string) {
	id := keyID(root, path)
	for k := range m.keys {
		if k == id || strings.HasPrefix(k, id+`\`) {
			delete(m.keys, k)
		}
	}
	path = strings.Trim(path, `\`)
	if i := strings.LastIndexByte(path, '\\'); i >= 0 {
		if p, ok := m.keys[keyID(root, path[:i])]; ok {
			delete(p.subs, strings.ToLower(path[i+1:]))
		}
	} else if p, ok := m.keys[keyID(root, "")]; ok {
		delete(p.subs, strings.ToLower(path))
	}
}

// DeleteValue removes a value.
func (m *MemRegistry) DeleteValue(root Root, path, name string) {
	if k, ok := m.keys[keyID(root, path)]; ok {
		delete(k.values, strings.ToLower(name))
	}
}

// SubKeys implements Registry.
func (m *MemRegistry) SubKeys(root Root, path string) ([]string, error) {
	k, ok := m.keys[keyID(root, path)]
	if !ok {
		return nil, ErrNotFound
	}
	out := make([]string, 0, len(k.subs))
	for _, s := range k.subs {
		out = append(out, s)
	}
	sort.Strings(out)
	return out, nil
}

// ValueNames implements Registry.
func (m *MemRegistry) ValueNames(root Root, path string) ([]string, error) {
	k, ok := m.keys[keyID(root, path)]
	if !ok {
		return nil, ErrNotFound
	}
	out := make([]string, 0, len(k.values))
	for _, v := range k.values {
		out = append(out, v.name)
	}
	sort.Strings(out)
	return out, nil
}

// Value implements Registry.
func (m *MemRegistry) Value(root Root, path, name string) (Value, error) {
	k, ok := m.keys[keyID(root, path)]
	if !ok {
		return Value{}, ErrNotFound
	}
	v, ok := k.values[strings.ToLower(name)]
	if !ok {
		return Value{}, ErrNotFound
	}
	return v.v, nil
}
