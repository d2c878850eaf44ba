//go:build !darwin && !windows

package system

import "errors"

func sysctl(name string) (string, error) { return "", errors.New("sysctl: not on macOS") }
