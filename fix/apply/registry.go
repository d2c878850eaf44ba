package apply

import (
	"bytes"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf16"

	"maildoctor.app/maildoctor/detect/system"
)

// Registry is the Windows registry as apply reads and changes it: the
// reading half is detect/system's, the writing half is here. HostRegistry
// is the real one on Windows (golang.org/x/sys/windows/registry, the
// 64-bit view); tests use MemRegistry with failures injected.
type Registry interface {
	system.Registry
	// SetValue writes a value with exactly this type and these bytes.
	SetValue(root system.Root, path, name string, v system.Value) error
	// DeleteValue removes a value; a missing one is not an error.
	DeleteValue(root system.Root, path, name string) error
	// CreateKey creates a key and its missing parents.
	CreateKey(root system.Root, path string) error
	// DeleteKey removes a key with everything under it; a missing key is
	// not an error.
	DeleteKey(root system.Root, path string) error
}

// MemRegistry is a writable in-memory Registry for tests: detect/system's
// MemRegistry with an optional failure for writes.
type MemRegistry struct {
	*system.MemRegistry
	// Fail, when set, is asked before every write; an error stops it.
	Fail func(op string, root system.Root, path, name string) error
}

// NewMemRegistry returns an empty writable registry.
func NewMemRegistry() *MemRegistry { return &MemRegistry{MemRegistry: system.NewMemRegistry()} }

func (m *MemRegistry) fail(op string, root system.Root, path, name string) error {
	if m.Fail == nil {
		return nil
	}
	return m.Fail(op, root, path, name)
}

// SetValue implements Registry.
func (m *MemRegistry) SetValue(root system.Root, path, name string, v system.Value) error {
	if err := m.fail("set", root, path, name); err != nil {
		return err
	}
	m.Set(root, path, name, system.Value{Type: v.Type, Data: append([]byte{}, v.Data...)})
	return nil
}

// DeleteValue implements Registry.
func (m *MemRegistry) DeleteValue(root system.Root, path, name string) error {
	if err := m.fail("deletevalue", root, path, name); err != nil {
		return err
	}
	m.MemRegistry.DeleteValue(root, path, name)
	return nil
}

// CreateKey implements Registry.
func (m *MemRegistry) CreateKey(root system.Root, path string) error {
	if err := m.fail("createkey", root, path, ""); err != nil {
		return err
	}
	m.MemRegistry.CreateKey(root, path)
	return nil
}

// DeleteKey implements Registry.
func (m *MemRegistry) DeleteKey(root system.Root, path string) error {
	if err := m.fail("deletekey", root, path, ""); err != nil {
		return err
	}
	m.MemRegistry.DeleteKey(root, path)
	return nil
}

// regKey is one key as saved in a registry backup: all its values, or
// Absent when the key did not exist.
type regKey struct {
	Root   system.Root
	Path   string
	Absent bool
	Values map[string]system.Value // name as written → value
}

