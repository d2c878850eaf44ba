//go:build darwin

package system

import "golang.org/x/sys/unix"

// sysctl reads kern.osproductversion and friends (detection.md §4.1).
func sysctl(name string) (string, error) { return unix.Sysctl(name) }
