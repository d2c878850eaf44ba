package main

import (
	"os"

	"golang.org/x/sys/windows"
)

// The release .exe is linked for the GUI subsystem (-H windowsgui) so that a
// double-click opens only the window, with no black console behind it. A
// GUI program gets no console, though, and "maildoctor.exe compat …" typed
// in cmd.exe or PowerShell would print nothing. So when a subcommand is
// given, borrow the console of whoever started us.
func init() {
	if len(os.Args) < 2 || os.Args[1] == "open" {
		return // the app: "open LINK" comes from the maildoctor:// scheme
	}
	attachParentConsole()
}

// attachParentProcess is ATTACH_PARENT_PROCESS ((DWORD)-1), which the
// pinned x/sys does not name.
const attachParentProcess = ^uintptr(0)

var procAttachConsole = windows.NewLazySystemDLL("kernel32.dll").NewProc("AttachConsole")

func attachParentConsole() {
	in := usable(windows.STD_INPUT_HANDLE)
	out := usable(windows.STD_OUTPUT_HANDLE)
	errOut := usable(windows.STD_ERROR_HANDLE)
	if in && out && errOut {
		// Every stream already leads somewhere (a pipe, a file, a
		// console build): "maildoctor compat > out.txt" must keep writing
		// to out.txt.
		return
	}
	if r, _, _ := procAttachConsole.Call(attachParentProcess); r == 0 {
		// Started from Explorer or a shortcut with arguments: there is
		// no console to print to, and opening one would flash a window.
		return
	}
	if !in {
		reopen(windows.STD_INPUT_HANDLE, "CONIN$", &os.Stdin, "/dev/stdin")
	}
	if !out {
		reopen(windows.STD_OUTPUT_HANDLE, "CONOUT$", &os.Stdout, "/dev/stdout")
	}
	if !errOut {
		reopen(windows.STD_ERROR_HANDLE, "CONOUT$", &os.Stderr, "/dev/stderr")
	}
}

// usable reports whether a standard handle leads to a console, file or
// pipe. A GUI process started from a console without redirection gets
// NULL handles.
func usable(std uint32) bool {
	h, err := windows.GetStdHandle(std)
	if err != nil || h == 0 || h == windows.InvalidHandle {
		return false
	}
	t, err := windows.GetFileType(h)
	return err == nil && t != windows.FILE_TYPE_UNKNOWN
}

func reopen(std uint32, device string, f **os.File, name string) {
	p, err := windows.UTF16PtrFromString(device)
	if err != nil {
		return
	}
	h, err := windows.CreateFile(p, windows.GENERIC_READ|windows.GENERIC_WRITE,
		windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE, nil, windows.OPEN_EXISTING, 0, 0)
	if err != nil {
		return
	}
	_ = windows.SetStdHandle(std, h)
	*f = os.NewFile(uintptr(h), name)
}
