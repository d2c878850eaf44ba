//go:build windows

package register

import (
	"errors"
	"fmt"

	"golang.org/x/sys/windows/registry"
)

// currentUser is the real HKEY_CURRENT_USER.
func currentUser() (Registry, error) { return hkcu{}, nil }

type hkcu struct{}

func (hkcu) GetString(key, name string) (string, error) {
	k, err := registry.OpenKey(registry.CURRENT_USER, key, registry.QUERY_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return "", fmt.Errorf("HKCU\\%s: %w", key, ErrNotExist)
	}
	if err != nil {
		return "", err
	}
	defer k.Close()
	v, _, err := k.GetStringValue(name)
	if errors.Is(err, registry.ErrNotExist) {
		return "", fmt.Errorf("HKCU\\%s %q: %w", key, name, ErrNotExist)
	}
	return v, err
}

func (hkcu) SetString(key, name, value string) error {
	k, _, err := registry.CreateKey(registry.CURRENT_USER, key, registry.SET_VALUE)
	if err != nil {
		return err
	}
	defer k.Close()
	return k.SetStringValue(name, value)
}
