//go:build !windows

package instance

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"
)

// Listener is the running instance's end.
type Listener struct {
	l    net.Listener
	path string
	once sync.Once
}

// Listen claims name for this user, or returns ErrRunning when another
// instance holds it. A socket left by an instance that crashed is taken
// over.
func Listen(name string) (*Listener, error) {
	path, err := socketPath(name)
	if err != nil {
		return nil, err
	}
	l, err := net.Listen("unix", path)
	if err != nil && isAddrInUse(err) {
		if c, derr := net.DialTimeout("unix", path, time.Second); derr == nil {
			c.Close()
			return nil, ErrRunning
		}
		// Nobody answers: a crashed instance's socket.
		if rerr := os.Remove(path); rerr != nil {
			return nil, rerr
		}
		l, err = net.Listen("unix", path)
	}
	if err != nil {
		return nil, err
	}
	if ul, ok := l.(*net.UnixListener); ok {
		// Close removes the socket file; a crash leaves it (see above).
		ul.SetUnlinkOnClose(true)
	}
	return &Listener{l: l, path: path}, nil
}

// Serve calls handle with each message until Close; handle runs on
// Serve's goroutine.
func (l *Listener) Serve(handle func(msg string)) {
	for {
		c, err := l.l.Accept()
		if err != nil {
			return
		}
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		msg, err := readMessage(c)
		c.Close()
		if err == nil {
			handle(msg)
		}
	}
}

// Close stops listening and frees the name.
func (l *Listener) Close() error {
	var err error
	l.once.Do(func() { err = l.l.Close() })
	return err
}

// Send hands msg to the instance holding name.
func Send(name, msg string) error {
	path, err := socketPath(name)
	if err != nil {
		return err
	}
	c, err := net.DialTimeout("unix", path, 2*time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetWriteDeadline(time.Now().Add(5 * time.Second))
	_, err = c.Write([]byte(msg + "\n"))
	return err
}

// socketPath is name's socket in the user's runtime folder
// ($XDG_RUNTIME_DIR, private by definition), else in a folder of the
// temporary directory that only this user may enter.
func socketPath(name string) (string, error) {
	if !validName(name) {
		return "", fmt.Errorf("instance: bad name %q", name)
	}
	if dir := os.Getenv("XDG_RUNTIME_DIR"); dir != "" && filepath.IsAbs(dir) {
		if err := privateDir(dir, false); err == nil {
			return filepath.Join(dir, name+".sock"), nil
		}
	}
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("%s-%d", name, os.Getuid()))
	if err := privateDir(dir, true); err != nil {
		return "", err
	}
	return filepath.Join(dir, name+".sock"), nil
}

// privateDir checks that dir is a folder of this user's that nobody else
// can enter, creating it if asked: another user must not be able to put a
// socket of theirs where ours is looked for.
func privateDir(dir string, create bool) error {
	if create {
		if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
			return err
		}
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !fi.IsDir() || !ok || int(st.Uid) != os.Getuid() || fi.Mode().Perm()&0o077 != 0 {
		return fmt.Errorf("instance: %s is not a private folder of this user", dir)
	}
	return nil
}

func isAddrInUse(err error) bool {
	return errors.Is(err, syscall.EADDRINUSE)
}
