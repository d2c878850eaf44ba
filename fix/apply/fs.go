package apply

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// FS is the part of the file system apply changes files through; OS is
// the real one, tests inject failures (a read-only folder, a full disk).
type FS interface {
	ReadFile(name string) ([]byte, error)
	ReadDir(name string) ([]fs.DirEntry, error)
	Stat(name string) (fs.FileInfo, error)
	// CreateTemp creates a new file in dir, like os.CreateTemp.
	CreateTemp(dir, pattern string) (File, error)
	Chmod(name string, mode fs.FileMode) error
	Rename(oldpath, newpath string) error
	Remove(name string) error
	// SyncDir makes a rename in dir durable (a no-op where directories
	// cannot be synced).
	SyncDir(dir string) error
}

// File is a file being written.
type File interface {
	io.Writer
	Name() string
	Sync() error
	Close() error
}

// OS is the real file system.
type OS struct{}

// ReadFile reads a file.
func (OS) ReadFile(name string) ([]byte, error) { return os.ReadFile(name) }

// ReadDir lists a directory.
func (OS) ReadDir(name string) ([]fs.DirEntry, error) { return os.ReadDir(name) }

// Stat describes a file.
func (OS) Stat(name string) (fs.FileInfo, error) { return os.Stat(name) }

// CreateTemp creates a temporary file in dir.
func (OS) CreateTemp(dir, pattern string) (File, error) { return os.CreateTemp(dir, pattern) }

// Chmod sets a file's permission bits.
func (OS) Chmod(name string, mode fs.FileMode) error { return os.Chmod(name, mode) }

// Rename replaces newpath with oldpath; on one volume it is atomic.
func (OS) Rename(oldpath, newpath string) error { return os.Rename(oldpath, newpath) }

// Remove deletes a file.
func (OS) Remove(name string) error { return os.Remove(name) }

// SyncDir syncs a directory so a rename in it survives a power cut.
// Windows cannot open a directory for syncing, and NTFS journals the
// rename itself.
func (OS) SyncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(filepath.Clean(dir))
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// MkdirAll creates a folder and its parents (the folder of registry
// backups).
func (OS) MkdirAll(dir string, mode fs.FileMode) error { return os.MkdirAll(dir, mode) }
