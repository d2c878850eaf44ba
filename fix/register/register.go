// Package register makes Mail Doctor the handler of maildoctor:// support
// links for the current user, so a click on a link an agent sent opens the
// app filled in ("maildoctor open LINK").
//
//   - Windows: HKCU\Software\Classes\maildoctor, a URL protocol whose
//     shell\open\command runs the program with "open" and the link.
//   - Linux and BSD: a .desktop file in ~/.local/share/applications with
//     MimeType=x-scheme-handler/maildoctor, made the default in
//     ~/.config/mimeapps.list (freedesktop.org MIME applications spec).
//   - macOS: nothing at run time; the scheme is declared in the app
//     bundle's Info.plist when it is packaged (docs/support.md).
//
// Everything goes through two small interfaces, Registry and FS, so the
// same code runs against fixtures in tests and against the real registry
// and home directory in the app. Registering is per user (no
// administrator rights) and idempotent: the app may do it at every start.
package register

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// Scheme is the URL scheme registered.
const Scheme = "maildoctor"

// ErrNotExist is what Registry.GetString and FS.ReadFile return for a key,
// value or file that is not there.
var ErrNotExist = os.ErrNotExist

// Self registers the running program as the handler on this system. It
// does nothing on macOS (the bundle declares the scheme) and for a
// program run from the temporary directory ("go run", a test binary),
// which would be gone by the time a link is clicked.
func Self() error {
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("registering %s:// links: %w", Scheme, err)
	}
	if exe, err = filepath.EvalSymlinks(exe); err != nil {
		return fmt.Errorf("registering %s:// links: %w", Scheme, err)
	}
	if inTemp(exe) {
		return nil
	}
	switch runtime.GOOS {
	case "windows":
		reg, err := currentUser()
		if err != nil {
			return fmt.Errorf("registering %s:// links: %w", Scheme, err)
		}
		return Windows(reg, exe)
	case "darwin", "ios", "android", "js", "plan9":
		return nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return fmt.Errorf("registering %s:// links: %w", Scheme, err)
	}
	return Linux(DirFS(""), exe, XDGDirs(home, os.Getenv))
}

func inTemp(exe string) bool {
	tmp, err := filepath.EvalSymlinks(os.TempDir())
	if err != nil {
		return false
	}
	rel, err := filepath.Rel(tmp, exe)
	return err == nil && !strings.HasPrefix(rel, "..")
}
