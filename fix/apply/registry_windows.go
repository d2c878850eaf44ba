//go:build windows

package apply

import (
	"errors"
	"fmt"
	"unsafe"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"

	"maildoctor.app/maildoctor/detect/system"
)

// HostRegistry is this computer's registry, in its 64-bit view (as
// detect/system reads it), so a 32-bit build changes the same keys.
func HostRegistry() Registry { return hostRegistry{system.Host().Registry} }

type hostRegistry struct{ system.Registry }

func hive(r system.Root) (registry.Key, error) {
	switch r {
	case system.LocalMachine:
		return registry.LOCAL_MACHINE, nil
	case system.CurrentUser:
		return registry.CURRENT_USER, nil
	}
	return 0, fmt.Errorf("unknown hive %q", r)
}

func openWrite(root system.Root, path string) (registry.Key, error) {
	h, err := hive(root)
	if err != nil {
		return 0, err
	}
	return registry.OpenKey(h, path, registry.SET_VALUE|registry.QUERY_VALUE|registry.WOW64_64KEY)
}

var procRegSetValueEx = windows.NewLazySystemDLL("advapi32.dll").NewProc("RegSetValueExW")

// SetValue writes the exact type and bytes (registry.Key's typed setters
// would add or drop a final NUL).
func (hostRegistry) SetValue(root system.Root, path, name string, v system.Value) error {
	k, err := openWrite(root, path)
	if err != nil {
		return err
	}
	defer k.Close()
	p, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return err
	}
	var buf *byte
	if len(v.Data) > 0 {
		buf = &v.Data[0]
	}
	r, _, _ := procRegSetValueEx.Call(uintptr(k), uintptr(unsafe.Pointer(p)), 0, uintptr(v.Type), uintptr(unsafe.Pointer(buf)), uintptr(len(v.Data)))
	if r != 0 {
		return windows.Errno(r)
	}
	return nil
}

func (hostRegistry) DeleteValue(root system.Root, path, name string) error {
	k, err := openWrite(root, path)
	if errors.Is(err, registry.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer k.Close()
	if err := k.DeleteValue(name); err != nil && !errors.Is(err, registry.ErrNotExist) {
		return err
	}
	return nil
}

func (hostRegistry) CreateKey(root system.Root, path string) error {
	h, err := hive(root)
	if err != nil {
		return err
	}
	k, _, err := registry.CreateKey(h, path, registry.SET_VALUE|registry.WOW64_64KEY)
	if err != nil {
		return err
	}
	return k.Close()
}

// DeleteKey removes the subkeys first: RegDeleteKey removes only a key
// without subkeys.
func (r hostRegistry) DeleteKey(root system.Root, path string) error {
	h, err := hive(root)
	if err != nil {
		return err
	}
	subs, err := r.SubKeys(root, path)
	if errors.Is(err, system.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, s := range subs {
		if err := r.DeleteKey(root, path+`\`+s); err != nil {
			return err
		}
	}
	if err := registry.DeleteKey(h, path); err != nil && !errors.Is(err, registry.ErrNotExist) {
		return err
	}
	return nil
}
