package register

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"strings"
)

// FS is the part of the file system registration needs, by absolute
// slash-separated path ("/home/anna/.config/mimeapps.list").
type FS interface {
	// ReadFile returns the file, or an error wrapping ErrNotExist.
	ReadFile(name string) ([]byte, error)
	// WriteFile replaces the file atomically, creating its directory.
	WriteFile(name string, data []byte) error
}

// DesktopFile is the name of the .desktop file that handles the links;
// it is not the app's own launcher, which packaging may install.
const DesktopFile = "maildoctor-links.desktop"

// MimeType is the pseudo MIME type of the scheme.
const MimeType = "x-scheme-handler/" + Scheme

// Dirs are the XDG directories registration writes to.
type Dirs struct {
	// Applications is $XDG_DATA_HOME/applications.
	Applications string
	// Config is $XDG_CONFIG_HOME, which holds the user's mimeapps.list.
	Config string
}

// XDGDirs computes Dirs for a user's home as the XDG Base Directory spec
// says: the variables when set to absolute paths, else the defaults.
func XDGDirs(home string, getenv func(string) string) Dirs {
	dir := func(env, def string) string {
		if v := getenv(env); strings.HasPrefix(v, "/") {
			return path.Clean(v)
		}
		return path.Join(home, def)
	}
	return Dirs{
		Applications: path.Join(dir("XDG_DATA_HOME", ".local/share"), "applications"),
		Config:       dir("XDG_CONFIG_HOME", ".config"),
	}
}

// Linux writes the .desktop file for exe and makes it the default handler
// in mimeapps.list, keeping everything else in that file as it was. Files
// already right are not rewritten.
func Linux(fsys FS, exe string, d Dirs) error {
	entry, err := DesktopEntry(exe)
	if err != nil {
		return fmt.Errorf("registering %s:// links: %w", Scheme, err)
	}
	if handledBy(fsys, d, exe) {
		return nil
	}
	if err := update(fsys, path.Join(d.Applications, DesktopFile), func([]byte) []byte { return entry }); err != nil {
		return fmt.Errorf("registering %s:// links: %w", Scheme, err)
	}
	if err := update(fsys, path.Join(d.Config, "mimeapps.list"), SetDefault); err != nil {
		return fmt.Errorf("registering %s:// links: %w", Scheme, err)
	}
	return nil
}

// handledBy reports whether the default handler is already another
// desktop file that runs exe, such as the menu entry the Linux package's
// install.sh adds: that one stays, with its icon and translations.
func handledBy(fsys FS, d Dirs, exe string) bool {
	list, err := fsys.ReadFile(path.Join(d.Config, "mimeapps.list"))
	if err != nil {
		return false
	}
	lines := strings.Split(strings.ReplaceAll(string(list), "\r\n", "\n"), "\n")
	start, end := sectionRange(lines, "Default Applications")
	for i := start + 1; start >= 0 && i < end; i++ {
		k, v, ok := cutKey(lines[i])
		if !ok || k != MimeType {
			continue
		}
		id := strings.TrimSpace(strings.SplitN(v, ";", 2)[0])
		if id == "" || id == DesktopFile || strings.Contains(id, "/") {
			return false
		}
		entry, err := fsys.ReadFile(path.Join(d.Applications, id))
		return err == nil && (strings.Contains(string(entry), "\nExec="+execArg(exe)+" ") ||
			strings.Contains(string(entry), "\nExec="+quotedExecArg(exe)+" "))
	}
	return false
}

// update rewrites name with edit(old), unless nothing changes.
func update(fsys FS, name string, edit func([]byte) []byte) error {
	old, err := fsys.ReadFile(name)
	if err != nil && !errors.Is(err, ErrNotExist) {
		return fmt.Errorf("reading %s: %w", name, err)
	}
	data := edit(old)
	if err == nil && bytes.Equal(data, old) {
		return nil
	}
	if err := fsys.WriteFile(name, data); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	return nil
}

