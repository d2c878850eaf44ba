//go:build windows

package instance

import (
	"errors"
	"fmt"
	"io"
	"sync"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// Listener is the running instance's end: a named pipe that only this
// machine can reach (PIPE_REJECT_REMOTE_CLIENTS).
type Listener struct {
	path   string
	mu     sync.Mutex
	closed bool
	// next is the pipe instance waiting for the next launch.
	next windows.Handle
}

// Listen claims name for this user, or returns ErrRunning when another
// instance holds it: the first pipe instance can be created once.
func Listen(name string) (*Listener, error) {
	path, err := pipePath(name)
	if err != nil {
		return nil, err
	}
	// An instance that answers is running (what it reads is no message:
	// no line). FILE_FLAG_FIRST_PIPE_INSTANCE settles two launches at
	// once; Wine does not enforce it, so the probe comes first.
	if c, err := openPipe(path, 0); err == nil {
		windows.CloseHandle(c)
		return nil, ErrRunning
	}
	h, err := createPipe(path, true)
	if errors.Is(err, windows.ERROR_ACCESS_DENIED) || errors.Is(err, windows.ERROR_PIPE_BUSY) {
		return nil, ErrRunning
	}
	if err != nil {
		return nil, err
	}
	return &Listener{path: path, next: h}, nil
}

func createPipe(path string, first bool) (windows.Handle, error) {
	p, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return windows.InvalidHandle, err
	}
	sa, err := userOnly()
	if err != nil {
		return windows.InvalidHandle, err
	}
	flags := uint32(windows.PIPE_ACCESS_DUPLEX)
	if first {
		flags |= windows.FILE_FLAG_FIRST_PIPE_INSTANCE
	}
	mode := uint32(windows.PIPE_TYPE_BYTE | windows.PIPE_READMODE_BYTE | windows.PIPE_WAIT | windows.PIPE_REJECT_REMOTE_CLIENTS)
	return windows.CreateNamedPipe(p, flags, mode, windows.PIPE_UNLIMITED_INSTANCES, 16, maxMessage, 0, sa)
}

// userOnly lets only this user open the pipe (the default also lets
// everyone read, which would let another user's program tie up Serve).
func userOnly() (*windows.SecurityAttributes, error) {
	u, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return nil, err
	}
	sd, err := windows.SecurityDescriptorFromString("D:P(A;;GA;;;" + u.User.Sid.String() + ")")
	if err != nil {
		return nil, err
	}
	return &windows.SecurityAttributes{Length: uint32(unsafe.Sizeof(windows.SecurityAttributes{})), SecurityDescriptor: sd}, nil
}

// Serve calls handle with each message until Close.
func (l *Listener) Serve(handle func(msg string)) {
	for {
		l.mu.Lock()
		h := l.next
		l.mu.Unlock()
		err := windows.ConnectNamedPipe(h, nil)
		// ERROR_NO_DATA: a client came and went before this call.
		if err != nil && !errors.Is(err, windows.ERROR_PIPE_CONNECTED) && !errors.Is(err, windows.ERROR_NO_DATA) {
			l.Close()
			return
		}
		l.mu.Lock()
		if l.closed {
			l.mu.Unlock()
			windows.CloseHandle(h)
			return
		}
		// The next instance exists before this one closes, so the name
		// is never free for someone else to take.
		next, err := createPipe(l.path, false)
		if err == nil {
			l.next = next
		}
		l.mu.Unlock()
		msg, rerr := readMessage(pipeReader{h})
		if rerr == nil {
			// The sender waits for this: it must not close before the
			// message is read (a client gone before ConnectNamedPipe
			// takes its message with it).
			var n uint32
			_ = windows.WriteFile(h, []byte(ack), &n, nil)
			_ = windows.FlushFileBuffers(h)
		}
		windows.DisconnectNamedPipe(h)
		windows.CloseHandle(h)
		if rerr == nil {
			handle(msg)
		}
		if err != nil {
			return
		}
	}
}

// Close stops listening: a last connection of our own wakes Serve.
func (l *Listener) Close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil
	}
	l.closed = true
	l.mu.Unlock()
	if c, err := openPipe(l.path, 200*time.Millisecond); err == nil {
		windows.CloseHandle(c)
	}
	return nil
}

// Send hands msg to the instance holding name.
func Send(name, msg string) error {
	path, err := pipePath(name)
	if err != nil {
		return err
	}
	h, err := openPipe(path, 2*time.Second)
	if err != nil {
		return err
	}
	defer windows.CloseHandle(h)
	b := []byte(msg + "\n")
	var n uint32
	if err := windows.WriteFile(h, b, &n, nil); err != nil {
		return err
	}
	if int(n) != len(b) {
		return io.ErrShortWrite
	}
	got := make([]byte, len(ack))
	if _, err := io.ReadFull(pipeReader{h}, got); err != nil || string(got) != ack {
		return errors.New("instance: the running instance did not take the message")
	}
	return nil
}

// ack is the running instance's "got it".
const ack = "ok\n"

// openPipe connects to the pipe, waiting while every instance is busy.
func openPipe(path string, wait time.Duration) (windows.Handle, error) {
	p, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return windows.InvalidHandle, err
	}
	deadline := time.Now().Add(wait)
	for {
		h, err := windows.CreateFile(p, windows.GENERIC_READ|windows.GENERIC_WRITE, 0, nil, windows.OPEN_EXISTING, 0, 0)
		if err == nil {
			return h, nil
		}
		if !errors.Is(err, windows.ERROR_PIPE_BUSY) || time.Now().After(deadline) {
			return windows.InvalidHandle, err
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type pipeReader struct{ h windows.Handle }

func (r pipeReader) Read(b []byte) (int, error) {
	var n uint32
	err := windows.ReadFile(r.h, b, &n, nil)
	if errors.Is(err, windows.ERROR_BROKEN_PIPE) || err == nil && n == 0 {
		return int(n), io.EOF
	}
	return int(n), err
}

// pipePath is name's pipe for this user: the user's SID is part of it.
func pipePath(name string) (string, error) {
	if !validName(name) {
		return "", fmt.Errorf("instance: bad name %q", name)
	}
	u, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return "", err
	}
	return `\\.\pipe\` + name + "-" + u.User.Sid.String(), nil
}