func (k regKey) full() string { return string(k.Root) + `\` + k.Path }

// snapshotKey reads all values of a key.
func snapshotKey(reg system.Registry, root system.Root, path string) (regKey, error) {
	k := regKey{Root: root, Path: path, Values: map[string]system.Value{}}
	names, err := reg.ValueNames(root, path)
	if errors.Is(err, system.ErrNotFound) {
		if _, serr := reg.SubKeys(root, path); errors.Is(serr, system.ErrNotFound) {
			k.Absent = true
			return k, nil
		}
	}
	if err != nil {
		return k, fmt.Errorf("reading %s: %w", k.full(), err)
	}
	for _, n := range names {
		v, err := reg.Value(root, path, n)
		if err != nil {
			return k, fmt.Errorf("reading %s %q: %w", k.full(), n, err)
		}
		k.Values[n] = v
	}
	return k, nil
}

// sameValues compares two snapshots of a key (names case-insensitively).
func sameValues(a, b regKey) error {
	if a.Absent != b.Absent {
		return fmt.Errorf("%s exists in one and not the other", a.full())
	}
	bl := map[string]system.Value{}
	for n, v := range b.Values {
		bl[strings.ToLower(n)] = v
	}
	if len(a.Values) != len(bl) {
		return fmt.Errorf("%s has %d values, want %d", a.full(), len(bl), len(a.Values))
	}
	for n, v := range a.Values {
		w, ok := bl[strings.ToLower(n)]
		if !ok || w.Type != v.Type || !bytes.Equal(w.Data, v.Data) {
			return fmt.Errorf("%s %q differs", a.full(), n)
		}
	}
	return nil
}

// Registry backups are .reg files as regedit writes them ("Windows
// Registry Editor Version 5.00", UTF-16LE with a byte-order mark, CRLF),
// so a support agent can read one and, in an emergency, double-click it.
// Each [KEY] section holds every value the key had; [-KEY] says the key
// did not exist. Undo makes every key exactly as saved: it also deletes
// values that are not in the backup, which regedit's import would not do.
const regHeader = "Windows Registry Editor Version 5.00"

// formatRegBackup writes keys as a backup file.
func formatRegBackup(comment string, keys []regKey) []byte {
	lines := []string{regHeader, ""}
	for _, c := range strings.Split(comment, "\n") {
		lines = append(lines, "; "+c)
	}
	lines = append(lines, "")
	for _, k := range keys {
		if k.Absent {
			lines = append(lines, "[-"+k.full()+"]", "")
			continue
		}
		lines = append(lines, "["+k.full()+"]")
		names := make([]string, 0, len(k.Values))
		for n := range k.Values {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			lines = append(lines, formatExact(n, k.Values[n]))
		}
		lines = append(lines, "")
	}
	text := strings.Join(lines, "\r\n") + "\r\n"
	u := utf16.Encode([]rune(text))
	out := make([]byte, 2, 2+2*len(u))
	out[0], out[1] = 0xff, 0xfe
	for _, c := range u {
		out = append(out, byte(c), byte(c>>8))
	}
	return out
}

// formatExact is system.FormatReg, except that a REG_SZ whose bytes the
// quoted form would not give back exactly (no final NUL, a NUL or a line
// break inside) is written as hex(1). Other odd values (a DWORD that is
// not 4 bytes) do not parse back, and regBackup then refuses the change.
func formatExact(name string, v system.Value) string {
	if v.Type == system.RegSZ {
		s, _ := system.DecodeString(v)
		if bytes.Equal(system.SZ(s).Data, v.Data) && !strings.ContainsAny(s, "\r\n") {
			return system.FormatReg(name, v)
		}
		head := strings.TrimSuffix(system.FormatReg(name, system.SZ("")), `""`)
		bin := system.FormatReg("", system.Value{Type: system.RegBinary, Data: v.Data})
		return head + "hex(1):" + strings.TrimPrefix(bin, "@=hex:")
	}
	return system.FormatReg(name, v)
}

// parseRegBackup reads a backup written by formatRegBackup.
func parseRegBackup(data []byte) ([]regKey, error) {
	mem, err := system.ParseReg(data)
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(data, []byte{0xff, 0xfe}) || len(data)%2 != 0 {
		return nil, errors.New("not a Mail Doctor registry backup (not UTF-16LE)")
	}
	u := make([]uint16, (len(data)-2)/2)
	for i := range u {
		u[i] = uint16(data[2+2*i]) | uint16(data[3+2*i])<<8
	}
	var keys []regKey
	for _, line := range strings.Split(string(utf16.Decode(u)), "\r\n") {
		if !strings.HasPrefix(line, "[") || !strings.HasSuffix(line, "]") {
			continue
		}
		name := line[1 : len(line)-1]
		absent := strings.HasPrefix(name, "-")
		name = strings.TrimPrefix(name, "-")
		i := strings.IndexByte(name, '\\')
		if i < 0 {
			return nil, fmt.Errorf("bad key %q in the backup", name)
		}
		root := system.Root(name[:i])
		if root != system.CurrentUser && root != system.LocalMachine {
			return nil, fmt.Errorf("bad hive in %q", name)
		}
		k := regKey{Root: root, Path: name[i+1:], Absent: absent, Values: map[string]system.Value{}}
		if !absent {
			if k, err = snapshotKey(mem, root, k.Path); err != nil {
				return nil, err
			}
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return nil, errors.New("the backup names no registry key")
	}
	return keys, nil
}

// restoreKey makes the key exactly as saved.
func restoreKey(reg Registry, k regKey) error {
	if k.Absent {
		return reg.DeleteKey(k.Root, k.Path)
	}
	cur, err := snapshotKey(reg, k.Root, k.Path)
	if err != nil {
		return err
	}
	if cur.Absent {
		if err := reg.CreateKey(k.Root, k.Path); err != nil {
			return fmt.Errorf("creating %s: %w", k.full(), err)
		}
	}
	want := map[string]bool{}
	for n := range k.Values {
		want[strings.ToLower(n)] = true
	}
	for n := range cur.Values {
		if !want[strings.ToLower(n)] {
			if err := reg.DeleteValue(k.Root, k.Path, n); err != nil {
				return fmt.Errorf("deleting %s %q: %w", k.full(), n, err)
			}
		}
	}
	for n, v := range k.Values {
		if c, ok := cur.Values[n]; ok && c.Type == v.Type && bytes.Equal(c.Data, v.Data) {
			continue
		}
		if err := reg.SetValue(k.Root, k.Path, n, v); err != nil {
			return fmt.Errorf("writing %s %q: %w", k.full(), n, err)
		}
	}
	return nil
}

// restoreAll puts every key back and checks it reads back as saved.
func restoreAll(reg Registry, keys []regKey) error {
	var first error
	for _, k := range keys {
		if err := restoreKey(reg, k); err != nil && first == nil {
			first = err
		}
	}
	if first != nil {
		return first
	}
	for _, k := range keys {
		got, err := snapshotKey(reg, k.Root, k.Path)
		if err != nil {
			return err
		}
		if err := sameValues(k, got); err != nil {
			return fmt.Errorf("after putting it back: %w", err)
		}
	}
	return nil
}

// regBackupStem names the backups of a registry key in the backup
// folder: a readable tail of the key and a hash of its whole path (two
// mail profiles may have an account 00000002 each).
func regBackupStem(label, full string) string {
	h := fnv.New32a()
	h.Write([]byte(strings.ToLower(full)))
	parts := strings.Split(full, `\`)
	if len(parts) > 2 {
		parts = parts[len(parts)-2:]
	}
	var b strings.Builder
	for _, r := range strings.Join(parts, "-") {
		if r < 0x80 && (r == '-' || r == '.' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	name := b.String()
	if len(name) > 60 {
		name = name[len(name)-60:]
	}
	return fmt.Sprintf("%s-%s-%08x.reg", label, name, h.Sum32())
}

// DefaultBackupDir is where backups of settings that are not files
// (registry keys) go: "Mail Doctor\backups" in the user's configuration
// folder (%APPDATA% on Windows).
func DefaultBackupDir() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "Mail Doctor", "backups"), nil
}

func (o Options) backupDir() (string, error) {
	if o.BackupDir != "" {
		return o.BackupDir, nil
	}
	return DefaultBackupDir()
}

func (o Options) registry() (Registry, error) {
	if o.Registry != nil {
		return o.Registry, nil
	}
	if r := HostRegistry(); r != nil {
		return r, nil
	}
	return nil, ErrNotAutomatic
}

// mkdirAll creates the backup folder through FS when it can.
func mkdirAll(fsys FS, dir string) error {
	if m, ok := fsys.(interface {
		MkdirAll(string, fs.FileMode) error
	}); ok {
		return m.MkdirAll(dir, 0o700)
	}
	return nil
}

// regBackup saves keys to a new backup file, named after the key id, in the backup folder, read
// back and parsed to check it gives back exactly these keys.
func regBackup(opt Options, label, id, comment string, keys []regKey) (string, error) {
	fsys := opt.fs()
	dir, err := opt.backupDir()
	if err != nil {
		return "", fmt.Errorf("no folder for the backup: %w", err)
	}
	if err := mkdirAll(fsys, dir); err != nil {
		return "", fmt.Errorf("creating %s: %w", dir, err)
	}
	data := formatRegBackup(comment, keys)
	back, err := parseRegBackup(data)
	if err != nil {
		return "", fmt.Errorf("the backup would not read back: %w", err)
	}
	if len(back) != len(keys) {
		return "", errors.New("the backup would not read back whole")
	}
	for i := range keys {
		if err := sameValues(keys[i], back[i]); err != nil {
			return "", fmt.Errorf("the backup would not give back the key exactly: %w", err)
		}
	}
	name, err := newBackupName(fsys, filepath.Join(dir, strings.TrimSuffix(regBackupStem(label, id), ".reg")), opt.now(), ".reg")
	if err != nil {
		return "", err
	}
	if err := writeChecked(fsys, name, data, 0o600); err != nil {
		_ = fsys.Remove(name)
		return "", err
	}
	return name, nil
}

// latestRegBackup finds the newest backup of a key ("" when none).
func latestRegBackup(opt Options, label, full string) (string, error) {
	fsys := opt.fs()
	dir, err := opt.backupDir()
	if err != nil {
		return "", err
	}
	stem := strings.TrimSuffix(regBackupStem(label, full), ".reg")
	entries, err := fsys.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("listing the backups in %s: %w", dir, err)
	}
	var names []string
	for _, e := range entries {
		n := e.Name()
		if !e.IsDir() && strings.HasPrefix(n, stem+".maildoctor-") && strings.HasSuffix(n, ".reg") {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return "", nil
	}
	sort.Slice(names, func(i, j int) bool { return backupOrder(names[i]) < backupOrder(names[j]) })
	return filepath.Join(dir, names[len(names)-1]), nil
}

// backupOrder sorts "….maildoctor-STAMP[-N].reg" by time then N.
func backupOrder(name string) string {
	i := strings.LastIndex(name, ".maildoctor-")
	rest := strings.TrimSuffix(name[i+len(".maildoctor-"):], ".reg")
	stamp, n := rest, ""
	if len(rest) > len(stampLayout) {
		stamp, n = rest[:len(stampLayout)], strings.TrimPrefix(rest[len(stampLayout):], "-")
	}
	return fmt.Sprintf("%s-%05s", stamp, n)
}

// IsRegistryKey says whether a Result's or WriteError's File is a
// registry key (Outlook, TLS 1.2) rather than a settings file, for
// messages that say "key" instead of "file".
func IsRegistryKey(file string) bool {
	return strings.HasPrefix(file, `HKEY_`)
}
