//go:build !windows

package instance

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A socket left behind by an instance that crashed does not keep the app
// from starting: nobody answers on it, so it is taken over.
func TestCrashedInstanceSocketTakenOver(t *testing.T) {
	privateRuntime(t)
	name := testName(t)
	path, err := socketPath(name)
	if err != nil {
		t.Fatal(err)
	}
	dead, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	dead.(*net.UnixListener).SetUnlinkOnClose(false)
	dead.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the crashed socket is not there: %v", err)
	}
	l, err := Listen(name)
	if err != nil {
		t.Fatalf("Listen over a dead socket: %v", err)
	}
	got := serve(t, l)
	if err := Send(name, "hello"); err != nil {
		t.Fatal(err)
	}
	if m := receive(t, got); m != "hello" {
		t.Errorf("received %q", m)
	}
}

// A runtime folder others can enter is not used: another user could put
// a socket of theirs where the app looks for its own.
func TestSharedRuntimeFolderRefused(t *testing.T) {
	shared := t.TempDir()
	if err := os.Chmod(shared, 0o777); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_RUNTIME_DIR", shared)
	t.Setenv("TMPDIR", t.TempDir())
	path, err := socketPath(testName(t))
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasPrefix(path, shared+string(filepath.Separator)) {
		t.Errorf("socket %s in a folder everyone can write", path)
	}
	fi, err := os.Stat(filepath.Dir(path))
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("fallback folder: %v %v, want mode 0700", fi.Mode(), err)
	}
}