// DesktopEntry is the .desktop file that opens links with exe. It is
// hidden from menus: it exists for links, and the program it names may
// be a download the user never meant to install.
func DesktopEntry(exe string) ([]byte, error) {
	if !strings.HasPrefix(exe, "/") || strings.ContainsAny(exe, "\r\n\x00") {
		return nil, fmt.Errorf("program path %q cannot be put in a desktop entry", exe)
	}
	return []byte("[Desktop Entry]\n" +
		"Type=Application\n" +
		"Name=Mail Doctor\n" +
		"Comment=Opens Mail Doctor support links\n" +
		"Exec=" + execArg(exe) + " open %u\n" +
		"Terminal=false\n" +
		"NoDisplay=true\n" +
		"MimeType=" + MimeType + ";\n" +
		"Categories=Network;Email;\n"), nil
}

// execArg writes a program path for an Exec key: as it is when it has
// only characters no launcher reads specially, else quoted. xdg-open's
// generic fallback (no gio, no kde-open) runs the Exec line without
// removing quotes, so a quoted path fails there ("Permission denied");
// a path with spaces needs the quotes for every other launcher.
func execArg(p string) string {
	for _, r := range p {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-+", r)) {
			return quotedExecArg(p)
		}
	}
	return p
}

// quotedExecArg quotes a program path for an Exec key: the Desktop Entry
// spec quotes with double quotes, escapes " ` $ \ inside them with a
// backslash, and then escapes every backslash again as a string value;
// a literal % is %%.
func quotedExecArg(p string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range p {
		switch r {
		case '"', '`', '$':
			b.WriteString(`\\`)
			b.WriteRune(r)
		case '\\':
			b.WriteString(`\\\\`)
		case '%':
			b.WriteString("%%")
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// SetDefault returns mimeapps.list with DesktopFile as the default handler
// of MimeType and first among its added associations. Other lines,
// comments, sections and line endings are kept.
func SetDefault(list []byte) []byte {
	nl := "\n"
	if bytes.Contains(list, []byte("\r\n")) {
		nl = "\r\n"
	}
	// Lines end in nl alone afterwards: a stray "\r" would otherwise meet
	// the "\n" added after it and change the line ending next time.
	var lines []string
	for _, l := range strings.Split(strings.TrimRight(string(list), "\r\n"), "\n") {
		lines = append(lines, strings.TrimRight(l, "\r"))
	}
	if len(lines) == 1 && lines[0] == "" {
		lines = nil
	}
	lines = setKey(lines, "Default Applications", func(string) string { return DesktopFile + ";" })
	lines = setKey(lines, "Added Associations", func(old string) string {
		return DesktopFile + ";" + strings.Join(without(splitList(old), DesktopFile), "")
	})
	return []byte(strings.Join(lines, nl) + nl)
}

func splitList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ";") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s+";")
		}
	}
	return out
}

func without(list []string, id string) []string {
	var out []string
	for _, s := range list {
		if s != id+";" {
			out = append(out, s)
		}
	}
	return out
}

// setKey sets MimeType in section to value(old value), adding the key or
// the section when missing. Only the first section of that name is used,
// as readers do.
func setKey(lines []string, section string, value func(old string) string) []string {
	start, end := sectionRange(lines, section)
	if start < 0 {
		if len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) != "" {
			lines = append(lines, "")
		}
		return append(lines, "["+section+"]", MimeType+"="+value(""))
	}
	for i := start + 1; i < end; i++ {
		k, v, ok := cutKey(lines[i])
		if ok && k == MimeType {
			lines[i] = MimeType + "=" + value(v)
			return lines
		}
	}
	// After the section's last non-blank line, so a blank line before
	// the next section stays where it was.
	at := end
	for at > start+1 && strings.TrimSpace(lines[at-1]) == "" {
		at--
	}
	out := append([]string{}, lines[:at]...)
	out = append(out, MimeType+"="+value(""))
	return append(out, lines[at:]...)
}

func sectionRange(lines []string, section string) (start, end int) {
	start = -1
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if !strings.HasPrefix(t, "[") {
			continue
		}
		if start >= 0 {
			return start, i
		}
		if t == "["+section+"]" {
			start = i
		}
	}
	return start, len(lines)
}

func cutKey(line string) (key, value string, ok bool) {
	i := strings.IndexByte(line, '=')
	if i < 0 || strings.HasPrefix(strings.TrimSpace(line), "#") {
		return "", "", false
	}
	return strings.TrimSpace(line[:i]), strings.TrimSpace(line[i+1:]), true
}
