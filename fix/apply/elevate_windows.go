//go:build windows

package apply

import (
	"errors"
	"os"
	"strings"
	"unsafe"

	"golang.org/x/sys/windows"
)

// IsElevated says whether this process runs with administrator rights
// (an elevated token; under UAC an administrator's normal process is not).
func IsElevated() bool {
	return windows.GetCurrentProcessToken().IsElevated()
}

// shellExecuteInfo is SHELLEXECUTEINFOW; Go lays it out as C does on
// both 32- and 64-bit Windows.
type shellExecuteInfo struct {
	cbSize      uint32
	fMask       uint32
	hwnd        windows.Handle
	verb        *uint16
	file        *uint16
	parameters  *uint16
	directory   *uint16
	show        int32
	instApp     windows.Handle
	idList      uintptr
	class       *uint16
	keyClass    windows.Handle
	hotKey      uint32
	iconMonitor windows.Handle
	process     windows.Handle
}

const (
	seeMaskNoCloseProcess = 0x40
	seeMaskNoAsync        = 0x100
	seeMaskFlagNoUI       = 0x400
)

var procShellExecuteEx = windows.NewLazySystemDLL("shell32.dll").NewProc("ShellExecuteExW")

// ErrElevationCancelled: the user answered No to Windows' question (UAC).
var ErrElevationCancelled = errors.New("the administrator rights were not given")

// RunElevated starts this program again with args through ShellExecute's
// "runas" verb (Windows asks the user for administrator rights), waits
// for it and returns its exit code.
func RunElevated(args []string) (int, error) {
	exe, err := os.Executable()
	if err != nil {
		return 0, err
	}
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = windows.EscapeArg(a)
	}
	verb, err := windows.UTF16PtrFromString("runas")
	if err != nil {
		return 0, err
	}
	file, err := windows.UTF16PtrFromString(exe)
	if err != nil {
		return 0, err
	}
	params, err := windows.UTF16PtrFromString(strings.Join(quoted, " "))
	if err != nil {
		return 0, err
	}
	info := shellExecuteInfo{
		fMask:      seeMaskNoCloseProcess | seeMaskNoAsync | seeMaskFlagNoUI,
		verb:       verb,
		file:       file,
		parameters: params,
		show:       windows.SW_HIDE,
	}
	info.cbSize = uint32(unsafe.Sizeof(info))
	if err := procShellExecuteEx.Find(); err != nil {
		return 0, err
	}
	r, _, e := procShellExecuteEx.Call(uintptr(unsafe.Pointer(&info)))
	if r == 0 {
		if errors.Is(e, windows.ERROR_CANCELLED) {
			return 0, ErrElevationCancelled
		}
		return 0, e
	}
	if info.process == 0 {
		return 0, errors.New("no process was started")
	}
	defer windows.CloseHandle(info.process)
	if _, err := windows.WaitForSingleObject(info.process, windows.INFINITE); err != nil {
		return 0, err
	}
	var code uint32
	if err := windows.GetExitCodeProcess(info.process, &code); err != nil {
		return 0, err
	}
	return int(code), nil
}
