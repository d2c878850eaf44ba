//go:build windows

package system

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"unsafe"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"
)

// Host is this computer.
func Host() *Platform {
	home, _ := os.UserHomeDir()
	return &Platform{
		GOOS:           "windows",
		FS:             DirFS(""),
		Home:           SlashPath(home),
		Getenv:         os.Getenv,
		Registry:       winRegistry{},
		WindowsVersion: rtlGetVersion,
		Processes:      winProcesses,
		FileVersion:    fileVersion,
		Run:            runProgram,
	}
}

// rtlGetVersion is the true version, not the one GetVersionEx shows to
// programs without a manifest (detection.md §2.1).
func rtlGetVersion() (WinVersion, error) {
	v := windows.RtlGetVersion()
	if v == nil {
		return WinVersion{}, errors.New("RtlGetVersion failed")
	}
	return WinVersion{
		Major:       v.MajorVersion,
		Minor:       v.MinorVersion,
		Build:       v.BuildNumber,
		ProductType: v.ProductType,
		CSDVersion:  windows.UTF16ToString(v.CsdVersion[:]),
	}, nil
}

// winRegistry reads the 64-bit view (WOW64_64KEY), so a 32-bit build sees
// the same keys (detection.md §2.2 point 6).
type winRegistry struct{}

func hive(r Root) (registry.Key, error) {
	switch r {
	case LocalMachine:
		return registry.LOCAL_MACHINE, nil
	case CurrentUser:
		return registry.CURRENT_USER, nil
	}
	return 0, fmt.Errorf("unknown hive %q", r)
}

func openKey(root Root, path string, access uint32) (registry.Key, error) {
	h, err := hive(root)
	if err != nil {
		return 0, err
	}
	k, err := registry.OpenKey(h, path, access|registry.WOW64_64KEY)
	if errors.Is(err, registry.ErrNotExist) {
		return 0, ErrNotFound
	}
	return k, err
}

func (winRegistry) SubKeys(root Root, path string) ([]string, error) {
	k, err := openKey(root, path, registry.ENUMERATE_SUB_KEYS|registry.QUERY_VALUE)
	if err != nil {
		return nil, err
	}
	defer k.Close()
	return k.ReadSubKeyNames(-1)
}

func (winRegistry) ValueNames(root Root, path string) ([]string, error) {
	k, err := openKey(root, path, registry.QUERY_VALUE)
	if err != nil {
		return nil, err
	}
	defer k.Close()
	return k.ReadValueNames(-1)
}

func (winRegistry) Value(root Root, path, name string) (Value, error) {
	k, err := openKey(root, path, registry.QUERY_VALUE)
	if err != nil {
		return Value{}, err
	}
	defer k.Close()
	n, typ, err := k.GetValue(name, nil)
	if errors.Is(err, registry.ErrNotExist) {
		return Value{}, ErrNotFound
	}
	if err != nil {
		return Value{}, err
	}
	if n > MaxFileSize {
		return Value{}, ErrTooLarge
	}
	buf := make([]byte, n)
	if n > 0 {
		n, typ, err = k.GetValue(name, buf)
		if err != nil {
			return Value{}, err
		}
	}
	return Value{Type: ValueType(typ), Data: buf[:n]}, nil
}

func winProcesses() ([]Process, error) {
	snap, err := windows.CreateToolhelp32Snapshot(windows.TH32CS_SNAPPROCESS, 0)
	if err != nil {
		return nil, err
	}
	defer windows.CloseHandle(snap)
	var out []Process
	var e windows.ProcessEntry32
	e.Size = uint32(unsafe.Sizeof(e))
	for err = windows.Process32First(snap, &e); err == nil; err = windows.Process32Next(snap, &e) {
		out = append(out, Process{PID: int(e.ProcessID), Name: windows.UTF16ToString(e.ExeFile[:])})
	}
	return out, nil
}

// fileVersion reads VS_FIXEDFILEINFO from an executable's version
// resource (detection.md §2.2 point 5).
func fileVersion(path string) (string, error) {
	p := SlashToBackslash(path)
	var zero windows.Handle
	size, err := windows.GetFileVersionInfoSize(p, &zero)
	if err != nil {
		return "", err
	}
	if size == 0 || size > 1<<20 {
		return "", errors.New("no version resource")
	}
	buf := make([]byte, size)
	if err := windows.GetFileVersionInfo(p, 0, size, unsafe.Pointer(&buf[0])); err != nil {
		return "", err
	}
	var fixed *windows.VS_FIXEDFILEINFO
	var n uint32
	if err := windows.VerQueryValue(unsafe.Pointer(&buf[0]), `\`, unsafe.Pointer(&fixed), &n); err != nil {
		return "", err
	}
	if fixed == nil || n == 0 {
		return "", errors.New("no fixed file info")
	}
	return fmt.Sprintf("%d.%d.%d.%d", fixed.FileVersionMS>>16, fixed.FileVersionMS&0xffff,
		fixed.FileVersionLS>>16, fixed.FileVersionLS&0xffff), nil
}

func runProgram(ctx context.Context, name string, args ...string) ([]byte, error) {
	return exec.CommandContext(ctx, name, args...).Output()
}
