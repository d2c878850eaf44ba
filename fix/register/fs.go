package register

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// DirFS is the file system under root: the real one when root is "", or
// a fixture directory in tests, where "/home/anna/x" is root/home/anna/x.
func DirFS(root string) FS { return dirFS{root: root} }

type dirFS struct{ root string }

// maxFile bounds what is read back: a mimeapps.list is a few kilobytes.
const maxFile = 1 << 20

func (d dirFS) path(name string) string {
	if d.root == "" {
		return filepath.FromSlash(name)
	}
	return filepath.Join(d.root, filepath.FromSlash(strings.TrimPrefix(name, "/")))
}

func (d dirFS) ReadFile(name string) ([]byte, error) {
	p := d.path(name)
	st, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	if st.Size() > maxFile {
		return nil, fmt.Errorf("%s is larger than %d bytes", name, maxFile)
	}
	return os.ReadFile(p)
}

// WriteFile writes a temporary file next to name and renames it over
// name, so a reader never sees half a file.
func (d dirFS) WriteFile(name string, data []byte) error {
	p := d.path(name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), "."+filepath.Base(p)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), p)
}
