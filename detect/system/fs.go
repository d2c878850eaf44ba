package system

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// MaxFileSize bounds every file detection reads: real configuration files
// are kilobytes, and a damaged or hostile one must not make detection hold
// an unbounded amount of memory.
const MaxFileSize = 16 << 20

// ErrTooLarge is returned for a file over MaxFileSize.
var ErrTooLarge = errors.New("file is larger than 16 MiB")

// FS reads this computer's files by absolute, slash-separated path:
// "/etc/os-release", "/home/anna/.thunderbird/profiles.ini",
// "C:/Users/anna/AppData/Roaming/Thunderbird/profiles.ini".
type FS interface {
	// ReadFile reads a whole file, at most MaxFileSize bytes (else
	// ErrTooLarge).
	ReadFile(name string) ([]byte, error)
	ReadDir(name string) ([]fs.DirEntry, error)
	Stat(name string) (fs.FileInfo, error)
}

// DirFS is the file system under root: the real one when root is "", or a
// fixture directory in tests, where "/etc/os-release" is
// root/etc/os-release and "C:/Users/x" is root/C/Users/x (no colon, so
// fixtures check out on Windows too).
func DirFS(root string) FS { return dirFS{root: root} }

type dirFS struct{ root string }

func (d dirFS) path(name string) string {
	if d.root == "" {
		return filepath.FromSlash(name)
	}
	if len(name) >= 2 && name[1] == ':' {
		name = name[:1] + name[2:]
	}
	return filepath.Join(d.root, filepath.FromSlash(strings.TrimPrefix(name, "/")))
}

func (d dirFS) ReadFile(name string) ([]byte, error) {
	f, err := os.Open(d.path(name))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, fmt.Errorf("%s: is a directory", name)
	}
	return readLimited(f, name)
}

func readLimited(r io.Reader, name string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("%s: %w", name, ErrTooLarge)
	}
	return data, nil
}

func (d dirFS) ReadDir(name string) ([]fs.DirEntry, error) { return os.ReadDir(d.path(name)) }

func (d dirFS) Stat(name string) (fs.FileInfo, error) { return os.Stat(d.path(name)) }

// Exists reports whether name exists in fsys.
func Exists(fsys FS, name string) bool {
	_, err := fsys.Stat(name)
	return err == nil
}

// IsDir reports whether name is a directory in fsys.
func IsDir(fsys FS, name string) bool {
	st, err := fsys.Stat(name)
	return err == nil && st.IsDir()
}

// Join joins slash-separated path elements (path.Join would turn "C:/" into
// "C:"; this keeps Windows drive roots intact).
func Join(elem ...string) string {
	var parts []string
	for i, e := range elem {
		e = strings.ReplaceAll(e, `\`, "/")
		if i > 0 {
			e = strings.Trim(e, "/")
		} else if len(e) > 1 {
			e = strings.TrimSuffix(e, "/")
		}
		if e != "" {
			parts = append(parts, e)
		}
	}
	out := strings.Join(parts, "/")
	if strings.HasPrefix(out, "//") {
		out = "/" + strings.TrimLeft(out, "/")
	}
	return out
}

// SlashPath turns a Windows path from the registry or the environment
// ("C:\Users\anna") into the form FS takes ("C:/Users/anna").
func SlashPath(p string) string { return strings.ReplaceAll(p, `\`, "/") }
